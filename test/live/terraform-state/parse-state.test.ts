import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseState, sensitivePaths } from '../../../src/live/terraform-state/parse-state.js';
import { redactAttributes, redactInstance } from '../../../src/live/terraform-state/redact-state.js';

const STATE = readFileSync(new URL('../../fixtures/terraform-state/data.tfstate', import.meta.url), 'utf8');
const WHERE = 's3://acme-tf-state/data/terraform.tfstate';

function state(resources: unknown[]): string {
  return JSON.stringify({ version: 4, terraform_version: '1.9.8', serial: 1, lineage: 'l', outputs: {}, resources });
}

const managed = (extra: Record<string, unknown>, instances: unknown[]) => ({
  mode: 'managed',
  type: 'aws_sqs_queue',
  name: 'jobs',
  provider: 'provider["registry.terraform.io/hashicorp/aws"]',
  ...extra,
  instances,
});

describe('parseState', () => {
  it('gives each managed instance its full address and skips data sources', () => {
    const parsed = parseState(STATE, WHERE);

    expect(parsed.ok && parsed.state.instances.map((i) => i.address)).toEqual([
      'aws_dynamodb_table.orders',
      'module.queues.aws_sqs_queue.jobs[0]',
      'aws_s3_bucket.logs["eu"]',
      'aws_iam_role_policy_attachment.worker_sqs',
      'aws_ssm_parameter.db_password',
    ]);
    expect(parsed.ok && parsed.state).toMatchObject({ terraformVersion: '1.9.8', serial: 42, lineage: '3f0b8e1a-6c2d-4a57-9d1e-2b7c5f9a0e13' });
  });

  it.each([
    [{ module: 'module.a["x"].module.b' }, 1, 'module.a["x"].module.b.aws_sqs_queue.jobs[1]'],
    [{}, 'key with "quotes"', 'aws_sqs_queue.jobs["key with \\"quotes\\""]'],
    [{}, undefined, 'aws_sqs_queue.jobs'],
  ])('addresses %j with index key %j as %s', (extra, indexKey, address) => {
    const parsed = parseState(state([managed(extra, [{ ...(indexKey !== undefined ? { index_key: indexKey } : {}), schema_version: 0, attributes: {}, sensitive_attributes: [] }])]), WHERE);

    expect(parsed.ok && parsed.state.instances[0]?.address).toBe(address);
  });

  it('leaves out a deposed object (a replacement still in progress)', () => {
    const parsed = parseState(
      state([managed({}, [{ schema_version: 0, attributes: { id: 'new' } }, { schema_version: 0, deposed: '00000001', attributes: { id: 'old' } }])]),
      WHERE,
    );

    expect(parsed.ok && parsed.state.instances.map((i) => i.attributes.id)).toEqual(['new']);
  });

  it.each([
    ['{"version": 3, "serial": 2, "modules": []}', 'UnsupportedStateVersion', `${WHERE} has \`version\`: 3 (written by Terraform 0.11 or older`],
    ['{"format_version": "1.2", "values": {}}', 'UnsupportedStateVersion', `${WHERE} has no \`version\` field`],
    ['{"version": 4,\n  "resources": [\n    {,}\n  ]}', 'InvalidState', `${WHERE} is not JSON (line 3, column`],
    ['[]', 'InvalidState', 'the document is not a JSON object'],
  ])('refuses %j with a clear, located error', (text, code, message) => {
    const parsed = parseState(text, WHERE);

    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.code).toBe(code);
    expect(!parsed.ok && parsed.message).toContain(message);
  });

  it('locates broken JSON without quoting the secrets around the error', () => {
    const secret = 'Sup3rS3cretValue-4d1f';
    const text = state([managed({}, [{ schema_version: 0, attributes: { id: 'q', password: 'PLACEHOLDER' } }])]).replace('"PLACEHOLDER"', secret);
    const parsed = parseState(text, WHERE);

    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(new RegExp(`^${WHERE} is not JSON \\(line 1, column ${text.indexOf(secret) + 1}: `));
    expect(!parsed.ok && parsed.message).not.toContain('Sup3r');
    expect(!parsed.ok && parsed.message).not.toContain('password');
  });

  it('marks an instance held in the pre-0.12 flatmap form unusable, and hides all its values', () => {
    const parsed = parseState(state([managed({}, [{ schema_version: 0, attributes_flat: { id: 'q', 'tags.%': '0' } }])]), WHERE);

    const instance = parsed.ok ? parsed.state.instances[0]! : undefined;
    expect(instance?.unusable).toContain('attributes_flat');
    expect(instance?.sensitivePaths).toEqual(['']);
  });
});

describe('sensitive attributes', () => {
  it.each([
    [[[{ type: 'get_attr', value: 'password' }]], ['password']],
    [
      [[{ type: 'get_attr', value: 'environment' }, { type: 'index', value: { value: 0, type: 'number' } }, { type: 'get_attr', value: 'variables' }, { type: 'index', value: { value: 'DB_URL', type: 'string' } }]],
      ['environment.0.variables.DB_URL'],
    ],
    // an unknown step hides everything above it: fail closed
    [[[{ type: 'get_attr', value: 'settings' }, { type: 'splat' }]], ['settings']],
    [[[{ type: 'mystery' }]], ['']],
    ['not a list', ['']],
    [undefined, []],
  ])('reads %j as %j', (raw, paths) => {
    expect(sensitivePaths(raw)).toEqual(paths);
  });

  it('replaces every sensitive value, and secret-looking ones, before an instance leaves', () => {
    const parsed = parseState(STATE, WHERE);
    const parameter = parsed.ok ? parsed.state.instances.find((i) => i.type === 'aws_ssm_parameter')! : undefined;

    const out = redactInstance(parameter!);

    expect(out.attributes.value).toBe('***');
    expect(out.attributes.name).toBe('/orders/db/password');
    expect(JSON.stringify(out)).not.toContain('correct-horse-battery-staple');
    expect(parameter!.attributes.value).toBe('correct-horse-battery-staple');
  });

  it('redacts a nested path and a whole-instance marker', () => {
    const attributes = { environment: [{ variables: { DB_URL: 'postgres://u:p@h/db', REGION: 'eu-west-1' } }], name: 'f' };

    expect(redactAttributes(attributes, ['environment.0.variables.DB_URL'])).toEqual({ environment: [{ variables: { DB_URL: '***', REGION: 'eu-west-1' } }], name: 'f' });
    expect(redactAttributes(attributes, [''])).toEqual({ environment: '***', name: '***' });
  });
});
