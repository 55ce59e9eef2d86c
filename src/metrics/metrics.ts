// Prometheus metrics (`GET /metrics`): one registry per process. Names and labels are part
// of what operators build dashboards on, so they are kept stable:
//   realitycheck_jobs{state="waiting|active|delayed"}       gauge, read from the queue at scrape time
//   realitycheck_jobs_total{outcome="completed|failed|superseded"}  counter, this process
//   realitycheck_run_phase_seconds{phase}                   histogram, src/phase-timer.ts phases
//   realitycheck_github_requests_total{method,outcome}      counter (outcome: 2xx..5xx, error)
//   realitycheck_aws_requests_total{service,operation,outcome}  counter (outcome: ok or the error name)
//   realitycheck_github_rate_limit_remaining                gauge, from x-ratelimit-remaining
// plus prom-client's default process metrics (memory, CPU, event loop lag).
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export type JobCounts = Partial<Record<'waiting' | 'active' | 'delayed', number>>;

export class Metrics {
  readonly registry = new Registry();
  readonly jobs: Counter<'outcome'>;
  readonly phase: Histogram<'phase'>;
  readonly github: Counter<'method' | 'outcome'>;
  readonly aws: Counter<'service' | 'operation' | 'outcome'>;
  readonly rateLimit: Gauge;
  private countJobs: (() => Promise<JobCounts>) | undefined;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'realitycheck_' });
    const self = this;
    new Gauge({
      name: 'realitycheck_jobs',
      help: 'Jobs in the queue by state (the shared Redis queue when REDIS_URL is set, else this process).',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        const counts = (await self.countJobs?.().catch(() => undefined)) ?? {};
        for (const state of ['waiting', 'active', 'delayed'] as const) this.set({ state }, counts[state] ?? 0);
      },
    });
    this.jobs = new Counter({ name: 'realitycheck_jobs_total', help: 'Jobs this process finished, by outcome.', labelNames: ['outcome'], registers: [this.registry] });
    this.phase = new Histogram({
      name: 'realitycheck_run_phase_seconds',
      help: 'Time a run spent in each phase.',
      labelNames: ['phase'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [this.registry],
    });
    this.github = new Counter({ name: 'realitycheck_github_requests_total', help: 'GitHub API requests, by method and outcome.', labelNames: ['method', 'outcome'], registers: [this.registry] });
    this.aws = new Counter({ name: 'realitycheck_aws_requests_total', help: 'AWS API calls, by service, operation and outcome.', labelNames: ['service', 'operation', 'outcome'], registers: [this.registry] });
    this.rateLimit = new Gauge({ name: 'realitycheck_github_rate_limit_remaining', help: 'x-ratelimit-remaining of the last GitHub answer.', registers: [this.registry] });
    for (const outcome of ['completed', 'failed', 'superseded']) this.jobs.inc({ outcome }, 0);
  }

  /** Where the `realitycheck_jobs` gauge reads its counts from. */
  readJobCountsFrom(count: () => Promise<JobCounts>): void {
    this.countJobs = count;
  }
}

/** The process's metrics: every part of the app counts into the same registry. */
export const metrics = new Metrics();
