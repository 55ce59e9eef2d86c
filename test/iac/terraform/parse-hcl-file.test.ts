import { beforeAll, describe, expect, it } from 'vitest';
import { loadHclGrammar } from '../../../src/iac/terraform/load-hcl-grammar.js';
import { parseHclFile } from '../../../src/iac/terraform/parse-hcl-file.js';

beforeAll(loadHclGrammar);

const valueOf = (expression: string) => parseHclFile('x.tf', `x = ${expression}\n`).attributes.x?.value;

describe('parseHclFile: values', () => {
  it.each([
    ['"plain"', 'plain'],
    ['"tab\\tquote\\" back\\\\slash \\u00e9 \\U0001F600"', 'tab\tquote" back\\slash é 😀'],
    ['"$${not.interpolated} %%{not_a_directive}"', '${not.interpolated} %{not_a_directive}'],
    ['42', 42],
    ['1.5e3', 1500],
    ['-7', -7],
    ['true', true],
    ['false', false],
    ['null', null],
    ['[1, "two", [true], {}]', [1, 'two', [true], {}]],
    ['{ Name = "a", "with space" = 1, nested = { deep = [null] } }', { Name: 'a', 'with space': 1, nested: { deep: [null] } }],
    ['{\n  a = 1 # comment\n  b = 2\n}', { a: 1, b: 2 }],
    ['<<EOT\n  kept as is\nEOT', '  kept as is\n'],
    ['<<-EOT\n    {\n      "a": 1\n    }\n  EOT', '{\n  "a": 1\n}\n'],
    ['<<-EOT\n    one\n\n      two $${x}\n  EOT', 'one\n\n  two ${x}\n'],
  ])('evaluates %s', (expression, value) => {
    expect(valueOf(expression)).toEqual({ kind: 'literal', value });
  });

  it.each([
    ['var.name', 'var . name', ['var.name']],
    ['"${var.env}-app"', '"${var . env}-app"', ['var.env']],
    ['"${ var.env }-app"', '"${var . env}-app"', ['var.env']],
    ['[1, local.two]', '[ 1 , local . two ]', ['local.two']],
    ['[\n  1, # one\n  local.two,\n]', '[ 1 , local . two ]', ['local.two']],
    ['{ a = module.q.queue_arn }', '{ a = module . q . queue_arn }', ['module.q.queue_arn']],
    ['{\n  a: module.q.queue_arn\n  b = 1\n}', '{ a = module . q . queue_arn , b = 1 }', ['module.q.queue_arn']],
    ['data.aws_iam_policy_document.x.json', 'data . aws_iam_policy_document . x . json', ['data.aws_iam_policy_document.x']],
    ['local.a + module.m.out[0].b', 'local . a + module . m . out [ 0 ] . b', ['local.a', 'module.m.out']],
    ['var.on ? aws_sqs_queue.q[0].arn : null', 'var . on ? aws_sqs_queue . q [ 0 ] . arn : null', ['aws_sqs_queue.q', 'var.on']],
    ['jsonencode({\n  a = var.x, # why\n})', 'jsonencode ( { a = var . x } )', ['var.x']],
    ['"${each.key}-${count.index}-${path.module}"', '"${each . key}-${count . index}-${path . module}"', []],
    ['<<EOT\nhello ${var.who}\nEOT', '<<EOT\nhello ${var . who}\nEOT', ['var.who']],
    ['"a${var.b}"', '"a${var . b}"', ['var.b']],
  ])('keeps %s as an expression', (expression, normalized, references) => {
    expect(valueOf(expression)).toEqual({ kind: 'expression', text: expression, normalized, references });
  });
});

describe('parseHclFile: normalized expressions', () => {
  it.each([
    ['"a ${var.b}"', '"a${var.b}"'],
    ['"${var.b} c"', '"${var.b}c"'],
    ['<<EOT\n  ${var.b}\nEOT', '<<EOT\n${var.b}\nEOT'],
  ])('tells %j from %j (whitespace inside a string is text)', (a, b) => {
    const left = valueOf(a);
    const right = valueOf(b);
    expect(left?.kind === 'expression' && right?.kind === 'expression' && left.normalized !== right.normalized).toBe(true);
  });
});

describe('parseHclFile: syntax errors', () => {
  it.each([
    ['a missing `{`', 'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n\nresource "aws_sqs_queue" "r"\n  name = "r"\n}\n', 5, 'syntax error: expected `{` after `resource "aws_sqs_queue" "r"`'],
    ['a missing `}`', 'resource "aws_sqs_queue" "q" {\n  name = "q"\n\nresource "aws_sqs_queue" "r" {\n  name = "r"\n}\n', 2, 'syntax error: expected `}` to close `resource "aws_sqs_queue" "q"` (line 1)'],
    ['a string left open', 'locals {\n  a = "open\n  b = 2\n}\n', 2, 'syntax error: expected `"` to close this string'],
    ['a list left open', 'locals {\n  a = [1, 2\n}\n', 2, 'syntax error: expected `]`'],
    ['a stray token', 'locals {\n  a = = 1\n}\n', 2, 'syntax error: expected a value'],
    ['a block without its `}` at the end of the file', 'locals {\n  a = 1\n', 2, 'syntax error: expected `}` to close `locals` (line 1)'],
  ])('locates %s', (_, text, line, message) => {
    const file = parseHclFile('main.tf', text);
    expect(file.problems[0]).toMatchObject({ kind: 'syntax', file: 'main.tf', line, message });
  });

  it('never quotes a value from the file in a problem', () => {
    const file = parseHclFile('main.tf', 'resource "aws_db_instance" "db" {\n  password = "hunter2" "s3cr3t"\n}\n');
    expect(file.problems).toHaveLength(1);
    expect(JSON.stringify(file.problems)).not.toMatch(/hunter2|s3cr3t/);
  });

  it('reports a block nested too deeply to read, and reads the rest', () => {
    const deep = `resource "a" "deep" {\n${'nested {\n'.repeat(20_000)}${'}\n'.repeat(20_000)}}\n`;
    const file = parseHclFile('main.tf', `x = ${'['.repeat(20_000)}${']'.repeat(20_000)}\n\n${deep}\nresource "a" "shallow" {}\n`);
    expect(file.problems).toEqual([
      { kind: 'syntax', file: 'main.tf', line: 1, column: 1, message: 'nested too deeply to read' },
      { kind: 'syntax', file: 'main.tf', line: 3, column: 1, message: 'nested too deeply to read' },
    ]);
    expect(file.blocks.map((b) => b.labels[1])).toEqual(['shallow']);
  });

  it('locates a syntax error at the bottom of thousands of nested blocks', () => {
    const file = parseHclFile('main.tf', `resource "a" "deep" {\n${'nested {\n'.repeat(20_000)}x = = 1\n${'}\n'.repeat(20_000)}}\n`);
    expect(file.problems).toMatchObject([{ kind: 'syntax', file: 'main.tf', line: 20_002 }]);
  });

  it('still reads the blocks around a broken one', () => {
    const file = parseHclFile('main.tf', 'resource "a" "one" {\n  x = 1\n}\n\nresource "a" "two"\n  x = 2\n}\n\nresource "a" "three" {\n  x = 3\n}\n');
    expect(file.blocks.map((b) => [b.labels[1], b.span.startLine, b.attributes.x?.value])).toEqual([
      ['one', 1, { kind: 'literal', value: 1 }],
      ['three', 9, { kind: 'literal', value: 3 }],
    ]);
  });
});
