// One target, end to end of the pure part: everything the scope, declared and live steps
// learned about it (as data) in, its findings before policy and its result out. The
// pipeline applies the policy over every target (verdict.ts).
import type { IgnoreRule } from '../config-types.js';
import type { ParseError, ScopeNote, TargetResult } from '../types.js';
import { analyze, type AnalyzeInput } from './analyze.js';
import { sortFindings, unparseableFinding } from './findings.js';
import { leavesUnchecked, scopeNoteFindings } from './rules/scope-notes.js';
import { isLiveRead } from './verdict.js';
import { analyzeTerraformTarget, type TerraformEvidence } from './terraform/analyze-terraform-target.js';

/** What the pipeline learned about one target: a CloudFormation stack, or a Terraform root (`kind: 'terraform'`). */
export type TargetEvidence = CloudFormationEvidence | (TerraformEvidence & { kind: 'terraform' });

export interface CloudFormationEvidence {
  kind?: 'cloudformation';
  target: TargetResult['target'];
  notes: ScopeNote[];
  /** Versions of the template that do not parse; nothing is compared then. */
  unparseable: Array<{ version: 'base' | 'head'; error: ParseError }>;
  /** The three layers, when they could be compared. */
  compared?: Omit<AnalyzeInput, 'target' | 'ignore'>;
}

/** A target's result before policy, and whether its live state was read in full. */
export interface TargetAnalysis {
  result: Omit<TargetResult, 'conclusion'>;
  liveRead: boolean;
}

export function analyzeTarget(evidence: TargetEvidence, ignore: IgnoreRule[]): TargetAnalysis {
  if (evidence.kind === 'terraform') return analyzeTerraformTarget(evidence, ignore);
  return analyzeCloudFormation(evidence, ignore);
}

function analyzeCloudFormation(evidence: CloudFormationEvidence, ignore: IgnoreRule[]): TargetAnalysis {
  const { target, notes, compared } = evidence;
  const noted = [
    ...evidence.unparseable.map(({ version, error }) => unparseableFinding(target.name, error, version)),
    ...scopeNoteFindings(target.name, notes),
  ];
  if (!compared || evidence.unparseable.length > 0) {
    return { result: { target, changes: [], findings: sortFindings(noted), ignored: [] }, liveRead: false };
  }
  const { live } = compared;
  const analyzed = analyze({ ...compared, target: { name: target.name, file: target.file }, ignore });
  const result: Omit<TargetResult, 'conclusion'> = {
    target: { ...target, ...(live.stack ? { region: live.stack.region } : {}) },
    changes: compared.changes,
    findings: sortFindings([...analyzed.findings, ...noted]),
    ignored: analyzed.ignored,
    ...(analyzed.coverage ? { coverage: analyzed.coverage } : {}),
    live: {
      source: live.source,
      readAt: live.readAt,
      ...(live.stack ? { stackStatus: live.stack.status } : {}),
      ...(live.drift ? { detection: { reused: live.drift.reused, checkedAt: live.drift.checkedAt, status: live.drift.status } } : {}),
    },
  };
  const liveRead = isLiveRead(live) && compared.deployedError === undefined && !notes.some(leavesUnchecked);
  return { result, liveRead };
}
