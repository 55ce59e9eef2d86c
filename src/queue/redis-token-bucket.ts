// A token bucket in Redis, shared by every process on it: AWS calls per account and region
// (`rate:<key>`). One Lua script refills and takes atomically, on Redis's own clock (TIME),
// so workers with skewed clocks still share one rate. The bucket holds one second's worth
// (a burst of `ratePerSecond`), then refills at `ratePerSecond`.
import { Redis } from 'ioredis';

/** Returns 0 when a token was taken, else the milliseconds until one will be there. */
const TAKE = `
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate / 1000)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate) + 60000)
return wait
`;

export const DEFAULT_AWS_RATE = 10;

/** `REALITYCHECK_AWS_RATE`: AWS calls per second per account and region, shared by every process (default 10). */
export function awsRateFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.REALITYCHECK_AWS_RATE;
  if (raw === undefined || raw.trim() === '') return DEFAULT_AWS_RATE;
  const rate = Number(raw);
  if (!Number.isFinite(rate) || rate <= 0) throw new Error(`REALITYCHECK_AWS_RATE must be a number of calls per second > 0, got "${raw}"`);
  return rate;
}

export interface TokenBucketOptions {
  url: string;
  prefix?: string;
  ratePerSecond: number;
  /** The longest one call waits for its token; after that it goes anyway (AWS's own throttling and the SDK's retries remain). */
  maxWaitMs?: number;
}

export class RedisTokenBucket {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(private readonly options: TokenBucketOptions) {
    this.prefix = options.prefix ?? 'realitycheck';
    // Connects on the first AWS call; a Redis that does not answer fails a take fast (see `take`).
    this.redis = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
    this.redis.on('error', () => undefined); // said by the run queue and `/readyz`; a take without Redis just goes
  }

  /**
   * Waits for a token of `key` (bounded by `maxWaitMs`, 30 s by default). Rejects only when
   * `signal` aborts; if Redis does not answer, the call goes unlimited rather than failing
   * a run for want of a rate limiter.
   */
  async take(key: string, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + (this.options.maxWaitMs ?? 30_000);
    const rate = this.options.ratePerSecond;
    for (;;) {
      signal?.throwIfAborted();
      let wait: number;
      try {
        wait = Number(await this.redis.eval(TAKE, 1, `${this.prefix}:rc:rate:${key}`, String(rate), String(Math.max(1, rate))));
      } catch {
        return;
      }
      if (!(wait > 0)) return;
      const left = deadline - Date.now();
      if (left <= 0) return;
      await sleep(Math.min(wait, left), signal);
    }
  }

  close(): void {
    this.redis.disconnect();
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', done);
      resolve();
    }, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
