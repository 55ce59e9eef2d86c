import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computePlanLiveState } from '../../../src/live/terraform-plan/compute-plan-live-state.js';
import { parsePlanJson } from '../../../src/live/terraform-plan/parse-plan-json.js';
import type { PlanLiveResource, PlannedChange, TerraformPlan } from '../../../src/live/terraform-plan/types.js';

// A plan as `terraform show -json tfplan` prints it (Terraform 1.9, format 1.2): a queue in
// a local module hotfixed live (visibility 30 -> 120) while the pull request raises its
// retention, a security group opened live, an SSM SecureString changed live, a bucket
// deleted live, and a role policy AWS handed back reordered.
const FIXTURE = new URL('../../fixtures/terraform-plan/pr-queue-drift.json', import.meta.url);
const TEXT = readFileSync(FIXTURE, 'utf8');
const SECRETS = ['s3cr3t-from-state-9f2a', 'hotfix-pa55word-7c1e'];

function plan(text = TEXT): TerraformPlan {
  const result = parsePlanJson(text, 'tfplan-network/plan.json');
  if (!result.ok) throw new Error(`expected a plan, got ${JSON.stringify(result.error)}`);
  return result.plan;
}

/** The fixture as a document, changed by `edit`, printed compact as terraform does. */
function edited(edit: (doc: any) => void): string {
  const doc = JSON.parse(TEXT);
  edit(doc);
  return JSON.stringify(doc);
}

/** `{` and `[` inside the string values of a JSON text (the fixture's policies hold some). */
function stringBrackets(json: string): number {
  let n = 0;
  JSON.parse(json, (_key, value) => {
    if (typeof value === 'string') n += [...value].filter((c) => c === '{' || c === '[').length;
    return value;
  });
  return n;
}

function live(p: TerraformPlan, address: string): PlanLiveResource {
  const found = p.live.find((r) => r.address === address);
  if (!found) throw new Error(`no live resource ${address}`);
  return found;
}

function change(p: TerraformPlan, address: string): PlannedChange {
  const found = p.changes.find((c) => c.address === address);
  if (!found) throw new Error(`no change for ${address}`);
  return found;
}

describe('reading drift from the pull request\'s plan', () => {
  it('reports the queue in the local module whose visibility timeout was changed live from 30 to 120', () => {
    const queue = live(plan(), 'module.queues.aws_sqs_queue.jobs');
    expect(queue).toMatchObject({
      logicalId: 'module.queues.aws_sqs_queue.jobs',
      moduleAddress: 'module.queues',
      type: 'aws_sqs_queue',
      status: 'MODIFIED',
      physicalId: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs',
      checkedAt: '2026-11-30T09:14:03Z',
    });
    expect(queue.differences).toEqual([{ path: 'visibility_timeout_seconds', expected: 30, actual: 120, kind: 'NOT_EQUAL' }]);
  });

  it('says what the pull request does to that queue, and that the visibility change only undoes the live edit', () => {
    const jobs = change(plan(), 'module.queues.aws_sqs_queue.jobs');
    expect(jobs.action).toBe('update');
    expect(jobs.changes).toEqual([
      { path: 'message_retention_seconds', before: 345600, after: 1209600 },
      { path: 'visibility_timeout_seconds', before: 120, after: 30 },
    ]);
    expect(jobs.revertsDrift).toEqual(['visibility_timeout_seconds']);
  });

  it('names the security group opened to the world elsewhere in the root, attribute by attribute', () => {
    const p = plan();
    const web = live(p, 'aws_security_group.web');
    expect(web.status).toBe('MODIFIED');
    expect(web.differences).toEqual([
      { path: 'ingress.0.cidr_blocks.1', expected: '10.1.0.0/16', actual: '0.0.0.0/0', kind: 'NOT_EQUAL' },
      { path: 'tags.owner', actual: 'alice', kind: 'ADD' },
    ]);
    // The plan's update of the group is nothing but the revert of that drift.
    expect(change(p, 'aws_security_group.web').revertsDrift).toEqual(['ingress.0.cidr_blocks.1', 'tags.owner']);
  });

  it('reports a resource deleted outside Terraform as DELETED, and its re-creation as a create', () => {
    const p = plan();
    expect(live(p, 'aws_s3_bucket.assets')).toMatchObject({ status: 'DELETED', differences: [] });
    const bucket = change(p, 'aws_s3_bucket.assets');
    expect(bucket.action).toBe('create');
    expect(bucket.changes).toContainEqual({ path: 'bucket', after: 'acme-assets-prod' });
    expect(bucket.changes).toContainEqual({ path: 'arn', unknown: true });
  });

  it('lists refreshed resources without drift as in sync, and nothing for resources the plan creates', () => {
    const p = plan();
    expect(live(p, 'module.queues.aws_sqs_queue.dlq')).toMatchObject({ status: 'IN_SYNC', differences: [] });
    expect(p.live.map((r) => r.address).sort()).toEqual([
      'aws_iam_role_policy.worker',
      'aws_s3_bucket.assets',
      'aws_security_group.web',
      'aws_ssm_parameter.db_password',
      'module.queues.aws_sqs_queue.dlq',
      'module.queues.aws_sqs_queue.jobs',
    ]);
  });

  it('says an incomplete plan (deferred changes) could not check everything', () => {
    const p = plan(edited((doc) => (doc.complete = false)));
    const run = { id: 902, name: 'Terraform plan', htmlUrl: 'https://github.com/acme/infra/actions/runs/902', headSha: 'a'.repeat(40), status: 'completed', conclusion: 'success', createdAt: '2026-11-30T09:12:00Z' };
    expect(computePlanLiveState('network', p, run).drift).toMatchObject({ status: 'DETECTION_FAILED', statusReason: expect.stringContaining('deferred') });
  });

  it('reads the plan\'s metadata', () => {
    expect(plan()).toMatchObject({ formatVersion: '1.2', terraformVersion: '1.9.8', timestamp: '2026-11-30T09:14:03Z', applyable: true, complete: true });
  });
});

describe('sensitive values', () => {
  it('never lets a drifted sensitive value out, yet still reports that it drifted', () => {
    const p = plan();
    const parameter = live(p, 'aws_ssm_parameter.db_password');
    expect(parameter.status).toBe('MODIFIED');
    expect(parameter.differences).toEqual([{ path: 'value', expected: '***', actual: '***', kind: 'NOT_EQUAL', sensitive: true }]);
    expect(change(p, 'aws_ssm_parameter.db_password').changes).toEqual([{ path: 'value', before: '***', after: '***', sensitive: true }]);
    const everything = JSON.stringify(p);
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
    expect(p.redacted).toBeGreaterThanOrEqual(4);
  });

  it('hides a value whose mask marks a whole block sensitive, and a nested one inside a list', () => {
    const text = edited((doc) => {
      const web = doc.resource_drift.find((d: any) => d.address === 'aws_security_group.web');
      web.change.before_sensitive = { ingress: true };
      web.change.after_sensitive = { ingress: [{ cidr_blocks: [false, true] }] };
    });
    const web = live(plan(text), 'aws_security_group.web');
    expect(web.differences[0]).toEqual({ path: 'ingress.0.cidr_blocks.1', expected: '***', actual: '***', kind: 'NOT_EQUAL', sensitive: true });
    expect(JSON.stringify(web)).not.toContain('0.0.0.0/0');
  });

  it('hides the value of a sensitive variable wherever it turns up, even where no mask marks it', () => {
    const text = edited((doc) => {
      const parameter = doc.resource_drift.find((d: any) => d.address === 'aws_ssm_parameter.db_password');
      // A provider copying the value into an attribute its schema does not mark sensitive.
      parameter.change.before.description = 'password is s3cr3t-from-state-9f2a';
    });
    const p = plan(text);
    const parameter = live(p, 'aws_ssm_parameter.db_password');
    expect(parameter.differences).toContainEqual({
      path: 'description',
      expected: 'password is ***',
      actual: 'orders database password',
      kind: 'NOT_EQUAL',
      sensitive: true,
    });
    expect(JSON.stringify(p)).not.toContain('s3cr3t-from-state-9f2a');
  });

  it('hides a value whose name says it is a secret even when the provider does not mark it', () => {
    const text = edited((doc) => {
      const dlq = doc.resource_changes.find((c: any) => c.address === 'module.queues.aws_sqs_queue.dlq');
      doc.resource_drift.push({
        ...dlq,
        address: 'aws_lambda_function.worker',
        module_address: undefined,
        type: 'aws_lambda_function',
        name: 'worker',
        change: {
          actions: ['update'],
          before: { function_name: 'worker', environment: [{ variables: { DB_PASSWORD: 'lambda-env-pw-1', STAGE: 'prod' } }] },
          after: { function_name: 'worker', environment: [{ variables: { DB_PASSWORD: 'lambda-env-pw-2', STAGE: 'prod' } }] },
          after_unknown: {},
          before_sensitive: { environment: [{ variables: {} }] },
          after_sensitive: { environment: [{ variables: {} }] },
        },
      });
    });
    const p = plan(text);
    expect(live(p, 'aws_lambda_function.worker').differences).toEqual([
      { path: 'environment.0.variables.DB_PASSWORD', expected: '***', actual: '***', kind: 'NOT_EQUAL', sensitive: true },
    ]);
    expect(JSON.stringify(p)).not.toMatch(/lambda-env-pw/);
  });

  it('keeps a sensitive id out of the physical id', () => {
    const text = edited((doc) => {
      const parameter = doc.resource_drift.find((d: any) => d.address === 'aws_ssm_parameter.db_password');
      parameter.change.before_sensitive.id = true;
    });
    expect(live(plan(text), 'aws_ssm_parameter.db_password').physicalId).toBe('***');
  });
});

describe('normalizing what is not drift', () => {
  it('drops tags_all changes that tags explains, and counts them', () => {
    const web = live(plan(), 'aws_security_group.web');
    expect(web.differences.map((d) => d.path)).not.toContain('tags_all.owner');
    expect(web.normalizedAway).toBe(1);
  });

  it('keeps a tags_all change that tags does not explain (a default tag changed live)', () => {
    const text = edited((doc) => {
      const web = doc.resource_drift.find((d: any) => d.address === 'aws_security_group.web');
      web.change.after.tags_all.team = 'someone-else';
    });
    expect(live(plan(text), 'aws_security_group.web').differences).toContainEqual({
      path: 'tags_all.team',
      expected: 'platform',
      actual: 'someone-else',
      kind: 'NOT_EQUAL',
    });
  });

  it('finds a policy that AWS handed back reordered to be in sync', () => {
    const policy = live(plan(), 'aws_iam_role_policy.worker');
    expect(policy).toMatchObject({ status: 'IN_SYNC', differences: [], normalizedAway: 1 });
  });

  it('still reports a policy whose statements really changed', () => {
    const text = edited((doc) => {
      const worker = doc.resource_drift.find((d: any) => d.address === 'aws_iam_role_policy.worker');
      worker.change.after.policy = worker.change.after.policy.replace('sqs:SendMessage', 'sqs:*');
    });
    expect(live(plan(text), 'aws_iam_role_policy.worker')).toMatchObject({ status: 'MODIFIED', differences: [{ path: 'policy', kind: 'NOT_EQUAL' }] });
  });

  it.each([
    ['null against ""', null, ''],
    ['[] against null', [], null],
    ['{} against a missing key', {}, undefined],
    ['30 against "30"', 30, '30'],
  ])('treats %s as equal', (_name, before, after) => {
    const text = edited((doc) => {
      const dlq = doc.resource_changes.find((c: any) => c.address === 'module.queues.aws_sqs_queue.dlq');
      doc.resource_drift.push({ ...dlq, change: { ...dlq.change, actions: ['update'], before: { ...dlq.change.before, kms_master_key_id: before }, after: { ...dlq.change.after, kms_master_key_id: after } } });
    });
    expect(live(plan(text), 'module.queues.aws_sqs_queue.dlq')).toMatchObject({ status: 'IN_SYNC', differences: [], normalizedAway: 1 });
  });

  it('drops a tags_all that is unknown until apply because tags change, but keeps one changed by default_tags alone', () => {
    const text = edited((doc) => {
      const dlq = doc.resource_changes.find((c: any) => c.address === 'module.queues.aws_sqs_queue.dlq');
      dlq.change.actions = ['update'];
      dlq.change.after = { ...dlq.change.after, tags: { env: 'staging' } };
      delete dlq.change.after.tags_all;
      dlq.change.after_unknown = { tags_all: true };
      const jobs = doc.resource_changes.find((c: any) => c.address === 'module.queues.aws_sqs_queue.jobs');
      jobs.change.after.tags_all = { env: 'prod', team: 'payments' };
    });
    const p = plan(text);
    expect(change(p, 'module.queues.aws_sqs_queue.dlq').changes).toEqual([{ path: 'tags.env', before: 'prod', after: 'staging' }]);
    expect(change(p, 'module.queues.aws_sqs_queue.jobs').changes).toContainEqual({ path: 'tags_all.team', before: 'platform', after: 'payments' });
  });
});

describe('what the plan does', () => {
  it.each([
    [['delete', 'create'], 'replace', 'delete-first'],
    [['create', 'delete'], 'replace', 'create-first'],
  ])('reads %j as a %s (%s) with the paths that force it', (actions, action, order) => {
    const text = edited((doc) => {
      const jobs = doc.resource_changes.find((c: any) => c.address === 'module.queues.aws_sqs_queue.jobs');
      jobs.change.actions = actions;
      jobs.change.after.name = 'jobs-v2';
      jobs.change.replace_paths = [['name']];
      jobs.action_reason = 'replace_because_cannot_update';
    });
    const jobs = change(plan(text), 'module.queues.aws_sqs_queue.jobs');
    expect(jobs).toMatchObject({ action, replaceOrder: order, replacePaths: ['name'], actionReason: 'replace_because_cannot_update' });
    expect(jobs.changes).toContainEqual({ path: 'name', before: 'jobs', after: 'jobs-v2' });
  });

  it('keeps the instance key and the previous address of a moved resource', () => {
    const text = edited((doc) => {
      const dlq = doc.resource_changes.find((c: any) => c.address === 'module.queues.aws_sqs_queue.dlq');
      dlq.address = 'module.queues.aws_sqs_queue.dlq["eu"]';
      dlq.index = 'eu';
      dlq.previous_address = 'module.queues.aws_sqs_queue.dlq';
    });
    expect(change(plan(text), 'module.queues.aws_sqs_queue.dlq["eu"]')).toMatchObject({ index: 'eu', previousAddress: 'module.queues.aws_sqs_queue.dlq', action: 'no-op' });
  });

  it('reads a plan with no drift and no changes (both lists omitted)', () => {
    const p = plan(edited((doc) => {
      delete doc.resource_drift;
      delete doc.resource_changes;
    }));
    expect(p.live).toEqual([]);
    expect(p.changes).toEqual([]);
  });
});

describe('plans that cannot be used', () => {
  it('refuses format_version 2.0, naming the version found', () => {
    const result = parsePlanJson(edited((doc) => (doc.format_version = '2.0')), 'tfplan-network/plan.json');
    expect(result).toEqual({
      ok: false,
      error: {
        file: 'tfplan-network/plan.json',
        path: 'format_version',
        message: expect.stringContaining('format_version "2.0" is not supported'),
      },
    });
  });

  it('locates the end of a truncated plan', () => {
    const compact = JSON.stringify(JSON.parse(TEXT));
    const cut = compact.slice(0, 20_000);
    const result = parsePlanJson(cut, 'tfplan-network/plan.json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ file: 'tfplan-network/plan.json', line: 1 });
    expect(result.error.column).toBe(20_000);
    expect(result.error.message).toMatch(/not valid JSON: it ends early .*cut short/);
  });

  it('locates a plan cut short between two values', () => {
    const compact = JSON.stringify(JSON.parse(TEXT));
    const cut = compact.slice(0, compact.indexOf('"resource_changes"') - 1);
    expect(parsePlanJson(cut, 'plan.json')).toMatchObject({ ok: false, error: { line: 1, column: cut.length, message: expect.stringMatching(/ends early .*cut short/) } });
  });

  it('refuses a plan with more objects and arrays than the bound, at the one that passes it', () => {
    const compact = JSON.stringify(JSON.parse(TEXT));
    const containers = [...compact].filter((c) => c === '{' || c === '[').length - stringBrackets(compact);
    expect(parsePlanJson(compact, 'plan.json', containers).ok).toBe(true);
    const result = parsePlanJson(compact, 'plan.json', containers - 1);
    expect(result).toMatchObject({
      ok: false,
      error: {
        file: 'plan.json',
        line: 1,
        column: Math.max(compact.lastIndexOf('{'), compact.lastIndexOf('[')) + 1,
        message: `the plan holds more than ${(containers - 1).toLocaleString('en-US')} objects and arrays; realitycheck reads plans of up to ${(containers - 1).toLocaleString('en-US')} (a plan of 10,000 resource changes holds about 420,000)`,
      },
    });
  });

  it('does not count braces inside strings, escaped quotes included', () => {
    const compact = edited((doc) => (doc.resource_changes[0].change.after.description = 'say \\"{[ then [{"\\'));
    const plain = JSON.stringify(JSON.parse(TEXT));
    const containers = [...plain].filter((c) => c === '{' || c === '[').length - stringBrackets(plain);
    expect(compact).toContain('say \\\\\\"{[ then [{\\"\\\\');
    expect(parsePlanJson(compact, 'plan.json', containers).ok).toBe(true);
  });

  it('says an empty file is empty', () => {
    expect(parsePlanJson('\n', 'plan.json')).toMatchObject({ ok: false, error: { message: 'the file is empty' } });
  });

  it('gives the line of a syntax error in a pretty-printed plan', () => {
    const lines = TEXT.split('\n');
    lines[41] = lines[41]!.replace(/,$/, '');
    const result = parsePlanJson(lines.join('\n'), 'plan.json');
    expect(result).toMatchObject({ ok: false, error: { line: 43, message: expect.stringContaining("expected ',' or") } });
  });

  it.each([
    ['a state instead of a plan', JSON.stringify({ format_version: '1.0', terraform_version: '1.9.8', values: { root_module: {} } }), '', /this is a state/],
    ['no format_version', JSON.stringify({ resource_changes: [] }), 'format_version', /no format_version/],
    ['an errored plan', edited((doc) => (doc.errored = true)), 'errored', /errored part-way/],
    ['a change without actions', edited((doc) => delete doc.resource_changes[2].change.actions), 'resource_changes[2].change.actions', /list of actions/],
    ['an unknown action', edited((doc) => (doc.resource_drift[0].change.actions = ['explode'])), 'resource_drift[0].change.actions', /unknown action "explode"/],
    ['resource_changes not a list', edited((doc) => (doc.resource_changes = {})), 'resource_changes', /expected a list/],
  ])('refuses %s with a located error', (_name, text, path, message) => {
    const result = parsePlanJson(text, 'plan.json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.path ?? '').toBe(path);
    expect(result.error.message).toMatch(message);
  });
});
