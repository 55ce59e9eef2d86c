// A target whose live state comes from a snapshot file instead of AWS.
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

function snapshot(queueStatus: 'MODIFIED' | 'IN_SYNC'): string {
  return JSON.stringify({
    format_version: '1',
    read_at: '2026-11-27T09:30:00Z',
    stack: { name: 'orders-prod', status: 'UPDATE_COMPLETE', region: 'us-east-1' },
    resources: [
      queueStatus === 'MODIFIED'
        ? { logical_id: 'OrdersQueue', type: 'AWS::SQS::Queue', status: 'MODIFIED', differences: [{ path: 'VisibilityTimeout', expected: 30, actual: 120 }] }
        : { logical_id: 'OrdersQueue', type: 'AWS::SQS::Queue', status: 'IN_SYNC' },
      { logical_id: 'OrdersTable', type: 'AWS::DynamoDB::Table', status: 'IN_SYNC' },
    ],
  });
}

let app: TestApp;
let github: FakeGitHub;

beforeAll(useFakeAwsEnvironment);
afterEach(() => finish(github));

describe('live state from a snapshot on the default branch', () => {
  it('finds the hotfix in the snapshot without calling AWS, and ignores a snapshot the pull request rewrites', async () => {
    const head = edit(BASE_TEMPLATE, 'MessageRetentionPeriod: 345600', 'MessageRetentionPeriod: 1209600');
    const repo = fakeRepo(head, { config: CONFIG });
    repo.files.master = { [SNAPSHOT_PATH]: snapshot('MODIFIED') };
    repo.files[HEAD_SHA]![SNAPSHOT_PATH] = snapshot('IN_SYNC'); // the pull request claims all is well
    ({ app, github } = await startWith(repo));
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));

    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('failure');
    expect(github.comments[0]!.body).toMatch(/revert[\s\S]*VisibilityTimeout/);
    expect(github.comments[0]!.body).toContain('snapshot taken 2026-11-27 09:30 UTC');
    expect(github.calls.some((c) => c.path.includes(`${SNAPSHOT_PATH}?ref=master`))).toBe(true);
  });

  it('says so when the snapshot file is missing, and never passes', async () => {
    ({ app, github } = await startWith(fakeRepo(edit(BASE_TEMPLATE, 'BillingMode: PAY_PER_REQUEST', 'BillingMode: PROVISIONED'), { config: CONFIG })));
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('neutral');
    expect(check.output!.summary).toContain(SNAPSHOT_PATH);
    expect(check.output!.summary).toContain('NotFound');
  });
});
