// Drift for one stack: reuse the last detection's records, or run a new detection and wait
// for it (exponential backoff, overall bound). Never throws: failures become Unreadable.
import {
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DetectStackDriftCommand,
  type CloudFormationClient,
  type DescribeStackDriftDetectionStatusCommandOutput,
  type StackResourceDrift,
} from '@aws-sdk/client-cloudformation';
import type { DriftDetection, Unreadable } from '../types.js';
import { attempt, attemptAllPages, type ErrorContext } from './aws-errors.js';

export interface PollingOptions {
  /** First wait before asking for the detection's status. */
  initialDelayMs: number;
  /** Longest wait between two status calls (the wait doubles up to this). */
  maxDelayMs: number;
  /** Give up (code `Timeout`) when the detection runs longer than this. */
  timeoutMs: number;
}

export const DEFAULT_POLLING: PollingOptions = { initialDelayMs: 1_000, maxDelayMs: 10_000, timeoutMs: 5 * 60_000 };

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface DriftOutcome {
  detection?: Omit<DriftDetection, 'resources'>;
  /** The drift records, when a detection could be read. */
  records: StackResourceDrift[];
  unreadable: Unreadable[];
}

export interface DriftCall {
  client: CloudFormationClient;
  /** Stack id (or name) to pass to AWS. */
  stack: string;
  count: () => void;
  context: ErrorContext;
}

export async function reuseDetection(call: DriftCall, checkedAt: Date): Promise<DriftOutcome> {
  const records = await readResourceDrifts(call);
  if (!records.ok) return { records: [], unreadable: [records.unreadable] };
  return {
    detection: { reused: true, checkedAt: checkedAt.toISOString(), status: 'DETECTION_COMPLETE' },
    records: records.value,
    unreadable: [],
  };
}

export async function runDetection(call: DriftCall, polling: PollingOptions, clock: Clock): Promise<DriftOutcome> {
  const started = await attempt(
    'cloudformation:DetectStackDrift',
    call.count,
    () => call.client.send(new DetectStackDriftCommand({ StackName: call.stack })),
    call.context,
  );
  if (!started.ok) return { records: [], unreadable: [started.unreadable] };
  const detectionId = started.value.StackDriftDetectionId;
  if (!detectionId) {
    return { records: [], unreadable: [invalid('cloudformation:DetectStackDrift', 'DetectStackDrift answered without a detection id')] };
  }

  const finished = await waitForDetection(call, detectionId, polling, clock);
  if ('api' in finished) return { records: [], unreadable: [finished] };

  const unreadable: Unreadable[] = [];
  if (finished.DetectionStatus === 'DETECTION_FAILED') {
    unreadable.push({
      api: 'cloudformation:DetectStackDrift',
      code: 'DetectionFailed',
      message: `drift detection ${detectionId} failed for some resources: ${finished.DetectionStatusReason ?? 'no reason given'}`,
      retryable: false,
    });
  }
  const records = await readResourceDrifts(call);
  if (!records.ok) return { records: [], unreadable: [...unreadable, records.unreadable] };
  return {
    detection: {
      detectionId,
      reused: false,
      checkedAt: (finished.Timestamp ?? new Date(clock.now())).toISOString(),
      status: finished.DetectionStatus ?? 'DETECTION_COMPLETE',
      ...(finished.DetectionStatusReason ? { statusReason: finished.DetectionStatusReason } : {}),
    },
    records: records.value,
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
    await clock.sleep(Math.min(delay, remaining));
    const status = await attempt(
      'cloudformation:DescribeStackDriftDetectionStatus',
      call.count,
      () => call.client.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: detectionId })),
      call.context,
    );
    if (!status.ok) return status.unreadable;
    if (status.value.DetectionStatus !== 'DETECTION_IN_PROGRESS') return status.value;
    delay = Math.min(delay * 2, polling.maxDelayMs);
  }
}

function readResourceDrifts(call: DriftCall) {
  return attemptAllPages(
    'cloudformation:DescribeStackResourceDrifts',
    call.count,
    (nextToken) =>
      call.client.send(new DescribeStackResourceDriftsCommand({ StackName: call.stack, MaxResults: 100, ...(nextToken ? { NextToken: nextToken } : {}) })),
    (page) => page.StackResourceDrifts,
    call.context,
  );
}

function invalid(api: string, message: string): Unreadable {
  return { api, code: 'InvalidResponse', message, retryable: true };
}
