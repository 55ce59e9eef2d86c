// The distributed engine (REDIS_URL): runs go to a BullMQ queue on Redis, and any process
// with a worker takes them. What the in-process queue does with a Map, this does across
// processes, with these rules:
//
// - Supersede. Every run for a pull request gets the next number of a Redis counter
//   (`seq:<key>`); the counter's value is "the newest run". A waiting older job is removed,
//   and one that starts anyway (it raced the removal) sees it is not the newest and stops.
//   A running one is told on a pub/sub channel and aborted (its result is never published),
//   and before each of its GitHub writes it checks the counter again (see `isCurrent`), so a
//   lost message cannot let an older run write over a newer one.
// - Nothing lost. Jobs live in Redis until a worker finishes them: a restart of every
//   process loses none. A worker killed mid-run stops renewing its job's lock; after
//   `lockDuration` (30 s) BullMQ's stalled-job check (every 15 s) gives the job to another
//   worker, which reuses the check run the dead one left `in_progress` (`retry`) and finds
//   the summary comment by its marker, so nothing is doubled. Up to 3 stalls per job.
// - Nothing doubled. A webhook GitHub redelivers (same delivery id) is queued once
//   (`delivery:<id>:<key>`, kept a day).
// - Retries. Transient failures (GitHub or Redis 5xx/429, network errors) retry with backoff
//   (3 attempts, 2 s, 4 s); anything else fails at once (UnrecoverableError): the pipeline
//   has already concluded the check run as "could not verify" for errors it saw.
// - Drain. `close()` stops taking jobs and waits for the running ones; a process killed
//   before they finish returns them to the queue through the stalled-job check.
// - Schedules. `schedule(id, every, data)` is a BullMQ Job Scheduler on this same queue: one
//   job per period, taken by one worker, so it runs once per period however many workers
//   there are, and it lives in Redis across restarts. A second job kind here rather than a
//   second queue class: it shares the worker, its drain on SIGTERM, `/readyz` and the
//   connections; a scheduled job is no run (no seq, no supersede, no retry: the next
//   period is the retry).
import { Queue, UnrecoverableError, Worker, type Job as BullJob } from 'bullmq';
import { Redis } from 'ioredis';
import type { JobCounts } from '../metrics/metrics.js';
import { metrics as processMetrics, type Metrics } from '../metrics/metrics.js';
import { SupersededError } from './queue.js';

export const QUEUE_NAME = 'realitycheck-runs';
/** The job name of scheduled jobs (runs are `run`). */
const SCHEDULED = 'scheduled';

export interface QueuedRun<P> {
  /** `owner/repo#number`: runs for one key supersede each other. */
  key: string;
  description: string;
  /** Serializable: what the worker needs to rebuild the run (no closures, no clients). */
  payload: P;
  /** The webhook delivery that asked for it: a redelivery is queued once. */
  deliveryId?: string;
}

export interface RunAttempt {
  /** An earlier attempt of this job may have started (it failed, or its worker died). */
  retry: boolean;
  /** False once a newer run for the same key exists (the run is then aborted as superseded): checked before each GitHub write. */
  isCurrent(): Promise<boolean>;
  /** The run started a check run: kept in Redis until the job ends, so a worker that dies leaves it findable. */
  openedCheckRun(id: number, headSha: string): Promise<void>;
}

/** A check run a run started and did not finish (its worker died): closed by whoever meets its job next. */
export interface AbandonedCheck {
  id: number;
  headSha: string;
}

export interface RedisRunQueueOptions<P, S = unknown> {
  url: string;
  /** Runs at once in this process; 0 = enqueue only (REALITYCHECK_WORKER=off). */
  concurrency: number;
  execute(run: QueuedRun<P>, signal: AbortSignal, attempt: RunAttempt): Promise<void>;
  /**
   * A job whose worker died after starting a check run, met again when a newer run has
   * superseded it: its check run would stay in progress for good. Close it (if still open).
   */
  closeAbandoned?(run: QueuedRun<P>, check: AbandonedCheck): Promise<void>;
  /** Works one period of a schedule (see `schedule`): `data` as it was armed, `at` the period's time (ms). */
  tick?(id: string, data: S, at: number): Promise<void>;
  log: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
  /** Key prefix in Redis (tests use their own). */
  prefix?: string;
  metrics?: Metrics;
  /** BullMQ's lock and stall timings; tests shorten them. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

interface JobData<P> extends QueuedRun<P> {
  /** The run's number in `seq:<key>`; absent for delayed jobs, which take one when they start. */
  seq?: number;
}

const DELIVERY_TTL_S = 24 * 3600;

/** `pending:<key>` holds `seq|jobId` of the newest queued run; only a higher seq replaces it. */
const TAKE_PENDING = `
local current = redis.call('GET', KEYS[1])
if current then
  local seq = tonumber(string.match(current, '^(%d+)|'))
  if seq and seq > tonumber(ARGV[1]) then return 'NEWER' end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'EX', 2592000)
return current or ''
`;

export class RedisRunQueue<P, S = unknown> {
  private readonly redis: Redis;
  private readonly subscriber: Redis | undefined;
  private readonly queue: Queue;
  private readonly worker: Worker | undefined;
  private readonly prefix: string;
  private readonly metrics: Metrics;
  private readonly active = new Map<string, { key: string; seq: number; controller: AbortController }>();

  constructor(private readonly options: RedisRunQueueOptions<P, S>) {
    this.prefix = options.prefix ?? 'realitycheck';
    this.metrics = options.metrics ?? processMetrics;
    // BullMQ's workers block on Redis: they need `maxRetriesPerRequest: null`.
    const connection = { maxRetriesPerRequest: null } as const;
    this.redis = new Redis(options.url, connection);
    this.queue = new Queue(QUEUE_NAME, { connection: this.redis, prefix: this.prefix });
    // ioredis reconnects by itself; an unreachable Redis is said once a minute, not per retry
    // (and `/readyz` says it on every probe).
    let saidAt = 0;
    const said = (error: Error) => {
      if (Date.now() - saidAt < 60_000) return;
      saidAt = Date.now();
      options.log.error({ err: error }, 'Redis connection error (retrying)');
    };
    this.redis.on('error', said);
    this.queue.on('error', said);
    this.metrics.readJobCountsFrom(() => this.counts());
    if (options.concurrency > 0) {
      this.subscriber = new Redis(options.url, connection);
      void this.subscriber.subscribe(this.channel).catch((error: unknown) => options.log.error({ err: error }, 'could not subscribe to superseded runs'));
      this.subscriber.on('message', (_channel, message) => this.onSuperseded(message));
      this.subscriber.on('error', said);
      this.worker = new Worker(QUEUE_NAME, (job) => (job.name === SCHEDULED ? this.tick(job as BullJob<S>) : this.process(job as BullJob<JobData<P>>)), {
        connection: new Redis(options.url, connection),
        prefix: this.prefix,
        concurrency: options.concurrency,
        lockDuration: options.lockDurationMs ?? 30_000,
        stalledInterval: options.stalledIntervalMs ?? 15_000,
        maxStalledCount: 3,
      });
      this.worker.on('error', said);
    }
  }

  /** Queues a run; a newer one for the same key supersedes it. `delayMs`: run it later (the Terraform plan deadline). */
  async enqueue(run: QueuedRun<P>, options: { delayMs?: number; onceId?: string } = {}): Promise<'queued' | 'duplicate'> {
    if (!run.deliveryId || options.delayMs) return this.add(run, options);
    const delivery = this.k(`delivery:${run.deliveryId}:${run.key}`);
    const fresh = await this.redis.set(delivery, '1', 'EX', DELIVERY_TTL_S, 'NX');
    if (fresh === null) {
      this.options.log.info({ key: run.key, deliveryId: run.deliveryId }, 'a redelivered webhook: its run is already queued');
      return 'duplicate';
    }
    try {
      return await this.add(run, options);
    } catch (error) {
      // Not queued: the webhook fails, and GitHub's redelivery of it must not count as a duplicate.
      await this.redis.del(delivery).catch(() => undefined);
      throw error;
    }
  }

  private async add(run: QueuedRun<P>, options: { delayMs?: number; onceId?: string }): Promise<'queued'> {
    const common = { removeOnComplete: 1000, removeOnFail: 1000, attempts: 3, backoff: { type: 'exponential', delay: 2_000 } };
    if (options.delayMs) {
      // One delayed job per `onceId` while it waits (BullMQ ignores an add with the id of an
      // existing job); removed when done, so a later wait for the same head sets a new one.
      const id = jobId(options.onceId ?? run.key, `later${options.onceId ? '' : `-${Date.now()}`}`);
      await this.queue.add('run', { ...run } satisfies JobData<P>, { ...common, delay: options.delayMs, jobId: id, removeOnComplete: true });
      return 'queued';
    }
    const seq = await this.bump(run.key);
    const id = jobId(run.key, String(seq));
    // Deliveries for one pull request are handled concurrently: two enqueues can interleave.
    // Only a newer run takes the `pending` slot (atomically, in Redis), so the newest run is
    // always added and never removed by an older one.
    const previous = (await this.redis.eval(TAKE_PENDING, 1, this.k(`pending:${run.key}`), String(seq), id)) as string;
    if (previous === 'NEWER') return 'queued'; // a newer run is already queued: this one would only be superseded
    await this.queue.add('run', { ...run, seq } satisfies JobData<P>, { ...common, jobId: id });
    // Best effort: the older job, if still waiting, is removed (one already running is aborted
    // by the message `bump` published, or stops at its next write).
    if (previous) await this.queue.remove(previous.slice(previous.indexOf('|') + 1)).catch(() => 0);
    return 'queued';
  }

  /**
   * Runs `tick(id, data)` every `everyMs` in one worker of the fleet, first one period from
   * now (BullMQ would start at once: a push that arms it has just reconciled). Arming again
   * with the same period and data changes nothing; another period or data replaces it.
   */
  async schedule(id: string, everyMs: number, data: S): Promise<void> {
    const schedulerId = jobId(id, 'schedule');
    const current = await this.queue.getJobScheduler(schedulerId);
    if (current?.every === everyMs && JSON.stringify(current.template?.data) === JSON.stringify(data)) return;
    await this.queue.upsertJobScheduler(
      schedulerId,
      { every: everyMs, startDate: Date.now() + everyMs },
      { name: SCHEDULED, data, opts: { removeOnComplete: 100, removeOnFail: 100, attempts: 1 } },
    );
  }

  /** Stops a schedule; true when there was one. */
  async unschedule(id: string): Promise<boolean> {
    return this.queue.removeJobScheduler(jobId(id, 'schedule'));
  }

  /** The ids of the schedules armed in Redis, with their period (tests, operators). */
  async schedules(): Promise<Array<{ id: string; everyMs: number }>> {
    const all = await this.queue.getJobSchedulers();
    return all.map((s) => ({ id: idOf(s.id ?? s.key), everyMs: s.every ?? 0 }));
  }

  /** Why this process is not ready, or undefined when Redis answers and the queue is open. */
  async notReady(): Promise<string | undefined> {
    try {
      const pong = await withTimeout(this.redis.ping(), 2_000);
      if (pong !== 'PONG') return `Redis answered ${pong}`;
      if (this.worker && this.worker.closing) return 'the worker is draining';
      return undefined;
    } catch (error) {
      return `Redis does not answer: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  async counts(): Promise<JobCounts> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return { waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0), active: counts.active ?? 0, delayed: counts.delayed ?? 0 };
  }

  /** Stops taking jobs, waits for the running ones, closes the connections. */
  async close(): Promise<void> {
    // The running jobs may take minutes (a drift detection): the worker waits for them. The
    // connections do not wait for a Redis that is gone: after 5 s they are dropped.
    if (this.worker) await this.worker.close();
    await withTimeout(this.queue.close(), 5_000).catch(() => undefined);
    this.subscriber?.disconnect();
    this.redis.disconnect();
  }

  private get channel(): string {
    return this.k('superseded');
  }

  private k(suffix: string): string {
    return `${this.prefix}:rc:${suffix}`;
  }

  /** Makes a new newest run for `key` and tells running workers. */
  private async bump(key: string): Promise<number> {
    const seq = await this.redis.incr(this.k(`seq:${key}`));
    await this.redis.expire(this.k(`seq:${key}`), 30 * 86_400);
    await this.redis.publish(this.channel, JSON.stringify({ key, seq }));
    return seq;
  }

  private async newest(key: string): Promise<number> {
    return Number((await this.redis.get(this.k(`seq:${key}`))) ?? 0);
  }

  private onSuperseded(message: string): void {
    let parsed: { key?: unknown; seq?: unknown };
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      return;
    }
    for (const run of this.active.values()) {
      if (run.key === parsed.key && typeof parsed.seq === 'number' && parsed.seq > run.seq) run.controller.abort(new SupersededError(run.key));
    }
  }

  private async tick(job: BullJob<S>): Promise<string> {
    const id = idOf(job.repeatJobKey ?? '');
    if (!this.options.tick) throw new UnrecoverableError(`no handler for the schedule ${id}`);
    try {
      // A scheduler's job id is `repeat:<scheduler id>:<the period's time in ms>` (bullmq addJobScheduler).
      const at = Number(String(job.id).slice(String(job.id).lastIndexOf(':') + 1));
      await this.options.tick(id, job.data, Number.isFinite(at) ? at : job.timestamp);
    } catch (error) {
      this.options.log.error({ schedule: id, err: error }, 'a scheduled job failed (the next period runs again)');
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    }
    return 'completed';
  }

  private async process(job: BullJob<JobData<P>>): Promise<string> {
    const data = job.data;
    // A delayed job becomes the newest run when it starts; others must still be the newest.
    const seq = data.seq ?? (await this.bump(data.key));
    const retry = job.attemptsMade > 0 || (job.stalledCounter ?? 0) > 0;
    const checkKey = this.k(`checkrun:${job.id}`);
    if (seq < (await this.newest(data.key))) {
      if (retry) await this.closeAbandoned(data, checkKey);
      this.metrics.jobs.inc({ outcome: 'superseded' });
      return 'superseded';
    }
    const controller = new AbortController();
    const slot = `${job.id}`;
    this.active.set(slot, { key: data.key, seq, controller });
    const attempt: RunAttempt = {
      retry,
      openedCheckRun: async (id, headSha) => {
        await this.redis.set(checkKey, JSON.stringify({ id, headSha }), 'EX', 86_400).catch(() => undefined);
      },
      isCurrent: async () => {
        if (seq >= (await this.newest(data.key))) return true;
        controller.abort(new SupersededError(data.key));
        return false;
      },
    };
    try {
      await this.options.execute(data, controller.signal, attempt);
      if (controller.signal.aborted) {
        this.metrics.jobs.inc({ outcome: 'superseded' });
        return 'superseded';
      }
      this.metrics.jobs.inc({ outcome: 'completed' });
      return 'completed';
    } catch (error) {
      if (error instanceof SupersededError || controller.signal.aborted) {
        this.metrics.jobs.inc({ outcome: 'superseded' });
        return 'superseded';
      }
      this.metrics.jobs.inc({ outcome: 'failed' });
      if (isTransient(error)) throw error;
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    } finally {
      this.active.delete(slot);
      // the run closed its check run itself (completed, cancelled or "could not verify")
      await this.redis.del(checkKey).catch(() => undefined);
    }
  }

  private async closeAbandoned(run: QueuedRun<P>, checkKey: string): Promise<void> {
    try {
      const raw = await this.redis.get(checkKey);
      const check = raw ? (JSON.parse(raw) as Partial<AbandonedCheck>) : undefined;
      if (check && typeof check.id === 'number' && typeof check.headSha === 'string' && this.options.closeAbandoned) {
        await this.options.closeAbandoned(run, { id: check.id, headSha: check.headSha });
      }
      await this.redis.del(checkKey);
    } catch (error) {
      this.options.log.warn({ key: run.key, err: error }, 'could not close the check run a stopped worker left in progress');
    }
  }
}

/** BullMQ job ids may not contain `:`; keys are `owner/repo#number`. */
function jobId(key: string, suffix: string): string {
  return `${Buffer.from(key).toString('base64url')}-${suffix}`;
}

/** The key back from a job id made by `jobId`. */
function idOf(id: string): string {
  return Buffer.from(id.slice(0, id.lastIndexOf('-')), 'base64url').toString();
}

/** Worth another attempt: the server or the network failed, not the request. */
export function isTransient(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number') return status >= 500 || status === 429;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND'].includes(code);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
