// Bursts of pushes and the webhook's answer time: handlers only enqueue.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { Probot } from 'probot';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { InProcessQueue } from '../../src/queue/queue.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { pullRequestEvent, testPrivateKey, TestOctokit } from '../helpers/probot.js';
import { cfn, cfnOk, driftsXml, resourcesXml, stackXml, templateXml, XML } from '../live/fake-aws.js';
import { BASE_SHA, BASE_TEMPLATE, DRIFTS, edit, HEAD_SHA, RESOURCES, TEMPLATE_PATH } from './fixtures.js';
import { fakeRepo, finish, startWith, useFakeAwsEnvironment } from './harness.js';

let github: FakeGitHub | undefined;

beforeAll(useFakeAwsEnvironment);
afterEach(() => finish(github));

/** AWS answers for any number of reads of the orders stack (some runs stop before reading). */
function awsForAnyNumberOfReads(options: { delayMs?: number } = {}) {
  const lastCheck = new Date(Date.now() - 60_000).toISOString();
  const delay = options.delayMs ?? 0;
  cfn('DescribeStacks').delay(delay).times(20).reply(200, cfnOk('DescribeStacks', stackXml({ lastCheck })), XML);
  cfn('GetTemplate').times(20).reply(200, cfnOk('GetTemplate', templateXml(BASE_TEMPLATE)), XML);
  cfn('ListStackResources').times(20).reply(200, cfnOk('ListStackResources', resourcesXml(RESOURCES)), XML);
  cfn('DescribeStackResourceDrifts').times(20).reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml(DRIFTS)), XML);
  return () => nock.cleanAll();
}

describe('a burst of pushes', () => {
  it('publishes exactly one final result, for the newest head, after ten quick pushes', async () => {
    const shas = Array.from({ length: 10 }, (_, i) => String(i).repeat(40));
    // Each push changes the template differently; GitHub's patch is left out (as for a large
    // diff), so each run reads the base version itself.
    const repo = fakeRepo(BASE_TEMPLATE, { pullFiles: { 2: [TEMPLATE_PATH] } });
    shas.forEach((sha, i) => {
      repo.files[sha] = { [TEMPLATE_PATH]: edit(BASE_TEMPLATE, 'MessageRetentionPeriod: 345600', `MessageRetentionPeriod: ${2000 + i}`) };
    });
    const started = await startWith(repo);
    github = started.github;
    const cleanAws = awsForAnyNumberOfReads();

    for (const [i, sha] of shas.entries()) {
      await started.app.probot.receive({
        id: `push-${i}`,
        name: 'pull_request',
        payload: pullRequestEvent({ headSha: sha, baseSha: BASE_SHA, updatedAt: `2026-11-27T12:00:${String(i).padStart(2, '0')}Z` }),
      } as Parameters<Probot['receive']>[0]);
    }
    await started.app.queue.idle();
    cleanAws();

    const newest = shas.at(-1)!;
    expect(github.count('POST comment')).toBe(1);
    expect(github.count('PATCH comment')).toBe(0);
    expect(github.comments[0]!.body).toContain(`head=${newest}`);
    expect(github.checkFor(newest)?.conclusion).toBe('failure');
    // Older heads got no verdict: at most a run closed as superseded.
    for (const sha of shas.slice(0, -1)) {
      const check = github.checkFor(sha);
      if (check) expect([check.conclusion, check.output?.title]).toEqual(['cancelled', 'Superseded']);
    }
  });
});

describe('the webhook endpoint', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('answers GitHub before the run has read AWS, on /api/github/webhooks', async () => {
    nock.enableNetConnect(/127\.0\.0\.1/);
    github = new FakeGitHub(fakeRepo(edit(BASE_TEMPLATE, 'VisibilityTimeout: 30', 'VisibilityTimeout: 60')));
    const cleanAws = awsForAnyNumberOfReads({ delayMs: 300 });
    const queue = new InProcessQueue(1, { info() {}, error() {} });
    const probot = new Probot({ appId: 1, privateKey: testPrivateKey(), secret: 'webhook-secret', Octokit: TestOctokit, logLevel: 'fatal' });
    await probot.load(createApp({ queue, cloudformation: { aws: { maxAttempts: 1 } } }));
    const middleware = await probot.getNodeMiddleware();
    server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    const body = JSON.stringify(pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const response = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': 'delivery-1',
        'x-hub-signature-256': `sha256=${createHmac('sha256', 'webhook-secret').update(body).digest('hex')}`,
      },
      body,
    });
    expect(response.status).toBeLessThan(300);
    // The answer came back while the run was still waiting for AWS.
    expect(github.checkFor(HEAD_SHA)?.conclusion).toBeUndefined();
    await queue.idle();
    expect(github.checkFor(HEAD_SHA)?.status).toBe('completed');
    cleanAws();
    nock.disableNetConnect();
  });
});
