import { beforeAll, describe, expect, it } from 'vitest';
import { loadHclGrammar } from '../../src/iac/terraform/load-hcl-grammar.js';
import { parseHclFile } from '../../src/iac/terraform/parse-hcl-file.js';
import { applyHclEdits } from '../../src/reconcile/apply-hcl-edits.js';
import type { ValueEdit } from '../../src/reconcile/types.js';
import type { TerraformBody } from '../../src/types.js';
import { lineChanges } from './line-changes.js';

beforeAll(loadHclGrammar);

/** An attribute of a resource as the repo's Terraform reader reads the edited file. */
function attributeOf(text: string, address: string, name: string): unknown {
  const file = parseHclFile('main.tf', text);
  expect(file.problems).toEqual([]);
  const [type, label] = address.split('.');
  const block = file.blocks.find((candidate) => candidate.type === 'resource' && candidate.labels[0] === type && candidate.labels[1] === label);
  if (!block) throw new Error(`no ${address}`);
  return valueIn(block, name);
}

function valueIn(body: TerraformBody, name: string): unknown {
  const value = body.attributes[name]?.value;
  if (value === undefined) return undefined;
  return value.kind === 'literal' ? value.value : { expression: value.text };
}

const set = (resource: string, path: ValueEdit['path'], value: unknown): ValueEdit => ({ resource, path, op: { kind: 'set', value } });
const tag = (resource: string, key: string, value: string, path: ValueEdit['path'] = ['tags']): ValueEdit => ({ resource, path, op: { kind: 'tag', key, value } });

const MAIN = `# The orders queue and its archive bucket.
resource "aws_sqs_queue" "orders" {
  name                       = "\${var.prefix}-orders"
  visibility_timeout_seconds = 30 # the worker takes up to 20
  message_retention_seconds  = local.retention
  delay_seconds              = 0

  tags = merge(local.tags, {
    component = "queue"
  })
}

resource "aws_s3_bucket" "archive" {
  bucket = "orders-archive"

  tags = {
    team = "orders"
    env  = var.env
  }
}

module "alarms" {
  source = "./alarms"
  queue  = aws_sqs_queue.orders.name
}
`;

describe('applyHclEdits: the drift the pull request writes back', () => {
  it('sets a hotfixed visibility_timeout_seconds to 120 and adds the owner tag next to the existing ones, nothing else changed', () => {
    const result = applyHclEdits(MAIN, [set('aws_sqs_queue.orders', ['visibility_timeout_seconds'], 120), tag('aws_s3_bucket.archive', 'owner', 'platform')]);
    expect(result.refused).toEqual([]);
    // `owner` is longer than the run `team`/`env` is aligned for: a run of its own, so that
    // terraform fmt leaves both as they are and no other line moves
    expect(lineChanges(MAIN, result.text)).toEqual({
      removed: ['  visibility_timeout_seconds = 30 # the worker takes up to 20'],
      added: ['  visibility_timeout_seconds = 120 # the worker takes up to 20', '', '    owner = "platform"'],
    });
    expect(attributeOf(result.text, 'aws_sqs_queue.orders', 'visibility_timeout_seconds')).toBe(120);
    expect(attributeOf(result.text, 'aws_s3_bucket.archive', 'tags')).toEqual({ expression: expect.stringContaining('owner = "platform"') });
    const tags = parseHclFile('main.tf', result.text).blocks[1]!.attributes.tags!.value;
    expect(tags.kind === 'expression' && tags.normalized).toContain('team = "orders"');
  });

  it('aligns a new tag with the run it joins when its name fits', () => {
    const text = 'resource "aws_s3_bucket" "archive" {\n  tags = {\n    team        = "orders"\n    cost_center = "42"\n  }\n}\n';
    const result = applyHclEdits(text, [tag('aws_s3_bucket.archive', 'owner', 'platform')]);
    expect(lineChanges(text, result.text)).toEqual({ removed: [], added: ['    owner       = "platform"'] });
    expect(attributeOf(result.text, 'aws_s3_bucket.archive', 'tags')).toEqual({ team: 'orders', cost_center: '42', owner: 'platform' });
  });

  it('updates a tag that is there, keeping the others', () => {
    const text = 'resource "aws_s3_bucket" "archive" {\n  tags = {\n    team = "orders"\n    "env" = "dev"\n  }\n}\n';
    const result = applyHclEdits(text, [tag('aws_s3_bucket.archive', 'env', 'prod')]);
    expect(lineChanges(text, result.text)).toEqual({ removed: ['    "env" = "dev"'], added: ['    "env" = "prod"'] });
    expect(attributeOf(result.text, 'aws_s3_bucket.archive', 'tags')).toEqual({ team: 'orders', env: 'prod' });
  });

  it('adds a missing attribute after the last one, aligned with its run', () => {
    const result = applyHclEdits(MAIN, [set('aws_sqs_queue.orders', ['max_message_size'], 2048), set('aws_sqs_queue.orders', ['fifo_queue'], false)]);
    expect(result.refused).toEqual([]);
    // tags = merge(...) spans lines, so the run before it ends at delay_seconds; the new ones go after tags
    expect(lineChanges(MAIN, result.text)).toEqual({ removed: [], added: ['  max_message_size = 2048', '  fifo_queue       = false'] });
    expect(result.text).toContain('  })\n  max_message_size = 2048\n  fifo_queue       = false\n}\n');
    expect(attributeOf(result.text, 'aws_sqs_queue.orders', 'max_message_size')).toBe(2048);
    expect(attributeOf(result.text, 'aws_sqs_queue.orders', 'fifo_queue')).toBe(false);
  });

  it('adds an attribute and a tags map to a resource whose block is empty', () => {
    const text = 'resource "aws_sqs_queue" "dlq" {}\n';
    const result = applyHclEdits(text, [set('aws_sqs_queue.dlq', ['delay_seconds'], 5), tag('aws_sqs_queue.dlq', 'owner', 'platform')]);
    expect(result.refused).toEqual([]);
    expect(result.text).toBe('resource "aws_sqs_queue" "dlq" {\n  delay_seconds = 5\n  tags = {\n    owner = "platform"\n  }\n}\n');
    expect(attributeOf(result.text, 'aws_sqs_queue.dlq', 'tags')).toEqual({ owner: 'platform' });
  });

  it.each([
    ['an interpolated template', set('aws_sqs_queue.orders', ['name'], 'prod-orders'), '${var.prefix}-orders'],
    ['a local', set('aws_sqs_queue.orders', ['message_retention_seconds'], 86400), 'local.retention'],
    ['a function call (tags = merge(...))', tag('aws_sqs_queue.orders', 'owner', 'platform'), 'merge(local.tags, {'],
    ['a variable inside a tags map', tag('aws_s3_bucket.archive', 'env', 'prod'), 'var.env'],
    ['a whole map that holds a variable', set('aws_s3_bucket.archive', ['tags'], { team: 'orders', env: 'prod' }), 'var.env'],
  ])('never edits %s: refused as an expression, text unchanged', (_, edit, shown) => {
    const result = applyHclEdits(MAIN, [edit]);
    expect(result.text).toBe(MAIN);
    expect(result.refused).toEqual([{ edit, reason: 'expression', detail: expect.stringContaining(shown) }]);
  });

  it('keeps tabs and the comment column, and aligns with the line before', () => {
    const text = 'resource "aws_sqs_queue" "orders" {\n\tname\t= "orders"\n\tdelay_seconds = 0    # seconds\n\tmax_message_size = 1024 // bytes\n}\n';
    const result = applyHclEdits(text, [set('aws_sqs_queue.orders', ['delay_seconds'], 15), set('aws_sqs_queue.orders', ['fifo_queue'], true)]);
    expect(result.refused).toEqual([]);
    expect(lineChanges(text, result.text)).toEqual({
      removed: ['\tdelay_seconds = 0    # seconds'],
      added: ['\tdelay_seconds = 15   # seconds', '\tfifo_queue       = true'],
    });
    expect(attributeOf(result.text, 'aws_sqs_queue.orders', 'delay_seconds')).toBe(15);
  });

  it('keeps CRLF line endings, on the lines it adds too', () => {
    const text = MAIN.replace(/\n/g, '\r\n');
    const result = applyHclEdits(text, [set('aws_sqs_queue.orders', ['visibility_timeout_seconds'], 120), set('aws_s3_bucket.archive', ['force_destroy'], true)]);
    expect(result.refused).toEqual([]);
    expect(result.text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(lineChanges(text, result.text).added).toEqual(['  visibility_timeout_seconds = 120 # the worker takes up to 20', '  force_destroy = true']);
  });

  it('leaves a heredoc alone unless the live value is plain text it can hold', () => {
    const text = `resource "aws_sqs_queue" "orders" {
  policy = <<-EOT
    {"Version": "2012-10-17"}
  EOT
  redrive_policy = <<EOT
{"maxReceiveCount": \${var.receives}}
EOT
}
`;
    const policy = '{"Version": "2012-10-17", "Id": "x"}\n';
    const result = applyHclEdits(text, [
      set('aws_sqs_queue.orders', ['policy'], policy),
      set('aws_sqs_queue.orders', ['redrive_policy'], '{"maxReceiveCount": 5}\n'),
      set('aws_sqs_queue.orders', ['policy'], 'no line break at the end'),
    ]);
    expect(lineChanges(text, result.text)).toEqual({ removed: ['    {"Version": "2012-10-17"}'], added: ['    {"Version": "2012-10-17", "Id": "x"}'] });
    expect(attributeOf(result.text, 'aws_sqs_queue.orders', 'policy')).toBe(policy);
    expect(result.refused.map((refusal) => [refusal.reason, refusal.detail])).toEqual([
      ['expression', expect.stringContaining('${var.receives}')],
      ['unsupported', expect.stringContaining('is a heredoc, left alone')],
    ]);
  });

  it('writes strings that look like templates as text', () => {
    const result = applyHclEdits(MAIN, [set('aws_s3_bucket.archive', ['bucket'], 'a-${b}-%{c}-"q"\\')]);
    expect(attributeOf(result.text, 'aws_s3_bucket.archive', 'bucket')).toBe('a-${b}-%{c}-"q"\\');
  });

  it('edits nested blocks by index and literal lists', () => {
    const text = `resource "aws_security_group" "web" {
  ingress {
    from_port   = 80
    cidr_blocks = ["10.0.0.0/8"]
  }
  ingress {
    from_port   = 443
    cidr_blocks = ["10.0.0.0/8"]
  }
}
`;
    const result = applyHclEdits(text, [set('aws_security_group.web', ['ingress', 1, 'cidr_blocks', 0], '10.1.0.0/16'), set('aws_security_group.web', ['ingress', 0, 'to_port'], 80)]);
    expect(result.refused).toEqual([]);
    expect(lineChanges(text, result.text)).toEqual({
      removed: ['    cidr_blocks = ["10.0.0.0/8"]'],
      added: ['    to_port     = 80', '    cidr_blocks = ["10.1.0.0/16"]'],
    });
    const ingress = parseHclFile('main.tf', result.text).blocks[0]!.blocks;
    expect(ingress.map((block) => [valueIn(block, 'to_port'), valueIn(block, 'cidr_blocks')])).toEqual([
      [80, ['10.0.0.0/8']],
      [undefined, ['10.1.0.0/16']],
    ]);
  });

  it('says a resource that is not in this file is not found, so the caller tries the next file of the module', () => {
    const result = applyHclEdits(MAIN, [set('aws_sqs_queue.elsewhere', ['delay_seconds'], 1)]);
    expect(result.refused[0]).toMatchObject({ reason: 'not-found', detail: 'aws_sqs_queue.elsewhere is not declared in this file' });
    expect(result.text).toBe(MAIN);
  });

  it('refuses every edit of a file that does not parse, saying where, without throwing', () => {
    const text = 'resource "aws_sqs_queue" "orders" {\n  delay_seconds = \n}\n';
    const result = applyHclEdits(text, [set('aws_sqs_queue.orders', ['delay_seconds'], 1), tag('aws_sqs_queue.orders', 'a', 'b')]);
    expect(result.text).toBe(text);
    expect(result.refused.map((refusal) => refusal.reason)).toEqual(['unparseable', 'unparseable']);
    expect(result.refused[0]!.detail).toMatch(/does not parse as HCL \(line \d+: /);
  });
});

describe('applyHclEdits: what a refusal says', () => {
  it('does not quote the code of a secret-looking attribute it refuses', () => {
    const text = 'resource "aws_db_instance" "main" {\n  password = join("", ["hunter", "2"])\n  engine   = lower("POSTGRES")\n}\n';
    const result = applyHclEdits(text, [set('aws_db_instance.main', ['password'], 'x'), set('aws_db_instance.main', ['engine'], 'mysql')]);
    expect(result.refused.map((refusal) => refusal.detail)).toEqual([
      'aws_db_instance.main.password is an expression (`***`); not edited',
      'aws_db_instance.main.engine is an expression (`lower("POSTGRES")`); not edited',
    ]);
  });
});

describe('applyHclEdits: several edits at one place', () => {
  it('adds two attributes and two tags to one block, each aligned with the one before', () => {
    const text = 'resource "aws_sqs_queue" "orders" {\n  name = "orders"\n  tags = {\n    env = "prod"\n  }\n}\n';
    const result = applyHclEdits(text, [
      set('aws_sqs_queue.orders', ['delay_seconds'], 5),
      set('aws_sqs_queue.orders', ['fifo_queue'], false),
      tag('aws_sqs_queue.orders', 'app', 'orders'),
      tag('aws_sqs_queue.orders', 'env', 'staging'),
      tag('aws_sqs_queue.orders', 'tier', 'backend'),
    ]);
    expect(result.refused).toEqual([]);
    expect(result.text).toBe(
      'resource "aws_sqs_queue" "orders" {\n  name = "orders"\n  tags = {\n    env = "staging"\n    app = "orders"\n\n    tier = "backend"\n  }\n  delay_seconds = 5\n  fifo_queue    = false\n}\n',
    );
    expect(attributeOf(result.text, 'aws_sqs_queue.orders', 'tags')).toEqual({ env: 'staging', app: 'orders', tier: 'backend' });
  });
});
