// A real Probot instance for end-to-end tests: real webhook verification path skipped
// (`receive`), real Octokit (throttling and retries off, as probot 14 needs the function
// form to turn them off), real queue, real providers.
import { generateKeyPairSync } from 'node:crypto';
import { Probot, ProbotOctokit } from 'probot';
import webhooks from '@octokit/webhooks-examples';
import { createApp, type AppOptions } from '../../src/app.js';
import { InProcessQueue } from '../../src/queue/queue.js';

let privateKey: string | undefined;

export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return privateKey;
}

export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object), enabled: false },
}));

export interface TestApp {
  probot: Probot;
  queue: InProcessQueue;
  /** Delivers a webhook and waits until every queued run has finished. */
  deliver(name: string, payload: object): Promise<void>;
}

const quiet = { info() {}, error() {}, warn() {} };

export async function startApp(options: AppOptions = {}): Promise<TestApp> {
  const probot = new Probot({ appId: 1, privateKey: testPrivateKey(), Octokit: TestOctokit, logLevel: 'fatal' });
  const queue = options.queue instanceof InProcessQueue ? options.queue : new InProcessQueue(2, quiet);
  await probot.load(createApp({ ...options, queue }));
  return {
    probot,
    queue,
    async deliver(name, payload) {
      await probot.receive({ id: `delivery-${Math.random()}`, name, payload } as Parameters<Probot['receive']>[0]);
      await queue.idle();
    },
  };
}

type Example = { name: string; examples: Array<Record<string, any>> };

/** A real webhook example from @octokit/webhooks-examples, deep-copied. */
export function example(event: string, action: string, withInstallation = true): Record<string, any> {
  const all = ((webhooks as unknown as { default?: Example[] }).default ?? (webhooks as unknown as Example[]));
  const found = all
    .find((e) => e.name === event)
    ?.examples.find((e) => e.action === action && (!withInstallation || e.installation));
  if (!found) throw new Error(`no ${event}.${action} example in @octokit/webhooks-examples`);
  return structuredClone(found);
}

export interface PullRequestEventOptions {
  action?: 'opened' | 'synchronize' | 'reopened' | 'labeled' | 'edited';
  labels?: string[];
  number?: number;
  headSha: string;
  baseSha: string;
  author?: string;
  updatedAt?: string;
}

/** `pull_request` payload adapted from the real example: same shape, our numbers and SHAs. */
export function pullRequestEvent(o: PullRequestEventOptions): Record<string, any> {
  const payload = example('pull_request', o.action ?? 'synchronize');
  payload.number = o.number ?? payload.number;
  payload.pull_request.number = payload.number;
  payload.pull_request.head.sha = o.headSha;
  payload.pull_request.base.sha = o.baseSha;
  if (o.author) payload.pull_request.user.login = o.author;
  if (o.updatedAt) payload.pull_request.updated_at = o.updatedAt;
  if (o.labels) payload.pull_request.labels = o.labels.map((name, i) => ({ id: i + 1, name, color: 'ededed', default: false }));
  return payload;
}
