// Targeted detection over the real wire format: DetectStackResourceDrift answers one
// `StackResourceDrift` (Query protocol, XML as in the AWS API reference) while the
// stack-wide DetectStackDrift is still running.
import nock from 'nock';
import { describe, expect, it, vi } from 'vitest';
import type { CloudFormationTarget } from '../../src/config.js';
import { CloudFormationProvider, type CloudFormationProviderOptions } from '../../src/live/cloudformation.js';
import { useAwsTestEnvironment } from '../helpers/aws-test-env.js';
import {
  awsError,
  cfn,
  cfnOk,
  detectionStatusXml,
  driftsXml,
  REGION,
  resourceDriftXml,
  resourcesXml,
  STACK_ID,
  STACK_NAME,
  stackXml,
  templateXml,
  XML,
  type DriftFixture,
  type ResourceFixture,
} from './fake-aws.js';

const NOW = Date.parse('2026-11-27T12:00:00.000Z');
const FIFTEEN_MINUTES = 15 * 60_000;
const target: CloudFormationTarget = { kind: 'cloudformation', name: 'orders', stack: STACK_NAME, template: 'infra/orders.yaml' };
const DETECTION = 'b1a3c5e7-0000-4000-8000-0000000000a1';
/** Written by the call itself, a second after the run started. */
const JUST_NOW = '2026-11-27T12:00:01.000Z';
/** Written by the stack-wide detection, which starts at 12:00:07 (detectionStatusXml). */
const BY_DETECTION = '2026-11-27T12:00:30.000Z';

const queue: ResourceFixture = { logicalId: 'OrdersQueue', physicalId: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-prod', type: 'AWS::SQS::Queue' };
const table: ResourceFixture = { logicalId: 'OrdersTable', physicalId: 'orders', type: 'AWS::DynamoDB::Table' };
const topic: ResourceFixture = { logicalId: 'OrdersTopic', physicalId: 'arn:aws:sns:us-east-1:123456789012:orders-events', type: 'AWS::SNS::Topic' };
const waitHandle: ResourceFixture = { logicalId: 'DeployWaitHandle', physicalId: 'https://cloudformation-waitcondition-us-east-1.s3.amazonaws.com/x', type: 'AWS::CloudFormation::WaitConditionHandle' };

const hotfixed = (timestamp: string): DriftFixture => ({
  ...queue,
  status: 'MODIFIED',
  expected: { VisibilityTimeout: 30 },
  actual: { VisibilityTimeout: 120 },
  differences: [{ path: '/VisibilityTimeout', expected: '30', actual: '120' }],
  timestamp,
});
const inSync = (r: ResourceFixture, timestamp: string): DriftFixture => ({ ...r, status: 'IN_SYNC', timestamp });

function provider(extra: CloudFormationProviderOptions = {}) {
  return new CloudFormationProvider({ now: () => NOW, sleep: async () => {}, aws: { maxAttempts: 1 }, ...extra });
}

/** A stack whose last detection is hours old: a new one must run. */
function staleStack(resources: ResourceFixture[] = [queue, table, topic, waitHandle]) {
  cfn('DescribeStacks').reply(200, cfnOk('DescribeStacks', stackXml({ lastCheck: '2026-11-27T09:00:00.000Z' })), XML);
  cfn('GetTemplate').reply(200, cfnOk('GetTemplate', templateXml()), XML);
  cfn('ListStackResources').reply(200, cfnOk('ListStackResources', resourcesXml(resources)), XML);
}

/** DetectStackResourceDrift for one resource, answered with `drift`. */
function targeted(drift: DriftFixture) {
  return cfn('DetectStackResourceDrift', (p) => p.get('StackName') === STACK_ID && p.get('LogicalResourceId') === drift.logicalId).reply(
    200,
    cfnOk('DetectStackResourceDrift', resourceDriftXml(drift)),
    XML,
  );
}

/** The stack-wide detection: its status stays in progress until `release()`, then it completes with `records`. */
function stackWide(records: DriftFixture[], final: { status?: string; reason?: string } = {}) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  cfn('DetectStackDrift', (p) => p.get('StackName') === STACK_ID).reply(200, cfnOk('DetectStackDrift', `<StackDriftDetectionId>${DETECTION}</StackDriftDetectionId>`), XML);
  cfn('DescribeStackDriftDetectionStatus', (p) => p.get('StackDriftDetectionId') === DETECTION).reply((_uri, _body, callback) => {
    void gate.then(() => callback(null, [200, cfnOk('DescribeStackDriftDetectionStatus', detectionStatusXml(DETECTION, final.status ?? 'DETECTION_COMPLETE', final.reason)), XML]));
  });
  if (records.length > 0) cfn('DescribeStackResourceDrifts').reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml(records)), XML);
  return { release };
}

const statuses = (resources: Array<{ logicalId: string; status: string }> | undefined) => Object.fromEntries((resources ?? []).map((r) => [r.logicalId, r.status]));

useAwsTestEnvironment(REGION);

describe('targeted detection', () => {
  it('answers with the drift of the resources the pull request touches while the stack-wide detection still runs', async () => {
    staleStack();
    targeted(hotfixed(JUST_NOW));
    targeted(inSync(table, JUST_NOW));
    const whole = stackWide([hotfixed(BY_DETECTION), inSync(table, BY_DETECTION), { ...topic, status: 'DELETED', timestamp: BY_DETECTION }]);

    const staged = await provider().readStaged(target, { maxDriftAgeMs: FIFTEEN_MINUTES, touched: ['OrdersQueue', 'OrdersTable', 'OrdersParameter'] });

    expect(staged.first.unreadable).toEqual([]);
    expect(statuses(staged.first.drift?.resources)).toEqual({ OrdersQueue: 'MODIFIED', OrdersTable: 'IN_SYNC' });
    expect(staged.first.drift?.resources[0]!.differences).toEqual([{ path: 'VisibilityTimeout', expected: 30, actual: 120, kind: 'NOT_EQUAL' }]);
    expect(staged.first.drift?.resources[0]!.checkedAt).toBe(JUST_NOW);
    expect(staged.first.drift?.targeted).toEqual({ settled: ['OrdersQueue', 'OrdersTable'], unsettled: [], stackWide: 'running' });
    expect(staged.rest).toBeDefined();

    whole.release();
    const full = await staged.rest!;
    expect(full.unreadable).toEqual([]);
    expect(full.drift?.detectionId).toBe(DETECTION);
    expect(statuses(full.drift?.resources)).toEqual({ OrdersQueue: 'MODIFIED', OrdersTable: 'IN_SYNC', OrdersTopic: 'DELETED', DeployWaitHandle: 'NOT_CHECKED' });
    expect(full.drift?.targeted?.stackWide).toBe('finished');
    expect(full.calls).toBe(3 + 2 + 3);
  });

  it('keeps the record a verdict was given on when the stack-wide detection, seconds later, sees the resource otherwise', async () => {
    staleStack();
    targeted(hotfixed(JUST_NOW));
    // someone set the queue back in the console between the two reads
    const whole = stackWide([inSync(queue, BY_DETECTION), inSync(table, BY_DETECTION)]);

    const staged = await provider().readStaged(target, { maxDriftAgeMs: FIFTEEN_MINUTES, touched: ['OrdersQueue'] });
    whole.release();
    const full = await staged.rest!;

    const fullQueue = full.drift?.resources.find((r) => r.logicalId === 'OrdersQueue');
    expect(fullQueue).toMatchObject({ status: 'MODIFIED', checkedAt: JUST_NOW });
    expect(full.drift?.resources.find((r) => r.logicalId === 'OrdersTable')?.status).toBe('IN_SYNC');
  });

  it('reads at most 5 resources at once and every touched resource once', async () => {
    const queues = Array.from({ length: 12 }, (_, i): ResourceFixture => ({ logicalId: `Queue${i}`, physicalId: `https://sqs.us-east-1.amazonaws.com/123456789012/q${i}`, type: 'AWS::SQS::Queue' }));
    staleStack(queues);
    let inFlight = 0;
    let most = 0;
    const asked: string[] = [];
    cfn('DetectStackResourceDrift')
      .times(12)
      .reply((_uri, body, callback) => {
        const id = new URLSearchParams(String(body)).get('LogicalResourceId')!;
        asked.push(id);
        most = Math.max(most, ++inFlight);
        setTimeout(() => {
          inFlight -= 1;
          callback(null, [200, cfnOk('DetectStackResourceDrift', resourceDriftXml(inSync(queues.find((q) => q.logicalId === id)!, JUST_NOW))), XML]);
        }, 5);
      });
    const whole = stackWide(queues.map((q) => inSync(q, BY_DETECTION)));

    const staged = await provider().readStaged(target, { maxDriftAgeMs: FIFTEEN_MINUTES, touched: queues.map((q) => q.logicalId) });

    expect(most).toBe(5);
    expect(asked.sort()).toEqual(queues.map((q) => q.logicalId).sort());
    expect(staged.first.drift?.targeted?.settled).toEqual(queues.map((q) => q.logicalId));
    whole.release();
    await staged.rest;
  });

  it('stops reading one by one when DetectStackResourceDrift is refused, and the stack-wide detection reads those resources', async () => {
    const queues = Array.from({ length: 7 }, (_, i): ResourceFixture => ({ logicalId: `Queue${i}`, physicalId: `q${i}`, type: 'AWS::SQS::Queue' }));
    staleStack(queues);
    let refused = 0;
    cfn('DetectStackResourceDrift')
      .times(7)
      .reply(() => {
        refused += 1;
        return [403, awsError('AccessDenied', 'User: arn:aws:sts::123456789012:assumed-role/realitycheck/app is not authorized to perform: cloudformation:DetectStackResourceDrift'), XML];
      });
    const whole = stackWide([hotfixed(BY_DETECTION), ...queues.map((q) => inSync(q, BY_DETECTION))]);

    const staged = await provider().readStaged(target, { maxDriftAgeMs: FIFTEEN_MINUTES, touched: queues.map((q) => q.logicalId) });

    expect(refused).toBe(5); // the calls already in flight; none after the refusal
    expect(staged.first.drift?.resources).toEqual([]);
    expect(staged.first.drift?.targeted).toMatchObject({ settled: [], stackWide: 'running', stoppedBy: { api: 'cloudformation:DetectStackResourceDrift', code: 'AccessDenied' } });
    expect(staged.first.drift?.targeted?.unsettled.map((u) => u.logicalId)).toEqual(queues.map((q) => q.logicalId));
    expect(staged.first.unreadable).toEqual([]);
    whole.release();
    const full = await staged.rest!;
    expect(full.unreadable).toEqual([]);
    expect(new Set(Object.values(statuses(full.drift?.resources.filter((r) => r.logicalId.startsWith('Queue')))))).toEqual(new Set(['IN_SYNC']));
    nock.cleanAll(); // the two calls never made
  });

  it('leaves a resource drift detection refuses to the stack-wide detection and reads the others', async () => {
    staleStack();
    targeted(hotfixed(JUST_NOW));
    cfn('DetectStackResourceDrift', (p) => p.get('LogicalResourceId') === 'DeployWaitHandle').reply(
      400,
      awsError('ValidationError', 'Drift detection is not supported for resource type AWS::CloudFormation::WaitConditionHandle'),
      XML,
    );
    const whole = stackWide([hotfixed(BY_DETECTION)]);

    const staged = await provider().readStaged(target, { maxDriftAgeMs: FIFTEEN_MINUTES, touched: ['DeployWaitHandle', 'OrdersQueue'] });

    expect(staged.first.drift?.targeted).toEqual({
      settled: ['OrdersQueue'],
      unsettled: [{ logicalId: 'DeployWaitHandle', reason: 'DetectStackResourceDrift failed with ValidationError' }],
      stackWide: 'running',
    });
    whole.release();
    const full = await staged.rest!;
    expect(full.drift?.resources.find((r) => r.logicalId === 'DeployWaitHandle')?.status).toBe('NOT_CHECKED');
  });

  it('keeps what was read one by one and says why the rest is unknown when the stack-wide detection fails', async () => {
    staleStack();
    targeted(hotfixed(JUST_NOW));
    cfn('DetectStackResourceDrift', (p) => p.get('LogicalResourceId') === 'OrdersTable').reply(500, awsError('InternalFailure', 'We encountered an internal error.', 'Receiver'), XML);
    cfn('DetectStackDrift').reply(403, awsError('AccessDenied', 'User is not authorized to perform: cloudformation:DetectStackDrift'), XML);

    const staged = await provider().readStaged(target, { maxDriftAgeMs: FIFTEEN_MINUTES, touched: ['OrdersQueue', 'OrdersTable'] });
    const full = await staged.rest!;

    expect(full.unreadable).toEqual([{ api: 'cloudformation:DetectStackDrift', code: 'AccessDenied', message: expect.stringContaining('DetectStackDrift'), retryable: false }]);
    expect(full.drift?.targeted?.stackWide).toBe('failed');
    expect(statuses(full.drift?.resources)).toEqual({ OrdersQueue: 'MODIFIED', OrdersTable: 'NOT_CHECKED' });
    expect(full.drift?.resources.find((r) => r.logicalId === 'OrdersTable')?.notCheckedReason).toMatch(/InternalFailure.*stack-wide drift detection did not finish/);
  });

  it('stops the stack-wide polling of a run superseded after its first look, without more AWS calls', async () => {
    staleStack();
    targeted(hotfixed(JUST_NOW));
    cfn('DetectStackDrift').reply(200, cfnOk('DetectStackDrift', `<StackDriftDetectionId>${DETECTION}</StackDriftDetectionId>`), XML);
    let statusCalls = 0;
    cfn('DescribeStackDriftDetectionStatus')
      .times(5)
      .reply(() => {
        statusCalls += 1;
        return [200, cfnOk('DescribeStackDriftDetectionStatus', detectionStatusXml(DETECTION, 'DETECTION_IN_PROGRESS')), XML];
      });
    const controller = new AbortController();
    let polls!: () => void;
    const polled = new Promise<void>((resolve) => (polls = resolve));
    const p = provider({
      sleep: async (_ms, signal) => {
        if (statusCalls === 1) polls();
        if (statusCalls >= 1) await new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));
      },
    });

    const staged = await p.readStaged(target, { maxDriftAgeMs: FIFTEEN_MINUTES, touched: ['OrdersQueue'], signal: controller.signal });
    await polled;
    const reason = new Error('superseded by a newer push');
    controller.abort(reason);

    await expect(staged.rest).rejects.toBe(reason);
    expect(statusCalls).toBe(1);
    nock.cleanAll();
  });

  it('reads as before, without calls one by one, when the earlier detection is fresh or nothing is touched', async () => {
    cfn('DescribeStacks').reply(200, cfnOk('DescribeStacks', stackXml({ lastCheck: '2026-11-27T11:55:00.000Z' })), XML);
    cfn('GetTemplate').reply(200, cfnOk('GetTemplate', templateXml()), XML);
    cfn('ListStackResources').reply(200, cfnOk('ListStackResources', resourcesXml([queue])), XML);
    cfn('DescribeStackResourceDrifts').reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml([hotfixed('2026-11-27T11:55:00.000Z')])), XML);

    const staged = await provider().readStaged(target, { maxDriftAgeMs: FIFTEEN_MINUTES, touched: ['OrdersQueue'] });

    expect(staged.rest).toBeUndefined();
    expect(staged.first.drift).toMatchObject({ reused: true });
    expect(staged.first.drift?.targeted).toBeUndefined();
  });
});

void vi;
