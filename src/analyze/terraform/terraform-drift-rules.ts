// conflict, revert, deleted and drift-elsewhere on Terraform addresses. Terraform apply
// writes the code over every out-of-band change in the workspace, not only on the resources
// a pull request edits, so drift elsewhere is a warning here (DESIGN.md).
//
// A live difference on a touched resource is
// - left alone (no finding) when apply does not write it: with a plan, the plan writes
//   nothing at that path; without one, the head declares that very literal (the pull request
//   adopts it) or lists the attribute in `lifecycle { ignore_changes }`;
// - `conflict` when the pull request changes that attribute (to a value other than live);
// - `revert` otherwise: apply writes the code value back over it.
import type { Evidence, Finding, LiveResource } from '../../types.js';
import { sameValue } from '../../values/cloudformation-value.js';
import { formatValue, listWords } from '../values.js';
import { matchesIgnoreRule } from '../apply-ignore.js';
import { blockAt, driftRow, resourceFinding, type TerraformContext } from './terraform-context.js';
import { declaredValue, ignoredChanges, overlaps } from './declared-values.js';
import type { TouchedResource } from './compute-touched.js';

type Row = { row: Evidence; code: unknown };

function describe(rows: Row[]): string {
  return listWords(rows.map(({ row, code }) => `${row.path} (code ${formatValue(code)}, live ${formatValue(row.live)})`));
}

/** The differences apply writes back (the rest the code already matches). */
function writtenBack(ctx: TerraformContext, resource: LiveResource, touched?: TouchedResource): LiveResource['differences'] {
  if (ctx.touched.fromPlan) {
    const written = touched?.written ?? ctx.planned.get(resource.logicalId)?.changes.map((c) => c.path) ?? [];
    return resource.differences.filter((d) => written.some((p) => overlaps(p, d.path)));
  }
  const head = blockAt(ctx, 'head', resource.logicalId);
  const ignored = ignoredChanges(head);
  if (ignored === 'all') return [];
  return resource.differences.filter((d) => {
    if (ignored.some((p) => overlaps(p, d.path))) return false;
    const declared = declaredValue(head, d.path);
    return !(declared?.literal && sameValue(declared.value, d.actual));
  });
}

export function terraformDriftFindings(ctx: TerraformContext): Finding[] {
  const findings: Finding[] = [];
  for (const resource of ctx.live.values()) {
    const touched = ctx.touched.find(resource.logicalId);
    const updated = touched?.action === 'update';
    const address = resource.logicalId;
    if (resource.status === 'DELETED') {
      if (touched?.action === 'delete') continue; // the pull request removes what is already gone
      const name = resource.physicalId ? `${address} (${resource.physicalId})` : address;
      findings.push(
        updated
          ? resourceFinding(ctx, { rule: 'deleted', severity: 'block', resource: address, evidence: [], message: `${name} was deleted outside Terraform, but this PR changes it: applying creates it anew from the code, with none of what it held. Recreate or import it, or remove it from the code, then recheck.` })
          : resourceFinding(ctx, { rule: 'drift-elsewhere', severity: 'warn', resource: address, evidence: [], message: `${name} was deleted outside Terraform; this PR does not touch it, but terraform apply creates it again.` }),
      );
      continue;
    }
    if (resource.status !== 'MODIFIED' || touched?.action === 'delete' || touched?.action === 'create') continue;
    const differences = writtenBack(ctx, resource, touched);
    if (differences.length === 0 && resource.differences.length > 0) continue; // the code adopts every live value
    if (!updated) {
      const rows = differences.map((d) => driftRow(ctx, address, d));
      const what = rows.length > 0 ? describe(rows) : 'attributes the live source did not list';
      findings.push(
        resourceFinding(ctx, { rule: 'drift-elsewhere', severity: 'warn', resource: address, evidence: rows.map((r) => r.row), message: `${address} was changed live outside this PR: ${what}. terraform apply writes the code values back over them.` }),
      );
      continue;
    }
    findings.push(...touchedDriftFindings(ctx, resource, touched, differences));
  }
  return findings;
}

function touchedDriftFindings(ctx: TerraformContext, resource: LiveResource, touched: TouchedResource, differences: LiveResource['differences']): Finding[] {
  const address = resource.logicalId;
  const findings: Finding[] = [];
  const claimed = new Set<string>();
  if (touched.paths === undefined) {
    // which attributes the change reaches cannot be told: every live change may be overwritten
    const rows = differences.map((d) => driftRow(ctx, address, d));
    const through = touched.because.length > 0 ? ` through ${listWords(touched.because)}` : '';
    const what = rows.length > 0 ? `live changes to ${describe(rows)}` : 'live changes (the live source did not list which attributes)';
    const message = `This PR changes ${address}${through} (which of its attributes that reaches cannot be told), and applying it overwrites ${what}.`;
    return [resourceFinding(ctx, { rule: 'revert', severity: 'block', resource: address, message, evidence: rows.map((r) => r.row) })];
  }
  for (const path of [...touched.paths].sort()) {
    const mine = differences.filter((d) => overlaps(path, d.path) && !claimed.has(d.path));
    if (mine.length === 0) continue;
    mine.forEach((d) => claimed.add(d.path));
    const rows = mine.map((d) => driftRow(ctx, address, d));
    const single = rows.length === 1 ? rows[0]! : undefined;
    const message = single
      ? `This PR changes ${single.row.path} of ${address} (${formatValue(single.row.base)} -> ${formatValue(single.row.head ?? single.code)}), but it was changed live to ${formatValue(single.row.live)} (state: ${formatValue(single.row.expected)}); applying overwrites the live value.`
      : `This PR changes ${path} of ${address}, which was changed live: ${describe(rows)}; applying overwrites the live values.`;
    const rule = ctx.ignore.find((r) => mine.some((d) => matchesIgnoreRule(r, resource, d.path)));
    const overridden = rule ? ` The ignore rule for it ("${rule.reason}") does not apply to an attribute this pull request edits.` : '';
    findings.push(resourceFinding(ctx, { rule: 'conflict', severity: 'block', resource: address, path, message: message + overridden, evidence: rows.map((r) => r.row) }));
  }
  const others = differences.filter((d) => !claimed.has(d.path));
  if (others.length === 0 && resource.differences.length > 0) return findings;
  const rows = others.map((d) => driftRow(ctx, address, d));
  const what = rows.length > 0 ? `live changes to ${describe(rows)}` : 'live changes (the live source did not list which attributes)';
  findings.push(resourceFinding(ctx, { rule: 'revert', severity: 'block', resource: address, message: `Applying this change to ${address} reverts ${what}.`, evidence: rows.map((r) => r.row) }));
  return findings;
}
