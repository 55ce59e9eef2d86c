// The key as Probot writes it to `.env` (one line, `\n` escapes, in double quotes), passed
// through `docker run --env-file .env`, which keeps the quotes: the app stops at start-up
// and says how to pass it, instead of failing at the first webhook.
import { describe, expect, it } from 'vitest';
import { checkPrivateKeyEnv } from '../../src/server/check-private-key-env.js';
import { testPrivateKey } from '../helpers/probot.js';
import { createHmac } from 'node:crypto';
import { BASE_SHA, HEAD_SHA } from './fixtures.js';
import { pullRequestEvent } from '../helpers/probot.js';
import { runProbot, startLocalGitHub } from '../helpers/run-probot.js';

/** PRIVATE_KEY as Probot's set-up writes it to `.env` (updateEnv: `\n` escaped, in quotes). */
const escaped = () => testPrivateKey().replace(/\n/g, '\\n');
const keyBody = () => testPrivateKey().split('\n')[5]!;

describe('PRIVATE_KEY at start-up', () => {
  it.each([
    ['double quotes, as docker --env-file passes Probot\'s .env line', () => `"${escaped()}"`],
    ['single quotes', () => `'${escaped()}'`],
  ])('refuses a key in %s, naming the fix and not the key', (_name, value) => {
    const check = () => checkPrivateKeyEnv({ PRIVATE_KEY: value() });
    expect(check).toThrow(/PRIVATE_KEY is wrapped in (double|single) quotes.*\.env:\/app\/\.env:ro/);
    expect(() => check()).not.toThrow(keyBody());
  });

  it.each([
    ['one line with \\n escapes (as .env holds it, read by Probot)', escaped],
    ['the PEM file as is', () => testPrivateKey()],
    ['base64', () => Buffer.from(testPrivateKey()).toString('base64')],
  ])('accepts a key given as %s', (_name, value) => {
    expect(() => checkPrivateKeyEnv({ PRIVATE_KEY: value() })).not.toThrow();
  });

  it('stops `probot run` before it listens when the key is quoted', async () => {
    const outcome = await runProbot({ APP_ID: '1', PRIVATE_KEY: `"${escaped()}"`, WEBHOOK_SECRET: 'secret' }).then(
      async (app) => {
        await app.stop();
        return 'it started listening';
      },
      (error: Error) => error.message,
    );
    expect(outcome).toMatch(/exited 1[\s\S]*PRIVATE_KEY is wrapped in double quotes/);
    expect(outcome).not.toContain(keyBody());
  }, 60_000);

  it('signs tokens with the .env Probot writes, read from the working directory (the documented Docker mount)', async () => {
    const github = await startLocalGitHub();
    // As Probot's set-up writes it (helpers/update-env.js: `KEY=value`, newlines escaped; the key in quotes)
    const dotenv = [`APP_ID=1`, `PRIVATE_KEY="${escaped()}"`, `WEBHOOK_SECRET=from-dotenv`, `GHE_HOST=${github.host}`, `GHE_PROTOCOL=http`].join('\n');
    const app = await runProbot({}, { files: { '.env': dotenv } });
    try {
      const body = JSON.stringify(pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
      const response = await fetch(`${app.url}/api/github/webhooks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'pull_request',
          'x-github-delivery': 'dotenv-1',
          'x-hub-signature-256': `sha256=${createHmac('sha256', 'from-dotenv').update(body).digest('hex')}`,
        },
        body,
      });
      expect(response.status).toBe(200);
      // The run asked for an installation token: a JWT was signed with the key.
      for (let i = 0; i < 200 && !github.requests.some((r) => r.includes('/access_tokens')); i++) await new Promise((r) => setTimeout(r, 25));
      expect(github.requests.filter((r) => r.includes('/access_tokens'))).toEqual(['POST /api/v3/app/installations/1/access_tokens']);
      expect(app.output()).not.toMatch(/DECODER|could not be validated/);
    } finally {
      await app.stop();
      await github.close();
    }
  }, 60_000);
});
