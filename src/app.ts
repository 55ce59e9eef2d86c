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
  queue?: JobQueue;
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
  /** Queues a pipeline run for a pull request; a newer one for the same pull request supersedes it. */
  enqueueRun(context: Context, request: RunRequest): void;
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
  return (app) => {
    const queue = options.queue ?? new InProcessQueue(concurrencyFromEnv(), app.log);
    const providers = options.providers ?? defaultProviders(options);
    const timeoutMs = runTimeoutFromEnv();
    const serverUrl = process.env.GHE_HOST ? `${process.env.GHE_PROTOCOL ?? 'https'}://${process.env.GHE_HOST}` : 'https://github.com';

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
        schedule.disarm(key);
        return;
      }
      const { config, targets } = loaded;
      if (installationId !== undefined) {
        const every = config.reconcile.schedule;
        schedule.arm(key, every, () =>
          queue.enqueue({
            key: `${key}:auto-reconcile`,
            description: `scheduled reconcile of ${key}`,
            run: async () => autoReconcile(await app.auth(installationId), repo, installationId, { defaultBranch: request.defaultBranch, trigger: `on schedule, every ${formatDeadline(every)}` }),
          }),
        );
      }
      const chosen = request.touches ? request.touches(targets) : targets;
      for (const target of chosen) {
        queue.enqueue({
          key: `${key}:reconcile:${target.name}`,
          description: `reconcile ${target.name} of ${key} (${request.trigger})`,
          run: async (signal) => {
            await runReconcile({ octokit, providers, editors, log: app.log }, { repo, defaultBranch: request.defaultBranch, targets: [target], config, trigger: request.trigger, signal });
          },
        });
      }
    };

    /** One timer per pull request head waiting for a Terraform plan. */
    const planTimers = new Map<string, NodeJS.Timeout>();
    const deps: AppDeps = {
      enqueueRun(context, request) {
        const { owner, repo } = context.repo();
        const key = `${owner}/${repo}#${request.number}`;
        const known = typeof request.pullRequest === 'function' ? undefined : request.pullRequest;
        queue.enqueue({
          key,
          description: `${key}${known ? ` at ${known.headSha.slice(0, 7)}` : ''}${request.forceDetection ? ' (recheck)' : ''}`,
          run: async (signal) => {
            let pr: PullRequestRef;
            try {
              pr = typeof request.pullRequest === 'function' ? await request.pullRequest() : request.pullRequest;
            } catch (error) {
              // Without the pull request there is no head commit to write a check run on.
              context.log.error({ key, deliveryId: context.id, err: error }, 'could not read the pull request to check it');
              throw error;
            }
            const outcome = await runPipeline(
              { octokit: context.octokit, loadConfig: () => context.config(CONFIG_NAME), providers, log: context.log, serverUrl },
              pr,
              {
                forceDetection: request.forceDetection,
                reuseCheck: request.reuseCheck ?? false,
                signal,
                timeoutMs,
                deliveryId: context.id,
                ...(request.plan ? { plan: request.plan } : {}),
              },
            );
            // Waiting for a Terraform plan: when no workflow_run has brought it by the target's
            // `plan.timeout`, one last run for that head concludes without it. In process: a
            // restart forgets the timer (the next push or `/realitycheck recheck` starts again).
            if (outcome.wait) {
              const { headSha, waitMs } = outcome.wait;
              const timerKey = `${key}@${headSha}`;
              if (!planTimers.has(timerKey)) {
                const timer = setTimeout(() => {
                  planTimers.delete(timerKey);
                  deps.enqueueRun(context, {
                    number: request.number,
                    pullRequest: () => readPullRequest(context.octokit, { owner, repo }, request.number),
                    forceDetection: false,
                    reuseCheck: true,
                    plan: { deadlinePassedFor: headSha },
                  });
                }, waitMs);
                timer.unref();
                planTimers.set(timerKey, timer);
              }
            }
          },
        });
      },
      enqueueTask(key, description, work) {
        queue.enqueue({ key, description, run: work });
      },
      reconcileDeps(context) {
        return { octokit: context.octokit, providers, editors, log: context.log, loadConfig: () => context.config(CONFIG_NAME) };
      },
      enqueueAutoReconcile(context, request) {
        const repo = context.repo();
        const installationId = (context.payload as { installation?: { id?: number } }).installation?.id;
        queue.enqueue({
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
