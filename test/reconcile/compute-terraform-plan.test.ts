// What a Terraform reconcile writes back, where, and what it leaves to a person.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadHclGrammar, parseRoot } from '../../src/iac/terraform/index.js';
import { sensitiveTexts } from '../../src/analyze/terraform/declared-values.js';
import { computeTerraformPlan } from '../../src/reconcile/compute-terraform-plan.js';
import type { LiveResource, LiveState, PropertyDifference } from '../../src/types.js';

const ROOT = `variable "timeout" {
  default = 30
}

variable "db_password" {
  sensitive = true
  default   = "correct-horse-battery"
}

module "queues" {
  source = "../modules/queues"
}

module "reports" {
  source   = "../modules/reports"
  for_each = toset(["daily", "weekly"])
}

resource "aws_sqs_queue" "audit" {
  name                       = "audit"
  visibility_timeout_seconds = var.timeout
  delay_seconds              = 0
  tags                       = merge(local.tags, { Name = "audit" })
}

resource "aws_sqs_queue" "shards" {
  count         = 2
  name          = "shard-\${count.index}"
  delay_seconds = 0
}

resource "aws_db_instance" "main" {
  password = var.db_password
}
`;
const QUEUES = `resource "aws_sqs_queue" "jobs" {
  name          = "jobs"
  delay_seconds = 0
}
`;
const REPORTS = `resource "aws_sqs_queue" "report" {
  name          = "report"
  delay_seconds = 0
}
`;

beforeAll(loadHclGrammar);

const root = () => parseRoot('app', new Map([['app/main.tf', ROOT], ['modules/queues/main.tf', QUEUES], ['modules/reports/main.tf', REPORTS]]));
const d = (path: string, expected: unknown, actual: unknown): PropertyDifference => ({ path, expected, actual, kind: 'NOT_EQUAL' });
const r = (logicalId: string, differences: PropertyDifference[], status: LiveResource['status'] = 'MODIFIED'): LiveResource => ({ logicalId, type: 'aws_sqs_queue', status, differences, normalizedAway: 0 });
const live = (resources: LiveResource[]): LiveState => ({ target: 'app', source: 'terraform-state', readAt: '2026-11-28T10:00:00Z', drift: { reused: false, checkedAt: '2026-11-28T10:00:00Z', status: 'DETECTION_COMPLETE', resources }, unreadable: [], calls: 3 });
const plan = (resources: LiveResource[]) => {
  const parsed = root();
  return computeTerraformPlan({ target: 'app', root: parsed, live: live(resources), ignore: [], secrets: sensitiveTexts([parsed]) });
};

describe('Terraform: what is written back, and where', () => {
  it('edits a module resource in the module\'s own file, by its address there', () => {
    const p = plan([r('module.queues.aws_sqs_queue.jobs', [d('delay_seconds', 0, 5)]), r('aws_sqs_queue.audit', [d('delay_seconds', 0, 7)])]);
    expect(p.files.map((f) => [f.file, f.edits.map((e) => `${e.resource} ${e.path.join('.')}=${String((e.op as { value: unknown }).value)}`)])).toEqual([
      ['app/main.tf', ['aws_sqs_queue.audit delay_seconds=7']],
      ['modules/queues/main.tf', ['aws_sqs_queue.jobs delay_seconds=5']],
    ]);
    expect(p.followUps).toEqual([]);
  });

  it.each<[string, LiveResource[], string[]]>([
    ['a value from a variable', [r('aws_sqs_queue.audit', [d('visibility_timeout_seconds', 30, 120)])], ['aws_sqs_queue.audit visibility_timeout_seconds expression']],
    ['a tag on a map built by a function', [r('aws_sqs_queue.audit', [d('tags.owner', undefined, 'payments')])], ['aws_sqs_queue.audit tags.owner expression']],
    ['one instance of a counted block', [r('aws_sqs_queue.shards[1]', [d('delay_seconds', 0, 5)])], ['aws_sqs_queue.shards[1] delay_seconds repeated']],
    ['a resource of a module called with for_each', [r('module.reports["daily"].aws_sqs_queue.report', [d('delay_seconds', 0, 5)])], ['module.reports["daily"].aws_sqs_queue.report delay_seconds repeated']],
    ['a sensitive value', [r('aws_db_instance.main', [d('password', '***', '***')])], ['aws_db_instance.main password secret']],
    ['a computed attribute', [r('aws_sqs_queue.audit', [d('arn', 'a', 'b')])], ['aws_sqs_queue.audit arn computed']],
    ['a resource deleted live', [r('aws_sqs_queue.audit', [], 'DELETED')], ['aws_sqs_queue.audit - deleted']],
  ])('leaves %s to a person', (_name, resources, expected) => {
    const p = plan(resources);
    expect(p.followUps.map((f) => `${f.resource} ${f.path ?? '-'} ${f.reason}`)).toEqual(expected);
    expect(p.files).toEqual([]);
  });

  it('never shows a sensitive variable\'s value, even where live repeats it', () => {
    const p = plan([r('aws_sqs_queue.audit', [d('name', 'audit', 'correct-horse-battery')])]);
    expect(JSON.stringify(p)).not.toContain('correct-horse-battery');
  });

  it('does not add an AWS default that neither the code nor the state has', () => {
    expect(plan([r('aws_sqs_queue.audit', [d('message_retention_seconds', undefined, 345600)])]).files).toEqual([]);
  });
});
