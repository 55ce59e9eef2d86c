// The references check in the report: a sentence when nothing is wrong, and the table of
// what each reference is, where it is, what was looked up and what AWS answered. Every value
// from the pull request or the cloud is a code span.
import type { ReferenceCheckSummary, TargetResult } from '../types.js';
import { codeSpan } from './escape-markdown.js';
import { render } from './read-templates.js';
import { truncate } from './render-value.js';
import { plural } from './rule-text.js';

const ROWS = 30;

export function renderReferenceChecks(summary: ReferenceCheckSummary): string {
  const shown = summary.rows.slice(0, ROWS);
  return render('references', {
    count: summary.rows.length.toLocaleString('en-US'),
    any: shown.length > 0,
    rows: shown.map((r) => ({
      text: codeSpan(truncate(r.text, 200), true),
      where: codeSpan(`${r.file}:${r.line}`, true),
      type: codeSpan(r.type, true),
      lookedUp: codeSpan(truncate(r.lookedUp, 300), true),
      answer: codeSpan(truncate(r.answer, 300), true),
    })),
    omitted: summary.rows.length - shown.length,
    lookups: summary.lookups.toLocaleString('en-US'),
    maxLookups: summary.maxLookups.toLocaleString('en-US'),
    skipped: summary.skipped,
    ...(summary.cut.length > 0 ? { cut: { entries: summary.cut.slice(0, 10).map((c) => ({ file: codeSpan(c.file), why: truncate(c.why, 300) })) } } : {}),
    declaredProblems: summary.declaredProblems.slice(0, 5).map((p) => truncate(p, 300)),
  });
}

/** The quiet line: how many references, all found where expected. Plain text (the template escapes it). */
export function referencesWhy(result: TargetResult): string {
  const summary = result.references!;
  const n = summary.rows.length;
  if (n === 0) return 'no references to AWS resources found in the lines read.';
  return `${plural(n, 'reference')} to AWS resources, each declared by a configured target and found live (${plural(summary.lookups, 'look-up')}).`;
}
