// diverged-base: for a resource the PR touches, the deployed template says something
// other than the base branch. The PR's diff is then not what deploying changes.
import type { DeclaredResource, Evidence, Finding } from '../../types.js';
import { type RuleContext, baseResource, deployedResource, headResource, resourceFinding } from '../context.js';
import { redactEvidence } from '../redact.js';
import { canonical, listWords } from '../values.js';

/** Rows for what differs, compared after normalization (key order, `30` vs `"30"`); DependsOn as a set. */
function differingRows(base: DeclaredResource, deployed: DeclaredResource, head?: DeclaredResource): Evidence[] {
  const rows: Evidence[] = [];
  if (base.type !== deployed.type) rows.push({ path: 'Type', base: base.type, head: head?.type, expected: deployed.type });
  const keys = [...new Set([...Object.keys(base.properties), ...Object.keys(deployed.properties)])].sort();
  for (const key of keys) {
    if (canonical(base.properties[key]) === canonical(deployed.properties[key])) continue;
    rows.push({ path: key, base: base.properties[key], head: head?.properties[key], expected: deployed.properties[key] });
  }
  const dependsOn = (r: DeclaredResource) => canonical([...new Set(r.dependsOn)].sort());
  if (dependsOn(base) !== dependsOn(deployed)) {
    rows.push({ path: 'DependsOn', base: base.dependsOn, head: head?.dependsOn, expected: deployed.dependsOn });
  }
  return rows;
}

export function divergedBaseFindings(ctx: RuleContext): Finding[] {
  if (!ctx.input.deployed) return [];
  const findings: Finding[] = [];
  for (const id of ctx.changes.keys()) {
    const base = baseResource(ctx, id);
    const deployed = deployedResource(ctx, id);
    const head = headResource(ctx, id);
    let message: string;
    let evidence: Evidence[] = [];
    if (!base && !deployed) continue;
    if (!base) {
      message = `${id} is in the deployed template but not on the base branch: the base is not what runs.`;
    } else if (!deployed) {
      message = `${id} is on the base branch but not in the deployed template: the base is not what runs.`;
    } else {
      evidence = differingRows(base, deployed, head).map((row) => redactEvidence(row, ctx.noEcho));
      if (evidence.length === 0) continue;
      const paths = listWords(evidence.map((row) => row.path));
      message = `The deployed template's ${id} differs from the base branch in ${paths}: the base is not what runs, so this PR's diff is not all that deploying changes.`;
    }
    findings.push(resourceFinding(ctx, { rule: 'diverged-base', severity: 'warn', resource: id, message, evidence }));
  }
  return findings;
}
