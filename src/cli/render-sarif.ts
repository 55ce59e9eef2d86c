// `scan --format sarif`: SARIF 2.1.0 for GitHub code scanning (github/codeql-action/upload-sarif).
// Pure. One rule per finding kind (the vocabulary of DESIGN.md); each result has a location
// with file and lines (code scanning shows no result without one: a finding that names no
// file is put on the target's template, else on the configuration file, line 1), a level
// from the severity after policy (block → error, warn → warning, info → note), and a
// partial fingerprint that ignores line numbers, so an alert survives edits above it.
import { createHash } from 'node:crypto';
import { CONFIG_PATH } from '../config.js';
import { RULE_REASON } from '../report/rule-text.js';
import { safeEvidence } from '../report/safe-evidence.js';
import type { Finding, RuleId, RunResult, Severity, TargetResult } from '../types.js';
import { redactText } from '../values/redact-text.js';

const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { block: 'error', warn: 'warning', info: 'note' };
/** The default severity of each rule (DESIGN.md), as a SARIF level. */
const DEFAULT_LEVEL: Record<RuleId, 'error' | 'warning' | 'note'> = {
  conflict: 'error',
  revert: 'error',
  deleted: 'error',
  unmanaged: 'error',
  'unsafe-state': 'error',
  'diverged-base': 'warning',
  'drift-elsewhere': 'note',
  undeclared: 'warning',
  'stale-reference': 'warning',
  'unmanaged-reference': 'note',
  unreadable: 'warning',
  unparseable: 'error',
  'config-error': 'warning',
};
const VALUE_CHARS = 200;

export function renderSarif(run: RunResult, version: string): object {
  const rules = (Object.keys(RULE_REASON) as RuleId[]).map((id) => ({
    id,
    name: id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: `${id}: ${RULE_REASON[id]}` },
    fullDescription: { text: `realitycheck ${id}: ${RULE_REASON[id]}. Compares the change with what is actually running (base, head and live layers).` },
    defaultConfiguration: { level: DEFAULT_LEVEL[id] },
    help: { text: `The change was checked against live infrastructure; ${RULE_REASON[id]}.` },
    properties: { tags: ['infrastructure', 'drift'] },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = run.targets.flatMap((target) => target.findings.map((f) => toResult(f, target, index.get(f.rule) ?? 0)));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'realitycheck', semanticVersion: version, rules } },
        automationDetails: { id: 'realitycheck/' },
        invocations: [{ executionSuccessful: true }],
        results,
      },
    ],
  };
}

function toResult(f: Finding, target: TargetResult, ruleIndex: number) {
  const file = f.file ?? (target.target.kind === 'cloudformation' ? target.target.file : CONFIG_PATH);
  const region = f.span ? { startLine: f.span.startLine, endLine: Math.max(f.span.startLine, f.span.endLine) } : { startLine: 1 };
  const evidence = safeEvidence(f.evidence);
  const lines = evidence.slice(0, 10).map((e) => {
    const parts = [['base', e.base], ['head', e.head], ['deployed', e.expected], ['live', e.live]] as const;
    return `${e.path}: ${parts.filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${show(v)}`).join(', ')}`;
  });
  const text = [redactText(f.message), ...lines].join('\n');
  const identity = [f.rule, f.target, f.resource ?? '', ...evidence.map((e) => e.path)].join('\0');
  return {
    ruleId: f.rule,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text },
    locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(file.replace(/^\.?\/+/, '')), uriBaseId: '%SRCROOT%' }, region } }],
    partialFingerprints: { 'realitycheckFinding/v1': createHash('sha256').update(identity).digest('hex') },
    properties: {
      severity: f.severity,
      target: f.target,
      ...(f.resource ? { resource: f.resource } : {}),
      ...(f.resourceType ? { resourceType: f.resourceType } : {}),
      ...(f.liveReadAt ? { liveReadAt: f.liveReadAt } : {}),
    },
  };
}

function show(value: unknown): string {
  const text = redactText(typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value)));
  return text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS - 1)}…` : text;
}
