// Fail closed, end to end: whatever stops a run (GitHub answering 500, AWS answering
// something malformed, a deployed template that does not parse, the run's deadline), the
// commit's newest `Reality check` never passes what was not verified. GitHub and AWS are
// answered over nock in their wire formats; the app, its queue and providers are real.
import nock from 'nock';
import { Probot } from 'probot';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { InProcessQueue } from '../../src/queue/queue.js';
import { FakeGitHub, type FakeRepo } from '../helpers/fake-github.js';
import { pullRequestEvent, testPrivateKey, TestOctokit } from '../helpers/probot.js';
import { cfn, cfnOk, resourcesXml, stackXml, templateXml, XML } from '../live/fake-aws.js';
import { awsWithRecentDrift, fakeRepo, finish, useFakeAwsEnvironment } from './harness.js';
import { BASE_SHA, BASE_TEMPLATE, CONFIG, edit, HEAD_SHA, OWNER, REPO, RESOURCES } from './fixtures.js';

const API = 'https://api.github.com';
const QUEUE_RETENTION_EDIT = edit(BASE_TEMPLATE, 'MessageRetentionPeriod: 345600', 'MessageRetentionPeriod: 1209600');
const TABLE_EDIT = edit(BASE_TEMPLATE, 'BillingMode: PAY_PER_REQUEST', 'BillingMode: PROVISIONED');
const BLOCKING_CONFIG = CONFIG.replace('unreadable: warn', 'unreadable: block');
/** How long GitHub takes to answer in the in-flight abort test: far past that test's time limit. */
const TEMPLATE_ANSWER_DELAY_MS = 60_000;

let github: FakeGitHub | undefined;

beforeAll(useFakeAwsEnvironment);
afterEach(() => {
  delete process.env.REALITYCHECK_RUN_TIMEOUT;
  finish(github);
  github = undefined;
});

interface LogRecord {
  level: string;
  msg?: string;
  [key: string]: unknown;
}

/** A logger in the shape Probot uses (pino's methods and `child`) that keeps what it is told. */
function recordingLogger(records: LogRecord[], bindings: Record<string, unknown> = {}): any {
  const at = (level: string) => (obj: unknown, msg?: string) => {
    const fields = typeof obj === 'object' && obj !== null ? (obj as Record<string, unknown>) : { msg: String(obj) };
    records.push({ level, ...bindings, ...fields, ...(msg !== undefined ? { msg } : {}) });
  };
  return {
    level: 'info',
    child: (more: Record<string, unknown>) => recordingLogger(records, { ...bindings, ...more }),
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    fatal: at('fatal'),
  };
}

async function startApp(repo: FakeRepo, records: LogRecord[] = []) {
  github = new FakeGitHub(repo);
  const queue = new InProcessQueue(2, { info() {}, error() {} });
  const probot = new Probot({ appId: 1, privateKey: testPrivateKey(), Octokit: TestOctokit, log: recordingLogger(records) });
  await probot.load(createApp({ queue, cloudformation: { sleep: async () => {}, aws: { maxAttempts: 1 } } }));
  return {
    github,
    async deliver(id: string, payload: object) {
      await probot.receive({ id, name: 'pull_request', payload } as Parameters<Probot['receive']>[0]);
      await queue.idle();
    },
  };
}

/**
 * GitHub answering 500 on one route, registered before the fake GitHub so it is asked first
 * while `failing()` says so (nock tries interceptors in the order they were defined).
 */
function githubFails(path: RegExp, failing: () => boolean = () => true): void {
  nock(API)
    .persist()
    .get((uri) => path.test(uri) && failing())
    .reply(500, { message: 'Server Error' }, { 'content-type': 'application/json; charset=utf-8' });
}

const base = `/repos/${OWNER}/${REPO}`;
const CONFIG_ROUTE = new RegExp(`^${base}/contents/\\.github(%2F|/)realitycheck\\.yml`);
const FILES_ROUTE = new RegExp(`^${base}/pulls/\\d+/files`);
const CONTENT_ROUTE = new RegExp(`^${base}/contents/infra`);

describe('a run that cannot finish', () => {
  it('writes a completed failure when GitHub answers 500 for the config, even over an earlier success on the same commit', async () => {
    let configDown = false;
    githubFails(CONFIG_ROUTE, () => configDown);
    // the pull request touches no template at first: a success with no AWS call
    const app = await startApp(fakeRepo(QUEUE_RETENTION_EDIT, { pullFiles: { 2: ['src/orders.ts'] } }));
    await app.deliver('delivery-1', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA, action: 'opened' }));
    expect(github!.checkFor(HEAD_SHA)?.conclusion).toBe('success');

    configDown = true;
    await app.deliver('delivery-2', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA, action: 'reopened' }));
    const check = github!.checkFor(HEAD_SHA)!;
    expect([check.status, check.conclusion, check.output?.title]).toEqual(['completed', 'failure', 'Could not verify']);
    expect(check.output?.summary).toContain('nothing was verified');
    expect(check.output?.summary).toContain('/realitycheck recheck');
    expect(check.output?.summary).toContain('delivery-2');
  });

  it('writes a completed failure when GitHub answers 500 listing the changed files', async () => {
    githubFails(FILES_ROUTE);
    const app = await startApp(fakeRepo(QUEUE_RETENTION_EDIT));
    await app.deliver('delivery-files', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const check = github!.checkFor(HEAD_SHA)!;
    expect([check.status, check.conclusion, check.output?.title]).toEqual(['completed', 'failure', 'Could not verify']);
    expect(github!.comments).toEqual([]);
  });

  it('completes its started check run as a failure when reading the template fails, and logs the error with the delivery id', async () => {
    githubFails(CONTENT_ROUTE);
    const records: LogRecord[] = [];
    const app = await startApp(fakeRepo(QUEUE_RETENTION_EDIT), records);
    await app.deliver('delivery-content', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));

    const runs = github!.checkRuns.filter((c) => c.head_sha === HEAD_SHA);
    expect(runs).toHaveLength(1); // the in-progress run, completed
    expect([runs[0]!.status, runs[0]!.conclusion, runs[0]!.output?.title]).toEqual(['completed', 'failure', 'Could not verify']);
    expect(runs[0]!.output?.summary).toContain('Server Error');
    const logged = records.find((r) => r.level === 'error' && r.msg === 'reality check failed');
    expect(logged).toMatchObject({ deliveryId: 'delivery-content', key: `${OWNER}/${REPO}#2` });
  });

  it('concludes failure, not superseded, when the run passes its deadline (REALITYCHECK_RUN_TIMEOUT)', async () => {
    process.env.REALITYCHECK_RUN_TIMEOUT = '20ms';
    // AWS is slow: the deadline passes before live state is read, wherever the run is then.
    const lastCheck = new Date(Date.now() - 60_000).toISOString();
    cfn('DescribeStacks').delay(500).optionally().reply(200, cfnOk('DescribeStacks', stackXml({ lastCheck })), XML);
    cfn('GetTemplate').optionally().reply(200, cfnOk('GetTemplate', templateXml(BASE_TEMPLATE)), XML);
    cfn('ListStackResources').optionally().reply(200, cfnOk('ListStackResources', resourcesXml(RESOURCES)), XML);
    const app = await startApp(fakeRepo(QUEUE_RETENTION_EDIT));
    await app.deliver('delivery-slow', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));

    const check = github!.checkFor(HEAD_SHA)!;
    expect([check.status, check.conclusion, check.output?.title]).toEqual(['completed', 'failure', 'Could not verify within 20 ms']);
    expect(check.output?.summary).toContain('REALITYCHECK_RUN_TIMEOUT');
    expect(github!.comments).toEqual([]);
    nock.abortPendingRequests();
  });

  it('keeps a verdict it reached when publishing it fails: the check run says so, never milder', async () => {
    awsWithRecentDrift();
    // The first write of the result answers 500; the run then closes its check run itself.
    nock(API).patch(new RegExp(`^${base}/check-runs/\\d+$`)).reply(500, { message: 'Server Error' }, { 'content-type': 'application/json; charset=utf-8' });
    const app = await startApp(fakeRepo(TABLE_EDIT));
    await app.deliver('delivery-publish', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));

    const check = github!.checkFor(HEAD_SHA)!;
    // The table did not drift: the verdict was success, and it stands.
    expect([check.status, check.conclusion, check.output?.title]).toEqual(['completed', 'success', 'Checked, but the report could not be published']);
    expect(check.output?.summary).toContain('/realitycheck recheck');
  });

  it('refuses to start with a run time limit that is not a duration, naming the variable', async () => {
    process.env.REALITYCHECK_RUN_TIMEOUT = 'soon';
    const probot = new Probot({ appId: 1, privateKey: testPrivateKey(), Octokit: TestOctokit, log: recordingLogger([]) });
    await expect(probot.load(createApp({ queue: new InProcessQueue(1, { info() {}, error() {} }) }))).rejects.toThrow(
      'REALITYCHECK_RUN_TIMEOUT must be a duration such as 10m, 90s or 600 (seconds), got "soon"',
    );
  });

  it('stops a GitHub request in flight at the deadline, so a late run reads no AWS state', async () => {
    // The deadline must pass while the template is being read (the phases before take far less).
    process.env.REALITYCHECK_RUN_TIMEOUT = '1s';
    // The template would answer only after this test's own time limit: the run can end in
    // time only if the deadline aborts the request itself. Waiting for the answer and
    // stopping at the next phase boundary would ask AWS nothing either, so `awsAsked` alone
    // cannot tell the two apart; the time limit does. (nock calls a reply function before
    // its delay, so a flag set there cannot say whether the answer was sent.)
    nock(API).get(CONTENT_ROUTE).delay(TEMPLATE_ANSWER_DELAY_MS).reply(200, QUEUE_RETENTION_EDIT, { 'content-type': 'text/plain; charset=utf-8' });
    // AWS would answer at once, but must not be asked.
    let awsAsked = false;
    cfn('DescribeStacks')
      .optionally()
      .reply(() => {
        awsAsked = true;
        return [200, cfnOk('DescribeStacks', stackXml({})), XML];
      });
    const app = await startApp(fakeRepo(QUEUE_RETENTION_EDIT));
    await app.deliver('delivery-late', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));

    expect(github!.checkFor(HEAD_SHA)?.output?.title).toBe('Could not verify within 1 s');
    expect(awsAsked).toBe(false);
    nock.abortPendingRequests();
  }, TEMPLATE_ANSWER_DELAY_MS / 4);
});

describe('a live-state provider that rejects', () => {
  const SNAPSHOT_PATH = 'live/orders-prod.json';
  const snapshotConfig = CONFIG.replace('stack: orders-prod', `stack: orders-prod\n      snapshot: ${SNAPSHOT_PATH}\n      snapshotMaxAge: 3650d`);
  /** A JSON text nested far deeper than the drift comparison can recurse (it overflows the stack). */
  const nested = (leaf: string) => `{"RedrivePolicy":${'['.repeat(100_000)}${leaf}${']'.repeat(100_000)}}`;

  it('concludes failure ("Could not verify") when reading live state throws, never neutral or success', async () => {
    // The snapshot is valid by its schema (properties may be given as JSON text), but
    // comparing the queue's properties throws a RangeError inside the provider, and the
    // snapshot provider lets it through: the run has no live state for the target at all.
    expect(snapshotConfig).toContain(`snapshot: ${SNAPSHOT_PATH}`);
    const snapshot = JSON.stringify({
      format_version: '1',
      read_at: '2026-11-27T09:30:00Z',
      stack: { name: 'orders-prod', status: 'UPDATE_COMPLETE', region: 'us-east-1' },
      resources: [
        {
          logical_id: 'OrdersQueue',
          type: 'AWS::SQS::Queue',
          status: 'MODIFIED',
          differences: [{ path: 'RedrivePolicy', expected: 'deep', actual: 'deeper' }],
          expected_properties: nested('"orders-dlq"'),
          actual_properties: nested('"orders-dlq-2"'),
        },
        { logical_id: 'OrdersTable', type: 'AWS::DynamoDB::Table', status: 'IN_SYNC' },
      ],
    });
    const repo = fakeRepo(TABLE_EDIT, { config: snapshotConfig });
    repo.files.master = { [SNAPSHOT_PATH]: snapshot };
    const records: LogRecord[] = [];
    const app = await startApp(repo, records);
    await app.deliver('delivery-provider', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));

    const runs = github!.checkRuns.filter((c) => c.head_sha === HEAD_SHA);
    expect(runs).toHaveLength(1);
    expect([runs[0]!.status, runs[0]!.conclusion, runs[0]!.output?.title]).toEqual(['completed', 'failure', 'Could not verify']);
    expect(runs[0]!.output?.summary).toContain('Maximum call stack size exceeded');
    expect(github!.comments).toEqual([]);
    expect(records.find((r) => r.level === 'error' && r.msg === 'reality check failed')).toMatchObject({ deliveryId: 'delivery-provider' });
  });
});

describe('live state that could not be read never passes', () => {
  it.each([
    ['warn', CONFIG, 'neutral'],
    ['block', BLOCKING_CONFIG, 'failure'],
  ])('reports a deployed template that does not parse as unreadable (policy.unreadable: %s)', async (_policy, config, conclusion) => {
    awsWithRecentDrift('Resources:\n  OrdersTable: [unclosed\n');
    // An edit to the table, which did not drift: only the unreadable deployed template stands between it and success.
    const app = await startApp(fakeRepo(TABLE_EDIT, { config }));
    await app.deliver('delivery-deployed', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));

    expect(github!.checkFor(HEAD_SHA)?.conclusion).toBe(conclusion);
    const comment = github!.comments[0]!.body;
    expect(comment).toContain('cloudformation:GetTemplate');
    expect(comment).toContain('the deployed template could not be parsed');
  });

  it.each([
    ['warn', CONFIG, 'neutral'],
    ['block', BLOCKING_CONFIG, 'failure'],
  ])('turns a malformed AWS answer into an unreadable finding, never success (policy.unreadable: %s)', async (_policy, config, conclusion) => {
    const lastCheck = new Date(Date.now() - 60_000).toISOString();
    cfn('DescribeStacks').reply(200, cfnOk('DescribeStacks', stackXml({ lastCheck })), XML);
    cfn('GetTemplate').reply(200, cfnOk('GetTemplate', templateXml(BASE_TEMPLATE)), XML);
    cfn('ListStackResources').reply(200, cfnOk('ListStackResources', resourcesXml(RESOURCES)), XML);
    // Not XML at all where the drift records should be: the SDK cannot read it.
    cfn('DescribeStackResourceDrifts').reply(200, '{"StackResourceDrifts": "not the Query protocol"}', XML);
    // An edit to the table, which did not drift: without the drift records, nothing says it is safe.
    const app = await startApp(fakeRepo(TABLE_EDIT, { config }));
    await app.deliver('delivery-malformed', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));

    const check = github!.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe(conclusion);
    expect(github!.comments[0]!.body).toContain('cloudformation:DescribeStackResourceDrifts');
  });
});

describe('ignore rules and the pull request\'s own edits', () => {
  const ignoring = `${CONFIG}ignore:
  - resource: OrdersQueue
    property: VisibilityTimeout
    reason: tuned by on-call
`;

  it('blocks a PR that edits the ignored VisibilityTimeout hotfixed live, and says the rule does not apply', async () => {
    awsWithRecentDrift();
    const head = edit(BASE_TEMPLATE, 'VisibilityTimeout: 30', 'VisibilityTimeout: 60');
    const app = await startApp(fakeRepo(head, { config: ignoring }));
    await app.deliver('delivery-ignore-1', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));

    expect(github!.checkFor(HEAD_SHA)?.conclusion).toBe('failure');
    const comment = github!.comments[0]!.body;
    expect(comment).toContain('does not apply to a property this pull request edits');
    expect(comment).toMatch(/`120`/);
  });

  it('lets the ignored hotfix go when the PR edits another property of the queue, and lists it as reset by the deploy', async () => {
    awsWithRecentDrift();
    const app = await startApp(fakeRepo(QUEUE_RETENTION_EDIT, { config: ignoring }));
    await app.deliver('delivery-ignore-2', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));

    expect(github!.checkFor(HEAD_SHA)?.conclusion).toBe('success');
    const comment = github!.comments[0]!.body;
    expect(comment).toContain('1 drift ignored (tuned by on-call; deploying this pull request resets it)');
    expect(comment).not.toMatch(/reverts live changes to VisibilityTimeout/);
  });
});
