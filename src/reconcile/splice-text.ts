// Small text helpers the editors share: line ends, columns, indentation, splicing. Pure.

/** The file's line ending: CRLF when it has one, else LF. */
export function lineEndingOf(text: string): '\r\n' | '\n' {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/** The whitespace that starts the line holding `offset`. */
export function indentationAt(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(start, offset))?.[0] ?? '';
}

/** Whether only whitespace is before `offset` on its line. */
export function startsItsLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStartOf(text, offset), offset));
}

/**
 * Where a line added after the content that ends at `end` goes: the start of the next line
 * (after a trailing comment on the content's last line). Trailing whitespace and line breaks
 * before `end` are stepped back over first. `needsBreak`: the file ends there without one.
 */
export function afterLineOf(text: string, end: number): { at: number; needsBreak: boolean } {
  let last = end;
  while (last > 0 && /[\s]/.test(text[last - 1]!)) last--;
  const newline = text.indexOf('\n', last);
  return newline === -1 ? { at: text.length, needsBreak: true } : { at: newline + 1, needsBreak: false };
}

export function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}
