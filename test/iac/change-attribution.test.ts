// Which resources, properties and attributes a pull request changes when the change flows
// through a whole-Properties Fn::If, a resource-level key or SAM Globals.
import { describe, expect, it } from 'vitest';
import { computeChanges } from '../../src/iac/cloudformation/compute-changes.js';
import { globalsChanges, mergeGlobal } from '../../src/iac/cloudformation/compute-globals.js';
import { parseTemplate } from '../../src/iac/cloudformation/parse-template.js';
import type { DeclaredResource, DeclaredTemplate, ResourceChange } from '../../src/types.js';
import { isRecord, sameValue } from '../../src/values/cloudformation-value.js';

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

describe('SAM merges a global with the resource value, by own entries', () => {
  it('keeps a `__proto__` entry the resource adds (an entry, not the prototype)', () => {
    const merged = mergeGlobal({ A: 1 }, JSON.parse('{"__proto__": "x"}')) as Record<string, unknown>;
    expect(Object.keys(merged)).toEqual(['A', '__proto__']);
    expect(Object.getOwnPropertyDescriptor(merged, '__proto__')?.value).toBe('x');
  });
});

describe('which properties Globals change, without building each merged value', () => {
  // The rule as written (docs at the top of compute-globals.ts): merge each name's global into the
  // resource's value on both sides and compare. globalsChanges must give the same names in the
  // same order, however it gets there (section pairs, values and answers cached across calls).
  function expected(before: unknown, after: unknown, base: DeclaredResource, head: DeclaredResource, usesChanged: (value: unknown) => boolean) {
    const taken = (globals: unknown, resource: DeclaredResource): Record<string, unknown> | undefined => {
      if (!resource.type.startsWith('AWS::Serverless::') || globals === undefined) return {};
      if (!isRecord(globals)) return undefined;
      const section = Object.hasOwn(globals, 'Function') ? globals.Function : undefined;
      if (section === undefined || section === null) return {};
      if (!isRecord(section)) return undefined;
      const ignore = resource.attributes?.IgnoreGlobals;
      if (ignore === '*') return {};
      if (!Array.isArray(ignore)) return section;
      return Object.fromEntries(Object.entries(section).filter(([name]) => !ignore.includes(name)));
    };
    const own = (record: Record<string, unknown>, name: string) => (Object.hasOwn(record, name) ? record[name] : undefined);
    const primitive = (value: unknown) =>
      !Array.isArray(value) && (!isRecord(value) || (Object.keys(value).length === 1 && /^(Ref|Condition|Fn::.*)$/.test(Object.keys(value)[0]!)));
    const kind = (value: unknown) => (Array.isArray(value) ? 'list' : primitive(value) ? 'primitive' : 'map');
    const was = taken(before, base);
    const is = taken(after, head);
    if (!was || !is) return undefined;
    return [...new Set([...Object.keys(is), ...Object.keys(was)])].filter((name) => {
      const global = own(is, name);
      const local = own(head.properties, name);
      if (!sameValue(mergeGlobal(own(was, name), own(base.properties, name)), mergeGlobal(global, local))) return true;
      const reaches = global !== undefined && (local === undefined || (kind(global) === kind(local) && kind(local) !== 'primitive'));
      return reaches && usesChanged(global);
    });
  }

  // Small alphabets, so that values often meet: equal lists split differently between global and
  // local, a local entry that restores a changed global one, `30` against '30', a `__proto__` entry.
  function generator(seed: number) {
    let state = seed;
    const random = () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const value = (depth: number): unknown => {
      const roll = random();
      if (depth === 0 || roll < 0.4) return pick(['a', 'b', 30, '30', true, null]);
      if (roll < 0.5) return pick([{ Ref: 'P' }, { Ref: 'Q' }, { 'Fn::Sub': 'x' }]);
      if (roll < 0.75) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth - 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [pick(['A', 'B', 'C', '__proto__']), value(depth - 1)]));
    };
    const names = ['Runtime', 'Environment', 'Layers', 'Tags', '__proto__'];
    const mapping = (depth: number) => Object.fromEntries(names.filter(() => random() < 0.5).map((name) => [name, value(depth)]));
    // The head's section: the base's, edited in places, sharing the values it leaves alone.
    const edited = (section: Record<string, unknown>) =>
      Object.fromEntries([...Object.entries(section).filter(() => random() < 0.8).map(([name, v]) => [name, random() < 0.7 ? v : value(3)]), ...Object.entries(mapping(3)).filter(() => random() < 0.3)]);
    const ignore = () => pick([undefined, undefined, undefined, '*', [pick(names)], [pick(names), pick(names)], [7], 'Runtime']);
    const resource = (properties: Record<string, unknown>, ignored: unknown): DeclaredResource => ({
      logicalId: 'F',
      type: random() < 0.9 ? 'AWS::Serverless::Function' : 'AWS::Lambda::Function',
      properties,
      dependsOn: [],
      references: [],
      span: { startLine: 1, endLine: 1 },
      propertySpans: {},
      attributes: ignored === undefined ? {} : { IgnoreGlobals: ignored },
    });
    return { random, pick, value, mapping, edited, ignore, resource };
  }

  it('gives the names that merging and comparing gives, in the same order (2,000 random section pairs x 8 functions)', () => {
    const usesP = (value: unknown) => JSON.stringify(value)?.includes('"Ref":"P"') ?? false;
    const usesQ = (value: unknown) => JSON.stringify(value)?.includes('"Ref":"Q"') ?? false;
    for (let seed = 1; seed <= 2_000; seed++) {
      const g = generator(seed);
      const baseSection = g.mapping(3);
      const headSection = g.random() < 0.2 ? baseSection : g.edited(baseSection);
      const before = g.random() < 0.05 ? 'not a mapping' : g.random() < 0.05 ? undefined : { Function: baseSection };
      const after = g.random() < 0.05 ? undefined : { Function: headSection };
      for (let i = 0; i < 8; i++) {
        const properties = g.mapping(2);
        const base = g.resource(properties, g.ignore());
        const head = { ...g.resource(g.random() < 0.5 ? properties : g.edited(properties), g.random() < 0.7 ? base.attributes?.IgnoreGlobals : g.ignore()), type: base.type };
        const usesChanged = g.pick([usesP, usesQ, () => false]);
        const context = JSON.stringify({ seed, i, baseSection, headSection, base: [base.properties, base.attributes], head: [head.properties, head.attributes] });
        expect(globalsChanges(before, after, base, head, usesChanged), context).toEqual(expected(before, after, base, head, usesChanged));
      }
    }
  });
});
