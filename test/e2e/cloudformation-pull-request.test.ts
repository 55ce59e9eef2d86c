// End to end: a real Probot app receives real webhook payloads; GitHub's REST API and
// AWS CloudFormation answer over nock in their wire formats (JSON; Query-protocol XML).
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { blobSha, githubPatch, type FakeGitHub, type FakeRepo } from '../helpers/fake-github.js';
import { pullRequestEvent, type TestApp } from '../helpers/probot.js';
import { awsError, cfn, cfnOk, detectionStatusXml, driftsXml, resourcesXml, stackXml, templateXml, XML } from '../live/fake-aws.js';
import { awsWithFreshDetection, awsWithRecentDrift, fakeRepo, finish, startWith, useFakeAwsEnvironment } from './harness.js';
import {
  API_TOKEN,
  BASE_SHA,
  BASE_TEMPLATE,
  CONFIG,
  DRIFTS,
  edit,
  HEAD_SHA,
  LINES,
  LIVE_PASSWORD,
  RESOURCES,
  TEMPLATE_PATH,
} from './fixtures.js';

const QUEUE_RETENTION_EDIT = edit(BASE_TEMPLATE, 'MessageRetentionPeriod: 345600', 'MessageRetentionPeriod: 1209600');

let app: TestApp;
let github: FakeGitHub;

beforeAll(useFakeAwsEnvironment);
afterEach(() => finish(github));

async function start(fake: FakeRepo) {
  ({ app, github } = await startWith(fake));
}

const repo = fakeRepo;

describe('a pull request that touches a CloudFormation template', () => {
  beforeEach(async () => start(repo(QUEUE_RETENTION_EDIT)));

  it('blocks a PR that edits a queue whose VisibilityTimeout was hotfixed live, and says deploying reverts the hotfix', async () => {
    awsWithRecentDrift();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));

    const check = github.checkFor(HEAD_SHA)!;
    expect(check.status).toBe('completed');
    expect(check.conclusion).toBe('failure');
    expect(github.count('GET contents')).toBe(1); // the head; the base comes from GitHub's patch
    const queueAnnotation = check.annotations.find((a) => a.path === TEMPLATE_PATH && String(a.title).includes('OrdersQueue'));
    expect(queueAnnotation).toBeDefined();
    expect(queueAnnotation!.annotation_level).toBe('failure');
    expect(queueAnnotation!.start_line).toBeGreaterThanOrEqual(LINES.queue.start);
    expect(queueAnnotation!.end_line).toBeLessThanOrEqual(LINES.queue.end);

    expect(github.comments).toHaveLength(1);
    const comment = github.comments[0]!.body;
    expect(comment.startsWith('<!-- realitycheck:summary -->')).toBe(true);
    expect(comment).toContain('OrdersQueue');
    expect(comment).toContain('VisibilityTimeout');
    expect(comment).toMatch(/`30`/);
    expect(comment).toMatch(/`120`/);
    expect(comment).toMatch(/revert/i);
    // the deleted topic and the database drift are for information, not blocking
    expect(comment).toContain('OrdersTopic');
  });

  it('never sends a NoEcho value or a secret-looking property to GitHub', async () => {
    awsWithRecentDrift();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));

    const everything = JSON.stringify({ comments: github.comments, checks: github.checkRuns });
    expect(everything).toContain('MasterUserPassword'); // the drift is reported...
    expect(everything).not.toContain(LIVE_PASSWORD); // ...but never its value
    expect(everything).not.toContain('correct-horse-battery');
    expect(everything).not.toContain(API_TOKEN);
  });

  it('writes one comment and updates it in place over three pushes, showing the newest head', async () => {
    const pushes = ['1111111111111111111111111111111111111111', '2222222222222222222222222222222222222222', '3333333333333333333333333333333333333333'];
    const fake = repo(QUEUE_RETENTION_EDIT);
    pushes.forEach((sha, i) => {
      fake.files[sha] = { [TEMPLATE_PATH]: edit(BASE_TEMPLATE, 'MessageRetentionPeriod: 345600', `MessageRetentionPeriod: ${1000 + i}`) };
    });
    github.done();
    await start(fake);
    for (const [i, sha] of pushes.entries()) {
      awsWithRecentDrift();
      await app.deliver('pull_request', pullRequestEvent({ headSha: sha, baseSha: BASE_SHA, updatedAt: `2026-11-27T12:0${i}:00Z` }));
    }
    expect(github.count('POST comment')).toBe(1);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toContain('<!-- realitycheck:head=3333333333333333333333333333333333333333');
    expect(github.comments[0]!.body).toContain('Head `3333333`');
    for (const sha of pushes) expect(github.checkFor(sha)?.conclusion).toBe('failure');
  });

  it('does not rewrite the comment when a new run finds exactly the same thing', async () => {
    awsWithRecentDrift();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    awsWithRecentDrift();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    expect(github.count('POST comment')).toBe(1);
    expect(github.count('PATCH comment')).toBe(0);
  });

  it('writes nothing at all when a reopened pull request would get the same check and comment', async () => {
    awsWithRecentDrift();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const writes = () => github.count('POST check run') + github.count('PATCH check run') + github.count('POST comment') + github.count('PATCH comment');
    const before = writes();
    awsWithRecentDrift();
    await app.deliver('pull_request', pullRequestEvent({ action: 'reopened', headSha: HEAD_SHA, baseSha: BASE_SHA }));
    expect(writes()).toBe(before);
    expect(github.count('GET check runs')).toBe(1);
  });

  it('replaces the check of a reopened pull request when live state changed meanwhile', async () => {
    awsWithRecentDrift();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    // the hotfix was folded back: the queue is in sync now
    const lastCheck = new Date(Date.now() - 60_000).toISOString();
    cfn('DescribeStacks').reply(200, cfnOk('DescribeStacks', stackXml({ lastCheck })), XML);
    cfn('GetTemplate').reply(200, cfnOk('GetTemplate', templateXml(BASE_TEMPLATE)), XML);
    cfn('ListStackResources').reply(200, cfnOk('ListStackResources', resourcesXml(RESOURCES)), XML);
    cfn('DescribeStackResourceDrifts').reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml(DRIFTS.map((d) => (d.logicalId === 'OrdersQueue' ? { ...d, status: 'IN_SYNC', differences: [] } : d)))), XML);
    await app.deliver('pull_request', pullRequestEvent({ action: 'reopened', headSha: HEAD_SHA, baseSha: BASE_SHA }));
    expect(github.checkRuns.filter((c) => c.head_sha === HEAD_SHA)).toHaveLength(2);
    expect(github.checkFor(HEAD_SHA)!.conclusion).toBe('success');
  });

  it('keeps the failure on the check run when GitHub refuses the summary comment', async () => {
    github.repo.failCommentWrites = 502;
    awsWithRecentDrift();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    expect(github.count('POST comment')).toBe(1);
    expect(github.comments).toEqual([]);
    expect(github.checkFor(HEAD_SHA)!.conclusion).toBe('failure');
  });

  it("ignores another bot's comment that copies our marker, and writes its own", async () => {
    github.comments.push({
      id: 1,
      body: '<!-- realitycheck:summary -->\n<!-- realitycheck:head=ffffffffffffffffffffffffffffffffffffffff updated=2099-01-01T00:00:00Z -->\n## ✅ Reality check: all clear',
      user: { login: 'github-actions[bot]', type: 'Bot' },
      performed_via_github_app: { id: 15368 },
    });
    awsWithRecentDrift();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    github.assertAllUsed('GET comments'); // the look-alike was listed and passed over, not missed
    expect(github.count('POST comment')).toBe(1);
    expect(github.comments.at(-1)!.body).toContain('Reality check: 1 blocking');
  });

  it('keeps a newer result when a run for an older push finishes last', async () => {
    awsWithRecentDrift();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA, updatedAt: '2026-11-27T12:05:00Z' }));
    const older = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    github.repo.files[older] = { [TEMPLATE_PATH]: QUEUE_RETENTION_EDIT };
    awsWithRecentDrift();
    await app.deliver('pull_request', pullRequestEvent({ headSha: older, baseSha: BASE_SHA, updatedAt: '2026-11-27T12:01:00Z' }));
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toContain(`head=${HEAD_SHA}`);
    expect(github.count('PATCH comment')).toBe(0);
  });
});

describe('what the verdict depends on', () => {
  it('blocks a PR that changes a hotfixed property through a parameter default', async () => {
    const withParameter = edit(
      edit(BASE_TEMPLATE, 'Parameters:\n', 'Parameters:\n  QueueTimeout:\n    Type: Number\n    Default: 30\n'),
      'VisibilityTimeout: 30',
      'VisibilityTimeout: !Ref QueueTimeout',
    );
    const head = edit(withParameter, 'Default: 30', 'Default: 60');
    await start(repo(head, { files: { [BASE_SHA]: { [TEMPLATE_PATH]: withParameter }, [HEAD_SHA]: { [TEMPLATE_PATH]: head } }, pullFiles: { 2: [{ filename: TEMPLATE_PATH, patch: githubPatch(withParameter, head) }] } }));
    awsWithRecentDrift(withParameter);
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('failure');
    const conflict = check.annotations.find((a) => a.title === 'conflict: OrdersQueue');
    expect(conflict?.message).toContain('what VisibilityTimeout of OrdersQueue resolves to');
  });

  it('does not fail a PR that only edits a resource that is in sync', async () => {
    await start(repo(edit(BASE_TEMPLATE, 'BillingMode: PAY_PER_REQUEST', 'BillingMode: PROVISIONED')));
    awsWithRecentDrift();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('success');
    expect(check.annotations.every((a) => a.annotation_level !== 'failure')).toBe(true);
  });

  it('blocks a PR that edits a resource deleted live, naming it', async () => {
    await start(repo(edit(BASE_TEMPLATE, 'TopicName: orders-events', 'TopicName: orders-events-v2')));
    awsWithRecentDrift();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('failure');
    const deleted = check.annotations.find((a) => a.annotation_level === 'failure' && String(a.title).includes('OrdersTopic'));
    expect(deleted, JSON.stringify(check.annotations)).toBeDefined();
    expect(github.comments[0]!.body).toMatch(/OrdersTopic[\s\S]*deleted/i);
  });

  it('never reports success when AWS answers AccessDenied, and names the call and the reason', async () => {
    await start(repo(edit(BASE_TEMPLATE, 'BillingMode: PAY_PER_REQUEST', 'BillingMode: PROVISIONED')));
    cfn('DescribeStacks').reply(200, cfnOk('DescribeStacks', stackXml({ lastCheck: '2026-01-01T00:00:00.000Z' })), XML);
    cfn('GetTemplate').reply(200, cfnOk('GetTemplate', templateXml(BASE_TEMPLATE)), XML);
    cfn('ListStackResources').reply(200, cfnOk('ListStackResources', resourcesXml(RESOURCES)), XML);
    cfn('DetectStackDrift').reply(
      403,
      awsError('AccessDenied', 'User: arn:aws:sts::123456789012:assumed-role/realitycheck/app is not authorized to perform: cloudformation:DetectStackDrift'),
      XML,
    );
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('neutral');
    expect(check.output!.summary).toContain('DetectStackDrift');
    expect(check.output!.summary).toContain('AccessDenied');
    expect(github.comments[0]!.body).toContain('DetectStackDrift');
    expect(github.comments[0]!.body).not.toMatch(/matches what is running/i);
  });

  it('runs a fresh drift detection when the last one is older than maxDriftAge', async () => {
    await start(repo(QUEUE_RETENTION_EDIT));
    awsWithFreshDetection('2026-01-01T00:00:00.000Z');
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    expect(github.checkFor(HEAD_SHA)!.conclusion).toBe('failure');
    expect(github.comments[0]!.body).toMatch(/fresh/i);
  });

  it('does not pass a PR on drift records older than the last deploy, although one resource was checked a minute ago', async () => {
    await start(repo(QUEUE_RETENTION_EDIT));
    // Deployed an hour ago; the queue's record is from before that deploy (in sync then). A
    // single-resource check on the table a minute ago moved the stack's LastCheckTimestamp.
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const minuteAgo = new Date(Date.now() - 60_000).toISOString();
    const beforeDeploy = new Date(Date.now() - 2 * 3_600_000).toISOString();
    cfn('DescribeStacks').reply(200, cfnOk('DescribeStacks', stackXml({ lastCheck: minuteAgo, lastUpdated: hourAgo, parameters: { DbPassword: '****' } })), XML);
    cfn('GetTemplate').reply(200, cfnOk('GetTemplate', templateXml(BASE_TEMPLATE)), XML);
    cfn('ListStackResources').reply(200, cfnOk('ListStackResources', resourcesXml(RESOURCES)), XML);
    const oldRecords = DRIFTS.map((d) =>
      d.logicalId === 'OrdersQueue'
        ? { ...d, status: 'IN_SYNC' as const, differences: [], actual: d.expected, timestamp: beforeDeploy }
        : { ...d, timestamp: d.logicalId === 'OrdersTable' ? minuteAgo : beforeDeploy },
    );
    cfn('DescribeStackResourceDrifts').reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml(oldRecords)), XML);
    // so the app detects again, and finds the hotfix
    cfn('DetectStackDrift').reply(200, cfnOk('DetectStackDrift', '<StackDriftDetectionId>d-2</StackDriftDetectionId>'), XML);
    cfn('DescribeStackDriftDetectionStatus').reply(200, cfnOk('DescribeStackDriftDetectionStatus', detectionStatusXml('d-2', 'DETECTION_COMPLETE')), XML);
    cfn('DescribeStackResourceDrifts').reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml(DRIFTS)), XML);

    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));

    expect(github.checkFor(HEAD_SHA)!.conclusion).toBe('failure');
    expect(github.comments[0]!.body).toContain('VisibilityTimeout');
  });

  it('points at the line of a template broken mid-file, and keeps serving the next event', async () => {
    const broken = edit(QUEUE_RETENTION_EDIT, '      TableName: orders\n', '      TableName: orders\n     BillingMode: [unclosed\n');
    const fake = repo(broken);
    await start(fake);
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('failure');
    const annotation = check.annotations.find((a) => a.path === TEMPLATE_PATH);
    expect(annotation, JSON.stringify(check.output)).toBeDefined();
    const breakLine = broken.split('\n').findIndex((l) => l.includes('[unclosed')) + 1;
    expect(Math.abs(Number(annotation!.start_line) - breakLine)).toBeLessThanOrEqual(3);

    // the next push fixes it; the app answers as usual
    const fixedSha = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
    fake.files[fixedSha] = { [TEMPLATE_PATH]: QUEUE_RETENTION_EDIT };
    awsWithRecentDrift();
    await app.deliver('pull_request', pullRequestEvent({ headSha: fixedSha, baseSha: BASE_SHA, updatedAt: '2099-01-01T00:00:00Z' }));
    expect(github.checkFor(fixedSha)!.conclusion).toBe('failure');
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toContain('VisibilityTimeout');
  });
});

describe('templates that do not parse on the base branch, or are new', () => {
  it('does not block a pull request that fixes a template broken on the base branch, but does not pass it either', async () => {
    const broken = edit(BASE_TEMPLATE, '      TableName: orders\n', '      TableName: [orders\n');
    await start(repo(QUEUE_RETENTION_EDIT, { files: { [BASE_SHA]: { [TEMPLATE_PATH]: broken }, [HEAD_SHA]: { [TEMPLATE_PATH]: QUEUE_RETENTION_EDIT } }, pullFiles: { 2: [TEMPLATE_PATH] } }));
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('neutral');
    expect(check.annotations).toEqual([]); // base line numbers would point at the wrong lines of the head
    expect(check.output!.summary).toMatch(/does not parse on the base branch \(line 1[78]/);
  });

  it('follows a template the pull request moves, annotates it at its new path, and says the config must follow', async () => {
    const moved = 'infra/orders-service.yaml';
    await start(
      repo(QUEUE_RETENTION_EDIT, {
        files: { [BASE_SHA]: { [TEMPLATE_PATH]: BASE_TEMPLATE }, [HEAD_SHA]: { [moved]: QUEUE_RETENTION_EDIT } },
        pullFiles: { 2: [{ filename: moved, previous_filename: TEMPLATE_PATH, status: 'renamed', patch: githubPatch(BASE_TEMPLATE, QUEUE_RETENTION_EDIT) }] },
      }),
    );
    awsWithRecentDrift();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('failure');
    expect(check.annotations.find((a) => String(a.title).includes('OrdersQueue'))?.path).toBe(moved);
    expect(github.comments[0]!.body).toContain('realitycheck.yml');
  });

  it('reports a template it cannot read at the head instead of treating it as deleted', async () => {
    await start(repo(QUEUE_RETENTION_EDIT, { files: { [BASE_SHA]: { [TEMPLATE_PATH]: BASE_TEMPLATE }, [HEAD_SHA]: {} } }));
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('neutral');
    expect(check.output!.summary).toContain('could not be read at the head commit');
  });

  it('blocks a head template over 1 MB, naming the file, its size and the cap, without reading it whole', async () => {
    const huge = `${QUEUE_RETENTION_EDIT}# ${'x'.repeat(20 * 1024 * 1024)}\n`;
    // GitHub sends no patch for a diff this large
    await start(repo(huge, { files: { [BASE_SHA]: { [TEMPLATE_PATH]: BASE_TEMPLATE }, [HEAD_SHA]: { [TEMPLATE_PATH]: huge } }, pullFiles: { 2: [TEMPLATE_PATH] } }));
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('failure');
    expect(check.annotations.find((a) => a.path === TEMPLATE_PATH)?.start_line, JSON.stringify(check.output).slice(0, 1500)).toBe(1);
    expect(check.output!.summary).toMatch(/is (more than )?\d+ bytes; CloudFormation accepts at most 1 MB \(1048576 bytes\), so it was not read/);
  });

  it('reads the base at the merge base when GitHub gives no patch', async () => {
    const mergeBase = 'aaaa000000000000000000000000000000000000';
    await start(
      repo(QUEUE_RETENTION_EDIT, {
        mergeBase,
        // the base branch moved on and changed the queue after this branch left it
        files: { [BASE_SHA]: { [TEMPLATE_PATH]: edit(BASE_TEMPLATE, 'VisibilityTimeout: 30', 'VisibilityTimeout: 45') }, [mergeBase]: { [TEMPLATE_PATH]: BASE_TEMPLATE }, [HEAD_SHA]: { [TEMPLATE_PATH]: QUEUE_RETENTION_EDIT } },
        pullFiles: { 2: [TEMPLATE_PATH] },
      }),
    );
    awsWithRecentDrift();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    expect(github.count('GET compare')).toBe(1);
    // the pull request changes MessageRetentionPeriod only: a revert, not a conflict on VisibilityTimeout
    const titles = github.checkFor(HEAD_SHA)!.annotations.map((a) => a.title);
    expect(titles).toContain('revert: OrdersQueue');
    expect(titles).not.toContain('conflict: OrdersQueue');
  });

  it('does not trust a patch made for another head (a file list lagging a push)', async () => {
    // The listed patch is for an older push that only edited the table; the newest push
    // also edits the queue, far enough away that the old patch still applies.
    const older = edit(BASE_TEMPLATE, 'BillingMode: PAY_PER_REQUEST', 'BillingMode: PROVISIONED');
    const newer = edit(older, 'VisibilityTimeout: 30', 'VisibilityTimeout: 90');
    await start(
      repo(newer, {
        files: { [BASE_SHA]: { [TEMPLATE_PATH]: BASE_TEMPLATE }, [HEAD_SHA]: { [TEMPLATE_PATH]: newer } },
        pullFiles: { 2: [{ filename: TEMPLATE_PATH, patch: githubPatch(BASE_TEMPLATE, older), sha: blobSha(older) }] },
      }),
    );
    awsWithRecentDrift();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    expect(github.count('GET compare')).toBe(1);
    // the newest push edits the hotfixed VisibilityTimeout itself: a conflict, not hidden in the "base"
    expect(github.checkFor(HEAD_SHA)!.annotations.map((a) => a.title)).toContain('conflict: OrdersQueue');
  });

  it('checks a template the pull request adds against the stack it names', async () => {
    await start(repo(QUEUE_RETENTION_EDIT, { files: { [BASE_SHA]: {}, [HEAD_SHA]: { [TEMPLATE_PATH]: QUEUE_RETENTION_EDIT } }, pullFiles: { 2: [{ filename: TEMPLATE_PATH, status: 'added', patch: githubPatch('', QUEUE_RETENTION_EDIT) }] } }));
    awsWithRecentDrift();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('failure'); // it would overwrite the queue hotfix and the deleted topic
    expect(github.count('GET contents')).toBe(1);
  });
});

describe('a large stack', () => {
  it('sends every annotation, 50 per request, when 120 resources drifted', async () => {
    const queues = Array.from({ length: 120 }, (_, i) => `Queue${i}`);
    const template = (timeout: number) =>
      `Resources:\n${queues.map((q, i) => `  ${q}:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: ${i === 0 ? timeout : 30}\n`).join('')}`;
    const fake = repo(template(45), {
      files: { [BASE_SHA]: { [TEMPLATE_PATH]: template(30) }, [HEAD_SHA]: { [TEMPLATE_PATH]: template(45) } },
      pullFiles: { 2: [{ filename: TEMPLATE_PATH, patch: githubPatch(template(30), template(45)) }] },
    });
    await start(fake);
    const lastCheck = new Date(Date.now() - 60_000).toISOString();
    const resources = queues.map((q) => ({ logicalId: q, physicalId: `https://sqs.us-east-1.amazonaws.com/123456789012/${q}`, type: 'AWS::SQS::Queue', drift: 'MODIFIED' }));
    const drifts = resources.map((r) => ({
      ...r,
      status: 'MODIFIED' as const,
      expected: { VisibilityTimeout: 30 },
      actual: { VisibilityTimeout: 90 },
      differences: [{ path: '/VisibilityTimeout', expected: '30', actual: '90' }],
      timestamp: lastCheck,
    }));
    cfn('DescribeStacks').reply(200, cfnOk('DescribeStacks', stackXml({ lastCheck })), XML);
    cfn('GetTemplate').reply(200, cfnOk('GetTemplate', templateXml(template(30))), XML);
    cfn('ListStackResources').reply(200, cfnOk('ListStackResources', resourcesXml(resources)), XML);
    cfn('DescribeStackResourceDrifts').reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml(drifts.slice(0, 100), 'page-2')), XML);
    cfn('DescribeStackResourceDrifts', (p) => p.get('NextToken') === 'page-2').reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml(drifts.slice(100))), XML);

    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('failure'); // Queue0: the PR changes the very property that drifted
    expect(check.annotations).toHaveLength(120);
    expect(check.annotations[0]).toMatchObject({ title: 'conflict: Queue0', annotation_level: 'failure' });
    expect(check.updates).toBe(3); // 50 + 50 + 20
    expect(Buffer.byteLength(github.comments[0]!.body)).toBeLessThanOrEqual(65_535);
  });
});

describe('scope and configuration', () => {
  it('stays silent in a repository without .github/realitycheck.yml: no check, no comment, no AWS call', async () => {
    await start(repo(QUEUE_RETENTION_EDIT, { config: undefined }));
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    expect(github.checkRuns.map((c) => c.output)).toEqual([]);
    expect(github.comments).toEqual([]);
    expect(github.count('GET config')).toBe(2); // the repository, then the owner's .github repository
  });

  it('passes a PR that touches no configured template without a comment or an AWS call', async () => {
    await start(repo(QUEUE_RETENTION_EDIT, { pullFiles: { 2: ['README.md', 'src/orders.ts'] } }));
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    expect(github.checkFor(HEAD_SHA)!.conclusion).toBe('success');
    expect(github.comments).toEqual([]);
    expect(github.count('GET contents')).toBe(0);
  });

  it('checks a template that a cut-short file list leaves out, found changed by its git object id', async () => {
    // 3,500 files changed; GitHub lists 3,000 and the template is not among them.
    await start(repo(QUEUE_RETENTION_EDIT, { pullFiles: { 2: ['README.md'] } }));
    awsWithRecentDrift();
    const payload = pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA });
    payload.pull_request.changed_files = 3500;
    await app.deliver('pull_request', payload);
    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('failure');
    expect(github.comments[0]!.body).toContain('VisibilityTimeout');
    github.assertAllUsed('GET compare');
  });

  it('passes a pull request whose cut-short file list hides no change to a template, without an AWS call', async () => {
    await start(repo(BASE_TEMPLATE, { pullFiles: { 2: ['README.md'] } }));
    const payload = pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA });
    payload.pull_request.changed_files = 3500;
    await app.deliver('pull_request', payload);
    expect(github.checkFor(HEAD_SHA)!.conclusion).toBe('success');
    github.assertAllUsed('GET compare', 'GET contents');
  });

  it('fails closed when a cut-short file list cannot be settled (GitHub errors on the listing)', async () => {
    const config = `${CONFIG.replace('policy:', `  - name: network\n    cloudformation:\n      stack: network-prod\n      template: infra/network.yaml\npolicy:`)}`;
    await start(repo(edit(BASE_TEMPLATE, 'BillingMode: PAY_PER_REQUEST', 'BillingMode: PROVISIONED'), { config, pullFiles: { 2: ['README.md'] }, failContentListings: 502 }));
    const payload = pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA });
    payload.pull_request.changed_files = 3500;
    await app.deliver('pull_request', payload);
    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('failure');
    expect(check.output!.title).toBe('Could not verify');
  });

  it('shows an invalid config as a neutral check that names the key, the problem and what is allowed', async () => {
    await start(repo(QUEUE_RETENTION_EDIT, { config: `${CONFIG}  ai: lax\n` }));
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('neutral');
    expect(check.output!.summary).toContain('policy.ai');
    expect(check.output!.summary).toContain('strict');
    expect(check.output!.summary).toContain('.github/realitycheck.yml');
  });

  it('shows a config that is not valid YAML as a neutral check with its line', async () => {
    await start(repo(QUEUE_RETENTION_EDIT, { config: 'targets:\n  - name: [orders\n' }));
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('neutral');
    expect(check.output!.summary).toMatch(/line \d/);
  });
});
