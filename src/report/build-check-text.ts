// The check run's output.text when the summary had to leave details out: one line per
// finding, as many as fit the budget, the rest counted.
import type { Finding, RunResult } from '../types.js';
import { codeSpan } from './escape-markdown.js';
import { fitsIn, MAX_BODY_CHARS } from './limits.js';
import { render } from './read-templates.js';
import { locationLabel } from './render-finding.js';
import { renderValue, truncate } from './render-value.js';
import { SEVERITIES } from './rule-text.js';
import { safeEvidence } from './safe-evidence.js';
import type { CheckTextLineData } from './template-data.js';

export function buildCheckText(run: RunResult): string {
  const lines = SEVERITIES.flatMap((severity) =>
    run.targets.flatMap((t) => t.findings.filter((f) => f.severity === severity).map((f) => toLine(f, t.target.name))),
  );
  const renderWith = (count: number) =>
    render('check-text', { lines: lines.slice(0, count), omitted: lines.length - count, limit: MAX_BODY_CHARS.toLocaleString('en-US') });
  // Largest count that fits: binary search (each render is linear, 3,000 lines take milliseconds).
  let fits = 0;
  let tooMany = lines.length + 1;
  while (tooMany - fits > 1) {
    const mid = Math.floor((fits + tooMany) / 2);
    if (fitsIn(renderWith(mid))) fits = mid;
    else tooMany = mid;
  }
  return renderWith(fits);
}

function toLine(finding: Finding, target: string): CheckTextLineData {
  const location = locationLabel(finding);
  return {
    severity: finding.severity,
    rule: finding.rule,
    target: codeSpan(target),
    resource: finding.resource === undefined ? undefined : codeSpan(truncate(finding.resource, 120)),
    location: location === undefined ? undefined : codeSpan(truncate(location, 160)),
    message: truncate(finding.message, 300),
    evidence: safeEvidence(finding.evidence.slice(0, 3)).map((e) => ({
      path: codeSpan(truncate(e.path, 80)),
      base: renderValue(e.base, false, 60),
      head: renderValue(e.head, false, 60),
      live: renderValue(e.live, false, 60),
    })),
  };
}
