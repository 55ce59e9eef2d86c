// `/realitycheck <command>` in a pull request comment. The handler only parses and
// queues; the task acknowledges (👀), checks the commenter's permission, then acts
// (`reconcile` opens or refreshes the reconcile pull requests in that task, then replies).
import type { Context } from 'probot';
import { z } from 'zod';
import { parseCommand } from '../commands/parse-command.js';
import { installation, parsePayload, positiveInt, repository } from '../github/parse-payload.js';
import { canRunCommands, readPermission, readPullRequest } from '../github/read-pull-request.js';
import { acknowledgeComment, replyToComment } from '../github/reply-to-comment.js';
import { renderCommandReply } from '../report/render-command-reply.js';
import type { AppDeps } from '../app.js';
import { reconcileForPullRequest } from '../reconcile/reconcile-for-pull-request.js';
import { renderReconcileReply } from '../reconcile/render-reconcile-reply.js';

/** What the handler reads of an `issue_comment` event. */
const issueCommentEvent = z.object({
  issue: z.object({ number: positiveInt, pull_request: z.object({}).nullish() }),
  comment: z.object({ id: positiveInt, body: z.string(), user: z.object({ login: z.string(), type: z.string() }).nullable() }),
  repository,
  installation,
});

export function handleIssueComment(deps: AppDeps) {
  return async (context: Context<'issue_comment.created'>): Promise<void> => {
    const { issue, comment } = parsePayload(issueCommentEvent, context.payload, 'issue_comment webhook payload');
    if (!issue.pull_request || comment.user?.type === 'Bot') return;
    const command = parseCommand(comment.body);
    if (!command) return;

    const repo = context.repo();
    const user = comment.user?.login ?? 'unknown';
    deps.enqueueTask(`${repo.owner}/${repo.repo}#${issue.number}/comment-${comment.id}`, `/realitycheck ${command.name} by ${user}`, async () => {
      await acknowledgeComment(context.octokit, repo, comment.id);
      const permission = await readPermission(context.octokit, repo, user);
      if (!canRunCommands(permission)) {
        await replyToComment(context.octokit, repo, issue.number, renderCommandReply({ kind: 'refused', user, permission }));
        return;
      }
      switch (command.name) {
        case 'recheck':
          await deps.enqueueRun(context, { number: issue.number, pullRequest: () => readPullRequest(context.octokit, repo, issue.number), forceDetection: true });
          return;
        case 'help':
          await replyToComment(context.octokit, repo, issue.number, renderCommandReply({ kind: 'help' }));
          return;
        case 'reconcile': {
          const reply = await reconcileForPullRequest(deps.reconcileDeps(context), repo, issue.number, `\`/realitycheck reconcile\` on #${issue.number}`);
          await replyToComment(context.octokit, repo, issue.number, renderReconcileReply(reply));
          return;
        }
        case 'unknown':
          await replyToComment(context.octokit, repo, issue.number, renderCommandReply({ kind: 'unknown', given: command.given }));
          return;
      }
    });
  };
}
