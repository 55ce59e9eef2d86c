// Findings are shaped in one place: the order they are shown in, and the builders for
// findings raised outside analyze() (the parser's `unparseable`). Config problems are
// shown by the report from RunResult.configProblems.
import type { Finding, ParseError, RuleId, Severity } from '../types.js';

const SEVERITY_ORDER: Severity[] = ['block', 'warn', 'info'];

/** The vocabulary's order (DESIGN.md): what a reviewer acts on first comes first. */
const RULE_ORDER: RuleId[] = [
  'unparseable',
  'unsafe-state',
  'conflict',
  'revert',
  'deleted',
  'unmanaged',
  'undeclared',
  'diverged-base',
  'stale-reference',
  'unreadable',
  'drift-elsewhere',
  'config-error',
];

/** Severity (block, warn, info), then rule, then resource (stack-wide findings first), then message. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      RULE_ORDER.indexOf(a.rule) - RULE_ORDER.indexOf(b.rule) ||
      (a.resource ?? '').localeCompare(b.resource ?? '') ||
      a.message.localeCompare(b.message),
  );
}

/**
 * A template that does not parse: nothing about it can be checked. `target` is the
 * target's name (or the target); `version` says which side of the PR failed.
 */
export function unparseableFinding(target: string | { name: string }, error: ParseError, version?: 'base' | 'head'): Finding {
  const where = error.column === undefined ? `line ${error.line}` : `line ${error.line}, column ${error.column}`;
  const name = typeof target === 'string' ? target : target.name;
  if (version === 'base') {
    // The pull request did not break it (it may be fixing it), but without the base there
    // is no telling what it changes: a warning, and no annotation, since base line numbers
    // do not point into the head file that annotations are shown on.
    return {
      rule: 'unparseable',
      severity: 'warn',
      target: name,
      message: `${error.file} does not parse on the base branch (${where}): ${error.message}; what this pull request changes could not be worked out`,
      file: error.file,
      evidence: [],
    };
  }
  const side = version === undefined ? '' : ` on the ${version} commit`;
  return {
    rule: 'unparseable',
    severity: 'block',
    target: name,
    message: `${error.file} does not parse${side} (${where}): ${error.message}`,
    file: error.file,
    span: { startLine: error.line, endLine: error.line },
    evidence: [],
  };
}
