// One run for one pull request at one head SHA, the steps of DESIGN.md:
// 1 scope → 2 declared → 3 live → 4 analyze → 5 verdict → 6 report → 7 publish.
// Each step returns a new value; only analyze/ makes findings; anything that stops the run
// early ends in a completed check run that never passes what was not verified
// (pipeline/conclude-failed-run.ts).
import { analyzeTarget, type TargetEvidence } from './analyze/analyze-target.js';
import { judgeTargets } from './analyze/verdict.js';
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
import { readAuthorship } from './pipeline/read-authorship.js';
import { readConfig } from './pipeline/read-config.js';
import type { PipelineDeps, RunOptions, RunOutcome } from './pipeline/types.js';
import { readTarget } from './read-target.js';
import { readScope } from './pipeline/read-scope.js';
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
      if (scope.touched.length === 0) return publishUntouched(run);
      progress.check = await openCheckRun(run);

      // 2. declared and 3. live, target by target (data, no findings yet)
      const evidence: TargetEvidence[] = [];
      const waits: PlanWait[] = [];
      for (const { target, notes } of scope.touched) {
        throwIfAborted(run);
        const request = { target, notes, changed, config, forceDetection: options.forceDetection ?? false, signal: run.signal, ...(options.plan ? { plan: options.plan } : {}) };
        const read = await readTarget({ octokit, providers: deps.providers, ...(phase ? { onPhase: phase } : {}) }, pr, request);
        if (read.wait) waits.push(read.wait);
        else evidence.push(read.evidence);
      }
      throwIfAborted(run);
      // A Terraform plan still to come: nothing concludes before it arrives.
      if (waits.length > 0) return publishWaiting(run, progress.check, waits);

      // 4. analyze: pure, every finding is made here
      const analyses = await timed(phase, 'analyze', () => evidence.map((e) => analyzeTarget(e, config.ignore)));

      // 5. verdict: the repository's policy, stricter for AI-authored pull requests
      const authorship = await timed(phase, 'verdict', () => readAuthorship(octokit, pr, config, analyses));
      const aiStrict = config.policy.ai === 'strict' && authorship.aiAuthored;
      const verdict = judgeTargets(analyses, { unreadable: config.policy.unreadable, aiStrict });
      throwIfAborted(run); // a superseded or late run publishes nothing
      progress.verdict = verdict.conclusion;

      // 6. report, 7. publish: check run and summary comment, then the review's suggested changes
      const outcome = await publishResult(run, progress.check, verdict, authorship, config);
      await publishReview(run, changed, verdict.results, config);
      return outcome;
    });
  } catch (error) {
    return concludeFailedRun(run, progress, error);
  }
}
