import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeChanges } from '../../src/iac/cloudformation/compute-changes.js';
import { parseTemplate } from '../../src/iac/cloudformation/parse-template.js';
import type { DeclaredResource, DeclaredTemplate, ResourceChange } from '../../src/types.js';

const stackYaml = readFileSync(new URL('../fixtures/cloudformation/orders-stack.yaml', import.meta.url), 'utf8');
const stackJson = readFileSync(new URL('../fixtures/cloudformation/orders-stack.json', import.meta.url), 'utf8');
const sharedYaml = readFileSync(new URL('../fixtures/cloudformation/shared-settings.yaml', import.meta.url), 'utf8');

function parsed(content: string, file = 'orders-stack.yaml'): DeclaredTemplate {
  const result = parseTemplate(file, content);
  if (!result.ok) throw new Error(`line ${result.error.line}: ${result.error.message}`);
  return result.template;
}

/** The orders stack with one text edit, as a pull request would make it. */
function edited(from: string, to: string, source = stackYaml): DeclaredTemplate {
  if (!source.includes(from)) throw new Error(`fixture has no "${from}"`);
  return parsed(source.replace(from, to));
}

/** [logicalId, changedProperties, changedAttributes] of every change, for short expectations. */
const summary = (changes: ResourceChange[]) => changes.map((c) => [c.logicalId, c.changedProperties, c.changedAttributes]);

const base = parsed(stackYaml);

describe('computeChanges', () => {
  it('reports nothing when the template is unchanged', () => {
    expect(computeChanges(base, parsed(stackYaml))).toEqual([]);
  });

  it('reports nothing when a YAML template is rewritten as its JSON twin', () => {
    expect(computeChanges(base, parsed(stackJson, 'orders-stack.json'))).toEqual([]);
  });

  it('reports nothing when only key order and comments change', () => {
    const head = edited(
      "      VisibilityTimeout: 60\n      RedrivePolicy:\n        deadLetterTargetArn: !GetAtt OrdersDlq.Arn\n        maxReceiveCount: 5\n",
      "      RedrivePolicy:\n        maxReceiveCount: 5 # was 3 in 2023\n        deadLetterTargetArn: !GetAtt OrdersDlq.Arn\n      VisibilityTimeout: 60\n",
    );
    expect(computeChanges(base, head)).toEqual([]);
  });

  it.each([
    ['a top-level value', 'VisibilityTimeout: 60', 'VisibilityTimeout: 120', 'OrdersQueue', ['VisibilityTimeout']],
    ['a nested value', 'maxReceiveCount: 5', 'maxReceiveCount: 3', 'OrdersQueue', ['RedrivePolicy']],
    ['a list item', ', sqs:GetQueueAttributes]', ']', 'WorkerRole', ['Policies']],
    ['an intrinsic function', 'Timeout: !If [IsProd, 30, 10]', 'Timeout: !If [IsProd, 60, 10]', 'OrdersWorker', ['Timeout']],
    ['a removed property', '      BatchSize: 10\n', '', 'OrdersMapping', ['BatchSize']],
    ['an added property', '      BatchSize: 10\n', '      BatchSize: 10\n      Enabled: false\n', 'OrdersMapping', ['Enabled']],
  ])('names the property when a PR changes %s', (_case, from, to, logicalId, changedProperties) => {
    const changes = computeChanges(base, edited(from, to));
    expect(changes.map((c) => [c.logicalId, c.action, c.changedProperties, c.changedAttributes])).toEqual([
      [logicalId, 'change', changedProperties, []],
    ]);
  });

  it('shows an edit to an anchor on every resource that uses it', () => {
    const changes = computeChanges(base, edited('Value: orders\n', 'Value: payments\n'));
    expect(changes.map((c) => [c.logicalId, c.changedProperties])).toEqual([
      ['OrdersQueue', ['Tags']],
      ['OrdersDlq', ['Tags']],
    ]);
  });

  // CloudFormation reads YAML 1.1 (see src/iac/cloudformation/yaml-scalars.ts): what counts is
  // the value it deploys, not the text of the diff.
  describe('values as CloudFormation reads YAML 1.1', () => {
    /** A queue whose tag `flag` has the value written as `value`. */
    const tagged = (value: string) =>
      parsed(`Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags:\n        - Key: flag\n          Value: ${value}\n`, 'queue.yaml');
    const changed = (from: string, to: string) => computeChanges(tagged(from), tagged(to)).map((c) => [c.logicalId, c.changedProperties]);

    it.each([
      ['yes', '"yes"'], // deployed "true", then "yes"
      ['no', "'no'"],
      ['On', '"On"'],
      ['010', '"010"'], // 8, then "010"
      ['010', '10'],
      ['0x1F', '"0x1F"'],
      ['012345678901', '"012345678901"'], // deployed "1.2345678901E10", then the account id
      ['012345678901', '12345678901'],
      ['1.0', '1'], // "1.0", then "1"
    ])('counts %s -> %s as a change: CloudFormation deploys another value', (from, to) => {
      expect(changed(from, to)).toEqual([['Queue', ['Tags']]]);
    });

    it.each([
      ['yes', 'true'],
      ['YES', '"true"'],
      ['off', 'false'],
      ['010', '8'],
      ['0x1F', '31'],
      ['1_000', '1000'],
      ['123456789012', '"123456789012"'], // no leading 0: the same digits either way
      ['1e3', '"1000.0"'],
      ['y', '"y"'], // y and n are not booleans to CloudFormation
      ['30', '"30"'], // as before: a number is its text
      ['2010-09-09', '"2010-09-09"'], // no timestamps
    ])('does not count %s -> %s as a change: CloudFormation deploys the same value', (from, to) => {
      expect(changed(from, to)).toEqual([]);
    });

    it('reads a quoted tag value and a tagged one (!Sub) as text, never as a boolean', () => {
      expect(changed('!Sub "yes"', '"yes"')).toEqual([['Queue', ['Tags']]]);
      expect(changed("!Join ['', [y, es]]", "!Join ['', [y, es]]")).toEqual([]);
      expect(computeChanges(tagged('"yes"'), tagged("'yes'"))).toEqual([]);
    });
  });

  it.each([
    ['DeletionPolicy', '    DeletionPolicy: Retain\n    Properties:\n      QueueName', '    DeletionPolicy: Delete\n    Properties:\n      QueueName', 'OrdersQueue'],
    ['Condition', '    Condition: IsProd\n', '    Condition: IsDev\n', 'OrdersMapping'],
    ['DependsOn', '    DependsOn: WorkerRole\n', '    DependsOn: [WorkerRole, OrdersTable]\n', 'OrdersWorker'],
    ['UpdateReplacePolicy', '    UpdateReplacePolicy: Retain\n', '    UpdateReplacePolicy: Snapshot\n', 'OrdersTable'],
    ['Metadata', 'Location: s3://orders-docs/table.yaml', 'Location: s3://orders-docs/table-v2.yaml', 'OrdersTable'],
    ['Type', '    Type: AWS::Lambda::EventSourceMapping\n', '    Type: Custom::EventSourceMapping\n', 'OrdersMapping'],
  ])('names the %s attribute when a PR changes it', (attribute, from, to, logicalId) => {
    const changes = computeChanges(base, edited(from, to));
    expect(changes.map((c) => [c.logicalId, c.action, c.changedProperties, c.changedAttributes])).toEqual([
      [logicalId, 'change', [], [attribute]],
    ]);
  });

  it('does not count DependsOn written as a list instead of a string, or reordered, as a change', () => {
    const asList = edited('    DependsOn: WorkerRole\n', '    DependsOn: [WorkerRole]\n');
    const reordered = edited('    DependsOn: [OrdersWorker, OrdersQueue]\n', '    DependsOn: [OrdersQueue, OrdersWorker]\n');
    expect(computeChanges(base, asList)).toEqual([]);
    expect(computeChanges(base, reordered)).toEqual([]);
  });

  it('reports an added resource with every property and attribute it declares', () => {
    const withAlarm = parsed(
      stackYaml.replace(
        '\nOutputs:\n',
        '\n  DlqAlarm:\n    Type: AWS::CloudWatch::Alarm\n    DependsOn: OrdersDlq\n    Properties:\n      Namespace: AWS/SQS\n      MetricName: ApproximateNumberOfMessagesVisible\n      Threshold: 1\nOutputs:\n',
      ),
    );
    const [change, ...rest] = computeChanges(base, withAlarm);
    expect(rest).toEqual([]);
    expect(change).toMatchObject({
      logicalId: 'DlqAlarm',
      type: 'AWS::CloudWatch::Alarm',
      action: 'add',
      changedProperties: ['Namespace', 'MetricName', 'Threshold'],
      changedAttributes: ['Type', 'DependsOn'],
      head: { logicalId: 'DlqAlarm', span: { startLine: 115, endLine: 121 } },
    });
    expect(change?.base).toBeUndefined();
  });

  it('reports a removed resource with the base version for its lines', () => {
    const mappingBlock = stackYaml.slice(stackYaml.indexOf('  OrdersMapping:'), stackYaml.indexOf('  OrdersTable:'));
    const [change, ...rest] = computeChanges(base, parsed(stackYaml.replace(mappingBlock, '')));
    expect(rest).toEqual([]);
    expect(change).toMatchObject({
      logicalId: 'OrdersMapping',
      type: 'AWS::Lambda::EventSourceMapping',
      action: 'remove',
      changedProperties: ['EventSourceArn', 'FunctionName', 'BatchSize'],
      changedAttributes: ['Type', 'DependsOn', 'Condition'],
      base: { span: { startLine: 88, endLine: 95 } },
    });
    expect(change?.head).toBeUndefined();
  });

  it('treats a renamed logical id as one removal and one addition', () => {
    const renamed = edited('  OrdersDlq:\n', '  OrdersDeadLetters:\n');
    expect(computeChanges(base, renamed).map((c) => [c.logicalId, c.action])).toEqual([
      // OrdersQueue's !GetAtt OrdersDlq.Arn is unchanged text, so only the rename shows.
      ['OrdersDeadLetters', 'add'],
      ['OrdersDlq', 'remove'],
    ]);
  });

  it('reports every resource as added for a new template and as removed for a deleted one', () => {
    const ids = base.resources.map((r) => r.logicalId);
    expect(computeChanges(undefined, base).map((c) => [c.logicalId, c.action])).toEqual(ids.map((id) => [id, 'add']));
    expect(computeChanges(base, undefined).map((c) => [c.logicalId, c.action])).toEqual(ids.map((id) => [id, 'remove']));
    expect(computeChanges(undefined, undefined)).toEqual([]);
  });

  it('still compares Type and DependsOn for resources built without raw attributes', () => {
    const plain = (type: string, dependsOn: string[]): DeclaredResource => ({
      logicalId: 'Queue',
      type,
      properties: { DelaySeconds: 1 },
      dependsOn,
      references: dependsOn,
      span: { startLine: 1, endLine: 3 },
      propertySpans: {},
    });
    const template = (resource: DeclaredResource): DeclaredTemplate => ({ file: 't.yaml', format: 'yaml', resources: [resource], parameters: [] });
    const changes = computeChanges(template(plain('AWS::SQS::Queue', [])), template(plain('AWS::SNS::Topic', ['Key'])));
    expect(changes.map((c) => [c.action, c.changedProperties, c.changedAttributes])).toEqual([['change', [], ['Type', 'DependsOn']]]);
  });
});

describe('computeChanges: edits outside Resources show on the resources that use them', () => {
  const shared = parsed(sharedYaml, 'shared-settings.yaml');
  const all = (logicalId: string) => Object.keys(shared.resources.find((r) => r.logicalId === logicalId)!.properties);

  it('reports nothing when the template is unchanged', () => {
    expect(computeChanges(shared, parsed(sharedYaml))).toEqual([]);
  });

  it.each([
    [
      'a parameter default a property uses through Ref',
      '    Default: 30\n', '    Default: 60\n',
      [['Queue', ['VisibilityTimeout'], []]],
    ],
    [
      'a parameter default a property uses as ${P} in Fn::Sub',
      '    Default: orders\n', '    Default: payments\n',
      // Topic's ${Prefix} is its own Sub variable ("fixed"), not the parameter.
      [['Queue', ['QueueName'], []]],
    ],
    [
      "a parameter default passed through Fn::Sub's variable map",
      '    Default: checkout\n', '    Default: billing\n',
      [['Topic', ['TopicName'], []]],
    ],
    [
      'a mapping entry a property reads through Fn::FindInMap with a computed key',
      'prod: { Memory: 1024 }', 'prod: { Memory: 2048 }',
      // Dlq reads [<computed map>, dev, Seconds]: no map's dev.Seconds changed.
      [['Worker', ['MemorySize'], []]],
    ],
    [
      'a mapping entry a property reads through Fn::FindInMap with a computed map name',
      'dev: { Seconds: 345600 }', 'dev: { Seconds: 1209600 }',
      [['Dlq', ['MessageRetentionPeriod'], []]],
    ],
    [
      'a condition a resource is created under (and a condition built on it, used in Fn::If)',
      'IsProd: !Equals [!Ref Env, prod]', 'IsProd: !Equals [!Ref Env, production]',
      [['Alarm', ['Namespace', 'Threshold'], ['Condition']], ['Table', ['BillingMode'], []]],
    ],
    [
      'a condition a property uses through Fn::If',
      'us-east-1]]', 'eu-west-1]]',
      [['Table', ['BillingMode'], []]],
    ],
    [
      'a SAM Globals value for functions (serverless functions only, not plain Lambda functions or APIs)',
      '    MemorySize: 128\n', '    MemorySize: 512\n',
      // Only the Globals name: Fn's own Handler and CodeUri deploy as before.
      [['Fn', ['MemorySize'], []]],
    ],
    [
      'a parameter default that SAM Globals passes to every function',
      '    Default: 10\n', '    Default: 15\n',
      [['Fn', ['Timeout'], []]],
    ],
  ])('shows a PR changing %s on the resources using it', (_case, from, to, expected) => {
    expect(summary(computeChanges(shared, edited(from, to, sharedYaml)))).toEqual(expected);
  });

  it.each([
    ['a parameter Description', 'Description: Seconds a worker has for one message', 'Description: Worker timeout'],
    ['a new condition no resource uses', '  IsProd: !Equals [!Ref Env, prod]\n', '  IsProd: !Equals [!Ref Env, prod]\n  IsTest: !Equals [!Ref Env, test]\n'],
    ['the quoting of a parameter default', '    Default: 30\n', "    Default: '30'\n"],
    // Only Default (or adding/removing the parameter) changes what a resource resolves to.
    ['the allowed values of a parameter conditions, mappings and Sub read', 'AllowedValues: [dev, prod]', 'AllowedValues: [dev, staging, prod]'],
    ['the Type of a parameter a property uses', '  Timeout:\n    Type: Number\n', '  Timeout:\n    Type: String\n'],
    ['NoEcho on a parameter a property uses', '  Prefix:\n    Type: String\n', '  Prefix:\n    Type: String\n    NoEcho: true\n'],
    ['a new environment in a map read with a computed key', '    prod: { Memory: 1024 }\n', '    prod: { Memory: 1024 }\n    staging: { Memory: 512 }\n'],
    ['a new value beside the one a lookup reads', 'dev: { Seconds: 345600 }', 'dev: { Seconds: 345600, Days: 4 }'],
    ['a new map', 'Mappings:\n', 'Mappings:\n  Extra:\n    dev: { Seconds: 1 }\n'],
  ])('touches no resource when a PR changes only %s', (_case, from, to) => {
    expect(computeChanges(shared, edited(from, to, sharedYaml))).toEqual([]);
  });

  it('shows a change to Transform on every resource', () => {
    const head = edited('Transform: AWS::Serverless-2016-10-31\n', 'Transform: [AWS::Serverless-2016-10-31, AWS::LanguageExtensions]\n', sharedYaml);
    expect(summary(computeChanges(shared, head))).toEqual(shared.resources.map((r) => [r.logicalId, all(r.logicalId), []]));
  });

  it('merges a direct edit and an edit through a parameter into one list, without duplicates', () => {
    const head = parsed(sharedYaml.replace('    Default: 30\n', '    Default: 60\n').replace('DelaySeconds: 0\n  Topic', 'DelaySeconds: 5\n  Topic'));
    expect(summary(computeChanges(shared, head))).toEqual([['Queue', ['VisibilityTimeout', 'DelaySeconds'], []]]);
    const both = parsed(sharedYaml.replace('    Default: 30\n', '    Default: 60\n').replace('VisibilityTimeout: !Ref Timeout', 'VisibilityTimeout: !Ref Prefix'));
    expect(summary(computeChanges(shared, both))).toEqual([['Queue', ['VisibilityTimeout'], []]]);
  });

  it('does not flag the orders resources built from Env when a PR widens its allowed values or adds a region', () => {
    const widened = edited('AllowedValues: [dev, prod]', 'AllowedValues: [dev, staging, prod]');
    expect(computeChanges(base, widened)).toEqual([]);
    const staging = edited('    prod: { Memory: 1024 }\n', '    prod: { Memory: 1024 }\n    staging: { Memory: 512 }\n');
    expect(computeChanges(base, staging)).toEqual([]);
  });

  it('does not flag resources using a parameter when a PR only hides it (NoEcho) or retypes it', () => {
    const hidden = edited('    NoEcho: true\n', '    NoEcho: false\n');
    const retyped = edited('  SubnetIds:\n    Type: CommaDelimitedList\n', '  SubnetIds:\n    Type: List<AWS::EC2::Subnet::Id>\n');
    expect(computeChanges(base, hidden)).toEqual([]);
    expect(computeChanges(base, retyped)).toEqual([]);
  });

  it('shows a PR adding or removing a parameter with a default on the resources using it', () => {
    const added = edited('  Env:\n    Type: String\n', '  Env:\n    Type: String\n    Default: dev\n');
    expect(summary(computeChanges(base, added)).map(([id]) => id)).toEqual(['OrdersQueue', 'OrdersDlq', 'OrdersWorker', 'OrdersMapping', 'OrdersTable']);
    const removed = parsed(sharedYaml.replace('  Prefix:\n    Type: String\n    Default: orders\n', ''), 'shared-settings.yaml');
    expect(summary(computeChanges(shared, removed))).toEqual([['Queue', ['QueueName'], []]]);
  });

  it('keeps every property of every serverless resource when Globals is no longer a mapping', () => {
    const block = sharedYaml.slice(sharedYaml.indexOf('Globals:\n'), sharedYaml.indexOf('Resources:\n'));
    const head = edited(block, 'Globals: [nodejs20.x]\n', sharedYaml);
    expect(summary(computeChanges(shared, head))).toEqual([['Fn', all('Fn'), []], ['Api', all('Api'), []]]);
  });
});

describe('computeChanges: writing the same value another way is not a change', () => {
  it.each([
    ['a number quoted', 'VisibilityTimeout: 60', "VisibilityTimeout: '60'"],
    ['a number in double quotes', 'BatchSize: 10', 'BatchSize: "10"'],
    ['booleans quoted inside an intrinsic', '!If [IsProd, true, false]', "!If [IsProd, 'true', 'false']"],
    ['a parameter NoEcho quoted', '    NoEcho: true\n', '    NoEcho: "true"\n'],
    ['a mapping value quoted', 'dev: { Memory: 256 }', "dev: { Memory: '256' }"],
  ])('reports nothing for %s', (_case, from, to) => {
    expect(computeChanges(base, edited(from, to))).toEqual([]);
  });

  it('reports nothing when a JSON template quotes its numbers', () => {
    const quoted = stackJson.replace('"VisibilityTimeout": 60', '"VisibilityTimeout": "60"').replace('"BatchSize": 10', '"BatchSize": "10"');
    expect(quoted).not.toBe(stackJson);
    expect(computeChanges(base, parsed(quoted, 'orders-stack.json'))).toEqual([]);
  });

  it.each([
    ['a quoted number with a new value', 'VisibilityTimeout: 60', "VisibilityTimeout: '61'", [['OrdersQueue', ['VisibilityTimeout'], []]]],
    ['a boolean flipped while quoting it', '!If [IsProd, true, false]', "!If [IsProd, 'false', 'false']", [['OrdersTable', ['PointInTimeRecoverySpecification'], []]]],
    ['a number turned into a different string', 'BatchSize: 10', 'BatchSize: "10.0"', [['OrdersMapping', ['BatchSize'], []]]],
    ['list items reordered', '[sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes]', '[sqs:DeleteMessage, sqs:ReceiveMessage, sqs:GetQueueAttributes]', [['WorkerRole', ['Policies'], []]]],
  ])('still reports %s', (_case, from, to, expected) => {
    expect(summary(computeChanges(base, edited(from, to)))).toEqual(expected);
  });
});

describe('computeChanges: a mapping edit shows only on the lookups that can read it', () => {
  const regional = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::LanguageExtensions
Mappings:
  Regions:
    us-east-1: { Ami: ami-1, Size: small }
    eu-west-1: { Ami: ami-2 }
Resources:
  Virginia:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !FindInMap [Regions, us-east-1, Ami]
      InstanceType: !FindInMap [Regions, us-east-1, Size]
  Ireland:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !FindInMap [Regions, eu-west-1, Ami]
  Anywhere:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !FindInMap [Regions, !Ref 'AWS::Region', Ami]
  AnywhereWithDefault:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !FindInMap [Regions, !Ref 'AWS::Region', Ami, { DefaultValue: ami-0 }]
`;
  const before = parsed(regional, 'regional.yaml');
  const after = (from: string, to: string) => edited(from, to, regional);

  it.each([
    ['an AMI one region uses', 'us-east-1: { Ami: ami-1,', 'us-east-1: { Ami: ami-9,', [['Virginia', ['ImageId'], []], ['Anywhere', ['ImageId'], []], ['AnywhereWithDefault', ['ImageId'], []]]],
    ['another value of the same region', 'Size: small', 'Size: large', [['Virginia', ['InstanceType'], []]]],
    ['a region removed', '    eu-west-1: { Ami: ami-2 }\n', '', [['Ireland', ['ImageId'], []], ['Anywhere', ['ImageId'], []], ['AnywhereWithDefault', ['ImageId'], []]]],
    // No stack resolved to the new region without a DefaultValue: only that lookup changes.
    ['a region added', '    eu-west-1: { Ami: ami-2 }\n', '    eu-west-1: { Ami: ami-2 }\n    ap-south-1: { Ami: ami-3 }\n', [['AnywhereWithDefault', ['ImageId'], []]]],
  ])('shows a PR changing %s only where it can be read', (_case, from, to, expected) => {
    expect(summary(computeChanges(before, after(from, to)))).toEqual(expected);
  });

  it('touches nothing when a PR adds a value no lookup reads', () => {
    expect(computeChanges(before, after('eu-west-1: { Ami: ami-2 }', 'eu-west-1: { Ami: ami-2, Size: large }'))).toEqual([]);
  });

  it('shows every lookup of a map that stops being a mapping of mappings', () => {
    const head = after('    us-east-1: { Ami: ami-1, Size: small }\n', '    us-east-1: ami-1\n');
    expect(summary(computeChanges(before, head)).map(([id]) => id)).toEqual(['Virginia', 'Ireland', 'Anywhere', 'AnywhereWithDefault']);
  });
});

describe('computeChanges: long condition chains', () => {
  /** A template whose conditions form a chain C0 <- C1 <- ... : C_i is !Not [!Condition C_{i+1}]. */
  function chained(count: number, last: string): DeclaredTemplate {
    const conditions: Record<string, unknown> = {};
    for (let i = 0; i < count - 1; i++) conditions[`C${i}`] = { 'Fn::Not': [{ Condition: `C${i + 1}` }] };
    conditions[`C${count - 1}`] = { 'Fn::Equals': [{ Ref: 'Env' }, last] };
    const queue: DeclaredResource = {
      logicalId: 'Queue',
      type: 'AWS::SQS::Queue',
      properties: { DelaySeconds: { 'Fn::If': ['C0', 0, 5] }, QueueName: 'orders' },
      dependsOn: [],
      references: [],
      span: { startLine: 1, endLine: 1 },
      propertySpans: {},
    };
    return { file: 't.yaml', format: 'yaml', resources: [queue], parameters: [], sections: { Parameters: { Env: { Type: 'String' } }, Conditions: conditions } };
  }

  it('finishes for 30,000 chained conditions and follows the change to the start of the chain', () => {
    const changes = computeChanges(chained(30_000, 'prod'), chained(30_000, 'production'));
    expect(summary(changes)).toEqual([['Queue', ['DelaySeconds'], []]]);
  });

  it('stops on conditions that name each other in a cycle', () => {
    const cyclic = (value: string): DeclaredTemplate => {
      const template = chained(3, value);
      (template.sections!.Conditions as Record<string, unknown>)['C2'] = { 'Fn::And': [{ Condition: 'C0' }, { 'Fn::Equals': [value, 'x'] }] };
      return template;
    };
    expect(summary(computeChanges(cyclic('a'), cyclic('b')))).toEqual([['Queue', ['DelaySeconds'], []]]);
  });
});
