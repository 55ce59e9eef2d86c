// One summary comment per pull request, found again by its hidden marker and edited in
// place. State lives in the comment itself (no database): its meta line records which
// push produced it, so a slow run for an older head never overwrites a newer result.
import { parseCommentMeta, SUMMARY_MARKER } from '../report/comment-meta.js';
import type { Octokit, RepoRef } from './octokit.js';

export type UpsertOutcome = 'created' | 'updated' | 'unchanged' | 'superseded' | 'skipped' | 'failed';

export interface CommentOrder {
  headSha: string;
  /** `pull_request.updated_at` of the push the run is for. */
  updatedAt: string;
}

export async function findSummaryComment(octokit: Octokit, repo: RepoRef, issueNumber: number, appId?: number) {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: issueNumber, per_page: 100 });
  // Only our app's comments count (a person or another bot copying the marker must not
  // take it over); without the app id, any bot's. The newest wins, so after another bot's
  // copy of the marker (see the 403 below) ours is found again.
  const ours = (c: (typeof comments)[number]) =>
    appId !== undefined ? c.performed_via_github_app?.id === appId : c.user?.type === 'Bot';
  return comments.findLast((c) => ours(c) && c.body?.startsWith(SUMMARY_MARKER));
}

/**
 * Creates or edits the summary comment. The body is written by report/ and starts with
 * the marker and meta line. `createIfMissing: false` only refreshes an existing comment
 * (a pull request that no longer touches infrastructure gets no new comment).
 */
export async function upsertSummaryComment(
  octokit: Octokit,
  repo: RepoRef,
  issueNumber: number,
  body: string,
  order: CommentOrder,
  options: { createIfMissing: boolean; appId?: number } = { createIfMissing: true },
): Promise<UpsertOutcome> {
  const existing = await findSummaryComment(octokit, repo, issueNumber, options.appId);
  if (!existing) {
    if (!options.createIfMissing) return 'skipped';
    await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
    return 'created';
  }
  const previous = parseCommentMeta(existing.body ?? '');
  if (previous.updatedAt && previous.headSha !== order.headSha && previous.updatedAt > order.updatedAt) return 'superseded';
  if (existing.body === body) return 'unchanged';
  try {
    await octokit.rest.issues.updateComment({ ...repo, comment_id: existing.id, body });
    return 'updated';
  } catch (error) {
    // Not ours to edit after all (another bot's comment carrying our marker): write our own.
    if ((error as { status?: number }).status !== 403) throw error;
    await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
    return 'created';
  }
}
