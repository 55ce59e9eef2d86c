// Two processes (two providers, each with its own in-process sharing) read the same stack at
// once and both need a new drift detection: with the registry in Redis, AWS gets one
// DetectStackDrift and both wait for it and read its records.
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudFormationTarget } from '../../src/config.js';
import { CloudFormationProvider } from '../../src/live/cloudformation.js';
import { RedisDetections } from '../../src/queue/redis-detections.js';
import { useAwsTestEnvironment } from '../helpers/aws-test-env.js';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { cfn, cfnOk, detectionStatusXml, driftsXml, REGION, resourcesXml, STACK_ID, STACK_NAME, stackXml, templateXml, XML, type ResourceFixture } from './fake-aws.js';

const target: CloudFormationTarget = { kind: 'cloudformation', name: 'orders', stack: STACK_NAME, template: 'infra/orders.yaml' };
const queue: ResourceFixture = {
  logicalId: 'OrdersQueue',
  physicalId: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-prod-OrdersQueue-1X2Y3Z',
  type: 'AWS::SQS::Queue',
  drift: 'MODIFIED',
};

let redis: TestRedis;
useAwsTestEnvironment(REGION);
beforeAll(async () => {
  if (redisAvailable) {
    redis = await startRedis();
    nock.enableNetConnect(`127.0.0.1:${redis.port}`);
  }
});
afterAll(async () => redis?.stop());

function process(registry: RedisDetections): CloudFormationProvider {
  return new CloudFormationProvider({ detections: registry, sleep: async () => undefined, aws: { maxAttempts: 1 } });
}

function stackAnswers(times: number, detectionIds: string[]) {
  for (let i = 0; i < times; i++) {
    cfn('DescribeStacks').reply(200, cfnOk('DescribeStacks', stackXml({ lastCheck: '2026-11-27T09:00:00.000Z' })), XML);
    cfn('GetTemplate').reply(200, cfnOk('GetTemplate', templateXml()), XML);
    cfn('ListStackResources').reply(200, cfnOk('ListStackResources', resourcesXml([queue])), XML);
    cfn('DescribeStackResourceDrifts').reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml([])), XML);
  }
  return detectionIds.map((id) => {
    cfn('DescribeStackDriftDetectionStatus', (p) => p.get('StackDriftDetectionId') === id).reply(200, cfnOk('DescribeStackDriftDetectionStatus', detectionStatusXml(id, 'DETECTION_COMPLETE')), XML);
    return cfn('DetectStackDrift').once().reply(200, cfnOk('DetectStackDrift', `<StackDriftDetectionId>${id}</StackDriftDetectionId>`), XML);
  });
}

describe.skipIf(!redisAvailable)('drift detections shared by the fleet', () => {
  it('never stands a finished detection in for a read that began after it started (a re-check after a console change)', async () => {
    const [first, second] = stackAnswers(2, ['done-1', 'fresh-2']);
    const prefix = `fleet-late-${Date.now()}`;
    const [a, b] = [new RedisDetections(redis.url, prefix), new RedisDetections(redis.url, prefix)];
    try {
      const earlier = await process(a).read(target, { maxDriftAgeMs: 15 * 60_000 });
      const later = await process(b).read(target, { maxDriftAgeMs: 15 * 60_000 });
      expect([first!.isDone(), second!.isDone()]).toEqual([true, true]);
      expect([earlier.drift?.detectionId, later.drift?.detectionId]).toEqual(['done-1', 'fresh-2']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('starts one DetectStackDrift for two processes that need one at the same moment', async () => {
    for (let i = 0; i < 2; i++) {
      cfn('DescribeStacks').reply(200, cfnOk('DescribeStacks', stackXml({ lastCheck: '2026-11-27T09:00:00.000Z' })), XML);
      cfn('GetTemplate').reply(200, cfnOk('GetTemplate', templateXml()), XML);
      cfn('ListStackResources').reply(200, cfnOk('ListStackResources', resourcesXml([queue])), XML);
      cfn('DescribeStackResourceDrifts').reply(
        200,
        cfnOk(
          'DescribeStackResourceDrifts',
          driftsXml([{ logicalId: 'OrdersQueue', physicalId: queue.physicalId, type: 'AWS::SQS::Queue', status: 'MODIFIED', timestamp: new Date().toISOString(), expected: { VisibilityTimeout: 30 }, actual: { VisibilityTimeout: 120 }, differences: [{ path: '/VisibilityTimeout', expected: '30', actual: '120' }] }]),
        ),
        XML,
      );
    }
    const detect = cfn('DetectStackDrift', (p) => p.get('StackName') === STACK_ID).once().reply(200, cfnOk('DetectStackDrift', '<StackDriftDetectionId>fleet-1</StackDriftDetectionId>'), XML);
    cfn('DescribeStackDriftDetectionStatus', (p) => p.get('StackDriftDetectionId') === 'fleet-1')
      .times(2)
      .reply(200, cfnOk('DescribeStackDriftDetectionStatus', detectionStatusXml('fleet-1', 'DETECTION_COMPLETE')), XML);

    const prefix = `fleet-${Date.now()}`;
    const [a, b] = [new RedisDetections(redis.url, prefix), new RedisDetections(redis.url, prefix)];
    try {
      const states = await Promise.all([process(a).read(target, { maxDriftAgeMs: 15 * 60_000 }), process(b).read(target, { maxDriftAgeMs: 15 * 60_000 })]);
      expect(detect.isDone()).toBe(true);
      for (const state of states) {
        expect(state.unreadable).toEqual([]);
        expect(state.drift?.detectionId).toBe('fleet-1');
        expect(state.drift?.resources.find((r) => r.logicalId === 'OrdersQueue')?.status).toBe('MODIFIED');
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
