// Drift for one stack: reuse the records of earlier detections when each one is fresh enough
// to trust, or run a new detection and wait for it (a first look after 500 ms, then
// exponential backoff, overall bound). Never throws for a cloud error: failures become
// Unreadable. Rejects only when the run is aborted.
import { setTimeout as sleepFor } from 'node:timers/promises';
import {
  DescribeStackDriftDetectionStatusCommand,
  DetectStackDriftCommand,
  paginateDescribeStackResourceDrifts,
  type CloudFormationClient,
  type DescribeStackDriftDetectionStatusCommandOutput,
  type StackResourceDrift,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import type { DriftDetection, Unreadable } from '../types.js';
import type { DetectionRegistry, JoinRule, StartResult } from './detection-registry.js';
import { attempt, attemptAllPages, throwIfAborted, type Attempt, type CallLimits, type ErrorContext } from './aws-errors.js';

export interface PollingOptions {
  /** First wait before asking for the detection's status. */
  initialDelayMs: number;
  /** Longest wait between two status calls (the wait doubles up to this). */
  maxDelayMs: number;
  /** Give up (code `Timeout`) when the detection runs longer than this. */
  timeoutMs: number;
}

/** Small stacks finish in a second or two: look early, then back off. */
export const DEFAULT_POLLING: PollingOptions = { initialDelayMs: 500, maxDelayMs: 10_000, timeoutMs: 5 * 60_000 };

export interface Clock {
  now(): number;
  /** Waits `ms`; rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: Date.now,
  sleep: (ms, signal) => sleepFor(ms, undefined, signal ? { signal } : {}),
};

export interface DriftOutcome {
  detection?: Omit<DriftDetection, 'resources'>;
  /** The drift records, when they could be read. */
  records: StackResourceDrift[];
  /**
   * Records older than this were not written by the detection that was run (it failed for
   * their resource, or skipped it): they say nothing about now.
   */
  recordsSince?: Date;
  unreadable: Unreadable[];
}

export interface DriftCall {
  client: CloudFormationClient;
  /** With a registry shared by every process: one detection per stack across them (detection-registry.ts). */
  fleet?: { registry: DetectionRegistry; when: JoinRule };
  /** Stack id (or name) to pass to AWS. */
  stack: string;
  count: () => void;
  context: ErrorContext;
  limits: CallLimits;
}

export function readResourceDrifts(call: DriftCall): Promise<Attempt<StackResourceDrift[]>> {
  return attemptAllPages(
    'cloudformation:DescribeStackResourceDrifts',
    call.count,
    (abortSignal) => paginateDescribeStackResourceDrifts({ client: call.client, pageSize: 100 }, { StackName: call.stack }, { abortSignal }),
    (page) => page.StackResourceDrifts,
    call.context,
    call.limits,
  );
}

export interface Freshness {
  /** When the stack was last deployed (LastUpdatedTime, else CreationTime). */
  deployedAt?: Date;
  now: number;
  maxAgeMs: number;
}

/**
 * Whether the records of earlier detections can stand in for a new one, and if so how old
 * the oldest is. The stack's `LastCheckTimestamp` cannot tell: AWS sets it when a detection
 * is *initiated*, on the stack or on any one resource, so a detection still running, or one
 * `DetectStackResourceDrift` call, makes it look fresh while most records predate the last
 * deploy. Each record carries the time its resource was checked: every record must be newer
 * than the deploy, than its resource's own last update, and than `maxAgeMs`. Resources
 * without a record (types drift detection does not support) stay not checked either way.
 * Records that targeted detection wrote (one DetectStackResourceDrift per touched resource,
 * read-targeted-drift.ts) are judged here like any other when a later run reads them; the
 * run that wrote them uses them directly, fresh by construction.
 */
export function judgeReuse(records: StackResourceDrift[], summaries: StackResourceSummary[], freshness: Freshness): { reusable: true; checkedAt: Date } | { reusable: false } {
  if (records.length === 0) return { reusable: false };
  const updated = new Map(summaries.map((s) => [s.LogicalResourceId, s.LastUpdatedTimestamp]));
  let oldest: Date | undefined;
  for (const record of records) {
    const at = record.Timestamp;
    if (!at) return { reusable: false };
    if (freshness.deployedAt && at.getTime() <= freshness.deployedAt.getTime()) return { reusable: false };
    const resourceUpdated = updated.get(record.LogicalResourceId);
    if (resourceUpdated && at.getTime() <= resourceUpdated.getTime()) return { reusable: false };
    if (freshness.now - at.getTime() >= freshness.maxAgeMs) return { reusable: false };
    if (!oldest || at < oldest) oldest = at;
  }
  return { reusable: true, checkedAt: oldest! };
}

export async function runDetection(call: DriftCall, polling: PollingOptions, clock: Clock): Promise<DriftOutcome> {
  const start = async (): Promise<StartResult> => {
    const started = await attempt(
      'cloudformation:DetectStackDrift',
      call.count,
      (abortSignal) => call.client.send(new DetectStackDriftCommand({ StackName: call.stack }), { abortSignal }),
      call.context,
      call.limits,
    );
    if (!started.ok) return { ok: false, failure: started.unreadable };
    const id = started.value.StackDriftDetectionId;
    if (!id) return { ok: false, failure: invalid('cloudformation:DetectStackDrift', 'DetectStackDrift answered without a detection id') };
    return { ok: true, detectionId: id };
  };
  const fleet = call.fleet;
  const started = fleet ? await fleet.registry.startOrJoin(call.stack, fleet.when, start) : await start();
  if (!started.ok) return { records: [], unreadable: [started.failure as Unreadable] };
  const { detectionId } = started;

  const finished = await waitForDetection(call, detectionId, polling, clock).finally(() => {
    if (fleet) void fleet.registry.finished(call.stack, detectionId).catch(() => undefined);
  });
  if ('api' in finished) return { records: [], unreadable: [finished] };

  const unreadable: Unreadable[] = [];
  const status = finished.DetectionStatus;
  if (status === 'DETECTION_FAILED') {
    unreadable.push({
      api: 'cloudformation:DetectStackDrift',
      code: 'DetectionFailed',
      message: `drift detection ${detectionId} failed for some resources: ${finished.DetectionStatusReason ?? 'no reason given'}`,
      retryable: false,
    });
  } else if (status !== 'DETECTION_COMPLETE') {
    unreadable.push(invalid('cloudformation:DescribeStackDriftDetectionStatus', `drift detection ${detectionId} ended with status ${JSON.stringify(status ?? null)}`));
  }
  const records = await readResourceDrifts(call);
  if (!records.ok) return { records: [], unreadable: [...unreadable, records.unreadable] };
  return {
    detection: {
      detectionId,
      reused: false,
      checkedAt: (finished.Timestamp ?? new Date(clock.now())).toISOString(),
      status: status ?? 'UNKNOWN',
      ...(finished.DetectionStatusReason ? { statusReason: finished.DetectionStatusReason } : {}),
    },
    records: records.value,
    // Without the detection's start time no record can be told to be its own.
    recordsSince: finished.Timestamp ?? new Date(8.64e15),
    unreadable,
  };
}

async function waitForDetection(
  call: DriftCall,
  detectionId: string,
  polling: PollingOptions,
  clock: Clock,
): Promise<DescribeStackDriftDetectionStatusCommandOutput | Unreadable> {
  const start = clock.now();
  let delay = polling.initialDelayMs;
  for (;;) {
    const remaining = polling.timeoutMs - (clock.now() - start);
    if (remaining <= 0) {
      return {
        api: 'cloudformation:DetectStackDrift',
        code: 'Timeout',
        message: `drift detection ${detectionId} was still in progress after ${Math.round(polling.timeoutMs / 1000)} s`,
        retryable: true,
      };
    }
    try {
      await clock.sleep(Math.min(delay, remaining), call.limits.signal);
    } catch (error) {
      throwIfAborted(call.limits.signal);
      throw error;
    }
    throwIfAborted(call.limits.signal);
    const status = await attempt(
      'cloudformation:DescribeStackDriftDetectionStatus',
      call.count,
      (abortSignal) => call.client.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: detectionId }), { abortSignal }),
      call.context,
      call.limits,
    );
    if (!status.ok) return status.unreadable;
    if (status.value.DetectionStatus !== 'DETECTION_IN_PROGRESS') return status.value;
    delay = Math.min(delay * 2, polling.maxDelayMs);
  }
}

function invalid(api: string, message: string): Unreadable {
  return { api, code: 'InvalidResponse', message, retryable: true };
}
