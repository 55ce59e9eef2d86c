// AWS::LanguageExtensions: Fn::ForEach loops expanded to the logical ids CloudFormation
// generates, and the functions evaluated where a value must be known before deploy. The
// templates' other sections are parsed from text; the loops are given in the JSON form the
// parser keeps them in (`DeclaredTemplate.loops`).
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import { applyLanguageExtensions } from '../../src/iac/cloudformation/apply-language-extensions.js';
import { computeChanges } from '../../src/iac/cloudformation/compute-changes.js';
import { evaluate } from '../../src/iac/cloudformation/evaluate-language-functions.js';
import { parseDeclared } from '../../src/iac/cloudformation/parse-cache.js';
import { parseTemplate } from '../../src/iac/cloudformation/parse-template.js';
import type { DeclaredTemplate, ForEachLoop } from '../../src/types.js';
import { diff, live, liveState } from '../analyze/builders.js';

const HEADER = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Transform": "AWS::LanguageExtensions",
  "Parameters": {
    "Names": { "Type": "CommaDelimitedList", "Default": "Orders, Payments" },
    "Unset": { "Type": "CommaDelimitedList" },
    "Cidrs": { "Type": "CommaDelimitedList", "Default": "10.0.1.0/24,10.0.2.0/24" }
  },
  "Mappings": {
    "Teams": { "Queues": { "Names": ["Jobs", "Retries"] } }
  },
  "Conditions": {
    "Fn::ForEach::Flags": ["Name", { "Ref": "Names" }, { "Is&{Name}": { "Fn::Equals": [{ "Ref": "AWS::Region" }, "us-east-1"] } }]
  },
  "Resources": {
    "Vpc": { "Type": "AWS::EC2::VPC", "Properties": { "CidrBlock": "10.0.0.0/16" } }
  }
}`;

const LOOP_SPAN = { startLine: 20, endLine: 30 };
const TOPIC_SPAN = { startLine: 23, endLine: 29 };

const topics = (collection: unknown, fragment: Record<string, unknown> = { 'Topic${Name}': topic() }): ForEachLoop => ({
  key: 'Fn::ForEach::Topics',
  value: ['Name', collection, fragment],
  span: LOOP_SPAN,
  fragments: { 'Topic${Name}': { span: TOPIC_SPAN, propertySpans: { TopicName: { startLine: 26, endLine: 26 } } } },
});

function topic(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Type: 'AWS::SNS::Topic',
    Properties: { TopicName: { 'Fn::Sub': 'orders-${Name}' }, DisplayName: { Ref: 'Name' }, ...extra },
  };
}

function declared(...loops: ForEachLoop[]): DeclaredTemplate {
  const parsed = parseTemplate('template.json', HEADER);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const applied = applyLanguageExtensions({ ...parsed.template, loops });
  if (!applied.ok) throw new Error(`line ${applied.error.line}: ${applied.error.message}`);
  return applied.template;
}

function problem(...loops: ForEachLoop[]): string {
  const parsed = parseTemplate('template.json', HEADER);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const applied = applyLanguageExtensions({ ...parsed.template, loops });
  if (applied.ok) throw new Error('expected the loop to be refused');
  return `line ${applied.error.line}: ${applied.error.message}`;
}

const ids = (template: DeclaredTemplate) => template.resources.map((r) => r.logicalId);

describe('Fn::ForEach in Resources', () => {
  it.each<[string, ForEachLoop, string[]]>([
    ['a literal list', topics(['Orders', 'Payments']), ['Vpc', 'TopicOrders', 'TopicPayments']],
    ['a CommaDelimitedList parameter, by its Default, members trimmed', topics({ Ref: 'Names' }), ['Vpc', 'TopicOrders', 'TopicPayments']],
    ['a mapping entry', topics({ 'Fn::FindInMap': ['Teams', 'Queues', 'Names'] }), ['Vpc', 'TopicJobs', 'TopicRetries']],
    ['a missing mapping entry with a DefaultValue', topics({ 'Fn::FindInMap': ['Teams', 'Queues', 'Other', { DefaultValue: ['Audit'] }] }), ['Vpc', 'TopicAudit']],
    ['Fn::Split of a literal', topics({ 'Fn::Split': [',', 'A,B,C'] }), ['Vpc', 'TopicA', 'TopicB', 'TopicC']],
    [
      'items with non-alphanumeric characters, through &{}',
      {
        key: 'Fn::ForEach::Subnets',
        value: ['Cidr', { Ref: 'Cidrs' }, { 'Subnet&{Cidr}': { Type: 'AWS::EC2::Subnet', Properties: { CidrBlock: { Ref: 'Cidr' }, VpcId: { Ref: 'Vpc' } } } }],
        span: LOOP_SPAN,
      },
      ['Vpc', 'Subnet1001024', 'Subnet1002024'],
    ],
    [
      'nested loops, each output key using both identifiers',
      {
        key: 'Fn::ForEach::Outer',
        value: ['Team', ['Orders', 'Payments'], { 'Fn::ForEach::Inner': ['Kind', ['Jobs', 'Dlq'], { '${Team}${Kind}Queue': { Type: 'AWS::SQS::Queue' } }] }],
        span: LOOP_SPAN,
      },
      ['Vpc', 'OrdersJobsQueue', 'OrdersDlqQueue', 'PaymentsJobsQueue', 'PaymentsDlqQueue'],
    ],
  ])('expands a loop over %s to the logical ids CloudFormation generates', (_case, loop, expected) => {
    expect(ids(declared(loop))).toEqual(expected);
  });

  it('substitutes the item into Ref and Fn::Sub, leaves other intrinsics as written, and points at the fragment', () => {
    const loop = topics(['Orders'], {
      'Topic${Name}': topic({ KmsMasterKeyId: { 'Fn::FindInMap': ['Keys', { Ref: 'Name' }, 'Arn'] }, Policy: { Ref: { 'Fn::Sub': 'Key${Name}' } } }),
    });
    const [, resource] = declared(loop).resources;
    expect(resource).toMatchObject({
      logicalId: 'TopicOrders',
      type: 'AWS::SNS::Topic',
      properties: {
        TopicName: { 'Fn::Sub': 'orders-Orders' },
        DisplayName: 'Orders',
        KmsMasterKeyId: { 'Fn::FindInMap': ['Keys', 'Orders', 'Arn'] },
        Policy: { Ref: 'KeyOrders' },
      },
      span: TOPIC_SPAN,
      propertySpans: { TopicName: { startLine: 26, endLine: 26 } },
      loop: { key: 'Fn::ForEach::Topics' },
    });
    expect(resource!.references).toEqual(['KeyOrders']);
  });

  it('expands a loop inside Properties', () => {
    const loop = topics(['Orders'], {
      'Topic${Name}': { Type: 'AWS::SNS::Topic', Properties: { 'Fn::ForEach::Attrs': ['Attr', ['A', 'B'], { 'Attr${Attr}': { 'Fn::Sub': '${Name}-${Attr}' } }] } },
    });
    expect(declared(loop).resources[1]!.properties).toEqual({ AttrA: { 'Fn::Sub': 'Orders-A' }, AttrB: { 'Fn::Sub': 'Orders-B' } });
  });

  it('expands loops in Conditions', () => {
    expect(Object.keys(declared().sections!.Conditions as object)).toEqual(['IsOrders', 'IsPayments']);
  });

  it('keeps a loop over a parameter without Default as one resource saying why, never dropping it', () => {
    const [, resource] = declared(topics({ Ref: 'Unset' })).resources;
    expect(resource).toMatchObject({ logicalId: 'Fn::ForEach::Topics', type: 'AWS::SNS::Topic', span: LOOP_SPAN });
    expect(resource!.loop!.unexpanded).toMatch(/parameter Unset has no Default/);
  });

  it.each<[string, ForEachLoop, RegExp]>([
    ['a logical id that is not alphanumeric', topics(['orders-eu']), /line 20: .*TopicOrders-eu.*not alphanumeric/i],
    ['an output key without the identifier', topics(['A', 'B'], { Topic: topic() }), /line 20: .*generates Topic more than once/],
    ['a loop that is not a list of three', { key: 'Fn::ForEach::Bad', value: ['Name', ['A']], span: LOOP_SPAN }, /line 20: Fn::ForEach::Bad must be a list/],
    ['a resource without Type', topics(['A'], { 'Topic${Name}': { Properties: {} } }), /line 20: resource TopicA .* has no Type/],
    ['a logical id the template already has', topics(['Vpc'], { '${Name}': topic() }), /line 20: .*declares Vpc, which the template already has/],
  ])('refuses %s at the line of the loop, as CloudFormation does', (_case, loop, expected) => {
    expect(problem(loop)).toMatch(expected);
  });
});

describe('changes and drift per expanded resource', () => {
  it('shows an edit of the fragment on every resource it declares', () => {
    const base = declared(topics(['Orders', 'Payments']));
    const head = declared(topics(['Orders', 'Payments'], { 'Topic${Name}': topic({ FifoTopic: true }) }));
    expect(computeChanges(base, head).map((c) => [c.logicalId, c.action, c.changedProperties])).toEqual([
      ['TopicOrders', 'change', ['FifoTopic']],
      ['TopicPayments', 'change', ['FifoTopic']],
    ]);
  });

  it('shows a new item of the collection as one added resource', () => {
    const base = declared(topics(['Orders']));
    const head = declared(topics(['Orders', 'Refunds']));
    expect(computeChanges(base, head).map((c) => [c.logicalId, c.action])).toEqual([['TopicRefunds', 'add']]);
  });

  it('compares a loop as written, without adding or removing its resources, when one version cannot expand it', () => {
    const base = declared(topics({ Ref: 'Names' }));
    const head = declared(topics({ Ref: 'Unset' }));
    const changes = computeChanges(base, head);
    expect(changes.map((c) => [c.logicalId, c.action])).toEqual([['Fn::ForEach::Topics', 'change']]);
  });

  it('reverts drift on the expanded resource it matches, at the lines of its fragment', () => {
    const base = declared(topics(['Orders', 'Payments']));
    const head = declared(topics(['Orders', 'Payments'], { 'Topic${Name}': topic({ FifoTopic: true }) }));
    const state = liveState([
      live('TopicOrders', 'IN_SYNC', [], 'AWS::SNS::Topic'),
      live('TopicPayments', 'MODIFIED', [diff('DisplayName', 'Payments', 'Payments (hotfix)')], 'AWS::SNS::Topic'),
    ]);
    const { findings } = analyze({ target: { name: 'orders', file: 'template.json' }, base, head, changes: computeChanges(base, head), live: state, ignore: [] });
    expect(findings.map((f) => [f.rule, f.resource, f.span])).toEqual([['revert', 'TopicPayments', TOPIC_SPAN]]);
  });

  it('reports a changed loop it cannot expand as not checked, never as in sync', () => {
    const base = declared(topics({ Ref: 'Unset' }));
    const head = declared(topics({ Ref: 'Unset' }, { 'Topic${Name}': topic({ FifoTopic: true }) }));
    const state = liveState([live('TopicOrders', 'IN_SYNC', [], 'AWS::SNS::Topic')]);
    const { findings } = analyze({ target: { name: 'orders', file: 'template.json' }, base, head, changes: computeChanges(base, head), live: state, ignore: [] });
    expect(findings.map((f) => [f.severity, f.rule, f.resource, f.span])).toEqual([['warn', 'unreadable', 'Fn::ForEach::Topics', LOOP_SPAN]]);
    expect(findings[0]!.message).toMatch(/could not be expanded .*parameter Unset has no Default/);
  });
});

describe('evaluating LanguageExtensions functions where a value must be known', () => {
  const scope = {
    identifiers: new Map([['Name', 'Orders']]),
    parameters: { Env: { Type: 'String', Default: 'prod' }, Secret: { Type: 'String' }, Path: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/x' } },
    mappings: { Sizes: { prod: { Memory: 512 } } },
  };
  it.each<[string, unknown, unknown]>([
    ['Fn::Length of a list', { 'Fn::Length': ['a', 'b', { Ref: 'Name' }] }, 3],
    ['Fn::ToJsonString of a mapping', { 'Fn::ToJsonString': { Name: { Ref: 'Name' }, Size: 2 } }, '{"Name":"Orders","Size":2}'],
    ['Fn::FindInMap with computed keys', { 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Memory'] }, 512],
    ['Fn::FindInMap falling back to its DefaultValue', { 'Fn::FindInMap': ['Sizes', 'dev', 'Memory', { DefaultValue: 128 }] }, 128],
    ['Fn::Sub with identifiers and parameters', { 'Fn::Sub': '${Name}-${Env}-${!Literal}' }, 'Orders-prod-${Literal}'],
    ['Fn::Select of Fn::Split', { 'Fn::Select': [1, { 'Fn::Split': ['-', 'a-b-c'] }] }, 'b'],
    ['Fn::Join', { 'Fn::Join': ['-', [{ Ref: 'Name' }, 'x']] }, 'Orders-x'],
  ])('knows %s', (_case, expression, value) => {
    expect(evaluate(expression, scope)).toEqual({ ok: true, value });
  });

  it.each<[string, unknown, RegExp]>([
    ['a parameter without Default', { Ref: 'Secret' }, /parameter Secret has no Default/],
    ['an SSM parameter', { Ref: 'Path' }, /SSM/],
    ['a resource', { Ref: 'Vpc' }, /not a parameter/],
    ['Fn::If', { 'Fn::If': ['IsProd', 'a', 'b'] }, /Fn::If is only known when the stack deploys/],
    ['Fn::GetAtt', { 'Fn::Length': { 'Fn::GetAtt': ['Vpc', 'CidrBlockAssociations'] } }, /Fn::GetAtt/],
    ['a missing mapping entry', { 'Fn::FindInMap': ['Sizes', 'dev', 'Memory'] }, /no entry dev.Memory/],
  ])('does not guess %s', (_case, expression, reason) => {
    const result = evaluate(expression, scope);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });
});

describe('reading a template with Fn::ForEach loops', () => {
  const YAML = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::LanguageExtensions
Parameters:
  Names:
    Type: CommaDelimitedList
    Default: Orders,Payments
Resources:
  Key:
    Type: AWS::KMS::Key
  Fn::ForEach::Topics:
    - Name
    - Ref: Names
    - Topic\${Name}:
        Type: AWS::SNS::Topic
        Properties:
          TopicName:
            Fn::Sub: orders-\${Name}
          KmsMasterKeyId:
            Ref: Key
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 30
`;

  it('expands them with the lines of their fragment, and keeps every other line where it is (YAML)', () => {
    const result = parseDeclared('template.yaml', YAML);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.template.resources.map((r) => [r.logicalId, r.span.startLine, r.span.endLine])).toEqual([
      ['Key', 8, 9],
      ['Queue', 20, 23],
      ['TopicOrders', 13, 19],
      ['TopicPayments', 13, 19],
    ]);
    const orders = result.template.resources.find((r) => r.logicalId === 'TopicOrders')!;
    expect(orders.propertySpans.TopicName).toEqual({ startLine: 16, endLine: 17 });
    expect(orders.references).toEqual(['Key']);
  });

  it('expands them in a JSON template, wherever the loop sits among the resources', () => {
    const json = JSON.stringify(
      {
        Transform: 'AWS::LanguageExtensions',
        Resources: {
          'Fn::ForEach::First': ['N', ['A'], { 'First${N}': { Type: 'AWS::SNS::Topic' } }],
          Key: { Type: 'AWS::KMS::Key' },
          'Fn::ForEach::Last': ['N', ['B', 'C'], { 'Last${N}': { Type: 'AWS::SNS::Topic' } }],
        },
      },
      null,
      2,
    );
    const result = parseDeclared('template.json', json);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.template.resources.map((r) => r.logicalId)).toEqual(['Key', 'FirstA', 'LastB', 'LastC']);
    expect(result.template.resources.find((r) => r.logicalId === 'Key')!.span).toEqual({ startLine: 15, endLine: 17 });
  });

  it.each([
    ['two loops after the last resource', { Key: { Type: 'AWS::KMS::Key' }, 'Fn::ForEach::A': ['N', ['X'], { 'A${N}': { Type: 'AWS::SNS::Topic' } }], 'Fn::ForEach::B': ['N', ['Y'], { 'B${N}': { Type: 'AWS::SNS::Topic' } }] }, ['Key', 'AX', 'BY']],
    ['two loops before the first resource', { 'Fn::ForEach::A': ['N', ['X'], { 'A${N}': { Type: 'AWS::SNS::Topic' } }], 'Fn::ForEach::B': ['N', ['Y'], { 'B${N}': { Type: 'AWS::SNS::Topic' } }], Key: { Type: 'AWS::KMS::Key' } }, ['Key', 'AX', 'BY']],
    ['loops only', { 'Fn::ForEach::A': ['N', ['X'], { 'A${N}': { Type: 'AWS::SNS::Topic' } }], 'Fn::ForEach::B': ['N', ['Y'], { 'B${N}': { Type: 'AWS::SNS::Topic' } }] }, ['AX', 'BY']],
  ])('expands them in a JSON template: %s', (_case, resources, ids) => {
    for (const indent of [0, 2]) {
      const result = parseDeclared('template.json', JSON.stringify({ Transform: 'AWS::LanguageExtensions', Resources: resources }, null, indent));
      if (!result.ok) throw new Error(result.error.message);
      expect(result.template.resources.map((r) => r.logicalId)).toEqual(ids);
    }
  });

  it('refuses, at the loop, a template whose loops make more than 100,000 values, and reads one just under', () => {
    const loop = (items: number) =>
      `Transform: AWS::LanguageExtensions\nResources:\n  Key:\n    Type: AWS::KMS::Key\n  Fn::ForEach::Many:\n    - N\n    - [${Array.from({ length: items }, (_, i) => `i${i}`).join(', ')}]\n    - Q\${N}:\n        Type: AWS::SQS::Queue\n        Properties:\n${Array.from({ length: 20 }, (_, i) => `          P${i}: !Sub '\${N}-${i}'\n`).join('')}`;
    // 20,000 items of 24 values each (480,000): 146 KB of template
    expect(parseDeclared('t.yaml', loop(20_000))).toMatchObject({ ok: false, error: { line: 5, message: expect.stringMatching(/expands to more than 100,000 values/) } });
    const read = parseDeclared('t.yaml', loop(4_000));
    expect(read.ok && read.template.resources).toHaveLength(4_001);
  });

  it('reads a Mappings value as written: an entry naming another twice, 40 deep, leaves the loop unexpanded (it ran out of memory)', () => {
    const chain = Array.from({ length: 40 }, (_, i) => `      k${i}: [!FindInMap [M, a, k${i + 1}], !FindInMap [M, a, k${i + 1}]]\n`).join('');
    const text = `Mappings:\n  M:\n    a:\n${chain}      k40: x\nResources:\n  Fn::ForEach::L:\n    - N\n    - !FindInMap [M, a, k0]\n    - Q\${N}:\n        Type: AWS::SQS::Queue\n`;
    const result = parseDeclared('t.yaml', text);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.template.resources).toHaveLength(1);
    expect(result.template.resources[0]!.loop!.unexpanded).toMatch(/the mapping M holds an expression, which CloudFormation does not allow in Mappings/);
  });

  it('expands a collection from a Mappings list', () => {
    const text = 'Mappings:\n  M:\n    a:\n      names: [x, y]\nResources:\n  Fn::ForEach::L:\n    - N\n    - !FindInMap [M, a, names]\n    - Q${N}:\n        Type: AWS::SQS::Queue\n';
    const result = parseDeclared('t.yaml', text);
    expect(result.ok && result.template.resources.map((r) => r.logicalId)).toEqual(['Qx', 'Qy']);
  });

  it('counts the items of a collection against the values loops may make: 110,000 items of a list parameter are refused at the loop', () => {
    const text = `Parameters:\n  Names:\n    Type: CommaDelimitedList\n    Default: ${Array.from({ length: 110_000 }, (_, i) => `n${i}`).join(',')}\nResources:\n  Key:\n    Type: AWS::KMS::Key\n  Fn::ForEach::L:\n    - N\n    - !Ref Names\n    - Q\${N}:\n        Type: AWS::SQS::Queue\n`;
    expect(parseDeclared('t.yaml', text)).toMatchObject({ ok: false, error: { line: 8, message: expect.stringMatching(/more than 100,000 values/) } });
  });

  it('still points at the line of a broken template', () => {
    const result = parseDeclared('template.yaml', YAML.replace('      VisibilityTimeout: 30\n', '      VisibilityTimeout: [30\n'));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.line).toBeGreaterThanOrEqual(23);
  });
});

describe('Fn::ForEach inside the Properties of a resource', () => {
  it('expands it in place', () => {
    const yaml = `Transform: AWS::LanguageExtensions
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      Fn::ForEach::Flags:
        - Flag
        - [Versioning, Logging]
        - Tag\${Flag}:
            Fn::Sub: on-\${Flag}
`;
    const result = parseDeclared('template.yaml', yaml);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.template.resources[0]!.properties).toEqual({ TagVersioning: { 'Fn::Sub': 'on-Versioning' }, TagLogging: { 'Fn::Sub': 'on-Logging' } });
  });
});
