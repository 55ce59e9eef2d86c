// End to end: a stack whose drift must be detected anew. The resources the pull request
// touches are read one by one (DetectStackResourceDrift) while the stack-wide detection
// (DetectStackDrift) runs; here its status stays "in progress" until the test lets it end,
// so what the pull request shows meanwhile can be looked at. GitHub and CloudFormation
// answer over nock in their wire formats.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FakeCheckRun, FakeGitHub } from '../helpers/fake-github.js';
import { pullRequestEvent, type TestApp } from '../helpers/probot.js';
import { awsError, cfn, cfnOk, detectionStatusXml, driftsXml, resourceDriftXml, resourcesXml, stackXml, templateXml, XML, type DriftFixture } from '../live/fake-aws.js';
import { awsWithRecentDrift, fakeRepo, finish, startWith, useFakeAwsEnvironment } from './harness.js';
import { BASE_SHA, BASE_TEMPLATE, CONFIG, DRIFTS, edit, HEAD_SHA, RESOURCES } from './fixtures.js';

/** Edits the queue whose VisibilityTimeout was hotfixed live (30 -> 120): deploying reverts the hotfix. */
const QUEUE_EDIT = edit(BASE_TEMPLATE, 'MessageRetentionPeriod: 345600', 'MessageRetentionPeriod: 1209600');
/** Edits the table, which is in sync. */
const TABLE_EDIT = edit(BASE_TEMPLATE, 'BillingMode: PAY_PER_REQUEST', 'BillingMode: PROVISIONED');

const drift = (id: string): DriftFixture => ({ ...DRIFTS.find((d) => d.logicalId === id)!, timestamp: new Date().toISOString() });
const ACCESS_DENIED = (action: string) => awsError('AccessDenied', `User: arn:aws:sts::123456789012:assumed-role/realitycheck/app is not authorized to perform: cloudformation:${action}`);

let app: TestApp;
let github: FakeGitHub;

beforeAll(useFakeAwsEnvironment);
afterEach(() => finish(github));

/** A stack last checked long ago (a new detection must run); the stack-wide one answers "in progress" until `release()`. */
function staleStack(options: { targeted: Record<string, 'answer' | 'refuse'>; stackWide?: 'complete' | 'failed' | 'refused' | 'endless' }) {
  cfn('DescribeStacks').reply(200, cfnOk('DescribeStacks', stackXml({ lastCheck: '2026-01-01T00:00:00.000Z', parameters: { DbPassword: '****' } })), XML);
  cfn('GetTemplate', (p) => p.get('TemplateStage') === 'Original').reply(200, cfnOk('GetTemplate', templateXml(BASE_TEMPLATE)), XML);
  cfn('ListStackResources').reply(200, cfnOk('ListStackResources', resourcesXml(RESOURCES)), XML);
  for (const [id, answer] of Object.entries(options.targeted)) {
    const call = cfn('DetectStackResourceDrift', (p) => p.get('LogicalResourceId') === id);
    if (answer === 'answer') call.reply(200, cfnOk('DetectStackResourceDrift', resourceDriftXml(drift(id))), XML);
    else call.reply(403, ACCESS_DENIED('DetectStackResourceDrift'), XML);
  }
  let release = () => {};
  if (options.stackWide === 'refused') {
    cfn('DetectStackDrift').reply(403, ACCESS_DENIED('DetectStackDrift'), XML);
    return { release };
  }
  const gate = new Promise<void>((resolve) => (release = resolve));
  const failed = options.stackWide === 'failed';
  cfn('DetectStackDrift').reply(200, cfnOk('DetectStackDrift', '<StackDriftDetectionId>d-9</StackDriftDetectionId>'), XML);
  cfn('DescribeStackDriftDetectionStatus').reply((_uri, _body, callback) => {
    const status = failed ? detectionStatusXml('d-9', 'DETECTION_FAILED', 'Failed to detect drift on resources [OrdersDb]') : detectionStatusXml('d-9', 'DETECTION_COMPLETE');
    void gate.then(() => callback(null, [200, cfnOk('DescribeStackDriftDetectionStatus', status), XML]));
  });
  if (options.stackWide === 'endless') return { release: () => {} };
  if (failed) cfn('DescribeStackResourceDrifts').reply(400, awsError('Throttling', 'Rate exceeded'), XML);
  else cfn('DescribeStackResourceDrifts').reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml(DRIFTS)), XML);
  return { release };
}

/** Delivers the event; the run goes on in the queue. */
async function open(head: string, options: { labels?: string[]; config?: string } = {}) {
  ({ app, github } = await startWith(fakeRepo(head, { config: options.config ?? CONFIG })));
  await app.probot.receive({ id: 'delivery-targeted', name: 'pull_request', payload: pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA, ...(options.labels ? { labels: options.labels } : {}) }) } as never);
}

/** Waits for the run to reach what `expectation` checks (the stack-wide detection held meanwhile). */
const until = (expectation: () => void) => vi.waitFor(expectation, { timeout: 20_000, interval: 20 });
const check = (): FakeCheckRun => github.checkFor(HEAD_SHA)!;
const text = (run: FakeCheckRun) => `${run.output?.summary ?? ''}\n${run.output?.text ?? ''}`;

describe('targeted detection: the verdict before the stack-wide detection ends', () => {
  it('fails a human pull request that reverts a hotfix on the queue it edits before the stack-wide detection ends, then adds drift elsewhere to the same check and comment', async () => {
    const aws = staleStack({ targeted: { OrdersQueue: 'answer' } });
    await open(QUEUE_EDIT);

    await until(() => expect([check().conclusion, github.comments.length]).toEqual(['failure', 1]));
    const early = github.comments[0]!.body;
    expect(early).toMatch(/revert/i);
    expect(early).toContain('VisibilityTimeout');
    expect(early).toContain('still running');
    expect(early).not.toContain('OrdersTopic'); // drift elsewhere is not known yet
    const earlyAnnotations = check().annotations.length;
    expect(earlyAnnotations).toBeGreaterThan(0);

    aws.release();
    await app.queue.idle();

    expect(github.checkRuns.filter((c) => c.head_sha === HEAD_SHA)).toHaveLength(1);
    expect(check()).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(github.comments).toHaveLength(1);
    const full = github.comments[0]!.body;
    expect(full).toContain('OrdersTopic'); // deleted by hand: drift elsewhere
    expect(full).toContain('MasterUserPassword');
    expect(full).not.toContain('still running');
    expect(text(check())).toContain('OrdersTopic');
    // the annotations shown early are not sent again
    const keys = check().annotations.map((a) => JSON.stringify(a));
    expect(new Set(keys).size).toBe(keys.length);
    expect(check().annotations.length).toBeGreaterThanOrEqual(earlyAnnotations);
  });

  it('keeps an AI-authored pull request under policy.ai: strict in progress until the stack-wide result, which blocks it on drift elsewhere', async () => {
    const aws = staleStack({ targeted: { OrdersTable: 'answer' } });
    await open(TABLE_EDIT, { labels: ['ai-generated'] });

    await until(() => expect(check().output?.title).toBe('Waiting for the stack-wide drift detection'));
    expect(check().status).toBe('in_progress');
    expect(check().conclusion).toBeUndefined();
    expect(github.comments).toEqual([]);

    aws.release();
    await app.queue.idle();

    expect(check().conclusion).toBe('failure');
    expect(github.comments[0]!.body).toContain('Judged AI-authored');
    expect(github.comments[0]!.body).toContain('OrdersTopic');
  });

  it('keeps the early failure and says so when the stack-wide detection fails after it', async () => {
    const aws = staleStack({ targeted: { OrdersQueue: 'answer' }, stackWide: 'failed' });
    await open(QUEUE_EDIT);

    await until(() => expect(check().conclusion).toBe('failure'));
    aws.release();
    await app.queue.idle();

    expect(check()).toMatchObject({ status: 'completed', conclusion: 'failure' });
    const said = text(check());
    expect(said).toContain('DescribeStackResourceDrifts');
    expect(said).toContain('Throttling');
    expect(said).toMatch(/revert/i);
    expect(github.comments[0]!.body).toContain('did not finish');
  });
});

describe('a run superseded while the stack-wide detection runs', () => {
  it('keeps the failure it already published on the older commit and stops waiting, while the newer push gets its own check', async () => {
    staleStack({ targeted: { OrdersQueue: 'answer' }, stackWide: 'endless' });
    await open(QUEUE_EDIT);
    await until(() => expect([check().conclusion, github.comments.length]).toEqual(['failure', 1]));

    const newer = 'dddddddddddddddddddddddddddddddddddddddd';
    github.repo.files[newer] = { 'infra/orders.yaml': QUEUE_EDIT };
    awsWithRecentDrift();
    await app.deliver('pull_request', pullRequestEvent({ headSha: newer, baseSha: BASE_SHA, updatedAt: '2099-01-01T00:00:00Z' }));

    expect(check()).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(check().output?.title).toBe('Superseded after its verdict (failure)');
    expect(github.checkFor(newer)?.conclusion).toBe('failure');
  });
});

describe('targeted detection refused', () => {
  it('falls back to the stack-wide detection when DetectStackResourceDrift is denied, and fails on what it finds', async () => {
    const aws = staleStack({ targeted: { OrdersQueue: 'refuse' } });
    await open(QUEUE_EDIT);

    await until(() => expect(check().output?.title).toBe('Waiting for the stack-wide drift detection'));
    expect(check().status).toBe('in_progress');
    aws.release();
    await app.queue.idle();

    expect(check().conclusion).toBe('failure');
    expect(github.comments[0]!.body).toContain('VisibilityTimeout');
    expect(github.comments[0]!.body).toContain('Allow cloudformation:DetectStackResourceDrift');
  });

  it('publishes no early failure for a denied DetectStackResourceDrift under policy.unreadable: block when the stack-wide detection then reads it', async () => {
    const aws = staleStack({ targeted: { OrdersTable: 'refuse' } });
    await open(TABLE_EDIT, { config: CONFIG.replace('unreadable: warn', 'unreadable: block') });

    await until(() => expect(check().output?.title).toBe('Waiting for the stack-wide drift detection'));
    expect(check().conclusion).toBeUndefined();
    aws.release();
    await app.queue.idle();

    expect(check().conclusion).toBe('success');
  });

  it('never passes a pull request when both DetectStackResourceDrift and DetectStackDrift are denied', async () => {
    staleStack({ targeted: { OrdersTable: 'refuse' }, stackWide: 'refused' });
    await open(TABLE_EDIT);
    await app.queue.idle();

    expect(check().conclusion).toBe('neutral');
    expect(text(check())).toContain('DetectStackDrift');
    expect(github.comments[0]!.body).not.toMatch(/matches what is running/i);
  });
});
