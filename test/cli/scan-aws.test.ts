// `realitycheck scan` against CloudFormation itself (nock, Query/XML): when a new drift
// detection must run, the app shows the touched resources first and the rest when the
// stack-wide detection lands; a scan reports once, so it waits for the whole stack.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { useAwsTestEnvironment } from '../helpers/aws-test-env.js';
import { cfn, cfnOk, detectionStatusXml, driftsXml, REGION, resourceDriftXml, resourcesXml, stackXml, templateXml, XML, type DriftFixture, type ResourceFixture } from '../live/fake-aws.js';
import { EXAMPLES, makeExampleRepo, type ExampleRepo } from './example-repo.js';

const ids = ['OrdersDeadLetterQueue', 'OrdersQueue', 'OrdersTable', 'OrdersTopic', 'OrdersFunctionRole', 'OrdersFunction', 'OrdersQueueMapping'];
const types: Record<string, string> = {
  OrdersDeadLetterQueue: 'AWS::SQS::Queue',
  OrdersQueue: 'AWS::SQS::Queue',
  OrdersTable: 'AWS::DynamoDB::Table',
  OrdersTopic: 'AWS::SNS::Topic',
  OrdersFunctionRole: 'AWS::IAM::Role',
  OrdersFunction: 'AWS::Lambda::Function',
  OrdersQueueMapping: 'AWS::Lambda::EventSourceMapping',
};
const resources: ResourceFixture[] = ids.map((id) => ({ logicalId: id, physicalId: `orders-prod-${id}`, type: types[id]!, drift: 'NOT_CHECKED' }));
const inSync = (id: string): DriftFixture => ({ logicalId: id, physicalId: `orders-prod-${id}`, type: types[id]!, status: 'IN_SYNC', timestamp: new Date().toISOString(), expected: {}, actual: {}, differences: [] });
/** Drift on a resource the pull request does not touch: only the stack-wide detection finds it. */
const tableDrift: DriftFixture = {
  logicalId: 'OrdersTable',
  physicalId: 'orders-prod-OrdersTable',
  type: 'AWS::DynamoDB::Table',
  status: 'MODIFIED',
  timestamp: new Date(Date.now() + 60_000).toISOString(),
  expected: { BillingMode: 'PAY_PER_REQUEST' },
  actual: { BillingMode: 'PROVISIONED' },
  differences: [{ path: '/BillingMode', expected: 'PAY_PER_REQUEST', actual: 'PROVISIONED' }],
};

let repo: ExampleRepo;
useAwsTestEnvironment(REGION);
beforeAll(() => {
  repo = makeExampleRepo('orders');
});
afterAll(() => repo.remove());

describe('realitycheck scan against CloudFormation', () => {
  it('reports the drift the stack-wide detection finds, not only the touched resources read one by one', async () => {
    const base = readFileSync(join(EXAMPLES, 'orders', 'base', 'infra', 'orders.yaml'), 'utf8');
    cfn('DescribeStacks').reply(200, cfnOk('DescribeStacks', stackXml({ lastCheck: '2026-01-01T00:00:00.000Z' })), XML);
    cfn('GetTemplate').reply(200, cfnOk('GetTemplate', templateXml(base)), XML);
    cfn('ListStackResources').reply(200, cfnOk('ListStackResources', resourcesXml(resources)), XML);
    cfn('DetectStackDrift').reply(200, cfnOk('DetectStackDrift', '<StackDriftDetectionId>scan-1</StackDriftDetectionId>'), XML);
    cfn('DetectStackResourceDrift')
      .times(ids.length)
      .optionally()
      .reply(200, (_uri, body) => cfnOk('DetectStackResourceDrift', resourceDriftXml(inSync(new URLSearchParams(String(body)).get('LogicalResourceId') ?? ''))), XML);
    cfn('DescribeStackDriftDetectionStatus').reply(200, cfnOk('DescribeStackDriftDetectionStatus', detectionStatusXml('scan-1', 'DETECTION_COMPLETE')), XML);
    cfn('DescribeStackResourceDrifts').reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml([...ids.filter((id) => id !== 'OrdersTable').map(inSync), tableDrift])), XML);

    const config = join(repo.dir, '.git', 'realitycheck-aws.yml'); // outside the work tree, removed with it
    writeFileSync(config, 'targets:\n  - name: orders\n    cloudformation: { stack: orders-prod, template: infra/orders.yaml, region: us-east-1 }\n');
    let stdout = '';
    let stderr = '';
    const code = await main(['scan', '--repo', repo.dir, '--config', config, '--format', 'json', '--fail-on', 'never'], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const scan = JSON.parse(stdout);
    expect(scan.findings).toContainEqual(expect.objectContaining({ rule: 'drift-elsewhere', resource: 'OrdersTable' }));
  });
});
