// Our review comments on a pull request made to match what the run found: comments that still
// hold are kept as they are, ours that no longer do (fixed, outdated by a push) are deleted,
// and the new ones go out in one review (event COMMENT). Ours: the hidden marker AND our
// bot's login; nobody else's comment is ever touched.
import type { ReviewComment } from '../reconcile/compute-suggestions.js';
import { MAX_REVIEW_COMMENTS, SUGGESTION_MARKER } from '../reconcile/compute-suggestions.js';
import type { Octokit, RepoRef } from './octokit.js';

export interface ReviewOutcome {
  created: number;
  kept: number;
  deleted: number;
  /** Left to the summary comment by the limit. */
  omitted: number;
}

export async function publishReviewComments(
  octokit: Octokit,
  repo: RepoRef,
  pull: { number: number; headSha: string },
  wanted: readonly ReviewComment[],
  botLogin: string | undefined,
): Promise<ReviewOutcome> {
  const existing = await octokit.paginate(octokit.rest.pulls.listReviewComments, { ...repo, pull_number: pull.number, per_page: 100 });
  const ours = botLogin === undefined ? [] : existing.filter((c) => c.user?.login === botLogin && c.body.includes(SUGGESTION_MARKER));
  const idOf = (body: string) => /<!-- realitycheck:suggestion id=([0-9a-z]+) -->/.exec(body)?.[1];
  const wantedIds = new Set(wanted.map((c) => c.id));
  // a comment GitHub shows as outdated (`line: null`) no longer sits on the diff: replaced if still wanted
  const keep = ours.filter((c) => c.line !== null && c.line !== undefined && wantedIds.has(idOf(c.body) ?? ''));
  const stale = ours.filter((c) => !keep.includes(c));
  for (const comment of stale) await octokit.rest.pulls.deleteReviewComment({ ...repo, comment_id: comment.id });
  const keptIds = new Set(keep.map((c) => idOf(c.body)));
  const room = Math.max(0, MAX_REVIEW_COMMENTS - keep.length);
  const fresh = wanted.filter((c) => !keptIds.has(c.id));
  const send = fresh.slice(0, room);
  const omitted = fresh.length - send.length;
  if (send.length > 0) {
    const more = omitted > 0 ? ` ${omitted} more are in the summary comment.` : '';
    await octokit.rest.pulls.createReview({
      ...repo,
      pull_number: pull.number,
      commit_id: pull.headSha,
      event: 'COMMENT',
      body: `**Reality check**: live values this pull request would overwrite.${more}`,
      comments: send.map((c) => ({ path: c.path, line: c.line, side: 'RIGHT' as const, ...(c.startLine !== undefined ? { start_line: c.startLine, start_side: 'RIGHT' as const } : {}), body: c.body })),
    });
  }
  return { created: send.length, kept: keep.length, deleted: stale.length, omitted };
}
