// /healthz, /readyz and /metrics as an operator's probe and Prometheus see them, over HTTP.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { Metrics } from '../../src/metrics/metrics.js';
import { countAwsCalls } from '../../src/metrics/count-aws-calls.js';
import { RedisRunQueue } from '../../src/queue/redis-run-queue.js';
import { healthHandler } from '../../src/server/health-routes.js';
import { redisAvailable, startRedis } from '../helpers/redis-server.js';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(handler: ReturnType<typeof healthHandler>): Promise<string> {
  server = createServer((req, res) => void handler(req, res).then((handled) => handled || res.writeHead(404).end()));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  nock.enableNetConnect('127.0.0.1');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('health and metrics routes', () => {
  it('answers liveness always, and readiness with the reason it is not ready', async () => {
    let problem: string | undefined = 'Redis does not answer: connect ECONNREFUSED';
    const url = await serve(healthHandler(async () => problem, new Metrics()));
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${url}/readyz`);
    expect([notReady.status, await notReady.text()]).toEqual([503, 'not ready: Redis does not answer: connect ECONNREFUSED\n']);
    problem = undefined;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect((await fetch(`${url}/api/github/webhooks`)).status).toBe(404);
  });

  it('serves Prometheus text with job, phase, GitHub and AWS counters', async () => {
    const metrics = new Metrics();
    metrics.readJobCountsFrom(async () => ({ waiting: 3, active: 1 }));
    metrics.jobs.inc({ outcome: 'completed' });
    metrics.phase.observe({ phase: 'live' }, 1.5);
    metrics.github.inc({ method: 'POST', outcome: '2xx' });
    metrics.rateLimit.set(4990);
    // A real SDK client against a CloudFormation endpoint that refuses: counted by outcome.
    nock('https://cloudformation.us-east-1.amazonaws.com')
      .post('/')
      .reply(403, '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error><RequestId>r-1</RequestId></ErrorResponse>', { 'content-type': 'text/xml' });
    const client = new CloudFormationClient({ region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' } });
    countAwsCalls(client, metrics);
    await expect(client.send(new DescribeStacksCommand({ StackName: 'orders' }))).rejects.toThrow();
    const url = await serve(healthHandler(async () => undefined, metrics));
    const response = await fetch(`${url}/metrics`);
    const text = await response.text();
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(text).toContain('realitycheck_jobs{state="waiting"} 3');
    expect(text).toContain('realitycheck_jobs{state="active"} 1');
    expect(text).toContain('realitycheck_jobs_total{outcome="completed"} 1');
    expect(text).toContain('realitycheck_jobs_total{outcome="superseded"} 0');
    expect(text).toContain('realitycheck_run_phase_seconds_count{phase="live"} 1');
    expect(text).toContain('realitycheck_github_requests_total{method="POST",outcome="2xx"} 1');
    expect(text).toContain('realitycheck_github_rate_limit_remaining 4990');
    expect(text).toContain('realitycheck_aws_requests_total{service="CloudFormation",operation="DescribeStacks",outcome="AccessDenied"} 1');
  });

  it.skipIf(!redisAvailable)('is ready while Redis answers and not once it is gone', async () => {
    const redis = await startRedis();
    const queue = new RedisRunQueue<unknown>({ url: redis.url, concurrency: 0, log: { info() {}, warn() {}, error() {} }, execute: async () => undefined, metrics: new Metrics() });
    try {
      expect(await queue.notReady()).toBeUndefined();
      await redis.stop();
      expect(await queue.notReady()).toMatch(/Redis does not answer/);
    } finally {
      await queue.close().catch(() => undefined);
    }
  });
});
