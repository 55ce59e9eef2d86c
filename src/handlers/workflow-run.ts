// workflow_run completed: a workflow may have uploaded a Terraform plan for a pull request's
// head. Each pull request of that commit gets a run told which workflow run it was; the
// run itself decides (from the config on the default branch) whether any target reads a
// plan from that workflow, and ignores the event otherwise.
import type { Context } from 'probot';
import { z } from 'zod';
import { commitSha, installation, parsePayload, positiveInt, repository, text } from '../github/parse-payload.js';
import { findPullRequestNumbersForCommit, readPullRequest } from '../github/read-pull-request.js';
import type { AppDeps } from '../app.js';

/** What the handler reads of a `workflow_run` event. */
const workflowRunEvent = z.object({
  workflow_run: z.object({
    id: positiveInt,
    head_sha: commitSha,
    /** `.github/workflows/terraform-plan.yml` */
    path: text,
    pull_requests: z.array(z.object({ number: positiveInt })),
  }),
  repository,
  installation,
});

export function handleWorkflowRun(deps: AppDeps) {
  return async (context: Context<'workflow_run.completed'>): Promise<void> => {
    const { workflow_run: run } = parsePayload(workflowRunEvent, context.payload, 'workflow_run webhook payload');
    const repo = context.repo();
    const plan = { run: { id: run.id, headSha: run.head_sha, workflowPath: run.path } };
    const check = (number: number) =>
      deps.enqueueRun(context, { number, pullRequest: () => readPullRequest(context.octokit, repo, number), forceDetection: false, reuseCheck: true, plan });
    if (run.pull_requests.length > 0) {
      run.pull_requests.forEach((pr) => check(pr.number));
      return;
    }
    // Runs of pull requests from forks list none: find them by commit.
    deps.enqueueTask(`${repo.owner}/${repo.repo}@${run.head_sha}`, `plan run ${run.id}`, async () => {
      (await findPullRequestNumbersForCommit(context.octokit, repo, run.head_sha)).forEach(check);
    });
  };
}
