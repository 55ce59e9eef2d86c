// The one-line verdicts: the comment's heading and the check run's title.
import type { RunResult, TargetResult } from '../types.js';
import { truncate } from './render-value.js';
import { countSeverities, describeCounts } from './rule-text.js';

const TITLE_CHARS = 200;

function counts(run: RunResult) {
  return countSeverities(run.targets.flatMap((t) => t.findings.map((f) => f.severity)));
}

export function headline(run: RunResult): string {
  if (run.configProblems?.length) return 'configuration error';
  if (run.targets.length === 0) return 'nothing to check';
  return describeCounts(counts(run)) || 'matches what is running';
}

/** `2 blocking, 1 warning — orders` (plain text: GitHub does not render markdown in titles). */
export function checkTitle(run: RunResult): string {
  const problems = run.configProblems ?? [];
  let title: string;
  if (problems.length) {
    title = `Configuration error — ${[...new Set(problems.map((p) => p.file))].join(', ')}`;
  } else if (run.targets.length === 0) {
    title = 'No infrastructure changed';
  } else {
    const summary = describeCounts(counts(run));
    const named = summary ? run.targets.filter(hasActionable) : run.targets;
    title = `${summary || 'Matches what is running'} — ${named.map((t) => t.target.name).join(', ')}`;
  }
  return truncate(title, TITLE_CHARS);
}

function hasActionable(target: TargetResult): boolean {
  return target.findings.some((f) => f.severity !== 'info');
}
