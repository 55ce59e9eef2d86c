// What a pipeline run is given and what it answers.
import type { Octokit } from '../github/octokit.js';
import type { UpsertOutcome } from '../github/upsert-summary-comment.js';
import type { LiveProviders } from '../live/registry.js';
import type { PhaseListener } from '../phase-timer.js';
import type { Conclusion } from '../types.js';
import type { PlanHints } from '../read-terraform.js';

export interface PipelineDeps {
  octokit: Octokit;
  /** Reads `.github/realitycheck.yml` from the default branch (Probot's `context.config`); `null` when absent. */
  loadConfig: () => Promise<unknown>;
  providers: LiveProviders;
  log: Logger;
  /** Web URL of the GitHub server for file links (GitHub Enterprise: from GHE_HOST). */
  serverUrl?: string;
  /** Told how long each phase took (benchmark). */
  onPhase?: PhaseListener;
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RunOptions {
  /** Start a fresh drift detection whatever the age of the last one (`/realitycheck recheck`). */
  forceDetection?: boolean;
  /**
   * The commit may already have been checked (reopened, ready for review, a redelivery):
   * look its check run up first, and write no check run when this one would say the same.
   * Off for a new push (no check run can exist yet) and for a re-check someone asked for.
   */
  reuseCheck?: boolean;
  /** Aborts when a newer run for the same pull request supersedes this one (the queue's). */
  signal: AbortSignal;
  /** The run's overall deadline in milliseconds (`REALITYCHECK_RUN_TIMEOUT`); default 10 minutes. */
  timeoutMs?: number;
  /** The webhook delivery that asked for this run (`x-github-delivery`), logged with any failure. */
  deliveryId?: string;
  /** Terraform plans: the workflow_run that asked for this run, or a wait for a plan that ended. */
  plan?: PlanHints;
  /** Told when the run starts a check run (the distributed queue keeps it, in case this worker dies). */
  onCheckRun?: (checkRunId: number, headSha: string) => Promise<void>;
}

export type RunStatus = 'no-config' | 'config-error' | 'untouched' | 'checked' | 'waiting' | 'ignored' | 'superseded' | 'failed';

export interface RunOutcome {
  status: RunStatus;
  /** `waiting`: the head whose Terraform plan is awaited, and how long to wait for it at most. */
  wait?: { headSha: string; waitMs: number };
  conclusion?: Conclusion;
  comment?: UpsertOutcome;
}
