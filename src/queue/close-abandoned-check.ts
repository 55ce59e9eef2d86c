// The check run of a worker that died mid-run (SIGKILL, OOM, a lost host), met again once a
// newer run superseded its job: still `in_progress`, it would stay so for good. It is closed
// as `cancelled` (which GitHub does not count as passing), saying why; one that the dead run
// had already completed keeps its verdict.
import type { Octokit, RepoRef } from '../github/octokit.js';
import { completeCheckRun } from '../github/publish-check-run.js';
import type { AbandonedCheck } from './redis-run-queue.js';

export async function closeAbandonedCheck(octokit: Octokit, repo: RepoRef, check: AbandonedCheck): Promise<void> {
  const { data } = await octokit.rest.checks.get({ ...repo, check_run_id: check.id });
  if (data.status === 'completed') return;
  await completeCheckRun(octokit, repo, check.headSha, check.id, {
    conclusion: 'cancelled',
    check: {
      title: 'Superseded',
      summary: 'The worker running this check stopped before it finished, and a newer run for this pull request replaced it; its result is on the newer run.',
      annotations: [],
    },
  });
}
