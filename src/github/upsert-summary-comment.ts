// One summary comment per pull request, found again by its hidden marker and edited in
// place. State lives in the comment itself (no database): an order marker records which
// push produced it, so a slow run for an older head never overwrites a newer result.
import type { Octokit, RepoRef } from './octokit.js';

export const SUMMARY_MARKER = '<!-- realitycheck:summary -->';
const ORDER_PATTERN = /<!-- realitycheck:order=(\S+) (\S+) -->/;

export interface CommentOrder {
  /** `pull_request.updated_at` of the push the run was for. */
  updatedAt: string;
  headSha: string;
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged' | 'superseded' | 'skipped';

export function withOrder(body: string, order: CommentOrder): string {
  return `${body.trimEnd()}\n<!-- realitycheck:order=${order.updatedAt} ${order.headSha} -->\n`;
}

export function readOrder(body: string): CommentOrder | undefined {
  const match = ORDER_PATTERN.exec(body);
  return match ? { updatedAt: match[1]!, headSha: match[2]! } : undefined;
}

export async function findSummaryComment(octokit: Octokit, repo: RepoRef, issueNumber: number) {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: issueNumber, per_page: 100 });
  return comments.find((c) => c.body?.includes(SUMMARY_MARKER) && c.user?.type === 'Bot');
}

/**
 * Creates or edits the summary comment. `createIfMissing: false` only refreshes an
 * existing one (a pull request that no longer touches infrastructure gets no new comment).
 */
export async function upsertSummaryComment(
  octokit: Octokit,
  repo: RepoRef,
  issueNumber: number,
  body: string,
  order: CommentOrder,
  options: { createIfMissing: boolean } = { createIfMissing: true },
): Promise<UpsertOutcome> {
  const fullBody = withOrder(body, order);
  const existing = await findSummaryComment(octokit, repo, issueNumber);
  if (!existing) {
    if (!options.createIfMissing) return 'skipped';
    await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body: fullBody });
    return 'created';
  }
  const previous = readOrder(existing.body ?? '');
  if (previous && previous.headSha !== order.headSha && previous.updatedAt > order.updatedAt) return 'superseded';
  if (existing.body === fullBody) return 'unchanged';
  await octokit.rest.issues.updateComment({ ...repo, comment_id: existing.id, body: fullBody });
  return 'updated';
}
