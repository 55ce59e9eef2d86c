// `scan --format json` (and the MCP tools' structured results): one documented, versioned
// object, docs/scan-json.md. Pure. Values are redacted once more on the way out (analyze
// redacted them already; see report/safe-evidence.ts), so a later change upstream cannot
// print a secret here either.
import { safeEvidence } from '../report/safe-evidence.js';
import { redactText } from '../values/redact-text.js';
import type { Conclusion, Coverage, Finding, RunResult, Severity, TargetResult } from '../types.js';

export const SCAN_SCHEMA_VERSION = 1;

export type FailOn = 'block' | 'warn' | 'never';

export interface ScanJson {
  schemaVersion: 1;
  tool: { name: 'realitycheck'; version: string };
  repository: { base: { ref: string; sha: string }; head: { ref: string; sha: string }; mergeBase: string; config: string };
  verdict: {
    conclusion: Conclusion;
    failOn: FailOn;
    /** Whether the scan fails by `failOn` (exit code 1). */
    fails: boolean;
    counts: Record<Severity, number>;
    aiAuthored: boolean;
    aiSignals: Array<{ kind: string; agent: string; detail: string; commit?: string }>;
  };
  targets: ScanJsonTarget[];
  findings: ScanJsonFinding[];
  coverage: Coverage & { targetsRead: number; targetsNotRead: number };
}

export interface ScanJsonTarget {
  name: string;
  /** `code`: the infrastructure named in the added lines (references). */
  kind: 'cloudformation' | 'terraform' | 'code';
  stack?: string;
  region?: string;
  file: string;
  conclusion: Conclusion;
  live: { source: string; readAt: string; stackStatus?: string; detection?: { reused: boolean; checkedAt: string; status: string }; detail?: string } | null;
  coverage: Coverage | null;
  changes: Array<{ resource: string; type?: string; action: string; properties: string[] }>;
  ignored: Array<{ resource: string; property: string; reason: string; reverted?: true }>;
}

export interface ScanJsonFinding {
  rule: Finding['rule'];
  severity: Severity;
  target: string;
  resource?: string;
  resourceType?: string;
  physicalId?: string;
  /** The first evidence row's property path. */
  property?: string;
  message: string;
  file?: string;
  lines?: { start: number; end: number };
  evidence: Array<{ property: string; base?: unknown; head?: unknown; deployed?: unknown; live?: unknown; redacted?: true }>;
  liveReadAt?: string;
}

export interface ScanJsonInput {
  run: RunResult;
  refs: { base: { ref: string; sha: string }; head: { ref: string; sha: string }; mergeBase: string };
  configSource: string;
  failOn: FailOn;
  version: string;
}

/** Whether a result reaches `--fail-on`: `block` on a failing verdict, `warn` on anything short of success. */
export function failsOn(conclusion: Conclusion, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  if (failOn === 'block') return conclusion === 'failure';
  return conclusion !== 'success';
}

export function renderScanJson(input: ScanJsonInput): ScanJson {
  const { run } = input;
  const findings = run.targets.flatMap((t) => t.findings).map(toFinding);
  const counts: Record<Severity, number> = { block: 0, warn: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  const coverage = { inSync: 0, drifted: 0, deleted: 0, notChecked: 0, targetsRead: 0, targetsNotRead: 0 } as ScanJson['coverage'];
  for (const t of run.targets) {
    if (!t.coverage) {
      coverage.targetsNotRead += 1;
      continue;
    }
    coverage.targetsRead += 1;
    coverage.inSync += t.coverage.inSync;
    coverage.drifted += t.coverage.drifted;
    coverage.deleted += t.coverage.deleted;
    coverage.notChecked += t.coverage.notChecked;
    if (t.coverage.leftOut) coverage.leftOut = (coverage.leftOut ?? 0) + t.coverage.leftOut;
  }
  const signals = run.authorship?.signals ?? [];
  return {
    schemaVersion: SCAN_SCHEMA_VERSION,
    tool: { name: 'realitycheck', version: input.version },
    repository: { base: input.refs.base, head: input.refs.head, mergeBase: input.refs.mergeBase, config: input.configSource },
    verdict: {
      conclusion: run.conclusion,
      failOn: input.failOn,
      fails: failsOn(run.conclusion, input.failOn),
      counts,
      aiAuthored: run.authorship !== undefined,
      aiSignals: signals.map((s) => ({ kind: s.kind, agent: s.agent, detail: redactText(s.detail), ...(s.commit ? { commit: s.commit } : {}) })),
    },
    targets: run.targets.map(toTarget),
    findings,
    coverage,
  };
}

function toTarget(t: TargetResult): ScanJsonTarget {
  return {
    name: t.target.name,
    kind: t.target.kind,
    ...(t.target.stack ? { stack: t.target.stack } : {}),
    ...(t.target.region ? { region: t.target.region } : {}),
    file: t.target.file,
    conclusion: t.conclusion,
    live: t.live ? { ...t.live, ...(t.live.detail ? { detail: redactText(t.live.detail) } : {}) } : null,
    coverage: t.coverage ?? null,
    changes: t.changes.map((c) => ({ resource: c.logicalId, type: c.type, action: c.action, properties: c.changedProperties })),
    ignored: t.ignored.map((i) => ({ resource: i.resource, property: i.path, reason: i.reason, ...(i.reverted ? { reverted: true as const } : {}) })),
  };
}

export function toFinding(f: Finding): ScanJsonFinding {
  const evidence = safeEvidence(f.evidence).map((e) => ({
    property: e.path,
    ...('base' in e && e.base !== undefined ? { base: e.base } : {}),
    ...('head' in e && e.head !== undefined ? { head: e.head } : {}),
    ...('expected' in e && e.expected !== undefined ? { deployed: e.expected } : {}),
    ...('live' in e && e.live !== undefined ? { live: e.live } : {}),
    ...(e.redacted ? { redacted: true as const } : {}),
  }));
  return {
    rule: f.rule,
    severity: f.severity,
    target: f.target,
    ...(f.resource !== undefined ? { resource: f.resource } : {}),
    ...(f.resourceType !== undefined ? { resourceType: f.resourceType } : {}),
    ...(f.physicalId !== undefined ? { physicalId: f.physicalId } : {}),
    ...(evidence[0] ? { property: evidence[0].property } : {}),
    message: redactText(f.message),
    ...(f.file !== undefined ? { file: f.file } : {}),
    ...(f.span ? { lines: { start: f.span.startLine, end: f.span.endLine } } : {}),
    evidence,
    ...(f.liveReadAt ? { liveReadAt: f.liveReadAt } : {}),
  };
}
