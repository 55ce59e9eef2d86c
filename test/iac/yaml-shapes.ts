// YAML shapes for comparing the hand-written reader with the `yaml` package path
// (parse-yaml-nodes.test.ts): each is a property value, a block of properties, or a whole
// template.

/** A one-resource template whose properties are the given lines (indented 6). */
export const withProperties = (lines: string): string => `Resources:\n  Thing:\n    Type: Custom::Thing\n    Properties:\n${lines}`;

/** Values the hand-written reader reads itself. */
export const READ_VALUES: string[] = [
  'plain', 'two words', 'yes', 'No', 'ON', 'off', 'y', 'true', 'False', '~', 'null', 'NULL', 'Null', '010', '-010', '0o17', '0x1F', '0b101', '1_000', '1:30', '012345678901',
  '123456789012', '9007199254740993', '1.5', '1.0', '1e3', '.5', '-.inf', '.NaN', '+_', '2010-09-09', 'arn:aws:s3:::bucket/*', 'a:b', 'a#b', '-x', ':x', '?x', 'x-', '100%',
  "'single'", "'it''s'", "''", '""', '"double"', '"esc \\t \\n \\" \\\\ \\/ \\x41 \\u00e9 \\U0001F600 \\0 \\e \\_ \\N"', '"a\\ b"',
  '!Ref Env', "!Ref 'AWS::Region'", '!Ref yes', '!Ref 010', '!GetAtt Queue.Arn', '!GetAtt [Queue, Arn]', "!Sub 'orders-${Env}'", '!Sub "x-${Env}"',
  "!Sub ['orders-${Name}', { Name: !Ref Env }]", '!If [IsProd, 30, 10]', "!Join [',', [a, b]]", '!Select [0, !GetAZs ""]', "!Split [',', 'a,b']",
  '!FindInMap [Sizing, !Ref Env, Memory]', '!FindInMap [Sizing, !Ref Env, Memory, {DefaultValue: 5}]', '!ImportValue shared', "!ImportValue { 'Fn::Sub': '${Env}-topic' }",
  '!Base64 hello', '!Cidr [10.0.0.0/16, 4, 8]', '!Equals [!Ref Env, prod]', '!Not [!Condition IsProd]', '!Condition IsProd',
  '!Transform { Name: AWS::Include, Parameters: { Location: s3://b/p.yaml } }', '!Length [a, b]', '!Length { Ref: List }', '!ToJsonString { a: 1 }', '!ToJsonString [1, 2]',
  '!Contains [[a, b], !Ref P]', '!EachMemberEquals [!RefAll AWS::EC2::VPC::Id, x]', '!EachMemberIn [[a], [a, b]]', '!RefAll AWS::EC2::VPC::Id', '!ValueOf [P, Tag]', '!ValueOfAll [AWS::EC2::VPC::Id, Tag]',
  '! plain', '! yes', '! 012', "! 'yes'", '! [a, b]', '! {a: 1}', '!Ref',
  '[]', '{}', '[a, b, c]', '[a, b, ]', '[ a , "b" , \'c\' ]', '{a: 1, b: [x, y], c: {d: e}}', '{"k":1, \'j\': 2}', '{a, b: 1}', '[[1, [2, [3]]], {x: [y]}]', '[a # comment\n        , b]',
  '&anchor [a, b]', '&s "text"', '&e', '!Ref &r x', '&r !Ref x',
  '|\n        line one\n        line two\n', '|-\n        stripped\n\n', '|+\n        kept\n\n', '>\n        folded\n        text\n\n        para\n', '>-\n        folded\n        stripped\n', '>\n        a\n          b\n        c\n',
  '>\n\n        folded\n        line\n\n        next\n        line\n          * bullet\n\n          * list\n          * lines\n\n        last\n        line\n\n',
  '>+\n        text\n          indented\n\n        more\n\n', '|\n\n        leading empty\n', '>\n\n\n        two leading\n        lines\n', '>-\n        a\n\n\n        b\n',
  '|\n        a\n\n        b\n          indented\n',
  // indentation indicators
  '|2\n          x\n', '>2\n          a\n        b\n\n        c\n', '|-1\n          x\n         y\n', '|+2\n        x\n\n', '>4-\n          x\n           y\n', '|1\n\n         x\n',
  '\n        - |2\n            x\n        - >1\n            y\n        - |3\n            z\n', '\n        - k: |2\n              x\n          j: |4\n              y\n', '\n        k: >-2\n            x\n          y\n',
  '!!str 010', '!!str yes', "!!str 'q'", '!!str "d\\t"', '!!str', '&s !!str ~', '!!str &s 1.5', '!!str |\n        x\n', '[!!str 1, !!str yes, a]', '{a: !!str 2, b: !!str x}', '!!str a\n        b',
  '\n        - !!str\n        - k: !!str 010\n',
  '!!int 5', '!!int 010', "!!int '0x1F'", '!!int -1_000', '!!int 1:30', '!!float 1.5', '!!float 010', '!!float 1e3', '!!float .inf', '!!bool yes', '!!bool Off', '!!bool "true"', '!!null ~', '!!null null',
  '[!!int 1, !!bool no, !!float 2, !!null ~]', '&n !!int 7',
  '!!map {a: 1}', '!!seq [a]', '!!map\n        a: 1\n        b: [x]', '!!seq\n        - a\n        - !!map {b: 2}', '&m !!map {a: 1}', '[!!seq [1], !!map {c: d}]',
  // plain scalars over lines in flow collections
  '[a\n        b]', '[a b\n          c d, e\n\n        f,\n        g\n\n\n        h ]', '{k: v\n        w, j: x\n         y\n        }', '[1\n        2]', '[yes\n        no]', '[!Ref a\n        b]', '[a\n        b\r\n        c]', '[a:b\n        c]',
  '{k: [a\n          b]}', '!Join [",", [a\n        b]]',
  '!Sub |2\n          echo ${Env}\n', '&b |2\n          x\n',
  '!Sub |\n        #!/bin/bash\n        echo ${Env}\n', "'multi\n        line\n\n        quoted'", '"multi\n        line \\\n        escaped"', 'multi\n        line\n\n        plain',
  '\n        - a\n        - b', '\n        - - a\n          - b\n        - c', '\n        - k: v\n          k2: v2\n        - !Ref x\n        -\n          nested: 1',
  '\n        k: v\n        k2:\n          - x', '!If\n        - IsProd\n        - !GetAtt Big.Arn\n        - !Ref AWS::NoValue', '# comment\n        k: v  # trailing',
  '\n      - indentless\n      - list', '&m\n        k: v', '', '   # only a comment',
];

/** Whole templates the hand-written reader reads itself. */
export const READ_TEMPLATES: string[] = [
  'Resources:\n  A:\n    Type: AWS::SQS::Queue\n  A:\n    Type: AWS::SNS::Topic\n  B:\n    Type: AWS::SQS::Queue\n    Properties: {V: 1, V: 2}\n',
  'Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties: &p {V: 1}\n  B:\n    Type: AWS::SQS::Queue\n    Properties: *p\n  C:\n    Type: AWS::SQS::Queue\n',
  'Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n  B:\n    Type: AWS::SQS::Queue\n',
  'Resources:\n  Fn::ForEach::L:\n    - N\n    - [a, b]\n    - Q${N}:\n        Type: AWS::SQS::Queue\n  Q:\n    Type: AWS::SQS::Queue\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n...\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n... # end\n# after the end\n\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: |\n        a\n...\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !<tag:yaml.org,2002:str> 010\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !<tag:yaml.org,2002:int> 010\n      W: [!<tag:yaml.org,2002:str> 1, 2]\n',
  "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !<!Ref> X\n      W: {a: !<!Sub> 'a-${X}'}\n",
  '---\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n',
  '%YAML 1.1\n---\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n',
  '# header\n%YAML   1.1 # version\n\n--- # start\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n',
  '%YAML 1.1\r\n---\r\nResources:\r\n  Q:\r\n    Type: AWS::SQS::Queue\r\n',
  '# header\n---\nResources:\n  Q: { Type: AWS::SQS::Queue }\n',
  '\n\nResources:\n\n  Q:\n\n    Type: AWS::SQS::Queue # a queue\n',
  'AWSTemplateFormatVersion: 2010-09-09\nDescription: >\n  Orders\n  stack\nParameters:\n  Env: { Type: String, Default: prod }\n  Secret:\n    Type: String\n    NoEcho: yes\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Condition: IsProd\n    DependsOn: [A, B]\n    Properties:\n      Tags: &tags\n        - Key: a\n          Value: b\n  R:\n    Type: AWS::SQS::Queue\n    DependsOn: Q\n    Properties:\n      Tags: *tags\n',
  'Resources:\r\n  Q:\r\n    Type: AWS::SQS::Queue\r\n    Properties:\r\n      QueueName: "a\r\n        b"\r\n      Code: |\r\n        x\r\n        y\r\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      A: 1\n      A: 2\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  Q:\n    Type: AWS::SNS::Topic\n',
  '! Resources:\n  ! Q:\n    Type: ! AWS::SQS::Queue\n',
  // explicit keys `? ` with a scalar key
  'Resources:\n  ? Q\n  : Type: AWS::SQS::Queue\n',
  'Resources:\n  A:\n    Type: AWS::SQS::Queue\n  ? Q\n  : Type: AWS::SQS::Queue\n    Properties:\n      ? "V"\n      : [a, b]\n      ? W # c\n      :\n        - x\n      ? \'X\'\n      : - 1\n        - 2\n      ? Y\n      : !Ref Z\n      ? A\n      :   k: v\n          j: w\n      ? B\n        c\n      : |\n        t\n      Z: 1\n',
  '? Resources\n: ? Q\n  : Type: AWS::SQS::Queue\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V:\n        - ? a\n          : b\n          c: d\n        - ? e\n          : &f g\n      W:\n        ? yes\n        : 010\n        ? 010\n        : x\n        ? "010"\n        : y\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      A: 1\n      ? A\n      : 2\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\nOutputs:\n  Fn::ForEach::Out:\n    - Name\n    - [a, b]\n    - ${Name}Arn:\n        Value: !Length [1, 2]\n',
];

/**
 * Templates loaders accept and the `yaml` package refuses: a flow collection or a quoted
 * scalar going on at its key's indentation (or less). Only the reader reads them.
 */
export const LENIENT_TEMPLATES: string[] = [
  "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      PolicyDocument: !Sub '{\n        \"Version\": \"2012-10-17\"\n      }'\n      Resource: [\n        a,\n        b\n      ]\n",
  withProperties('      Value: [a # comment\n  , b]\n'),
  withProperties('      Value: [\n      a, b\n      ]\n      After: 1\n'),
  withProperties('      Value: {\n      a: 1\n      }\n'),
  withProperties('      Value: "{\n      a\n      }"\n'),
];

/** Templates that need the `yaml` package path (the reader leaves them), or are broken. */
export const FALLBACK_TEMPLATES: string[] = [
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n...\n---\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n...\nx: 1\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !<tag:example.com,2000:x> 1\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !<!> 1\n',
  '%YAML 1.2\n---\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n',
  '%TAG ! tag:example.com,2000:\n---\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n',
  '%YAML 1.1\n%YAML 1.1\n---\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n',
  '%YAML 1.1\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n',
  '%YAML 1.1\n--- # c\n---\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n',
  '%YAML 1.10\n---\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !!int abc\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !!float x\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !!null x\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !!bool 1\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !!int [1]\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !!int\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !!map [1]\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !!seq x\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !!map\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !!set {a}\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !!binary aGk=\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !!int 1' + '0'.repeat(200) + '\n',

  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !!str [a]\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !!str\n        k: v\n',
  'Resources:\n  !!str Q:\n    Type: AWS::SQS::Queue\n',
  'Resources:\n  ? Q\n  : Type: AWS::SQS::Queue\n  ? [a, b]\n  : x\n',
  'Resources:\n  ? Q\n  Type: AWS::SQS::Queue\n',
  'Resources:\n  ? !Ref Q\n  : Type: AWS::SQS::Queue\n',
  'Resources:\n  ? Q\n\n  : Type: AWS::SQS::Queue\n    ? - a\n    : b\n',
  'Resources:\n  ? Q: R\n  : Type: AWS::SQS::Queue\n',
  'Resources:\n  ?\n  : Type: AWS::SQS::Queue\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n---\nResources: {}\n',
  'Resources:\n  Q:\n    Type: !!str AWS::SQS::Queue\n---\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !GetAttr X.Y\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: {a\n        b: 1}\n',
  withProperties('      Value: [a\n      b]\n'),
  withProperties('      Value: [a\n  b\n  c]\n'),
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: [a\n        b: 1]\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: [a\n        b # c\n        ]\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: [a\n\t b]\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: |22\n          x\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: |2\n\n           \n          x\n',
  '|2\n  x\n',
  'Resources:\n  Q:\n   Type: AWS::SQS::Queue\n    Properties: {}\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: a: b\n',
  'Resources:\n\tQ:\n    Type: AWS::SQS::Queue\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: 1' + '9'.repeat(200) + '\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: "\\q"\n',
  'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: x\n  bad\n',
];

/** A quote or a bracket never closed: the reader names where it opens, the `yaml` package the end of the file. */
export const UNCLOSED_TEMPLATES: string[] = [
  withProperties('      V: "unclosed\n'),
  withProperties("      V: 'unclosed\n      W: 1\n"),
  withProperties('      V: [a, b\n'),
  withProperties('      V: {a: [b, c]\n\n'),
];

/** Templates the reader reads but that are no template (or break a rule later): both paths must say the same. */
export const BROKEN_TEMPLATES: string[] = [
  // Resources are read as the reader goes (parse-template.ts, readEarly): a problem in an early
  // one still comes after a syntax error further on, and the first of two problems is reported
  'Resources:\n  A:\n    Properties: {}\n  B:\n    Type: AWS::SQS::Queue\n     Bad: 1\n',
  'Resources:\n  A:\n    Type: AWS::SQS::Queue\n  B:\n    Properties: {}\n  C:\n    Type: [a]\n',
  'Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !Nope x\n  B:\n    Properties: {}\n',
  'Resources:\n  A:\n    Properties: {}\nResources:\n  B:\n    Type: AWS::SQS::Queue\nParameters: 1\n',
  'Parameters: []\nResources:\n  A:\n    Properties: {}\n',
  'Resources:\n  Q:\n    Type: !!int 5\n',
  withProperties('      V: !!null\n'),
  withProperties('      V: |4\n          x\n         y: 1\n'),
  withProperties('      V: |4\n          x\n        W: 1\n'),
  withProperties('      V: |3\n          x\n      W: 1\n'),
  withProperties('      V: |9\n          x\n'),
  withProperties('      V: |0\n          x\n'),
  withProperties('      V: |--\n          x\n'),
  withProperties('      V: |2+-\n          x\n'),

  withProperties('      <<: {A: 1}\n'),
  withProperties('      V: *missing\n'),
  withProperties('      V: &a [*a]\n'),
  '- a\n- b\n',
  'just text\n',
  '',
  '# only a comment\n',
  'Resources:\n',
  'Resources:\n  Q: AWS::SQS::Queue\n',
  withProperties('      V: !Ref [a, b]\n'),
  withProperties('      V: !GetAtt Other\n'),
];

/** A seeded generator of template shapes: nested block and flow collections of the values above. */
export function generatedTemplates(count: number, seed = 1): string[] {
  let state = seed;
  const random = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const atoms = ['plain', 'yes', '010', '1.0', "'q''s'", '"d\\tq"', '!Ref X', '!GetAtt A.B', "!Sub '${A}'", '~', '', '&x v', '*x', 'a b  # c', '! 12', '-1', 'x:y'];
  const flowAtoms = ['a', 'yes', '7', "'s'", '"d"', '!Ref X', '[a, b]', '{k: v}', '*x', '! s'];
  const flow = (depth: number): string => {
    if (depth > 2 || random(3) === 0) return flowAtoms[random(flowAtoms.length)]!;
    const n = random(4);
    const items = Array.from({ length: n }, () => flow(depth + 1));
    if (random(2) === 0) return `[${items.join(', ')}]`;
    return `{${items.map((item, i) => `k${i}: ${item}`).join(', ')}}`;
  };
  const block = (depth: number, indent: number): string => {
    const pad = ' '.repeat(indent);
    const kind = depth > 3 ? random(2) : random(5);
    if (kind === 0) return ` ${atoms[random(atoms.length)]}\n`;
    if (kind === 1) return ` ${flow(0)}\n`;
    if (kind === 2) {
      const more = random(2) ? `${pad}    more indented\n` : '';
      return ` ${random(2) ? '|' : '>'}${['', '-', '+'][random(3)]}\n${random(3) ? '' : '\n'}${pad}  line one\n${more}${pad}  line two\n${random(2) ? '\n' : ''}`;
    }
    const n = 1 + random(3);
    const tag = random(4) === 0 ? (kind === 3 ? ' !If' : ' !Base64') : random(5) === 0 ? ' &x' : '';
    if (kind === 3) {
      return `${tag}\n${Array.from({ length: n }, () => `${pad}  -${block(depth + 1, indent + 4).replace(/^ \n/, '\n')}`).join('')}`;
    }
    const key = (i: number) => `k${random(4) === 0 ? 0 : i}`;
    const entry = (i: number) => (random(6) === 0 ? `${pad}  ? ${key(i)}\n${pad}  :` : `${pad}  ${key(i)}:`);
    return `${tag}\n${Array.from({ length: n }, (_, i) => `${entry(i)}${block(depth + 1, indent + 2)}`).join('')}`;
  };
  return Array.from({ length: count }, () => withProperties(`      Value:${block(0, 6)}      After: 1\n`));
}

/** Broken the way people break templates: each after `padding` (valid resources), so that a large file is reported as the reader finds it. */
export function brokenShapes(padding: string): string[] {
  const head = `Resources:\n${padding}`;
  return [
    `${head}  Q:\n   Type: AWS::SQS::Queue\n    Properties: {}\n`,
    `${head}  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      A: 1\n     B: 2\n`,
    `${head}  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      A: 1\n        B: 2\n`,
    `${head}  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags:\n        - Key: a\n        Value: b\n`,
    `${head}  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags:\n        - Key: a\n           Value: b\n`,
    `${head}  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: a: b\n`,
    `${head}  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: [a b c] d\n`,
    `${head}  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: [a, , b]\n`,
    `${head}  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: "a" b\n`,
    `${head}  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !GetAttr A.B\n`,
    `${head}  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: - a\n`,
    `${head}  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: |  x\n`,
    `${head}  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: {a: 1}#c\n`,
  ];
}
