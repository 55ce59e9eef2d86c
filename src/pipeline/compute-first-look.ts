// Pure. A run whose stack-wide drift detection is still running has a first look: the drift
// of the resources the pull request touches, read one by one (live/read-targeted-drift.ts).
// What that first look may say, and when it may conclude the check run.
//
// The rule: the check concludes on the first look only when it is `failure`; any other
// verdict waits, in progress, for the stack-wide result. Why:
// - Nothing the stack-wide detection brings can soften a failure from the first look. The
//   touched resources keep their targeted records in the full result
//   (live/compute-targeted-drift.ts mergeTargetedDrift), so every finding on them
//   (conflict, revert, deleted, an unchecked change) is found again as it was; the stack's
//   status and the deployed template are the ones read before; findings only add up.
// - Anything milder can still get stricter. The stack-wide result adds drift elsewhere (info
//   for CloudFormation, block for an AI-authored pull request under `policy.ai: strict`) and,
//   when the detection fails or ends DETECTION_FAILED, an `unreadable` finding (warn, block
//   under `policy.unreadable: block`, block under strict) that also takes `success` away
//   (`success` says the whole stack was read). A `neutral` published early passes a required
//   check as `success` does, so it waits as well.
// - Touched resources the reads one by one did not settle (the call failed, AccessDenied,
//   throttled, a type drift detection does not support, past the bound) are the stack-wide
//   detection's to read: the first look neither blocks nor passes on them. Their `unreadable`
//   findings ("no result yet") are left out of it, so a refused DetectStackResourceDrift
//   under `policy.unreadable: block` cannot publish a failure that the stack-wide result
//   would then take back. What they turn out to be comes with the full result.
// Whatever happens after an early failure (the detection fails, the run is aborted or
// superseded), the check stays concluded with a verdict that is never milder than the
// truth; a run that waits and then cannot finish concludes `failure` ("could not verify",
// pipeline/conclude-failed-run.ts), never stays in progress and never passes.
import type { TargetAnalysis, TargetEvidence } from '../analyze/analyze-target.js';
import type { Conclusion, TargetedRead } from '../types.js';

/** The targeted read of a CloudFormation target's evidence, when its drift came that way. */
export function targetedRead(evidence: TargetEvidence): TargetedRead | undefined {
  return evidence.kind === 'terraform' ? undefined : evidence.compared?.live.drift?.targeted;
}

/** The analyses as the first look may state them: without the findings that only say a touched resource is not read yet. */
export function firstLookAnalyses(analyses: TargetAnalysis[], evidence: TargetEvidence[]): TargetAnalysis[] {
  return analyses.map((analysis, i) => {
    const targeted = targetedRead(evidence[i]!);
    if (targeted?.stackWide !== 'running' || targeted.unsettled.length === 0) return analysis;
    const waiting = new Set(targeted.unsettled.map((u) => u.logicalId));
    const findings = analysis.result.findings.filter((f) => !(f.rule === 'unreadable' && f.resource !== undefined && waiting.has(f.resource)));
    return { ...analysis, result: { ...analysis.result, findings } };
  });
}

/** Whether the first look's conclusion may be published as the check's conclusion now. */
export function concludesEarly(conclusion: Conclusion): boolean {
  return conclusion === 'failure';
}

/** How the drift was read, in a sentence for the report (plain text; the template escapes it). */
export function renderTargetedDetail(targeted: TargetedRead): string {
  const n = targeted.settled.length;
  const read = `Drift of the ${n === 1 ? 'resource' : `${n} resources`} this pull request touches was read one by one (DetectStackResourceDrift)`;
  const waiting = targeted.unsettled.length;
  const why = targeted.unsettled[0]?.reason;
  const left = waiting === 0 ? '' : `; ${waiting} more ${waiting === 1 ? 'was' : 'were'} left to the stack-wide detection (${why})`;
  const stopped = targeted.stoppedBy ? ` Allow cloudformation:DetectStackResourceDrift for a verdict in seconds (it failed with ${targeted.stoppedBy.code}).` : '';
  if (targeted.stackWide === 'running') {
    return `${read}${left}. Drift elsewhere in the stack comes from a stack-wide detection that is still running: this report is updated when it finishes.${stopped}`;
  }
  if (targeted.stackWide === 'failed') return `${read}${left}; the stack-wide detection did not finish, so drift elsewhere in the stack is unknown.${stopped}`;
  return `${read}${left}; the rest of the stack comes from the stack-wide detection.${stopped}`;
}
