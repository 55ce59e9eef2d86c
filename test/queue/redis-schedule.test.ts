// Scheduled jobs (reconcile.mode: auto with Redis) against a real redis-server: two worker
// processes on one prefix, a short period. Each period runs once in the fleet, never twice;
// unscheduling stops it; a schedule outlives every process that armed or worked it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisRunQueue } from '../../src/queue/redis-run-queue.js';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis-server.js';

const quiet = { info() {}, warn() {}, error() {} };
const PERIOD = 300;
let redis: TestRedis;
const open: Array<RedisRunQueue<unknown, { repo: string }>> = [];
let n = 0;

interface Tick {
  worker: string;
  id: string;
  repo: string;
  at: number;
}

beforeAll(async () => {
  if (redisAvailable) redis = await startRedis();
});
afterAll(async () => redis?.stop());
afterEach(async () => {
  await Promise.all(open.splice(0).map((q) => q.close()));
});

function worker(prefix: string, name: string, ticks: Tick[]) {
  const q = new RedisRunQueue<unknown, { repo: string }>({
    url: redis.url,
    prefix,
    concurrency: 2,
    log: quiet,
    execute: async () => undefined,
    tick: async (id, data, at) => void ticks.push({ worker: name, id, repo: data.repo, at }),
  });
  open.push(q);
  return q;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** No period ran twice: the periods' times (BullMQ's, not the clock's) are at least one period apart. */
function expectOncePerPeriod(ticks: Tick[]): void {
  const at = ticks.map((t) => t.at).sort((a, b) => a - b);
  expect(new Set(at).size).toBe(at.length);
  for (let i = 1; i < at.length; i++) {
    const gap = at[i]! - at[i - 1]!;
    expect(gap, `periods at ${at.join(', ')}`).toBeGreaterThanOrEqual(PERIOD);
  }
}

describe.skipIf(!redisAvailable)('schedules on the Redis queue', () => {
  it('runs each period once across two workers, first one period after it is armed, and arming twice changes nothing', async () => {
    const prefix = `s${++n}`;
    const ticks: Tick[] = [];
    const a = worker(prefix, 'a', ticks);
    const b = worker(prefix, 'b', ticks);
    const armedAt = Date.now();
    // both web processes saw a push and arm the same repository
    await Promise.all([a.schedule('acme/app', PERIOD, { repo: 'acme/app' }), b.schedule('acme/app', PERIOD, { repo: 'acme/app' })]);
    await b.schedule('acme/app', PERIOD, { repo: 'acme/app' });
    expect(await a.schedules()).toEqual([{ id: 'acme/app', everyMs: PERIOD }]);
    await until(() => ticks.length >= 6, 'six periods');
    expect(ticks[0]!.at).toBeGreaterThanOrEqual(armedAt + PERIOD);
    expect(new Set(ticks.map((t) => `${t.id} ${t.repo}`))).toEqual(new Set(['acme/app acme/app']));
    expectOncePerPeriod(ticks);
  });

  it('stops when unscheduled', async () => {
    const prefix = `s${++n}`;
    const ticks: Tick[] = [];
    const a = worker(prefix, 'a', ticks);
    worker(prefix, 'b', ticks);
    await a.schedule('acme/app', PERIOD, { repo: 'acme/app' });
    await until(() => ticks.length >= 2, 'two periods');
    expect(await a.unschedule('acme/app')).toBe(true);
    expect(await a.schedules()).toEqual([]);
    await until(async () => (await a.counts()).active === 0, 'the last tick to end');
    const before = ticks.length;
    // four periods' worth of opportunity to tick again
    await new Promise((r) => setTimeout(r, 4 * PERIOD));
    expect(ticks.length).toBe(before);
    expect(await a.counts()).toEqual({ waiting: 0, active: 0, delayed: 0 });
  });

  it('keeps the schedule when every process restarts', async () => {
    const prefix = `s${++n}`;
    const ticks: Tick[] = [];
    const a = worker(prefix, 'a', ticks);
    worker(prefix, 'b', ticks);
    await a.schedule('acme/app', PERIOD, { repo: 'acme/app' });
    await until(() => ticks.length >= 1, 'a first period');
    await Promise.all(open.splice(0).map((q) => q.close()));
    const stoppedAt = ticks.length;
    // a new fleet, which never armed anything
    const c = worker(prefix, 'c', ticks);
    worker(prefix, 'd', ticks);
    expect(await c.schedules()).toEqual([{ id: 'acme/app', everyMs: PERIOD }]);
    await until(() => ticks.length >= stoppedAt + 3, 'three periods after the restart');
    expect(new Set(ticks.slice(stoppedAt).map((t) => t.worker))).not.toContain('a');
    expectOncePerPeriod(ticks);
  });

  it('a new period replaces the schedule', async () => {
    const prefix = `s${++n}`;
    const a = worker(prefix, 'a', []);
    await a.schedule('acme/app', 24 * 3_600_000, { repo: 'acme/app' });
    await a.schedule('acme/app', 3_600_000, { repo: 'acme/app' });
    expect(await a.schedules()).toEqual([{ id: 'acme/app', everyMs: 3_600_000 }]);
    expect((await a.counts()).delayed).toBe(1);
  });
});
