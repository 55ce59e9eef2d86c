// `npm run worker`: works queued runs from Redis, serves no webhooks. Only `/healthz`,
// `/readyz` and `/metrics` on METRICS_PORT (default 9464). Credentials and settings come
// from the same environment as `npm start` (APP_ID, PRIVATE_KEY, REDIS_URL, ...).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { createProbot } from 'probot';
import { createApp } from './app.js';
import { redisFromEnv } from './queue/queued-run.js';
import type { RedisRunQueue } from './queue/redis-run-queue.js';
import { checkPrivateKeyEnv } from './server/check-private-key-env.js';
import { healthHandler } from './server/health-routes.js';

async function main(): Promise<void> {
  // `.env` in the working directory, as `probot run` reads it (the variables already set win).
  for (const [name, value] of Object.entries(readDotEnv())) if (process.env[name] === undefined) process.env[name] = value;
  checkPrivateKeyEnv(process.env);
  const redis = redisFromEnv();
  if (!redis) throw new Error('REDIS_URL is not set: a worker takes its runs from Redis (without Redis, `npm start` runs them itself)');
  const port = Number(process.env.METRICS_PORT ?? 9464);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`METRICS_PORT must be a port number, got "${process.env.METRICS_PORT}"`);
  if (process.env.REALITYCHECK_WORKER === 'off') throw new Error('REALITYCHECK_WORKER=off: this process would take no runs');

  const probot = createProbot();
  let queue: RedisRunQueue<unknown> | undefined;
  await probot.load(createApp({ redis, onQueue: (q) => (queue = q as RedisRunQueue<unknown>) }));
  const routes = healthHandler(async () => (queue ? queue.notReady() : 'the queue is not open'));
  const server = createServer((req, res) => {
    void routes(req, res).then((handled) => {
      if (!handled) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    });
  });
  server.listen(port, () => probot.log.info(`realitycheck worker: runs from ${redactUrl(redis.url)}; health and metrics on :${port}`));
}

function readDotEnv(): Record<string, string> {
  try {
    return parseEnv(readFileSync(join(process.cwd(), '.env'), 'utf8')) as Record<string, string>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

/** The Redis URL without its password, for the log. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

main().catch((error: unknown) => {
  console.error(`realitycheck worker: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
