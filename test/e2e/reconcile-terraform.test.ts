// Reconcile for a Terraform root read from its state and Cloud Control, and for a JSON
// template: the drifted attribute is edited in the file that declares it (a local module's
// own file), several files in one commit, every other byte as it was.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub } from '../helpers/fake-github.js';
import { example, startApp, type TestApp } from '../helpers/probot.js';
import { cloudControl, s3GetObject } from '../live/terraform-state/fake-aws.js';
import { finish, useFakeAwsEnvironment } from './harness.js';
import { awsReads } from './reconcile-fixtures.js';
import { BASE_SHA, HEAD_SHA, OWNER, REPO } from './fixtures.js';

const BRANCH = (target: string) => `realitycheck/reconcile/${target}`;

let app: TestApp;
let github: FakeGitHub;

beforeAll(useFakeAwsEnvironment);
afterEach(() => finish(github));

function commentEvent() {
  const payload = example('issue_comment', 'created');
  payload.issue.number = 2;
  payload.issue.pull_request = { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/2' };
  payload.comment.body = '/realitycheck reconcile';
  payload.comment.user.login = 'maintainer';
  payload.comment.user.type = 'User';
  return payload;
}

async function start(config: string, base: Record<string, string>, changed: string) {
  github = new FakeGitHub({
    owner: OWNER,
    repo: REPO,
    config,
    files: { [BASE_SHA]: base, [HEAD_SHA]: { ...base, [changed]: `${base[changed]}\n` } },
    pullFiles: { 2: [changed] },
    permissions: { maintainer: 'write' },
    pulls: { 2: { headSha: HEAD_SHA, baseSha: BASE_SHA } },
    branches: { master: BASE_SHA },
  });
  app = await startApp({ cloudformation: { sleep: async () => {}, aws: { maxAttempts: 1 } } });
}

describe('a Terraform root', () => {
  const ROOT = `module "queues" {
  source = "../../modules/queues"
}

# audit trail, kept for a year
resource "aws_sqs_queue" "audit" {
  name          = "audit"
  delay_seconds = 0
}
`;
  const MODULE = `resource "aws_sqs_queue" "jobs" {
  name                       = "jobs"
  visibility_timeout_seconds = 30 # seconds

  tags = {
    team = "orders"
  }
}
`;
  const CONFIG = `targets:
  - name: data
    terraform:
      dir: tf/data
      state:
        s3: { bucket: acme-tf-state, key: data/terraform.tfstate, region: us-east-1 }
`;
  const queue = (module: string | undefined, name: string, attributes: Record<string, unknown>) => ({
    ...(module ? { module } : {}),
    mode: 'managed',
    type: 'aws_sqs_queue',
    name,
    provider: 'provider["registry.terraform.io/hashicorp/aws"]',
    instances: [{ schema_version: 0, attributes: { arn: `arn:aws:sqs:us-east-1:123456789012:${attributes.name}`, id: `https://sqs.us-east-1.amazonaws.com/123456789012/${attributes.name}`, url: `https://sqs.us-east-1.amazonaws.com/123456789012/${attributes.name}`, ...attributes }, sensitive_attributes: [] }],
  });
  const STATE = JSON.stringify({
    version: 4,
    terraform_version: '1.9.8',
    serial: 7,
    lineage: '3f9a1c2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b',
    outputs: {},
    resources: [
      queue('module.queues', 'jobs', { name: 'jobs', visibility_timeout_seconds: 30, tags: { team: 'orders' }, tags_all: { team: 'orders' } }),
      queue(undefined, 'audit', { name: 'audit', delay_seconds: 0, tags: {}, tags_all: {} }),
    ],
  });
  const live = (name: string, properties: Record<string, unknown>) => ({
    typeName: 'AWS::SQS::Queue',
    identifier: `https://sqs.us-east-1.amazonaws.com/123456789012/${name}`,
    properties: { QueueName: name, QueueUrl: `https://sqs.us-east-1.amazonaws.com/123456789012/${name}`, Arn: `arn:aws:sqs:us-east-1:123456789012:${name}`, ...properties },
  });

  it('edits the module file the queue is declared in and the root file, in one commit', async () => {
    await start(CONFIG, { 'tf/data/main.tf': ROOT, 'modules/queues/main.tf': MODULE }, 'tf/data/main.tf');
    s3GetObject(STATE, { key: 'data/terraform.tfstate' });
    cloudControl([
      live('jobs', { VisibilityTimeout: 120, MessageRetentionPeriod: 345600, Tags: [{ Key: 'team', Value: 'orders' }, { Key: 'owner', Value: 'payments' }] }),
      live('audit', { DelaySeconds: 5, MessageRetentionPeriod: 345600 }),
    ]);
    await app.deliver('issue_comment', commentEvent());

    const git = github.git;
    expect(git.openPulls().map((p) => p.head)).toEqual([BRANCH('data')]);
    const files = git.filesOn(BRANCH('data'));
    expect(files['modules/queues/main.tf']).toBe(MODULE.replace('= 30 # seconds', '= 120 # seconds').replace('    team = "orders"\n', '    team = "orders"\n\n    owner = "payments"\n'));
    expect(files['modules/queues/main.tf']).not.toContain('message_retention_seconds'); // AWS's default, never declared nor changed
    expect(files['tf/data/main.tf']).toBe(ROOT.replace('delay_seconds = 0', 'delay_seconds = 5'));
    expect(git.commits.size).toBe(1);
    expect(git.openPulls()[0]!.body).toContain('module.queues.aws_sqs_queue.jobs');
  });
});

describe('a JSON template', () => {
  const TEMPLATE = 'infra/orders.json';
  const JSON_BASE = `{\r\n    "AWSTemplateFormatVersion": "2010-09-09",\r\n    "Resources": {\r\n        "OrdersQueue": {\r\n            "Type": "AWS::SQS::Queue",\r\n            "Properties": {\r\n                "QueueName": "orders-prod",\r\n                "VisibilityTimeout": 30,\r\n                "MessageRetentionPeriod": 345600\r\n            }\r\n        },\r\n        "OrdersBucket": {\r\n            "Type": "AWS::S3::Bucket",\r\n            "Properties": {\r\n                "BucketName": "orders-archive",\r\n                "Tags": [\r\n                    { "Key": "team", "Value": "orders" },\r\n                    { "Key": "cost-center", "Value": "finance" }\r\n                ]\r\n            }\r\n        },\r\n        "OrdersTopic": {\r\n            "Type": "AWS::SNS::Topic",\r\n            "Properties": { "TopicName": { "Fn::Sub": "\${AWS::StackName}-events" } }\r\n        }\r\n    }\r\n}\r\n`;
  const CONFIG = `targets:
  - name: orders
    cloudformation:
      stack: orders-prod
      template: ${TEMPLATE}
      region: us-east-1
`;

  it("writes the live values with the file's indentation, key order and CRLF line endings", async () => {
    await start(CONFIG, { [TEMPLATE]: JSON_BASE }, TEMPLATE);
    awsReads(undefined, JSON_BASE);
    await app.deliver('issue_comment', commentEvent());

    const written = github.git.filesOn(BRANCH('orders'))[TEMPLATE]!;
    const before = JSON_BASE.split('\r\n');
    const after = written.split('\r\n');
    expect(after.filter((line) => !before.includes(line))).toEqual(expect.arrayContaining(['                "VisibilityTimeout": 120,']));
    expect(JSON.parse(written).Resources.OrdersBucket.Properties.Tags).toEqual([
      { Key: 'team', Value: 'orders' },
      { Key: 'cost-center', Value: 'finance' },
      { Key: 'owner', Value: 'payments' },
    ]);
    expect(before.filter((line) => !after.includes(line))).toEqual(['                "VisibilityTimeout": 30,', '                    { "Key": "cost-center", "Value": "finance" }']);
    expect(written.replace(/\r\n/g, '')).not.toContain('\n');
  });
});
