// The webhook endpoint of the app as `npm start` runs it, from the network: bodies over
// GitHub's 25 MB cap are refused before they are read, payloads never reach the logs, and
// signed deliveries still work.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullRequestEvent, testPrivateKey } from '../helpers/probot.js';
import { postSignedWebhook } from '../helpers/webhook-server.js';
import { runProbot, startLocalGitHub, type LocalGitHub, type RunningProbot } from '../helpers/run-probot.js';
import { BASE_SHA, HEAD_SHA } from './fixtures.js';

const SECRET = 'intake-secret';
const MB = 1024 * 1024;
/** Text that is only ever in the payloads sent here: it must never show in a log line. */
const MARKER = 'payload-content-7f3a9c';

let app: RunningProbot;
let github: LocalGitHub;

beforeAll(async () => {
  github = await startLocalGitHub();
  app = await runProbot({
    APP_ID: '1',
    PRIVATE_KEY: testPrivateKey(),
    WEBHOOK_SECRET: SECRET,
    LOG_LEVEL: 'debug',
    GHE_HOST: github.host,
    GHE_PROTOCOL: 'http',
  });
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await github?.close();
});

interface Answer {
  status: number;
  body: string;
  /** Bytes of the body written when the answer arrived. */
  sent: number;
}

/**
 * POSTs `size` bytes of JSON-looking text to the webhook path, 64 KB at a time, and stops
 * writing as soon as an answer arrives.
 */
function postBody(size: number, options: { contentLength: boolean; headers?: Record<string, string> }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const head = Buffer.from(`{"marker":"${MARKER}","pad":"`);
    let sent = 0;
    let answered = false;
    const req = request(`${app.url}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': `oversized-${Math.random()}`,
        'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
        ...(options.contentLength ? { 'content-length': String(size) } : {}),
        ...options.headers,
      },
    });
    req.on('response', (res) => {
      answered = true;
      const at = sent;
      let body = '';
      res.setEncoding('utf8').on('data', (s: string) => (body += s));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sent: at }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body, sent: at }));
    });
    // The server closes the connection after its 413: writes after that fail (EPIPE,
    // ECONNRESET), which is the point. An error before any answer is a failure.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    // One chunk per turn of the event loop, so an answer is read as soon as it arrives
    // (the socket may take megabytes without blocking).
    const write = () => {
      if (answered) return;
      if (sent >= size) return void req.end();
      const piece = sent === 0 ? head : chunk.subarray(0, Math.min(chunk.length, size - sent));
      sent += piece.length;
      if (req.write(piece)) setImmediate(write);
      else req.once('drain', () => setImmediate(write));
    };
    write();
  });
}

function postSigned(name: string, payload: object): Promise<{ status: number; body: string }> {
  return postSignedWebhook(`${app.url}/api/github/webhooks`, SECRET, name, payload);
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(condition()).toBe(true);
}

describe('webhook intake', () => {
  it('refuses a 26 MB body announced by Content-Length before reading it', async () => {
    const warm = await postSigned('ping', { zen: 'warm-up' }); // the first request's lazy set-up is done
    expect(warm.status).toBe(200);
    const peakBefore = app.peakRss();

    const answer = await postBody(26 * MB, { contentLength: true });

    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error).toMatch(/over 25 MB/);
    // Answered while the body was still being sent: it was never buffered.
    expect(answer.sent).toBeLessThan(26 * MB);
    const peakAfter = app.peakRss();
    if (peakBefore !== undefined && peakAfter !== undefined) expect(peakAfter - peakBefore).toBeLessThan(26 * MB);
  });

  it('refuses a chunked body as soon as it passes 25 MB, without reading the rest', async () => {
    const peakBefore = app.peakRss();

    // No Content-Length: the server only learns the size by counting what arrives.
    const answer = await postBody(100 * MB, { contentLength: false });

    expect(answer.status).toBe(413);
    expect(answer.sent).toBeGreaterThan(25 * MB);
    expect(answer.sent).toBeLessThan(100 * MB);
    const peakAfter = app.peakRss();
    if (peakBefore !== undefined && peakAfter !== undefined) expect(peakAfter - peakBefore).toBeLessThan(100 * MB);
  });

  it('answers an unsigned body with 400', async () => {
    const answer = await postBody(1 * MB, { contentLength: true });

    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error).toMatch(/signature does not match/);
  });

  it('answers a signed but malformed payload with 400 naming the field, then serves a valid one', async () => {
    const damaged = pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA });
    damaged.pull_request.body = `Please review. ${MARKER}`;
    damaged.pull_request.labels = 'bug';

    const refused = await postSigned('pull_request', damaged);

    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body).error).toBe('PayloadError: pull_request webhook payload: pull_request.labels must be an array, not a string');

    const valid = pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA });
    valid.pull_request.body = `Please review. ${MARKER}`;
    const served = await postSigned('pull_request', valid);

    expect(served.status).toBe(200);
    // The queued run read the repository's configuration from GitHub (there is none).
    await until(() => github.requests.some((r) => r.startsWith('GET /api/v3/repos/Codertocat/Hello-World/contents/.github%2Frealitycheck.yml')));
  });

  it('never writes payload content to the logs', () => {
    const lines = app.output().split('\n');
    // The refusals above were logged (so the check below looks at real log lines) ...
    expect(lines.some((line) => line.includes('"statusCode":413') || / 413 - /.test(line))).toBe(true);
    expect(lines.some((line) => line.includes('PayloadError'))).toBe(true);
    // ... and none of them carries the payloads.
    const leaks = lines.filter((line) => line.includes(MARKER)).map((line) => line.slice(0, 300));
    expect(leaks).toEqual([]);
    expect(app.output().length).toBeLessThan(1 * MB);
  });
});
