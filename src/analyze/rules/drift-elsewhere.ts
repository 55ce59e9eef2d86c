// drift-elsewhere: drift on resources the PR does not touch. Informational for
// CloudFormation (an update leaves untouched resources alone); a warning for Terraform,
// whose apply reverts it too. A resource the PR changes without deploying over it (its
// Metadata only; a serverless function's Policies only, which SAM writes into its role) is
// not touched either: its drift is reported here, not dropped.
import type { Finding } from '../../types.js';
import { type RuleContext, driftEvidence, resourceFinding } from '../context.js';
import { changedReferrers } from './deleted.js';
import { describeDrift } from './describe.js';
import { updatesResource } from '../updates-resource.js';

export function driftElsewhereFindings(ctx: RuleContext): Finding[] {
  const severity = ctx.input.live.source === 'terraform' ? 'warn' : 'info';
  const findings: Finding[] = [];
  for (const live of ctx.live.values()) {
    const id = live.logicalId;
    const change = ctx.changes.get(id);
    if (change && (live.status !== 'MODIFIED' || change.action === 'remove' || updatesResource(change))) continue;
    if (live.status === 'DELETED') {
      if (changedReferrers(ctx, id).length > 0) continue; // reported as `deleted`
      const name = live.physicalId ? `${id} (${live.physicalId})` : id;
      const message = `${name} was deleted outside CloudFormation; this PR does not touch it.`;
      findings.push(resourceFinding(ctx, { rule: 'drift-elsewhere', severity, resource: id, message, evidence: [] }));
    } else if (live.status === 'MODIFIED') {
      const rows = live.differences.map((d) => driftEvidence(ctx, id, d));
      const what = rows.length > 0 ? describeDrift(rows) : 'properties AWS did not list';
      const message = `${id} was changed live outside this PR: ${what}.`;
      findings.push(resourceFinding(ctx, { rule: 'drift-elsewhere', severity, resource: id, message, evidence: rows }));
    }
  }
  return findings;
}
