// deleted: a resource the PR changes, or that a resource the PR adds or changes refers
// to, no longer exists live.
import type { Finding } from '../../types.js';
import { type RuleContext, headResource, resourceFinding } from '../context.js';
import { listWords } from '../values.js';

/** Resources the PR adds or changes whose head definition refers to `logicalId` (Ref, GetAtt, Sub, DependsOn). */
export function changedReferrers(ctx: RuleContext, logicalId: string): string[] {
  const referrers: string[] = [];
  for (const change of ctx.changes.values()) {
    if (change.action === 'remove' || change.logicalId === logicalId) continue;
    const head = change.head ?? headResource(ctx, change.logicalId);
    if (head && (head.references.includes(logicalId) || head.dependsOn.includes(logicalId))) referrers.push(change.logicalId);
  }
  return referrers.sort();
}

/**
 * A PR that removes a resource already deleted live is not reported: it brings the
 * template in line with what runs, and CloudFormation treats deleting a missing resource
 * as done. The resource still counts as deleted in coverage.
 */
export function deletedFindings(ctx: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const live of ctx.live.values()) {
    if (live.status !== 'DELETED') continue;
    const id = live.logicalId;
    const change = ctx.changes.get(id);
    const changed = change !== undefined && change.action !== 'remove';
    const referrers = changedReferrers(ctx, id);
    if (!changed && referrers.length === 0) continue;

    const name = live.physicalId ? `${id} (${live.physicalId})` : id;
    const verb = referrers.length === 1 ? 'refers' : 'refer';
    const why = changed
      ? `this PR changes it${referrers.length > 0 ? ` and ${listWords(referrers)} ${verb} to it` : ''}: CloudFormation cannot update a resource that no longer exists, so the deploy fails`
      : `${listWords(referrers)}, which this PR adds or changes, ${verb} to it: the deploy fails or points at something that no longer exists`;
    const message = `${name} was deleted outside CloudFormation, but ${why}. Recreate or re-import it, or remove it from the template, then recheck.`;
    findings.push(resourceFinding(ctx, { rule: 'deleted', severity: 'block', resource: id, message, evidence: [] }));
  }
  return findings;
}
