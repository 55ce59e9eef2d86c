// Wires webhook events to handlers and handlers to the queue. Nothing else happens here.
import type { ApplicationFunction, Context } from 'probot';
import { CONFIG_NAME, parseDuration } from './config.js';
import { CloudFormationProvider, type CloudFormationProviderOptions } from './live/cloudformation.js';
import { CloudFormationOptInReader } from './live/cloudformation-opt-in.js';
import type { LiveProviders } from './live/registry.js';
import { SnapshotProvider } from './live/snapshot.js';
import { TerraformStateSource, type TerraformStateSourceOptions } from './live/terraform-state/index.js';
import { InProcessQueue, type JobQueue } from './queue/queue.js';
import { ReferenceSource, type ReferenceSourceOptions } from './references/read-live-references.js';
import { runPipeline } from './pipeline.js';
import { DEFAULT_RUN_TIMEOUT_MS, formatDeadline } from './pipeline/open-run.js';
import type { PullRequestRef } from './github/pull-request.js';
import { handlePullRequest } from './handlers/pull-request.js';
import { handleIssueComment } from './handlers/issue-comment.js';
import { handleCheckRun } from './handlers/check-run.js';
import { handleWorkflowRun } from './handlers/workflow-run.js';
import { readPullRequest } from './github/read-pull-request.js';
import type { PlanHints } from './read-terraform.js';
import { countGitHubRequests } from './metrics/count-github-requests.js';
import { metrics } from './metrics/metrics.js';
import { RedisDetections } from './queue/redis-detections.js';
import { awsRateFromEnv, RedisTokenBucket } from './queue/redis-token-bucket.js';
import { useAwsRateLimiter } from './live/limit-aws-rate.js';
import { RedisRunQueue, type RunAttempt } from './queue/redis-run-queue.js';
import type { ScheduledReconcile } from './queue/queued-run.js';
import { closeAbandonedCheck } from './queue/close-abandoned-check.js';
import { closeOnSignals, fromQueuedRun, guardWrites, redisFromEnv, toQueuedRun, type RedisSettings, type RunPayload } from './queue/queued-run.js';
import { healthHandler } from './server/health-routes.js';
import { handlePush } from './handlers/push.js';
import type { Target } from './config-types.js';
import { readConfig } from './pipeline/read-config.js';
import { readRepoConfig } from './github/read-repo-config.js';
import type { Editors } from './reconcile/apply-plan.js';
import { EDITORS } from './reconcile/editors.js';
import type { PullRequestReconcileDeps } from './reconcile/reconcile-for-pull-request.js';
import { runReconcile } from './reconcile/run-reconcile.js';
import { ReconcileSchedule } from './reconcile/schedule-reconcile.js';

export interface AppOptions {
  /** The in-process queue (runs without Redis, and tasks always). */
  queue?: JobQueue;
  /** The distributed engine: default from `REDIS_URL`; `false` keeps runs in process whatever the environment says. */
  redis?: RedisSettings | false;
  /** Called with the distributed queue once it exists (tests, the worker entry point). */
  onQueue?: (queue: RedisRunQueue<RunPayload>) => void;
  providers?: LiveProviders;
  cloudformation?: CloudFormationProviderOptions;
  terraformState?: TerraformStateSourceOptions;
  references?: ReferenceSourceOptions;
  /** The format-preserving editors reconcile uses (default: every format's). */
  editors?: Editors;
  /** The in-process timers of `reconcile.mode: auto` (tests pass their own to look at it). */
  reconcileSchedule?: ReconcileSchedule;
}

/** An auto-mode reconcile of a repository's default branch: after a push, or on schedule. */
export interface AutoReconcileRequest {
  defaultBranch: string;
  /** Only these targets (a push touches some); every target when absent (the schedule). */
  touches?: (targets: Target[]) => Target[];
  trigger: string;
}

export interface RunRequest {
  /** Pull request number: runs for one pull request supersede each other. */
  number: number;
  /** The pull request, from the payload, or read when the job starts (commands, re-runs). */
  pullRequest: PullRequestRef | (() => Promise<PullRequestRef>);
  /** Start a fresh drift detection whatever the age of the last one. */
  forceDetection: boolean;
  /** The head commit may already have a check run (see RunOptions.reuseCheck). */
  reuseCheck?: boolean;
  /** Terraform plans: the workflow_run that asked for this run, or a wait that ended (RunOptions.plan). */
  plan?: PlanHints;
}

export interface AppDeps {
  /**
   * Queues a pipeline run for a pull request; a newer one for the same pull request
   * supersedes it. Resolves once the run is queued (with Redis: stored there), so a
   * webhook whose run could not be queued fails and GitHub shows the delivery as failed.
   */
  enqueueRun(context: Context, request: RunRequest): Promise<void>;
  /** Queues other work (command replies) under its own key, so it never supersedes a run. */
  enqueueTask(key: string, description: string, work: () => Promise<void>): void;
  /** What a reconcile from a pull request needs (command, button), with this event's GitHub client. */
  reconcileDeps(context: Context): PullRequestReconcileDeps;
  /**
   * `reconcile.mode: auto`: reads the config, and when it asks for auto mode, arms the
   * repository's schedule and queues one reconcile per target, each under its own key.
   */
  enqueueAutoReconcile(context: Context, request: AutoReconcileRequest): void;
}

/** Builds the Probot application function; `index.ts` calls it with the defaults. */
export function createApp(options: AppOptions = {}): ApplicationFunction {
  return (app, appOptions) => {
    const redis = options.redis === undefined ? redisFromEnv() : options.redis;
    // With Redis, drift detections are shared by every process: one DetectStackDrift per stack at a time.
    const detections = redis ? { detections: new RedisDetections(redis.url, redis.prefix) } : {};
    // With Redis, AWS calls per account and region share one rate across processes (REALITYCHECK_AWS_RATE).
    if (redis) useAwsRateLimiter(new RedisTokenBucket({ url: redis.url, ...(redis.prefix ? { prefix: redis.prefix } : {}), ratePerSecond: awsRateFromEnv() }));
    const providers = options.providers ?? defaultProviders({ ...options, cloudformation: { ...options.cloudformation, ...detections } });
    const timeoutMs = runTimeoutFromEnv();
    const serverUrl = process.env.GHE_HOST ? `${process.env.GHE_PROTOCOL ?? 'https'}://${process.env.GHE_HOST}` : 'https://github.com';
    // Tasks (command replies, the search for a fork's pull requests) are short and hold the
    // webhook's context: they stay in this process with either engine.
    const local = options.queue ?? new InProcessQueue(concurrencyFromEnv(), app.log);
    if (local instanceof InProcessQueue) metrics.readJobCountsFrom(async () => local.counts());

    const schedule = options.reconcileSchedule ?? new ReconcileSchedule();
    const editors = options.editors ?? EDITORS;

    /**
     * Auto mode for one repository: config from its default branch; off or on-request disarms
     * the schedule. Each target's reconcile is a task keyed by the target, so two pushes in a
     * row reconcile it once more, never twice at the same time.
     */
    const autoReconcile = async (octokit: Context['octokit'], repo: { owner: string; repo: string }, installationId: number | undefined, request: AutoReconcileRequest): Promise<void> => {
      const loaded = await readConfig(() => readRepoConfig(octokit, repo));
      const key = `${repo.owner}/${repo.repo}`;
      if (loaded.kind !== 'valid' || loaded.config.reconcile.mode !== 'auto') {
        if (distributed) await distributed.unschedule(key);
        else schedule.disarm(key);
        return;
      }
      const { config, targets } = loaded;
      // With Redis, a Job Scheduler there replaces the timer: one tick per period for the fleet, kept across restarts.
      if (installationId !== undefined && distributed) {
        await distributed.schedule(key, config.reconcile.schedule, { installationId, ...repo, defaultBranch: request.defaultBranch, everyMs: config.reconcile.schedule });
      } else if (installationId !== undefined) {
        const every = config.reconcile.schedule;
        schedule.arm(key, every, () =>
          local.enqueue({
            key: `${key}:auto-reconcile`,
            description: `scheduled reconcile of ${key}`,
            run: async () => autoReconcile(await app.auth(installationId), repo, installationId, { defaultBranch: request.defaultBranch, trigger: `on schedule, every ${formatDeadline(every)}` }),
          }),
        );
      }
      const chosen = request.touches ? request.touches(targets) : targets;
      for (const target of chosen) {
        local.enqueue({
          key: `${key}:reconcile:${target.name}`,
          description: `reconcile ${target.name} of ${key} (${request.trigger})`,
          run: async (signal) => {
            await runReconcile({ octokit, providers, editors, log: app.log }, { repo, defaultBranch: request.defaultBranch, targets: [target], config, trigger: request.trigger, signal });
          },
        });
      }
    };

    /** One timer per pull request head waiting for a Terraform plan (in-process engine). */
    const planTimers = new Map<string, NodeJS.Timeout>();

    /** The run itself, the same for both engines: `context` is the webhook's, or rebuilt by a worker. */
    const execute = async (context: Context, request: RunRequest, signal: AbortSignal, attempt?: RunAttempt): Promise<void> => {
      const { owner, repo } = context.repo();
      const key = `${owner}/${repo}#${request.number}`;
      countGitHubRequests(context.octokit);
      if (attempt) guardWrites(context.octokit, signal, attempt);
      let pr: PullRequestRef;
      try {
        pr = typeof request.pullRequest === 'function' ? await request.pullRequest() : request.pullRequest;
      } catch (error) {
        // Without the pull request there is no head commit to write a check run on.
        context.log.error({ key, deliveryId: context.id, err: error }, 'could not read the pull request to check it');
        throw error;
      }
      const outcome = await runPipeline(
        {
          octokit: context.octokit,
          loadConfig: () => context.config(CONFIG_NAME),
          providers,
          log: context.log,
          serverUrl,
          onPhase: (phase, ms) => metrics.phase.observe({ phase }, ms / 1000),
        },
        pr,
        {
          forceDetection: request.forceDetection,
          // A retried job may have left its check run in progress: complete that one.
          reuseCheck: (request.reuseCheck ?? false) || (attempt?.retry ?? false),
          signal,
          timeoutMs,
          deliveryId: context.id,
          ...(request.plan ? { plan: request.plan } : {}),
          ...(attempt ? { onCheckRun: (id: number, headSha: string) => attempt.openedCheckRun(id, headSha) } : {}),
        },
      );
      // Waiting for a Terraform plan: when no workflow_run has brought it by the target's
      // `plan.timeout`, one last run for that head concludes without it. In process: a
      // restart forgets the timer (the next push or `/realitycheck recheck` starts again);
      // with Redis it is a delayed job, kept across restarts.
      if (outcome.wait) {
        const { headSha, waitMs } = outcome.wait;
        const last: RunRequest = {
          number: request.number,
          pullRequest: () => readPullRequest(context.octokit, { owner, repo }, request.number),
          forceDetection: false,
          reuseCheck: true,
          plan: { deadlinePassedFor: headSha },
        };
        if (distributed) {
          await distributed.enqueue(toQueuedRun(context, last), { delayMs: waitMs, onceId: `${key}@${headSha}` });
          return;
        }
        const timerKey = `${key}@${headSha}`;
        if (!planTimers.has(timerKey)) {
          const timer = setTimeout(() => {
            planTimers.delete(timerKey);
            void deps.enqueueRun(context, last);
          }, waitMs);
          timer.unref();
          planTimers.set(timerKey, timer);
        }
      }
    };

    const distributed = redis
      ? new RedisRunQueue<RunPayload, ScheduledReconcile>({
          url: redis.url,
          concurrency: redis.concurrency ?? (process.env.REALITYCHECK_WORKER === 'off' ? 0 : concurrencyFromEnv()),
          log: app.log,
          ...(redis.prefix ? { prefix: redis.prefix } : {}),
          ...(redis.lockDurationMs ? { lockDurationMs: redis.lockDurationMs } : {}),
          ...(redis.stalledIntervalMs ? { stalledIntervalMs: redis.stalledIntervalMs } : {}),
          execute: async (run, signal, attempt) => {
            const { context, request } = await fromQueuedRun(app, run.payload, run.deliveryId);
            await execute(context, request, signal, attempt);
          },
          closeAbandoned: async (run, check) => {
            const { context } = await fromQueuedRun(app, run.payload, run.deliveryId);
            await closeAbandonedCheck(context.octokit, context.repo(), check);
          },
          tick: async (_id, scheduled, at) => {
            const repo = { owner: scheduled.owner, repo: scheduled.repo };
            app.log.info({ repo: `${repo.owner}/${repo.repo}`, at: new Date(at).toISOString() }, 'scheduled reconcile');
            const trigger = `on schedule, every ${formatDeadline(scheduled.everyMs)}`;
            await autoReconcile(await app.auth(scheduled.installationId), repo, scheduled.installationId, { defaultBranch: scheduled.defaultBranch, trigger });
          },
        })
      : undefined;
    if (distributed) {
      options.onQueue?.(distributed);
      closeOnSignals(app, distributed);
    }
    try {
      appOptions?.addHandler?.(healthHandler(async () => (distributed ? distributed.notReady() : undefined)));
    } catch {
      // No HTTP server (Probot's `load` without `run`, serverless hosts): nothing to add the routes to.
    }

    const deps: AppDeps = {
      async enqueueRun(context, request) {
        const { owner, repo } = context.repo();
        const key = `${owner}/${repo}#${request.number}`;
        const known = typeof request.pullRequest === 'function' ? undefined : request.pullRequest;
        const description = `${key}${known ? ` at ${known.headSha.slice(0, 7)}` : ''}${request.forceDetection ? ' (recheck)' : ''}`;
        if (distributed) {
          await distributed.enqueue(toQueuedRun(context, request, description));
          return;
        }
        local.enqueue({ key, description, run: (signal) => execute(context, request, signal) });
      },
      enqueueTask(key, description, work) {
        local.enqueue({ key, description, run: work });
      },
      reconcileDeps(context) {
        return { octokit: context.octokit, providers, editors, log: context.log, loadConfig: () => context.config(CONFIG_NAME) };
      },
      enqueueAutoReconcile(context, request) {
        const repo = context.repo();
        const installationId = (context.payload as { installation?: { id?: number } }).installation?.id;
        local.enqueue({
          key: `${repo.owner}/${repo.repo}:auto-reconcile`,
          description: `auto reconcile of ${repo.owner}/${repo.repo} (${request.trigger})`,
          run: () => autoReconcile(context.octokit, repo, installationId, request),
        });
      },
    };

    app.on(
      [
        'pull_request.opened',
        'pull_request.synchronize',
        'pull_request.reopened',
        'pull_request.ready_for_review',
        'pull_request.edited',
        'pull_request.labeled',
        'pull_request.unlabeled',
      ],
      handlePullRequest(deps),
    );
    app.on('issue_comment.created', handleIssueComment(deps));
    app.on(['check_run.rerequested', 'check_run.requested_action'], handleCheckRun(deps));
    app.on('workflow_run.completed', handleWorkflowRun(deps));
    app.on('push', handlePush(deps));
  };
}

export function defaultProviders(options: Pick<AppOptions, 'cloudformation' | 'terraformState' | 'references'> = {}): LiveProviders {
  return {
    cloudformation: new CloudFormationProvider(options.cloudformation),
    snapshot: (readFile) => new SnapshotProvider({ readFile }),
    terraformState: new TerraformStateSource(options.terraformState),
    cloudformationOptIn: new CloudFormationOptInReader(options.cloudformation),
    references: new ReferenceSource(options.references),
  };
}

function concurrencyFromEnv(): number {
  const raw = process.env.REALITYCHECK_CONCURRENCY;
  if (raw === undefined || raw === '') return 4;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`REALITYCHECK_CONCURRENCY must be a whole number ≥ 1, got "${raw}"`);
  return n;
}

/** `REALITYCHECK_RUN_TIMEOUT`: how long one run may take (`10m`, `90s`; a number is seconds). An operator's setting, not a repository's. */
function runTimeoutFromEnv(): number {
  const raw = process.env.REALITYCHECK_RUN_TIMEOUT;
  if (raw === undefined || raw.trim() === '') return DEFAULT_RUN_TIMEOUT_MS;
  const ms = parseDuration(raw);
  if (ms === undefined || ms <= 0) throw new Error(`REALITYCHECK_RUN_TIMEOUT must be a duration such as 10m, 90s or 600 (seconds), got "${raw}"`);
  return ms;
}
