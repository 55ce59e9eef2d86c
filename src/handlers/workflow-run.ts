// workflow_run completed: a workflow may have uploaded a Terraform plan for a pull request's
// head. When the config (default branch) has a target that reads its plan from that
// workflow, each pull request of the commit is checked again; any other workflow (CI, lint)
// changes nothing and starts nothing.
import type { Context } from 'probot';
import { z } from 'zod';
import { commitSha, installation, parsePayload, positiveInt, repository, text } from '../github/parse-payload.js';
import { findPullRequestNumbersForCommit, readPullRequest } from '../github/read-pull-request.js';
import type { AppDeps } from '../app.js';
import { CONFIG_NAME, parseConfig } from '../config.js';
import { readsPlanFrom } from '../read-terraform.js';

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
    const plan = { run: { workflowPath: run.path } };
    const check = (number: number) =>
      deps.enqueueRun(context, { number, pullRequest: () => readPullRequest(context.octokit, repo, number), forceDetection: false, reuseCheck: true, plan });
    // Whether any target reads a plan from this workflow is decided first, in a task of its
    // own: a run queued for every finished workflow (CI, lint) would supersede the pull
    // request's run in progress and then publish nothing.
    deps.enqueueTask(`${repo.owner}/${repo.repo}@${run.head_sha}:workflow-run-${run.id}`, `workflow run ${run.id}`, async () => {
      const raw: unknown = await context.config(CONFIG_NAME);
      if (raw === null || raw === undefined) return;
      const config = parseConfig(raw);
      if (!config.ok || !readsPlanFrom(config.targets, run.path)) return;
      // Runs of pull requests from forks list none: find them by commit.
      const numbers = run.pull_requests.length > 0 ? run.pull_requests.map((pr) => pr.number) : await findPullRequestNumbersForCommit(context.octokit, repo, run.head_sha);
      await Promise.all(numbers.map(check));
    });
  };
}
