// The fleet's drift detections in Redis (live/detection-registry.ts): `detect:<stack id>`
// holds the running detection (`{ id, startedAt }`), written by the process that started it
// and removed when it ends. A process about to start one first takes `detect:<stack>` with
// SET NX (value `starting`, 30 s) so two cannot start at once; the others wait for the id
// (polling every 200 ms, at most 30 s, then start their own rather than wait forever).
import { Redis } from 'ioredis';
import type { DetectionRegistry, JoinRule, StartResult } from '../live/detection-registry.js';

const STARTING = 'starting';
const STARTING_MS = 30_000;
/** As long as a detection may be polled (read-drift.ts DEFAULT_POLLING.timeoutMs) and a margin. */
const RUNNING_MS = 6 * 60_000;
const WAIT_STEP_MS = 200;

/** Marks the detection done (kept 2 min for processes whose read began before it started). */
const FINISH = `
local current = redis.call('GET', KEYS[1])
if current and string.find(current, ARGV[1], 1, true) then redis.call('SET', KEYS[1], ARGV[2], 'PX', 120000) end
return 0
`;

export class RedisDetections implements DetectionRegistry {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix = 'realitycheck',
    private readonly now: () => number = Date.now,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: true }); // connects on first use
    this.redis.on('error', () => undefined); // said by the queue's connection and /readyz
  }

  async startOrJoin(stack: string, when: JoinRule, start: () => Promise<StartResult>): Promise<StartResult & { joined?: boolean }> {
    const key = `${this.prefix}:rc:detect:${stack}`;
    const deadline = this.now() + STARTING_MS;
    for (;;) {
      let current: string | null;
      try {
        current = await this.redis.get(key);
      } catch {
        return start(); // Redis is unreachable: detect here, as a single process would
      }
      const running = parse(current);
      if (running && joinable(running, when)) return { ok: true, detectionId: running.id, joined: true };
      if (current === null || running) {
        // none, or one that started before the deploy: start ours (taking the slot first)
        const taken = current === null ? await this.redis.set(key, STARTING, 'PX', STARTING_MS, 'NX').catch(() => 'OK') : 'OK';
        if (taken === 'OK') {
          const startedAt = this.now();
          const result = await start();
          if (result.ok) await this.redis.set(key, JSON.stringify({ id: result.detectionId, startedAt }), 'PX', RUNNING_MS).catch(() => undefined);
          else await this.redis.del(key).catch(() => undefined);
          return result;
        }
      }
      if (this.now() > deadline) return start();
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
    }
  }

  async finished(stack: string, detectionId: string, startedAt?: number): Promise<void> {
    const key = `${this.prefix}:rc:detect:${stack}`;
    const current = parse(await this.redis.get(key));
    if (!current || current.id !== detectionId) return;
    await this.redis.eval(FINISH, 1, key, JSON.stringify(detectionId), JSON.stringify({ id: detectionId, startedAt: startedAt ?? current.startedAt, done: true }));
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/**
 * A running detection is joined when it started after the stack's last deploy; a finished
 * one only when it started after this read began (it is then as fresh as a new one would
 * be: a re-check after a console change never gets a result from before it).
 */
function joinable(detection: Recorded, when: JoinRule): boolean {
  if (when.notBefore && detection.startedAt <= when.notBefore.getTime()) return false;
  return !detection.done || detection.startedAt >= when.since.getTime();
}

interface Recorded {
  id: string;
  startedAt: number;
  done?: boolean;
}

function parse(value: string | null): Recorded | undefined {
  if (!value || value === STARTING) return undefined;
  try {
    const parsed = JSON.parse(value) as { id?: unknown; startedAt?: unknown; done?: unknown };
    if (typeof parsed.id !== 'string' || typeof parsed.startedAt !== 'number') return undefined;
    return { id: parsed.id, startedAt: parsed.startedAt, ...(parsed.done === true ? { done: true } : {}) };
  } catch {
    return undefined;
  }
}
