// One finding as markdown: headline (rule, resource, type, file:line link), message,
// and an evidence table `| property | base | pull request | (deployed) | live |`.
import type { Evidence, Finding } from '../types.js';
import { codeLink, codeSpan, encodePath } from './escape-markdown.js';
import { render } from './read-templates.js';
import { sameValue } from '../values/cloudformation-value.js';
import { renderValue, truncate } from './render-value.js';
import { safeEvidence } from './safe-evidence.js';

export const EVIDENCE_ROWS = 20;

export interface LinkContext {
  serverUrl: string;
  owner: string;
  repo: string;
  headSha: string;
}

export interface FindingOptions {
  evidence: boolean;
  messageChars: number;
  /** Absent when the lines cannot be linked (e.g. they are in the base file). */
  link?: LinkContext;
}

export function renderFinding(finding: Finding, options: FindingOptions): string {
  const showEvidence = options.evidence && finding.evidence.length > 0;
  return render('finding', {
    rule: finding.rule,
    resource: finding.resource === undefined ? undefined : codeSpan(finding.resource),
    resourceType: finding.resourceType === undefined ? undefined : codeSpan(finding.resourceType),
    location: renderLocation(finding, options.link),
    message: truncate(finding.message, options.messageChars),
    evidence: showEvidence ? renderEvidence(safeEvidence(finding.evidence)) : undefined,
  });
}

/** `path/file.yaml:12-20` (plain text, for lines and annotations). */
export function locationLabel(finding: Pick<Finding, 'file' | 'span'>): string | undefined {
  if (finding.file === undefined) return undefined;
  const span = finding.span;
  if (!span) return finding.file;
  return span.endLine > span.startLine ? `${finding.file}:${span.startLine}-${span.endLine}` : `${finding.file}:${span.startLine}`;
}

function renderLocation(finding: Finding, link: LinkContext | undefined): string | undefined {
  const label = locationLabel(finding);
  if (label === undefined || finding.file === undefined) return undefined;
  if (!link || !/^[0-9a-f]{7,64}$/.test(link.headSha)) return codeSpan(label);
  const span = finding.span;
  const lines = !span ? '' : span.endLine > span.startLine ? `#L${span.startLine}-L${span.endLine}` : `#L${span.startLine}`;
  const url = `${link.serverUrl.replace(/\/+$/, '')}/${encodePath(link.owner)}/${encodePath(link.repo)}/blob/${link.headSha}/${encodePath(finding.file)}${lines}`;
  return codeLink(label, url);
}

function renderEvidence(evidence: Evidence[]): string {
  const shown = evidence.slice(0, EVIDENCE_ROWS);
  const deployed = shown.some((e) => e.expected !== undefined && !sameValue(e.expected, e.base));
  return render('evidence', {
    deployed,
    rows: shown.map((e) => {
      const live = renderValue(e.live, true);
      return {
        path: codeSpan(e.path, true) + (e.redacted ? ' 🔒' : ''),
        base: renderValue(e.base, true),
        head: renderValue(e.head, true),
        expected: renderValue(e.expected, true),
        live: e.live !== undefined && !sameValue(e.live, e.base) ? `**${live}**` : live,
      };
    }),
    omitted: evidence.length - shown.length,
    redacted: shown.some((e) => e.redacted === true),
  });
}
