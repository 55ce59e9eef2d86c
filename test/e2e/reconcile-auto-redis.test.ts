// `reconcile.mode: auto` with REDIS_URL: the schedule is a BullMQ Job Scheduler in Redis,
// armed by a push to the default branch, disarmed when the config no longer asks for auto
// mode, kept when every process restarts, and its periods are worked by whichever worker
// takes them (rebuilding the installation's client from the stored installation id).
import webhooks from '@octokit/webhooks-examples';
import nock from 'nock';
import { Probot } from 'probot';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { InProcessQueue } from '../../src/queue/queue.js';
import type { RedisRunQueue } from '../../src/queue/redis-run-queue.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { testPrivateKey, TestOctokit } from '../helpers/probot.js';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { BASE_SHA } from './fixtures.js';
import { finish, useFakeAwsEnvironment } from './harness.js';
import { awsReads, CONFIG, inSync, reconcileRepo, TEMPLATE } from './reconcile-fixtures.js';

const quiet = { info() {}, warn() {}, error() {} };
const REPO = 'Codertocat/Hello-World';
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
  await closeAll();
  await finish(github);
});

async function closeAll(): Promise<void> {
  await Promise.all(queues.splice(0).map((q) => q.close()));
}

interface RedisApp {
  deliver(name: string, payload: unknown): Promise<void>;
  queue: RedisRunQueue<unknown>;
}

/** A web process that also works jobs, on a shared prefix. */
async function app(prefix: string): Promise<RedisApp> {
  const probot = new Probot({ appId: 1, privateKey: testPrivateKey(), Octokit: TestOctokit, logLevel: 'fatal' });
  const local = new InProcessQueue(1, quiet);
  let queue: RedisRunQueue<unknown> | undefined;
  await probot.load(
    createApp({
      queue: local,
      redis: { url: redis.url, prefix, concurrency: 1 },
      onQueue: (q) => (queue = q as RedisRunQueue<unknown>),
      cloudformation: { sleep: async () => {}, aws: { maxAttempts: 1 } },
    }),
  );
  queues.push(queue!);
  return {
    queue: queue!,
    async deliver(name, payload) {
      await probot.receive({ id: `delivery-${Math.random()}`, name, payload } as Parameters<Probot['receive']>[0]);
      await local.idle();
    },
  };
}

type Example = { name: string; examples: Array<Record<string, any>> };

/** The real push example (to master, with an installation), touching the template. */
function pushEvent() {
  const all = (webhooks as unknown as { default?: Example[] }).default ?? (webhooks as unknown as Example[]);
  const payload = structuredClone(all.find((e) => e.name === 'push')!.examples.find((e) => e.installation && e.ref === 'refs/heads/master')!);
  payload.after = BASE_SHA;
  payload.commits[0].added = [];
  payload.commits[0].modified = [TEMPLATE];
  return payload;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(!redisAvailable)('reconcile.mode: auto with Redis', () => {
  it('a push arms the schedule in Redis; it outlives a restart of every process; on-request mode removes it', async () => {
    const prefix = `ra${++n}`;
    github = new FakeGitHub(reconcileRepo({}, 'auto'));
    github.git.branches.master = BASE_SHA;
    const web = await app(prefix);
    await app(prefix);
    awsReads();
    await web.deliver('push', pushEvent());
    expect(github.git.openPulls()).toHaveLength(1);
    expect(await web.queue.schedules()).toEqual([{ id: REPO, everyMs: 24 * 3_600_000 }]);

    await closeAll();
    const restarted = await app(prefix);
    expect(await restarted.queue.schedules()).toEqual([{ id: REPO, everyMs: 24 * 3_600_000 }]);

    github.repo.config = CONFIG('on-request');
    await restarted.deliver('push', pushEvent());
    expect(await restarted.queue.schedules()).toEqual([]);
    expect((await restarted.queue.counts()).delayed).toBe(0);
  });

  it('a period is worked by a worker: it reads the config and live state again and closes the reconcile pull request once live matches', async () => {
    const prefix = `ra${++n}`;
    github = new FakeGitHub(reconcileRepo({ config: CONFIG('auto').replace('mode: auto', 'mode: auto\n  schedule: 2s') }, 'auto'));
    github.git.branches.master = BASE_SHA;
    const web = await app(prefix);
    await app(prefix);
    awsReads();
    await web.deliver('push', pushEvent());
    expect(github.git.openPulls()).toHaveLength(1);
    // someone deploys it from the console; the next period sees live match the code
    awsReads(inSync());
    await until(() => github!.git.openPulls().length === 0, 'the scheduled reconcile to close the pull request');
    expect(github.comments.at(-1)!.body).toContain('matches the code on the default branch again');
    await closeAll();
  });
});
