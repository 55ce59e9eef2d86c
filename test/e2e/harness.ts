// Shared set-up of the end-to-end tests: AWS credentials for the SDK, no real network,
// the fake GitHub repository, and AWS answers for the orders stack.
import nock from 'nock';
import { expect } from 'vitest';
import { blobSha, FakeGitHub, githubPatch, type FakeRepo } from '../helpers/fake-github.js';
import { startApp, type TestApp } from '../helpers/probot.js';
import { cfn, cfnOk, detectionStatusXml, driftsXml, resourceDriftXml, resourcesXml, stackXml, templateXml, XML } from '../live/fake-aws.js';
import { BASE_SHA, BASE_TEMPLATE, CONFIG, DRIFTS, HEAD_SHA, OWNER, REPO, RESOURCES, TEMPLATE_PATH } from './fixtures.js';

export function useFakeAwsEnvironment(): void {
  process.env.AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  delete process.env.AWS_PROFILE;
  nock.disableNetConnect();
}

export function fakeRepo(head: string, extra: Partial<FakeRepo> = {}): FakeRepo {
  return {
    owner: OWNER,
    repo: REPO,
    config: CONFIG,
    files: { [BASE_SHA]: { [TEMPLATE_PATH]: BASE_TEMPLATE }, [HEAD_SHA]: { [TEMPLATE_PATH]: head } },
    pullFiles: { 2: [{ filename: TEMPLATE_PATH, patch: githubPatch(BASE_TEMPLATE, head), sha: blobSha(head) }, 'src/orders.ts'] },
    ...extra,
  };
}

export async function startWith(repo: FakeRepo): Promise<{ app: TestApp; github: FakeGitHub }> {
  const github = new FakeGitHub(repo);
  const app = await startApp({ cloudformation: { sleep: async () => {}, aws: { maxAttempts: 1 } } });
  return { app, github };
}

function stackBasics(lastCheck: string, deployed = BASE_TEMPLATE) {
  cfn('DescribeStacks').reply(200, cfnOk('DescribeStacks', stackXml({ lastCheck, parameters: { DbPassword: '****' } })), XML);
  cfn('GetTemplate', (p) => p.get('TemplateStage') === 'Original').reply(200, cfnOk('GetTemplate', templateXml(deployed)), XML);
  cfn('ListStackResources').reply(200, cfnOk('ListStackResources', resourcesXml(RESOURCES)), XML);
}

/** A healthy stack whose last drift detection is a minute old, so it is reused. */
export function awsWithRecentDrift(deployed = BASE_TEMPLATE): void {
  stackBasics(new Date(Date.now() - 60_000).toISOString(), deployed);
  cfn('DescribeStackResourceDrifts').reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml(DRIFTS)), XML);
}

/**
 * The same stack when a fresh detection must run: the queue the pull request edits read one
 * by one (DetectStackResourceDrift), DetectStackDrift, one poll in progress, then complete.
 */
export function awsWithFreshDetection(lastCheck = new Date(Date.now() - 60_000).toISOString()): void {
  stackBasics(lastCheck);
  const queue = { ...DRIFTS.find((d) => d.logicalId === 'OrdersQueue')!, timestamp: new Date().toISOString() };
  cfn('DetectStackResourceDrift', (p) => p.get('LogicalResourceId') === 'OrdersQueue').reply(200, cfnOk('DetectStackResourceDrift', resourceDriftXml(queue)), XML);
  cfn('DetectStackDrift').reply(200, cfnOk('DetectStackDrift', '<StackDriftDetectionId>d-1</StackDriftDetectionId>'), XML);
  cfn('DescribeStackDriftDetectionStatus').reply(200, cfnOk('DescribeStackDriftDetectionStatus', detectionStatusXml('d-1', 'DETECTION_IN_PROGRESS')), XML);
  cfn('DescribeStackDriftDetectionStatus').reply(200, cfnOk('DescribeStackDriftDetectionStatus', detectionStatusXml('d-1', 'DETECTION_COMPLETE')), XML);
  cfn('DescribeStackResourceDrifts').reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml(DRIFTS)), XML);
}

/**
 * After each test: every AWS answer was asked for, GitHub refused nothing the app sent,
 * every GitHub route the test named with `expectCalls` was called, and the fake GitHub is gone.
 */
export function finish(github: FakeGitHub | undefined): void {
  const pendingAws = nock.pendingMocks().filter((m) => !m.includes('api.github.com'));
  const refusals = github?.refusals ?? [];
  let unused: Error | undefined;
  try {
    github?.assertAllUsed();
  } catch (error) {
    unused = error as Error;
  }
  github?.done();
  nock.cleanAll();
  expect(pendingAws, 'AWS answers the run never asked for').toEqual([]);
  expect(refusals, 'requests GitHub would have refused (422)').toEqual([]);
  if (unused) throw unused;
}

export { HEAD_SHA, BASE_SHA };
