// With REDIS_URL: a web process that only queues and a worker process that runs, sharing a
// real redis-server. Both are real Probot apps here (in one test process); GitHub and AWS are
// answered as in the other end-to-end tests.
import nock from 'nock';
import { Probot } from 'probot';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { InProcessQueue } from '../../src/queue/queue.js';
import type { RedisRunQueue } from '../../src/queue/redis-run-queue.js';
import type { FakeGitHub } from '../helpers/fake-github.js';
import { pullRequestEvent, testPrivateKey, TestOctokit } from '../helpers/probot.js';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { BASE_SHA, edit, BASE_TEMPLATE, HEAD_SHA } from './fixtures.js';
import { awsWithRecentDrift, fakeRepo, finish, useFakeAwsEnvironment } from './harness.js';
import { FakeGitHub as GitHub } from '../helpers/fake-github.js';

const quiet = { info() {}, warn() {}, error() {} };
let redis: TestRedis;
let github: FakeGitHub | undefined;
const queues: Array<RedisRunQueue<unknown>> = [];
let n = 0;

beforeAll(async () => {
  useFakeAwsEnvironment();
  if (redisAvailable) {
    redis = await startRedis();
    nock.enableNetConnect(`127.0.0.1:${redis.port}`);
  }
});
afterAll(async () => redis?.stop());
afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.close()));
  await finish(github);
});

async function app(prefix: string, concurrency: number): Promise<{ probot: Probot; queue: RedisRunQueue<unknown> }> {
  const probot = new Probot({ appId: 1, privateKey: testPrivateKey(), Octokit: TestOctokit, logLevel: 'fatal' });
  let queue: RedisRunQueue<unknown> | undefined;
  await probot.load(
    createApp({
      queue: new InProcessQueue(1, quiet),
      redis: { url: redis.url, prefix, concurrency },
      onQueue: (q) => (queue = q as RedisRunQueue<unknown>),
      cloudformation: { sleep: async () => {}, aws: { maxAttempts: 1 } },
    }),
  );
  queues.push(queue!);
  return { probot, queue: queue! };
}

async function drained(queue: RedisRunQueue<unknown>, done: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const counts = await queue.counts();
    if (done() && (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) === 0) return;
    if (Date.now() > deadline) throw new Error(`the queue did not drain: ${JSON.stringify(counts)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(!redisAvailable)('runs through Redis', () => {
  it('a webhook taken by the web process is run by a worker: one check run, one comment', async () => {
    const prefix = `e${++n}`;
    github = new GitHub(fakeRepo(edit(BASE_TEMPLATE, 'MessageRetentionPeriod: 345600', 'MessageRetentionPeriod: 86400')));
    awsWithRecentDrift();
    const web = await app(prefix, 0);
    const worker = await app(prefix, 2);
    await web.probot.receive({ id: 'delivery-redis-1', name: 'pull_request', payload: pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }) } as Parameters<Probot['receive']>[0]);
    // GitHub redelivers the same delivery: queued once.
    await web.probot.receive({ id: 'delivery-redis-1', name: 'pull_request', payload: pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }) } as Parameters<Probot['receive']>[0]);
    await drained(worker.queue, () => github!.checkFor(HEAD_SHA)?.status === 'completed');
    expect(github.checkFor(HEAD_SHA)?.conclusion).toBe('failure');
    expect(github.count('POST comment')).toBe(1);
    expect(github.comments[0]!.body).toContain('VisibilityTimeout');
  });
});
