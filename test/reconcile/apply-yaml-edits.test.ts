import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../src/iac/cloudformation/parse-template.js';
import { applyYamlEdits } from '../../src/reconcile/apply-yaml-edits.js';
import type { ValueEdit } from '../../src/reconcile/types.js';
import { lineChanges } from './line-changes.js';

/** The properties of one resource as CloudFormation reads the template. */
function propertiesOf(text: string, logicalId: string): Record<string, unknown> {
  const result = parseTemplate('template.yaml', text);
  if (!result.ok) throw new Error(`does not parse: line ${result.error.line}: ${result.error.message}`);
  const resource = result.template.resources.find((candidate) => candidate.logicalId === logicalId);
  if (!resource) throw new Error(`no resource ${logicalId}`);
  return resource.properties;
}

const set = (resource: string, path: ValueEdit['path'], value: unknown): ValueEdit => ({ resource, path, op: { kind: 'set', value } });
const tag = (resource: string, key: string, value: string, path: ValueEdit['path'] = ['Tags']): ValueEdit => ({ resource, path, op: { kind: 'tag', key, value } });

const ORDERS = `AWSTemplateFormatVersion: "2010-09-09"
Description: Orders service # owned by the orders team

Parameters:
  Env:
    Type: String

Resources:
  # the queue the workers read
  OrdersQueue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "orders-\${Env}"
      VisibilityTimeout: 30 # seconds; the worker takes up to 20
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt OrdersDlq.Arn
        maxReceiveCount: 5

  OrdersDlq:
    Type: AWS::SQS::Queue

  ArchiveBucket:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    Properties:
      BucketName: !Ref AWS::NoValue
      Tags:
        - Key: team
          Value: orders
        - Key: env
          Value: !Ref Env   # set per stage

Outputs:
  QueueUrl:
    Value: !Ref OrdersQueue
`;

describe('applyYamlEdits: the drift the pull request writes back', () => {
  it('sets a hotfixed VisibilityTimeout to 120 and adds the owner tag next to the existing ones, nothing else changed', () => {
    const result = applyYamlEdits(ORDERS, [set('OrdersQueue', ['VisibilityTimeout'], 120), tag('ArchiveBucket', 'owner', 'platform')]);
    expect(result.refused).toEqual([]);
    expect(result.applied).toHaveLength(2);
    expect(lineChanges(ORDERS, result.text)).toEqual({
      removed: ['      VisibilityTimeout: 30 # seconds; the worker takes up to 20'],
      added: ['      VisibilityTimeout: 120 # seconds; the worker takes up to 20', '        - Key: owner', '          Value: platform'],
    });
    // the new tag comes after the two that were there
    expect(result.text).toContain('          Value: !Ref Env   # set per stage\n        - Key: owner\n          Value: platform\n\nOutputs:');
    expect(propertiesOf(result.text, 'OrdersQueue').VisibilityTimeout).toBe(120);
    expect(propertiesOf(result.text, 'ArchiveBucket').Tags).toEqual([
      { Key: 'team', Value: 'orders' },
      { Key: 'env', Value: { Ref: 'Env' } },
      { Key: 'owner', Value: 'platform' },
    ]);
  });

  it('updates the tag that is there instead of adding a second one, keeping the others in order', () => {
    const result = applyYamlEdits(ORDERS, [tag('ArchiveBucket', 'team', 'payments')]);
    expect(lineChanges(ORDERS, result.text)).toEqual({ removed: ['          Value: orders'], added: ['          Value: payments'] });
    expect(propertiesOf(result.text, 'ArchiveBucket').Tags).toEqual([
      { Key: 'team', Value: 'payments' },
      { Key: 'env', Value: { Ref: 'Env' } },
    ]);
  });

  it('edits a nested property (RedrivePolicy.maxReceiveCount) in place', () => {
    const result = applyYamlEdits(ORDERS, [set('OrdersQueue', ['RedrivePolicy', 'maxReceiveCount'], 10)]);
    expect(lineChanges(ORDERS, result.text)).toEqual({ removed: ['        maxReceiveCount: 5'], added: ['        maxReceiveCount: 10'] });
    expect(propertiesOf(result.text, 'OrdersQueue').RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': ['OrdersDlq', 'Arn'] }, maxReceiveCount: 10 });
  });

  it('adds a missing key at the indentation of the block it belongs to', () => {
    const result = applyYamlEdits(ORDERS, [set('OrdersQueue', ['MessageRetentionPeriod', ], 1209600), set('OrdersQueue', ['RedrivePolicy', 'extra'], 'x')]);
    expect(result.refused).toEqual([]);
    expect(lineChanges(ORDERS, result.text)).toEqual({ removed: [], added: ['        extra: x', '      MessageRetentionPeriod: 1209600'] });
    expect(propertiesOf(result.text, 'OrdersQueue').MessageRetentionPeriod).toBe(1209600);
  });

  it('adds Properties to a resource that has none', () => {
    const result = applyYamlEdits(ORDERS, [set('OrdersDlq', ['MessageRetentionPeriod'], 345600), tag('OrdersDlq', 'owner', 'platform')]);
    expect(result.refused).toEqual([]);
    expect(lineChanges(ORDERS, result.text)).toEqual({
      removed: [],
      added: ['    Properties:', '      MessageRetentionPeriod: 345600', '      Tags:', '        - Key: owner', '          Value: platform'],
    });
    expect(propertiesOf(result.text, 'OrdersDlq')).toEqual({ MessageRetentionPeriod: 345600, Tags: [{ Key: 'owner', Value: 'platform' }] });
  });

  it('fills an empty Properties:', () => {
    const text = 'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:   # to do\n  Other:\n    Type: AWS::SNS::Topic\n';
    const result = applyYamlEdits(text, [set('Topic', ['DisplayName'], 'Orders')]);
    expect(result.refused).toEqual([]);
    expect(lineChanges(text, result.text)).toEqual({ removed: [], added: ['      DisplayName: Orders'] });
    expect(propertiesOf(result.text, 'Topic')).toEqual({ DisplayName: 'Orders' });
  });

  it.each([
    ['short form !Sub', set('OrdersQueue', ['QueueName'], 'orders-prod')],
    ['short form !GetAtt inside a nested property', set('OrdersQueue', ['RedrivePolicy', 'deadLetterTargetArn'], 'arn:aws:sqs:us-east-1:123456789012:dlq')],
    ['short form !Ref as a tag value', tag('ArchiveBucket', 'env', 'prod')],
    ['!Ref AWS::NoValue', set('ArchiveBucket', ['BucketName'], 'archive-123')],
  ])('never edits a declared expression (%s): refused as an expression, text unchanged', (_, edit) => {
    const result = applyYamlEdits(ORDERS, [edit]);
    expect(result.text).toBe(ORDERS);
    expect(result.refused).toEqual([{ edit, reason: 'expression', detail: expect.stringMatching(/is an expression \(!(Sub|GetAtt|Ref)\)/) }]);
  });

  it('does not replace a mapping that holds an expression as a whole, and does replace one that holds none', () => {
    const live = { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:123456789012:orders-dlq', maxReceiveCount: 10 };
    const result = applyYamlEdits(ORDERS, [set('OrdersQueue', ['RedrivePolicy'], live)]);
    expect(result.text).toBe(ORDERS);
    expect(result.refused).toEqual([{ edit: set('OrdersQueue', ['RedrivePolicy'], live), reason: 'expression', detail: expect.stringContaining('holds an expression (!GetAtt)') }]);
    const plain = ORDERS.replace('!GetAtt OrdersDlq.Arn', 'arn:aws:sqs:us-east-1:123456789012:old-dlq');
    const replaced = applyYamlEdits(plain, [set('OrdersQueue', ['RedrivePolicy'], live)]);
    expect(replaced.refused).toEqual([]);
    expect(lineChanges(plain, replaced.text)).toEqual({
      removed: ['        deadLetterTargetArn: arn:aws:sqs:us-east-1:123456789012:old-dlq', '        maxReceiveCount: 5'],
      added: ['        deadLetterTargetArn: arn:aws:sqs:us-east-1:123456789012:orders-dlq', '        maxReceiveCount: 10'],
    });
    expect(propertiesOf(replaced.text, 'OrdersQueue').RedrivePolicy).toEqual(live);
  });

  it('never edits the long intrinsic forms (Ref:, Fn::Join:) either', () => {
    const text = `Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName:
        Fn::Join: ["-", [orders, Ref: Env]]
      DelaySeconds:
        Ref: Delay
      Tags:
        - Key:
            Ref: TagName
          Value: x
`;
    const edits = [set('Queue', ['QueueName'], 'orders-prod'), set('Queue', ['DelaySeconds'], 5), tag('Queue', 'owner', 'me')];
    const result = applyYamlEdits(text, edits);
    expect(result.text).toBe(text);
    expect(result.refused.map((refusal) => refusal.reason)).toEqual(['expression', 'expression', 'expression']);
    expect(result.refused[0]!.detail).toContain('Fn::Join');
    expect(result.refused[2]!.detail).toContain('Key is not a literal');
  });

  it('edits flow mappings and flow lists in flow style', () => {
    const text = `Resources:
  Queue: {Type: AWS::SQS::Queue, Properties: {VisibilityTimeout: 30, Tags: [{Key: team, Value: orders}]}}
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      Tags: [ { Key: team, Value: orders } ]
`;
    const result = applyYamlEdits(text, [
      set('Queue', ['VisibilityTimeout'], 120),
      set('Queue', ['DelaySeconds'], 2),
      tag('Queue', 'owner', 'platform'),
      tag('Bucket', 'owner', 'platform'),
    ]);
    expect(result.refused).toEqual([]);
    expect(lineChanges(text, result.text)).toEqual({
      removed: [
        '  Queue: {Type: AWS::SQS::Queue, Properties: {VisibilityTimeout: 30, Tags: [{Key: team, Value: orders}]}}',
        '      Tags: [ { Key: team, Value: orders } ]',
      ],
      added: [
        '  Queue: {Type: AWS::SQS::Queue, Properties: {VisibilityTimeout: 120, Tags: [{Key: team, Value: orders}, {Key: owner, Value: platform}], DelaySeconds: 2}}',
        '      Tags: [ { Key: team, Value: orders }, { Key: owner, Value: platform } ]',
      ],
    });
    expect(propertiesOf(result.text, 'Queue')).toEqual({
      VisibilityTimeout: 120,
      DelaySeconds: 2,
      Tags: [
        { Key: 'team', Value: 'orders' },
        { Key: 'owner', Value: 'platform' },
      ],
    });
  });

  it('edits a value inside a list of mappings by index', () => {
    const text = `Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      Subscription:
        - Protocol: sqs
          Endpoint: arn:aws:sqs:us-east-1:123456789012:a
        - Protocol: email
          Endpoint: ops@example.com   # the on-call list
`;
    const result = applyYamlEdits(text, [set('Topic', ['Subscription', 1, 'Endpoint'], 'oncall@example.com')]);
    expect(lineChanges(text, result.text)).toEqual({
      removed: ['          Endpoint: ops@example.com   # the on-call list'],
      added: ['          Endpoint: oncall@example.com   # the on-call list'],
    });
    expect(propertiesOf(result.text, 'Topic').Subscription).toEqual([
      { Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:123456789012:a' },
      { Protocol: 'email', Endpoint: 'oncall@example.com' },
    ]);
  });

  it.each(['yes', 'on', 'No', 'OFF', '012', '0x1F', '1e3', '1_000', '1:30', '012345678901', 'null', '~', '', ' padded', 'a: b', 'x #y', '- item', '!Ref X', '*alias', "it's", '"q"', '@home'])(
    'quotes %j so that CloudFormation reads it back as that text',
    (value) => {
      const text = 'Resources:\n  Thing:\n    Type: Custom::Thing\n    Properties:\n      Value: old\n';
      const result = applyYamlEdits(text, [set('Thing', ['Value'], value)]);
      expect(result.refused).toEqual([]);
      expect(propertiesOf(result.text, 'Thing').Value).toBe(value);
    },
  );

  it('keeps the quotes the value had', () => {
    const text = `Resources:\n  Thing:\n    Type: Custom::Thing\n    Properties:\n      A: 'old'\n      B: "old"\n      C: old\n`;
    const result = applyYamlEdits(text, [set('Thing', ['A'], "it's"), set('Thing', ['B'], 'new'), set('Thing', ['C'], 'new')]);
    expect(lineChanges(text, result.text).added).toEqual([`      A: 'it''s'`, '      B: "new"', '      C: new']);
  });

  it('writes a number returned as text over a declared number without quotes', () => {
    const text = 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 30\n';
    const result = applyYamlEdits(text, [set('Q', ['VisibilityTimeout'], '120')]);
    expect(lineChanges(text, result.text).added).toEqual(['      VisibilityTimeout: 120']);
  });

  it('writes a multi-line string as a block scalar where it was one, and quoted elsewhere', () => {
    const text = `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Description: short
      Code:
        ZipFile: |
          def handler(event, context):
              return 1
      Handler: index.handler
`;
    const code = 'def handler(event, context):\n    return 2\n';
    const result = applyYamlEdits(text, [set('Fn', ['Code', 'ZipFile'], code), set('Fn', ['Description'], 'two\nlines')]);
    expect(result.refused).toEqual([]);
    expect(lineChanges(text, result.text)).toEqual({
      removed: ['      Description: short', '              return 1'],
      added: ['      Description: "two\\nlines"', '              return 2'],
    });
    const properties = propertiesOf(result.text, 'Fn');
    expect(properties.Code).toEqual({ ZipFile: code });
    expect(properties.Description).toBe('two\nlines');
  });

  it('keeps comments and anchors, and refuses to change a value other places alias', () => {
    const text = `Resources:
  A:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: &timeout 30 # shared
      DelaySeconds: &delay 0
  B:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: *timeout
`;
    const result = applyYamlEdits(text, [set('A', ['VisibilityTimeout'], 120), set('A', ['DelaySeconds'], 5), set('B', ['VisibilityTimeout'], 60)]);
    expect(result.refused).toEqual([{ edit: set('A', ['VisibilityTimeout'], 120), reason: 'unsupported', detail: expect.stringContaining('&timeout') }]);
    expect(lineChanges(text, result.text)).toEqual({
      removed: ['      DelaySeconds: &delay 0', '      VisibilityTimeout: *timeout'],
      added: ['      DelaySeconds: &delay 5', '      VisibilityTimeout: 60'],
    });
    expect(propertiesOf(result.text, 'A').VisibilityTimeout).toBe(30);
  });

  it('keeps CRLF line endings, on the lines it adds too', () => {
    const text = ORDERS.replace(/\n/g, '\r\n');
    const result = applyYamlEdits(text, [set('OrdersQueue', ['VisibilityTimeout'], 120), tag('ArchiveBucket', 'owner', 'platform'), set('OrdersDlq', ['DelaySeconds'], 1)]);
    expect(result.refused).toEqual([]);
    expect(result.text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(lineChanges(text, result.text).added).toEqual([
      '      VisibilityTimeout: 120 # seconds; the worker takes up to 20',
      '    Properties:',
      '      DelaySeconds: 1',
      '        - Key: owner',
      '          Value: platform',
    ]);
    expect(propertiesOf(result.text, 'OrdersQueue').VisibilityTimeout).toBe(120);
  });

  it('follows a list written at the same indentation as its key, and with four-space steps', () => {
    const text = `Resources:
    Bucket:
        Type: AWS::S3::Bucket
        Properties:
            Tags:
            - Key: "team"
              Value: "orders"
`;
    const result = applyYamlEdits(text, [tag('Bucket', 'owner', 'yes'), set('Bucket', ['Versioning', 'Status'], 'Enabled')]);
    expect(lineChanges(text, result.text).added).toEqual(['            - Key: "owner"', '              Value: "yes"', '            Versioning:', '                Status: Enabled']);
    expect(propertiesOf(result.text, 'Bucket').Tags).toEqual([
      { Key: 'team', Value: 'orders' },
      { Key: 'owner', Value: 'yes' },
    ]);
  });

  it('adds to a SAM Tags mapping as a key', () => {
    const text = 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Tags:\n        team: orders\n';
    const result = applyYamlEdits(text, [tag('Fn', 'owner', 'platform')]);
    expect(lineChanges(text, result.text).added).toEqual(['        owner: platform']);
  });

  it('says a resource that is not in the template is not found, so the caller can try another file', () => {
    const result = applyYamlEdits(ORDERS, [set('Missing', ['A'], 1)]);
    expect(result.refused).toEqual([{ edit: set('Missing', ['A'], 1), reason: 'not-found', detail: 'resource Missing is not in this template' }]);
    expect(result.text).toBe(ORDERS);
  });

  it('refuses every edit of a template that does not parse, saying where, without throwing', () => {
    const text = 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: [\n';
    const edits = [set('Q', ['VisibilityTimeout'], 120), tag('Q', 'owner', 'x')];
    const result = applyYamlEdits(text, edits);
    expect(result.text).toBe(text);
    expect(result.applied).toEqual([]);
    expect(result.refused.map((refusal) => refusal.reason)).toEqual(['unparseable', 'unparseable']);
    expect(result.refused[0]!.detail).toMatch(/does not parse as YAML \(line \d+: /);
  });

  it('refuses a value YAML cannot hold as CloudFormation reads it, leaving the text as it was', () => {
    const text = 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 30\n';
    const result = applyYamlEdits(text, [set('Q', ['VisibilityTimeout'], Number.POSITIVE_INFINITY)]);
    expect(result.text).toBe(text);
    expect(result.refused[0]?.reason).toBe('not-literal');
  });
});

describe('applyYamlEdits: several edits at one place', () => {
  const text = 'Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n        - Key: team\n          Value: orders\n';

  it('appends two tags to one list and adds two keys to one mapping, in the order given', () => {
    const result = applyYamlEdits(text, [
      tag('Bucket', 'owner', 'platform'),
      tag('Bucket', 'cost-center', '42'),
      set('Bucket', ['VersioningConfiguration', 'Status'], 'Enabled'),
      set('Bucket', ['VersioningConfiguration', 'MfaDelete'], 'Disabled'),
      tag('Bucket', 'owner', 'payments'),
    ]);
    expect(result.refused).toEqual([]);
    expect(result.applied).toHaveLength(5);
    expect(propertiesOf(result.text, 'Bucket')).toEqual({
      Tags: [
        { Key: 'team', Value: 'orders' },
        { Key: 'owner', Value: 'payments' },
        { Key: 'cost-center', Value: '42' },
      ],
      VersioningConfiguration: { Status: 'Enabled', MfaDelete: 'Disabled' },
    });
    expect(lineChanges(text, result.text).removed).toEqual([]);
  });

  it('refuses only the edit whose value would not read back, and makes the others', () => {
    // 1e21 is written `1e+21`, which CloudFormation's YAML reader takes as the double 1.0E21
    const result = applyYamlEdits(text, [tag('Bucket', 'owner', 'platform'), set('Bucket', ['ObjectLockEnabled'], 1e21)]);
    expect(result.applied).toEqual([tag('Bucket', 'owner', 'platform')]);
    expect(result.refused).toEqual([{ edit: set('Bucket', ['ObjectLockEnabled'], 1e21), reason: 'not-literal', detail: 'Bucket.ObjectLockEnabled: the value written would not read back as the live value' }]);
    expect(lineChanges(text, result.text)).toEqual({ removed: [], added: ['        - Key: owner', '          Value: platform'] });
  });
});
