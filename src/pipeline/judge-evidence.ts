// Steps 4 and 5 for every target: analyze (pure; every finding is made there), then the
// verdict under the repository's policy, stricter for AI-authored pull requests. Run once,
// or twice when a stack-wide drift detection is still running: on the first look (the
// touched resources read one by one, see compute-first-look.ts) and on the full result.
import type { Authorship } from '../analyze/ai-authorship.js';
import { analyzeTarget, type TargetAnalysis, type TargetEvidence } from '../analyze/analyze-target.js';
import { judgeTargets } from '../analyze/verdict.js';
import type { Config } from '../config.js';
import { timed } from '../phase-timer.js';
import type { Conclusion, TargetResult } from '../types.js';
import { firstLookAnalyses, renderTargetedDetail, targetedRead } from './compute-first-look.js';
import type { Run } from './open-run.js';
import { readAuthorship } from './read-authorship.js';

export interface Judged {
  verdict: { results: TargetResult[]; conclusion: Conclusion };
  authorship: Authorship;
}

export async function judgeEvidence(
  run: Run,
  config: Config,
  evidence: TargetEvidence[],
  /**
   * `firstLook`: more live state is to come; `authorship`: as already read (once per run);
   * `extra`: analyses made outside the targets (references in code), judged with them.
   */
  stage: { firstLook: boolean; authorship?: Authorship; extra?: TargetAnalysis[] },
): Promise<Judged> {
  const { octokit, onPhase: phase } = run.deps;
  const analyzed = await timed(phase, 'analyze', () => evidence.map((e) => analyzeTarget(e, config.ignore)));
  const analyses = [...(stage.firstLook ? firstLookAnalyses(analyzed, evidence) : analyzed), ...(stage.extra ?? [])];
  const authorship = stage.authorship ?? (await timed(phase, 'verdict', () => readAuthorship(octokit, run.pr, config, analyses, stage.firstLook)));
  const aiStrict = config.policy.ai === 'strict' && authorship.aiAuthored;
  const verdict = judgeTargets(analyses, { unreadable: config.policy.unreadable, aiStrict });
  // where drift came one by one, the report says so (and what is still to come)
  const results = verdict.results.map((result, i) => {
    const own = evidence[i]; // undefined for the extra analyses, which come last
    const targeted = own ? targetedRead(own) : undefined;
    return targeted && result.live ? { ...result, live: { ...result.live, detail: renderTargetedDetail(targeted) } } : result;
  });
  return { verdict: { results, conclusion: verdict.conclusion }, authorship };
}
