// Pure. CloudFormation's resource listings and drift records -> LiveResource.
import type { PropertyDifference as AwsPropertyDifference, StackResourceDrift, StackResourceSummary } from '@aws-sdk/client-cloudformation';
import type { LiveResource, PropertyDifference, ResourceDriftStatus } from '../types.js';
import { normalizeResourceDrift } from './normalize-drift.js';

/**
 * One LiveResource per resource in the stack (ListStackResources), with its drift record
 * when there is one; a resource without a record was not checked. When the listing could
 * not be read, the drift records alone.
 *
 * A record is only evidence about now when it is newer than `since` (the start of the
 * detection that was run: an older record is left over from an earlier one, for a resource
 * this detection failed on or skipped) and newer than its resource's last update. Any
 * other record makes its resource NOT_CHECKED, with the reason.
 */
export function toLiveResources(summaries: StackResourceSummary[] | undefined, drifts: StackResourceDrift[], since?: Date): LiveResource[] {
  const byId = new Map(drifts.filter((d) => d.LogicalResourceId).map((d) => [d.LogicalResourceId!, d]));
  const fromRecord = (drift: StackResourceDrift, summary?: StackResourceSummary): LiveResource => {
    const stale = staleness(drift, summary, since);
    if (!stale) return fromResourceDrift(drift, summary);
    const physicalId = summary?.PhysicalResourceId ?? drift.PhysicalResourceId;
    return {
      logicalId: drift.LogicalResourceId!,
      ...(physicalId ? { physicalId } : {}),
      type: drift.ResourceType ?? summary?.ResourceType ?? 'unknown',
      status: 'NOT_CHECKED',
      differences: [],
      normalizedAway: 0,
      notCheckedReason: stale,
    };
  };
  if (!summaries) return drifts.filter((d) => d.LogicalResourceId).map((d) => fromRecord(d));
  return summaries
    .filter((s) => s.LogicalResourceId)
    .map((s) => {
      const drift = byId.get(s.LogicalResourceId!);
      if (drift) return fromRecord(drift, s);
      return {
        logicalId: s.LogicalResourceId!,
        ...(s.PhysicalResourceId ? { physicalId: s.PhysicalResourceId } : {}),
        type: s.ResourceType ?? 'unknown',
        status: 'NOT_CHECKED',
        differences: [],
        normalizedAway: 0,
      };
    });
}

/** Why a record says nothing about now, or `undefined` when it does. */
function staleness(drift: StackResourceDrift, summary: StackResourceSummary | undefined, since: Date | undefined): string | undefined {
  const at = drift.Timestamp;
  if (!at) return 'its drift record has no check time';
  if (since && at.getTime() < since.getTime()) {
    return `the drift detection did not check it (its last drift record is from ${at.toISOString()}, before the detection started)`;
  }
  const updated = summary?.LastUpdatedTimestamp;
  if (updated && at.getTime() <= updated.getTime()) {
    return `its drift record (${at.toISOString()}) predates its last update (${updated.toISOString()})`;
  }
  return undefined;
}

export function fromResourceDrift(drift: StackResourceDrift, summary?: StackResourceSummary): LiveResource {
  const physicalId = summary?.PhysicalResourceId ?? drift.PhysicalResourceId;
  const normalized = normalizeResourceDrift({
    status: toStatus(drift.StackResourceDriftStatus),
    differences: (drift.PropertyDifferences ?? []).map(toDifference),
    expectedProperties: drift.ExpectedProperties,
    actualProperties: drift.ActualProperties,
  });
  return {
    logicalId: drift.LogicalResourceId!,
    ...(physicalId ? { physicalId } : {}),
    type: drift.ResourceType ?? summary?.ResourceType ?? 'unknown',
    ...normalized,
    ...(drift.Timestamp ? { checkedAt: drift.Timestamp.toISOString() } : {}),
  };
}

function toStatus(status: string | undefined): ResourceDriftStatus {
  return status === 'IN_SYNC' || status === 'MODIFIED' || status === 'DELETED' ? status : 'NOT_CHECKED';
}

function toDifference(d: AwsPropertyDifference): PropertyDifference {
  const kind = d.DifferenceType === 'ADD' || d.DifferenceType === 'REMOVE' ? d.DifferenceType : 'NOT_EQUAL';
  return {
    path: pointerToPath(d.PropertyPath ?? ''),
    expected: kind === 'ADD' ? undefined : parseAwsValue(d.ExpectedValue),
    actual: kind === 'REMOVE' ? undefined : parseAwsValue(d.ActualValue),
    kind,
  };
}

/** `/Tags/0/Value` -> `Tags.0.Value` (JSON pointer escapes `~1` and `~0` undone). */
export function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .filter((s) => s !== '')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

/**
 * AWS gives every value as a string. JSON objects, lists, booleans and null are parsed;
 * numbers only when the text is the number's own spelling (`"30"`, not `"1.10"` or `"007"`,
 * which are names and versions); everything else stays the string it is.
 */
export function parseAwsValue(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === 'true' || text === 'false' || text === 'null') return JSON.parse(text) as unknown;
  if (/^-?\d/.test(text)) {
    const n = Number(text);
    return Number.isFinite(n) && String(n) === text ? n : value;
  }
  if (text.startsWith('{') || text.startsWith('[') || text.startsWith('"')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}
