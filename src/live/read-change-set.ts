// A drift-aware change set (DeploymentMode REVERT_DRIFT) of the pull request's head template,
// as evidence of what deploying it would write over live changes. Never executed: created,
// described, and deleted in a `finally` (also when the run is aborted or fails), with its own
// timeout so an aborted run still deletes it. Named `realitycheck-<pr>-<shortsha>`; change sets
// of ours that an earlier run left behind (a crash, a kill) are deleted first.
//
// Parameters: each one the stack already has is sent as UsePreviousValue, so no value (NoEcho
// or not) is ever sent; a parameter the head adds needs its Default, else the change set is
// not made ("not checked", with the parameter's name).
import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  ListChangeSetsCommand,
  type Change,
  type CloudFormationClient,
  type DescribeChangeSetOutput,
  type Parameter,
} from '@aws-sdk/client-cloudformation';
import type { ChangeSetOverwrite, ChangeSetRead, Unreadable } from '../types.js';
import { isRecord } from '../values/cloudformation-value.js';
import { attempt, throwIfAborted, type CallLimits, type ErrorContext } from './aws-errors.js';

/** CloudFormation's limit for `TemplateBody`; a larger template must go through S3, which this app does not write to. */
export const MAX_INLINE_TEMPLATE_BYTES = 51_200;
export const CHANGE_SET_PREFIX = 'realitycheck-';
/** A change set of ours older than this is left over from a run that did not finish. */
const STALE_AFTER_MS = 15 * 60_000;
/** How long the change set may take to be created; past that it is "not checked". */
const CREATE_WAIT_MS = 120_000;
const DELETE_TIMEOUT_MS = 30_000;
const MAX_POLLS = 40;

export interface ChangeSetCalls {
  client: CloudFormationClient;
  /** Stack id (or name). */
  stack: string;
  count: () => void;
  context: ErrorContext;
  limits: CallLimits;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface ChangeSetRequest {
  pullNumber: number;
  headSha: string;
  /** The head template as the pull request has it. */
  templateBody: string;
  /** The head template's `Parameters` section (names, `Default`). */
  templateParameters: Record<string, unknown>;
  /** Parameter names the stack has now. */
  stackParameters: string[];
  /** The head template declares a `Transform` (SAM, macros). */
  transform: boolean;
}

export function changeSetName(pullNumber: number, headSha: string): string {
  return `${CHANGE_SET_PREFIX}${pullNumber}-${headSha.slice(0, 7)}`;
}

export async function readChangeSet(calls: ChangeSetCalls, request: ChangeSetRequest): Promise<ChangeSetRead> {
  const name = changeSetName(request.pullNumber, request.headSha);
  const result: ChangeSetRead = { name, status: 'not-checked', readAt: new Date(calls.now()).toISOString(), overwrites: [], driftStatus: {}, unreadable: [] };
  const notChecked = (unreadable: Unreadable): ChangeSetRead => ({ ...result, unreadable: [...result.unreadable, unreadable] });

  const bytes = Buffer.byteLength(request.templateBody, 'utf8');
  if (bytes > MAX_INLINE_TEMPLATE_BYTES) {
    return notChecked({
      api: 'cloudformation:CreateChangeSet',
      code: 'TemplateTooLarge',
      message: `the head template is ${bytes} bytes; CloudFormation takes at most ${MAX_INLINE_TEMPLATE_BYTES} bytes inline, and a larger one must be uploaded to S3, which this app does not do`,
      retryable: false,
    });
  }
  const parameters = changeSetParameters(request);
  if (!parameters.ok) return notChecked(parameters.unreadable);

  const left = await deleteLeftovers(calls, name);
  if (left) result.unreadable.push(left);

  // From here on a change set may exist, even when the call that creates it is cut off: it
  // is deleted on every way out, an abort or a bug included.
  let outcome: ChangeSetRead;
  try {
    outcome = await createAndDescribe(calls, request, name, parameters.value, result);
  } catch (error) {
    await deleteChangeSet(calls, name);
    throw error;
  }
  const deleted = await deleteChangeSet(calls, name);
  return deleted ? { ...outcome, unreadable: [...outcome.unreadable, deleted] } : outcome;
}

async function createAndDescribe(calls: ChangeSetCalls, request: ChangeSetRequest, name: string, parameters: Parameter[], result: ChangeSetRead): Promise<ChangeSetRead> {
  const notChecked = (unreadable: Unreadable): ChangeSetRead => ({ ...result, unreadable: [...result.unreadable, unreadable] });
  const create = await attempt(
    'cloudformation:CreateChangeSet',
    calls.count,
    (abortSignal) =>
      calls.client.send(
        new CreateChangeSetCommand({
          StackName: calls.stack,
          ChangeSetName: name,
          ChangeSetType: 'UPDATE',
          TemplateBody: request.templateBody,
          Parameters: parameters,
          // Acknowledged only so the change set can be made; it is never executed.
          Capabilities: request.transform ? ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'] : ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
          DeploymentMode: 'REVERT_DRIFT',
          Description: `realitycheck: what pull request #${request.pullNumber} would overwrite; never executed, deleted after reading`,
        }),
        { abortSignal },
      ),
    calls.context,
    calls.limits,
  );
  if (!create.ok) return notChecked(create.unreadable);
  const described = await waitForCreation(calls, name);
  if (!described.ok) return notChecked(described.unreadable);
  if (described.noChanges) return { ...result, status: 'no-changes' };
  const changes = await describeAll(calls, name, described.first);
  if (!changes.ok) return notChecked(changes.unreadable);
  const { overwrites, driftStatus } = toOverwrites(changes.value);
  return { ...result, status: 'complete', overwrites, driftStatus };
}

function changeSetParameters(request: ChangeSetRequest): { ok: true; value: Parameter[] } | { ok: false; unreadable: Unreadable } {
  const existing = new Set(request.stackParameters);
  const value: Parameter[] = [];
  const unknown: string[] = [];
  for (const [key, definition] of Object.entries(request.templateParameters)) {
    if (existing.has(key)) value.push({ ParameterKey: key, UsePreviousValue: true });
    else if (!isRecord(definition) || !('Default' in definition)) unknown.push(key);
  }
  if (unknown.length === 0) return { ok: true, value };
  return {
    ok: false,
    unreadable: {
      api: 'cloudformation:CreateChangeSet',
      code: 'UnknownParameterValue',
      message: `the head template adds ${unknown.join(', ')} without a Default; the value it will be deployed with is not known here, so no change set was made`,
      retryable: false,
    },
  };
}

/** Change sets of ours on the stack that a run which did not finish left behind, and one by this very name. */
async function deleteLeftovers(calls: ChangeSetCalls, name: string): Promise<Unreadable | undefined> {
  const listed = await attempt(
    'cloudformation:ListChangeSets',
    calls.count,
    (abortSignal) => calls.client.send(new ListChangeSetsCommand({ StackName: calls.stack }), { abortSignal }),
    calls.context,
    calls.limits,
  );
  if (!listed.ok) return listed.unreadable;
  const stale = (listed.value.Summaries ?? []).filter(
    (s) =>
      s.ChangeSetName?.startsWith(CHANGE_SET_PREFIX) &&
      s.ExecutionStatus !== 'EXECUTE_IN_PROGRESS' &&
      (s.ChangeSetName === name || (s.CreationTime !== undefined && calls.now() - s.CreationTime.getTime() > STALE_AFTER_MS)),
  );
  for (const summary of stale) {
    const failed = await deleteChangeSet(calls, summary.ChangeSetName!);
    if (failed) return failed;
  }
  return undefined;
}

/** Deletes by name; a change set that is already gone is fine. Bound by its own timeout: it must run when the run was aborted. */
async function deleteChangeSet(calls: ChangeSetCalls, name: string): Promise<Unreadable | undefined> {
  const deleted = await attempt(
    'cloudformation:DeleteChangeSet',
    calls.count,
    (abortSignal) => calls.client.send(new DeleteChangeSetCommand({ StackName: calls.stack, ChangeSetName: name }), { abortSignal }),
    calls.context,
    { timeoutMs: DELETE_TIMEOUT_MS },
  );
  if (deleted.ok || deleted.unreadable.code === 'ChangeSetNotFound' || deleted.unreadable.code === 'ChangeSetNotFoundException') return undefined;
  return { ...deleted.unreadable, message: `${deleted.unreadable.message.replace(/\.$/, '')}; change set ${name} was left on the stack (never executed), and the next run deletes it` };
}

/** `first`: the answer that said CREATE_COMPLETE, which holds the first page of changes. */
type Waited = { ok: true; noChanges: true } | { ok: true; noChanges: false; first: DescribeChangeSetOutput } | { ok: false; unreadable: Unreadable };

async function waitForCreation(calls: ChangeSetCalls, name: string): Promise<Waited> {
  const started = calls.now();
  let wait = 1_000;
  // bounded by time, and by count too (1 s doubling to 5 s: 120 s is under 30 polls)
  for (let poll = 1; ; poll++) {
    const described = await describePage(calls, name, undefined);
    if (!described.ok) return described;
    const { Status: status, StatusReason: reason = '' } = described.value;
    if (status === 'CREATE_COMPLETE') return { ok: true, noChanges: false, first: described.value };
    if (status === 'FAILED') {
      // CloudFormation fails a change set that changes nothing: "The submitted information
      // didn't contain changes. Submit different information to create a change set."
      if (/didn't contain changes|No updates are to be performed/i.test(reason)) return { ok: true, noChanges: true };
      return { ok: false, unreadable: { api: 'cloudformation:CreateChangeSet', code: 'ChangeSetFailed', message: `change set ${name} failed: ${reason || 'no reason given'}`, retryable: false } };
    }
    if (calls.now() - started >= CREATE_WAIT_MS || poll >= MAX_POLLS) {
      return {
        ok: false,
        unreadable: { api: 'cloudformation:DescribeChangeSet', code: 'Timeout', message: `change set ${name} was still ${status ?? 'pending'} after ${CREATE_WAIT_MS / 1000} s`, retryable: true },
      };
    }
    throwIfAborted(calls.limits.signal);
    await calls.sleep(wait, calls.limits.signal);
    wait = Math.min(wait * 2, 5_000);
  }
}

function describePage(calls: ChangeSetCalls, name: string, nextToken: string | undefined) {
  return attempt(
    'cloudformation:DescribeChangeSet',
    calls.count,
    (abortSignal) =>
      calls.client.send(
        new DescribeChangeSetCommand({ StackName: calls.stack, ChangeSetName: name, IncludePropertyValues: true, ...(nextToken ? { NextToken: nextToken } : {}) }),
        { abortSignal },
      ),
    calls.context,
    calls.limits,
  );
}

const MAX_PAGES = 50;

async function describeAll(calls: ChangeSetCalls, name: string, first: DescribeChangeSetOutput): Promise<{ ok: true; value: Change[] } | { ok: false; unreadable: Unreadable }> {
  const changes: Change[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const described: { ok: true; value: DescribeChangeSetOutput } | { ok: false; unreadable: Unreadable } = page === 0 ? { ok: true, value: first } : await describePage(calls, name, token);
    if (!described.ok) return described;
    changes.push(...(described.value.Changes ?? []));
    token = described.value.NextToken;
    if (!token) return { ok: true, value: changes };
    if (seen.has(token)) break;
    seen.add(token);
  }
  return {
    ok: false,
    unreadable: { api: 'cloudformation:DescribeChangeSet', code: 'InvalidResponse', message: `the list of changes of ${name} did not end, so it was not used`, retryable: true },
  };
}

/**
 * What the change set would write over live values: each property detail whose live value
 * differs from what the last deployment set (`Drift`) and that it would change
 * (`SyncWithActual` changes nothing: the template already matches what runs).
 */
export function toOverwrites(changes: Change[]): { overwrites: ChangeSetOverwrite[]; driftStatus: Record<string, string> } {
  const overwrites: ChangeSetOverwrite[] = [];
  const driftStatus: Record<string, string> = {};
  for (const change of changes) {
    const resource = change.ResourceChange;
    if (!resource?.LogicalResourceId) continue;
    if (resource.ResourceDriftStatus) driftStatus[resource.LogicalResourceId] = resource.ResourceDriftStatus;
    for (const detail of resource.Details ?? []) {
      const target = detail.Target;
      if (!target || (target.Attribute !== 'Properties' && target.Attribute !== 'Tags')) continue;
      const changeType = target.AttributeChangeType ?? 'Modify';
      if (changeType === 'SyncWithActual') continue;
      // `Drift` is what tells a live change from the pull request's own edit: a detail without
      // it (or whose live value is what the last deployment set) overwrites nothing live.
      const drift = target.Drift;
      if (drift === undefined || drift.ActualValue === drift.PreviousValue) continue;
      const live = drift.ActualValue ?? (target.BeforeValueFrom === 'ACTUAL_STATE' ? target.BeforeValue : undefined);
      overwrites.push({
        logicalId: resource.LogicalResourceId,
        type: resource.ResourceType ?? 'unknown',
        ...(resource.PhysicalResourceId ? { physicalId: resource.PhysicalResourceId } : {}),
        path: dotPath(target.Path, target.Attribute === 'Tags' ? 'Tags' : target.Name),
        ...(live !== undefined ? { live: parseValue(live) } : {}),
        ...(drift.PreviousValue !== undefined ? { previous: parseValue(drift.PreviousValue) } : {}),
        ...(target.AfterValue !== undefined ? { after: parseValue(target.AfterValue) } : {}),
        changeType,
      });
    }
  }
  return { overwrites, driftStatus };
}

/** `/Properties/RedrivePolicy/maxReceiveCount` -> `RedrivePolicy.maxReceiveCount`. */
function dotPath(path: string | undefined, name: string | undefined): string {
  if (!path) return name ?? '';
  return path.replace(/^\/(Properties|Tags)\/?/, (_, section: string) => (section === 'Tags' ? 'Tags/' : '')).split('/').filter(Boolean).join('.') || (name ?? '');
}

/** AWS sends values as text; JSON ones (numbers, booleans, policies, redrive policies) are read back. */
function parseValue(text: string): unknown {
  const trimmed = text.trim();
  if (/^([{[]|-?\d|true$|false$)/.test(trimmed)) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return text;
    }
  }
  return text;
}
