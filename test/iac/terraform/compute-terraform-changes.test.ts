import { beforeAll, describe, expect, it } from 'vitest';
import { computeTerraformChanges } from '../../../src/iac/terraform/compute-terraform-changes.js';
import { loadHclGrammar } from '../../../src/iac/terraform/load-hcl-grammar.js';
import { parseRoot } from '../../../src/iac/terraform/parse-root.js';
import type { TerraformChanges } from '../../../src/types.js';
import { edited, readFixtureTree } from './read-fixture-tree.js';

beforeAll(loadHclGrammar);

const files = readFixtureTree();
const MAIN = 'infra/app/main.tf';
const QUEUES = 'infra/modules/queues/main.tf';

function changes(head: Map<string, string>, changedFiles?: string[]): TerraformChanges {
  return computeTerraformChanges(parseRoot('infra/app', files), parseRoot('infra/app', head), changedFiles);
}

/** [action, address, changedAttributes, changedBecauseOf] of every change but the module calls. */
const summary = (result: TerraformChanges) =>
  result.changes.filter((c) => c.kind !== 'module').map((c) => [c.action, c.address, c.changedAttributes, c.changedBecauseOf]);

describe('computeTerraformChanges', () => {
  it('reports nothing for comments, blank lines, alignment, trailing commas and `:` in objects', () => {
    let head = edited(files, MAIN, '  name   = "${local.name_prefix}-consume"', '  # the policy name is fixed by the runbook\n  name = "${local.name_prefix}-consume" # keep');
    head = edited(head, MAIN, 'cidr_blocks = ["10.0.0.0/16"]', 'cidr_blocks = [\n      "10.0.0.0/16", // office\n    ]');
    head = edited(head, QUEUES, '    deadLetterTargetArn = aws_sqs_queue.dlq.arn\n    maxReceiveCount     = 5', '    deadLetterTargetArn: aws_sqs_queue.dlq.arn, maxReceiveCount: 5');
    head = edited(head, QUEUES, '  policy = <<-EOT\n    {\n      "Version": "2012-10-17",\n      "Statement": []\n    }\n  EOT', '  policy = <<EOT\n{\n  "Version": "2012-10-17",\n  "Statement": []\n}\nEOT');
    const result = changes(head, [MAIN, QUEUES]);
    expect(result.changes).toEqual([]);
    // a comment-only edit in a local module still touches every instance of it
    expect(result.touchedModules).toEqual([
      { address: 'module.queues', dir: 'infra/modules/queues', files: [QUEUES] },
      { address: 'module.reports', dir: 'infra/modules/queues', files: [QUEUES] },
    ]);
  });

  it.each([
    [
      'a variable default, through a local and a module input, to the queue in the module',
      ['infra/app/variables.tf', 'default     = 345600', 'default     = 1209600'],
      [['change', 'module.queues.aws_sqs_queue.jobs', [], ['var.message_retention_seconds']]],
    ],
    [
      'a local, to the module instance that takes it (not to the one that does not)',
      [MAIN, 'retention = var.message_retention_seconds', 'retention = var.message_retention_seconds * 2'],
      [['change', 'module.queues.aws_sqs_queue.jobs', [], ['local.retention']]],
    ],
    [
      'a module input',
      [MAIN, 'visibility_timeout = 30', 'visibility_timeout = 45'],
      [['change', 'module.queues.aws_sqs_queue.jobs', [], ['module.queues.var.visibility_timeout']]],
    ],
    [
      'a tfvars value, to everything named after it, in every module instance',
      ['infra/app/terraform.tfvars', 'env = "prod"', 'env = "staging"'],
      [
        ['change', 'aws_iam_policy.consume', [], ['var.env']],
        ['change', 'aws_security_group.workers', [], ['var.env']],
        ['change', 'aws_ssm_parameter.db_password', [], ['var.env']],
        ['change', 'module.queues.aws_sqs_queue.dlq', [], ['var.env']],
        ['change', 'module.queues.aws_sqs_queue.jobs', [], ['var.env']],
        ['change', 'module.reports.aws_sqs_queue.dlq', [], ['var.env']],
        ['change', 'module.reports.aws_sqs_queue.jobs', [], ['var.env']],
      ],
    ],
    [
      'a variable default that tfvars overrides: nothing',
      ['infra/app/variables.tf', 'default     = "dev"', 'default     = "qa"'],
      [],
    ],
    [
      'a file of a local module, in every instance of it',
      [QUEUES, 'maxReceiveCount     = 5', 'maxReceiveCount     = 3'],
      [
        ['change', 'module.queues.aws_sqs_queue.jobs', ['redrive_policy'], []],
        ['change', 'module.reports.aws_sqs_queue.jobs', ['redrive_policy'], []],
      ],
    ],
    [
      'an input of a nested module, to its resources in every instance',
      [QUEUES, 'thresholds = [100, 1000]', 'thresholds = [100, 5000]'],
      [
        ['change', 'module.queues.module.alarms.aws_cloudwatch_metric_alarm.depth', [], ['module.queues.module.alarms.var.thresholds']],
        ['change', 'module.reports.module.alarms.aws_cloudwatch_metric_alarm.depth', [], ['module.reports.module.alarms.var.thresholds']],
      ],
    ],
    [
      'a module call’s for_each, to every resource inside, nested modules included',
      [MAIN, 'for_each = toset(["daily", "weekly"])', 'for_each = toset(["daily"])'],
      [
        ['change', 'module.reports.aws_sqs_queue.dlq', [], ['module.reports']],
        ['change', 'module.reports.aws_sqs_queue.jobs', [], ['module.reports']],
        ['change', 'module.reports.module.alarms.aws_cloudwatch_metric_alarm.depth', [], ['module.reports']],
      ],
    ],
    [
      'a data source, to the resource that uses it',
      [MAIN, '"sqs:ReceiveMessage", "sqs:DeleteMessage"', '"sqs:ReceiveMessage"'],
      [
        ['change', 'aws_iam_policy.consume', [], ['data.aws_iam_policy_document.consume']],
        ['change', 'data.aws_iam_policy_document.consume', ['statement[0].actions'], []],
      ],
    ],
    [
      'an attribute of a nested block',
      [MAIN, 'from_port   = 8080', 'from_port   = 8443'],
      [['change', 'aws_security_group.workers', ['ingress[0].from_port'], []]],
    ],
    [
      'a nested block added',
      [MAIN, '  lifecycle {\n    create_before_destroy = true\n  }\n}', '  lifecycle {\n    create_before_destroy = true\n  }\n\n  ingress {\n    from_port = 443\n    to_port   = 443\n    protocol  = "tcp"\n  }\n}'],
      [['change', 'aws_security_group.workers', ['ingress[1]'], []]],
    ],
    [
      'the provider’s default_tags, to every aws resource and data source',
      [MAIN, 'Team      = "platform"', 'Team      = "payments"'],
      [
        ['change', 'aws_iam_policy.consume', [], ['provider.aws']],
        ['change', 'aws_s3_bucket.artifacts', [], ['provider.aws']],
        ['change', 'aws_security_group.workers', [], ['provider.aws']],
        ['change', 'aws_ssm_parameter.db_password', [], ['provider.aws']],
        ['change', 'data.aws_iam_policy_document.consume', [], ['provider.aws']],
        ['change', 'module.queues.aws_sqs_queue.dlq', [], ['provider.aws']],
        ['change', 'module.queues.aws_sqs_queue.jobs', [], ['provider.aws']],
        ['change', 'module.queues.module.alarms.aws_cloudwatch_metric_alarm.depth', [], ['provider.aws']],
        ['change', 'module.reports.aws_sqs_queue.dlq', [], ['provider.aws']],
        ['change', 'module.reports.aws_sqs_queue.jobs', [], ['provider.aws']],
        ['change', 'module.reports.module.alarms.aws_cloudwatch_metric_alarm.depth', [], ['provider.aws']],
      ],
    ],
    [
      'an input of a registry module, to what uses its outputs',
      [MAIN, 'cidr = "10.0.0.0/16"', 'cidr = "10.1.0.0/16"'],
      [['change', 'aws_security_group.workers', [], ['module.vpc']]],
    ],
    [
      'a resource added and one removed',
      [MAIN, 'resource "aws_s3_bucket" "artifacts" {\n  bucket = "acme-app-artifacts"\n}', 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-app-logs"\n}'],
      [
        ['remove', 'aws_s3_bucket.artifacts', ['bucket'], []],
        ['add', 'aws_s3_bucket.logs', ['bucket'], []],
      ],
    ],
  ] as const)('follows %s', (_, [path, from, to], expected) => {
    expect(summary(changes(edited(files, path, from, to)))).toEqual(expected);
  });

  it('reports a module call whose inputs changed, also for a registry module it cannot read', () => {
    const result = changes(edited(files, 'infra/app/terraform.tfvars', 'env = "prod"', 'env = "staging"'));
    expect(result.changes.filter((c) => c.kind === 'module').map((c) => [c.address, c.changedBecauseOf])).toEqual([
      ['module.queues', ['var.env']],
      ['module.reports', ['var.env']],
      ['module.vpc', ['var.env']],
    ]);
  });

  it('passes on the problems of either side, so a broken head never reads as "no change"', () => {
    const result = changes(edited(files, MAIN, 'resource "aws_iam_policy" "consume" {', 'resource "aws_iam_policy" "consume"'));
    expect(result.problems.base).toEqual([]);
    expect(result.problems.head).toMatchObject([{ kind: 'syntax', file: MAIN, line: 69 }]);
  });
});
