// One reconcile of some targets of a repository, the steps in order: the default branch's
// head → per target: declared and live (read) → what to write back (plan) → the editors
// (apply) → the reconcile pull request (publish). One target's failure is reported for that
// target and never stops the others.
import type { Config } from '../config.js';
import type { Target } from '../config-types.js';
import type { Octokit, RepoRef } from '../github/octokit.js';
import { readBranchHead } from '../github/set-branch.js';
import type { LiveProviders } from '../live/registry.js';
import type { Logger } from '../pipeline/types.js';
import { applyPlan, type Editors } from './apply-plan.js';
import { openOrUpdateReconcilePr, type ReconcileOutcome } from './open-or-update-reconcile-pr.js';
import { readReconcilePlan } from './read-reconcile-plan.js';

export interface ReconcileDeps {
  octokit: Octokit;
  providers: LiveProviders;
  editors: Editors;
  log: Logger;
}

export interface ReconcileRequest {
  repo: RepoRef;
  defaultBranch: string;
  targets: Target[];
  config: Pick<Config, 'policy' | 'ignore'>;
  /** Said in the pull request body. */
  trigger?: string;
  signal?: AbortSignal;
}

export type TargetReconcile = { target: string; outcome: ReconcileOutcome } | { target: string; failed: string };

export async function runReconcile(deps: ReconcileDeps, request: ReconcileRequest): Promise<TargetReconcile[]> {
  const { octokit, log } = deps;
  const { repo } = request;
  let sha: string | undefined;
  try {
    sha = await readBranchHead(octokit, repo, request.defaultBranch);
  } catch (error) {
    log.error({ repo: `${repo.owner}/${repo.repo}`, error: describeError(error) }, 'reconcile: could not read the default branch');
    return request.targets.map((t) => ({ target: t.name, failed: `the default branch ${request.defaultBranch} could not be read (${describeError(error)})` }));
  }
  if (sha === undefined) return request.targets.map((t) => ({ target: t.name, failed: `the default branch ${request.defaultBranch} was not found` }));
  const branch = { name: request.defaultBranch, sha };
  const results: TargetReconcile[] = [];
  for (const target of request.targets) {
    try {
      const read = await readReconcilePlan(deps, repo, branch, target, request.config, request.signal);
      if (!read.ok) {
        results.push({ target: target.name, failed: read.why });
        continue;
      }
      const applied = applyPlan(read.plan, read.texts, deps.editors);
      const outcome = await openOrUpdateReconcilePr(octokit, repo, { branch, applied, complete: read.complete, readAt: read.readAt, ...(request.trigger ? { trigger: request.trigger } : {}) });
      log.info({ repo: `${repo.owner}/${repo.repo}`, target: target.name, ...outcome }, 'reconcile done');
      results.push({ target: target.name, outcome });
    } catch (error) {
      if (request.signal?.aborted) throw error;
      // the error's message only: an Octokit error carries its request, file contents included
      log.error({ repo: `${repo.owner}/${repo.repo}`, target: target.name, error: describeError(error) }, 'reconcile failed');
      results.push({ target: target.name, failed: describeError(error) });
    }
  }
  return results;
}

function describeError(error: unknown): string {
  const status = (error as { status?: number }).status;
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return status ? `GitHub answered ${status}: ${message}` : message;
}
