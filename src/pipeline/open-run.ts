// A run's fixed facts, worked out once: the repository, the log key, the comment's order
// marker, the app id, and the signal that stops it (superseded, or past its deadline).
import { readAppId } from '../github/octokit.js';
import type { RepoRef } from '../github/octokit.js';
import type { PullRequestRef } from '../github/pull-request.js';
import { SupersededError } from '../queue/queue.js';
import type { PipelineDeps, RunOptions } from './types.js';

export const DEFAULT_RUN_TIMEOUT_MS = 10 * 60_000;

export interface Run {
  deps: PipelineDeps;
  pr: PullRequestRef;
  options: RunOptions;
  repo: RepoRef;
  /** `owner/repo#number`, for logs. */
  key: string;
  /** The push this run is for; a comment from a newer one is never overwritten. */
  order: { updatedAt: string; headSha: string };
  appId: number | undefined;
  timeoutMs: number;
  /** Aborts when a newer run supersedes this one or the deadline passes; `abortReason` tells which. */
  signal: AbortSignal;
}

export async function openRun(deps: PipelineDeps, pr: PullRequestRef, options: RunOptions): Promise<Run> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
  return {
    deps,
    pr,
    options,
    repo: { owner: pr.owner, repo: pr.repo },
    key: `${pr.owner}/${pr.repo}#${pr.number}`,
    order: { updatedAt: pr.updatedAt, headSha: pr.headSha },
    appId: await readAppId(deps.octokit),
    timeoutMs,
    signal: AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]),
  };
}

/** Why the run's signal fired, if it did: a newer run, or the deadline (`AbortSignal.timeout` aborts with a `TimeoutError`). */
export function abortReason(run: Run): 'superseded' | 'deadline' | 'stopped' | undefined {
  if (!run.signal.aborted) return undefined;
  const reason: unknown = run.signal.reason;
  if (reason instanceof SupersededError) return 'superseded';
  if (reason instanceof Error && reason.name === 'TimeoutError') return 'deadline';
  return 'stopped'; // aborted for a reason this code does not know: a run that could not finish
}

/** Stops here when the run was aborted: its result must not be published. */
export function throwIfAborted(run: Run): void {
  run.signal.throwIfAborted();
}

/** `10 min`, `90 s`, `1 h`, `250 ms`: a run's deadline, for people. */
export function formatDeadline(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}
