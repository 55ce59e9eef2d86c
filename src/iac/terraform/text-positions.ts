// Turns tree-sitter's positions into TerraformSpans. web-tree-sitter parses a JS string as
// UTF-16, so its indexes are UTF-16 offsets (checked: `a = "é"\nb` puts `b` at index 9, its
// UTF-8 byte is 10); UTF-8 bytes are computed here, with no work for ASCII-only files.
import type { TerraformSpan } from '../../types.js';

export class TextPositions {
  private readonly lineStarts: number[] = [0];
  /** UTF-8 byte of each UTF-16 offset; absent while the text is ASCII-only. */
  private readonly bytes?: Uint32Array;

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    if (/[^\x00-\x7f]/.test(text)) {
      const bytes = new Uint32Array(text.length + 1);
      let byte = 0;
      for (let i = 0; i < text.length; i++) {
        bytes[i] = byte;
        const code = text.charCodeAt(i);
        if (code < 0x80) byte += 1;
        else if (code < 0x800) byte += 2;
        else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
          // a surrogate pair is one 4-byte character; its second half starts at the same byte
          bytes[++i] = byte;
          byte += 4;
        } else byte += 3;
      }
      bytes[text.length] = byte;
      this.bytes = bytes;
    }
  }

  /** 1-based line of a UTF-16 offset. */
  lineOf(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }

  /** 1-based column (UTF-16 units) of an offset. */
  columnOf(offset: number): number {
    return offset - this.lineStarts[this.lineOf(offset) - 1]! + 1;
  }

  byteOf(offset: number): number {
    return this.bytes ? this.bytes[offset]! : offset;
  }

  /** Span of [start, end). The end line is that of the last character, not of the position after it. */
  span(start: number, end: number): TerraformSpan {
    return {
      startLine: this.lineOf(start),
      endLine: this.lineOf(Math.max(start, end - 1)),
      startByte: this.byteOf(start),
      endByte: this.byteOf(end),
      startOffset: start,
      endOffset: end,
    };
  }
}
