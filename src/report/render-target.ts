// One target as markdown: verdict line, findings grouped by severity, how live state was
// read and what it covered, and what to do next. `detail` says how much fits the budget.
import type { Finding, RuleId, Severity, TargetResult } from '../types.js';
import { codeSpan } from './escape-markdown.js';
import { formatTime } from './format-time.js';
import { notCheckedWhy, renderLive } from './render-live.js';
import { render } from './read-templates.js';
import { locationLabel, renderFinding, type LinkContext } from './render-finding.js';
import { truncate } from './render-value.js';
import { referencesWhy, renderReferenceChecks } from './render-references.js';
import { isTerraformSource, sourceLabel } from './source-label.js';
import { CONCLUSION_ICON, GROUP_TITLE, RULE_REASON, SEVERITIES, countSeverities, describeCounts, plural } from './rule-text.js';
import type { GroupData, NextStepData, NextStepsData } from './template-data.js';

export interface DetailLevel {
  /** Severities whose findings show their evidence table. */
  evidence: readonly Severity[];
  /** Most findings listed per severity and target; the rest are counted (0: only counted). */
  max: Record<Severity, number>;
  messageChars: number;
}

export interface TargetContext {
  link?: LinkContext;
}

const LIST_LIMIT = 5;

export function renderTarget(result: TargetResult, detail: DetailLevel, context: TargetContext): string {
  const counts = countSeverities(result.findings.map((f) => f.severity));
  const quiet = result.conclusion === 'success' && counts.block === 0 && counts.warn === 0 && (result.coverage !== undefined || (result.references !== undefined && result.findings.length === 0 && result.references.cut.length === 0 && result.references.declaredProblems.length === 0));
  return render('target', {
    quiet,
    icon: CONCLUSION_ICON[result.conclusion],
    name: codeSpan(result.target.name),
    verdict: describeCounts(counts, true) || 'no findings',
    why: quiet ? (result.references ? referencesWhy(result) : quietWhy(result)) : loudWhy(result),
    groups: SEVERITIES.flatMap((severity) => group(result, severity, detail, context)),
    live: quiet ? '' : result.references ? renderReferenceChecks(result.references) : renderLive(result),
    nextSteps: quiet ? '' : nextSteps(result.findings),
  });
}

function group(result: TargetResult, severity: Severity, detail: DetailLevel, context: TargetContext): GroupData[] {
  const findings = result.findings.filter((f) => f.severity === severity);
  if (findings.length === 0) return [];
  const listed = findings.slice(0, detail.max[severity]);
  const removed = new Set(result.changes.filter((c) => c.action === 'remove').map((c) => c.logicalId));
  return [
    {
      title: GROUP_TITLE[severity],
      count: findings.length.toLocaleString('en-US'),
      folded: severity === 'info' || (severity === 'warn' && findings.length > 3),
      findings: listed.map((finding) =>
        renderFinding(finding, {
          evidence: detail.evidence.includes(severity),
          messageChars: detail.messageChars,
          // Lines of a removed resource are in the base file, which the head SHA does not show.
          link: finding.resource !== undefined && removed.has(finding.resource) ? undefined : context.link,
        }),
      ),
      omitted: findings.length - listed.length,
    },
  ];
}

function loudWhy(result: TargetResult): string {
  const worst = SEVERITIES.find((s) => result.findings.some((f) => f.severity === s));
  const reasons = [...new Set(result.findings.filter((f) => f.severity === worst).map((f) => RULE_REASON[f.rule]))];
  const prefix = { failure: 'merging is blocked', neutral: 'worth a look before merging', success: 'passes' }[result.conclusion];
  const sentence = reasons.length ? `${prefix}: ${reasons.join('; ')}.` : `${prefix}.`;
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

function quietWhy(result: TargetResult): string {
  const coverage = result.coverage!;
  const parts = [`${plural(coverage.inSync, 'resource')} in sync`];
  if (coverage.drifted) parts.push(`${coverage.drifted.toLocaleString('en-US')} drifted elsewhere`);
  if (coverage.deleted) parts.push(`${coverage.deleted.toLocaleString('en-US')} deleted elsewhere`);
  if (coverage.notChecked) parts.push(`${coverage.notChecked.toLocaleString('en-US')} not checked (${isTerraformSource(result.live?.source ?? '') ? notCheckedWhy(result.live!.source) : 'type not supported by drift detection'})`);
  if (coverage.leftOut) parts.push(`${coverage.leftOut.toLocaleString('en-US')} left out by the bound on Cloud Control reads`);
  if (result.ignored.length) {
    const reasons = [...new Set(result.ignored.map((i) => truncate(i.reason, 60)))];
    const shown = reasons.slice(0, 3).join('; ') + (reasons.length > 3 ? '; …' : '');
    const reset = result.ignored.filter((i) => i.reverted).length;
    const resets = reset ? `; deploying this pull request resets ${result.ignored.length === 1 ? 'it' : `${reset.toLocaleString('en-US')} of them`}` : '';
    parts.push(`${plural(result.ignored.length, 'drift')} ignored (${shown}${resets})`);
  }
  const changed = result.changes.length ? ` for the ${plural(result.changes.length, 'resource')} this pull request changes` : '';
  return `matches what is running${changed}: ${parts.join(', ')}.${liveSentence(result)}`;
}

function liveSentence(result: TargetResult): string {
  const live = result.live;
  if (!live) return '';
  const label = sourceLabel(live.source);
  const d = live.detection;
  if (isTerraformSource(live.source)) return ` Live state from the ${label}${live.detail ? ` (${live.detail})` : ''}, read ${formatTime(d?.checkedAt ?? live.readAt)}.`;
  if (!d) return ` Live state from ${label}, read ${formatTime(live.readAt)}.`;
  if (live.source === 'snapshot') return ` Live state from a ${label} taken ${formatTime(d.checkedAt)}.`;
  if (!d.reused) return ` Live state from a fresh ${label}, ${formatTime(d.checkedAt)}.`;
  return ` Live state from a ${label} reused from ${formatTime(d.checkedAt)}.`;
}

const IAM_ACTION = /\b[a-z][a-z0-9-]*:[A-Z][A-Za-z0-9]*\b/g;

function nextSteps(findings: Finding[]): string {
  const actionable = findings.filter((f) => f.severity !== 'info');
  const data: NextStepsData = { any: actionable.length > 0 };
  const rules = [...new Set(actionable.map((f) => f.rule))];
  for (const rule of rules) {
    const of = actionable.filter((f) => f.rule === rule);
    const step: NextStepData = { resources: list(of.flatMap((f) => (f.resource === undefined ? [] : [f.resource]))) || 'the stack' };
    if (rule === 'unreadable') step.permissions = list(of.flatMap((f) => f.message.match(IAM_ACTION) ?? [])) || undefined;
    if (rule === 'unparseable') step.locations = list(of.flatMap((f) => locationLabel(f) ?? [])) || 'the reported line';
    data[stepKey(rule)] = step;
  }
  return render('next-steps', data);
}

function stepKey(rule: RuleId): Exclude<keyof NextStepsData, 'any'> {
  return rule.replace(/-/g, '_') as Exclude<keyof NextStepsData, 'any'>;
}

/** Up to five unique names as code spans, then `and N more`. */
function list(names: string[]): string {
  const unique = [...new Set(names)];
  const shown = unique.slice(0, LIST_LIMIT).map((n) => codeSpan(truncate(n, 80)));
  return shown.join(', ') + (unique.length > LIST_LIMIT ? ` and ${(unique.length - LIST_LIMIT).toLocaleString('en-US')} more` : '');
}
