// Steps 6–7: the report, then GitHub. The check run first: it carries the verdict that can
// block the merge, so a failure to write the comment cannot soften it.
import type { Authorship } from '../analyze/ai-authorship.js';
import type { Config } from '../config.js';
import { publishCheckRun } from '../github/publish-check-run.js';
import { upsertSummaryComment, type UpsertOutcome } from '../github/upsert-summary-comment.js';
import { buildReport } from '../report/build-report.js';
import { timed } from '../phase-timer.js';
import type { Conclusion, RunResult, TargetResult } from '../types.js';
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
  options: {
    /** Annotations the check run already shows (a result published early): not sent again. */
    annotated?: Set<string>;
    /** False: no new summary comment (a pull request that touches no infrastructure and has nothing to say). */
    createComment?: boolean;
  } = {},
): Promise<RunOutcome> {
  const { octokit, log, onPhase } = run.deps;
  const { conclusion } = verdict;
  const report = await timed(onPhase, 'report', () => buildReport(resultOf(run, verdict, authorship, config), run.deps));
  const comment = await timed(onPhase, 'publish', async () => {
    const reconcile = config.reconcile.mode !== 'off' && verdict.results.some(hasLiveDrift);
    await publishCheckRun(octokit, run.repo, run.pr.headSha, { conclusion, check: report.check, reconcile }, { ...check, ...(options.annotated ? { annotated: options.annotated } : {}) });
    return writeSummaryComment(run, report.comment, options.createComment ?? true);
  });
  log.info({ key: run.key, headSha: run.pr.headSha, conclusion, comment }, 'reality check published');
  return { status: 'checked', conclusion, comment };
}

export function resultOf(run: Run, verdict: { results: TargetResult[]; conclusion: Conclusion }, authorship: Authorship, config: Pick<Config, 'policy'>): RunResult {
  const result = runResult(run, verdict.conclusion, verdict.results);
  if (authorship.aiAuthored) result.authorship = { policy: config.policy.ai, signals: authorship.signals };
  return result;
}

/** After the check run: a comment that cannot be written is logged, and the verdict on the check stands. */
export async function writeSummaryComment(run: Run, body: string, createIfMissing = true): Promise<UpsertOutcome> {
  try {
    const ours = run.appId !== undefined ? { appId: run.appId } : {};
    return await upsertSummaryComment(run.deps.octokit, run.repo, run.pr.number, body, run.order, { createIfMissing, ...ours });
  } catch (error) {
    run.deps.log.error({ key: run.key, deliveryId: run.options.deliveryId, err: error }, 'the check run is published, but the summary comment could not be written');
    return 'failed';
  }
}

/** Something a reconcile pull request could take from live: a drifted or deleted resource. */
function hasLiveDrift(result: TargetResult): boolean {
  return (result.coverage?.drifted ?? 0) + (result.coverage?.deleted ?? 0) > 0;
}
