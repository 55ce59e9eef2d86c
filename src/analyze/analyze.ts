// analyze: base, head and live for one target in, findings out. Pure: no I/O, no SDKs.
// Severities are the defaults from DESIGN.md; verdict.ts applies the repository's policy.
import type { IgnoreRule } from '../config-types.js';
import type { Coverage, DeclaredTemplate, Finding, IgnoredDrift, LiveState, ParseError, ResourceChange } from '../types.js';
import { applyIgnoreRules } from './apply-ignore.js';
import { computeSamGenerated } from '../iac/cloudformation/compute-sam-generated.js';
import { createContext } from './context.js';
import { computeCoverage } from './coverage.js';
import { sortFindings } from './findings.js';
import { redactText } from '../values/redact-text.js';
import { conflictAndRevertFindings } from './rules/conflict-revert.js';
import { deletedFindings } from './rules/deleted.js';
import { divergedBaseFindings } from './rules/diverged-base.js';
import { driftElsewhereFindings } from './rules/drift-elsewhere.js';
import { uncheckedChangeFindings } from './rules/unchecked-change.js';
import { unreadableFindings } from './rules/unreadable.js';
import { unsafeStateFindings } from './rules/unsafe-state.js';
import { undeclaredFindings } from './rules/undeclared.js';
import { changeSetFindings } from './rules/change-set.js';

export { unparseableFinding } from './findings.js';

export interface AnalyzeTarget {
  name: string;
  /** Template path in the repository. */
  file: string;
}

export interface AnalyzeInput {
  target: AnalyzeTarget;
  /** Parsed base template; absent when the PR adds the file. */
  base?: DeclaredTemplate;
  /** Parsed head template; absent when the PR deletes the file. */
  head?: DeclaredTemplate;
  /** The parser's `computeChanges(base, head)`. */
  changes: ResourceChange[];
  live: LiveState;
  /** The deployed template (`live.deployedTemplate`), parsed. */
  deployed?: DeclaredTemplate;
  /** Set instead of `deployed` when the deployed template does not parse: it is reported unreadable, never skipped. */
  deployedError?: ParseError;
  ignore: IgnoreRule[];
}

export interface AnalyzeResult {
  findings: Finding[];
  ignored: IgnoredDrift[];
  /** Absent when drift could not be read. */
  coverage?: Coverage;
}

export function analyze(given: AnalyzeInput): AnalyzeResult {
  // 0. what SAM generates for a changed serverless resource (its role, permissions, ...) is
  // changed with it: drift there is reverted by deploying, not drift elsewhere
  const input = { ...given, changes: [...given.changes, ...generatedChanges(given)] };
  // 1. expected drift out first, counted
  const { resources, ignored } = applyIgnoreRules(input.live.drift?.resources ?? [], input.ignore, input.changes);
  const ctx = createContext(input, resources);
  // 2. every rule over the same context (the opt-in ones say what they ignored, too)
  const optIn = [undeclaredFindings(ctx), changeSetFindings(ctx)];
  const findings = [
    ...optIn.flatMap((o) => o.findings),
    ...unsafeStateFindings(ctx),
    ...unreadableFindings(ctx),
    ...uncheckedChangeFindings(ctx),
    ...conflictAndRevertFindings(ctx),
    ...deletedFindings(ctx),
    ...divergedBaseFindings(ctx),
    ...driftElsewhereFindings(ctx),
  ];
  // 3. in the order people read them; AWS's own text in a message (a stack's status
  // reason, an error) may quote a URL with its secret, as evidence may
  const result: AnalyzeResult = { findings: sortFindings(findings.map((f) => ({ ...f, message: redactText(f.message) }))), ignored: [...ignored, ...optIn.flatMap((o) => o.ignored)] };
  if (input.live.drift) result.coverage = computeCoverage(resources);
  return result;
}

function generatedChanges(input: AnalyzeInput) {
  const live = new Map((input.live.drift?.resources ?? []).map((resource) => [resource.logicalId, resource.type]));
  const declared = new Set([...(input.base?.resources ?? []), ...(input.head?.resources ?? [])].map((resource) => resource.logicalId));
  return computeSamGenerated(input.changes, live, declared);
}
