// What could not be compared in a Terraform root: `unparseable` (a .tf file that does not
// parse: block on the head, with its line; warn on the base), and `unreadable` (live state that
// could not be read, a touched resource that was not checked, resources the Cloud Control
// bound left out, a local module that could not be followed, a change the plan does not
// describe, a `moved` block, a file the reader skipped). `unreadable` is warn by default;
// the verdict applies policy.unreadable and never lets it pass as success.
import type { Finding, TerraformProblem } from '../../types.js';
import { unparseableFinding } from '../findings.js';
import { describeUnreadable } from '../rules/unreadable.js';
import { blockOf } from './compute-touched.js';
import { resourceFinding, rootFinding, type TerraformContext } from './terraform-context.js';

/** Kinds Terraform itself refuses to plan: the pull request must fix the file. */
const BROKEN = new Set<TerraformProblem['kind']>(['syntax', 'duplicate']);

export function problemFindings(ctx: TerraformContext): Finding[] {
  const { problems } = ctx.evidence.declared.changes;
  const name = ctx.evidence.target.name;
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const side of ['head', 'base'] as const) {
    for (const problem of problems[side]) {
      if (BROKEN.has(problem.kind)) {
        findings.push(unparseableFinding(name, problem, side));
        continue;
      }
      const where = problem.moduleDir ? ` (module directory ${problem.moduleDir})` : '';
      // the same problem on both sides is said once, for the head
      const key = `${problem.kind}|${problem.file}|${problem.line}|${problem.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const message = `${problem.file} line ${problem.line}${side === 'base' ? ' on the base branch' : ''}: ${problem.message}${where}; the resources of that module were not compared with live state.`;
      findings.push(rootFinding(ctx, { rule: 'unreadable', severity: 'warn', message }));
    }
  }
  return findings;
}

/** `true` when the head has a problem that leaves part of the root uncompared. */
export function leavesModulesUnread(ctx: TerraformContext): boolean {
  const { problems } = ctx.evidence.declared.changes;
  return [...problems.head, ...problems.base].some((p) => !BROKEN.has(p.kind));
}

export function unreadableFindings(ctx: TerraformContext): { findings: Finding[]; touchedUnchecked: number } {
  const { live, counts, target } = ctx.evidence;
  const findings = live.unreadable.map((entry) => rootFinding(ctx, { rule: 'unreadable', severity: 'warn', message: describeUnreadable(entry) }));
  if (!live.drift) {
    if (live.unreadable.length === 0) findings.push(rootFinding(ctx, { rule: 'unreadable', severity: 'warn', message: `Live state was not read for ${target.file}, so nothing here says its resources match what runs.` }));
    return { findings, touchedUnchecked: 0 };
  }
  if (live.drift.status !== 'DETECTION_COMPLETE' && (live.drift.statusReason !== undefined || live.unreadable.length === 0)) {
    const reason = live.drift.statusReason ? `: ${live.drift.statusReason}` : '';
    findings.push(rootFinding(ctx, { rule: 'unreadable', severity: 'warn', message: `Live state of ${target.file} is incomplete${reason}; what could not be checked is counted as not checked.` }));
  }
  let touchedUnchecked = 0;
  const seen = new Set<string>();
  for (const resource of ctx.live.values()) {
    const touched = ctx.touched.find(resource.logicalId);
    if (!touched || touched.action !== 'update') continue;
    seen.add(touched.address);
    if (resource.status !== 'NOT_CHECKED') continue;
    touchedUnchecked++;
    const why = resource.notCheckedReason ?? 'the live source did not check it';
    findings.push(resourceFinding(ctx, { rule: 'unreadable', severity: 'warn', resource: resource.logicalId, evidence: [], message: `${resource.logicalId} was not checked against live state (${why}), so this change could not be verified.` }));
  }
  // a resource the pull request changes that the live source has no record of at all
  const liveBlocks = new Set([...ctx.live.keys()].map(blockOf));
  for (const touched of ctx.touched.resources) {
    if (touched.action !== 'update' || seen.has(touched.address)) continue;
    if (liveBlocks.has(touched.address) || liveBlocks.has(blockOf(touched.address))) continue;
    touchedUnchecked++;
    findings.push(resourceFinding(ctx, { rule: 'unreadable', severity: 'warn', resource: touched.address, evidence: [], message: `${touched.address} has no record in the live state that was read, so this change could not be verified against what runs.` }));
  }
  if (counts && counts.leftOut > 0) {
    const message = `${counts.leftOut} ${counts.leftOut === 1 ? 'resource' : 'resources'} of the state ${counts.leftOut === 1 ? 'was' : 'were'} not read: only ${counts.bound} are read from AWS Cloud Control per run (the ones this PR touches first), so drift on the rest is unknown, and terraform apply would revert it unseen.`;
    findings.push(rootFinding(ctx, { rule: 'unreadable', severity: 'warn', message }));
  }
  return { findings, touchedUnchecked };
}

/**
 * What the pull request changes that the evidence does not cover, each `unreadable` and
 * counted as unchecked (so never `success`):
 * - with a plan, a declared resource change the plan's `resource_changes` does not describe by
 *   any instance (any action, `no-op` included): a plan of another root, a `-target` plan, or
 *   a stale one says nothing about it; and one finding when the plan shares no address with
 *   the head's resource blocks at all. What the plan does describe stays the truth. A resource
 *   whose `count` is 0 has no instance in the plan either: it is reported too (fail closed).
 * - a `moved` block whose `from` has live state or a base block, when the pull request touches
 *   its `to`: the drift on `from` is not followed to `to` yet (read as remove + add, the delete
 *   skips its drift), so nothing was compared.
 * - files the reader skipped (`*.tf.json`, symlinks, submodules): what they declare is unknown.
 */
export function coverageGapFindings(ctx: TerraformContext): { findings: Finding[]; unchecked: number } {
  const { declared, planned } = ctx.evidence;
  const findings: Finding[] = [];
  let unchecked = 0;
  const moved = (declared.head?.blocks ?? []).filter((b) => b.kind === 'moved' && b.from && b.to).map((b) => ({ from: blockOf(b.from!), to: blockOf(b.to!) }));
  const resourceChanges = declared.changes.changes.filter((c) => c.kind === 'resource');

  if (planned) {
    const described = new Set(planned.map((c) => blockOf(c.address)));
    const headResources = (declared.head?.blocks ?? []).filter((b) => b.kind === 'resource');
    if (headResources.length > 0 && !headResources.some((b) => described.has(b.address))) {
      unchecked++;
      findings.push(rootFinding(ctx, { rule: 'unreadable', severity: 'warn', message: `The plan does not match this root (PlanMismatch): it describes none of the resources ${ctx.evidence.target.file} declares, so nothing this PR changes was compared with live state.` }));
    }
    for (const change of resourceChanges) {
      if (described.has(change.address)) continue;
      // a moved block's `from` appears in the plan under its `to` (previous_address)
      if (change.action === 'remove' && moved.some((m) => m.from === change.address && described.has(m.to))) continue;
      unchecked++;
      findings.push(resourceFinding(ctx, { rule: 'unreadable', severity: 'warn', resource: change.address, evidence: [], message: `${change.address}: the plan does not describe this change (a plan of another root, a -target plan, or a stale plan), so it was not compared with live state.` }));
    }
  }

  const liveBlocks = new Set([...ctx.live.keys()].map(blockOf));
  const baseBlocks = new Set((declared.base?.blocks ?? []).filter((b) => b.kind === 'resource').map((b) => b.address));
  const touchedBlocks = new Set([...ctx.touched.resources.map((r) => blockOf(r.address)), ...resourceChanges.map((c) => c.address)]);
  const reported = new Set<string>();
  for (const { from, to } of moved) {
    if (reported.has(to) || !touchedBlocks.has(to) || !(liveBlocks.has(from) || baseBlocks.has(from))) continue;
    reported.add(to);
    unchecked++;
    findings.push(resourceFinding(ctx, { rule: 'unreadable', severity: 'warn', resource: to, evidence: [], message: `${to} is moved from ${from}: realitycheck does not follow moved blocks yet, so live changes on ${from} were not compared.` }));
  }

  const headSkipped = declared.head?.skippedFiles ?? [];
  const baseSkipped = (declared.base?.skippedFiles ?? []).filter((f) => !headSkipped.includes(f));
  for (const [side, files] of [['head', headSkipped], ['base', baseSkipped]] as const) {
    for (const file of files) {
      unchecked++;
      const what = file.endsWith('.tf.json') ? 'JSON-syntax Terraform' : 'a link or a submodule';
      const where = side === 'base' ? ' on the base branch' : '';
      findings.push(rootFinding(ctx, { rule: 'unreadable', severity: 'warn', ...(side === 'head' ? { file } : {}), message: `${file}${where} was not read (${what}), so what it declares was not compared with live state.` }));
    }
  }
  return { findings, unchecked };
}
