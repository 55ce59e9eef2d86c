// AI-authored pull requests are held to the stricter bar of `policy.ai: strict`.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGitHub, FakeRepo } from '../helpers/fake-github.js';
import { pullRequestEvent, type TestApp } from '../helpers/probot.js';
import { awsWithRecentDrift, fakeRepo, finish, startWith, useFakeAwsEnvironment } from './harness.js';
import { BASE_SHA, BASE_TEMPLATE, CONFIG, edit, HEAD_SHA } from './fixtures.js';

// OrdersTable is in sync; the stack has drift elsewhere (the queue hotfix, the deleted topic).
const IN_SYNC_EDIT = edit(BASE_TEMPLATE, 'BillingMode: PAY_PER_REQUEST', 'BillingMode: PROVISIONED');

let app: TestApp;
let github: FakeGitHub;

beforeAll(useFakeAwsEnvironment);
afterEach(() => finish(github));

async function run(options: { author?: string; commits?: FakeRepo['commits']; config?: string }) {
  ({ app, github } = await startWith(fakeRepo(IN_SYNC_EDIT, { ...(options.commits ? { commits: options.commits } : {}), config: options.config ?? CONFIG })));
  awsWithRecentDrift();
  await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA, ...(options.author ? { author: options.author } : {}) }));
  return { check: github.checkFor(HEAD_SHA)!, comment: github.comments[0]?.body ?? '' };
}

describe('policy.ai: strict (the default)', () => {
  it('blocks a pull request opened by copilot-swe-agent[bot] that rests on a stack with drift elsewhere, and says why', async () => {
    const { check, comment } = await run({ author: 'copilot-swe-agent[bot]' });
    expect(check.conclusion).toBe('failure');
    expect(comment).toContain('Judged AI-authored');
    expect(comment).toContain('copilot-swe-agent[bot]');
    expect(github.count('GET pull commits')).toBe(0); // the author alone decided it
  });

  it('blocks a person whose commit is co-authored by Claude, naming the commit and the trailer', async () => {
    const sha = '5ca1ab1e00000000000000000000000000000000';
    const { check, comment } = await run({
      commits: { 2: [{ sha, message: 'Switch orders table to provisioned\n\nCo-authored-by: Claude <noreply@anthropic.com>' }] },
    });
    expect(check.conclusion).toBe('failure');
    expect(comment).toContain('Judged AI-authored');
    expect(comment).toContain('noreply@anthropic.com');
    expect(comment).toContain('(commit 5ca1ab1)');
  });

  it('does not fail the same change from a person without those signals', async () => {
    const { check, comment } = await run({ commits: { 2: [{ sha: 'abc', message: 'Switch orders table to provisioned\n\nCo-authored-by: Claude Dupont <claude@example.com>' }] } });
    github.assertAllUsed('GET pull commits'); // the trailer was read and judged, not missed
    expect(check.conclusion).toBe('success');
    expect(comment).not.toContain('AI-authored');
  });
});

describe('signals added later', () => {
  it('checks again, and blocks, when someone labels the pull request ai-generated', async () => {
    const { check } = await run({});
    expect(check.conclusion).toBe('success');
    awsWithRecentDrift();
    await app.deliver('pull_request', pullRequestEvent({ action: 'labeled', headSha: HEAD_SHA, baseSha: BASE_SHA, labels: ['ai-generated'] }));
    expect(github.checkFor(HEAD_SHA)!.conclusion).toBe('failure');
    expect(github.comments[0]!.body).toContain('ai-generated');
  });
});

describe('policy.ai: same', () => {
  it('judges an AI-authored pull request like any other, and still says it was recognised', async () => {
    const { check, comment } = await run({ author: 'copilot-swe-agent[bot]', config: `${CONFIG}  ai: same\n` });
    expect(check.conclusion).toBe('success');
    expect(comment).toContain('judged like any other');
  });
});

describe('repository additions', () => {
  it('recognises an agent account the repository names in its config', async () => {
    const { check, comment } = await run({ author: 'acme-coder[bot]', config: `${CONFIG}ai:\n  authors: ['acme-coder[bot]']\n` });
    expect(check.conclusion).toBe('failure');
    expect(comment).toContain('acme-coder[bot]');
  });
});
