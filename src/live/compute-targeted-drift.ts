// Pure. Targeted detection (read-targeted-drift.ts): which resources a pull request's
// verdict rests on, the drift state made of their records alone while the stack-wide
// detection runs, and the two laid together when it lands.
import type { StackResourceDrift, StackResourceSummary } from '@aws-sdk/client-cloudformation';
import type { DriftDetection, ResourceChange, TargetedRead, Unreadable } from '../types.js';
import { fromResourceDrift, toLiveResources } from './map-resource-drift.js';
import type { DriftOutcome } from './read-drift.js';

/**
 * At most this many resources are read one by one; the rest are left to the stack-wide
 * detection. Each read is one DetectStackResourceDrift request against the account's
 * CloudFormation request rate, which deploys share; a pull request touching more than this
 * is rare, and its verdict then still comes from the first ones when they block.
 */
export const MAX_TARGETED = 25;

/**
 * The resources whose drift the blocking rules read (analyze/rules): every resource the pull
 * request changes or adds (conflict, revert, deleted; an added id may already be deployed
 * when the base diverged) and what their head definition refers to (`deleted`: a reference
 * to a resource gone live). Removed resources need no live check. Changed ones come first,
 * so the bound cuts references before them. Ids that are not resources (parameters,
 * pseudo-parameters) are dropped later, against the stack's resource list.
 */
export function computeTouchedResources(changes: ResourceChange[]): string[] {
  const kept = changes.filter((c) => c.action !== 'remove');
  const ids = new Set(kept.map((c) => c.logicalId));
  for (const change of kept) for (const id of [...(change.head?.references ?? []), ...(change.head?.dependsOn ?? [])]) ids.add(id);
  return [...ids];
}

/** What the reads one by one answered (read-targeted-drift.ts). */
export interface TargetedRecords {
  records: StackResourceDrift[];
  unsettled: TargetedRead['unsettled'];
  stoppedBy?: Unreadable;
}

/**
 * The drift state while the stack-wide detection runs: the settled resources only. A
 * targeted record is fresh by construction (written by this run's own call), so no
 * freshness rule applies to it. Unsettled resources are left out rather than reported not
 * checked: the stack-wide detection reads them, and the pipeline neither blocks nor passes
 * on them before it does.
 */
export function firstLookDrift(targeted: TargetedRecords, summaries: StackResourceSummary[], now: number): DriftDetection {
  const byId = new Map(summaries.map((s) => [s.LogicalResourceId, s]));
  const resources = targeted.records.map((record) => fromResourceDrift(record, byId.get(record.LogicalResourceId)));
  const times = targeted.records.map((r) => r.Timestamp?.getTime() ?? now);
  return {
    reused: false,
    checkedAt: new Date(times.length > 0 ? Math.max(...times) : now).toISOString(),
    status: 'DETECTION_COMPLETE',
    resources,
    targeted: {
      settled: resources.map((r) => r.logicalId),
      unsettled: targeted.unsettled,
      stackWide: 'running',
      ...(targeted.stoppedBy ? { stoppedBy: targeted.stoppedBy } : {}),
    },
  };
}

/**
 * The full drift state once the stack-wide detection ends. Settled resources keep their
 * targeted record (a verdict published on it must not change because the stack-wide read
 * came seconds later); every other resource takes the stack-wide record under its usual
 * rules (toLiveResources). A detection that did not run or finish leaves the settled
 * resources as they were and the unsettled ones not checked; its unreadable entries say
 * why, so the result is never clean.
 */
export function mergeTargetedDrift(
  first: DriftDetection,
  whole: DriftOutcome,
  summaries: StackResourceSummary[],
): { drift: DriftDetection; unreadable: Unreadable[] } {
  const targeted = first.targeted!;
  const settled = new Map(first.resources.map((r) => [r.logicalId, r]));
  if (!whole.detection) {
    const byId = new Map(summaries.map((s) => [s.LogicalResourceId, s]));
    const unchecked = targeted.unsettled.map(({ logicalId, reason }) => ({
      logicalId,
      ...(byId.get(logicalId)?.PhysicalResourceId ? { physicalId: byId.get(logicalId)!.PhysicalResourceId! } : {}),
      type: byId.get(logicalId)?.ResourceType ?? 'unknown',
      status: 'NOT_CHECKED' as const,
      differences: [],
      normalizedAway: 0,
      notCheckedReason: `${reason}, and the stack-wide drift detection did not finish`,
    }));
    return { drift: { ...first, resources: [...first.resources, ...unchecked], targeted: { ...targeted, stackWide: 'failed' } }, unreadable: whole.unreadable };
  }
  const resources = toLiveResources(summaries, whole.records, whole.recordsSince).map((r) => settled.get(r.logicalId) ?? r);
  return { drift: { ...whole.detection, resources, targeted: { ...targeted, stackWide: 'finished' } }, unreadable: whole.unreadable };
}
