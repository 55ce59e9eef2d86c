// The benchmark's stack: a template of 500 resources (base and a head per push) and what
// CloudFormation reports about it: 20 drifted resources, a few deleted ones.
import type { DriftFixture, ResourceFixture } from '../test/live/fake-aws.js';

export const RESOURCES = 500;
export const PAGE = 100;

const kinds = ['queue', 'table', 'topic', 'role', 'function'] as const;
const kindOf = (i: number) => kinds[i % kinds.length]!;
const TYPES = { queue: 'AWS::SQS::Queue', table: 'AWS::DynamoDB::Table', topic: 'AWS::SNS::Topic', role: 'AWS::IAM::Role', function: 'AWS::Lambda::Function' };

function resourceYaml(i: number, timeout = 30): string {
  const id = `R${i}`;
  switch (kindOf(i)) {
    case 'queue':
      return `  ${id}:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub q${i}-\${Env}\n      VisibilityTimeout: ${timeout}\n      MessageRetentionPeriod: 345600\n      Tags:\n        - { Key: team, Value: orders }\n`;
    case 'table':
      return `  ${id}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions:\n        - AttributeName: id\n          AttributeType: S\n      KeySchema:\n        - AttributeName: id\n          KeyType: HASH\n`;
    case 'topic':
      return `  ${id}:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Sub t${i}-\${Env}\n`;
    case 'role':
      return `  ${id}:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: { Service: lambda.amazonaws.com }\n            Action: sts:AssumeRole\n`;
    case 'function':
      return `  ${id}:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: index.handler\n      Timeout: ${timeout}\n      Role: !GetAtt R${i - 1}.Arn\n      Code:\n        ZipFile: exports.handler = async () => ({});\n`;
  }
}

function template(edit: (i: number) => number | undefined = () => undefined): string {
  const body = Array.from({ length: RESOURCES }, (_, i) => resourceYaml(i, edit(i) ?? 30)).join('');
  return `AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Env:\n    Type: String\n    Default: prod\nResources:\n${body}`;
}

export const BASE = template();
// The pull request edits three queues and one function; queue R0 drifted live (conflict), R5
// in sync. Push `n` sets R10 to a different value, so every push brings a head never seen.
export const head = (push: number) => template((i) => (i === 0 ? 45 : i === 5 ? 50 : i === 10 ? 60 + push : i === 4 ? 20 : undefined));
export const HEAD = head(0);

export const resources: ResourceFixture[] = Array.from({ length: RESOURCES }, (_, i) => ({
  logicalId: `R${i}`,
  physicalId: `physical-${i}`,
  type: TYPES[kindOf(i)],
  drift: i % 25 === 0 ? 'MODIFIED' : i % 97 === 0 ? 'DELETED' : 'IN_SYNC',
}));
/** Records written a minute before the benchmark starts: fresh, so runs reuse them. */
const checkedAt = new Date(Date.now() - 60_000).toISOString();
export const drifts: DriftFixture[] = resources.map((r, i): DriftFixture => ({
  timestamp: checkedAt,
  ...(r.drift === 'MODIFIED' && kindOf(i) === 'queue'
    ? { ...r, status: 'MODIFIED', expected: { VisibilityTimeout: 30 }, actual: { VisibilityTimeout: 120 }, differences: [{ path: '/VisibilityTimeout', expected: '30', actual: '120' }] }
    : r.drift === 'MODIFIED'
      ? { ...r, status: 'MODIFIED', differences: [{ path: '/Tags/0/Value', expected: 'orders', actual: 'payments' }] }
      : { ...r, status: r.drift as 'IN_SYNC' | 'DELETED' }),
}));

