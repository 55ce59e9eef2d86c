// Steps 6–7 while a stack-wide drift detection still runs; when the first look may conclude
// is compute-first-look.ts's rule. A first look that concludes completes the check run and
// writes the comment at once; one that does not keeps the check run in progress, saying what
// it waits for. Either way the full result then completes the same check run (sending only
// the annotations it does not show yet) and edits the same comment.
import type { Config } from '../config.js';
import { completeCheckRun, markCheckRunWaiting } from '../github/publish-check-run.js';
import { buildReport } from '../report/build-report.js';
import { escapeText } from '../report/escape-markdown.js';
import { timed } from '../phase-timer.js';
import type { Conclusion } from '../types.js';
import { concludesEarly } from './compute-first-look.js';
import type { Judged } from './judge-evidence.js';
import type { CheckRunSlot } from './open-check-run.js';
import type { Run } from './open-run.js';
import { resultOf, writeSummaryComment } from './publish-result.js';

export interface FirstLook {
  /** The check run the full result completes. */
  check: CheckRunSlot;
  /** Set when the first look concluded the check: its conclusion, and the annotations it shows. */
  concluded?: { conclusion: Conclusion; annotated: Set<string> };
}

export async function publishFirstLook(run: Run, slot: CheckRunSlot, judged: Judged, config: Pick<Config, 'policy'>): Promise<FirstLook> {
  const { octokit, log, onPhase } = run.deps;
  const { conclusion, results } = judged.verdict;
  const ids = { key: run.key, headSha: run.pr.headSha };
  if (concludesEarly(conclusion)) {
    const report = await timed(onPhase, 'report', () => buildReport(resultOf(run, judged.verdict, judged.authorship, config), run.deps));
    const annotated = new Set<string>();
    const runId = await timed(onPhase, 'publish', async () => {
      const id = await completeCheckRun(octokit, run.repo, run.pr.headSha, slot.runId, { conclusion, check: report.check }, annotated);
      await writeSummaryComment(run, report.comment);
      return id;
    });
    log.info({ ...ids, conclusion }, 'reality check published before the stack-wide drift detection finished');
    return { check: { runId }, concluded: { conclusion, annotated } };
  }
  const lines = results.filter((r) => r.live?.detail).map((r) => `- **${escapeText(r.target.name)}**: ${escapeText(r.live!.detail!)}`);
  const output = {
    title: 'Waiting for the stack-wide drift detection',
    summary: `Nothing read so far blocks this pull request, but what the stack-wide drift detection finds elsewhere in the stack, or a detection that fails, can still change the verdict: realitycheck concludes when it finishes.\n\n${lines.join('\n')}`,
  };
  // A check run in progress (this run's, or the commit's when reusing) says what it waits
  // for; a completed one on this commit is left as it is until the full result decides.
  const inProgress = slot.runId ?? (slot.existing && slot.existing.digest === undefined ? slot.existing.id : undefined);
  if (inProgress === undefined && slot.existing) return { check: slot };
  const runId = await markCheckRunWaiting(octokit, run.repo, run.pr.headSha, inProgress, output);
  log.info(ids, 'waiting for the stack-wide drift detection');
  return { check: { runId } };
}
