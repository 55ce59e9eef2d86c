// `unmanaged`: a resource the pull request creates whose explicit name already exists live,
// outside this root (Cloud Control found it by name; the pull request creates it, so the state
// does not hold it). Applying fails on the taken name, or, for some types, takes over what
// another owner runs. Lookups that could not be made are `unreadable` (warn; never "free"), and
// no AWS access for the target is said in a note.
import type { Finding } from '../../types.js';
import { describeUnreadable } from '../rules/unreadable.js';
import { resourceFinding, rootFinding, type TerraformContext } from './terraform-context.js';

export function unmanagedFindings(ctx: TerraformContext): Finding[] {
  const lookup = ctx.evidence.unmanaged;
  if (!lookup) return [];
  const findings: Finding[] = [];
  // a name another address of this same state holds is managed here (a rename without `moved`), not outside
  const managed = new Set((ctx.evidence.live.drift?.resources ?? []).filter((r) => r.status !== 'DELETED' && r.physicalId).map((r) => r.physicalId!));
  for (const found of lookup.found) {
    if (managed.has(found.identifier)) continue;
    const message = `${found.address} creates ${found.attribute} "${found.name}", but a ${found.type} of that name already exists live, outside this Terraform state: applying fails on the taken name, or takes over what someone else runs. Import it, or pick another name.`;
    findings.push(resourceFinding(ctx, { rule: 'unmanaged', severity: 'block', resource: found.address, path: found.attribute, message, evidence: [{ path: found.attribute, head: found.name, live: found.identifier }] }));
  }
  for (const entry of lookup.unreadable) findings.push(rootFinding(ctx, { rule: 'unreadable', severity: 'warn', message: describeUnreadable(entry) }));
  // No AWS access for the target: said as a note, not an error of the run; still `unreadable`,
  // so policy.unreadable decides and an unchecked name never passes as checked (fail closed).
  if (lookup.skipped) {
    findings.push(rootFinding(ctx, { rule: 'unreadable', severity: 'info', message: `Resources this PR creates in ${ctx.evidence.target.name} were ${lookup.skipped} (the app has no AWS credentials), so whether their names are already taken live is unknown.` }));
  }
  return findings;
}
