// unreadable, per resource: the PR changes a resource whose live state drift detection did
// not check. Without this the report would say "matches what is running" for a change that
// was never compared with anything (a false all-clear). The default severity is warn; the
// verdict applies `policy.unreadable`, and a finding of this rule keeps the conclusion from
// being `success` whatever its severity.
import type { Finding, LiveResource, ResourceChange } from '../../types.js';
import { type RuleContext, driftEvidence, resourceFinding } from '../context.js';
import { listWords } from '../values.js';
import { updatesResource } from './conflict-revert.js';

const UNVERIFIED = 'so this change could not be verified against live state.';

/**
 * Why `live` (NOT_CHECKED, or absent) says nothing about the resource; `undefined` when it
 * does after all (every difference that made it unverifiable was ignored by the team).
 */
function reason(ctx: RuleContext, change: ResourceChange, live: LiveResource | undefined): { message: string; live?: LiveResource } | undefined {
  const id = change.logicalId;
  const drift = ctx.input.live.drift!;
  if (!live) {
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
    drift.status === 'DETECTION_COMPLETE'
      ? `${live.type} is not supported by drift detection`
      : `drift detection ended ${drift.status} without checking it`;
  return { message: `Drift detection did not check ${id} (${why}), ${UNVERIFIED}` };
}

/**
 * One finding per resource the PR changes in a way that deploys (see `updatesResource`)
 * whose live entry is NOT_CHECKED or missing from the drift results. Not for resources
 * the PR adds (they do not exist live yet) or removes (deleting needs no live check), and
 * not when drift could not be read at all (the stack-wide `unreadable` finding says so).
 */
export function uncheckedChangeFindings(ctx: RuleContext): Finding[] {
  if (!ctx.input.live.drift) return [];
  const findings: Finding[] = [];
  for (const change of ctx.changes.values()) {
    if (change.action !== 'change' || !updatesResource(change)) continue;
    const live = ctx.live.get(change.logicalId);
    if (live && live.status !== 'NOT_CHECKED') continue;
    const found = reason(ctx, change, live);
    if (!found) continue;
    const evidence = found.live ? found.live.differences.map((d) => driftEvidence(ctx, change.logicalId, d)) : [];
    findings.push(resourceFinding(ctx, { rule: 'unreadable', severity: 'warn', resource: change.logicalId, message: found.message, evidence }));
  }
  return findings;
}
