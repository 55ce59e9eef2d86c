// `/realitycheck reconcile` and the check run's `Open reconcile PR` button: for each target
// the pull request touches, reconcile the default branch with live (one reconcile pull
// request per target that has drift). Answers with what it did, for the reply comment.
import { readScope } from '../pipeline/read-scope.js';
import { readConfig } from '../pipeline/read-config.js';
import { readPullRequest } from '../github/read-pull-request.js';
import type { RepoRef } from '../github/octokit.js';
import type { ReconcileReply } from './render-reconcile-reply.js';
import { runReconcile, type ReconcileDeps } from './run-reconcile.js';

export interface PullRequestReconcileDeps extends ReconcileDeps {
  loadConfig: () => Promise<unknown>;
}

export async function reconcileForPullRequest(deps: PullRequestReconcileDeps, repo: RepoRef, number: number, trigger: string): Promise<ReconcileReply> {
  const loaded = await readConfig(deps.loadConfig);
  if (loaded.kind === 'absent') return { kind: 'no-config' };
  if (loaded.kind === 'invalid') return { kind: 'config-error' };
  const { config, targets } = loaded;
  if (config.reconcile.mode === 'off') return { kind: 'off' };
  const pr = await readPullRequest(deps.octokit, repo, number);
  const { scope } = await readScope(deps.octokit, pr, targets);
  if (scope.touched.length === 0) return { kind: 'untouched' };
  const results = await runReconcile(deps, { repo, defaultBranch: pr.defaultBranch, targets: scope.touched.map((t) => t.target), config, trigger });
  return { kind: 'done', results };
}
