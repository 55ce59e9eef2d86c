// The check run's "Re-run" (rerequested) and "Re-check live state" button (requested_action
// `recheck`): the same as `/realitycheck recheck` for each pull request of that commit. The
// "Open reconcile PR" button (`reconcile`): the same as `/realitycheck reconcile`. GitHub
// shows check-run buttons only to people with write access, so there is no permission check.
import type { Context } from 'probot';
import { z } from 'zod';
import { commitSha, installation, parsePayload, positiveInt, repository } from '../github/parse-payload.js';
import { CHECK_NAME, RECHECK_ACTION, RECONCILE_ACTION } from '../github/publish-check-run.js';
import { replyToComment } from '../github/reply-to-comment.js';
import { reconcileForPullRequest } from '../reconcile/reconcile-for-pull-request.js';
import { renderReconcileReply } from '../reconcile/render-reconcile-reply.js';
import { findPullRequestNumbersForCommit, readPullRequest } from '../github/read-pull-request.js';
import type { AppDeps } from '../app.js';

/** What the handler reads of a `check_run` event. */
const checkRunEvent = z.object({
  action: z.string(),
  check_run: z.object({ name: z.string(), head_sha: commitSha, pull_requests: z.array(z.object({ number: positiveInt })) }),
  requested_action: z.object({ identifier: z.string() }).nullish(),
  repository,
  installation,
});

export function handleCheckRun(deps: AppDeps) {
  return async (context: Context<'check_run.rerequested' | 'check_run.requested_action'>): Promise<void> => {
    const payload = parsePayload(checkRunEvent, context.payload, 'check_run webhook payload');
    const run = payload.check_run;
    if (run.name !== CHECK_NAME) return;
    const identifier = payload.action === 'requested_action' ? payload.requested_action?.identifier : RECHECK_ACTION.identifier;
    if (identifier !== RECHECK_ACTION.identifier && identifier !== RECONCILE_ACTION.identifier) return;

    const repo = context.repo();
    if (identifier === RECONCILE_ACTION.identifier) {
      deps.enqueueTask(`${repo.owner}/${repo.repo}@${run.head_sha}:reconcile`, `reconcile button on ${run.head_sha.slice(0, 7)}`, async () => {
        const numbers = run.pull_requests.length > 0 ? run.pull_requests.map((pr) => pr.number) : await findPullRequestNumbersForCommit(context.octokit, repo, run.head_sha);
        for (const number of numbers) {
          const reply = await reconcileForPullRequest(deps.reconcileDeps(context), repo, number, `the Open reconcile PR button on #${number}`);
          await replyToComment(context.octokit, repo, number, renderReconcileReply(reply));
        }
      });
      return;
    }
    const recheck = (number: number) =>
      deps.enqueueRun(context, { number, pullRequest: () => readPullRequest(context.octokit, repo, number), forceDetection: true });
    const numbers = run.pull_requests.map((pr) => pr.number);
    if (numbers.length > 0) {
      await Promise.all(numbers.map(recheck));
      return;
    }
    // Pull requests from forks are not listed on the check run: find them by commit.
    deps.enqueueTask(`${repo.owner}/${repo.repo}@${run.head_sha}`, `re-run of ${run.head_sha.slice(0, 7)}`, async () => {
      await Promise.all((await findPullRequestNumbersForCommit(context.octokit, repo, run.head_sha)).map(recheck));
    });
  };
}
