// The references check as one target's result: each reference matched with the declared
// names and its live answer, the findings (analyze/rules/reference-rules.ts), and the rows
// the report shows (what, where, what was looked up, the answer). Pure.
import { referenceFindings } from '../analyze/rules/reference-rules.js';
import { sortFindings } from '../analyze/findings.js';
import type { TargetAnalysis } from '../analyze/analyze-target.js';
import type { ReferenceCheckSummary } from '../types.js';
import type { CodeReference, DeclaredName, LiveAnswer, ResolvedReference, ScanLimits } from './types.js';

/** The name the references check reports under. */
export const REFERENCES_TARGET = 'references in code';
export const REFERENCES_SOURCE = 'references';

export function resolveReferences(
  references: readonly CodeReference[],
  declared: readonly DeclaredName[],
  addedLines: ReadonlyMap<string, ReadonlySet<number>>,
  answers: readonly LiveAnswer[],
): ResolvedReference[] {
  return references.map((reference, i) => {
    const matches = declared.filter((d) => d.type === reference.type && d.name === reference.name);
    // Created by this pull request: it adds the very line that declares the name.
    const createdByPullRequest = matches.some((d) => addedLines.get(d.file)?.has(d.line) === true);
    return { reference, declared: matches, createdByPullRequest, live: answers[i] ?? { kind: 'skipped' } };
  });
}

export interface ReferenceCheck {
  resolved: ResolvedReference[];
  aiAuthored: boolean;
  lookups: number;
  skipped: number;
  maxLookups: number;
  declaredProblems: string[];
  limits: ScanLimits;
  readAt: string;
}

export function computeReferenceAnalysis(check: ReferenceCheck): TargetAnalysis {
  const findings = referenceFindings({ target: REFERENCES_TARGET, resolved: check.resolved, aiAuthored: check.aiAuthored, skipped: check.skipped, maxLookups: check.maxLookups });
  const summary: ReferenceCheckSummary = {
    rows: check.resolved.map(({ reference, live }) => ({
      text: reference.text,
      file: reference.file,
      line: reference.line,
      type: reference.type === 'export' ? 'stack export' : reference.type,
      lookedUp: lookedUp(live),
      answer: answer(live),
    })),
    lookups: check.lookups,
    maxLookups: check.maxLookups,
    skipped: check.skipped,
    declaredProblems: check.declaredProblems,
    cut: check.limits.cut,
  };
  const unread = check.resolved.some((r) => r.live.kind === 'not-checked' || r.live.kind === 'skipped');
  return {
    result: {
      target: { name: REFERENCES_TARGET, kind: 'code', file: '' },
      changes: [],
      findings: sortFindings(findings),
      ignored: [],
      live: { source: REFERENCES_SOURCE, readAt: check.readAt },
      references: summary,
    },
    liveRead: !unread,
  };
}

function lookedUp(live: LiveAnswer): string {
  if (live.kind === 'skipped') return 'nothing (references.maxLookups reached)';
  const where = [live.account ? `account ${live.account}` : undefined, live.region].filter((p) => p !== undefined).join(', ');
  const call = [live.api, live.how].filter((p) => p !== undefined).join(' ');
  return [call || 'nothing', where ? `in ${where}` : ''].filter((p) => p !== '').join(' ');
}

function answer(live: LiveAnswer): string {
  switch (live.kind) {
    case 'found':
      return `exists${live.cached ? ` (answer from ${live.readAt})` : ''}`;
    case 'absent':
      return `not found: ${live.code}${live.cached ? ` (answer from ${live.readAt})` : ''}`;
    case 'not-checked':
      return `not checked: ${live.code}: ${live.reason}`;
    case 'skipped':
      return 'not checked';
  }
}
