import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_TEMPLATE_BYTES, parseTemplate } from '../../src/iac/cloudformation/parse-template.js';
import type { DeclaredResource, DeclaredTemplate } from '../../src/types.js';
import { sameValue } from '../../src/values/cloudformation-value.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/cloudformation/${name}`, import.meta.url), 'utf8');

function parsed(file: string, content: string): DeclaredTemplate {
  const result = parseTemplate(file, content);
  if (!result.ok) throw new Error(`expected ${file} to parse: line ${result.error.line}: ${result.error.message}`);
  return result.template;
}

function resource(template: DeclaredTemplate, logicalId: string): DeclaredResource {
  const found = template.resources.find((candidate) => candidate.logicalId === logicalId);
  if (!found) throw new Error(`no resource ${logicalId}`);
  return found;
}

/** A one-resource template whose property `Value` is the given YAML. */
const withValue = (value: string): string => `Resources:\n  Thing:\n    Type: Custom::Thing\n    Properties:\n      Value: ${value}\n`;

const yamlStack = parsed('orders-stack.yaml', fixture('orders-stack.yaml'));
const jsonStack = parsed('orders-stack.json', fixture('orders-stack.json'));

describe('parseTemplate: what a template declares', () => {
  it('lists every resource of the orders stack with its type, in template order', () => {
    expect(yamlStack.format).toBe('yaml');
    expect(yamlStack.resources.map((r) => [r.logicalId, r.type])).toEqual([
      ['OrdersQueue', 'AWS::SQS::Queue'],
      ['OrdersDlq', 'AWS::SQS::Queue'],
      ['WorkerRole', 'AWS::IAM::Role'],
      ['OrdersWorker', 'AWS::Lambda::Function'],
      ['OrdersMapping', 'AWS::Lambda::EventSourceMapping'],
      ['OrdersTable', 'AWS::DynamoDB::Table'],
    ]);
  });

  it('gives the same properties, dependencies and references for the YAML template and its JSON twin', () => {
    expect(jsonStack.format).toBe('json');
    const meaning = (template: DeclaredTemplate) =>
      template.resources.map(({ logicalId, type, properties, dependsOn, references }) => ({
        logicalId,
        type,
        properties,
        dependsOn,
        references,
      }));
    expect(meaning(jsonStack)).toEqual(meaning(yamlStack));
    expect(jsonStack.parameters.map((p) => [p.name, p.noEcho])).toEqual(yamlStack.parameters.map((p) => [p.name, p.noEcho]));
  });

  it('keeps Parameters, Mappings, Conditions, Globals and Transform in JSON form, the same for YAML and JSON', () => {
    expect(yamlStack.sections?.Conditions).toEqual({
      IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
      IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] },
      NeedsAlarms: {
        'Fn::And': [
          { Condition: 'IsProd' },
          { 'Fn::Or': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] }, { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] }] },
        ],
      },
    });
    expect(yamlStack.sections?.Mappings).toEqual({ Sizing: { dev: { Memory: 256 }, prod: { Memory: 1024 } } });
    expect(Object.keys(yamlStack.sections?.Parameters as object)).toEqual(['Env', 'DbPassword', 'SubnetIds']);
    // The JSON twin writes NoEcho as "true": the same value to CloudFormation.
    expect(sameValue(jsonStack.sections, yamlStack.sections)).toBe(true);
    const sam = parsed('sam.yaml', 'Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Timeout: !Ref T\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n');
    expect(sam.sections).toEqual({ Transform: 'AWS::Serverless-2016-10-31', Globals: { Function: { Timeout: { Ref: 'T' } } } });
  });

  it.each([
    ['!Ref Env', { Ref: 'Env' }],
    ["!Ref 'AWS::Region'", { Ref: 'AWS::Region' }],
    ['!GetAtt Queue.Arn', { 'Fn::GetAtt': ['Queue', 'Arn'] }],
    ['!GetAtt Db.Endpoint.Address', { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] }],
    ['!GetAtt [Queue, Arn]', { 'Fn::GetAtt': ['Queue', 'Arn'] }],
    ["!Sub 'orders-${Env}'", { 'Fn::Sub': 'orders-${Env}' }],
    ["!Sub ['orders-${Name}', { Name: !Ref Env }]", { 'Fn::Sub': ['orders-${Name}', { Name: { Ref: 'Env' } }] }],
    ['!If [IsProd, 30, 10]', { 'Fn::If': ['IsProd', 30, 10] }],
    ["!Join [',', [a, b]]", { 'Fn::Join': [',', ['a', 'b']] }],
    ['!Select [0, [a, b]]', { 'Fn::Select': [0, ['a', 'b']] }],
    ["!Split [',', 'a,b']", { 'Fn::Split': [',', 'a,b'] }],
    ['!FindInMap [Sizing, !Ref Env, Memory]', { 'Fn::FindInMap': ['Sizing', { Ref: 'Env' }, 'Memory'] }],
    ['!ImportValue shared-topic', { 'Fn::ImportValue': 'shared-topic' }],
    ["!ImportValue { 'Fn::Sub': '${Env}-topic' }", { 'Fn::ImportValue': { 'Fn::Sub': '${Env}-topic' } }],
    ["!GetAZs ''", { 'Fn::GetAZs': '' }],
    ['!Base64 hello', { 'Fn::Base64': 'hello' }],
    ["!Cidr ['10.0.0.0/16', 4, 8]", { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] }],
    ['!Equals [!Ref Env, prod]', { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }],
    ['!And [!Condition A, !Condition B]', { 'Fn::And': [{ Condition: 'A' }, { Condition: 'B' }] }],
    ['!Or [!Condition A, !Condition B]', { 'Fn::Or': [{ Condition: 'A' }, { Condition: 'B' }] }],
    ['!Not [!Condition IsProd]', { 'Fn::Not': [{ Condition: 'IsProd' }] }],
    ['!Condition IsProd', { Condition: 'IsProd' }],
    [
      '!Transform { Name: AWS::Include, Parameters: { Location: s3://bucket/part.yaml } }',
      { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://bucket/part.yaml' } } },
    ],
    ['!If\n        - IsProd\n        - !GetAtt Big.Arn\n        - !Ref AWS::NoValue', { 'Fn::If': ['IsProd', { 'Fn::GetAtt': ['Big', 'Arn'] }, { Ref: 'AWS::NoValue' }] }],
  ])('expands the short form %s to its long JSON form', (yaml, expected) => {
    expect(resource(parsed('t.yaml', withValue(yaml)), 'Thing').properties.Value).toEqual(expected);
  });

  it.each([
    ['yes', true],
    ['No', false],
    ['ON', true],
    ['off', false],
    ['y', 'y'],
    ['N', 'N'],
    ['"yes"', 'yes'],
    ['010', 8],
    ['-010', -8],
    ['0o17', '0o17'],
    ['0x1F', 31],
    ['0b101', 5],
    ['1_000', 1000],
    ['1:30', 90],
    ['012345678901', '1.2345678901E10'],
    ['123456789012', 123456789012],
    ['9007199254740993', '9007199254740993'],
    ['1.5', 1.5],
    ['1.0', '1.0'],
    ['1e3', '1000.0'],
    ['.5', 0.5],
    ['~', null],
    ['2010-09-09', '2010-09-09'],
    ['!Ref yes', { Ref: 'yes' }],
  ])('reads the unquoted scalar %s as CloudFormation deploys it: %j', (yaml, expected) => {
    expect(resource(parsed('t.yaml', withValue(yaml)), 'Thing').properties.Value).toEqual(expected);
  });

  it('reads a JSON number with a fraction as the double CloudFormation deploys, like its YAML twin', () => {
    const json = parsed('t.json', '{"Resources": {"Thing": {"Type": "Custom::Thing", "Properties": {"Value": 1.0, "Big": 9007199254740993}}}}');
    expect(resource(json, 'Thing').properties).toEqual({ Value: '1.0', Big: '9007199254740993' });
    expect(resource(parsed('t.yaml', withValue('1.0')), 'Thing').properties.Value).toBe('1.0');
  });

  it('marks a parameter NoEcho written as YAML 1.1 yes', () => {
    const template = parsed('t.yaml', 'Parameters:\n  Secret:\n    Type: String\n    NoEcho: yes\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n');
    expect(template.parameters[0]?.noEcho).toBe(true);
  });

  it('resolves an anchor reused by another resource', () => {
    const dlqTags = resource(yamlStack, 'OrdersDlq').properties.Tags;
    expect(dlqTags).toEqual([
      { Key: 'team', Value: 'orders' },
      { Key: 'env', Value: { Ref: 'Env' } },
    ]);
    expect(dlqTags).toEqual(resource(yamlStack, 'OrdersQueue').properties.Tags);
  });

  it('keeps resource attributes other than Properties for change detection', () => {
    const table = resource(yamlStack, 'OrdersTable');
    expect(table.attributes).toEqual({
      Type: 'AWS::DynamoDB::Table',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Metadata: { Docs: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://orders-docs/table.yaml' } } } },
    });
  });

  it('reads DependsOn in both its string and list forms', () => {
    expect(resource(yamlStack, 'OrdersWorker').dependsOn).toEqual(['WorkerRole']);
    expect(resource(yamlStack, 'OrdersMapping').dependsOn).toEqual(['OrdersWorker', 'OrdersQueue']);
    expect(resource(yamlStack, 'OrdersQueue').dependsOn).toEqual([]);
  });

  it.each([
    ['OrdersQueue', ['OrdersDlq', 'Env']],
    ['OrdersDlq', ['Env']],
    // ${TableName} is the Fn::Sub's own variable, ${AWS::Region} a pseudo parameter: neither is a logical id.
    ['WorkerRole', ['OrdersQueue', 'OrdersTable']],
    // ${!NotAReference} is a literal; ${OrdersQueue} inside !Sub is a reference.
    ['OrdersWorker', ['WorkerRole', 'Env', 'OrdersTable', 'SubnetIds', 'OrdersQueue']],
    ['OrdersMapping', ['OrdersQueue', 'OrdersWorker']],
    ['OrdersTable', []],
  ])('lists the logical ids %s refers to', (logicalId, references) => {
    expect(resource(yamlStack, logicalId).references).toEqual(references);
    expect(resource(jsonStack, logicalId).references).toEqual(references);
  });

  it('counts ${Queue.Arn} in a Fn::Sub as a reference to Queue and skips pseudo parameters', () => {
    const thing = resource(parsed('t.yaml', withValue("!Sub '${Queue.Arn}/${AWS::AccountId}/${ !Literal }'")), 'Thing');
    expect(thing.references).toEqual(['Queue']);
  });

  // Each of these took minutes of blocked event loop when every `${` was scanned to the end
  // of the string; the test fails by timeout without the linear scan.
  it.each([
    ['an unclosed ${${${…', '${'.repeat(400_000)],
    ['an unclosed ${!${!…', '${!'.repeat(300_000)],
  ])('reads the references of a 900 KB Fn::Sub made of %s', (_shape, hostile) => {
    const thing = resource(parsed('t.yaml', withValue(`!Sub '\${Queue.Arn}\${!Literal}\${AWS::Region}${hostile}'`)), 'Thing');
    expect(thing.references).toEqual(['Queue']);
  });

  it('marks NoEcho parameters written as true or as the string "true"', () => {
    expect(yamlStack.parameters).toEqual([
      { name: 'Env', noEcho: false, span: { startLine: 4, endLine: 6 } },
      { name: 'DbPassword', noEcho: true, span: { startLine: 7, endLine: 9 } },
      { name: 'SubnetIds', noEcho: false, span: { startLine: 10, endLine: 11 } },
    ]);
    expect(jsonStack.parameters.find((p) => p.name === 'DbPassword')).toEqual({
      name: 'DbPassword',
      noEcho: true,
      span: { startLine: 9, endLine: 12 },
    });
  });
});

describe('parseTemplate: lines for annotations', () => {
  it.each([
    ['yaml', 'OrdersQueue', { startLine: 24, endLine: 37 }],
    ['yaml', 'OrdersDlq', { startLine: 38, endLine: 42 }],
    ['yaml', 'WorkerRole', { startLine: 43, endLine: 64 }],
    ['yaml', 'OrdersTable', { startLine: 96, endLine: 114 }],
    ['json', 'OrdersQueue', { startLine: 39, endLine: 54 }],
    ['json', 'OrdersWorker', { startLine: 105, endLine: 136 }],
  ])('spans the whole %s entry of %s, from its logical id to its last line', (format, logicalId, span) => {
    expect(resource(format === 'yaml' ? yamlStack : jsonStack, logicalId).span).toEqual(span);
  });

  it.each([
    ['yaml', 'OrdersQueue', 'VisibilityTimeout', 29, 29],
    ['yaml', 'OrdersQueue', 'RedrivePolicy', 30, 32],
    ['yaml', 'OrdersQueue', 'RedrivePolicy.maxReceiveCount', 32, 32],
    ['yaml', 'OrdersQueue', 'Tags', 33, 37],
    ['yaml', 'OrdersQueue', 'Tags.1', 36, 37],
    ['yaml', 'OrdersQueue', 'Tags.1.Value', 37, 37],
    // Inside an alias, a path points where the alias is used.
    ['yaml', 'OrdersDlq', 'Tags.1.Value', 42, 42],
    ['yaml', 'WorkerRole', 'Policies.0.PolicyDocument.Statement.1.Resource', 62, 64],
    ['yaml', 'OrdersWorker', 'Code.ZipFile', 75, 78],
    ['yaml', 'OrdersWorker', 'Environment.Variables.QUEUE_URL', 87, 87],
    ['json', 'OrdersQueue', 'VisibilityTimeout', 44, 44],
    ['json', 'OrdersQueue', 'RedrivePolicy', 45, 48],
    ['json', 'OrdersQueue', 'Tags.1.Value', 51, 51],
    ['json', 'OrdersWorker', 'Environment.Variables', 123, 133],
    ['json', 'OrdersWorker', 'Environment.Variables.FIRST_SUBNET', 126, 128],
  ])('puts %s %s.%s on lines %i-%i', (format, logicalId, path, startLine, endLine) => {
    const spans = resource(format === 'yaml' ? yamlStack : jsonStack, logicalId).propertySpans;
    expect(spans[path]).toEqual({ startLine, endLine });
  });

  it('treats an intrinsic function as one value, not as nested property paths', () => {
    const spans = resource(jsonStack, 'OrdersWorker').propertySpans;
    expect(spans.Role).toEqual({ startLine: 111, endLine: 111 });
    expect(Object.keys(spans).filter((path) => path.startsWith('Role.'))).toEqual([]);
  });
});

describe('parseTemplate: broken templates name the line to fix', () => {
  it.each([
    ['broken-indentation.yaml', 52, /invalid YAML: All mapping items must start at the same column/],
    ['unknown-tag.yaml', 71, /unknown tag !GetAttr/],
    ['missing-type.yaml', 38, /resource OrdersDlq has no Type/],
    ['unclosed-brace.json', 48, /'\{' opened on line 45 is never closed/],
  ])('rejects %s at line %i', (file, line, message) => {
    const result = parseTemplate(file, fixture(file));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.file).toBe(file);
    expect(result.error.line).toBe(line);
    expect(result.error.message).toMatch(message);
  });

  it.each([
    ['a list at the top level', '- Resources\n', 1, /top level of a template must be a mapping/],
    ['no Resources section', 'AWSTemplateFormatVersion: "2010-09-09"\nParameters: {}\n', 1, /no Resources section/],
    ['Resources as a list', 'Description: x\nResources:\n  - Queue\n', 2, /Resources must be a mapping/],
    ['an empty Resources key', 'Description: x\nResources:\n', 2, /Resources must be a mapping/],
    ['a resource that is a string', 'Resources:\n  Queue: AWS::SQS::Queue\n', 2, /resource Queue must be a mapping/],
    ['a Type that is a number', 'Resources:\n  Queue:\n    Type: 42\n', 3, /Type of resource Queue must be a string/],
    ['Properties as a list', 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      - DelaySeconds\n', 5, /Properties of resource Queue must be a mapping/],
    ['!Ref on a list', 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Ref [a, b]\n', 5, /!Ref takes a scalar, not a sequence/],
    ['!GetAtt without an attribute', 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !GetAtt Other\n', 5, /!GetAtt needs LogicalId.Attribute/],
    ['an alias with no anchor', 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: *nothing\n', 5, /nothing/],
    ['a second YAML document', 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n---\nResources: {}\n', 4, /invalid YAML/],
    ['an empty file', '', 1, /empty/],
  ])('rejects a YAML template with %s, naming its line', (_case, content, line, message) => {
    const result = parseTemplate('stack.yaml', content);
    expect(result).toMatchObject({ ok: false, error: { file: 'stack.yaml', line } });
    if (!result.ok) expect(result.error.message).toMatch(message);
  });

  it.each([
    ['a missing comma', '{\n  "Resources": {\n    "Queue": {\n      "Type": "AWS::SQS::Queue"\n      "Properties": {}\n    }\n  }\n}\n', 5, /expected ',' or '}'/],
    ['a trailing comma', '{\n  "Resources": {\n    "Queue": { "Type": "AWS::SQS::Queue" },\n  }\n}\n', 4, /double-quoted property name/],
    ['a duplicated logical id', '{\n  "Resources": {\n    "Queue": { "Type": "AWS::SQS::Queue" },\n    "Queue": { "Type": "AWS::SQS::Queue" }\n  }\n}\n', 4, /unique/],
    ['a closing brace too many', '{\n  "Resources": {\n    "Queue": { "Type": "AWS::SQS::Queue" }}\n  }\n}\n', 5, /after the end of the JSON document/],
    ['a misspelt literal', '{\n  "Resources": {\n    "Queue": { "Type": "AWS::SQS::Queue",\n      "Properties": { "FifoQueue": ture } }\n  }\n}\n', 4, /expected a value/],
    ['a line break inside a string', '{\n  "Resources": {\n    "Queue": { "Type": "AWS::SQS::\nQueue" }\n  }\n}\n', 3, /never closed/],
    ['no closing brace at all, minified', '{"Resources":{"Queue":{"Type":"AWS::SQS::Queue"}}', 1, /ends before '\{' opened on line 1/],
    // Resources are read as the reader goes: a resource's problem still comes after the reader's own
    ['a resource without Type before a key written twice', '{\n  "Resources": {\n    "A": { "Properties": {} },\n    "B": { "Type": "X", "Type": "Y" }\n  }\n}\n', 4, /"Type" appears twice/],
    ['two resources without Type', '{\n  "Resources": {\n    "A": { "Type": "X" },\n    "B": { "Properties": {} },\n    "C": { "Properties": {} }\n  }\n}\n', 4, /resource B has no Type/],
  ])('rejects a JSON template with %s, naming its line', (_case, content, line, message) => {
    const result = parseTemplate('stack.json', content);
    expect(result).toMatchObject({ ok: false, error: { file: 'stack.json', line } });
    if (!result.ok) expect(result.error.message).toMatch(message);
  });

  it('rejects a template over 1 MB, as CloudFormation does, at line 1', () => {
    const padding = `Description: ${'x'.repeat(MAX_TEMPLATE_BYTES)}\n`;
    const result = parseTemplate('big.yaml', `${padding}Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n`);
    expect(result).toMatchObject({ ok: false, error: { file: 'big.yaml', line: 1 } });
    if (!result.ok) expect(result.error.message).toMatch(/at most 1 MB/);
  });

  it('stops an alias bomb instead of expanding it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    const content = `Resources:\n  Bomb:\n    Type: Custom::Bomb\n    Properties:\n${levels.map((l) => `      ${l}`).join('\n')}\n`;
    const result = parseTemplate('bomb.yaml', content);
    expect(result).toMatchObject({ ok: false, error: { file: 'bomb.yaml' } });
    if (!result.ok) expect(result.error.message).toMatch(/more than/);
  });

  it('stops an alias string bomb (1 GB of text from a 100 KB file) at the alias that would pass the bound', () => {
    const properties = [
      `      S: &s "${'x'.repeat(100_000)}"`,
      `      L1: &l1 [${Array(100).fill('*s').join(', ')}]`,
      `      L2: &l2 [${Array(100).fill('*l1').join(', ')}]`,
      '      L3: [*l2]',
    ];
    const result = parseTemplate('bomb.yaml', `Resources:\n  Bomb:\n    Type: Custom::Bomb\n    Properties:\n${properties.join('\n')}\n`);
    expect(result).toMatchObject({ ok: false, error: { file: 'bomb.yaml', line: 6 } });
    if (!result.ok) expect(result.error.message).toMatch(/expands to more than 4 MB of text/);
  });

  it('resolves 16,000 aliases of one anchor, each to the anchored value', () => {
    const content = withValue(`&t [a, b]\n      Many: [${Array(16_000).fill('*t').join(', ')}]`);
    const thing = resource(parsed('t.yaml', content), 'Thing');
    expect(thing.properties.Many).toHaveLength(16_000);
    expect((thing.properties.Many as unknown[])[15_999]).toEqual(['a', 'b']);
  });

  it.each([
    ['JSON 2,000 deep', 'deep.json', `{\n"Resources": {"Q": {"Type": "Custom::Deep", "Properties": {"V": ${'['.repeat(2_000)}1${']'.repeat(2_000)}}}}}`, 2],
    ['YAML 2,000 deep in block style', 'deep.yaml', withValue(`\n        ${'- '.repeat(2_000)}1`), 6],
    ['YAML 2,000 deep in flow style', 'deep.yaml', withValue(`${'['.repeat(2_000)}1${']'.repeat(2_000)}`), 5],
    ['YAML of 1 MB of [', 'deep.yaml', withValue('['.repeat(MAX_TEMPLATE_BYTES - 200)), 5],
    ['YAML 101 deep in block mappings', 'deep.yaml', withValue(`\n${Array.from({ length: 101 }, (_, i) => `${' '.repeat(8 + i)}k${i}:`).join('\n')} 1`), 102],
  ])('refuses values nested more than 100 deep (%s), naming the line', (_case, file, content, line) => {
    const result = parseTemplate(file, content);
    expect(result).toMatchObject({ ok: false, error: { file, line } });
    if (!result.ok) expect(result.error.message).toMatch(/nested more than 100 levels deep/);
  });

  it('reads a flow list of 300,000 items', () => {
    const thing = resource(parsed('t.yaml', withValue(`[${Array(300_000).fill('1').join(',')}]`)), 'Thing');
    expect(thing.properties.Value).toHaveLength(300_000);
  });

  it('reads values nested 90 deep', () => {
    const thing = resource(parsed('t.yaml', withValue(`${'['.repeat(90)}1${']'.repeat(90)}`)), 'Thing');
    expect(JSON.stringify(thing.properties.Value)).toBe(`${'['.repeat(90)}1${']'.repeat(90)}`);
  });

  it('refuses nesting that passes 100 levels only through aliases, at the alias', () => {
    const levels = [`      A0: &a0 ${'['.repeat(60)}1${']'.repeat(60)}`, `      A1: &a1 ${'['.repeat(60)}*a0${']'.repeat(60)}`];
    const result = parseTemplate('deep.yaml', `Resources:\n  Thing:\n    Type: Custom::Thing\n    Properties:\n${levels.join('\n')}\n`);
    expect(result).toMatchObject({ ok: false, error: { file: 'deep.yaml', line: 6 } });
    if (!result.ok) expect(result.error.message).toMatch(/nested more than 100 levels deep here \(through aliases\)/);
  });

  it.each([
    ['a base-60 integer of 966 KB', `1${':00'.repeat(322_000)}`],
    ['a decimal of 900 KB', '9'.repeat(900_000)],
    ['a float of 900 KB', `1.${'5'.repeat(900_000)}`],
  ])('refuses %s at its line instead of computing it, and reads it quoted as text', (_shape, number) => {
    const result = parseTemplate('t.yaml', withValue(number));
    expect(result).toMatchObject({ ok: false, error: { file: 't.yaml', line: 5 } });
    if (!result.ok) expect(result.error.message).toMatch(/unquoted number of \d+ characters; at most 100/);
    expect(resource(parsed('t.yaml', withValue(`'${number}'`)), 'Thing').properties.Value).toBe(number);
  });

  it('still reads a 100-character unquoted integer as CloudFormation does', () => {
    expect(resource(parsed('t.yaml', withValue('1'.repeat(100))), 'Thing').properties.Value).toBe('1'.repeat(100));
  });

  it('refuses a << merge key, which CloudFormation does not support, naming its line', () => {
    const content = 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties: &p\n      DelaySeconds: 1\n  Other:\n    Type: AWS::SQS::Queue\n    Properties:\n      <<: *p\n';
    const result = parseTemplate('stack.yaml', content);
    expect(result).toMatchObject({ ok: false, error: { file: 'stack.yaml', line: 9 } });
    if (!result.ok) expect(result.error.message).toMatch(/hash merges/);
  });

  it.each([
    ['!!binary', 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Blob: !!binary aGVsbG8=\n'],
    ['!!timestamp', 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      When: !!timestamp 2001-12-14\n'],
    ['!!set', 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Set: !!set { a, b }\n'],
  ])('refuses the YAML 1.1 tag %s, which CloudFormation does not support', (_tag, content) => {
    const result = parseTemplate('stack.yaml', content);
    expect(result).toMatchObject({ ok: false, error: { file: 'stack.yaml', line: 5 } });
    if (!result.ok) expect(result.error.message).toMatch(/unknown tag/);
  });

  it.each([
    ['deeply nested lists', '['.repeat(50_000)],
    ['binary noise', '\u0000\u0001\u0002{:}'],
    ['only punctuation', ':::\n- - -\n'],
    ['a lone tag', '!Ref'],
  ])('returns an error instead of throwing for %s', (_case, content) => {
    const result = parseTemplate('noise.yaml', content);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.line).toBeGreaterThanOrEqual(1);
  });
});

describe('parseTemplate: file formats', () => {
  it('reads a tab-indented JSON template with its lines', () => {
    const content = '{\n\t"Resources": {\n\t\t"Queue": {\n\t\t\t"Type": "AWS::SQS::Queue",\n\t\t\t"Properties": { "DelaySeconds": 5 }\n\t\t}\n\t}\n}\n';
    const queue = resource(parsed('stack.json', content), 'Queue');
    expect(queue.properties).toEqual({ DelaySeconds: 5 });
    expect(queue.span).toEqual({ startLine: 3, endLine: 6 });
    expect(queue.propertySpans.DelaySeconds).toEqual({ startLine: 5, endLine: 5 });
  });

  it('gives the same lines for a YAML template saved with Windows line endings', () => {
    const crlf = parsed('orders-stack.yaml', fixture('orders-stack.yaml').replace(/\n/g, '\r\n'));
    expect(resource(crlf, 'OrdersQueue').span).toEqual({ startLine: 24, endLine: 37 });
    expect(resource(crlf, 'OrdersWorker').propertySpans['Code.ZipFile']).toEqual({ startLine: 75, endLine: 78 });
    expect(resource(crlf, 'OrdersWorker').properties).toEqual(resource(yamlStack, 'OrdersWorker').properties);
  });

  it('recognises a JSON template by its content when the file name does not say', () => {
    expect(parsed('stack.template', '{"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}').format).toBe('json');
  });

  it('decodes JSON string escapes as JSON does', () => {
    const content = '{"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "a\\/b\\u00e9\\ud83d\\ude00\\t"}}}}';
    expect(resource(parsed('stack.json', content), 'Queue').properties).toEqual(JSON.parse(content).Resources.Queue.Properties);
  });
});

// How fast: `npm run bench` (wall-clock figures do not belong in tests on a shared machine).
describe('parseTemplate: a large template', () => {
  const count = 500;
  const yaml = `Resources:\n${Array.from({ length: count }, (_, i) =>
    [
      `  Queue${i}:`,
      '    Type: AWS::SQS::Queue',
      `    DependsOn: Role${i}`,
      '    Properties:',
      `      QueueName: !Sub '\${AWS::StackName}-q${i}'`,
      `      VisibilityTimeout: ${30 + i}`,
      '      RedrivePolicy:',
      '        deadLetterTargetArn: !GetAtt Dlq.Arn',
      '        maxReceiveCount: 5',
      '      Tags:',
      '        - Key: team',
      '          Value: !Ref Team',
    ].join('\n'),
  ).join('\n')}\n`;

  it('reads every one of 500 resources, with the lines of the last', () => {
    const template = parsed('big.yaml', yaml);
    expect(template.resources).toHaveLength(count);
    expect(resource(template, 'Queue499').propertySpans.VisibilityTimeout).toEqual({ startLine: 5995, endLine: 5995 });
  });

  it('reads the same 500 resources as pretty-printed JSON (CDK output)', () => {
    const json = JSON.stringify(
      {
        Resources: Object.fromEntries(
          parsed('big.yaml', yaml).resources.map((r) => [r.logicalId, { Type: r.type, DependsOn: r.dependsOn[0], Properties: r.properties }]),
        ),
      },
      null,
      2,
    );
    const template = parsed('big.json', json);
    expect(template.resources.map((r) => r.properties)).toEqual(parsed('big.yaml', yaml).resources.map((r) => r.properties));
  });
});
