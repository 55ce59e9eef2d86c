import type { Octokit, RepoRef } from './octokit.js';

/** Acknowledges a command at once: 👀 on the comment. */
export async function acknowledgeComment(octokit: Octokit, repo: RepoRef, commentId: number): Promise<void> {
  await octokit.rest.reactions.createForIssueComment({ ...repo, comment_id: commentId, content: 'eyes' });
}

export async function replyToComment(octokit: Octokit, repo: RepoRef, issueNumber: number, body: string): Promise<void> {
  await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
}
