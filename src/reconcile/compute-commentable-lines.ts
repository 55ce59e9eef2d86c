// The lines of a file a pull request review comment may sit on: GitHub resolves a comment's
// `line` (side RIGHT) only inside the diff's hunks, added and context lines alike. Read from
// the file's `patch` as the pull request files API gives it (header-less unified diff). Pure.
import { parsePatch } from 'diff';

/** New-side line numbers inside the patch's hunks; empty when there is no patch or it does not parse. */
export function computeCommentableLines(patch: string | undefined): Set<number> {
  const lines = new Set<number>();
  if (!patch) return lines;
  let hunks;
  try {
    hunks = parsePatch(patch)[0]?.hunks ?? [];
  } catch {
    return lines; // `diff` throws on a malformed hunk: then no line is known to be commentable
  }
  for (const hunk of hunks) {
    let line = hunk.newStart;
    for (const text of hunk.lines) {
      if (text.startsWith('-') || text.startsWith('\\')) continue;
      lines.add(line++);
    }
  }
  return lines;
}
