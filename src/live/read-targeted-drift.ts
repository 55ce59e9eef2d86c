// Drift of the resources a pull request touches, one DetectStackResourceDrift call each.
// That call is synchronous: its answer is the resource's fresh drift record, in a second or
// two, where a stack-wide DetectStackDrift takes tens of seconds to minutes (75 s seen on a
// real stack). Never throws for a cloud error; rejects only when the run is aborted.
import { DetectStackResourceDriftCommand, type StackResourceDrift } from '@aws-sdk/client-cloudformation';
import type { Unreadable } from '../types.js';
import { attempt } from './aws-errors.js';
import type { TargetedRecords } from './compute-targeted-drift.js';
import type { DriftCall } from './read-drift.js';

/**
 * Calls in flight at once. The SDK retries a throttled call itself (standard retry mode:
 * exponential backoff with jitter); a call still throttled after that stops the reads one
 * by one, and the stack-wide detection reads what is left.
 */
export const TARGETED_CONCURRENCY = 5;

const SETTLED = new Set(['IN_SYNC', 'MODIFIED', 'DELETED']);

/**
 * Reads `logicalIds`, `concurrency` at a time. A resource is settled by a record of its own
 * with a status that says something (IN_SYNC, MODIFIED, DELETED). A `ValidationError` (the
 * type does not support drift detection; the resource went away) leaves that one resource
 * unsettled; any other failure (AccessDenied, throttling, 5xx, a timeout) would hit every
 * call alike, so no further call is made and the rest are unsettled too.
 */
export async function readTargetedDrift(call: DriftCall, logicalIds: string[], concurrency = TARGETED_CONCURRENCY): Promise<TargetedRecords> {
  const queue = [...logicalIds];
  const records = new Map<string, StackResourceDrift>();
  const unsettled = new Map<string, string>();
  let stoppedBy: Unreadable | undefined;
  const next = () => (stoppedBy ? undefined : queue.shift());
  const worker = async () => {
    for (let id = next(); id !== undefined; id = next()) {
      const logicalId = id;
      const answer = await attempt(
        'cloudformation:DetectStackResourceDrift',
        call.count,
        (abortSignal) => call.client.send(new DetectStackResourceDriftCommand({ StackName: call.stack, LogicalResourceId: logicalId }), { abortSignal }),
        call.context,
        call.limits,
      );
      if (!answer.ok) {
        if (answer.unreadable.code !== 'ValidationError') stoppedBy ??= answer.unreadable;
        unsettled.set(logicalId, `DetectStackResourceDrift failed with ${answer.unreadable.code}`);
        continue;
      }
      const record = answer.value.StackResourceDrift;
      const status = record?.StackResourceDriftStatus;
      if (record && record.LogicalResourceId === logicalId && status && SETTLED.has(status)) records.set(logicalId, record);
      else unsettled.set(logicalId, record ? `DetectStackResourceDrift answered ${status ?? 'no status'}` : 'DetectStackResourceDrift answered without a drift record');
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, logicalIds.length) }, worker));
  for (const id of queue) unsettled.set(id, `not read one by one after DetectStackResourceDrift failed with ${stoppedBy!.code}`);
  return {
    // in the order asked for, so reports do not depend on which call answered first
    records: logicalIds.flatMap((id) => records.get(id) ?? []),
    unsettled: logicalIds.flatMap((id) => (unsettled.has(id) ? [{ logicalId: id, reason: unsettled.get(id)! }] : [])),
    ...(stoppedBy ? { stoppedBy } : {}),
  };
}
