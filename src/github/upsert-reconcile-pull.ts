// The reconcile pull request of a target: found by its head branch (one per target, ever),
// opened when there is none, edited in place when there is, closed with a comment when the
// drift is gone.
import type { Octokit, RepoRef } from './octokit.js';

export interface ReconcilePull {
  number: number;
  body: string;
  url: string;
}

/** The open pull request from `branch` (this repository) into anything, if any. */
export async function findReconcilePull(octokit: Octokit, repo: RepoRef, branch: string): Promise<ReconcilePull | undefined> {
  const { data } = await octokit.rest.pulls.list({ ...repo, state: 'open', head: `${repo.owner}:${branch}`, per_page: 10 });
  const pull = data[0];
  return pull ? { number: pull.number, body: pull.body ?? '', url: pull.html_url } : undefined;
}

/**
 * The bodies of pull requests from `branch` that were closed without being merged (a person
 * declined them), newest first: the same drift is not offered again.
 */
export async function findDeclinedBodies(octokit: Octokit, repo: RepoRef, branch: string): Promise<string[]> {
  const { data } = await octokit.rest.pulls.list({ ...repo, state: 'closed', head: `${repo.owner}:${branch}`, sort: 'updated', direction: 'desc', per_page: 10 });
  return data.filter((pull) => !pull.merged_at).map((pull) => pull.body ?? '');
}

export interface PullText {
  title: string;
  body: string;
}

export async function openReconcilePull(octokit: Octokit, repo: RepoRef, branch: string, base: string, text: PullText): Promise<ReconcilePull> {
  try {
    const { data } = await octokit.rest.pulls.create({ ...repo, head: branch, base, title: text.title, body: text.body });
    return { number: data.number, body: data.body ?? '', url: data.html_url };
  } catch (error) {
    // Another reconcile of the same target opened it a moment ago: edit that one instead.
    if ((error as { status?: number }).status !== 422) throw error;
    const existing = await findReconcilePull(octokit, repo, branch);
    if (!existing) throw error;
    await updateReconcilePull(octokit, repo, existing.number, text);
    return existing;
  }
}

export async function updateReconcilePull(octokit: Octokit, repo: RepoRef, number: number, text: PullText): Promise<void> {
  await octokit.rest.pulls.update({ ...repo, pull_number: number, title: text.title, body: text.body });
}

export async function closeReconcilePull(octokit: Octokit, repo: RepoRef, number: number, comment: string): Promise<void> {
  await octokit.rest.issues.createComment({ ...repo, issue_number: number, body: comment });
  await octokit.rest.pulls.update({ ...repo, pull_number: number, state: 'closed' });
}
