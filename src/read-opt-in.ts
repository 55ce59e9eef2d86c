// Step 3 for a CloudFormation target that opts in to more than drift detection: the drift read
// (as before), and beside it the drift-aware change set (`changeSet: true`, started first: it
// takes the longest) and, once the drift read has given the physical ids, Cloud Control's
// model of each resource the pull request changes (`undeclared: true`). With both options off
// this is the drift read and nothing else: no other AWS call.
import type { CloudFormationTarget } from './config-types.js';
import type { PullRequestRef } from './github/pull-request.js';
import type { LiveProviders } from './live/registry.js';
import type { UndeclaredTarget } from './live/read-undeclared.js';
import type { ChangeSetRead, DeclaredTemplate, LiveState, ResourceChange, UndeclaredRead, Unreadable } from './types.js';
import { isRecord } from './values/cloudformation-value.js';

export interface OptInInput {
  pr: Pick<PullRequestRef, 'number' | 'headSha'>;
  target: CloudFormationTarget;
  changes: ResourceChange[];
  head: DeclaredTemplate | undefined;
  headText: string | undefined;
  signal?: AbortSignal;
}

export async function readLiveWithOptIns(
  reader: LiveProviders['cloudformationOptIn'],
  input: OptInInput,
  readLive: () => Promise<LiveState>,
): Promise<LiveState> {
  const { target } = input;
  if (!target.undeclared && !target.changeSet) return readLive();
  const unavailable = target.snapshot
    ? `the target reads a live-state snapshot (${target.snapshot}), not AWS`
    : !reader
      ? 'this app was started without the CloudFormation opt-in reader'
      : undefined;
  if (unavailable !== undefined || !reader) {
    const live = await readLive();
    return {
      ...live,
      ...(target.undeclared ? { undeclared: undeclaredNotRead(live.readAt, unavailableEntry('cloudcontrol:GetResource', unavailable!)) } : {}),
      ...(target.changeSet ? { changeSet: changeSetNotRead(live.readAt, unavailableEntry('cloudformation:CreateChangeSet', unavailable!)) } : {}),
    };
  }

  // A pull request that changes no resource (a comment, a description) overwrites nothing.
  const changeSet = target.changeSet && input.changes.length > 0 ? startChangeSet(reader, input) : undefined;
  let live: LiveState;
  try {
    live = await readLive();
  } catch (error) {
    // aborted: the change set deletes itself on the way out; wait for that before giving up
    await changeSet?.catch(() => {});
    throw error;
  }
  let undeclared: UndeclaredRead | undefined;
  try {
    undeclared = target.undeclared ? await reader.readUndeclared(target, undeclaredTargets(input, live), physicalIds(live), input.signal) : undefined;
  } catch (error) {
    await changeSet?.catch(() => {});
    throw error;
  }
  return { ...live, ...(undeclared ? { undeclared } : {}), ...(changeSet ? { changeSet: await changeSet } : {}) };
}

function startChangeSet(reader: NonNullable<LiveProviders['cloudformationOptIn']>, input: OptInInput): Promise<ChangeSetRead> {
  const { head, headText } = input;
  if (!head || headText === undefined) {
    const entry = unavailableEntry('cloudformation:CreateChangeSet', 'the pull request deletes the template, so there is nothing to make a change set of');
    return Promise.resolve(changeSetNotRead(new Date().toISOString(), entry));
  }
  const parameters = head.sections?.Parameters;
  return reader.readChangeSet(
    input.target,
    {
      pullNumber: input.pr.number,
      headSha: input.pr.headSha,
      templateBody: headText,
      templateParameters: isRecord(parameters) ? parameters : {},
      transform: head.sections?.Transform !== undefined,
    },
    input.signal,
  );
}

/**
 * The resources the pull request changes in place (an added one is not live yet, a removed
 * one goes away, a deleted one is the `deleted` rule's), by the type the stack reports.
 */
function undeclaredTargets(input: OptInInput, live: LiveState): UndeclaredTarget[] {
  const ids = physicalIds(live);
  const byId = new Map((live.drift?.resources ?? []).map((r) => [r.logicalId, r]));
  return input.changes
    .filter((change) => change.action === 'change' && change.head && byId.get(change.logicalId)?.status !== 'DELETED')
    .map((change) => ({
      logicalId: change.logicalId,
      type: byId.get(change.logicalId)?.type ?? change.head!.type,
      declaredType: change.head!.type,
      ...(ids.has(change.logicalId) ? { physicalId: ids.get(change.logicalId)! } : {}),
      declared: change.head!.properties,
    }));
}

function physicalIds(live: LiveState): Map<string, string> {
  const ids = new Map<string, string>();
  for (const resource of live.drift?.resources ?? []) if (resource.physicalId) ids.set(resource.logicalId, resource.physicalId);
  return ids;
}

function unavailableEntry(api: string, reason: string): Unreadable {
  return { api, code: 'NotAvailable', message: reason, retryable: false };
}

function undeclaredNotRead(readAt: string, entry: Unreadable): UndeclaredRead {
  return { readAt, stackTags: {}, resources: [], unreadable: [entry] };
}

function changeSetNotRead(readAt: string, entry: Unreadable): ChangeSetRead {
  return { name: '', status: 'not-checked', readAt, overwrites: [], driftStatus: {}, unreadable: [entry] };
}
