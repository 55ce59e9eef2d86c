// What the MCP tools answer, built from what a scan learned (TargetEvidence): the drifted
// resources of a target, and one resource's declared and live properties. Pure. Every value
// goes through the same redaction as the report (values/redact.ts), NoEcho parameters included.
import type { TargetEvidence } from '../analyze/analyze-target.js';
import type { Target } from '../config-types.js';
import type { DeclaredResource, HclValue, LiveResource, LiveState, TerraformBlock } from '../types.js';
import { redactValue } from '../values/redact.js';
import { redactText } from '../values/redact-text.js';

export interface DriftedProperty {
  property: string;
  /** What the deployed code says (CloudFormation's expected value; Terraform: the state / plan's prior value). */
  declared?: unknown;
  live?: unknown;
  kind: 'ADD' | 'REMOVE' | 'NOT_EQUAL';
  redacted?: true;
}

export interface LiveSummary {
  source: string;
  readAt: string;
  checkedAt?: string;
  /** Parts of live state that could not be read: never "no drift". */
  unreadable: Array<{ api: string; code: string; message: string }>;
}

export function describeLiveSource(target: Target): string {
  if (target.kind === 'cloudformation') return target.snapshot ? `snapshot ${target.snapshot} (default branch)` : 'CloudFormation drift detection';
  if (target.plan) return `Terraform plan (artifact ${target.plan.artifact}; locally: --plan)`;
  if (target.state) return `Terraform state s3://${target.state.s3.bucket}/${target.state.s3.key} and AWS Cloud Control`;
  return 'Terraform state from the root\'s backend "s3" block and AWS Cloud Control';
}

export function liveOf(evidence: TargetEvidence): LiveState | undefined {
  return evidence.kind === 'terraform' ? evidence.live : evidence.compared?.live;
}

export function summarizeLive(live: LiveState | undefined): LiveSummary | null {
  if (!live) return null;
  return {
    source: live.source,
    readAt: live.readAt,
    ...(live.drift ? { checkedAt: live.drift.checkedAt } : {}),
    unreadable: live.unreadable.map((u) => ({ api: u.api, code: u.code, message: redactText(u.message) })),
  };
}

export function driftedResources(live: LiveState | undefined) {
  const noEcho = new Set(live?.stack?.noEchoParameters ?? []);
  return (live?.drift?.resources ?? [])
    .filter((r) => r.status === 'MODIFIED' || r.status === 'DELETED')
    .map((r) => ({ resource: r.logicalId, type: r.type, ...(r.physicalId ? { physicalId: r.physicalId } : {}), status: r.status, ...(r.checkedAt ? { checkedAt: r.checkedAt } : {}), properties: r.differences.map((d) => toDrifted(d, noEcho)) }));
}

export function notChecked(live: LiveState | undefined): string[] {
  return (live?.drift?.resources ?? []).filter((r) => r.status === 'NOT_CHECKED').map((r) => r.logicalId);
}

function toDrifted(d: LiveResource['differences'][number], noEcho: ReadonlySet<string>): DriftedProperty {
  const declared = redactValue(d.path, d.expected, noEcho);
  const live = redactValue(d.path, d.actual, noEcho);
  const redacted = declared !== d.expected || live !== d.actual;
  return { property: d.path, ...(declared !== undefined ? { declared } : {}), ...(live !== undefined ? { live } : {}), kind: d.kind, ...(redacted ? { redacted: true as const } : {}) };
}

/** One resource: its declared properties at the head and at the base, and its live record. */
export function describeResource(evidence: TargetEvidence, name: string) {
  const live = liveOf(evidence);
  const noEcho = new Set(live?.stack?.noEchoParameters ?? []);
  // Terraform instances carry keys (`aws_sqs_queue.jobs[0]`); the declared block has none.
  const liveRecords = (live?.drift?.resources ?? []).filter((r) => r.logicalId === name || r.logicalId.replace(/\[[^\]]*\]$/, '') === name);
  let declared: { head?: object; base?: object } = {};
  let known: string[] = [];
  if (evidence.kind === 'terraform') {
    const find = (root: { blocks: TerraformBlock[] } | undefined) => root?.blocks.find((b) => b.address === name.replace(/\[[^\]]*\]$/, '') && (b.kind === 'resource' || b.kind === 'data' || b.kind === 'module'));
    const head = find(evidence.declared.head);
    const base = find(evidence.declared.base);
    declared = { ...(head ? { head: terraformBlock(head) } : {}), ...(base ? { base: terraformBlock(base) } : {}) };
    known = [...new Set([...(evidence.declared.head?.blocks ?? []), ...(evidence.declared.base?.blocks ?? [])].filter((b) => b.kind === 'resource').map((b) => b.address))];
  } else {
    const compared = evidence.compared;
    const head = compared?.head?.resources.find((r) => r.logicalId === name);
    const base = compared?.base?.resources.find((r) => r.logicalId === name);
    declared = { ...(head ? { head: cloudFormationResource(head, noEcho) } : {}), ...(base ? { base: cloudFormationResource(base, noEcho) } : {}) };
    known = [...new Set([...(compared?.head?.resources ?? []), ...(compared?.base?.resources ?? [])].map((r) => r.logicalId))];
  }
  if (!declared.head && !declared.base && liveRecords.length === 0) return { found: false as const, known };
  return {
    found: true as const,
    resource: name,
    declared,
    live: liveRecords.map((r) => ({
      instance: r.logicalId,
      type: r.type,
      ...(r.physicalId ? { physicalId: r.physicalId } : {}),
      status: r.status,
      ...(r.checkedAt ? { checkedAt: r.checkedAt } : {}),
      ...(r.notCheckedReason ? { notCheckedReason: redactText(r.notCheckedReason) } : {}),
      differences: r.differences.map((d) => toDrifted(d, noEcho)),
    })),
    // What the record means: a resource drift detection did not list is unknown live, not in sync.
    status: liveRecords.length === 0 ? 'UNKNOWN' : worstStatus(liveRecords.map((r) => r.status)),
    liveSummary: summarizeLive(live),
  };
}

function worstStatus(statuses: string[]): string {
  for (const s of ['DELETED', 'MODIFIED', 'NOT_CHECKED', 'IN_SYNC']) if (statuses.includes(s)) return s;
  return statuses[0] ?? 'UNKNOWN';
}

function cloudFormationResource(r: DeclaredResource, noEcho: ReadonlySet<string>) {
  return {
    type: r.type,
    properties: redactValue('', r.properties, noEcho),
    lines: { start: r.span.startLine, end: r.span.endLine },
  };
}

function terraformBlock(b: TerraformBlock) {
  const attributes: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(b.attributes)) attributes[name] = redactValue(name, hclValue(attribute.value));
  return { type: b.type, file: b.file, lines: { start: b.span.startLine, end: b.span.endLine }, attributes, ...(b.blocks.length ? { blocks: b.blocks.map((n) => n.path) } : {}) };
}

/** A literal as its value; an expression as its source text (`${...}` marks it). */
function hclValue(value: HclValue): unknown {
  return value.kind === 'literal' ? value.value : `\${${value.text}}`;
}
