import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import nock from 'nock';
import { describe, expect, it, vi } from 'vitest';
import type { CloudFormationTarget } from '../../src/config.js';
import { CloudFormationProvider, type CloudFormationProviderOptions } from '../../src/live/cloudformation.js';
import {
  awsError,
  cfn,
  cfnOk,
  detectionStatusXml,
  driftsXml,
  REGION,
  resourcesXml,
  STACK_ID,
  STACK_NAME,
  stackXml,
  sts,
  stsOk,
  TEMPLATE_BODY,
  templateXml,
  XML,
  type DriftFixture,
  type ResourceFixture,
} from './fake-aws.js';
import { useAwsTestEnvironment } from '../helpers/aws-test-env.js';

const NOW = Date.parse('2026-11-27T12:00:00.000Z');
const FIFTEEN_MINUTES = 15 * 60_000;
/** Nesting far past what a recursive comparison survives on Node's default stack (~5,000 levels overflow it). */
const DEEP = 100_000;
const target: CloudFormationTarget = { kind: 'cloudformation', name: 'orders', stack: STACK_NAME, template: 'infra/orders.yaml' };

const queue: ResourceFixture = {
  logicalId: 'OrdersQueue',
  physicalId: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-prod-OrdersQueue-1X2Y3Z',
  type: 'AWS::SQS::Queue',
  drift: 'MODIFIED',
};
const waitHandle: ResourceFixture = {
  logicalId: 'DeployWaitHandle',
  physicalId: 'https://cloudformation-waitcondition-us-east-1.s3.amazonaws.com/arn%3Aaws%3Acloudformation',
  type: 'AWS::CloudFormation::WaitConditionHandle',
};

const hotfixedQueue: DriftFixture = {
  logicalId: 'OrdersQueue',
  physicalId: queue.physicalId,
  type: 'AWS::SQS::Queue',
  status: 'MODIFIED',
  expected: { VisibilityTimeout: 30, Tags: [{ Key: 'team', Value: 'orders' }, { Key: 'env', Value: 'prod' }] },
  actual: { VisibilityTimeout: 120, Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'orders' }] },
  differences: [
    { path: '/VisibilityTimeout', expected: '30', actual: '120' },
    { path: '/Tags/0/Key', expected: 'team', actual: 'env' },
    { path: '/Tags/0/Value', expected: 'orders', actual: 'prod' },
    { path: '/Tags/1/Key', expected: 'env', actual: 'team' },
    { path: '/Tags/1/Value', expected: 'prod', actual: 'orders' },
  ],
};

/** A clock whose sleeps return at once and move time forward; it remembers the waits. */
function fakeClock() {
  const clock = { now: NOW, sleeps: [] as number[] };
  return {
    clock,
    options: {
      now: () => clock.now,
      sleep: async (ms: number) => {
        clock.sleeps.push(ms);
        clock.now += ms;
      },
    } satisfies CloudFormationProviderOptions,
  };
}

function provider(extra: CloudFormationProviderOptions = {}) {
  const { clock, options } = fakeClock();
  return { clock, provider: new CloudFormationProvider({ ...options, ...extra }) };
}

/** DescribeStacks, GetTemplate and ListStackResources for a healthy stack. */
function stackBasics(stack = stackXml({ lastCheck: '2026-11-27T11:55:00.000Z', parameters: { Environment: 'prod', DbPassword: '****' } })) {
  cfn('DescribeStacks', (p) => p.get('StackName') === STACK_NAME).reply(200, cfnOk('DescribeStacks', stack), XML);
  cfn('GetTemplate', (p) => p.get('StackName') === STACK_ID && p.get('TemplateStage') === 'Original').reply(
    200,
    cfnOk('GetTemplate', templateXml()),
    XML,
  );
  cfn('ListStackResources').reply(200, cfnOk('ListStackResources', resourcesXml([queue, waitHandle])), XML);
}

const staleStack = () => stackXml({ lastCheck: '2026-11-27T09:00:00.000Z' });

/** Fake detections start at 12:00:07 (DescribeStackDriftDetectionStatus `Timestamp`); their records are written after. */
const CHECKED_BY_DETECTION = '2026-11-27T12:00:09.000Z';

function newDetection(id: string, statuses: string[], drifts: DriftFixture[] = [{ ...hotfixedQueue, timestamp: CHECKED_BY_DETECTION }]) {
  cfn('DetectStackDrift', (p) => p.get('StackName') === STACK_ID).reply(
    200,
    cfnOk('DetectStackDrift', `<StackDriftDetectionId>${id}</StackDriftDetectionId>`),
    XML,
  );
  for (const status of statuses) {
    cfn('DescribeStackDriftDetectionStatus', (p) => p.get('StackDriftDetectionId') === id).reply(
      200,
      cfnOk('DescribeStackDriftDetectionStatus', detectionStatusXml(id, status)),
      XML,
    );
  }
  cfn('DescribeStackResourceDrifts').reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml(drifts)), XML);
}

useAwsTestEnvironment(REGION);

describe('CloudFormationProvider', () => {
  it('reuses a drift detection newer than maxDriftAge instead of starting one', async () => {
    stackBasics();
    cfn('DescribeStackResourceDrifts', (p) => p.get('StackName') === STACK_ID).reply(
      200,
      cfnOk('DescribeStackResourceDrifts', driftsXml([hotfixedQueue])),
      XML,
    );
    const { provider: p } = provider();

    const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(state.unreadable).toEqual([]);
    expect(state).toMatchObject({ target: 'orders', source: 'cloudformation', readAt: '2026-11-27T12:00:00.000Z', calls: 4 });
    expect(state.stack).toEqual({
      name: STACK_NAME,
      id: STACK_ID,
      status: 'UPDATE_COMPLETE',
      region: REGION,
      noEchoParameters: ['DbPassword'],
    });
    expect(state.deployedTemplate).toBe(TEMPLATE_BODY);
    expect(state.drift).toMatchObject({ reused: true, checkedAt: '2026-11-27T11:55:00.000Z', status: 'DETECTION_COMPLETE' });
    expect(state.drift?.detectionId).toBeUndefined();
    expect(state.drift?.resources.map((r) => [r.logicalId, r.status])).toEqual([
      ['OrdersQueue', 'MODIFIED'],
      ['DeployWaitHandle', 'NOT_CHECKED'],
    ]);
  });

  it('starts a new detection when the last one is too old and polls it with growing waits', async () => {
    stackBasics(staleStack());
    newDetection('b1a3c5e7-0000-4000-8000-000000000001', ['DETECTION_IN_PROGRESS', 'DETECTION_IN_PROGRESS', 'DETECTION_COMPLETE']);
    const { provider: p, clock } = provider();

    const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(state.unreadable).toEqual([]);
    expect(clock.sleeps).toEqual([500, 1000, 2000]);
    expect(state.calls).toBe(3 + 1 + 3 + 1);
    expect(state.drift).toMatchObject({
      detectionId: 'b1a3c5e7-0000-4000-8000-000000000001',
      reused: false,
      checkedAt: '2026-11-27T12:00:07.000Z',
      status: 'DETECTION_COMPLETE',
    });
  });

  it('starts a new detection when the stack was deployed after the last one, however recent', async () => {
    stackBasics(stackXml({ lastCheck: '2026-11-27T11:55:00.000Z', lastUpdated: '2026-11-27T11:58:00.000Z', parameters: { DbPassword: '****' } }));
    newDetection('b1a3c5e7-0000-4000-8000-000000000003', ['DETECTION_COMPLETE']);
    const { provider: p } = provider();

    const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(state.drift).toMatchObject({ reused: false, detectionId: 'b1a3c5e7-0000-4000-8000-000000000003' });
  });

  it('starts a new detection on recheck even when the last one is fresh', async () => {
    stackBasics();
    newDetection('b1a3c5e7-0000-4000-8000-000000000002', ['DETECTION_COMPLETE']);
    const { provider: p } = provider();

    const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES, forceDetection: true });

    expect(state.drift).toMatchObject({ reused: false, detectionId: 'b1a3c5e7-0000-4000-8000-000000000002' });
  });

  it('reads every page of resources and drift records', async () => {
    const topic: ResourceFixture = { logicalId: 'OrdersTopic', physicalId: 'arn:aws:sns:us-east-1:123456789012:orders', type: 'AWS::SNS::Topic' };
    cfn('DescribeStacks').reply(200, cfnOk('DescribeStacks', stackXml({ lastCheck: '2026-11-27T11:58:00.000Z' })), XML);
    cfn('GetTemplate').reply(200, cfnOk('GetTemplate', templateXml()), XML);
    cfn('ListStackResources', (p) => !p.has('NextToken')).reply(200, cfnOk('ListStackResources', resourcesXml([queue], 'page-2')), XML);
    cfn('ListStackResources', (p) => p.get('NextToken') === 'page-2').reply(
      200,
      cfnOk('ListStackResources', resourcesXml([topic, waitHandle])),
      XML,
    );
    cfn('DescribeStackResourceDrifts', (p) => !p.has('NextToken') && p.get('MaxResults') === '100').reply(
      200,
      cfnOk('DescribeStackResourceDrifts', driftsXml([hotfixedQueue], 'drifts-2')),
      XML,
    );
    cfn('DescribeStackResourceDrifts', (p) => p.get('NextToken') === 'drifts-2').reply(
      200,
      cfnOk(
        'DescribeStackResourceDrifts',
        driftsXml([{ logicalId: 'OrdersTopic', physicalId: topic.physicalId, type: topic.type, status: 'IN_SYNC', expected: {}, actual: {} }]),
      ),
      XML,
    );
    const { provider: p } = provider();

    const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(state.unreadable).toEqual([]);
    expect(state.calls).toBe(6);
    expect(state.drift?.resources.map((r) => [r.logicalId, r.physicalId, r.status])).toEqual([
      ['OrdersQueue', queue.physicalId, 'MODIFIED'],
      ['OrdersTopic', topic.physicalId, 'IN_SYNC'],
      ['DeployWaitHandle', waitHandle.physicalId, 'NOT_CHECKED'],
    ]);
  });

  it('reports a queue whose VisibilityTimeout was hotfixed from 30 to 120, and not its reordered tags', async () => {
    stackBasics();
    cfn('DescribeStackResourceDrifts').reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml([hotfixedQueue])), XML);
    const { provider: p } = provider();

    const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(state.drift?.resources[0]).toEqual({
      logicalId: 'OrdersQueue',
      physicalId: queue.physicalId,
      type: 'AWS::SQS::Queue',
      status: 'MODIFIED',
      differences: [{ path: 'VisibilityTimeout', expected: 30, actual: 120, kind: 'NOT_EQUAL' }],
      normalizedAway: 4,
      checkedAt: '2026-11-27T11:55:00.000Z',
    });
  });

  it('treats a policy that differs only as JSON text versus object as in sync', async () => {
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }] };
    stackBasics();
    cfn('DescribeStackResourceDrifts').reply(
      200,
      cfnOk(
        'DescribeStackResourceDrifts',
        driftsXml([
          {
            logicalId: 'OrdersQueue',
            physicalId: queue.physicalId,
            type: 'AWS::SQS::Queue',
            status: 'MODIFIED',
            expected: { RedrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:123456789012:dlq', maxReceiveCount: 5 } },
            actual: { RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq","maxReceiveCount":"5"}' },
            differences: [{ path: '/RedrivePolicy', expected: JSON.stringify(policy), actual: JSON.stringify(JSON.stringify(policy)) }],
          },
        ]),
      ),
      XML,
    );
    const { provider: p } = provider();

    const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(state.drift?.resources[0]).toMatchObject({ status: 'IN_SYNC', differences: [], normalizedAway: 1 });
  });

  it('reports a resource deleted outside CloudFormation', async () => {
    stackBasics();
    cfn('DescribeStackResourceDrifts').reply(
      200,
      cfnOk(
        'DescribeStackResourceDrifts',
        driftsXml([{ logicalId: 'OrdersQueue', physicalId: queue.physicalId, type: 'AWS::SQS::Queue', status: 'DELETED', expected: { VisibilityTimeout: 30 } }]),
      ),
      XML,
    );
    const { provider: p } = provider();

    const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(state.drift?.resources[0]).toMatchObject({ logicalId: 'OrdersQueue', status: 'DELETED', differences: [], normalizedAway: 0 });
  });

  it('names cloudformation:DetectStackDrift and AccessDenied when the role may not detect drift, and keeps stack and template', async () => {
    stackBasics(staleStack());
    cfn('DetectStackDrift').reply(
      403,
      awsError(
        'AccessDenied',
        'User: arn:aws:sts::123456789012:assumed-role/realitycheck-read/realitycheck is not authorized to perform: cloudformation:DetectStackDrift on resource: ' +
          STACK_ID,
      ),
      XML,
    );
    const { provider: p } = provider();

    const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(state.drift).toBeUndefined();
    expect(state.stack?.status).toBe('UPDATE_COMPLETE');
    expect(state.deployedTemplate).toBe(TEMPLATE_BODY);
    expect(state.unreadable).toEqual([
      {
        api: 'cloudformation:DetectStackDrift',
        code: 'AccessDenied',
        message: expect.stringContaining('is not authorized to perform: cloudformation:DetectStackDrift'),
        retryable: false,
      },
    ]);
  });

  it('says clearly that the stack does not exist', async () => {
    cfn('DescribeStacks').reply(400, awsError('ValidationError', `Stack with id ${STACK_NAME} does not exist`), XML);
    const { provider: p } = provider();

    const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(state.stack).toBeUndefined();
    expect(state.drift).toBeUndefined();
    expect(state.calls).toBe(1);
    expect(state.unreadable).toEqual([
      {
        api: 'cloudformation:DescribeStacks',
        code: 'ValidationError',
        message: `stack "${STACK_NAME}" does not exist in us-east-1 (AWS: Stack with id ${STACK_NAME} does not exist)`,
        retryable: false,
      },
    ]);
  });

  it('reports Throttling as retryable once the SDK has used up its retries', async () => {
    cfn('DescribeStacks').times(3).reply(400, awsError('Throttling', 'Rate exceeded'), XML);
    const { provider: p } = provider({ aws: { retryStrategy: new ConfiguredRetryStrategy(3, 0) } });

    const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(state.unreadable).toEqual([
      { api: 'cloudformation:DescribeStacks', code: 'Throttling', message: expect.stringContaining('Rate exceeded'), retryable: true },
    ]);
  });

  it('gives up with Timeout when drift detection runs longer than the bound', async () => {
    const id = 'b1a3c5e7-0000-4000-8000-000000000003';
    stackBasics(staleStack());
    cfn('DetectStackDrift').reply(200, cfnOk('DetectStackDrift', `<StackDriftDetectionId>${id}</StackDriftDetectionId>`), XML);
    cfn('DescribeStackDriftDetectionStatus')
      .times(5)
      .reply(200, () => cfnOk('DescribeStackDriftDetectionStatus', detectionStatusXml(id, 'DETECTION_IN_PROGRESS')), XML);
    const { provider: p, clock } = provider({ polling: { timeoutMs: 10_000 } });

    const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(clock.sleeps).toEqual([500, 1000, 2000, 4000, 2500]);
    expect(state.drift).toBeUndefined();
    expect(state.deployedTemplate).toBe(TEMPLATE_BODY);
    expect(state.unreadable).toEqual([
      { api: 'cloudformation:DetectStackDrift', code: 'Timeout', message: expect.stringContaining('still in progress after 10 s'), retryable: true },
    ]);
  });

  it('keeps the results of a failed detection and says why it failed', async () => {
    const id = 'b1a3c5e7-0000-4000-8000-000000000004';
    const reason = 'Failed to detect drift on resource [OrdersTopic]: not authorized to perform sns:GetTopicAttributes';
    stackBasics(staleStack());
    cfn('DetectStackDrift').reply(200, cfnOk('DetectStackDrift', `<StackDriftDetectionId>${id}</StackDriftDetectionId>`), XML);
    cfn('DescribeStackDriftDetectionStatus').reply(200, cfnOk('DescribeStackDriftDetectionStatus', detectionStatusXml(id, 'DETECTION_FAILED', reason)), XML);
    cfn('DescribeStackResourceDrifts').reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml([{ ...hotfixedQueue, timestamp: CHECKED_BY_DETECTION }])), XML);
    const { provider: p } = provider();

    const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(state.drift).toMatchObject({ status: 'DETECTION_FAILED', statusReason: reason });
    expect(state.drift?.resources[0]?.status).toBe('MODIFIED');
    expect(state.unreadable).toEqual([
      { api: 'cloudformation:DetectStackDrift', code: 'DetectionFailed', message: expect.stringContaining(reason), retryable: false },
    ]);
  });

  it('shares one drift detection between two concurrent reads of the same stack', async () => {
    const id = 'b1a3c5e7-0000-4000-8000-000000000005';
    stackBasics(staleStack());
    stackBasics(staleStack());
    newDetection(id, ['DETECTION_COMPLETE']);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { provider: p } = provider({ sleep: () => gate });

    const reads = [p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES }), p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES })];
    // both reads have joined the detection once only its status and records are still to be asked for
    await vi.waitFor(() => expect(nock.pendingMocks().filter((m) => m.includes('cloudformation')).length).toBe(2));
    release();
    const [a, b] = await Promise.all(reads);

    expect(a?.unreadable).toEqual([]);
    expect(b?.unreadable).toEqual([]);
    expect(a?.drift?.detectionId).toBe(id);
    expect(b?.drift?.detectionId).toBe(id);
    expect(b?.drift?.resources).toEqual(a?.drift?.resources);
    expect((a?.calls ?? 0) + (b?.calls ?? 0)).toBe(3 + 3 + 3);
  });

  it('assumes the target role through STS once and signs CloudFormation calls with it', async () => {
    const roleArn = 'arn:aws:iam::123456789012:role/realitycheck-read';
    sts('AssumeRole', (p) => p.get('RoleArn') === roleArn && p.get('RoleSessionName') === 'realitycheck').reply(
      200,
      stsOk(
        'AssumeRole',
        `<Credentials>
          <AccessKeyId>ASIAQEXAMPLEROLEKEY1</AccessKeyId>
          <SecretAccessKey>roleSecretExample/abcdefghijklmnopqrstu</SecretAccessKey>
          <SessionToken>FwoGZXIvYXdzEXAMPLESESSIONTOKEN</SessionToken>
          <Expiration>2026-11-27T13:00:00Z</Expiration>
        </Credentials>
        <AssumedRoleUser>
          <AssumedRoleId>AROAEXAMPLEID:realitycheck</AssumedRoleId>
          <Arn>arn:aws:sts::123456789012:assumed-role/realitycheck-read/realitycheck</Arn>
        </AssumedRoleUser>`,
      ),
      XML,
    );
    const signedByRole = (value: string | string[] | undefined) => String(value).includes('Credential=ASIAQEXAMPLEROLEKEY1/');
    for (let i = 0; i < 2; i++) {
      cfn('DescribeStacks')
        .matchHeader('authorization', signedByRole)
        .matchHeader('x-amz-security-token', 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN')
        .reply(400, awsError('ValidationError', `Stack with id ${STACK_NAME} does not exist`), XML);
    }
    const { provider: p } = provider();
    const roleTarget = { ...target, roleArn };

    const first = await p.read(roleTarget, { maxDriftAgeMs: FIFTEEN_MINUTES });
    const second = await p.read(roleTarget, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(first.calls).toBe(2);
    expect(second.calls).toBe(1);
    expect(second.unreadable.map((u) => u.code)).toEqual(['ValidationError']);
  });

  it('names sts:AssumeRole when the role cannot be assumed', async () => {
    sts('AssumeRole').reply(
      403,
      awsError('AccessDenied', 'User: arn:aws:iam::123456789012:user/app is not authorized to perform: sts:AssumeRole'),
      XML,
    );
    const { provider: p } = provider();

    const state = await p.read({ ...target, roleArn: 'arn:aws:iam::123456789012:role/realitycheck-read' }, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(state.stack).toBeUndefined();
    expect(state.unreadable).toEqual([
      { api: 'sts:AssumeRole', code: 'AccessDenied', message: expect.stringContaining('sts:AssumeRole'), retryable: false },
    ]);
  });

  it('says that no AWS credentials were found instead of reporting a clean stack', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    const { provider: p } = provider();

    const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(state.drift).toBeUndefined();
    expect(state.unreadable).toEqual([
      { api: 'cloudformation:DescribeStacks', code: 'NoCredentials', message: expect.stringContaining('no AWS credentials found'), retryable: false },
    ]);
  });

  it('says that no AWS region is configured', async () => {
    vi.stubEnv('AWS_REGION', undefined);
    const { provider: p } = provider();

    const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(state.unreadable).toEqual([
      { api: 'cloudformation:DescribeStacks', code: 'NoRegion', message: expect.stringContaining('AWS_REGION'), retryable: false },
    ]);
  });

  it('uses the region of the target over AWS_REGION', async () => {
    cfn('DescribeStacks', () => true, 'https://cloudformation.eu-west-1.amazonaws.com').reply(
      400,
      awsError('ValidationError', `Stack with id ${STACK_NAME} does not exist`),
      XML,
    );
    const { provider: p } = provider();

    const state = await p.read({ ...target, region: 'eu-west-1' }, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(state.unreadable[0]?.message).toContain('does not exist in eu-west-1');
  });

  it('honours AWS_ENDPOINT_URL_CLOUDFORMATION', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_CLOUDFORMATION', 'http://localhost:4566');
    cfn('DescribeStacks', () => true, 'http://localhost:4566').reply(400, awsError('ValidationError', `Stack with id ${STACK_NAME} does not exist`), XML);
    const { provider: p } = provider();

    const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(state.unreadable.map((u) => u.code)).toEqual(['ValidationError']);
  });

  describe('only trusts drift records newer than the last deploy', () => {
    const freshCheck = stackXml({ lastCheck: '2026-11-27T11:59:00.000Z', lastUpdated: '2026-11-27T10:00:00.000Z', parameters: { DbPassword: '****' } });
    const earlierRecords = (drifts: DriftFixture[]) =>
      cfn('DescribeStackResourceDrifts').reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml(drifts)), XML);

    it('detects again when one resource check after the deploy makes the stack look freshly checked while the queue record predates the deploy', async () => {
      // LastCheckTimestamp 11:59 is a DetectStackResourceDrift on the topic; the queue was last checked at 09:00, before the 10:00 deploy.
      stackBasics(freshCheck);
      earlierRecords([
        { ...hotfixedQueue, status: 'IN_SYNC', differences: [], actual: hotfixedQueue.expected, timestamp: '2026-11-27T09:00:00.000Z' },
        { logicalId: 'OrdersTopic', physicalId: 'arn:aws:sns:us-east-1:123456789012:orders', type: 'AWS::SNS::Topic', status: 'IN_SYNC', expected: {}, actual: {}, timestamp: '2026-11-27T11:59:00.000Z' },
      ]);
      newDetection('b1a3c5e7-0000-4000-8000-000000000010', ['DETECTION_COMPLETE']);
      const { provider: p } = provider();

      const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

      expect(state.unreadable).toEqual([]);
      expect(state.drift).toMatchObject({ reused: false, detectionId: 'b1a3c5e7-0000-4000-8000-000000000010' });
      expect(state.drift?.resources.find((r) => r.logicalId === 'OrdersQueue')).toMatchObject({ status: 'MODIFIED' });
    });

    it('detects again when a record is older than its own resource\'s last update', async () => {
      cfn('DescribeStacks').reply(200, cfnOk('DescribeStacks', freshCheck), XML);
      cfn('GetTemplate').reply(200, cfnOk('GetTemplate', templateXml()), XML);
      const updatedQueue = resourcesXml([queue]).replace('2026-10-30T08:01:00.000Z', '2026-11-27T11:57:00.000Z');
      cfn('ListStackResources').reply(200, cfnOk('ListStackResources', updatedQueue), XML);
      earlierRecords([{ ...hotfixedQueue, timestamp: '2026-11-27T11:56:00.000Z' }]);
      newDetection('b1a3c5e7-0000-4000-8000-000000000011', ['DETECTION_COMPLETE']);
      const { provider: p } = provider();

      const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

      expect(state.drift).toMatchObject({ reused: false, detectionId: 'b1a3c5e7-0000-4000-8000-000000000011' });
    });

    it('detects again when a record is older than maxDriftAge although the stack was checked a minute ago', async () => {
      stackBasics(freshCheck);
      earlierRecords([{ ...hotfixedQueue, timestamp: '2026-11-27T11:30:00.000Z' }]);
      newDetection('b1a3c5e7-0000-4000-8000-000000000012', ['DETECTION_COMPLETE']);
      const { provider: p } = provider();

      const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

      expect(state.drift).toMatchObject({ reused: false });
    });

    it('reuses records that are all fresh, and dates the result by the oldest of them', async () => {
      stackBasics(freshCheck);
      earlierRecords([
        { ...hotfixedQueue, timestamp: '2026-11-27T11:50:00.000Z' },
        { logicalId: 'DeployWaitHandle', physicalId: waitHandle.physicalId, type: waitHandle.type, status: 'IN_SYNC', expected: {}, actual: {}, timestamp: '2026-11-27T11:59:00.000Z' },
      ]);
      const { provider: p } = provider();

      const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

      expect(state.drift).toMatchObject({ reused: true, checkedAt: '2026-11-27T11:50:00.000Z', status: 'DETECTION_COMPLETE' });
      expect(state.calls).toBe(4);
    });

    it('marks a resource not checked, with the reason, when the new detection left only an old record for it', async () => {
      const id = 'b1a3c5e7-0000-4000-8000-000000000013';
      stackBasics(staleStack());
      newDetection(id, ['DETECTION_FAILED'], [{ ...hotfixedQueue, status: 'IN_SYNC', differences: [], actual: hotfixedQueue.expected, timestamp: '2026-11-20T09:00:00.000Z' }]);
      const { provider: p } = provider();

      const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

      const orders = state.drift?.resources.find((r) => r.logicalId === 'OrdersQueue');
      expect(orders).toMatchObject({ status: 'NOT_CHECKED', notCheckedReason: expect.stringContaining('did not check it') });
      expect(state.unreadable.map((u) => u.code)).toEqual(['DetectionFailed']);
    });
  });

  it('reports a detection that ends in a status it does not know as unreadable, never complete', async () => {
    const id = 'b1a3c5e7-0000-4000-8000-000000000014';
    stackBasics(staleStack());
    cfn('DetectStackDrift').reply(200, cfnOk('DetectStackDrift', `<StackDriftDetectionId>${id}</StackDriftDetectionId>`), XML);
    cfn('DescribeStackDriftDetectionStatus').reply(200, cfnOk('DescribeStackDriftDetectionStatus', detectionStatusXml(id, 'DETECTION_PAUSED')), XML);
    cfn('DescribeStackResourceDrifts').reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml([{ ...hotfixedQueue, timestamp: CHECKED_BY_DETECTION }])), XML);
    const { provider: p } = provider();

    const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(state.drift?.status).not.toBe('DETECTION_COMPLETE');
    expect(state.unreadable).toEqual([
      { api: 'cloudformation:DescribeStackDriftDetectionStatus', code: 'InvalidResponse', message: expect.stringContaining('DETECTION_PAUSED'), retryable: true },
    ]);
  });

  it('reports the stack as unreadable, never as checked, when a drift record it was given cannot be mapped', async () => {
    // Well-formed XML the SDK reads, but the queue's RedrivePolicy nests deeper than the
    // comparison that drops formatting-only differences can follow: mapping the records
    // throws (RangeError) inside the read, which must still end in a LiveState saying so.
    const nested = (leaf: string) => `{"RedrivePolicy":${'['.repeat(DEEP)}${leaf}${']'.repeat(DEEP)}}`;
    stackBasics();
    cfn('DescribeStackResourceDrifts').reply(
      200,
      cfnOk('DescribeStackResourceDrifts', driftsXml([{
        ...hotfixedQueue,
        expectedText: nested('"arn:aws:sqs:us-east-1:123456789012:orders-dlq"'),
        actualText: nested('"arn:aws:sqs:us-east-1:123456789012:orders-dlq-2"'),
        differences: [{ path: '/RedrivePolicy', expected: 'deep', actual: 'deeper' }],
      }])),
      XML,
    );
    const { provider: p } = provider();

    const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(state.unreadable).toEqual([{ api: 'cloudformation', code: 'RangeError', message: expect.stringContaining('call stack'), retryable: true }]);
    expect(state.drift).toBeUndefined(); // no resource is reported in sync, or checked at all
    expect(state.stack?.name).toBe(STACK_NAME);
  });

  it('names cloudformation:ListStackResources when the resources cannot be listed', async () => {
    cfn('DescribeStacks').reply(200, cfnOk('DescribeStacks', staleStack()), XML);
    cfn('GetTemplate').reply(200, cfnOk('GetTemplate', templateXml()), XML);
    cfn('ListStackResources').reply(
      403,
      awsError('AccessDenied', 'User: arn:aws:sts::123456789012:assumed-role/realitycheck-read/realitycheck is not authorized to perform: cloudformation:ListStackResources'),
      XML,
    );
    newDetection('b1a3c5e7-0000-4000-8000-000000000015', ['DETECTION_COMPLETE']);
    const { provider: p } = provider();

    const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(state.unreadable).toEqual([
      { api: 'cloudformation:ListStackResources', code: 'AccessDenied', message: expect.stringContaining('not authorized'), retryable: false },
    ]);
    expect(state.drift?.resources.map((r) => [r.logicalId, r.status])).toEqual([['OrdersQueue', 'MODIFIED']]);
  });

  it('stops reading a list whose NextToken repeats, and says so instead of looping', async () => {
    cfn('DescribeStacks').reply(200, cfnOk('DescribeStacks', stackXml({ lastCheck: '2026-11-27T11:58:00.000Z' })), XML);
    cfn('GetTemplate').reply(200, cfnOk('GetTemplate', templateXml()), XML);
    cfn('ListStackResources', (p) => !p.has('NextToken')).reply(200, cfnOk('ListStackResources', resourcesXml([queue], 'again')), XML);
    cfn('ListStackResources', (p) => p.get('NextToken') === 'again').reply(200, cfnOk('ListStackResources', resourcesXml([waitHandle], 'again')), XML);
    cfn('DescribeStackResourceDrifts').reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml([hotfixedQueue])), XML);
    newDetection('b1a3c5e7-0000-4000-8000-000000000016', ['DETECTION_COMPLETE']);
    const { provider: p } = provider();

    const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(state.unreadable).toEqual([
      { api: 'cloudformation:ListStackResources', code: 'InvalidResponse', message: expect.stringContaining('same NextToken twice'), retryable: true },
    ]);
  });

  it('gives up on a call AWS does not answer, as a retryable Timeout naming the call', async () => {
    cfn('DescribeStacks').delay(2_000).reply(200, cfnOk('DescribeStacks', staleStack()), XML);
    const { provider: p } = provider({ callTimeoutMs: 50 });

    const state = await p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });

    expect(state.drift).toBeUndefined();
    expect(state.unreadable).toEqual([{ api: 'cloudformation:DescribeStacks', code: 'Timeout', message: expect.stringContaining('did not answer'), retryable: true }]);
    nock.abortPendingRequests();
  });

  it('stops polling and rejects with the run\'s reason when the run is aborted, without more AWS calls', async () => {
    const id = 'b1a3c5e7-0000-4000-8000-000000000017';
    stackBasics(staleStack());
    cfn('DetectStackDrift').reply(200, cfnOk('DetectStackDrift', `<StackDriftDetectionId>${id}</StackDriftDetectionId>`), XML);
    let statusCalls = 0;
    cfn('DescribeStackDriftDetectionStatus')
      .times(3)
      .reply(200, () => {
        statusCalls += 1;
        return cfnOk('DescribeStackDriftDetectionStatus', detectionStatusXml(id, 'DETECTION_IN_PROGRESS'));
      }, XML);
    const controller = new AbortController();
    const reason = new Error('superseded by a newer push');
    const { provider: p } = provider({
      sleep: async (_ms, signal) => {
        if (statusCalls === 1) controller.abort(reason);
        if (signal?.aborted) throw signal.reason;
      },
    });

    await expect(p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES, signal: controller.signal })).rejects.toBe(reason);
    expect(statusCalls).toBe(1);
    nock.cleanAll();
  });

  it('keeps a shared detection going for the read that was not aborted', async () => {
    const id = 'b1a3c5e7-0000-4000-8000-000000000018';
    stackBasics(staleStack());
    stackBasics(staleStack());
    newDetection(id, ['DETECTION_COMPLETE']);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { provider: p } = provider({ sleep: () => gate });
    const controller = new AbortController();

    const aborted = p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES, signal: controller.signal });
    const kept = p.read(target, { maxDriftAgeMs: FIFTEEN_MINUTES });
    await vi.waitFor(() => expect(nock.pendingMocks().filter((m) => m.includes('cloudformation')).length).toBe(2));
    controller.abort(new Error('superseded'));
    await expect(aborted).rejects.toThrow('superseded');
    release();
    const state = await kept;

    expect(state.unreadable).toEqual([]);
    expect(state.drift?.detectionId).toBe(id);
  });
});
