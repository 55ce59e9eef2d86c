// pull_request opened / synchronize / reopened / ready_for_review, edited (a new base
// branch or description) and labeled / unlabeled (labels and the description are
// AI-authorship signals): validate, enqueue, return.
import type { Context } from 'probot';
import { parsePayload } from '../github/parse-payload.js';
import { pullRequestEvent, toPullRequestRef } from '../github/pull-request.js';
import type { AppDeps } from '../app.js';

/** Actions that bring a head commit no check run can exist for yet. */
const NEW_HEAD = new Set(['opened', 'synchronize']);

export function handlePullRequest(deps: AppDeps) {
  return async (context: Context<'pull_request'>): Promise<void> => {
    const payload = parsePayload(pullRequestEvent, context.payload, 'pull_request webhook payload');
    // A new title changes nothing we check; a new base branch or description may.
    if (payload.action === 'edited' && !('base' in (payload.changes ?? {})) && !('body' in (payload.changes ?? {}))) return;
    const pr = toPullRequestRef(payload.pull_request, payload.repository);
    await deps.enqueueRun(context, { number: pr.number, pullRequest: pr, forceDetection: false, reuseCheck: !NEW_HEAD.has(payload.action) });
  };
}
