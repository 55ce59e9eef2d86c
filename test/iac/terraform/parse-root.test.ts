import { beforeAll, describe, expect, it } from 'vitest';
import { loadHclGrammar } from '../../../src/iac/terraform/load-hcl-grammar.js';
import { MAX_MODULE_DEPTH, MAX_MODULE_INSTANCES, parseRoot } from '../../../src/iac/terraform/parse-root.js';
import type { TerraformBlock, TerraformRoot } from '../../../src/types.js';
import { readFixtureTree } from './read-fixture-tree.js';

beforeAll(loadHclGrammar);

const files = readFixtureTree();
const app = (): TerraformRoot => parseRoot('infra/app', files);

function block(root: TerraformRoot, address: string, kind = 'resource'): TerraformBlock {
  const found = root.blocks.find((b) => b.address === address && b.kind === kind);
  if (!found) throw new Error(`no ${kind} ${address} in ${root.blocks.map((b) => `${b.kind} ${b.address}`).join(', ')}`);
  return found;
}

describe('parseRoot: addresses', () => {
  it('gives every block of the root and of its local modules (nested, called twice) its full address', () => {
    const root = app();
    expect(root.problems).toEqual([]);
    expect(root.blocks.map((b) => `${b.kind} ${b.address}`).sort()).toEqual(
      [
        'data data.aws_iam_policy_document.consume',
        'import aws_s3_bucket.artifacts',
        'module module.queues',
        'module module.queues.module.alarms',
        'module module.reports',
        'module module.reports.module.alarms',
        'module module.vpc',
        'moved module.queues.aws_sqs_queue.jobs',
        'removed aws_sqs_queue.legacy',
        'resource aws_iam_policy.consume',
        'resource aws_s3_bucket.artifacts',
        'resource aws_security_group.workers',
        'resource aws_ssm_parameter.db_password',
        'resource module.queues.aws_sqs_queue.dlq',
        'resource module.queues.aws_sqs_queue.jobs',
        'resource module.queues.module.alarms.aws_cloudwatch_metric_alarm.depth',
        'resource module.reports.aws_sqs_queue.dlq',
        'resource module.reports.aws_sqs_queue.jobs',
        'resource module.reports.module.alarms.aws_cloudwatch_metric_alarm.depth',
      ].sort(),
    );
    expect(root.moduleInstances).toEqual([
      { address: 'module.queues', dir: 'infra/modules/queues' },
      { address: 'module.queues.module.alarms', dir: 'infra/modules/queues/alarms' },
      { address: 'module.reports', dir: 'infra/modules/queues' },
      { address: 'module.reports.module.alarms', dir: 'infra/modules/queues/alarms' },
    ]);
  });

  it.each([
    // address, kind, file, module, repetition
    ['module.queues.aws_sqs_queue.jobs', 'resource', 'infra/modules/queues/main.tf', 'module.queues', undefined],
    ['module.reports.aws_sqs_queue.jobs', 'resource', 'infra/modules/queues/main.tf', 'module.reports', undefined],
    ['module.reports', 'module', 'infra/app/main.tf', '', 'for_each'],
    ['module.reports.module.alarms.aws_cloudwatch_metric_alarm.depth', 'resource', 'infra/modules/queues/alarms/main.tf', 'module.reports.module.alarms', 'count'],
    ['data.aws_iam_policy_document.consume', 'data', 'infra/app/main.tf', '', undefined],
  ])('%s (%s) is declared in %s', (address, kind, file, module, repetition) => {
    const found = block(app(), address, kind);
    expect(found.file).toBe(file);
    expect(found.module).toBe(module);
    expect(found.repetition).toBe(repetition);
  });

  it('reads module calls, moved, import and removed blocks', () => {
    const root = app();
    expect(block(root, 'module.queues', 'module')).toMatchObject({ name: 'queues', source: '../modules/queues', moduleDir: 'infra/modules/queues' });
    expect(block(root, 'module.vpc', 'module')).toMatchObject({ source: 'terraform-aws-modules/vpc/aws' });
    expect(block(root, 'module.vpc', 'module').moduleDir).toBeUndefined();
    expect(block(root, 'module.queues.aws_sqs_queue.jobs', 'moved')).toMatchObject({ from: 'aws_sqs_queue.jobs', to: 'module.queues.aws_sqs_queue.jobs' });
    expect(block(root, 'aws_s3_bucket.artifacts', 'import').attributes.id?.value).toEqual({ kind: 'literal', value: 'acme-app-artifacts' });
    expect(block(root, 'aws_sqs_queue.legacy', 'removed').spans['lifecycle[0].destroy']).toMatchObject({ startLine: 123, endLine: 123 });
  });

  it('collects variables (sensitive), locals, outputs, tfvars, the S3 backend and the provider default_tags', () => {
    const root = app();
    expect(root.variables.filter((v) => v.module === '').map((v) => [v.name, v.default, v.sensitive])).toEqual([
      ['env', { kind: 'literal', value: 'dev' }, false],
      ['region', { kind: 'literal', value: 'us-east-1' }, false],
      ['message_retention_seconds', { kind: 'literal', value: 345600 }, false],
      ['db_password', undefined, true],
    ]);
    expect(root.variableValues).toMatchObject([{ name: 'env', value: { kind: 'literal', value: 'prod' }, file: 'infra/app/terraform.tfvars' }]);
    expect(root.locals.map((l) => [l.module, l.name, l.value.kind === 'expression' ? l.value.references : l.value])).toEqual([
      ['', 'name_prefix', ['var.env']],
      ['', 'retention', ['var.message_retention_seconds']],
    ]);
    expect(root.outputs.filter((o) => o.module === '').map((o) => [o.name, o.sensitive])).toEqual([
      ['jobs_queue_url', false],
      ['db_password', true],
    ]);
    expect(root.backend?.type).toBe('s3');
    expect(root.backend?.settings).toMatchObject({
      bucket: { kind: 'literal', value: 'acme-tf-state' },
      key: { kind: 'literal', value: 'app/terraform.tfstate' },
      region: { kind: 'literal', value: 'us-east-1' },
      encrypt: { kind: 'literal', value: true },
    });
    expect(root.providers).toHaveLength(1);
    expect(root.providers[0]!.defaultTags).toEqual({ kind: 'literal', value: { Team: 'platform', ManagedBy: 'terraform' } });
    expect(block(root, 'module.queues', 'module').attributes.name_prefix?.value).toMatchObject({ kind: 'expression', text: 'local.name_prefix', references: ['local.name_prefix'] });
  });
});

describe('parseRoot: spans', () => {
  const text = files.get('infra/app/main.tf')!;
  const bytes = Buffer.from(text, 'utf8');

  it.each([
    // address, path, lines, the text the span must hold
    ['aws_security_group.workers', undefined, [74, 97], 'resource "aws_security_group" "workers" {'],
    ['aws_security_group.workers', 'description', [76, 76], 'description = "Queue workers – health checks only"'],
    ['aws_security_group.workers', 'vpc_id', [77, 77], 'vpc_id      = module.vpc.vpc_id'],
    ['aws_security_group.workers', 'ingress[0]', [79, 85], 'ingress {'],
    ['aws_security_group.workers', 'ingress[0].from_port', [81, 81], 'from_port   = 8080'],
    ['aws_security_group.workers', 'egress[0].cidr_blocks', [91, 91], 'cidr_blocks = ["0.0.0.0/0"]'],
    ['aws_security_group.workers', 'lifecycle[0]', [94, 96], 'lifecycle {'],
    ['aws_ssm_parameter.db_password', 'value', [102, 102], 'value = var.db_password'],
  ])('%s %s: lines %j, exact in UTF-8 bytes and UTF-16 offsets', (address, path, lines, start) => {
    const found = block(app(), address);
    const span = path === undefined ? found.span : found.spans[path]!;
    expect([span.startLine, span.endLine]).toEqual(lines);
    const byOffset = text.slice(span.startOffset, span.endOffset);
    expect(byOffset.startsWith(start)).toBe(true);
    expect(bytes.subarray(span.startByte, span.endByte).toString('utf8')).toBe(byOffset);
    // after the `→` (line 33) and the `–` (line 76) bytes run ahead of UTF-16 offsets
    if (span.startLine > 76) expect(span.startByte - span.startOffset).toBe(4);
  });

  it('spans a heredoc attribute from its marker to the closing line, and evaluates it', () => {
    const jobs = block(app(), 'module.queues.aws_sqs_queue.jobs');
    expect(jobs.spans.policy).toMatchObject({ startLine: 16, endLine: 21 });
    expect(jobs.attributes.policy?.value).toEqual({ kind: 'literal', value: '{\n  "Version": "2012-10-17",\n  "Statement": []\n}\n' });
    expect(jobs.attributes.redrive_policy?.value).toMatchObject({ kind: 'expression', references: ['aws_sqs_queue.dlq'] });
    expect(jobs.spans.redrive_policy).toMatchObject({ startLine: 11, endLine: 14 });
    expect(jobs.span).toMatchObject({ startLine: 6, endLine: 26 });
  });
});

describe('parseRoot: problems', () => {
  it('reports a missing `{` within 3 lines of it and still reads the rest of that file and the other files', () => {
    const root = parseRoot('infra/broken', files);
    expect(root.problems).toHaveLength(1);
    const [problem] = root.problems;
    expect(problem).toMatchObject({ kind: 'syntax', file: 'infra/broken/queues.tf', message: 'syntax error: expected `{` after `resource "aws_sqs_queue" "payments"`' });
    expect(Math.abs(problem!.line - 6)).toBeLessThanOrEqual(3); // line 6 is `resource "aws_sqs_queue" "payments"`
    expect(root.blocks.map((b) => b.address).sort()).toEqual(['aws_sns_topic.orders', 'aws_sqs_queue.orders', 'aws_sqs_queue.refunds']);
  });

  it('stops at a module cycle with a located problem', () => {
    const root = parseRoot('infra/cycle/root', files);
    expect(root.problems).toEqual([
      {
        kind: 'module-cycle',
        file: 'infra/cycle/b/main.tf',
        line: 6,
        message: 'module "back_to_a" calls infra/cycle/a, which is already being read (infra/cycle/a → infra/cycle/b → infra/cycle/a): a module cannot call itself',
      },
    ]);
    expect(root.blocks.filter((b) => b.kind === 'resource').map((b) => b.address)).toEqual(['module.a.aws_sqs_queue.a', 'module.a.module.b.aws_sqs_queue.b']);
  });

  it('names the directory of a local module whose files were not given', () => {
    const root = parseRoot('infra/app', new Map([...files].filter(([path]) => !path.startsWith('infra/modules/queues/alarms/'))));
    expect(root.problems).toEqual([
      {
        kind: 'missing-module',
        file: 'infra/modules/queues/main.tf',
        line: 29,
        moduleDir: 'infra/modules/queues/alarms',
        message: 'module "alarms": no .tf file in infra/modules/queues/alarms (source "./alarms")',
      },
    ]);
  });

  it('bounds module nesting', () => {
    const chain = new Map<string, string>();
    for (let level = 0; level < MAX_MODULE_DEPTH + 5; level++) {
      chain.set(`m/${level}/main.tf`, `resource "null_resource" "n" {}\n\nmodule "next" {\n  source = "../${level + 1}"\n}\n`);
    }
    const root = parseRoot('m/0', chain);
    expect(root.problems).toHaveLength(1);
    expect(root.problems[0]).toMatchObject({ kind: 'module-limit', file: `m/${MAX_MODULE_DEPTH}/main.tf`, line: 4 });
    expect(root.moduleInstances).toHaveLength(MAX_MODULE_DEPTH);
  });

  it('bounds module fan-out (each module calling the next one twice)', () => {
    const fan = new Map<string, string>();
    for (let level = 0; level < 11; level++) {
      fan.set(`m/${level}/main.tf`, `module "left" {\n  source = "../${level + 1}"\n}\n\nmodule "right" {\n  source = "../${level + 1}"\n}\n`);
    }
    fan.set('m/11/main.tf', 'resource "null_resource" "leaf" {}\n');
    const root = parseRoot('m/0', fan);
    expect(root.moduleInstances).toHaveLength(MAX_MODULE_INSTANCES);
    expect(root.problems.map((p) => p.kind)).toEqual(['module-limit']);
  });

  it('refuses a local module source that leaves the repository', () => {
    const root = parseRoot('infra', new Map([['infra/main.tf', 'module "up" {\n  source = "../../elsewhere"\n}\n']]));
    expect(root.problems).toEqual([{ kind: 'module-outside-repo', file: 'infra/main.tf', line: 2, message: 'module "up": source "../../elsewhere" leaves the repository' }]);
  });

  it('reports two blocks with one address, and merges override files as Terraform does', () => {
    const root = parseRoot(
      'tf',
      new Map([
        ['tf/a.tf', 'resource "aws_sqs_queue" "q" {\n  name = "a"\n  delay_seconds = 5\n}\n'],
        ['tf/b.tf', '\nresource "aws_sqs_queue" "q" {\n  name = "b"\n}\n'],
        ['tf/dev_override.tf', 'resource "aws_sqs_queue" "q" {\n  delay_seconds = 0\n}\n'],
        ['tf/extra.tf.json', '{"resource": {}}'],
      ]),
    );
    expect(root.problems).toEqual([{ kind: 'duplicate', file: 'tf/b.tf', line: 2, message: 'resource "aws_sqs_queue.q" is declared twice (first in tf/a.tf line 1)' }]);
    const q = block(root, 'aws_sqs_queue.q');
    expect(q.attributes.name?.value).toEqual({ kind: 'literal', value: 'a' });
    expect(q.attributes.delay_seconds?.value).toEqual({ kind: 'literal', value: 0 });
    expect(root.skippedFiles).toEqual(['tf/extra.tf.json']);
  });
});
