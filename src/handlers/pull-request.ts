// pull_request opened / synchronize / reopened / ready_for_review: validate, enqueue, return.
import type { Context } from 'probot';
import { toPullRequestRef } from '../github/pull-request.js';
import type { AppDeps } from '../app.js';

export function handlePullRequest(deps: AppDeps) {
  return async (context: Context<'pull_request'>): Promise<void> => {
    const pr = toPullRequestRef(context.payload.pull_request, context.payload.repository);
    deps.enqueueRun(context, { number: pr.number, pullRequest: pr, forceDetection: false });
  };
}
