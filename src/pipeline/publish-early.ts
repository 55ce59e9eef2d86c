// Runs that end before any target is read: an invalid config, or a pull request that
// touches no configured template. Each writes one completed check run at once (none when
// this commit already has one saying the same, see RunOptions.reuseCheck).
import { buildReport } from '../report/build-report.js';
import { findCheckRun, publishCheckRun, type CheckOutcome } from '../github/publish-check-run.js';
import { upsertSummaryComment } from '../github/upsert-summary-comment.js';
import type { Conclusion, ConfigProblemReport, RunResult, TargetResult } from '../types.js';
import type { Run } from './open-run.js';
import type { RunOutcome } from './types.js';

export async function publishConfigProblems(run: Run, problems: ConfigProblemReport[]): Promise<RunOutcome> {
  const report = buildReport(runResult(run, 'neutral', [], problems), run.deps);
  await publishAtOnce(run, { conclusion: 'neutral', check: report.check });
  return { status: 'config-error', conclusion: 'neutral' };
}

/** No configured target changed (a cut-short file list is settled by git object id first, see read-scope.ts). */
export async function publishUntouched(run: Run): Promise<RunOutcome> {
  const report = buildReport(runResult(run, 'success', []), run.deps);
  await publishAtOnce(run, { conclusion: 'success', check: report.check });
  const ours = run.appId !== undefined ? { appId: run.appId } : {};
  const comment = await upsertSummaryComment(run.deps.octokit, run.repo, run.pr.number, report.comment, run.order, { createIfMissing: false, ...ours });
  return { status: 'untouched', conclusion: 'success', comment };
}

async function publishAtOnce(run: Run, outcome: CheckOutcome): Promise<void> {
  const { octokit } = run.deps;
  const existing = run.options.reuseCheck ? await findCheckRun(octokit, run.repo, run.pr.headSha, run.appId) : undefined;
  await publishCheckRun(octokit, run.repo, run.pr.headSha, outcome, existing ? { existing } : {});
}

export function runResult(run: Run, conclusion: Conclusion, targets: TargetResult[], configProblems?: ConfigProblemReport[]): RunResult {
  return {
    repo: { owner: run.pr.owner, name: run.pr.repo },
    pullNumber: run.pr.number,
    headSha: run.pr.headSha,
    conclusion,
    targets,
    ...(configProblems ? { configProblems } : {}),
    finishedAt: new Date().toISOString(),
    updatedAt: run.pr.updatedAt,
  };
}
