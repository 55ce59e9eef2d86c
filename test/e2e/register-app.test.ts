// Registering the app from `app.yml` with Probot's set-up page (`npm start` without
// APP_ID): the manifest it offers GitHub takes permissions and events from app.yml, and the
// webhook URL from WEBHOOK_PROXY_URL, which app.yml must not override.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runProbot } from '../helpers/run-probot.js';

const APP_YML = readFileSync(new URL('../../app.yml', import.meta.url), 'utf8');

async function offeredManifest(env: Record<string, string>): Promise<Record<string, any>> {
  const app = await runProbot({ NO_SMEE_SETUP: 'true', ...env }, { files: { 'app.yml': APP_YML } });
  try {
    const html = await (await fetch(`${app.url}/probot`)).text();
    const value = /name="manifest" id="manifest" value='([^']*)'/.exec(html)?.[1];
    expect(value, 'the set-up page offers a manifest').toBeDefined();
    return JSON.parse(value!);
  } finally {
    await app.stop();
  }
}

describe('registering the GitHub App from app.yml', () => {
  it('sends webhooks to WEBHOOK_PROXY_URL, with the permissions and events of app.yml', async () => {
    const manifest = await offeredManifest({ WEBHOOK_PROXY_URL: 'https://smee.io/realitycheck-dev' });

    expect(manifest.hook_attributes).toEqual({ url: 'https://smee.io/realitycheck-dev' });
    expect(manifest.default_events).toEqual(['pull_request', 'issue_comment', 'check_run', 'workflow_run', 'push']);
    expect(manifest.default_permissions).toEqual({ checks: 'write', contents: 'write', issues: 'write', pull_requests: 'write', actions: 'read', metadata: 'read' });
    expect(manifest.public).toBe(false);
  }, 60_000);
});
