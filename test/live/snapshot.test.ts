import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromDescribeStackResourceDrifts } from '../../src/live/snapshot-from-aws-cli.js';
import { parseSnapshot, SnapshotProvider, snapshotToLiveState, type Snapshot, type SnapshotTarget } from '../../src/live/snapshot.js';
import type { LiveResource, LiveState } from '../../src/types.js';

const FILE = 'infra/live/orders-prod.json';
const TEXT = readFileSync(new URL('../fixtures/snapshots/orders-prod.json', import.meta.url), 'utf8');
const READ_AT = Date.parse('2026-11-27T12:00:00Z');
const HOUR = 3_600_000;
const target: SnapshotTarget = { kind: 'cloudformation', name: 'orders', stack: 'orders-prod', template: 'infra/orders.yaml', snapshot: FILE };

function parsed(text = TEXT): Snapshot {
  const result = parseSnapshot(FILE, text);
  if (!result.ok) throw new Error(result.error.message);
  return result.snapshot;
}

function resource(state: LiveState, logicalId: string): LiveResource | undefined {
  return state.drift?.resources.find((r) => r.logicalId === logicalId);
}

/** 1-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture has no ${needle}`);
  return text.slice(0, index).split('\n').length;
}

function provider(files: Record<string, string>, now = READ_AT + HOUR, maxAgeMs?: number): SnapshotProvider {
  return new SnapshotProvider({ readFile: async (path) => files[path], now: () => now, ...(maxAgeMs !== undefined ? { maxAgeMs } : {}) });
}

describe('snapshotToLiveState', () => {
  const state = snapshotToLiveState('orders', parsed());

  it('shows the queue whose VisibilityTimeout was hotfixed live from 30 to 120', () => {
    expect(resource(state, 'OrdersQueue')).toEqual({
      logicalId: 'OrdersQueue',
      physicalId: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-prod-OrdersQueue-1X2Y3Z',
      type: 'AWS::SQS::Queue',
      status: 'MODIFIED',
      differences: [{ path: 'VisibilityTimeout', expected: 30, actual: 120, kind: 'NOT_EQUAL' }],
      normalizedAway: 0,
      checkedAt: '2026-11-27T11:58:30.000Z',
    });
  });

  it('keeps a deleted resource deleted and an unchecked one unchecked, never in sync', () => {
    expect(resource(state, 'OrdersDlq')?.status).toBe('DELETED');
    expect(resource(state, 'OrdersMapping')?.status).toBe('NOT_CHECKED');
    expect(resource(state, 'WorkerRole')?.status).toBe('IN_SYNC');
  });

  it('says the state comes from a snapshot read at read_at, with no AWS call', () => {
    expect(state).toMatchObject({
      target: 'orders',
      source: 'snapshot',
      readAt: '2026-11-27T12:00:00.000Z',
      calls: 0,
      unreadable: [],
      stack: { name: 'orders-prod', status: 'UPDATE_COMPLETE', region: 'us-east-1', noEchoParameters: ['DbPassword'] },
      drift: { reused: true, checkedAt: '2026-11-27T12:00:00.000Z', status: 'DETECTION_COMPLETE' },
    });
    expect(state.drift?.resources).toHaveLength(5);
    expect(snapshotToLiveState('orders', parsed(), '2026-11-27T13:00:00.000Z').readAt).toBe('2026-11-27T13:00:00.000Z');
  });

  it('applies the drift normalization: reordered tags are in sync, not drift', () => {
    expect(resource(state, 'OrdersTable')).toMatchObject({ status: 'IN_SYNC', differences: [], normalizedAway: 2 });
  });

  it('applies the drift normalization to a difference that is only "30" against 30', () => {
    const text = TEXT.replace('"expected": 30, "actual": 120', '"expected": 30, "actual": "30"');
    expect(resource(snapshotToLiveState('orders', parsed(text)), 'OrdersQueue')).toMatchObject({ status: 'IN_SYNC', normalizedAway: 1 });
  });

  it('accepts properties given as JSON strings, as AWS prints them', () => {
    const text = TEXT.replace(
      /"expected_properties": \{[^}]*\}[^}]*\}\s*\]\s*\}/,
      `"expected_properties": ${JSON.stringify(JSON.stringify({ Tags: [{ Key: 'team', Value: 'orders' }, { Key: 'env', Value: 'prod' }] }))}`,
    );
    expect(text).not.toBe(TEXT);
    expect(resource(snapshotToLiveState('orders', parsed(text)), 'OrdersTable')?.status).toBe('IN_SYNC');
  });
});

describe('parseSnapshot: a malformed snapshot names the path and the line', () => {
  it.each([
    {
      name: 'a status that is not a drift status',
      edit: (t: string) => t.replace('"status": "NOT_CHECKED"', '"status": "DRIFTED"'),
      line: '"status": "DRIFTED"',
      message: 'resources[3].status: must be one of "IN_SYNC", "MODIFIED", "DELETED", "NOT_CHECKED" (found "DRIFTED")',
    },
    {
      name: 'a missing read_at',
      edit: (t: string) => t.replace('"read_at": "2026-11-27T12:00:00Z",\n', ''),
      line: '{',
      message: 'read_at: is required',
    },
    {
      name: 'a read_at without a time zone',
      edit: (t: string) => t.replace('"2026-11-27T12:00:00Z"', '"2026-11-27 12:00"'),
      line: '"read_at"',
      message: 'read_at: must be an ISO 8601 date-time with a time zone, such as 2026-11-27T12:00:00Z (found "2026-11-27 12:00")',
    },
    {
      name: 'an unknown key (a typo)',
      edit: (t: string) => t.replace('"physical_id": "orders-prod-WorkerRole-7G8H9I"', '"physicalId": "orders-prod-WorkerRole-7G8H9I"'),
      line: '"physicalId"',
      message:
        'resources[4].physicalId: unknown key; allowed here: logical_id, physical_id, type, status, checked_at, differences, expected_properties, actual_properties',
    },
    {
      name: 'a wrong type',
      edit: (t: string) => t.replace('"no_echo_parameters": ["DbPassword"]', '"no_echo_parameters": "DbPassword"'),
      line: '"no_echo_parameters"',
      message: 'stack.no_echo_parameters: must be a list (found "DbPassword")',
    },
    {
      name: 'a format version this code does not read',
      edit: (t: string) => t.replace('"format_version": "1"', '"format_version": "2"'),
      line: '"format_version"',
      message: 'format_version: "2" is not a format this version of realitycheck reads; use "1"',
    },
    {
      name: 'a NOT_EQUAL difference without its live value',
      edit: (t: string) => t.replace('"expected": 30, "actual": 120, ', '"expected": 30, '),
      line: '"path": "/VisibilityTimeout"',
      message: 'resources[0].differences[0].actual: is required for a NOT_EQUAL difference (what runs)',
    },
    {
      name: 'differences on a deleted resource',
      edit: (t: string) => t.replace('"status": "DELETED"', '"status": "DELETED", "differences": [{ "path": "A", "expected": 1, "actual": 2 }]'),
      line: '"status": "DELETED"',
      message: 'resources[2].differences: a resource with status DELETED has no differences; use status MODIFIED',
    },
    {
      name: 'a resource listed twice',
      edit: (t: string) => t.replace('"logical_id": "WorkerRole"', '"logical_id": "OrdersQueue"'),
      line: '"logical_id": "OrdersQueue",\n      "physical_id": "orders-prod-WorkerRole',
      message: 'resources[4].logical_id: "OrdersQueue" appears twice; each resource once',
    },
    {
      name: 'a JSON syntax error (missing comma)',
      edit: (t: string) => t.replace('"status": "UPDATE_COMPLETE",', '"status": "UPDATE_COMPLETE"'),
      line: '"region": "us-east-1"',
      message: "invalid JSON: expected ',' or '}', found '\"'",
    },
    {
      name: 'a key given twice',
      edit: (t: string) => t.replace('"type": "AWS::IAM::Role",', '"type": "AWS::IAM::Role", "type": "AWS::IAM::User",'),
      line: '"AWS::IAM::User"',
      message: 'invalid JSON: the key "type" appears twice; keys must be unique',
    },
  ])('$name', ({ edit, line, message }) => {
    const text = edit(TEXT);
    expect(text).not.toBe(TEXT);
    const result = parseSnapshot(FILE, text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.file).toBe(FILE);
    expect(result.error.message).toBe(message);
    expect(result.error.line).toBe(lineOf(text, line));
  });

  it('says how many other problems there are', () => {
    const text = TEXT.replace('"status": "NOT_CHECKED"', '"status": "DRIFTED"').replace('"status": "IN_SYNC"', '"status": "OK"');
    const result = parseSnapshot(FILE, text);
    expect(!result.ok && result.error.message).toMatch(/^resources\[3\]\.status: .* \(and 1 more problem\)$/);
  });

  it('rejects a document that is not an object', () => {
    const result = parseSnapshot(FILE, '[]');
    expect(result).toEqual({ ok: false, error: { file: FILE, line: 1, path: '(top level)', message: '(top level): must be an object (found a list)' } });
  });

  it('reads a file that starts with a byte order mark', () => {
    expect(parseSnapshot(FILE, `\uFEFF${TEXT}`).ok).toBe(true);
  });
});

describe('SnapshotProvider', () => {
  it('reads the snapshot through the injected reader and stamps this read’s time', async () => {
    const state = await provider({ [FILE]: TEXT }).read(target);
    expect(state.unreadable).toEqual([]);
    expect(state.readAt).toBe('2026-11-27T13:00:00.000Z');
    expect(state.drift).toMatchObject({ reused: true, checkedAt: '2026-11-27T12:00:00.000Z' });
    expect(resource(state, 'OrdersQueue')?.status).toBe('MODIFIED');
  });

  it('reports a missing snapshot file as unreadable, never as a clean state', async () => {
    const state = await provider({}).read(target);
    expect(state.drift).toBeUndefined();
    expect(state.unreadable).toEqual([
      {
        api: 'snapshot:read',
        code: 'NotFound',
        message: `${FILE} does not exist on the default branch; commit a snapshot there (see docs/snapshot-format.md)`,
        retryable: false,
      },
    ]);
  });

  it('reports a broken snapshot with its file and line', async () => {
    const broken = TEXT.replace('"status": "NOT_CHECKED"', '"status": "DRIFTED"');
    const state = await provider({ [FILE]: broken }).read(target);
    expect(state.drift).toBeUndefined();
    expect(state.unreadable).toHaveLength(1);
    expect(state.unreadable[0]).toMatchObject({ api: 'snapshot:read', code: 'InvalidSnapshot', retryable: false });
    expect(state.unreadable[0]?.message).toBe(`${FILE} line ${lineOf(broken, 'DRIFTED')}: resources[3].status: must be one of "IN_SYNC", "MODIFIED", "DELETED", "NOT_CHECKED" (found "DRIFTED")`);
  });

  it('reports a failing reader as a retryable read failure', async () => {
    const failing = new SnapshotProvider({
      readFile: async () => {
        throw new Error('GitHub answered 502');
      },
    });
    const state = await failing.read(target);
    expect(state.drift).toBeUndefined();
    expect(state.unreadable).toEqual([{ api: 'snapshot:read', code: 'ReadFailed', message: `could not read ${FILE}: GitHub answered 502`, retryable: true }]);
  });

  it('refuses a snapshot of another stack', async () => {
    const state = await provider({ [FILE]: TEXT }).read({ ...target, stack: 'payments-prod' });
    expect(state.drift).toBeUndefined();
    expect(state.unreadable[0]).toMatchObject({ code: 'InvalidSnapshot', message: `${FILE} is a snapshot of stack "orders-prod", not of "payments-prod"` });
  });

  it('matches a target that names the stack by ARN', async () => {
    const arn = 'arn:aws:cloudformation:us-east-1:123456789012:stack/orders-prod/ffffffff-0000-0000-0000-000000000000';
    const state = await provider({ [FILE]: TEXT }).read({ ...target, stack: arn });
    expect(state.unreadable).toEqual([]);
  });

  it('uses a stale snapshot but says how old it is', async () => {
    const state = await provider({ [FILE]: TEXT }, READ_AT + 9 * 24 * HOUR).read(target);
    expect(resource(state, 'OrdersQueue')?.status).toBe('MODIFIED');
    expect(state.unreadable).toEqual([
      {
        api: 'snapshot:read',
        code: 'Stale',
        message: `${FILE} was read 9 days ago (2026-11-27T12:00:00.000Z), more than the 7 days allowed; what runs may have changed since. Produce a new snapshot`,
        retryable: false,
      },
    ]);
  });

  it('takes the age limit from the target before the provider default', async () => {
    const files = { [FILE]: TEXT };
    expect((await provider(files, READ_AT + 2 * HOUR, HOUR).read(target)).unreadable[0]?.code).toBe('Stale');
    expect((await provider(files, READ_AT + 2 * HOUR, HOUR).read({ ...target, snapshotMaxAgeMs: 3 * HOUR })).unreadable).toEqual([]);
  });

  it('flags a read_at in the future', async () => {
    const state = await provider({ [FILE]: TEXT }, READ_AT - 2 * HOUR).read(target);
    expect(state.unreadable[0]).toMatchObject({ code: 'ClockSkew', message: expect.stringContaining('2 hours in the future') });
  });
});

describe('fromDescribeStackResourceDrifts', () => {
  const stacks = {
    Stacks: [
      {
        StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/orders-prod/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d',
        StackName: 'orders-prod',
        StackStatus: 'UPDATE_COMPLETE',
        Parameters: [
          { ParameterKey: 'Env', ParameterValue: 'prod' },
          { ParameterKey: 'DbPassword', ParameterValue: '****' },
        ],
        DriftInformation: { StackDriftStatus: 'DRIFTED', LastCheckTimestamp: '2026-11-27T11:58:31.512000+00:00' },
      },
    ],
  };
  const drifts = {
    StackResourceDrifts: [
      {
        StackId: stacks.Stacks[0]!.StackId,
        LogicalResourceId: 'OrdersQueue',
        PhysicalResourceId: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-prod-OrdersQueue-1X2Y3Z',
        ResourceType: 'AWS::SQS::Queue',
        ExpectedProperties: '{"VisibilityTimeout":30,"Tags":[{"Key":"team","Value":"orders"},{"Key":"env","Value":"prod"}]}',
        ActualProperties: '{"VisibilityTimeout":120,"Tags":[{"Key":"env","Value":"prod"},{"Key":"team","Value":"orders"}]}',
        PropertyDifferences: [
          { PropertyPath: '/VisibilityTimeout', ExpectedValue: '30', ActualValue: '120', DifferenceType: 'NOT_EQUAL' },
          { PropertyPath: '/Tags/0/Key', ExpectedValue: 'team', ActualValue: 'env', DifferenceType: 'NOT_EQUAL' },
          { PropertyPath: '/Tags/1/Key', ExpectedValue: 'env', ActualValue: 'team', DifferenceType: 'NOT_EQUAL' },
          { PropertyPath: '/RedrivePolicy', ActualValue: '{"maxReceiveCount":5}', DifferenceType: 'ADD' },
        ],
        StackResourceDriftStatus: 'MODIFIED',
        Timestamp: '2026-11-27T11:58:30.123000+00:00',
      },
      {
        StackId: stacks.Stacks[0]!.StackId,
        LogicalResourceId: 'OrdersDlq',
        PhysicalResourceId: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-prod-OrdersDlq-4D5E6F',
        ResourceType: 'AWS::SQS::Queue',
        StackResourceDriftStatus: 'DELETED',
        Timestamp: '2026-11-27T11:58:29.000000+00:00',
      },
      {
        StackId: stacks.Stacks[0]!.StackId,
        LogicalResourceId: 'OrdersMapping',
        ResourceType: 'AWS::Lambda::EventSourceMapping',
        StackResourceDriftStatus: 'UNKNOWN',
        Timestamp: '2026-11-27T11:58:29.000000+00:00',
      },
    ],
  };

  it('turns AWS CLI output into a valid snapshot with the same drift the SDK provider would show', () => {
    const document = fromDescribeStackResourceDrifts(drifts, stacks);
    const result = parseSnapshot('drifts.json', JSON.stringify(document, null, 2));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.snapshot.read_at).toBe('2026-11-27T11:58:30.123Z');
    expect(result.snapshot.stack).toEqual({
      name: 'orders-prod',
      id: stacks.Stacks[0]!.StackId,
      status: 'UPDATE_COMPLETE',
      region: 'us-east-1',
      no_echo_parameters: ['DbPassword'],
    });
    const state = snapshotToLiveState('orders', result.snapshot);
    expect(resource(state, 'OrdersQueue')).toMatchObject({
      status: 'MODIFIED',
      differences: [
        { path: 'VisibilityTimeout', expected: 30, actual: 120, kind: 'NOT_EQUAL' },
        { path: 'RedrivePolicy', expected: undefined, actual: { maxReceiveCount: 5 }, kind: 'ADD' },
      ],
      normalizedAway: 2,
    });
    expect(resource(state, 'OrdersDlq')?.status).toBe('DELETED');
    expect(resource(state, 'OrdersMapping')?.status).toBe('NOT_CHECKED');
  });

  it('says what is wrong with input that is not the CLI’s output', () => {
    expect(() => fromDescribeStackResourceDrifts({ Drifts: [] }, stacks)).toThrow('not describe-stack-resource-drifts output: StackResourceDrifts:');
    expect(() => fromDescribeStackResourceDrifts(drifts, { Stacks: [] })).toThrow('not describe-stacks output: Stacks: describe-stacks returned no stack');
  });
});

describe('docs/snapshot-format.md', () => {
  it('shows a complete example that parses', () => {
    const doc = readFileSync(new URL('../../docs/snapshot-format.md', import.meta.url), 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const result = parseSnapshot('docs/snapshot-format.md', example!);
    expect(result.ok ? 'ok' : result.error.message).toBe('ok');
  });
});
