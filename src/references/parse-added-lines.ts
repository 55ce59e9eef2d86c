// The lines a pull request adds to one file, with their line numbers at the head, from the
// `patch` GitHub lists for it (a unified diff without file headers). Pure.
import { parsePatch } from 'diff';

export interface AddedLine {
  /** 1-based line number in the head version of the file. */
  line: number;
  text: string;
}

export type AddedLines = { ok: true; lines: AddedLine[] } | { ok: false; why: string };

export function parseAddedLines(patch: string): AddedLines {
  let parsed;
  try {
    // `diff` throws on a hunk whose line counts do not add up (a cut or mangled patch).
    parsed = parsePatch(patch);
  } catch (error) {
    return { ok: false, why: `its diff could not be read (${(error as Error).message.slice(0, 200)})` };
  }
  const lines: AddedLine[] = [];
  for (const file of parsed) {
    for (const hunk of file.hunks) {
      let line = hunk.newStart;
      for (const text of hunk.lines) {
        const mark = text.charAt(0);
        if (mark === '+') lines.push({ line: line++, text: text.slice(1) });
        else if (mark === ' ') line++;
        // `-` lines are not in the head; `\ No newline at end of file` is no line.
      }
    }
  }
  return { ok: true, lines };
}
