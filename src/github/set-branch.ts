// Points a reconcile branch at a commit: created when missing, else force-updated (a refresh
// replaces the branch's one commit). Refuses any branch outside `realitycheck/reconcile/`, so
// the app can never move the default branch or anyone's work.
import type { Octokit, RepoRef } from './octokit.js';

export const RECONCILE_REF_PREFIX = 'realitycheck/reconcile/';

/** The commit a branch points at, or undefined when there is no such branch. */
export async function readBranchHead(octokit: Octokit, repo: RepoRef, branch: string): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.git.getRef({ ...repo, ref: `heads/${branch}` });
    return data.object.sha;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

export async function setReconcileBranch(octokit: Octokit, repo: RepoRef, branch: string, sha: string, defaultBranch: string): Promise<'created' | 'updated'> {
  if (!branch.startsWith(RECONCILE_REF_PREFIX) || branch === defaultBranch) {
    throw new Error(`refusing to move ${branch}: realitycheck only writes branches under ${RECONCILE_REF_PREFIX}`);
  }
  const current = await readBranchHead(octokit, repo, branch);
  if (current === undefined) {
    await octokit.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha });
    return 'created';
  }
  await octokit.rest.git.updateRef({ ...repo, ref: `heads/${branch}`, sha, force: true });
  return 'updated';
}
