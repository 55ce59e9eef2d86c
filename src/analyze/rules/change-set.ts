// conflict and revert, from a drift-aware change set (opt-in `changeSet: true`): CloudFormation
// itself says which live values deploying the head template would write over. That is
// evidence drift detection can miss (a detection reused from before the hotfix, a resource it
// could not check, a property it does not compare). Only what drift detection did not
// already report is added, so nothing is said twice; drift on resources the pull request
// does not update is not a revert of this change (a plain deploy leaves them alone).
import type { ChangeSetOverwrite, Evidence, Finding, IgnoredDrift } from '../../types.js';
import { redactEvidence } from '../../values/redact.js';
import { matchesIgnoreRule } from '../apply-ignore.js';
import { type RuleContext, baseResource, deployedResource, headResource, resourceFinding, stackFinding } from '../context.js';
import { updatesResource } from '../updates-resource.js';
import { formatValue, getPath, isUnder, listWords } from '../values.js';

export function changeSetFindings(ctx: RuleContext): { findings: Finding[]; ignored: IgnoredDrift[] } {
  const read = ctx.input.live.changeSet;
  if (!read) return { findings: [], ignored: [] };
  const findings: Finding[] = read.unreadable.map((entry) => {
    const detail = entry.message ? `: ${entry.message.trim().replace(/\.$/, '')}` : '';
    const hint = /AccessDenied|Unauthorized|Forbidden/i.test(entry.code) ? ` Allow ${entry.api} for the role realitycheck uses.` : '';
    const what = read.name ? `The drift-aware change set ${read.name}` : 'The drift-aware change set';
    const cause = entry.code === 'NotAvailable' ? entry.message.trim().replace(/\.$/, '') : `${entry.api} failed with ${entry.code}${detail}`;
    return stackFinding(ctx, { rule: 'unreadable', severity: 'warn', message: `${what} was not checked: ${cause}.${hint}` });
  });
  const ignored: IgnoredDrift[] = [];
  const byResource = new Map<string, ChangeSetOverwrite[]>();
  for (const overwrite of read.overwrites) {
    const change = ctx.changes.get(overwrite.logicalId);
    if (!change || !updatesResource(change) || reportedByDrift(ctx, overwrite)) continue;
    byResource.set(overwrite.logicalId, [...(byResource.get(overwrite.logicalId) ?? []), overwrite]);
  }
  for (const [id, overwrites] of byResource) {
    const change = ctx.changes.get(id)!;
    const reverted: Evidence[] = [];
    for (const overwrite of overwrites) {
      const row = evidence(ctx, overwrite);
      const edited = change.changedProperties.find((property) => isUnder(overwrite.path, property));
      if (edited !== undefined) {
        const message = `The drift-aware change set ${read.name} says this pull request changes ${row.path} of ${id}, which was changed live to ${formatValue(row.live)} (last deployed: ${formatValue(row.expected)}); deploying writes ${formatValue(row.head ?? overwrite.after)} over it. Drift detection did not report it.`;
        findings.push({ ...resourceFinding(ctx, { rule: 'conflict', severity: 'block', resource: id, property: edited, message, evidence: [row] }), liveReadAt: read.readAt });
        continue;
      }
      const rule = ctx.input.ignore.find((r) => matchesIgnoreRule(r, { logicalId: id, type: overwrite.type }, overwrite.path));
      if (rule) {
        ignored.push({ resource: id, path: overwrite.path, reason: rule.reason, reverted: true });
        continue;
      }
      reverted.push(row);
    }
    if (reverted.length === 0) continue;
    const what = listWords(reverted.map((row) => `${row.path} (live ${formatValue(row.live)}, deployed ${formatValue(row.expected)})`));
    const message = `The drift-aware change set ${read.name} says deploying this change to ${id} reverts live changes to ${what}; drift detection did not report them.`;
    findings.push({ ...resourceFinding(ctx, { rule: 'revert', severity: 'block', resource: id, message, evidence: reverted }), liveReadAt: read.readAt });
  }
  return { findings, ignored };
}

/** Drift detection reported this property (or one above or below it) already: the drift rules have said it. */
function reportedByDrift(ctx: RuleContext, overwrite: ChangeSetOverwrite): boolean {
  const original = ctx.input.live.drift?.resources.find((r) => r.logicalId === overwrite.logicalId);
  return (original?.differences ?? []).some((d) => isUnder(d.path, overwrite.path) || isUnder(overwrite.path, d.path));
}

function evidence(ctx: RuleContext, overwrite: ChangeSetOverwrite): Evidence {
  const row: Evidence = {
    path: overwrite.path,
    base: getPath(baseResource(ctx, overwrite.logicalId)?.properties, overwrite.path),
    head: getPath(headResource(ctx, overwrite.logicalId)?.properties, overwrite.path),
    ...(overwrite.previous !== undefined ? { expected: overwrite.previous } : {}),
    ...(overwrite.live !== undefined ? { live: overwrite.live } : {}),
  };
  const deployed = getPath(deployedResource(ctx, overwrite.logicalId)?.properties, overwrite.path);
  return redactEvidence(row, ctx.noEcho, [deployed, overwrite.after]);
}
