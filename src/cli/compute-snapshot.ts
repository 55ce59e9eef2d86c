// A fresh read of a stack (LiveState from the CloudFormation provider) as the snapshot
// format of docs/snapshot-format.md. Pure. Refuses (returns the reasons) whenever the read
// was not whole: a snapshot is trusted later as "what was running", so one made from a
// failed or partial read must not exist. Values of secret-looking properties and NoEcho
// parameters are redacted: a snapshot is committed or uploaded.
import type { SnapshotInput } from '../live/snapshot.js';
import { SNAPSHOT_FORMAT_VERSION } from '../live/snapshot.js';
import type { LiveResource, LiveState } from '../types.js';
import { REDACTED, redactValue } from '../values/redact.js';
import { sameValue } from '../values/cloudformation-value.js';

/** What stands in for a redacted live value that differs from the (also redacted) template value: a drift stays a drift. */
export const REDACTED_DIFFERS = `${REDACTED} (differs from the template)`;

export type SnapshotOutcome = { ok: true; snapshot: SnapshotInput; notes: string[] } | { ok: false; reasons: string[] };

export function computeSnapshot(live: LiveState, producer: string): SnapshotOutcome {
  const reasons = live.unreadable.map((u) => `${u.api}: ${u.code}: ${u.message}`);
  if (!live.stack) reasons.push('the stack could not be described');
  if (!live.drift) reasons.push('no drift detection result');
  if (reasons.length > 0 || !live.stack || !live.drift) return { ok: false, reasons };
  const noEcho = new Set(live.stack.noEchoParameters);
  const notes: string[] = [];
  if (live.drift.status !== 'DETECTION_COMPLETE') {
    notes.push(`drift detection ended ${live.drift.status}${live.drift.statusReason ? ` (${live.drift.statusReason})` : ''}: resources it could not check are written as NOT_CHECKED`);
  }
  const snapshot: SnapshotInput = {
    format_version: SNAPSHOT_FORMAT_VERSION,
    source: `${producer}: CloudFormation drift detection${live.drift.reused ? ' (reused)' : ''}`,
    read_at: live.drift.checkedAt,
    stack: {
      name: live.stack.name,
      ...(live.stack.id ? { id: live.stack.id } : {}),
      status: live.stack.status,
      ...(live.stack.statusReason ? { status_reason: live.stack.statusReason } : {}),
      ...(live.stack.region && live.stack.region !== 'unknown' ? { region: live.stack.region } : {}),
      no_echo_parameters: [...live.stack.noEchoParameters],
    },
    ...(live.deployedTemplate !== undefined ? { deployed_template: live.deployedTemplate } : {}),
    resources: live.drift.resources.map((r) => toSnapshotResource(r, noEcho)),
  };
  return { ok: true, snapshot, notes };
}

function toSnapshotResource(resource: LiveResource, noEcho: ReadonlySet<string>): SnapshotInput['resources'][number] {
  // A MODIFIED resource whose differences were all normalized away is in sync (the reader agrees).
  const status = resource.status === 'MODIFIED' && resource.differences.length === 0 ? 'IN_SYNC' : resource.status;
  const differences = status === 'MODIFIED' || status === 'NOT_CHECKED' ? resource.differences.map((d) => toDifference(d, noEcho)) : [];
  return {
    logical_id: resource.logicalId,
    ...(resource.physicalId ? { physical_id: resource.physicalId } : {}),
    type: resource.type,
    status,
    ...(resource.checkedAt ? { checked_at: resource.checkedAt } : {}),
    ...(differences.length > 0 ? { differences } : {}),
  };
}

function toDifference(d: LiveResource['differences'][number], noEcho: ReadonlySet<string>) {
  const expected = redactValue(d.path, d.expected, noEcho);
  let actual = redactValue(d.path, d.actual, noEcho);
  // Both redacted to the same marker would read back as "equal", hiding the drift.
  if (d.kind === 'NOT_EQUAL' && sameValue(expected, actual) && !sameValue(d.expected, d.actual)) actual = REDACTED_DIFFERS;
  return {
    path: d.path,
    kind: d.kind,
    ...(d.kind !== 'ADD' ? { expected: expected ?? null } : {}),
    ...(d.kind !== 'REMOVE' ? { actual: actual ?? null } : {}),
  };
}
