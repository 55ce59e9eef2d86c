import { toPullRequestRef, type PullRequestRef } from './pull-request.js';
import type { Octokit, RepoRef } from './octokit.js';

/** The pull request as it is now (head SHA, author, labels), for commands and re-runs. */
export async function readPullRequest(octokit: Octokit, repo: RepoRef, number: number): Promise<PullRequestRef> {
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
  return toPullRequestRef(data, data.base.repo);
}

/** Open pull requests whose head is `sha` (a check run's re-run names a commit, not a pull request). */
export async function findPullRequestNumbersForCommit(octokit: Octokit, repo: RepoRef, sha: string): Promise<number[]> {
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: sha });
  return data.filter((pr) => pr.state === 'open' && pr.head.sha === sha).map((pr) => pr.number);
}

export type RepoPermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

/** The user's role on the repository (`role_name` distinguishes maintain and triage). */
export async function readPermission(octokit: Octokit, repo: RepoRef, username: string): Promise<RepoPermission> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username });
    const role = (data as { role_name?: string }).role_name ?? data.permission;
    return (['admin', 'maintain', 'write', 'triage', 'read'] as const).find((r) => r === role) ?? (data.permission as RepoPermission) ?? 'none';
  } catch (error) {
    // GitHub answers 404 for a user who is not a collaborator at all.
    if ((error as { status?: number }).status === 404) return 'none';
    throw error;
  }
}

export function canRunCommands(permission: RepoPermission): boolean {
  return permission === 'admin' || permission === 'maintain' || permission === 'write';
}
