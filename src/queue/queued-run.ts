// A run as the distributed engine stores it: plain data a worker in another process turns
// back into the webhook's context (an installation's Octokit, Probot's `context.config`).
import { Context, type Probot } from 'probot';
import type { RunRequest } from '../app.js';
import { readPullRequest } from '../github/read-pull-request.js';
import type { PullRequestRef } from '../github/pull-request.js';
import type { Octokit } from '../github/octokit.js';
import type { PlanHints } from '../read-terraform.js';
import { SupersededError } from './queue.js';
import type { QueuedRun, RedisRunQueue, RunAttempt } from './redis-run-queue.js';

export interface RedisSettings {
  url: string;
  /** Runs at once in this process; 0 = enqueue only. Default: REALITYCHECK_CONCURRENCY, or 0 with REALITYCHECK_WORKER=off. */
  concurrency?: number;
  prefix?: string;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export interface RunPayload {
  event: string;
  installationId: number;
  owner: string;
  repo: string;
  number: number;
  /** The pull request as the webhook carried it; absent: read when the run starts. */
  pullRequest?: PullRequestRef;
  forceDetection: boolean;
  reuseCheck: boolean;
  plan?: PlanHints;
}

/** A scheduled auto-mode reconcile as a Job Scheduler stores it: what a worker needs to run it. */
export interface ScheduledReconcile {
  installationId: number;
  owner: string;
  repo: string;
  defaultBranch: string;
  everyMs: number;
}

export function redisFromEnv(env: NodeJS.ProcessEnv = process.env): RedisSettings | undefined {
  const url = env.REDIS_URL?.trim();
  return url ? { url } : undefined;
}

export function toQueuedRun(context: Context, request: RunRequest, description?: string): QueuedRun<RunPayload> {
  const { owner, repo } = context.repo();
  const installationId = (context.payload as { installation?: { id?: unknown } }).installation?.id;
  if (typeof installationId !== 'number') throw new Error(`${context.name} event without an installation id: the run cannot be queued`);
  const key = `${owner}/${repo}#${request.number}`;
  // Every lazy `pullRequest` in the handlers reads the pull request by number: the worker does the same.
  const payload: RunPayload = {
    event: context.name,
    installationId,
    owner,
    repo,
    number: request.number,
    ...(typeof request.pullRequest === 'function' ? {} : { pullRequest: request.pullRequest }),
    forceDetection: request.forceDetection,
    reuseCheck: request.reuseCheck ?? false,
    ...(request.plan ? { plan: request.plan } : {}),
  };
  return { key, description: description ?? key, payload, deliveryId: context.id };
}

/** The webhook's context again, in whichever process took the job: the installation's client, the repository. */
export async function fromQueuedRun(app: Probot, payload: RunPayload, deliveryId: string | undefined): Promise<{ context: Context; request: RunRequest }> {
  const octokit = await app.auth(payload.installationId);
  const event = {
    id: deliveryId ?? `queued-${payload.owner}/${payload.repo}#${payload.number}`,
    name: payload.event,
    payload: { installation: { id: payload.installationId }, repository: { name: payload.repo, owner: { login: payload.owner } } },
  };
  const context = new Context(event as ConstructorParameters<typeof Context>[0], octokit, app.log.child({ name: 'realitycheck' }));
  const repo = { owner: payload.owner, repo: payload.repo };
  const request: RunRequest = {
    number: payload.number,
    pullRequest: payload.pullRequest ?? (() => readPullRequest(context.octokit, repo, payload.number)),
    forceDetection: payload.forceDetection,
    reuseCheck: payload.reuseCheck,
    ...(payload.plan ? { plan: payload.plan } : {}),
  };
  return { context, request };
}

const guarded = new WeakSet<object>();

/**
 * Before each GitHub write of a queued run: is it still the newest run of its pull request?
 * If not, the run is aborted there (superseded), so it never writes over a newer one. The
 * writes that close an aborted run's own check run (`cancelled`) pass.
 */
export function guardWrites(octokit: Octokit, signal: AbortSignal, attempt: RunAttempt): void {
  if (guarded.has(octokit)) return;
  guarded.add(octokit);
  octokit.hook.before('request', async (options) => {
    if (options.method === 'GET' || signal.aborted) return;
    if (await attempt.isCurrent()) return;
    throw signal.reason instanceof Error ? signal.reason : new SupersededError(String(options.url));
  });
}

/** SIGTERM/SIGINT: stop taking jobs, let the running ones finish, then exit. */
export function closeOnSignals(app: Probot, queue: RedisRunQueue<RunPayload>): void {
  let closing = false;
  const close = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal}: draining the queue worker (running jobs finish; waiting ones stay in Redis)`);
    void queue.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
}
