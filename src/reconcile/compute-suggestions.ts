// The review comments realitycheck would post on a pull request, from its findings (pure):
// - `revert`: a suggested change (```suggestion) that keeps the live value. Its text comes
//   from the format's editor: the live value written into the head file, and the lines that
//   changed taken as the replacement of the lines they replace. Only where every replaced line
//   is in the diff (GitHub refuses the rest) and never for a redacted (secret) value.
// - `conflict`: the base, live and proposed values on the property's line; no suggestion (the
//   author decides).
// Each body ends with a hidden marker whose id is a digest of the comment, so a later run
// finds its own comments and leaves the ones that still hold alone.
import { createHash } from 'node:crypto';
import { structuredPatch } from 'diff';
import type { Evidence, Finding } from '../types.js';
import { REDACTED } from '../values/redact.js';
import { codeSpan } from '../report/escape-markdown.js';
import { valueText } from '../report/render-value.js';
import type { Editors } from './apply-plan.js';
import { inDeclaredType, toPathSegments, type EditFormat } from './reconcile-plan.js';
import type { ValueEdit } from './types.js';

export const SUGGESTION_MARKER = '<!-- realitycheck:suggestion';
/** GitHub shows many; a pull request gets at most this many from us. The summary comment has every finding. */
export const MAX_REVIEW_COMMENTS = 20;

export interface ReviewComment {
  path: string;
  /** Last line (RIGHT side). */
  line: number;
  /** First line, when the comment spans several. */
  startLine?: number;
  body: string;
  /** The marker's id: a digest of path, lines and body. */
  id: string;
}

export interface ReviewFile {
  text: string;
  commentable: ReadonlySet<number>;
  format: EditFormat;
}

export function computeSuggestions(findings: readonly Finding[], files: ReadonlyMap<string, ReviewFile>, editors: Editors): ReviewComment[] {
  const out: ReviewComment[] = [];
  const seen = new Set<string>();
  const push = (comment: Omit<ReviewComment, 'id' | 'body'> & { text: string }) => {
    const id = createHash('sha256').update(JSON.stringify([comment.path, comment.startLine ?? null, comment.line, comment.text])).digest('hex').slice(0, 24);
    if (seen.has(id)) return;
    seen.add(id);
    const { text, ...place } = comment;
    out.push({ ...place, id, body: `${text}\n\n${SUGGESTION_MARKER} id=${id} -->` });
  };
  // Reverts: every live value of a file written in ONE editor call (an editor reads the whole
  // file, and reads its result back: per edit, 200 drifted queues in a 581 KB template took
  // 188 s of CPU against 3 s at once, `npm run bench`), then one diff; each changed region
  // is told by the revert whose resource it lies in.
  const reverts = findings.filter((f) => f.rule === 'revert' && f.file !== undefined && f.resource !== undefined && files.has(f.file));
  for (const [path, file] of files) {
    const editor = editors[file.format];
    const mine = reverts.filter((f) => f.file === path);
    if (!editor || mine.length === 0) continue;
    const edits: Array<{ finding: Finding; row: Evidence; edit: ValueEdit }> = [];
    for (const finding of mine) {
      for (const row of finding.evidence) {
        if (row.redacted || row.live === REDACTED || row.live === undefined) continue;
        const edit = editFor(finding, row, file.format);
        if (edit) edits.push({ finding, row, edit });
      }
    }
    if (edits.length === 0) continue;
    const result = editor(file.text, edits.map((e) => e.edit));
    for (const hunk of replacedLines(file.text, result.text)) {
      const lines = range(hunk.from, hunk.to);
      if (!lines.every((l) => file.commentable.has(l))) continue;
      const owner = mine.find((f) => f.span !== undefined && f.span.startLine <= hunk.from && hunk.to <= f.span.endLine);
      const rows = edits.filter((e) => e.finding === owner && result.applied.includes(e.edit)).map((e) => e.row);
      const what = owner
        ? `${codeSpan(owner.resource!)}, whose ${rows.map((r) => `${codeSpan(r.path)} was changed live to ${codeSpan(valueText(r.live, 200))}`).join(', ') || 'live values changed'}`
        : 'a resource whose values were changed live';
      const why = `Deploying this pull request reverts ${what}. To keep the live value:`;
      push({ path, line: hunk.to, ...(hunk.from !== hunk.to ? { startLine: hunk.from } : {}), text: `${why}\n\n\`\`\`\`suggestion\n${hunk.replacement.join('\n')}\n\`\`\`\`` });
    }
  }
  // Conflicts: the three values on the property's first line in the diff; no suggestion.
  for (const finding of findings) {
    if (finding.rule !== 'conflict' || !finding.file || !finding.resource || !finding.span) continue;
    const file = files.get(finding.file);
    if (!file) continue;
    const line = range(finding.span.startLine, finding.span.endLine).find((l) => file.commentable.has(l));
    if (line === undefined) continue;
    const rows = finding.evidence.map((r) => `| ${codeSpan(r.path, true)} | ${cell(r.base)} | ${cell(r.live)} | ${cell(r.head)} |`);
    const text = [
      `This pull request changes a value of ${codeSpan(finding.resource)} that was already changed live: deploying overwrites the live value. Keep it, take the live value, or change both on purpose.`,
      '',
      '| property | base | live | this pull request |',
      '| --- | --- | --- | --- |',
      ...rows,
    ].join('\n');
    push({ path: finding.file, line, text });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
}

function cell(value: unknown): string {
  return value === undefined ? '*(absent)*' : codeSpan(valueText(value), true);
}

/** The edit that writes the live value of `row` back at the resource's place in the head file. */
function editFor(finding: Finding, row: Evidence, format: EditFormat): ValueEdit | undefined {
  let resource = finding.resource!;
  if (format === 'hcl') {
    // a Terraform address names the block as its module file declares it; an instance of a repeated block is not edited
    if (/\[/.test(resource)) return undefined;
    resource = resource.split('.').slice(-2).join('.');
    const tag = /^tags\.(.+)$/.exec(row.path);
    if (tag) return { resource, path: ['tags'], op: { kind: 'tag', key: tag[1]!, value: String(row.live) } };
  }
  const tagEntry = /^Tags\.\d+$/.exec(row.path);
  const live = row.live as { Key?: unknown; Value?: unknown } | undefined;
  if (tagEntry && live && typeof live === 'object' && typeof live.Key === 'string') {
    return { resource, path: ['Tags'], op: { kind: 'tag', key: live.Key, value: String(live.Value) } };
  }
  return { resource, path: toPathSegments(row.path), op: { kind: 'set', value: inDeclaredType(row.live, row.head) } };
}

/**
 * Each changed region of `after` against `before`: the lines it replaces in `before` (1-based,
 * inclusive) and their new text. A pure insertion is anchored on the line above it, which the
 * suggestion then repeats before the new lines.
 */
export function replacedLines(before: string, after: string): Array<{ from: number; to: number; replacement: string[] }> {
  const patch = structuredPatch('a', 'b', before, after, '', '', { context: 0 });
  const beforeLines = before.split(/\r?\n/);
  return patch.hunks.map((hunk) => {
    const removed = hunk.lines.filter((l) => l.startsWith('-')).length;
    const added = hunk.lines.filter((l) => l.startsWith('+')).map((l) => l.slice(1).replace(/\r$/, ''));
    if (removed === 0) {
      // jsdiff's `oldStart` of a pure insertion is the line the new lines go before (its
      // printed form subtracts one): anchor on the line above, or below at the very top
      const above = hunk.oldStart - 1;
      if (above >= 1) return { from: above, to: above, replacement: [beforeLines[above - 1] ?? '', ...added] };
      return { from: 1, to: 1, replacement: [...added, beforeLines[0] ?? ''] };
    }
    return { from: hunk.oldStart, to: hunk.oldStart + removed - 1, replacement: added };
  });
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let l = from; l <= to; l++) out.push(l);
  return out;
}
