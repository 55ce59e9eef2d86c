// Payloads that are not what they should be get a clear error naming the field, and the
// app goes on serving.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../helpers/fake-github.js';
import { pullRequestEvent, type TestApp } from '../helpers/probot.js';
import { awsWithRecentDrift, fakeRepo, finish, startWith, useFakeAwsEnvironment } from './harness.js';
import { BASE_SHA, BASE_TEMPLATE, edit, HEAD_SHA } from './fixtures.js';

let app: TestApp;
let github: FakeGitHub;

beforeAll(useFakeAwsEnvironment);
afterEach(() => finish(github));

describe('odd payloads', () => {
  it.each([
    ['pull_request.head.sha', (p: Record<string, any>) => delete p.pull_request.head.sha],
    ['pull_request.user.login', (p: Record<string, any>) => (p.pull_request.user = null)],
    ['repository.default_branch', (p: Record<string, any>) => delete p.repository.default_branch],
  ])('rejects a pull_request event without %s, naming it, and serves the next event', async (field, damage) => {
    ({ app, github } = await startWith(fakeRepo(edit(BASE_TEMPLATE, 'VisibilityTimeout: 30', 'VisibilityTimeout: 60'))));
    const payload = pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA });
    damage(payload);
    await expect(app.deliver('pull_request', payload)).rejects.toThrow(field);
    expect(github.calls).toEqual([]);

    awsWithRecentDrift();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    expect(github.checkFor(HEAD_SHA)?.status).toBe('completed');
  });
});
