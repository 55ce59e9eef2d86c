// A run that did not finish. Fail closed: `neutral` passes a required check, so a run that
// could not verify concludes `failure` ("could not verify", the reason, how to retry) —
// unless it had already reached its verdict, which then stands (never milder). This holds
// from the first step on: a run that fails before its check run exists writes a completed
// one, so an older `success` on the same commit never stays the newest word.
import { completeCheckRun, type CheckOutcome } from '../github/publish-check-run.js';
import { withRequestSignal } from '../github/request-signal.js';
import type { Conclusion } from '../types.js';
import type { CheckRunSlot } from './open-check-run.js';
import { abortReason, formatDeadline, type Run } from './open-run.js';
import type { RunOutcome } from './types.js';

/** How far the run got: what a failure must neither lose nor soften. */
export interface RunProgress {
  check?: CheckRunSlot;
  verdict?: Conclusion;
  /** The conclusion the check run already shows (published on the first look, before the stack-wide drift detection finished). */
  concluded?: Conclusion;
}

/** The calls that close a run get their own time limit: the run's signal may be what stopped it. */
const CLOSING_TIMEOUT_MS = 30_000;

const RETRY = 'Comment `/realitycheck recheck` on the pull request, or use **Re-check live state** on this check run, to try again.';

export async function concludeFailedRun(run: Run, progress: RunProgress, error: unknown): Promise<RunOutcome> {
  const { log } = run.deps;
  const ids = { key: run.key, headSha: run.pr.headSha, ...(run.options.deliveryId ? { deliveryId: run.options.deliveryId } : {}) };
  const why = abortReason(run);
  if (why === 'superseded') {
    log.info(ids, 'a newer run for this pull request superseded this one');
    // `cancelled`, not `neutral`: GitHub counts only success, neutral and skipped as passing
    // a required check. A run is superseded on an older head (whose checks no longer gate
    // the merge) or on the same head, by a re-check, a label or an edit; there the newer run
    // writes its own result when it finishes, and until then a `neutral` here would let the
    // pull request merge on a run that never reached a verdict.
    const runId = progress.check?.runId;
    // A verdict already published (a failure on the first look, before the stack-wide drift
    // detection finished) stands: `cancelled` would take back a failure that is true.
    const verdict = progress.concluded;
    if (runId !== undefined) {
      const check =
        verdict === undefined
          ? { title: 'Superseded', summary: 'A newer run for this pull request replaced this one; its result is on the newer run.', annotations: [] }
          : {
              title: `Superseded after its verdict (${verdict})`,
              summary: `realitycheck reached its verdict on this commit (${verdict}; the findings are in the annotations), then a newer run replaced this one before it finished: drift elsewhere in the stack is reported on the newer run.`,
              annotations: [],
            };
      await close(run, runId, { conclusion: verdict ?? 'cancelled', check }).catch((e: unknown) => log.warn({ ...ids, err: e }, 'could not close the superseded check run'));
    }
    return { status: 'superseded' };
  }

  log.error({ ...ids, err: error, ...(why === 'deadline' ? { timeoutMs: run.timeoutMs } : {}) }, why === 'deadline' ? 'reality check stopped at its deadline' : 'reality check failed');
  const conclusion = progress.verdict ?? 'failure';
  const outcome = { conclusion, check: { ...describeFailure(run, why, error, progress.verdict), annotations: [] } };
  await close(run, progress.check?.runId, outcome).catch((e: unknown) => log.error({ ...ids, err: e }, 'could not report the failure on the check run'));
  return { status: 'failed', conclusion };
}

/** Completes the run's check run, or writes a new completed one (none started, or an existing one reused). */
function close(run: Run, runId: number | undefined, outcome: CheckOutcome): Promise<number> {
  const { octokit } = run.deps;
  return withRequestSignal(octokit, AbortSignal.timeout(CLOSING_TIMEOUT_MS), () => completeCheckRun(octokit, run.repo, run.pr.headSha, runId, outcome));
}

function describeFailure(run: Run, why: ReturnType<typeof abortReason>, error: unknown, verdict: Conclusion | undefined): { title: string; summary: string } {
  const logs = run.options.deliveryId ? ` The app's log has the details under delivery \`${run.options.deliveryId}\`.` : '';
  if (verdict !== undefined) {
    return {
      title: 'Checked, but the report could not be published',
      summary: `realitycheck reached its verdict on this pull request (${verdict}) but could not publish the full report.\n\n${fenced(reasonOf(error))}\n\n${RETRY}${logs}`,
    };
  }
  if (why === 'deadline') {
    const limit = formatDeadline(run.timeoutMs);
    return {
      title: `Could not verify within ${limit}`,
      summary: `realitycheck stopped checking this pull request after ${limit}, the time a run may take (\`REALITYCHECK_RUN_TIMEOUT\`), so nothing was verified. Reading live state is what usually takes long: a drift detection on a large stack, or AWS or GitHub answering slowly.\n\n${RETRY}${logs}`,
    };
  }
  return {
    title: 'Could not verify',
    summary: `realitycheck could not finish checking this pull request, so nothing was verified.\n\n${fenced(reasonOf(error))}\n\n${RETRY}${logs}`,
  };
}

function reasonOf(error: unknown): string {
  const text = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  return text.slice(0, 2000);
}

/** A code block no backtick run in `text` can close. */
function fenced(text: string): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text}\n${fence}`;
}
