// The live layer for CloudFormation: DescribeStacks, GetTemplate, ListStackResources and
// drift detection, with the real AWS SDK v3. Never throws for a cloud error: each failed
// call becomes an Unreadable naming the IAM action and AWS's reason.
import {
  DescribeStacksCommand,
  GetTemplateCommand,
  paginateListStackResources,
  type CloudFormationClient,
  type Stack,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import type { STSClient } from '@aws-sdk/client-sts';
import type { CloudFormationTarget } from '../config-types.js';
import type { LiveState, StackInfo } from '../types.js';
import { RoleCredentialCache } from './assume-role.js';
import { attempt, attemptAllPages, DEFAULT_CALL_TIMEOUT_MS, throwIfAborted, toUnreadable, type CallLimits, type ErrorContext } from './aws-errors.js';
import { ClientPool, createCloudFormationClient, createStsClient, type AwsClientSettings } from './aws-clients.js';
import { toLiveResources } from './map-resource-drift.js';
import type { LiveProvider, ReadOptions, StagedRead } from './provider.js';
import { firstLookDrift, MAX_TARGETED, mergeTargetedDrift } from './compute-targeted-drift.js';
import { readTargetedDrift } from './read-targeted-drift.js';
import type { DetectionRegistry } from './detection-registry.js';
import { DEFAULT_POLLING, judgeReuse, readResourceDrifts, runDetection, systemClock, type Clock, type DriftCall, type DriftOutcome, type PollingOptions } from './read-drift.js';

export { createCloudFormationClient, createStsClient, type AwsClientSettings } from './aws-clients.js';
export { DEFAULT_POLLING, type PollingOptions } from './read-drift.js';

export interface CloudFormationProviderOptions {
  /** SDK transport and retry settings (tests, benchmark). The default is the plain SDK. */
  aws?: AwsClientSettings;
  /** Drift detection polling; defaults 500 ms first wait, 10 s longest wait, 5 min overall. */
  polling?: Partial<PollingOptions>;
  /** Bound on each AWS call, the SDK's retries included (default 30 s). */
  callTimeoutMs?: number;
  /** Injectable clock, so tests do not wait. */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Assume the role again when its credentials expire within this many milliseconds (default 5 min). */
  roleRefreshMarginMs?: number;
  /** Detections shared with other processes (REDIS_URL): one DetectStackDrift per stack at a time. */
  detections?: DetectionRegistry;
}

const NO_ECHO_MASK = '****';

export class CloudFormationProvider implements LiveProvider<CloudFormationTarget> {
  readonly source = 'cloudformation';
  private readonly polling: PollingOptions;
  private readonly clock: Clock;
  private readonly roles: RoleCredentialCache;
  private readonly clients = new ClientPool<CloudFormationClient>((region, roleArn) =>
    createCloudFormationClient({
      ...(region ? { region } : {}),
      ...(roleArn ? { credentials: () => this.roles.get(roleArn, region) } : {}),
      ...(this.options.aws ? { settings: this.options.aws } : {}),
    }),
  );
  private readonly stsClients = new ClientPool<STSClient>((region) =>
    createStsClient({ ...(region ? { region } : {}), ...(this.options.aws ? { settings: this.options.aws } : {}) }),
  );
  /** In-flight detections, by region + stack id + role: concurrent reads share one. */
  private readonly detections = new Map<string, SharedDetection>();

  constructor(private readonly options: CloudFormationProviderOptions = {}) {
    this.polling = { ...DEFAULT_POLLING, ...options.polling };
    this.clock = { now: options.now ?? systemClock.now, sleep: options.sleep ?? systemClock.sleep };
    this.roles = new RoleCredentialCache((region) => this.stsClients.get(region), this.clock.now, options.roleRefreshMarginMs);
  }

  async read(target: CloudFormationTarget, options: ReadOptions): Promise<LiveState> {
    const staged = await this.readStaged(target, options);
    return staged.rest ? await staged.rest : staged.first;
  }

  /**
   * `read`, answering early when a new detection must run and `options.touched` names
   * resources: `first` holds their drift, read one by one, and `rest` the full state when
   * the stack-wide detection lands.
   */
  async readStaged(target: CloudFormationTarget, options: ReadOptions): Promise<StagedRead> {
    const state: LiveState = {
      target: target.name,
      source: this.source,
      readAt: new Date(this.clock.now()).toISOString(),
      unreadable: [],
      calls: 0,
    };
    const count = () => {
      state.calls += 1;
    };
    try {
      const pending = await this.readInto(state, target, options, count);
      return pending ? { first: state, rest: pending.rest } : { first: state };
    } catch (error) {
      // Cancellation is the run's to handle; it is not something AWS said.
      throwIfAborted(options.signal);
      // A bug or an SDK surprise: still never a clean result.
      state.unreadable.push({ ...toUnreadable('cloudformation', error, { stack: target.stack }), retryable: true });
      return { first: state };
    }
  }

  /** Fills `state`; returns the full state to come when only the touched resources are in it yet (wrapped: an async function would wait for it). */
  private async readInto(state: LiveState, target: CloudFormationTarget, options: ReadOptions, count: () => void): Promise<{ rest: Promise<LiveState> } | undefined> {
    const readStart = new Date();
    // 1. credentials: an assumed role fails here, named as such
    if (target.roleArn) {
      try {
        await this.roles.get(target.roleArn, target.region, count);
      } catch (error) {
        state.unreadable.push(toUnreadable('sts:AssumeRole', error, { region: target.region }));
        return;
      }
    }
    const client = this.clients.get(target.region, target.roleArn);
    const region = await client.config.region().catch(() => target.region);
    const context: ErrorContext = { stack: target.stack, ...(region ? { region } : {}) };
    const limits: CallLimits = { timeoutMs: this.options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, ...(options.signal ? { signal: options.signal } : {}) };

    // 2. the stack; nothing else makes sense without it
    const described = await attempt(
      'cloudformation:DescribeStacks',
      count,
      (abortSignal) => client.send(new DescribeStacksCommand({ StackName: target.stack }), { abortSignal }),
      context,
      limits,
    );
    if (!described.ok) {
      state.unreadable.push(described.unreadable);
      return;
    }
    const stack = described.value.Stacks?.[0];
    if (!stack?.StackName) {
      state.unreadable.push({
        api: 'cloudformation:DescribeStacks',
        code: 'ValidationError',
        message: `stack "${target.stack}" does not exist${region ? ` in ${region}` : ''} (DescribeStacks returned no stack)`,
        retryable: false,
      });
      return;
    }
    state.stack = toStackInfo(stack, region ?? 'unknown');
    const stackRef = stack.StackId ?? target.stack;
    const deployedAt = stack.LastUpdatedTime ?? stack.CreationTime;
    const fleet = this.options.detections ? { fleet: { registry: this.options.detections, when: { since: readStart, ...(deployedAt ? { notBefore: deployedAt } : {}) } } } : {};
    const call: DriftCall = { client, stack: stackRef, count, context, limits, ...fleet };

    // 3. template, resources and the records of earlier detections, side by side
    const [template, summaries, earlier] = await Promise.all([
      attempt(
        'cloudformation:GetTemplate',
        count,
        (abortSignal) => client.send(new GetTemplateCommand({ StackName: stackRef, TemplateStage: 'Original' }), { abortSignal }),
        context,
        limits,
      ),
      this.listResources(call),
      mayReuse(stack, options, this.clock.now()) ? readResourceDrifts(call) : undefined,
    ]);
    // 4. reuse those records only when each one is fresh (see judgeReuse); else detect again
    const reuse =
      earlier?.ok && summaries.ok
        ? judgeReuse(earlier.value, summaries.value, { ...(deployedAt ? { deployedAt } : {}), now: this.clock.now(), maxAgeMs: options.maxDriftAgeMs })
        : { reusable: false as const };
    const key = `${region ?? ''}|${stackRef}|${target.roleArn ?? ''}`;
    // A new detection takes a minute or more on a large stack: the resources the pull request
    // touches are read one by one meanwhile (targeted detection, step 5).
    const staged = options.touched !== undefined && summaries.ok && !reuse.reusable && !(earlier && !earlier.ok);
    // Records that could not be read are reported as such: a new detection would end in the
    // same DescribeStackResourceDrifts call.
    const drift: DriftOutcome | undefined =
      earlier && !earlier.ok
        ? { records: [], unreadable: [earlier.unreadable] }
        : reuse.reusable
          ? { detection: { reused: true, checkedAt: reuse.checkedAt.toISOString(), status: 'DETECTION_COMPLETE' }, records: earlier!.ok ? earlier!.value : [], unreadable: [] }
          : staged
            ? undefined
            : await this.detect(call, key);

    if (template.ok) {
      if (template.value.TemplateBody !== undefined) state.deployedTemplate = template.value.TemplateBody;
    } else {
      state.unreadable.push(template.unreadable);
    }
    if (!summaries.ok) state.unreadable.push(summaries.unreadable);
    if (drift) {
      state.unreadable.push(...drift.unreadable);
      if (drift.detection) {
        state.drift = { ...drift.detection, resources: toLiveResources(summaries.ok ? summaries.value : undefined, drift.records, drift.recordsSince) };
      }
      return undefined;
    }
    return summaries.ok ? this.readTargeted(state, call, key, options.touched ?? [], summaries.value) : undefined;
  }

  /**
   * 5. targeted detection: the stack-wide detection starts (shared as ever), the touched
   * resources are read one by one (read-targeted-drift.ts) into `state`, and the full state
   * follows when the detection lands, their records kept (compute-targeted-drift.ts).
   */
  private async readTargeted(state: LiveState, call: DriftCall, key: string, touched: string[], summaries: StackResourceSummary[]): Promise<{ rest: Promise<LiveState> }> {
    const whole = this.detect(call, key);
    whole.catch(() => {}); // awaited below; a run aborted before then must not leave it unhandled
    const deployed = new Set(summaries.map((s) => s.LogicalResourceId));
    const ids = touched.filter((id) => deployed.has(id));
    const targeted = await readTargetedDrift(call, ids.slice(0, MAX_TARGETED));
    const beyond = ids.slice(MAX_TARGETED).map((logicalId) => ({ logicalId, reason: `more than ${MAX_TARGETED} resources are read one by one` }));
    state.drift = firstLookDrift({ ...targeted, unsettled: [...targeted.unsettled, ...beyond] }, summaries, this.clock.now());
    const first = state.drift;
    const known = [...state.unreadable];
    const rest = whole.then((outcome): LiveState => {
      const merged = mergeTargetedDrift(first, outcome, summaries);
      return { ...state, drift: merged.drift, unreadable: [...known, ...merged.unreadable] };
    });
    rest.catch(() => {}); // the caller may stop before it awaits it (an aborted run)
    return { rest };
  }

  private listResources(call: DriftCall) {
    return attemptAllPages(
      'cloudformation:ListStackResources',
      call.count,
      (abortSignal) => paginateListStackResources({ client: call.client }, { StackName: call.stack }, { abortSignal }),
      (page) => page.StackResourceSummaries,
      call.context,
      call.limits,
    );
  }

  /**
   * A new detection, shared by concurrent reads of the same stack. It runs under its own
   * signal: a read that is aborted leaves it, and the last read to leave stops it, so a
   * superseded run does not keep polling AWS.
   */
  private async detect(call: DriftCall, key: string): Promise<DriftOutcome> {
    let shared = this.detections.get(key);
    if (!shared) {
      const controller = new AbortController();
      const own: DriftCall = { ...call, limits: { timeoutMs: call.limits.timeoutMs, signal: controller.signal } };
      const outcome = runDetection(own, this.polling, this.clock).finally(() => {
        if (this.detections.get(key) === created) this.detections.delete(key);
      });
      outcome.catch(() => {}); // every reader handles it; nobody may be left to
      const created: SharedDetection = { outcome, controller, readers: 0 };
      shared = created;
      this.detections.set(key, shared);
    }
    const joined = shared;
    joined.readers += 1;
    try {
      return await untilAborted(joined.outcome, call.limits.signal);
    } finally {
      joined.readers -= 1;
      if (joined.readers === 0 && call.limits.signal?.aborted) {
        joined.controller.abort(call.limits.signal.reason);
        if (this.detections.get(key) === joined) this.detections.delete(key);
      }
    }
  }
}

interface SharedDetection {
  outcome: Promise<DriftOutcome>;
  controller: AbortController;
  readers: number;
}

/**
 * A cheap first look before any record is read: no earlier detection, one older than
 * `maxDriftAge` or than the last deploy, or a re-check someone asked for, cannot be reused.
 * Passing it proves nothing (LastCheckTimestamp is when a detection was *started*, on the
 * stack or any one resource): judgeReuse decides on the records themselves.
 */
function mayReuse(stack: Stack, options: ReadOptions, now: number): boolean {
  const last = stack.DriftInformation?.LastCheckTimestamp;
  const status = stack.DriftInformation?.StackDriftStatus;
  const deployedAt = stack.LastUpdatedTime ?? stack.CreationTime;
  return (
    !options.forceDetection &&
    last !== undefined &&
    (status === 'DRIFTED' || status === 'IN_SYNC') &&
    (deployedAt === undefined || deployedAt.getTime() < last.getTime()) &&
    now - last.getTime() < options.maxDriftAgeMs
  );
}

/** `promise`, or a rejection with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  throwIfAborted(signal);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function toStackInfo(stack: Stack, region: string): StackInfo {
  return {
    name: stack.StackName!,
    ...(stack.StackId ? { id: stack.StackId } : {}),
    status: stack.StackStatus ?? 'UNKNOWN',
    ...(stack.StackStatusReason ? { statusReason: stack.StackStatusReason } : {}),
    region,
    noEchoParameters: (stack.Parameters ?? []).filter((p) => p.ParameterValue === NO_ECHO_MASK && p.ParameterKey).map((p) => p.ParameterKey!),
  };
}
