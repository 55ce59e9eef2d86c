// verdict: the repository's policy over default severities, then one conclusion.
import type { Policy } from '../config.js';
import type { Conclusion, Finding, LiveState, Severity } from '../types.js';
import { sortFindings } from './findings.js';

export type VerdictPolicy = Pick<Policy, 'unreadable'> & {
  /** The PR is AI-authored and `policy.ai` is `strict`. */
  aiStrict?: boolean;
};

function severityUnder(finding: Finding, policy: VerdictPolicy): Severity {
  const severity = finding.rule === 'unreadable' ? policy.unreadable : finding.severity;
  // A broken config file is not a stale assumption about infrastructure; it stays neutral.
  if (policy.aiStrict && finding.rule !== 'config-error') return 'block';
  return severity;
}

/**
 * `unreadable` takes `policy.unreadable`; under `aiStrict` every warn and info becomes
 * block (except `config-error`: when the config is broken, its policy is not known either).
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
 * failure when anything blocks; neutral when anything warns, or live state was not read
 * (or any part of it was unreadable, including a resource the PR changes that drift
 * detection did not check: rule `unreadable` whatever its severity); success only when
 * live was read and all that is left is informational.
 */
export function computeConclusion(findings: Finding[], liveRead: boolean): Conclusion {
  if (findings.some((f) => f.severity === 'block')) return 'failure';
  if (findings.some((f) => f.severity === 'warn')) return 'neutral';
  if (!liveRead || findings.some((f) => f.rule === 'unreadable')) return 'neutral';
  return 'success';
}

/** Live state was read in full: a complete drift detection and no failed call. */
export function isLiveRead(live: LiveState): boolean {
  return live.drift?.status === 'DETECTION_COMPLETE' && live.unreadable.length === 0;
}
