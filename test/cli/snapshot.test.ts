// `realitycheck snapshot --stack NAME`: a fresh drift detection (CloudFormation faked in its
// Query-protocol wire format) written in the snapshot format, which the app's own snapshot
// reader takes back as the same drift; secrets redacted without hiding that they drifted;
// nothing written when the read was not whole.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommandLine, type SnapshotArgs } from '../../src/cli/parse-args.js';
import { runSnapshotCommand } from '../../src/cli/run-snapshot.js';
import { CloudFormationProvider } from '../../src/live/cloudformation.js';
import { parseSnapshot, snapshotToLiveState } from '../../src/live/snapshot.js';
import { useAwsTestEnvironment } from '../helpers/aws-test-env.js';
import { awsError, cfn, cfnOk, detectionStatusXml, driftsXml, REGION, resourcesXml, STACK_ID, STACK_NAME, stackXml, templateXml, XML } from '../live/fake-aws.js';

useAwsTestEnvironment(REGION);

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-prod-OrdersQueue-1X2Y3Z';
const FUNCTION = 'orders-prod-OrdersFunction-AbC123';

function provider() {
  let now = Date.parse('2026-11-27T12:00:00.000Z');
  return new CloudFormationProvider({ now: () => now, sleep: async (ms) => void (now += ms) });
}

function freshDetection() {
  cfn('DescribeStacks', (p) => p.get('StackName') === STACK_NAME).reply(200, cfnOk('DescribeStacks', stackXml({ parameters: { DbPassword: '****' } })), XML);
  cfn('GetTemplate', (p) => p.get('StackName') === STACK_ID).reply(200, cfnOk('GetTemplate', templateXml()), XML);
  cfn('ListStackResources').reply(200, cfnOk('ListStackResources', resourcesXml([{ logicalId: 'OrdersQueue', physicalId: QUEUE_URL, type: 'AWS::SQS::Queue' }, { logicalId: 'OrdersFunction', physicalId: FUNCTION, type: 'AWS::Lambda::Function' }])), XML);
  cfn('DetectStackDrift', (p) => p.get('StackName') === STACK_ID).reply(200, cfnOk('DetectStackDrift', '<StackDriftDetectionId>d-1</StackDriftDetectionId>'), XML);
  cfn('DescribeStackDriftDetectionStatus').reply(200, cfnOk('DescribeStackDriftDetectionStatus', detectionStatusXml('d-1', 'DETECTION_COMPLETE')), XML);
  cfn('DescribeStackResourceDrifts').reply(
    200,
    cfnOk(
      'DescribeStackResourceDrifts',
      driftsXml([
        { logicalId: 'OrdersQueue', physicalId: QUEUE_URL, type: 'AWS::SQS::Queue', status: 'MODIFIED', timestamp: '2026-11-27T12:00:09.000Z', differences: [{ path: '/VisibilityTimeout', expected: '30', actual: '120' }] },
        {
          logicalId: 'OrdersFunction',
          physicalId: FUNCTION,
          type: 'AWS::Lambda::Function',
          status: 'MODIFIED',
          timestamp: '2026-11-27T12:00:09.000Z',
          differences: [{ path: '/Environment/Variables/PAYMENTS_API_KEY', expected: 'pk_live_old_51Hx', actual: 'pk_live_new_77Qz' }],
        },
      ]),
    ),
    XML,
  );
}

async function snapshot(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runSnapshotCommand(parseCommandLine(['snapshot', ...args]) as SnapshotArgs, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, provider());
  return { code, stdout, stderr };
}

describe('realitycheck snapshot', () => {
  it('writes the drift of a fresh detection in the snapshot format, which the snapshot reader takes back as the same drift', async () => {
    freshDetection();
    const out = join(mkdtempSync(join(tmpdir(), 'realitycheck-snapshot-')), 'orders-prod.json');
    const result = await snapshot(['--stack', STACK_NAME, '--region', REGION, '--output', out]);
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const text = readFileSync(out, 'utf8');
    const parsed = parseSnapshot(out, text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.snapshot).toMatchObject({ format_version: '1', read_at: expect.any(String), stack: { name: STACK_NAME, id: STACK_ID, status: 'UPDATE_COMPLETE', no_echo_parameters: ['DbPassword'] } });
    const live = snapshotToLiveState('orders', parsed.snapshot);
    const queue = live.drift!.resources.find((r) => r.logicalId === 'OrdersQueue')!;
    expect(queue).toMatchObject({ status: 'MODIFIED', physicalId: QUEUE_URL, differences: [{ path: 'VisibilityTimeout', expected: 30, actual: 120 }] });
    // The key is redacted on both sides, and still reads back as drifted.
    expect(text).not.toContain('pk_live');
    const fn = live.drift!.resources.find((r) => r.logicalId === 'OrdersFunction')!;
    expect(fn.status).toBe('MODIFIED');
    expect(fn.differences).toEqual([expect.objectContaining({ path: 'Environment.Variables.PAYMENTS_API_KEY', expected: '***', actual: '*** (differs from the template)' })]);
  });

  it('writes nothing and exits 2, naming the call and the reason, when AWS refuses the detection', async () => {
    cfn('DescribeStacks').reply(200, cfnOk('DescribeStacks', stackXml()), XML);
    cfn('GetTemplate').reply(200, cfnOk('GetTemplate', templateXml()), XML);
    cfn('ListStackResources').reply(200, cfnOk('ListStackResources', resourcesXml([])), XML);
    cfn('DetectStackDrift').reply(403, awsError('AccessDenied', 'User: arn:aws:sts::123456789012:assumed-role/ci/x is not authorized to perform: cloudformation:DetectStackDrift'), XML);
    const result = await snapshot(['--stack', STACK_NAME]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('no snapshot written');
    expect(result.stderr).toMatch(/cloudformation:DetectStackDrift: AccessDenied/);
  });

  it('refuses a missing stack name and a role that is not a role ARN before calling AWS', () => {
    expect(() => parseCommandLine(['snapshot'])).toThrow('snapshot: --stack NAME is required');
    expect(() => parseCommandLine(['snapshot', '--stack', 's', '--role-arn', 'admin'])).toThrow('--role-arn "admin" is not an IAM role ARN');
  });
});
