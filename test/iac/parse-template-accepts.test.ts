// Valid templates CloudFormation deploys that the parser used to call unparseable: each is
// read, with the lines of its resources and properties (what a check needs), and a broken
// file is still refused at its line and column.
import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../src/iac/cloudformation/parse-template.js';
import type { DeclaredResource, ParseResult } from '../../src/types.js';

function read(content: string): Extract<ParseResult, { ok: true }> {
  const result = parseTemplate('stack.yaml', content);
  if (!result.ok) throw new Error(`expected the template to parse: line ${result.error.line}: ${result.error.message}`);
  return result;
}

function only(content: string): DeclaredResource {
  const [resource] = read(content).template.resources;
  return resource!;
}

const withValue = (value: string): string => `Resources:\n  Thing:\n    Type: Custom::Thing\n    Properties:\n      Value: ${value}\n      After: 1\n`;

describe('parseTemplate reads flow collections and quoted scalars that go on at their key’s indentation', () => {
  const policy = [
    'Resources:',
    '  Role:',
    '    Type: AWS::IAM::Role',
    '    Properties:',
    "      PolicyDocument: !Sub '{",
    '        "Version": "2012-10-17",',
    '        "Statement": [{ "Effect": "Allow", "Resource": "arn:aws:s3:::${Bucket}/*" }]',
    "      }'",
    '      ManagedPolicyArns: [',
    '      arn:aws:iam::aws:policy/ReadOnlyAccess,',
    '      !Ref ExtraPolicy',
    '      ]',
    '      RoleName: orders',
    '',
  ].join('\n');

  it('reads the values', () => {
    const role = only(policy);
    expect(role.properties).toEqual({
      PolicyDocument: { 'Fn::Sub': '{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Resource": "arn:aws:s3:::${Bucket}/*" }] }' },
      ManagedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess', { Ref: 'ExtraPolicy' }],
      RoleName: 'orders',
    });
    expect(role.references).toEqual(['Bucket', 'ExtraPolicy']);
  });

  it('gives the lines of the resource and of each property', () => {
    const role = only(policy);
    expect(role.span).toEqual({ startLine: 2, endLine: 13 });
    expect(role.propertySpans).toEqual({
      PolicyDocument: { startLine: 5, endLine: 8 },
      ManagedPolicyArns: { startLine: 9, endLine: 12 },
      'ManagedPolicyArns.0': { startLine: 10, endLine: 10 },
      'ManagedPolicyArns.1': { startLine: 11, endLine: 11 },
      RoleName: { startLine: 13, endLine: 13 },
    });
  });

  it.each([
    ['a flow mapping', '{\n      a: 1\n      }', { a: 1 }],
    ['a double-quoted scalar', '"{\n      x\n      }"', '{ x }'],
    ['a flow sequence', '[\n        a, b\n      ]', ['a', 'b']],
  ])('reads %s closed at the key’s indentation', (_shape, value, expected) => {
    expect(only(withValue(value)).properties).toEqual({ Value: expected, After: 1 });
  });

  it('still refuses a broken line after such a value, at that line and column', () => {
    const result = parseTemplate('stack.yaml', `${policy}    Oops: [a, b\n`);
    expect(result).toMatchObject({ ok: false, error: { file: 'stack.yaml', line: 14, column: 11 } });
  });

  it('names the line of the mapping entry that breaks after such a value', () => {
    const broken = policy.replace('      RoleName: orders', '     RoleName: orders');
    const result = parseTemplate('stack.yaml', broken);
    expect(result).toMatchObject({ ok: false, error: { file: 'stack.yaml', line: 13, column: 1 } });
    if (!result.ok) expect(result.error.message).toMatch(/invalid YAML/);
  });

  it('refuses a quote left open that a later quote closes, at the line where it opens', () => {
    const content = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub '${AWS::StackName}-q\n      DelaySeconds: 5\n      Tags:\n        - Key: 'team'\n";
    const result = parseTemplate('stack.yaml', content);
    expect(result).toMatchObject({ ok: false, error: { file: 'stack.yaml', line: 5 } });
    if (!result.ok) expect(result.error.message).toMatch(/quote/);
  });

  it.each([
    ['a quoted scalar', withValue("'{\n      a")],
    ['a flow sequence', withValue('[a, b').replace(/\n      After: 1\n$/, '\n')],
    ['a flow mapping', withValue('{\n  a: [b]\n\n').replace(/\n      After: 1\n$/, '\n')],
  ])('refuses %s never closed, at the line and column where it opens', (_shape, content) => {
    const result = parseTemplate('stack.yaml', content);
    expect(result).toMatchObject({ ok: false, error: { file: 'stack.yaml', line: 5, column: 14 } });
    if (!result.ok) expect(result.error.message).toMatch(/is never closed/);
  });
});

describe('parseTemplate reads the short forms of Language Extensions and Rules functions', () => {
  it.each([
    ['!Length [a, b]', { 'Fn::Length': ['a', 'b'] }],
    ['!Length { Ref: Subnets }', { 'Fn::Length': { Ref: 'Subnets' } }],
    ['!ToJsonString { Key: !Ref Env }', { 'Fn::ToJsonString': { Key: { Ref: 'Env' } } }],
    ['!ToJsonString [1, 2]', { 'Fn::ToJsonString': [1, 2] }],
    ['!FindInMap [Sizing, !Ref Env, Memory, { DefaultValue: 128 }]', { 'Fn::FindInMap': ['Sizing', { Ref: 'Env' }, 'Memory', { DefaultValue: 128 }] }],
    ['!Contains [[a, b], !Ref Env]', { 'Fn::Contains': [['a', 'b'], { Ref: 'Env' }] }],
    ['!EachMemberEquals [!ValueOfAll [AWS::EC2::Subnet::Id, Env], prod]', { 'Fn::EachMemberEquals': [{ 'Fn::ValueOfAll': ['AWS::EC2::Subnet::Id', 'Env'] }, 'prod'] }],
    ['!EachMemberIn [!RefAll AWS::EC2::VPC::Id, [vpc-1]]', { 'Fn::EachMemberIn': [{ 'Fn::RefAll': 'AWS::EC2::VPC::Id' }, ['vpc-1']] }],
    ['!ValueOf [Subnet, Tier]', { 'Fn::ValueOf': ['Subnet', 'Tier'] }],
  ])('expands %s to its long form', (yaml, expected) => {
    expect(only(withValue(yaml)).properties.Value).toEqual(expected);
  });

  it('refuses !RefAll on a list, naming the line', () => {
    const result = parseTemplate('stack.yaml', withValue('!RefAll [a]'));
    expect(result).toMatchObject({ ok: false, error: { line: 5, message: '!RefAll takes a scalar, not a sequence' } });
  });

  it('reads a template with Rules, and Fn::ForEach loops in Conditions and Outputs, keys as written', () => {
    const template = read(
      [
        'Transform: AWS::LanguageExtensions',
        'Rules:',
        '  ProdSubnets:',
        '    RuleCondition: !Equals [!Ref Env, prod]',
        '    Assertions:',
        '      - Assert: !Contains [[a, b], !Ref Env]',
        '        AssertDescription: env',
        '      - Assert: !EachMemberIn [!ValueOfAll [AWS::EC2::Subnet::Id, Tier], [private]]',
        'Conditions:',
        '  Fn::ForEach::Envs:',
        '    - Env',
        '    - [dev, prod]',
        '    - Is${Env}: !Equals [!Ref Stage, !Ref Env]',
        'Resources:',
        '  Queue:',
        '    Type: AWS::SQS::Queue',
        '    Properties:',
        '      DelaySeconds: !Length [a, b]',
        'Outputs:',
        '  Fn::ForEach::Outs:',
        '    - Name',
        '    - [A, B]',
        '    - ${Name}Arn:',
        '        Value: !ToJsonString { a: 1 }',
        '',
      ].join('\n'),
    ).template;
    expect(template.sections?.Conditions).toEqual({
      'Fn::ForEach::Envs': ['Env', ['dev', 'prod'], { 'Is${Env}': { 'Fn::Equals': [{ Ref: 'Stage' }, { Ref: 'Env' }] } }],
    });
    expect(template.resources[0]?.propertySpans).toEqual({ DelaySeconds: { startLine: 18, endLine: 18 } });
  });
});

describe('parseTemplate reads the non-specific tag !', () => {
  it('on keys and values, as if it were not there; a scalar is resolved as a plain one, as SnakeYAML does', () => {
    const thing = only('Resources:\n  ! Thing:\n    ! Type: ! Custom::Thing\n    Properties:\n      ! Name: ! orders\n      Flag: ! yes\n      Quoted: ! "on"\n      List: ! [a, ! 010]\n      Map: ! { ! k: v }\n');
    expect(thing.logicalId).toBe('Thing');
    expect(thing.type).toBe('Custom::Thing');
    expect(thing.properties).toEqual({ Name: 'orders', Flag: true, Quoted: true, List: ['a', 8], Map: { k: 'v' } });
    expect(thing.propertySpans.Name).toEqual({ startLine: 5, endLine: 5 });
  });
});

describe('parseTemplate reads a key written twice as loaders do, and warns', () => {
  const content = [
    'Resources:',
    '  Queue:',
    '    Type: AWS::SQS::Queue',
    '    Properties:',
    '      DelaySeconds: 1',
    '      Tags:',
    '        - { Key: a, Value: b }',
    '        - { Key: c, Value: d }',
    '      DelaySeconds: 2',
    '      Tags: [{ Key: e, Value: f }]',
    '  Queue:',
    '    Type: AWS::SNS::Topic',
    '',
  ].join('\n');

  it('keeps the last value, with its lines, and names both lines in a warning', () => {
    const result = read(content);
    expect(result.template.resources).toHaveLength(1);
    expect(result.template.resources[0]).toMatchObject({ logicalId: 'Queue', type: 'AWS::SNS::Topic', span: { startLine: 11, endLine: 12 } });
    expect(result.warnings).toEqual([
      { file: 'stack.yaml', line: 2, column: 3, message: expect.stringMatching(/"Queue" is written twice in one mapping, on lines 2 and 11: line 11 is read/) },
      { file: 'stack.yaml', line: 5, column: 7, message: expect.stringMatching(/"DelaySeconds" .* lines 5 and 9/) },
      { file: 'stack.yaml', line: 6, column: 7, message: expect.stringMatching(/"Tags" .* lines 6 and 10/) },
    ]);
  });

  it('gives the lines of the entry read, not of the one dropped', () => {
    const result = read(content.replace(/\n  Queue:\n    Type: AWS::SNS::Topic\n$/, '\n'));
    const queue = result.template.resources[0]!;
    expect(queue.properties).toEqual({ DelaySeconds: 2, Tags: [{ Key: 'e', Value: 'f' }] });
    expect(queue.propertySpans).toEqual({
      DelaySeconds: { startLine: 9, endLine: 9 },
      Tags: { startLine: 10, endLine: 10 },
      'Tags.0': { startLine: 10, endLine: 10 },
      'Tags.0.Key': { startLine: 10, endLine: 10 },
      'Tags.0.Value': { startLine: 10, endLine: 10 },
    });
  });

  it('warns about the first 20 keys written twice, and counts the rest in one more warning', () => {
    const properties = Array.from({ length: 30 }, (_, i) => `      K${i}: 1\n      K${i}: 2\n`).join('');
    const result = read(`Resources:\n  Thing:\n    Type: Custom::Thing\n    Properties:\n${properties}`);
    expect(result.warnings).toHaveLength(21);
    expect(result.warnings?.[20]).toEqual({ file: 'stack.yaml', line: 45, column: 7, message: '10 more keys are written twice, from here on; each time the last one is read' });
    expect(result.template.resources[0]?.properties.K29).toBe(2);
  });

  it('gives no warnings for a template without repeated keys', () => {
    expect(read(withValue('1')).warnings).toBeUndefined();
  });
});
