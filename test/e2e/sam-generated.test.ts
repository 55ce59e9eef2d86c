// End to end: a SAM template. Drift detection reports the resources SAM generated (the
// function's role) under their own logical ids, which the template never declares; a pull
// request that changes what the role is made of reverts drift on it.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { githubPatch, type FakeGitHub } from '../helpers/fake-github.js';
import { pullRequestEvent, type TestApp } from '../helpers/probot.js';
import { cfn, cfnOk, driftsXml, resourcesXml, stackXml, templateXml, XML, type DriftFixture, type ResourceFixture } from '../live/fake-aws.js';
import { BASE_SHA, edit, HEAD_SHA, TEMPLATE_PATH } from './fixtures.js';
import { fakeRepo, finish, startWith, useFakeAwsEnvironment } from './harness.js';

const SAM_TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: Orders service
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: s3://orders-artifacts/orders-1.zip
      MemorySize: 256
      Policies:
        - Statement:
            - Effect: Allow
              Action: sqs:SendMessage
              Resource: arn:aws:sqs:us-east-1:123456789012:orders
`;
/** Lines of OrdersFunction's Policies in SAM_TEMPLATE. */
const POLICIES = { start: 12, end: 16 };

const BASIC_EXECUTION = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

const RESOURCES: ResourceFixture[] = [
  { logicalId: 'OrdersFunction', physicalId: 'orders-prod-OrdersFunction-4Hk2', type: 'AWS::Lambda::Function', drift: 'IN_SYNC' },
  { logicalId: 'OrdersFunctionRole', physicalId: 'orders-prod-OrdersFunctionRole-9QzX', type: 'AWS::IAM::Role', drift: 'MODIFIED' },
];

const recent = () => new Date(Date.now() - 60_000).toISOString();

/** The role SAM generated had its managed policy swapped for AdministratorAccess in the console. */
function awsWithHotfixedRole(): void {
  const timestamp = recent();
  const drifts: DriftFixture[] = [
    {
      logicalId: 'OrdersFunction',
      physicalId: RESOURCES[0]!.physicalId,
      type: 'AWS::Lambda::Function',
      status: 'IN_SYNC',
      expected: { MemorySize: 256, Runtime: 'nodejs20.x', Handler: 'index.handler' },
      actual: { MemorySize: 256, Runtime: 'nodejs20.x', Handler: 'index.handler' },
      timestamp,
    },
    {
      logicalId: 'OrdersFunctionRole',
      physicalId: RESOURCES[1]!.physicalId,
      type: 'AWS::IAM::Role',
      status: 'MODIFIED',
      expected: { ManagedPolicyArns: [BASIC_EXECUTION] },
      actual: { ManagedPolicyArns: [ADMIN] },
      differences: [{ path: '/ManagedPolicyArns/0', expected: BASIC_EXECUTION, actual: ADMIN }],
      timestamp,
    },
  ];
  cfn('DescribeStacks').reply(200, cfnOk('DescribeStacks', stackXml({ lastCheck: recent() })), XML);
  cfn('GetTemplate', (p) => p.get('TemplateStage') === 'Original').reply(200, cfnOk('GetTemplate', templateXml(SAM_TEMPLATE)), XML);
  cfn('ListStackResources').reply(200, cfnOk('ListStackResources', resourcesXml(RESOURCES)), XML);
  cfn('DescribeStackResourceDrifts').reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml(drifts)), XML);
}

let app: TestApp;
let github: FakeGitHub;

beforeAll(useFakeAwsEnvironment);
afterEach(() => finish(github));

async function startWithHead(head: string): Promise<void> {
  const repo = fakeRepo(head, {
    files: { [BASE_SHA]: { [TEMPLATE_PATH]: SAM_TEMPLATE }, [HEAD_SHA]: { [TEMPLATE_PATH]: head } },
    pullFiles: { 2: [{ filename: TEMPLATE_PATH, patch: githubPatch(SAM_TEMPLATE, head) }] },
  });
  ({ app, github } = await startWith(repo));
}

describe('a pull request that edits an AWS::Serverless::Function', () => {
  it('blocks an edit of the function whose generated role was changed live, as a revert at the function', async () => {
    const head = edit(SAM_TEMPLATE, '              Action: sqs:SendMessage\n', '              Action: [sqs:SendMessage, sqs:GetQueueAttributes]\n');
    await startWithHead(head);
    awsWithHotfixedRole();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));

    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('failure');
    const revert = check.annotations.find((a) => a.title === 'revert: OrdersFunctionRole');
    expect(revert, JSON.stringify(check.annotations)).toBeDefined();
    expect(revert!.annotation_level).toBe('failure');
    expect(revert!.path).toBe(TEMPLATE_PATH);
    expect([revert!.start_line, revert!.end_line]).toEqual([POLICIES.start, POLICIES.end]);
    expect(revert!.message).toContain('Policies of OrdersFunction');
    const comment = github.comments[0]!.body;
    expect(comment).toContain('OrdersFunctionRole');
    expect(comment).toContain('AdministratorAccess');
    expect(comment).not.toMatch(/drift elsewhere|changed live outside this PR/i);
  });

  it('leaves the role as drift elsewhere when the edit does not reach it (SAM regenerates the same role)', async () => {
    await startWithHead(edit(SAM_TEMPLATE, 'MemorySize: 256', 'MemorySize: 512'));
    awsWithHotfixedRole();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));

    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('success');
    expect(check.annotations.some((a) => a.annotation_level === 'failure')).toBe(false);
    expect(github.comments[0]!.body).toContain('OrdersFunctionRole');
  });
});
