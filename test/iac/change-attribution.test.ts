// Which resources, properties and attributes a pull request changes when the change flows
// through a whole-Properties Fn::If, a resource-level key or SAM Globals.
import { describe, expect, it } from 'vitest';
import { computeChanges } from '../../src/iac/cloudformation/compute-changes.js';
import { mergeGlobal } from '../../src/iac/cloudformation/compute-globals.js';
import { parseTemplate } from '../../src/iac/cloudformation/parse-template.js';
import type { DeclaredTemplate, ResourceChange } from '../../src/types.js';

function parsed(text: string): DeclaredTemplate {
  const result = parseTemplate('template.yaml', text);
  if (!result.ok) throw new Error(`line ${result.error.line}: ${result.error.message}`);
  return result.template;
}

function changesFor(source: string, from: string, to: string): Array<[string, string[], string[]]> {
  if (!source.includes(from)) throw new Error(`fixture has no "${from}"`);
  const summary = (changes: ResourceChange[]) => changes.map((c): [string, string[], string[]] => [c.logicalId, c.changedProperties, c.changedAttributes]);
  return summary(computeChanges(parsed(source), parsed(source.replace(from, to))));
}

const WHOLE_IF = `Parameters:
  Env:
    Type: String
    Default: dev
Mappings:
  Sizes:
    prod: { Retention: 1209600 }
Conditions:
  IsProd:
    Fn::Equals: [{ Ref: Env }, prod]
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      Fn::If:
        - IsProd
        - VisibilityTimeout: 60
          MessageRetentionPeriod:
            Fn::FindInMap: [Sizes, prod, Retention]
        - VisibilityTimeout: 30
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: orders
`;

describe('a resource whose whole Properties is an Fn::If', () => {
  it.each<[string, string, string, Array<[string, string[], string[]]>]>([
    ['a parameter its condition reads', 'Default: dev', 'Default: prod', [['Queue', ['VisibilityTimeout', 'MessageRetentionPeriod'], []]]],
    ['its condition', 'Fn::Equals: [{ Ref: Env }, prod]', 'Fn::Equals: [{ Ref: Env }, production]', [['Queue', ['VisibilityTimeout', 'MessageRetentionPeriod'], []]]],
    ['a mapping entry one branch reads', 'Retention: 1209600', 'Retention: 604800', [['Queue', ['MessageRetentionPeriod'], []]]],
    ['a value in one branch', 'VisibilityTimeout: 30', 'VisibilityTimeout: 45', [['Queue', ['VisibilityTimeout'], []]]],
    ['a property added to one branch', '        - VisibilityTimeout: 30\n', '        - VisibilityTimeout: 30\n          DelaySeconds: 5\n', [['Queue', ['DelaySeconds'], []]]],
    ['the condition it names', '        - IsProd\n', '        - IsDev\n', [['Queue', ['VisibilityTimeout', 'MessageRetentionPeriod'], []]]],
  ])('is changed by %s, in the properties it reaches', (_case, from, to, expected) => {
    expect(changesFor(WHOLE_IF, from, to)).toEqual(expected);
  });

  it('splits up to 64 branches; past that, compares the Fn::If as one value (a tree of 8,192 branches took 47 s split)', () => {
    const tree = (depth: number, counter: { n: number }): string =>
      depth === 0 ? `{K${counter.n++}: 1}` : `{Fn::If: [C, ${tree(depth - 1, counter)}, ${tree(depth - 1, counter)}]}`;
    const template = (depth: number) => `Conditions:\n  C: !Equals [a, b]\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties: ${tree(depth, { n: 0 })}\n`;
    expect(changesFor(template(6), 'K5: 1', 'K5: 2')).toEqual([['Queue', ['K5'], []]]);
    expect(changesFor(template(7), 'K5: 1', 'K5: 2')).toEqual([['Queue', ['Fn::If'], []]]);
    expect(changesFor(template(13), 'K5: 1', 'K5: 2')).toEqual([['Queue', ['Fn::If'], []]]);
  });

  it('compares as one value an Fn::If whose branches x property names pass 10,000 (64 x 1,500 took 3.5 s split)', () => {
    const leaf = (branch: number, names: number) => `{${Array.from({ length: names }, (_, i) => `K${branch}x${i}: 1`).join(', ')}}`;
    const template = (names: number) => `Conditions:\n  C: !Equals [a, b]\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties: {Fn::If: [C, ${leaf(0, names)}, ${leaf(1, names)}]}\n`;
    expect(changesFor(template(2_500), 'K0x5: 1', 'K0x5: 2')).toEqual([['Queue', ['K0x5'], []]]);
    expect(changesFor(template(2_501), 'K0x5: 1', 'K0x5: 2')).toEqual([['Queue', ['Fn::If'], []]]);
  });

  it('is not changed when its branches are written another way', () => {
    expect(changesFor(WHOLE_IF, 'VisibilityTimeout: 30', "VisibilityTimeout: '30'")).toEqual([]);
  });
});

const ATTRIBUTES = `Transform: AWS::Serverless-2016-10-31
Resources:
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    CreationPolicy:
      ResourceSignal: { Count: 1, Timeout: PT10M }
    UpdatePolicy:
      AutoScalingRollingUpdate: { MaxBatchSize: 1 }
    DeletionPolicy: Delete
    UpdateReplacePolicy: Delete
    Metadata:
      Owner: orders
    Properties:
      MinSize: '1'
      MaxSize: '2'
  Fn:
    Type: AWS::Serverless::Function
    IgnoreGlobals: [Runtime]
    Connectors:
      Read:
        Properties:
          Destination: { Id: Group }
          Permissions: [Read]
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
`;

describe('resource-level keys', () => {
  it.each([
    ['CreationPolicy', 'PT10M', 'PT15M', 'Group'],
    ['UpdatePolicy', 'MaxBatchSize: 1', 'MaxBatchSize: 2', 'Group'],
    ['DeletionPolicy', 'DeletionPolicy: Delete', 'DeletionPolicy: Retain', 'Group'],
    ['UpdateReplacePolicy', 'UpdateReplacePolicy: Delete', 'UpdateReplacePolicy: Retain', 'Group'],
    ['Metadata', 'Owner: orders', 'Owner: payments', 'Group'],
    ['Connectors', 'Permissions: [Read]', 'Permissions: [Read, Write]', 'Fn'],
    ['IgnoreGlobals', 'IgnoreGlobals: [Runtime]', "IgnoreGlobals: '*'", 'Fn'],
  ])('count as a change of the resource: %s', (attribute, from, to, logicalId) => {
    expect(changesFor(ATTRIBUTES, from, to)).toEqual([[logicalId, [], [attribute]]]);
  });
});

const GLOBALS = `Transform: AWS::Serverless-2016-10-31
Parameters:
  Memory:
    Type: Number
    Default: 128
Globals:
  Function:
    Runtime: nodejs18.x
    MemorySize: { Ref: Memory }
    Environment:
      Variables:
        STAGE: prod
        TABLE: orders
Resources:
  Plain:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
  OwnRuntime:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: python3.12
      MemorySize: 512
      Environment:
        Variables:
          TABLE: own-table
  OptedOut:
    Type: AWS::Serverless::Function
    IgnoreGlobals: '*'
    Properties:
      Handler: index.handler
  RuntimeOptedOut:
    Type: AWS::Serverless::Function
    IgnoreGlobals: [Runtime]
    Properties:
      Handler: index.handler
      Runtime: java21
  Lambda:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
`;

describe('a SAM Globals change', () => {
  it.each<[string, string, string, Array<[string, string[], string[]]>]>([
    [
      'reaches only functions that neither set the value themselves nor ignore it',
      'Runtime: nodejs18.x',
      'Runtime: nodejs20.x',
      [['Plain', ['Runtime'], []]],
    ],
    [
      'through a parameter reaches only functions whose value it still gives',
      'Default: 128',
      'Default: 256',
      [['Plain', ['MemorySize'], []], ['RuntimeOptedOut', ['MemorySize'], []]],
    ],
    [
      'to a map entry reaches functions whose own map merges with it',
      'STAGE: prod',
      'STAGE: staging',
      [['Plain', ['Environment'], []], ['OwnRuntime', ['Environment'], []], ['RuntimeOptedOut', ['Environment'], []]],
    ],
    [
      'to a map entry a function overrides does not reach it',
      'TABLE: orders',
      'TABLE: orders-v2',
      [['Plain', ['Environment'], []], ['RuntimeOptedOut', ['Environment'], []]],
    ],
    [
      'that adds a name reaches every function taking it',
      '    Runtime: nodejs18.x\n',
      '    Runtime: nodejs18.x\n    Timeout: 30\n',
      [['Plain', ['Timeout'], []], ['OwnRuntime', ['Timeout'], []], ['RuntimeOptedOut', ['Timeout'], []]],
    ],
  ])('%s', (_case, from, to, expected) => {
    expect(changesFor(GLOBALS, from, to)).toEqual(expected);
  });

  it('shows an IgnoreGlobals edit as the properties the function stops (or starts) taking', () => {
    expect(changesFor(GLOBALS, "IgnoreGlobals: '*'", 'IgnoreGlobals: [Environment]')).toEqual([['OptedOut', ['Runtime', 'MemorySize'], ['IgnoreGlobals']]]);
  });
});

describe('SAM merges a global with the resource value', () => {
  it.each<[string, unknown, unknown, unknown]>([
    ['a primitive is replaced', 'nodejs18.x', 'python3.12', 'python3.12'],
    ['an intrinsic counts as a primitive', { A: 1 }, { Ref: 'X' }, { Ref: 'X' }],
    ['maps merge, the resource winning', { A: 1, B: { C: 2, D: 3 } }, { B: { D: 4 }, E: 5 }, { A: 1, B: { C: 2, D: 4 }, E: 5 }],
    ['lists are concatenated, globals first', ['sg-1'], ['sg-2'], ['sg-1', 'sg-2']],
    ['different kinds: the resource wins', ['a'], { A: 1 }, { A: 1 }],
    ['absent on the resource: the global', { A: 1 }, undefined, { A: 1 }],
  ])('%s', (_case, global, local, merged) => {
    expect(mergeGlobal(global, local)).toEqual(merged);
  });
});
