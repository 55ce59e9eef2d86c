// The app behind a real HTTP endpoint on 127.0.0.1: signed deliveries go through Probot's
// webhook middleware (signature check, the status a handler's error gets), as GitHub's do.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { createNodeMiddleware, Probot } from 'probot';
import { createApp, type AppOptions } from '../../src/app.js';
import { InProcessQueue } from '../../src/queue/queue.js';
import { withWebhookIntake } from '../../src/server/webhook-intake.js';
import { testPrivateKey, TestOctokit } from './probot.js';

const SECRET = 'test-webhook-secret';
const quiet = { info() {}, error() {}, warn() {} };

export interface WebhookServer {
  queue: InProcessQueue;
  /** Signs and POSTs one delivery to `/api/github/webhooks`; the answer's status and body. */
  deliver(name: string, payload: object): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

export async function startWebhookServer(options: AppOptions = {}): Promise<WebhookServer> {
  const queue = new InProcessQueue(2, quiet);
  const probot = new Probot({ appId: 1, privateKey: testPrivateKey(), secret: SECRET, Octokit: TestOctokit, logLevel: 'fatal' });
  const middleware = await createNodeMiddleware(withWebhookIntake(createApp({ ...options, queue })), { probot });
  const server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  nock.enableNetConnect('127.0.0.1');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  return {
    queue,
    deliver: (name, payload) => postSignedWebhook(url, SECRET, name, payload),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A webhook delivery as GitHub sends it: JSON, signed with the secret (`X-Hub-Signature-256`). */
export async function postSignedWebhook(url: string, secret: string, name: string, payload: object): Promise<{ status: number; body: string }> {
  const body = JSON.stringify(payload);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': name,
      'x-github-delivery': `delivery-${Math.random()}`,
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
    body,
  });
  return { status: response.status, body: await response.text() };
}
