// Short plain-text phrases per rule and severity (no markdown: they go through escapeText).
import type { Conclusion, RuleId, Severity } from '../types.js';

/** Why a target got its verdict, one phrase per rule. */
export const RULE_REASON: Record<RuleId, string> = {
  conflict: 'the pull request changes a property that was already changed live',
  revert: 'deploying it would revert changes made live',
  deleted: 'it changes or references a resource that no longer exists live',
  unmanaged: 'it creates a resource whose name is already taken live',
  undeclared: 'a resource it changes has properties set live that the template never declares',
  'unsafe-state': 'the stack is in a state where a deploy fails or is unsafe',
  'diverged-base': 'what is deployed differs from the base branch',
  'drift-elsewhere': 'resources it does not touch have drifted',
  'stale-reference': 'it names infrastructure that does not exist live',
  'unmanaged-reference': 'it names infrastructure that exists live but no configured target declares',
  unreadable: 'live state could not be read',
  unparseable: 'a template does not parse',
  'config-error': 'the configuration is invalid',
};

export const SEVERITIES: readonly Severity[] = ['block', 'warn', 'info'];

export const GROUP_TITLE: Record<Severity, string> = {
  block: 'Blocking',
  warn: 'Warnings',
  info: 'For information',
};

export const CONCLUSION_ICON: Record<Conclusion, string> = {
  failure: '❌',
  neutral: '⚠️',
  success: '✅',
};

export type SeverityCounts = Record<Severity, number>;

export function countSeverities(severities: Iterable<Severity>): SeverityCounts {
  const counts: SeverityCounts = { block: 0, warn: 0, info: 0 };
  for (const severity of severities) counts[severity]++;
  return counts;
}

/** `2 blocking, 1 warning` (info counted only when asked). */
export function describeCounts(counts: SeverityCounts, withInfo = false): string {
  const parts: string[] = [];
  if (counts.block) parts.push(`${counts.block.toLocaleString('en-US')} blocking`);
  if (counts.warn) parts.push(plural(counts.warn, 'warning'));
  if (withInfo && counts.info) parts.push(plural(counts.info, 'note'));
  return parts.join(', ');
}

export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : nouns}`;
}
