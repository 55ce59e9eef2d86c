// A head template the parser reads although it looks wrong (a key written twice) is checked,
// and the pull request is told where, as a note.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../helpers/fake-github.js';
import { pullRequestEvent, type TestApp } from '../helpers/probot.js';
import { fakeRepo, finish, startWith, useFakeAwsEnvironment } from './harness.js';
import { BASE_SHA, BASE_TEMPLATE, edit, HEAD_SHA, TEMPLATE_PATH } from './fixtures.js';

const SNAPSHOT_PATH = 'live/orders-prod.json';
const CONFIG = `targets:
  - name: orders
    cloudformation:
      stack: orders-prod
      template: ${TEMPLATE_PATH}
      snapshot: ${SNAPSHOT_PATH}
      snapshotMaxAge: 3650d
`;

const SNAPSHOT = JSON.stringify({
  format_version: '1',
  read_at: '2026-11-27T09:30:00Z',
  stack: { name: 'orders-prod', status: 'UPDATE_COMPLETE', region: 'us-east-1' },
  resources: [
    { logical_id: 'OrdersQueue', type: 'AWS::SQS::Queue', status: 'IN_SYNC' },
    { logical_id: 'OrdersTable', type: 'AWS::DynamoDB::Table', status: 'IN_SYNC' },
  ],
});

let app: TestApp;
let github: FakeGitHub;

beforeAll(useFakeAwsEnvironment);
afterEach(() => finish(github));

describe('a key written twice in the head template', () => {
  it('is read last-wins and checked, and the comment names both lines', async () => {
    const head = edit(BASE_TEMPLATE, 'MessageRetentionPeriod: 345600', 'MessageRetentionPeriod: 345600\n      MessageRetentionPeriod: 1209600');
    const line = head.split('\n').findIndex((l) => l.includes('MessageRetentionPeriod: 345600')) + 1;
    const repo = fakeRepo(head, { config: CONFIG });
    repo.files.master = { [SNAPSHOT_PATH]: SNAPSHOT };
    ({ app, github } = await startWith(repo));
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));

    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('success');
    const body = github.comments[0]!.body;
    expect(body).toContain('MessageRetentionPeriod');
    expect(body).toContain(`is written twice in one mapping, on lines ${line} and ${line + 1}: line ${line + 1} is read`);
    expect(body).not.toMatch(/does not parse/);
  });
});
