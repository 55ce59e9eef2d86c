// One run for one pull request at one head SHA, the steps of DESIGN.md:
// 1 scope → 2 declared → 3 live → 4 analyze → 5 verdict → 6 report → 7 publish.
// Each step returns a new value; only analyze/ makes findings; anything that stops the run
// early ends in a completed check run that never passes what was not verified
// (pipeline/conclude-failed-run.ts).
import type { TargetEvidence } from './analyze/analyze-target.js';
import { withRequestSignal } from './github/request-signal.js';
import type { PullRequestRef } from './github/pull-request.js';
import { concludeFailedRun, type RunProgress } from './pipeline/conclude-failed-run.js';
import { openCheckRun } from './pipeline/open-check-run.js';
import { openRun, throwIfAborted } from './pipeline/open-run.js';
import { publishConfigProblems, publishUntouched } from './pipeline/publish-early.js';
import { publishResult } from './pipeline/publish-result.js';
import { publishReview } from './pipeline/publish-review.js';
import { publishWaiting } from './pipeline/publish-waiting.js';
import { closeAbandonedWait } from './pipeline/close-abandoned-wait.js';
import { readsPlanFrom, type PlanWait } from './read-terraform.js';
import { judgeEvidence } from './pipeline/judge-evidence.js';
import { publishFirstLook } from './pipeline/publish-first-look.js';
import { readConfig } from './pipeline/read-config.js';
import type { PipelineDeps, RunOptions, RunOutcome } from './pipeline/types.js';
import { readTarget } from './read-target.js';
import { readScope } from './pipeline/read-scope.js';
import { readReferenceScope, readReferences } from './pipeline/read-references.js';
import { timed } from './phase-timer.js';

export type { Logger, PipelineDeps, RunOptions, RunOutcome, RunStatus } from './pipeline/types.js';

export async function runPipeline(deps: PipelineDeps, pr: PullRequestRef, options: RunOptions): Promise<RunOutcome> {
  const run = await openRun(deps, pr, options);
  const { octokit, onPhase: phase } = deps;
  const progress: RunProgress = {};
  try {
    // Every GitHub request below carries the run's signal (superseded, or past its deadline).
    return await withRequestSignal(octokit, run.signal, async () => {
      // the repository's config, from the default branch
      const loaded = await timed(phase, 'config', () => readConfig(deps.loadConfig));
      if (loaded.kind === 'absent') return { status: 'no-config' };
      if (loaded.kind === 'invalid') return publishConfigProblems(run, loaded.problems);
      const { config, targets } = loaded;
      await closeAbandonedWait(run, options.plan?.deadlinePassedFor);
      // A workflow run no target reads a plan from changes nothing: no GitHub call, no write.
      if (options.plan?.run && !readsPlanFrom(targets, options.plan.run.workflowPath)) return { status: 'ignored' };

      // 1. scope: which configured targets the pull request touches
      const { changed, scope } = await timed(phase, 'scope', () => readScope(octokit, pr, targets));
      // references in code: any in the added lines, and checked for this pull request? (`ai`: its authorship decides)
      const code = await timed(phase, 'scope', () => readReferenceScope(octokit, pr, config, changed, scope.cutShort));
      if (scope.touched.length === 0 && !code?.on) return publishUntouched(run);
      progress.check = await openCheckRun(run);

      // 2. declared and 3. live, target by target (data, no findings yet). A stack whose drift
      // must be detected anew gives the resources the pull request touches first; the rest of
      // the stack follows (`later`) when its stack-wide detection lands.
      const evidence: TargetEvidence[] = [];
      const later: Array<Promise<TargetEvidence> | undefined> = [];
      const waits: PlanWait[] = [];
      for (const { target, notes } of scope.touched) {
        throwIfAborted(run);
        const request = { target, notes, changed, config, forceDetection: options.forceDetection ?? false, signal: run.signal, ...(options.plan ? { plan: options.plan } : {}) };
        const read = await readTarget({ octokit, providers: deps.providers, ...(phase ? { onPhase: phase } : {}) }, pr, request);
        if (read.wait) {
          waits.push(read.wait);
          continue;
        }
        evidence.push(read.evidence);
        later.push('later' in read ? read.later : undefined);
      }
      throwIfAborted(run);
      // A Terraform plan still to come: nothing concludes before it arrives.
      if (waits.length > 0) return publishWaiting(run, progress.check, waits);

      // 2–3 for the infrastructure the added lines name: declared names at the head, live look-ups
      const references = code?.on
        ? await timed(phase, 'live', () => readReferences(run, { config, targets, found: code.found, aiAuthored: code.authorship.aiAuthored }))
        : undefined;
      throwIfAborted(run);

      // 4. analyze and 5. verdict (pipeline/judge-evidence.ts)
      const firstLook = later.some((l) => l !== undefined);
      const extra = references ? [references] : [];
      let judged = await judgeEvidence(run, config, evidence, { firstLook, extra, ...(code ? { authorship: code.authorship } : {}) });
      throwIfAborted(run); // a superseded or late run publishes nothing
      let annotated: Set<string> | undefined;
      if (firstLook) {
        // 6–7 on the first look, when it may conclude (pipeline/compute-first-look.ts), then
        // 4–5 again on the full result, which the same check run and comment then show
        const published = await publishFirstLook(run, progress.check, judged, config);
        progress.check = published.check;
        // a verdict published now stands if the run fails later (conclude-failed-run.ts)
        progress.verdict = progress.concluded = published.concluded?.conclusion;
        annotated = published.concluded?.annotated;
        const full = await Promise.all(evidence.map((e, i) => later[i] ?? e));
        judged = await judgeEvidence(run, config, full, { firstLook: false, authorship: judged.authorship, extra });
        throwIfAborted(run);
      }
      progress.verdict = judged.verdict.conclusion;

      // 6. report, 7. publish: check run and summary comment (a pull request that touches no
      // infrastructure gets a comment only when there is something to say), then the review's
      // suggested changes
      const nothingToSay = scope.touched.length === 0 && judged.verdict.results.every((r) => r.findings.length === 0);
      const outcome = await publishResult(run, progress.check, judged.verdict, judged.authorship, config, { ...(annotated ? { annotated } : {}), createComment: !nothingToSay });
      await publishReview(run, changed, judged.verdict.results, config);
      return outcome;
    });
  } catch (error) {
    return concludeFailedRun(run, progress, error);
  }
}
