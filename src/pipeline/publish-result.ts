// Steps 6–7: the report, then GitHub. The check run first: it carries the verdict that can
// block the merge, so a failure to write the comment cannot soften it.
import type { Authorship } from '../analyze/ai-authorship.js';
import type { Config } from '../config.js';
import { publishCheckRun } from '../github/publish-check-run.js';
import { upsertSummaryComment } from '../github/upsert-summary-comment.js';
import { buildReport } from '../report/build-report.js';
import { timed } from '../phase-timer.js';
import type { Conclusion, TargetResult } from '../types.js';
import type { CheckRunSlot } from './open-check-run.js';
import type { Run } from './open-run.js';
import { runResult } from './publish-early.js';
import type { RunOutcome } from './types.js';

export async function publishResult(
  run: Run,
  check: CheckRunSlot,
  verdict: { results: TargetResult[]; conclusion: Conclusion },
  authorship: Authorship,
  config: Pick<Config, 'policy' | 'reconcile'>,
): Promise<RunOutcome> {
  const { octokit, log, onPhase } = run.deps;
  const { conclusion } = verdict;
  const result = runResult(run, conclusion, verdict.results);
  if (authorship.aiAuthored) result.authorship = { policy: config.policy.ai, signals: authorship.signals };
  const report = await timed(onPhase, 'report', () => buildReport(result, run.deps));
  const comment = await timed(onPhase, 'publish', async () => {
    const reconcile = config.reconcile.mode !== 'off' && verdict.results.some(hasLiveDrift);
    await publishCheckRun(octokit, run.repo, run.pr.headSha, { conclusion, check: report.check, reconcile }, check);
    try {
      const ours = run.appId !== undefined ? { appId: run.appId } : {};
      return await upsertSummaryComment(octokit, run.repo, run.pr.number, report.comment, run.order, { createIfMissing: true, ...ours });
    } catch (error) {
      log.error({ key: run.key, deliveryId: run.options.deliveryId, err: error }, 'the check run is published, but the summary comment could not be written');
      return 'failed' as const;
    }
  });
  log.info({ key: run.key, headSha: run.pr.headSha, conclusion, comment }, 'reality check published');
  return { status: 'checked', conclusion, comment };
}

/** Something a reconcile pull request could take from live: a drifted or deleted resource. */
function hasLiveDrift(result: TargetResult): boolean {
  return (result.coverage?.drifted ?? 0) + (result.coverage?.deleted ?? 0) > 0;
}
