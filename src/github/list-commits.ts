import type { AuthorshipInput } from '../analyze/ai-authorship.js';
import type { Octokit, RepoRef } from './octokit.js';

/** The pull request's commits (GitHub lists at most 250), as AI-authorship evidence. */
export async function listCommits(octokit: Octokit, repo: RepoRef, pullNumber: number): Promise<AuthorshipInput['commits']> {
  const commits = await octokit.paginate(octokit.rest.pulls.listCommits, { ...repo, pull_number: pullNumber, per_page: 100 });
  return commits.map((c) => ({
    sha: c.sha,
    message: c.commit.message,
    ...(c.author?.login ? { authorLogin: c.author.login } : {}),
    ...(c.committer?.login ? { committerLogin: c.committer.login } : {}),
    ...(c.commit.author?.email ? { authorEmail: c.commit.author.email } : {}),
  }));
}
