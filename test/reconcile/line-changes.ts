// What an edit changed, as lines: every line not listed here is byte-identical (line
// endings included) and in the same order in both texts.
import { diffArrays } from 'diff';

export interface LineChanges {
  removed: string[];
  added: string[];
}

/** Lines with their endings, so a CRLF turned into LF shows up as a change. */
function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

export function lineChanges(before: string, after: string): LineChanges {
  const changes: LineChanges = { removed: [], added: [] };
  for (const part of diffArrays(linesOf(before), linesOf(after))) {
    if (part.removed) changes.removed.push(...part.value.map(strip));
    if (part.added) changes.added.push(...part.value.map(strip));
  }
  return changes;
}

function strip(line: string): string {
  return line.replace(/\r?\n$/, '');
}
