// `npm run bench` section: the pure part of a reconcile and of the suggested changes on a
// large stack: 4,000 queues (YAML), 200 of them drifted (VisibilityTimeout 30 -> 120, an
// `owner` tag added live). What to write back (plan), the edits applied (apply), and the
// review comments a pull request touching them all would get (suggestions, first 200 lines
// of each queue in the diff). Prints CPU time; asserts nothing.
import { parseTemplate } from '../src/iac/cloudformation/parse-template.js';
import { applyPlan } from '../src/reconcile/apply-plan.js';
import { computeCloudFormationPlan } from '../src/reconcile/compute-cloudformation-plan.js';
import { computeSuggestions } from '../src/reconcile/compute-suggestions.js';
import { EDITORS } from '../src/reconcile/editors.js';
import type { Finding, LiveResource } from '../src/types.js';

const QUEUES = 4_000;
const DRIFTED = 200;

function cpuMs<T>(work: () => T): [T, number] {
  const start = process.cpuUsage();
  const out = work();
  const used = process.cpuUsage(start);
  return [out, (used.user + used.system) / 1000];
}

export function benchReconcilePlan(): void {
  let yaml = 'Resources:\n';
  for (let i = 0; i < QUEUES; i++) yaml += `  Queue${i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 30 # seconds\n      Tags:\n        - Key: team\n          Value: orders\n`;
  const parsed = parseTemplate('infra/big.yaml', yaml);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const step = Math.floor(QUEUES / DRIFTED);
  const resources: LiveResource[] = Array.from({ length: DRIFTED }, (_, n) => ({
    logicalId: `Queue${n * step}`,
    type: 'AWS::SQS::Queue',
    status: 'MODIFIED',
    normalizedAway: 0,
    differences: [
      { path: 'VisibilityTimeout', expected: 30, actual: 120, kind: 'NOT_EQUAL' },
      { path: 'Tags.1', expected: null, actual: { Key: 'owner', Value: 'payments' }, kind: 'ADD' },
    ],
  }));
  const live = { target: 'big', source: 'cloudformation', readAt: '2026-11-28T10:00:00Z', drift: { reused: true, checkedAt: '2026-11-28T10:00:00Z', status: 'DETECTION_COMPLETE', resources }, unreadable: [], calls: 4 };
  const [plan, planMs] = cpuMs(() => computeCloudFormationPlan({ target: 'big', template: parsed.template, live, ignore: [] }));
  const [applied, applyMs] = cpuMs(() => applyPlan(plan, new Map([['infra/big.yaml', yaml]]), EDITORS));
  const findings: Finding[] = resources.map((r) => ({
    rule: 'revert',
    severity: 'block',
    target: 'big',
    resource: r.logicalId,
    message: 'reverts',
    file: 'infra/big.yaml',
    evidence: [{ path: 'VisibilityTimeout', base: 30, head: 30, expected: 30, live: 120 }],
  }));
  const commentable = new Set(Array.from({ length: yaml.split('\n').length }, (_, i) => i + 1));
  const [comments, suggestMs] = cpuMs(() => computeSuggestions(findings, new Map([['infra/big.yaml', { text: yaml, commentable, format: 'yaml' as const }]]), EDITORS));
  console.log('reconcile plan and suggestions (CPU time)');
  console.log(`  ${QUEUES} queues (${Math.round(yaml.length / 1024)} KB YAML), ${DRIFTED} drifted: plan ${planMs.toFixed(0)} ms (${plan.files[0]?.edits.length ?? 0} edits), apply ${applyMs.toFixed(0)} ms (${applied.changed.length} file), suggestions ${suggestMs.toFixed(0)} ms (${comments.length} comments before the limit of 20)`);
}
