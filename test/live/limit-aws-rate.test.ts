// The AWS rate shared through Redis: clients in different processes (each its own bucket
// connection) that take tokens from one `rate:<region>|<who>` make at most about N calls a
// second together. A local HTTP server answers CloudFormation in its Query/XML format and
// records when each call arrived (its own clock); windows are counted from those times.
import { createServer, type Server } from 'node:http';
import { Redis } from 'ioredis';
import { DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClientPool, createCloudFormationClient } from '../../src/live/aws-clients.js';
import { limitAwsRate, useAwsRateLimiter } from '../../src/live/limit-aws-rate.js';
import { awsRateFromEnv, RedisTokenBucket } from '../../src/queue/redis-token-bucket.js';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis-server.js';

const CFN_NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
let redis: TestRedis;
let server: Server;
let endpoint: string;
/** Arrival times (ms, this server's clock) of the DescribeStacks calls it answered. */
let arrivals: number[] = [];
const buckets: RedisTokenBucket[] = [];
let n = 0;

function answer(status: number, xml: string, res: import('node:http').ServerResponse) {
  res.writeHead(status, { 'content-type': 'text/xml' }).end(xml);
}

beforeAll(async () => {
  if (redisAvailable) redis = await startRedis();
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const signed = /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/[a-z0-9-]+\/cloudformation\/aws4_request/.test(req.headers.authorization ?? '');
      if (req.method !== 'POST' || form.get('Version') !== '2010-05-15' || !signed) {
        return answer(400, `<ErrorResponse xmlns="${CFN_NS}"><Error><Type>Sender</Type><Code>IncompleteSignature</Code><Message>Request must be a signed Query POST</Message></Error><RequestId>0</RequestId></ErrorResponse>`, res);
      }
      if (form.get('Action') !== 'DescribeStacks') {
        return answer(400, `<ErrorResponse xmlns="${CFN_NS}"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Could not find operation ${form.get('Action')}</Message></Error><RequestId>0</RequestId></ErrorResponse>`, res);
      }
      arrivals.push(performance.now());
      answer(200, `<DescribeStacksResponse xmlns="${CFN_NS}"><DescribeStacksResult><Stacks/></DescribeStacksResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeStacksResponse>`, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await redis?.stop();
});
beforeEach(() => {
  arrivals = [];
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/realitycheck-test/config');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/realitycheck-test/credentials');
  vi.stubEnv('AWS_PROFILE', '');
  vi.stubEnv('AWS_ENDPOINT_URL_CLOUDFORMATION', endpoint);
});
afterEach(() => {
  useAwsRateLimiter(undefined);
  for (const bucket of buckets.splice(0)) bucket.close();
  vi.unstubAllEnvs();
});

function bucket(prefix: string, ratePerSecond: number): RedisTokenBucket {
  const b = new RedisTokenBucket({ url: redis.url, prefix, ratePerSecond });
  buckets.push(b);
  return b;
}

/** The most calls that arrived within any `ms` window. */
function busiestWindow(times: number[], ms = 1_000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

async function burst(client: CloudFormationClient, calls: number): Promise<void> {
  await Promise.all(Array.from({ length: calls }, () => client.send(new DescribeStacksCommand({}))));
}

describe.skipIf(!redisAvailable)('the AWS rate shared through Redis', () => {
  it('two processes sharing a bucket of 10 calls/s make at most about 10 a second together', async () => {
    const prefix = `r${++n}`;
    const RATE = 10;
    // two workers: each its own client and its own connection to the bucket
    const a = createCloudFormationClient({ region: 'us-east-1' });
    const b = createCloudFormationClient({ region: 'us-east-1' });
    const bucketA = bucket(prefix, RATE);
    const bucketB = bucket(prefix, RATE);
    limitAwsRate(a, {}, () => bucketA);
    limitAwsRate(b, {}, () => bucketB);
    await Promise.all([burst(a, 20), burst(b, 20)]);
    expect(arrivals).toHaveLength(40);
    // a full bucket (one second's worth) plus one second of refill, and a margin
    expect(busiestWindow(arrivals)).toBeLessThanOrEqual(2 * RATE + 2);
  });

  it('every client of a ClientPool is limited once a limiter is set, and another region has its own bucket', async () => {
    const prefix = `r${++n}`;
    useAwsRateLimiter(bucket(prefix, 4));
    const pool = new ClientPool((region) => createCloudFormationClient({ ...(region ? { region } : {}) }));
    await Promise.all([burst(pool.get('us-east-1'), 16), burst(pool.get('eu-west-1'), 16)]);
    expect(arrivals).toHaveLength(32);
    // two buckets of 4/s: at most 2 × (4 + 4) in a second, with a margin
    expect(busiestWindow(arrivals)).toBeLessThanOrEqual(18);
    const look = new Redis(redis.url);
    expect((await look.keys(`${prefix}:rc:rate:*`)).sort()).toEqual([`${prefix}:rc:rate:eu-west-1|AKIAIOSFODNN7EXAMPLE`, `${prefix}:rc:rate:us-east-1|AKIAIOSFODNN7EXAMPLE`]);
    look.disconnect();
  });

  it('a call waiting for a token ends when its abortSignal aborts, and is never sent', async () => {
    const prefix = `r${++n}`;
    const client = createCloudFormationClient({ region: 'us-east-1' });
    const slow = bucket(prefix, 0.2); // one call per 5 s
    limitAwsRate(client, {}, () => slow);
    await client.send(new DescribeStacksCommand({}));
    const controller = new AbortController();
    const waiting = client.send(new DescribeStacksCommand({}), { abortSignal: controller.signal });
    setTimeout(() => controller.abort(new Error('the run was superseded')), 200);
    await expect(waiting).rejects.toThrow('the run was superseded');
    expect(arrivals).toHaveLength(1);
  });

  it('without a limiter (no Redis) the middleware lets every call through', async () => {
    const pool = new ClientPool((region) => createCloudFormationClient({ ...(region ? { region } : {}) }));
    await burst(pool.get('us-east-1'), 5);
    expect(arrivals).toHaveLength(5);
  });
});

describe('REALITYCHECK_AWS_RATE', () => {
  it('defaults to 10 calls/s and refuses what is not a positive number', () => {
    expect(awsRateFromEnv({})).toBe(10);
    expect(awsRateFromEnv({ REALITYCHECK_AWS_RATE: '2.5' })).toBe(2.5);
    expect(() => awsRateFromEnv({ REALITYCHECK_AWS_RATE: 'fast' })).toThrow('REALITYCHECK_AWS_RATE must be a number of calls per second > 0, got "fast"');
    expect(() => awsRateFromEnv({ REALITYCHECK_AWS_RATE: '0' })).toThrow(/> 0/);
  });
});
