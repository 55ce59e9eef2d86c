// A commit whose Terraform plan was awaited, and that a newer push replaced before the plan
// came: its check run would stay `in_progress` for good. When its wait ends (app.ts runs the
// pull request again, naming that head), it is closed as `cancelled`, which GitHub does not
// count as passing, saying why. Best effort: a failure here is logged and the run goes on.
import { completeCheckRun, findCheckRun } from '../github/publish-check-run.js';
import type { Run } from './open-run.js';

export async function closeAbandonedWait(run: Run, headSha: string | undefined): Promise<void> {
  if (headSha === undefined || headSha === run.pr.headSha) return;
  const { octokit, log } = run.deps;
  try {
    const existing = await findCheckRun(octokit, run.repo, headSha, run.appId);
    if (!existing || existing.digest !== undefined) return; // none, or already completed
    await completeCheckRun(octokit, run.repo, headSha, existing.id, {
      conclusion: 'cancelled',
      check: {
        title: 'Replaced by a newer push',
        summary: `A newer push to this pull request (${run.pr.headSha.slice(0, 7)}) replaced this commit before its Terraform plan arrived; the newer commit has its own check.`,
        annotations: [],
      },
    });
  } catch (error) {
    log.warn({ key: run.key, headSha, err: error }, 'could not close the check run of a replaced commit');
  }
}
