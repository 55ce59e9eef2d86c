// The drift-aware change set through the real SDK: CloudFormation answered by a stateful fake
// in its Query-protocol XML (fake-change-sets.ts). What a user relies on: it is never executed,
// always deleted (aborted runs included), never sends a parameter value, and says plainly why
// it was not made.
import { describe, expect, it } from 'vitest';
import type { CloudFormationTarget } from '../../src/config-types.js';
import { CloudFormationOptInReader } from '../../src/live/cloudformation-opt-in.js';
import { useAwsTestEnvironment } from '../helpers/aws-test-env.js';
import { cfn, cfnOk, REGION, STACK_NAME, stackXml, XML } from './fake-aws.js';
import { FakeChangeSets } from './fake-change-sets.js';

useAwsTestEnvironment(REGION);

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const target: CloudFormationTarget = { kind: 'cloudformation', name: 'orders', stack: STACK_NAME, template: 'infra/orders.yaml', changeSet: true };
const HEAD = `Parameters:
  DbPassword: { Type: String, NoEcho: true }
  Env: { Type: String }
Resources:
  OrdersQueue:
    Type: AWS::SQS::Queue
    Properties: { MessageRetentionPeriod: 1209600 }
`;
const request = {
  pullNumber: 12,
  headSha: 'abcdef1234567890abcdef1234567890abcdef12',
  templateBody: HEAD,
  templateParameters: { DbPassword: { Type: 'String', NoEcho: true }, Env: { Type: 'String' } },
  transform: false,
};
const NAME = 'realitycheck-12-abcdef1';

function stack() {
  cfn('DescribeStacks').reply(200, cfnOk('DescribeStacks', stackXml({ parameters: { DbPassword: '****', Env: 'staging-42' } })), XML);
}

function reader(sleep: (ms: number, signal?: AbortSignal) => Promise<void> = async () => {}) {
  return new CloudFormationOptInReader({ aws: { maxAttempts: 1 }, now: () => NOW, sleep });
}

describe('a drift-aware change set of the head template', () => {
  it('is created in REVERT_DRIFT mode with every stack parameter as UsePreviousValue, read, deleted, and never executed', async () => {
    stack();
    const fake = new FakeChangeSets();
    fake.changes = [
      {
        logicalId: 'OrdersQueue',
        physicalId: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-prod',
        type: 'AWS::SQS::Queue',
        driftStatus: 'MODIFIED',
        details: [
          { property: 'VisibilityTimeout', before: '120', after: '30', beforeFrom: 'ACTUAL_STATE', drift: { previous: '30', actual: '120' } },
          { property: 'MessageRetentionPeriod', before: '345600', after: '1209600', beforeFrom: 'ACTUAL_STATE' },
          { property: 'DelaySeconds', before: '5', after: '5', beforeFrom: 'ACTUAL_STATE', drift: { previous: '0', actual: '5' }, changeType: 'SyncWithActual' },
        ],
      },
    ];
    const read = await reader().readChangeSet(target, request);

    expect(read).toMatchObject({ name: NAME, status: 'complete', unreadable: [], driftStatus: { OrdersQueue: 'MODIFIED' } });
    // what it would write over a live change; not the PR's own edit, not what the template already matches
    expect(read.overwrites).toEqual([
      { logicalId: 'OrdersQueue', type: 'AWS::SQS::Queue', physicalId: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-prod', path: 'VisibilityTimeout', live: 120, previous: 30, after: 30, changeType: 'Modify' },
    ]);
    expect(fake.log).toEqual([`ListChangeSets`, `CreateChangeSet ${NAME}`, `DescribeChangeSet ${NAME}`, `DescribeChangeSet ${NAME}`, `DescribeChangeSet ${NAME}`, `DeleteChangeSet ${NAME}`]);
    expect(fake.sets.size).toBe(0);
  });

  it('sends no parameter value at all, NoEcho or not', async () => {
    stack();
    const fake = new FakeChangeSets();
    let sent: URLSearchParams | undefined;
    const original = fake.sets.set.bind(fake.sets);
    fake.sets.set = (key, value) => ((sent = value.params), original(key, value));
    await reader().readChangeSet(target, request);
    expect(sent!.get('DeploymentMode')).toBe('REVERT_DRIFT');
    expect(sent!.get('ChangeSetType')).toBe('UPDATE');
    const parameters = [...sent!.entries()].filter(([k]) => k.startsWith('Parameters.'));
    expect(parameters).toEqual([
      ['Parameters.member.1.ParameterKey', 'DbPassword'],
      ['Parameters.member.1.UsePreviousValue', 'true'],
      ['Parameters.member.2.ParameterKey', 'Env'],
      ['Parameters.member.2.UsePreviousValue', 'true'],
    ]);
    expect(sent!.toString()).not.toContain('staging-42');
    expect(sent!.toString()).not.toContain('****');
  });

  it('says "no changes" when CloudFormation finds nothing to change, and still deletes it', async () => {
    stack();
    const fake = new FakeChangeSets();
    fake.failWith = "The submitted information didn't contain changes. Submit different information to create a change set.";
    const read = await reader().readChangeSet(target, request);
    expect(read).toMatchObject({ status: 'no-changes', overwrites: [], unreadable: [] });
    expect(fake.sets.size).toBe(0);
  });

  it('deletes change sets of ours that earlier runs left behind, and leaves everyone else’s alone', async () => {
    stack();
    const old = new Date(NOW - 60 * 60_000);
    const fake = new FakeChangeSets([
      { name: 'realitycheck-9-1234567', createdAt: old },
      { name: NAME, createdAt: new Date(NOW - 60_000) },
      { name: 'realitycheck-10-7654321', createdAt: new Date(NOW - 60_000) },
      { name: 'release-2026-12-01', createdAt: old },
    ]);
    await reader().readChangeSet(target, request);
    expect([...fake.sets.keys()].sort()).toEqual(['realitycheck-10-7654321', 'release-2026-12-01']);
  });

  it('still deletes it when the run is aborted while it is being created', async () => {
    stack();
    const fake = new FakeChangeSets();
    fake.pendingPolls = 100;
    const controller = new AbortController();
    const sleep = async () => controller.abort(new Error('superseded by a newer push'));
    await expect(reader(sleep).readChangeSet(target, request, controller.signal)).rejects.toThrow('superseded by a newer push');
    expect(fake.log.at(-1)).toBe(`DeleteChangeSet ${NAME}`);
    expect(fake.sets.size).toBe(0);
  });

  it('gives up on a change set that is never created, says so, and deletes it', async () => {
    stack();
    const fake = new FakeChangeSets();
    fake.pendingPolls = 1_000;
    let now = NOW;
    const slow = new CloudFormationOptInReader({ aws: { maxAttempts: 1 }, now: () => now, sleep: async (ms) => void (now += ms) });
    const read = await slow.readChangeSet(target, request);
    expect(read.status).toBe('not-checked');
    expect(read.unreadable[0]).toMatchObject({ api: 'cloudformation:DescribeChangeSet', code: 'Timeout' });
    expect(read.unreadable[0]!.message).toContain('still CREATE_IN_PROGRESS after 120 s');
    expect(fake.sets.size).toBe(0);
  });

  it('is not made, and says why, when the head adds a parameter without a default', async () => {
    stack();
    const read = await reader().readChangeSet(target, { ...request, templateParameters: { ...request.templateParameters, Replicas: { Type: 'Number' } } });
    expect(read.status).toBe('not-checked');
    expect(read.unreadable[0]).toMatchObject({ api: 'cloudformation:CreateChangeSet', code: 'UnknownParameterValue' });
    expect(read.unreadable[0]!.message).toContain('Replicas');
  });

  it('is not made for a template over 51,200 bytes (it would have to go through S3), and says so', async () => {
    stack();
    const big = `${HEAD}# ${'x'.repeat(51_200)}\n`;
    const read = await reader().readChangeSet(target, { ...request, templateBody: big });
    expect(read.unreadable[0]).toMatchObject({ api: 'cloudformation:CreateChangeSet', code: 'TemplateTooLarge' });
    expect(read.unreadable[0]!.message).toContain('51200 bytes inline');
  });

  it('names the call and the reason when CreateChangeSet is denied', async () => {
    stack();
    cfn('ListChangeSets').reply(200, cfnOk('ListChangeSets', '<Summaries/>'), XML);
    cfn('CreateChangeSet').reply(
      403,
      `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:sts::123456789012:assumed-role/realitycheck-read/realitycheck is not authorized to perform: cloudformation:CreateChangeSet</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
      XML,
    );
    cfn('DeleteChangeSet').reply(404, `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ChangeSetNotFound</Code><Message>ChangeSet [${NAME}] does not exist</Message></Error><RequestId>2</RequestId></ErrorResponse>`, XML);
    const read = await reader().readChangeSet(target, request);
    expect(read.status).toBe('not-checked');
    expect(read.unreadable).toEqual([expect.objectContaining({ api: 'cloudformation:CreateChangeSet', code: 'AccessDenied' })]);
  });
});
