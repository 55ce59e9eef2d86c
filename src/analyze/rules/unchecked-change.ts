// unreadable, per resource: the PR changes a resource whose live state drift detection did
// not check. Without this the report would say "matches what is running" for a change that
// was never compared with anything (a false all-clear). The default severity is warn; the
// verdict applies `policy.unreadable`, and such a finding keeps the conclusion from being
// `success` whatever the policy made of it.
//
// One case is not a gap in what was read: a changed resource with a `Condition` that a
// fresh, complete detection has no result for is not deployed in this stack (the condition
// is false here, e.g. `Condition: IsProd` checked against staging). It is reported as a
// note marked `notDeployed` (severity info), which the verdict neither raises nor counts
// against `success`.
import { readAttribute } from '../../iac/cloudformation/resource-attributes.js';
import type { DeclaredResource, Finding, LiveResource, ResourceChange } from '../../types.js';
import { type RuleContext, baseResource, deployedResource, driftEvidence, headResource, resourceFinding } from '../context.js';
import { listWords } from '../values.js';
import { updatesResource } from '../updates-resource.js';

const UNVERIFIED = 'so this change could not be verified against live state.';

/**
 * Why `live` (NOT_CHECKED, or absent) says nothing about the resource; `undefined` when it
 * does after all (every difference that made it unverifiable was ignored by the team).
 */
function reason(
  ctx: RuleContext,
  change: ResourceChange,
  live: LiveResource | undefined,
): { message: string; notDeployed?: true; live?: LiveResource } | undefined {
  const id = change.logicalId;
  const drift = ctx.input.live.drift!;
  if (!live) {
    const condition = drift.status === 'DETECTION_COMPLETE' && !drift.reused ? conditionText(ctx, id) : undefined;
    if (condition !== undefined) {
      return {
        notDeployed: true,
        message: `${id} is not deployed in this stack (${ctx.stackName}): it has ${condition}, and drift detection found no such resource here, as expected where that condition is false, so there is no live state to compare this change with.`,
      };
    }
    const why =
      drift.status !== 'DETECTION_COMPLETE'
        ? `drift detection ended ${drift.status} without checking it`
        : drift.reused
          ? `the detection reused from ${drift.checkedAt} may predate it`
          : 'it may not be in the deployed stack';
    return { message: `Drift detection has no result for ${id} (${why}), ${UNVERIFIED}` };
  }
  if (live.differences.length > 0) {
    // normalization left only lists whose items match in another order (live/normalize-drift)
    const paths = listWords([...new Set(live.differences.map((d) => d.path))]);
    return {
      message: `Drift detection could not verify ${id}: AWS reports ${paths} in another order than the template, and whether that order matters to ${live.type} cannot be told, ${UNVERIFIED}`,
      live,
    };
  }
  const original = drift.resources.find((r) => r.logicalId === id);
  if (original && original.differences.length > 0) return undefined; // all of it matched ignore rules
  const why =
    live.notCheckedReason ??
    (drift.status === 'DETECTION_COMPLETE' ? `${live.type} is not supported by drift detection` : `drift detection ended ${drift.status} without checking it`);
  return { message: `Drift detection did not check ${id} (${why}), ${UNVERIFIED}` };
}

function conditionOf(resource: DeclaredResource | undefined): string | undefined {
  const condition = resource ? readAttribute(resource, 'Condition') : undefined;
  return typeof condition === 'string' && condition !== '' ? condition : undefined;
}

/**
 * `Condition IsProd` when the stack as deployed creates the resource only under a
 * condition, else `undefined`. That is the deployed template's `Condition` when the deployed
 * template is known (declared there without one, or not declared at all, its absence is not
 * explained by a condition and stays a warning), else the base branch's, the best account of
 * what was deployed. Head's `Condition` alone explains nothing, since it is not deployed yet;
 * when it differs, the text says so: `Condition IsProd (this PR changes it to IsStaging)`.
 */
function conditionText(ctx: RuleContext, id: string): string | undefined {
  const deployedCondition = ctx.input.deployed ? conditionOf(deployedResource(ctx, id)) : conditionOf(baseResource(ctx, id));
  if (deployedCondition === undefined) return undefined;
  const head = conditionOf(headResource(ctx, id));
  const edit = head === deployedCondition ? '' : head === undefined ? ' (this PR removes it)' : ` (this PR changes it to ${head})`;
  return `Condition ${deployedCondition}${edit}`;
}

/**
 * One finding per resource the PR changes in a way that deploys (see `updatesResource`)
 * whose live entry is NOT_CHECKED or missing from the drift results. Not for resources
 * the PR adds (they do not exist live yet) or removes (deleting needs no live check), and
 * not when drift could not be read at all (the stack-wide `unreadable` finding says so).
 */
export function uncheckedChangeFindings(ctx: RuleContext): Finding[] {
  const findings = unexpandedLoopFindings(ctx);
  if (!ctx.input.live.drift) return findings;
  for (const change of ctx.changes.values()) {
    if (unexpandedReason(change) !== undefined) continue;
    if (change.action !== 'change' || !updatesResource(change)) continue;
    const live = ctx.live.get(change.logicalId);
    if (live && live.status !== 'NOT_CHECKED') continue;
    const found = reason(ctx, change, live);
    if (!found) continue;
    const evidence = found.live ? found.live.differences.map((d) => driftEvidence(ctx, change.logicalId, d)) : [];
    // Not deployed here is a note (info), not a gap in what was read (warn).
    const finding = resourceFinding(ctx, { rule: 'unreadable', severity: found.notDeployed ? 'info' : 'warn', resource: change.logicalId, message: found.message, evidence });
    findings.push(found.notDeployed ? { ...finding, notDeployed: true } : finding);
  }
  return findings;
}

/**
 * A Fn::ForEach loop the pull request adds or changes, whose resources could not be told
 * (its collection is only known when the stack deploys): nothing it declares was compared
 * with live state, whatever drift detection says. Reported whether or not drift was read.
 */
function unexpandedLoopFindings(ctx: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const change of ctx.changes.values()) {
    const why = unexpandedReason(change);
    if (why === undefined || change.action === 'remove') continue;
    const message = `${change.logicalId} could not be expanded into the resources it declares (${why}): none of them was compared with live state, so this change could not be verified.`;
    findings.push(resourceFinding(ctx, { rule: 'unreadable', severity: 'warn', resource: change.logicalId, message, evidence: [] }));
  }
  return findings;
}

/** Why a loop standing for its resources was not expanded, head's reason first; `undefined` for any other change. */
function unexpandedReason(change: ResourceChange): string | undefined {
  const reasons = [change.head?.loop?.unexpanded, change.base?.loop?.unexpanded].filter((r): r is string => r !== undefined);
  return reasons.find((r) => !r.startsWith('the other version')) ?? reasons[0];
}
