// The distributed engine against a real redis-server: supersede across processes, nothing
// lost on restart or SIGKILL, redeliveries queued once, transient errors retried.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisRunQueue, type QueuedRun, type RunAttempt } from '../../src/queue/redis-run-queue.js';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis-server.js';

const quiet = { info() {}, warn() {}, error() {} };
let redis: TestRedis;
const open: Array<RedisRunQueue<unknown>> = [];
let n = 0;

beforeAll(async () => {
  if (redisAvailable) redis = await startRedis();
});
afterAll(async () => redis?.stop());
afterEach(async () => {
  await Promise.all(open.splice(0).map((q) => q.close()));
});

type Execute = (run: QueuedRun<unknown>, signal: AbortSignal, attempt: RunAttempt) => Promise<void>;

function queue(prefix: string, concurrency: number, execute: Execute = async () => undefined, timings: { lockDurationMs?: number; stalledIntervalMs?: number } = {}) {
  const q = new RedisRunQueue<unknown>({ url: redis.url, prefix, concurrency, log: quiet, execute, ...timings });
  open.push(q);
  return q;
}

function run(key: string, label: string, deliveryId?: string): QueuedRun<unknown> {
  return { key, description: label, payload: { label }, ...(deliveryId ? { deliveryId } : {}) };
}

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(!redisAvailable)('the Redis run queue', () => {
  it('runs only the newest of several runs queued for one pull request', async () => {
    const prefix = `t${++n}`;
    const producer = queue(prefix, 0);
    for (const label of ['push 1', 'push 2', 'push 3']) await producer.enqueue(run('acme/app#1', label));
    await producer.enqueue(run('acme/app#2', 'other pull request'));
    const ran: string[] = [];
    queue(prefix, 2, async (r) => void ran.push((r.payload as { label: string }).label));
    await until(() => ran.length >= 2, 'two runs');
    await until(async () => (await producer.counts()).waiting === 0, 'an empty queue');
    expect(ran.sort()).toEqual(['other pull request', 'push 3']);
  });

  it('aborts a running run when a newer one is queued in another process, and refuses its writes', async () => {
    const prefix = `t${++n}`;
    const outcomes: string[] = [];
    let started = 0;
    queue(prefix, 2, async (r, signal, attempt) => {
      started++;
      const label = (r.payload as { label: string }).label;
      if (label === 'old') {
        await until(() => signal.aborted, 'the abort');
        outcomes.push(`old aborted; may write: ${await attempt.isCurrent()}`);
        return;
      }
      outcomes.push(`new ran; may write: ${await attempt.isCurrent()}`);
    });
    const web = queue(prefix, 0); // the web process: enqueues only
    await web.enqueue(run('acme/app#7', 'old'));
    await until(() => started === 1, 'the old run to start');
    await web.enqueue(run('acme/app#7', 'new'));
    await until(() => outcomes.length === 2, 'both runs');
    expect(outcomes.sort()).toEqual(['new ran; may write: true', 'old aborted; may write: false']);
  });

  it('queues a redelivered webhook once', async () => {
    const prefix = `t${++n}`;
    const producer = queue(prefix, 0);
    expect(await producer.enqueue(run('acme/app#3', 'first', 'delivery-1'))).toBe('queued');
    expect(await producer.enqueue(run('acme/app#3', 'again', 'delivery-1'))).toBe('duplicate');
    expect((await producer.counts()).waiting).toBe(1);
  });

  it('loses no waiting run when every process restarts', async () => {
    const prefix = `t${++n}`;
    const before = queue(prefix, 0);
    for (let i = 1; i <= 5; i++) await before.enqueue(run(`acme/app#${i}`, `pr ${i}`));
    await before.close();
    open.splice(open.indexOf(before), 1);
    const ran: string[] = [];
    queue(prefix, 3, async (r) => void ran.push(r.key));
    await until(() => ran.length === 5, 'five runs after the restart');
    expect(new Set(ran).size).toBe(5);
  });

  it('gives the run of a worker killed with SIGKILL to another worker, marked as a retry', async () => {
    const prefix = `t${++n}`;
    const child = fork(fileURLToPath(new URL('./worker-child.ts', import.meta.url)), [redis.url, prefix], { execArgv: ['--import', 'tsx'], stdio: 'ignore' });
    const messages: Array<Record<string, unknown>> = [];
    child.on('message', (m) => messages.push(m as Record<string, unknown>));
    await until(() => messages.some((m) => m.ready), 'the child worker');
    await queue(prefix, 0).enqueue(run('acme/app#9', 'long run'));
    await until(() => messages.some((m) => m.started), 'the child to take the run');
    child.kill('SIGKILL');
    const retried: boolean[] = [];
    queue(prefix, 1, async (_r, _s, attempt) => void retried.push(attempt.retry), { lockDurationMs: 1_000, stalledIntervalMs: 500 });
    await until(() => retried.length === 1, 'the run on the surviving worker', 30_000);
    expect(retried).toEqual([true]);
  }, 40_000);

  it("closes the check run a killed worker left in progress, once a newer run superseded its job", async () => {
    const prefix = `t${++n}`;
    const child = fork(fileURLToPath(new URL('./worker-child.ts', import.meta.url)), [redis.url, prefix], { execArgv: ['--import', 'tsx'], stdio: 'ignore' });
    const messages: Array<Record<string, unknown>> = [];
    child.on('message', (m) => messages.push(m as Record<string, unknown>));
    await until(() => messages.some((m) => m.ready), 'the child worker');
    const producer = queue(prefix, 0);
    await producer.enqueue(run('acme/app#11', 'first push'));
    await until(() => messages.some((m) => m.started), 'the child to take the run');
    child.kill('SIGKILL');
    await producer.enqueue(run('acme/app#11', 'second push'));
    const ran: string[] = [];
    const closed: Array<{ id: number; headSha: string }> = [];
    const survivor = new RedisRunQueue<unknown>({
      url: redis.url,
      prefix,
      concurrency: 1,
      log: quiet,
      lockDurationMs: 1_000,
      stalledIntervalMs: 500,
      execute: async (r) => void ran.push((r.payload as { label: string }).label),
      closeAbandoned: async (_r, check) => void closed.push(check),
    });
    open.push(survivor);
    await until(() => closed.length === 1, 'the abandoned check run to be closed', 30_000);
    expect(closed).toEqual([{ id: 42, headSha: 'a'.repeat(40) }]);
    expect(ran).toEqual(['second push']);
  }, 40_000);

  it('retries a transient failure and gives up at once on any other', async () => {
    const prefix = `t${++n}`;
    const attempts: Record<string, number> = {};
    queue(prefix, 2, async (r) => {
      attempts[r.key] = (attempts[r.key] ?? 0) + 1;
      if (r.key.endsWith('#1') && attempts[r.key]! < 2) throw Object.assign(new Error('Bad gateway'), { status: 502 });
      if (r.key.endsWith('#2')) throw Object.assign(new Error('Not Found'), { status: 404 });
    });
    const producer = queue(prefix, 0);
    await producer.enqueue(run('acme/app#1', 'flaky'));
    await producer.enqueue(run('acme/app#2', 'missing'));
    await until(() => attempts['acme/app#1'] === 2, 'the retry', 15_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(attempts).toEqual({ 'acme/app#1': 2, 'acme/app#2': 1 });
  }, 20_000);
});

describe.skipIf(!redisAvailable)('concurrent deliveries for one pull request', () => {
  it('always runs the newest, however the enqueues interleave', async () => {
    const prefix = `c${++n}`;
    const producers = [queue(prefix, 0), queue(prefix, 0), queue(prefix, 0)];
    // 60 deliveries for one pull request from three web processes at once.
    await Promise.all(Array.from({ length: 60 }, (_, i) => producers[i % 3]!.enqueue(run('acme/app#5', `push ${i}`))));
    const ran: Array<{ label: string; current: boolean }> = [];
    queue(prefix, 2, async (r, _s, attempt) => void ran.push({ label: (r.payload as { label: string }).label, current: await attempt.isCurrent() }));
    await until(() => ran.some((r) => r.current), 'the newest run');
    await until(async () => (await producers[0]!.counts()).waiting === 0, 'an empty queue');
    expect(ran.filter((r) => r.current)).toHaveLength(1);
  });
});
