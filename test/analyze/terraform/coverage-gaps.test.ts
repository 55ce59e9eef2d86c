// What the evidence does not cover must never read as success: a plan that leaves out what the
// pull request changes, a `moved` block (not followed yet), files the reader skipped.
import { describe, expect, it } from 'vitest';
import { analyzeTarget } from '../../../src/analyze/analyze-target.js';
import type { TerraformEvidence } from '../../../src/analyze/terraform/analyze-terraform-target.js';
import { judgeTargets } from '../../../src/analyze/verdict.js';
import { loadHclGrammar } from '../../../src/iac/terraform/load-hcl-grammar.js';
import type { Conclusion } from '../../../src/types.js';
import { BASE, GROUP, MODULE_FILE, QUEUE, READ_AT, ROOT, declared, diff, evidence, groupValues, plan, planDocument, queueTf, queueValues, stateLive, tfLive } from './builders.js';

await loadHclGrammar();

type Evidence = TerraformEvidence & { kind: 'terraform' };

/** The pull request raises the retention of the queue whose visibility was changed live 30 -> 120. */
const RAISES_RETENTION = { ...BASE, [MODULE_FILE]: queueTf({ retention: 1209600 }) };
const DRIFTED = [{ address: QUEUE, actions: ['update'], before: queueValues(30, 345600), after: queueValues(120, 345600) }];
const BUCKET = 'aws_s3_bucket.logs';
const bucketValues = { bucket: 'acme-logs', id: 'acme-logs', force_destroy: false };

/** The queue renamed `jobs` -> `work` with a `moved` block, its retention raised. */
const RENAMED = {
  ...BASE,
  [MODULE_FILE]: `${queueTf({ retention: 1209600 }).replace('"jobs" {', '"work" {')}
moved {
  from = aws_sqs_queue.jobs
  to   = aws_sqs_queue.work
}
`,
};
const WORK = 'module.queues.aws_sqs_queue.work';

const JSON_FILE = `${ROOT}/queue.tf.json`;
const QUEUE_JSON = JSON.stringify({ resource: { aws_sqs_queue: { extra: { name: 'extra', visibility_timeout_seconds: 30 } } } });

function analyzed(e: Evidence, unreadable: 'warn' | 'block' = 'warn') {
  const verdict = judgeTargets([analyzeTarget(e, [])], { unreadable, aiStrict: false });
  return { result: verdict.results[0]!, conclusion: verdict.conclusion };
}

const brief = (e: Evidence) => analyzed(e).result.findings.map((f) => `${f.severity} ${f.rule}${f.resource ? ` ${f.resource}` : ''}${f.file && !f.resource ? ` ${f.file}` : ''}`);

describe('a plan that does not describe what the pull request changes is never success', () => {
  it.each<[string, () => Evidence, string[]]>([
    [
      'a plan with nothing in it but its format version',
      () => evidence({ declared: declared(BASE, RAISES_RETENTION), ...planDocument({ format_version: '1.2' }) }),
      ['warn unreadable', `warn unreadable ${QUEUE}`],
    ],
    [
      'a plan of another root (only a bucket this root does not declare)',
      () => evidence({ declared: declared(BASE, RAISES_RETENTION), ...plan([], [{ address: BUCKET, actions: ['no-op'], before: bucketValues, after: bucketValues }]) }),
      ['warn unreadable', `warn unreadable ${QUEUE}`],
    ],
    [
      'a -target plan of the security group while the PR edits the drifted queue',
      () => evidence({ declared: declared(BASE, RAISES_RETENTION), ...plan([], [{ address: GROUP, actions: ['no-op'], before: groupValues(['10.0.0.0/16']), after: groupValues(['10.0.0.0/16']) }]) }),
      [`warn unreadable ${QUEUE}`],
    ],
    [
      'a -target plan of the security group while the PR removes the queue',
      () =>
        evidence({
          declared: declared(BASE, { ...BASE, [MODULE_FILE]: '# no queue any more\n' }),
          ...plan([], [{ address: GROUP, actions: ['no-op'], before: groupValues(['10.0.0.0/16']), after: groupValues(['10.0.0.0/16']) }]),
        }),
      [`warn unreadable ${QUEUE}`],
    ],
    [
      'a stale plan, made before the PR added a dead-letter queue, of the queue and group only',
      () =>
        evidence({
          declared: declared(BASE, { ...BASE, [MODULE_FILE]: `${queueTf()}\n${queueTf().replace('"jobs" {', '"dlq" {').replace('name                       = "jobs"', 'name                       = "jobs-dlq"')}` }),
          ...plan(DRIFTED, [
            { address: QUEUE, actions: ['update'], before: queueValues(120, 345600), after: queueValues(30, 345600) },
            { address: GROUP, actions: ['no-op'], before: groupValues(['10.0.0.0/16']), after: groupValues(['10.0.0.0/16']) },
          ]),
        }),
      ['warn unreadable module.queues.aws_sqs_queue.dlq', 'warn drift-elsewhere module.queues.aws_sqs_queue.jobs'],
    ],
  ])('%s', (_name, build, expected) => {
    expect(brief(build())).toEqual(expected);
    expect(analyzed(build()).conclusion).toBe<Conclusion>('neutral');
    expect(analyzed(build(), 'block').conclusion).toBe<Conclusion>('failure');
  });

  it('says why on the queue, and which plan it was', () => {
    const e = evidence({ declared: declared(BASE, RAISES_RETENTION), ...planDocument({ format_version: '1.2' }) });
    const { result } = analyzed(e);
    expect(result.findings.map((f) => f.message)).toEqual([
      `The plan does not match this root (PlanMismatch): it describes none of the resources ${ROOT} declares, so nothing this PR changes was compared with live state.`,
      `${QUEUE}: the plan does not describe this change (a plan of another root, a -target plan, or a stale plan), so it was not compared with live state.`,
    ]);
    expect(result.findings[1]).toMatchObject({ file: MODULE_FILE, span: { startLine: 2, endLine: 6 }, liveReadAt: READ_AT });
  });

  it('keeps the plan as the truth for what it describes: the queue planned as no-op is no gap', () => {
    const e = evidence({
      declared: declared(BASE, { ...BASE, [MODULE_FILE]: queueTf({ visibility: 120 }) }),
      ...plan(DRIFTED, [{ address: QUEUE, actions: ['no-op'], before: queueValues(120, 345600), after: queueValues(120, 345600) }]),
    });
    expect(analyzed(e)).toMatchObject({ conclusion: 'success', result: { findings: [] } });
  });
});

describe('a moved block is not followed yet: the renamed resource is never success', () => {
  const message = `${WORK} is moved from ${QUEUE}: realitycheck does not follow moved blocks yet, so live changes on ${QUEUE} were not compared.`;
  it.each<[string, () => Evidence, string[]]>([
    [
      'state source: the old address drifted live, the PR renames it and raises its retention',
      () => evidence({ declared: declared(BASE, RENAMED), live: stateLive([tfLive(QUEUE, 'MODIFIED', [diff('visibility_timeout_seconds', 30, 120)]), tfLive(GROUP, 'IN_SYNC')]) }),
      [`warn unreadable ${WORK}`],
    ],
    [
      'plan: Terraform plans the move as an update of the new address (no gap for the old one)',
      () =>
        evidence({
          declared: declared(BASE, RENAMED),
          ...plan([], [{ address: WORK, actions: ['update'], before: queueValues(30, 345600), after: queueValues(30, 1209600) }]),
        }),
      [`warn unreadable ${WORK}`],
    ],
  ])('%s', (_name, build, expected) => {
    expect(brief(build())).toEqual(expected);
    const { result, conclusion } = analyzed(build());
    expect(conclusion).toBe('neutral');
    expect(result.findings.find((f) => f.resource === WORK)!.message).toBe(message);
  });
});

describe('files the reader skipped are never silently ignored', () => {
  const inSync = () => stateLive([tfLive(QUEUE, 'IN_SYNC'), tfLive(GROUP, 'IN_SYNC')]);
  it.each<[string, () => Evidence, string[]]>([
    ['a PR that changes only queue.tf.json', () => evidence({ declared: declared({ ...BASE, [JSON_FILE]: '{}' }, { ...BASE, [JSON_FILE]: QUEUE_JSON }), live: inSync() }), [`warn unreadable ${JSON_FILE}`]],
    ['a PR that adds queue.tf.json', () => evidence({ declared: declared(BASE, { ...BASE, [JSON_FILE]: QUEUE_JSON }), live: inSync() }), [`warn unreadable ${JSON_FILE}`]],
    ['a PR that edits a .tf file beside an unchanged queue.tf.json', () => evidence({ declared: declared({ ...BASE, [JSON_FILE]: QUEUE_JSON }, { ...RAISES_RETENTION, [JSON_FILE]: QUEUE_JSON }), live: inSync() }), [`warn unreadable ${JSON_FILE}`]],
    ['a PR that deletes queue.tf.json (skipped on the base only)', () => evidence({ declared: declared({ ...BASE, [JSON_FILE]: QUEUE_JSON }, BASE), live: inSync() }), ['warn unreadable']],
  ])('%s', (_name, build, expected) => {
    expect(brief(build())).toEqual(expected);
    expect(analyzed(build()).conclusion).toBe('neutral');
    expect(analyzed(build()).result.findings[0]!.message).toContain(`${JSON_FILE}`);
    expect(analyzed(build()).result.findings[0]!.message).toContain('was not read (JSON-syntax Terraform)');
  });
});
