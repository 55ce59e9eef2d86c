// verdict: the repository's policy over default severities, then one conclusion.
import type { PolicySettings } from '../config-types.js';
import type { Conclusion, Finding, LiveState, Severity, TargetResult } from '../types.js';
import { sortFindings } from './findings.js';

export type VerdictPolicy = Pick<PolicySettings, 'unreadable'> & {
  /** The PR is AI-authored and `policy.ai` is `strict`. */
  aiStrict?: boolean;
};

/**
 * `unreadable` findings come in two kinds:
 * - live state that should have been read was not (a failed call, an unfinished or missing
 *   detection, a changed resource drift detection did not check, a target or file that was
 *   not checked). These take `policy.unreadable` (warn or block), so they never allow `success`.
 * - `notDeployed` (only `uncheckedChangeFindings`): a changed resource with a `Condition` that
 *   a fresh, complete detection did not find, because it is not deployed in this stack (the
 *   condition is false here: `Condition: IsProd` checked against staging). Nothing was left
 *   unread, so the policy does not raise it and it does not keep the PR from `success`.
 */
export function isUnread(finding: Finding): boolean {
  return finding.rule === 'unreadable' && finding.notDeployed !== true;
}

function severityUnder(finding: Finding, policy: VerdictPolicy): Severity {
  const severity = isUnread(finding) ? policy.unreadable : finding.severity;
  // Under aiStrict every stale assumption blocks. Three notes are not one: a broken config
  // file (not an assumption about infrastructure), a changed resource that is simply not
  // deployed in this stack (there is nothing live it could be stale against), and code that
  // names something that exists live outside the configured targets (`unmanaged-reference`:
  // depending on it is not a stale assumption).
  const notAnAssumption = finding.rule === 'config-error' || finding.notDeployed === true || finding.rule === 'unmanaged-reference';
  if (policy.aiStrict && !notAnAssumption) return 'block';
  return severity;
}

/**
 * `unreadable` takes `policy.unreadable`, the not-deployed note stays info; under
 * `aiStrict` every warn and info becomes block (except `config-error` and the not-deployed note: when the config is
 * broken, its policy is not known either).
 */
export function applyPolicy(findings: Finding[], policy: VerdictPolicy): Finding[] {
  return sortFindings(
    findings.map((finding) => {
      const severity = severityUnder(finding, policy);
      return severity === finding.severity ? finding : { ...finding, severity };
    }),
  );
}

/**
 * failure when anything blocks; neutral when anything warns, or live state was not read,
 * or any part of it was unread (an `unreadable` finding above info, see `isUnread`: a
 * resource the PR changes that drift detection did not check counts, whatever the policy
 * made of it); success only when live was read and all that is left is informational,
 * which includes a changed resource that is simply not deployed in this stack.
 */
export function computeConclusion(findings: Finding[], liveRead: boolean): Conclusion {
  if (findings.some((f) => f.severity === 'block')) return 'failure';
  if (findings.some((f) => f.severity === 'warn')) return 'neutral';
  if (!liveRead || findings.some(isUnread)) return 'neutral';
  return 'success';
}

/** Live state was read in full: a complete drift detection and no failed call. */
export function isLiveRead(live: LiveState): boolean {
  return live.drift?.status === 'DETECTION_COMPLETE' && live.unreadable.length === 0;
}

const RANK: Record<Conclusion, number> = { success: 0, neutral: 1, failure: 2 };

/** The strictest of the conclusions; `success` for none. */
export function worst(conclusions: Conclusion[]): Conclusion {
  return conclusions.reduce<Conclusion>((a, b) => (RANK[b] > RANK[a] ? b : a), 'success');
}

/** Every target's findings under the policy, its conclusion, and the run's (the worst). */
export function judgeTargets(
  analyses: ReadonlyArray<{ result: Omit<TargetResult, 'conclusion'>; liveRead: boolean }>,
  policy: VerdictPolicy,
): { results: TargetResult[]; conclusion: Conclusion } {
  const results = analyses.map(({ result, liveRead }): TargetResult => {
    const findings = applyPolicy(result.findings, policy);
    return { ...result, findings, conclusion: computeConclusion(findings, liveRead) };
  });
  return { results, conclusion: worst(results.map((r) => r.conclusion)) };
}
