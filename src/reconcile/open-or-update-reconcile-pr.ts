// Step 7 of a reconcile: the target's one reconcile pull request made to say what the plan
// says. Opened (branch, commit, pull request) when there is none; refreshed in place (the
// branch force-updated to one new commit on the default branch, the body rewritten) when its
// drift changed; left alone when the marker's digest is the same; closed with a comment when
// nothing is left to write back and the read was complete.
import { commitFiles } from '../github/commit-files.js';
import type { Octokit, RepoRef } from '../github/octokit.js';
import { setReconcileBranch } from '../github/set-branch.js';
import { closeReconcilePull, findDeclinedBodies, findReconcilePull, openReconcilePull, updateReconcilePull } from '../github/upsert-reconcile-pull.js';
import type { AppliedPlan } from './apply-plan.js';
import type { DefaultBranch } from './read-reconcile-plan.js';
import { parseMarker, planDigest, predictNotClean, reconcileBranch, renderBody, renderClosingComment, renderCommitMessage, renderTitle } from './render-reconcile-pr.js';

export type ReconcileOutcome =
  | { action: 'opened' | 'refreshed' | 'unchanged'; number: number; url: string }
  /** A person closed a reconcile pull request holding this very drift: it is not opened again. */
  | { action: 'declined' }
  | { action: 'closed'; number: number; url: string }
  /** Nothing to write back and no pull request open. `manual`: drift a person must handle. */
  | { action: 'clean' | 'manual' }
  /** Nothing to write back, but the read was incomplete: an open pull request is left as it is. */
  | { action: 'kept'; number?: number };

export interface PublishRequest {
  branch: DefaultBranch;
  applied: AppliedPlan;
  complete: boolean;
  readAt: string;
  /** Said in the body: what asked for this reconcile. */
  trigger?: string;
}

export async function openOrUpdateReconcilePr(octokit: Octokit, repo: RepoRef, request: PublishRequest): Promise<ReconcileOutcome> {
  const { applied, branch } = request;
  const { plan } = applied;
  const head = reconcileBranch(plan.target);
  const existing = await findReconcilePull(octokit, repo, head);

  if (applied.changed.length === 0) {
    if (!existing) return { action: plan.followUps.length > 0 ? 'manual' : 'clean' };
    if (!request.complete) return { action: 'kept', number: existing.number };
    await closeReconcilePull(octokit, repo, existing.number, renderClosingComment(plan, request.readAt));
    return { action: 'closed', number: existing.number, url: existing.url };
  }

  const digest = planDigest(plan);
  if (existing && parseMarker(existing.body)?.digest === digest) return { action: 'unchanged', number: existing.number, url: existing.url };
  // Closed unmerged with the same drift: someone said no; a new drift is offered again.
  if (!existing && (await findDeclinedBodies(octokit, repo, head)).some((body) => parseMarker(body)?.digest === digest)) return { action: 'declined' };

  const notClean = predictNotClean(plan);
  const text = {
    title: renderTitle(plan),
    body: renderBody(plan, { digest, ...(request.trigger ? { trigger: request.trigger } : {}), ...(notClean ? { notClean } : {}) }),
  };
  const commit = await commitFiles(octokit, repo, branch.sha, applied.changed, renderCommitMessage(plan));
  await setReconcileBranch(octokit, repo, head, commit, branch.name);
  if (existing) {
    await updateReconcilePull(octokit, repo, existing.number, text);
    return { action: 'refreshed', number: existing.number, url: existing.url };
  }
  const opened = await openReconcilePull(octokit, repo, head, branch.name, text);
  return { action: 'opened', number: opened.number, url: opened.url };
}
