// Handlers only validate and enqueue; the queue runs the pipeline. Jobs are keyed by
// pull request: a newer job for the same key replaces a pending one and aborts a running
// one (its result is never published). The in-process queue is the default engine; a
// distributed engine implements the same interface.

import { metrics } from '../metrics/metrics.js';

export interface Job {
  /** `owner/repo#number`: one pull request. */
  key: string;
  /** Shown in logs. */
  description: string;
  /** The work. `signal` aborts when a newer job for the same key arrives. */
  run(signal: AbortSignal): Promise<void>;
}

export interface JobQueue {
  enqueue(job: Job): void;
  /** Resolves when nothing is pending or running (tests, graceful shutdown). */
  idle(): Promise<void>;
}

export class SupersededError extends Error {
  override name = 'SupersededError';
  constructor(key: string) {
    super(`a newer run for ${key} superseded this one`);
  }
}

interface Logger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export class InProcessQueue implements JobQueue {
  private readonly pending = new Map<string, Job>();
  private readonly running = new Map<string, AbortController>();
  private readonly order: string[] = [];
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly log: Logger,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`queue concurrency must be a whole number ≥ 1, got ${concurrency}`);
  }

  enqueue(job: Job): void {
    if (!this.pending.has(job.key)) this.order.push(job.key);
    else this.log.info({ key: job.key }, `superseded a pending run: ${job.description}`);
    this.pending.set(job.key, job);
    const active = this.running.get(job.key);
    if (active) active.abort(new SupersededError(job.key));
    this.pump();
  }

  /** What is waiting and running now (`/metrics` without Redis). */
  counts(): { waiting: number; active: number } {
    return { waiting: this.pending.size, active: this.running.size };
  }

  idle(): Promise<void> {
    if (this.pending.size === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running.size < this.concurrency) {
      const index = this.order.findIndex((key) => !this.running.has(key));
      if (index === -1) break;
      const key = this.order.splice(index, 1)[0]!;
      const job = this.pending.get(key)!;
      this.pending.delete(key);
      this.start(job);
    }
    if (this.pending.size === 0 && this.running.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private start(job: Job): void {
    const controller = new AbortController();
    this.running.set(job.key, controller);
    void (async () => {
      try {
        await job.run(controller.signal);
        metrics.jobs.inc({ outcome: controller.signal.aborted ? 'superseded' : 'completed' });
      } catch (error) {
        metrics.jobs.inc({ outcome: error instanceof SupersededError || controller.signal.aborted ? 'superseded' : 'failed' });
        if (error instanceof SupersededError) this.log.info({ key: job.key }, error.message);
        else this.log.error({ key: job.key, err: error }, `run failed: ${job.description}`);
      } finally {
        this.running.delete(job.key);
        this.pump();
      }
    })();
  }
}
