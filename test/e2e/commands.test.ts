// `/realitycheck` commands and the check run's re-run buttons, end to end.
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../helpers/fake-github.js';
import { example, type TestApp } from '../helpers/probot.js';
import { awsWithFreshDetection, fakeRepo, finish, startWith, useFakeAwsEnvironment } from './harness.js';
import { BASE_SHA, BASE_TEMPLATE, edit, HEAD_SHA } from './fixtures.js';

const HEAD = edit(BASE_TEMPLATE, 'MessageRetentionPeriod: 345600', 'MessageRetentionPeriod: 1209600');

let app: TestApp;
let github: FakeGitHub;

beforeAll(useFakeAwsEnvironment);
afterEach(() => finish(github));

async function start() {
  ({ app, github } = await startWith(
    fakeRepo(HEAD, { permissions: { maintainer: 'write', reader: 'read' }, pulls: { 2: { headSha: HEAD_SHA, baseSha: BASE_SHA } } }),
  ));
}

/** A real issue_comment.created payload, on pull request #2. */
function commentEvent(body: string, login: string, type = 'User') {
  const payload = example('issue_comment', 'created');
  payload.issue.number = 2;
  payload.issue.pull_request = { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/2' };
  payload.comment.body = body;
  payload.comment.user.login = login;
  payload.comment.user.type = type;
  return payload;
}

describe('/realitycheck recheck', () => {
  it('runs a fresh drift detection for a collaborator with write access, after a 👀', async () => {
    await start();
    awsWithFreshDetection(); // the last detection is a minute old, yet DetectStackDrift runs
    await app.deliver('issue_comment', commentEvent('Hotfix rolled back.\n/realitycheck recheck', 'maintainer'));
    github.assertAllUsed('GET permission');
    expect(github.reactions).toEqual([{ commentId: expect.any(Number), content: 'eyes' }]);
    expect(github.checkFor(HEAD_SHA)?.conclusion).toBe('failure');
    expect(github.comments.filter((c) => c.body.includes('realitycheck:summary'))).toHaveLength(1);
  });

  it('runs nothing for a read-only user and tells them why', async () => {
    await start();
    await app.deliver('issue_comment', commentEvent('/realitycheck recheck', 'reader'));
    expect(github.checkRuns).toEqual([]);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toContain('only people with write, maintain or admin permission');
    expect(github.comments[0]!.body).toContain('`reader`');
    github.assertAllUsed('GET permission'); // refused for the permission GitHub reports
    expect(github.count('GET config')).toBe(0);
  });

  it('refuses someone who is not a collaborator at all', async () => {
    await start();
    await app.deliver('issue_comment', commentEvent('/realitycheck recheck', 'drive-by'));
    expect(github.checkRuns).toEqual([]);
    expect(github.comments[0]!.body).toContain('`none`');
    github.assertAllUsed('GET permission');
  });
});

describe('other comments', () => {
  it('answers /realitycheck help with the commands', async () => {
    await start();
    await app.deliver('issue_comment', commentEvent('/realitycheck help', 'maintainer'));
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toContain('/realitycheck recheck');
    expect(github.checkRuns).toEqual([]);
  });

  it('says so when the command is unknown', async () => {
    await start();
    await app.deliver('issue_comment', commentEvent('/realitycheck deploy', 'maintainer'));
    expect(github.comments[0]!.body).toContain('`/realitycheck deploy` is not a realitycheck command');
  });

  it.each([
    ['an ordinary comment', 'Looks good to me', 'User'],
    ['a quoted command', '> /realitycheck recheck\nI disagree', 'User'],
    ['a command from a bot', '/realitycheck recheck', 'Bot'],
  ])('ignores %s', async (_name, body, type) => {
    await start();
    await app.deliver('issue_comment', commentEvent(body, 'maintainer', type));
    expect(github.calls).toEqual([]);
  });
});

describe('check run buttons', () => {
  function checkRunEvent(action: 'rerequested' | 'requested_action', pulls: number[]) {
    const payload = example('check_run', action);
    payload.check_run.name = 'Reality check';
    payload.check_run.head_sha = HEAD_SHA;
    payload.check_run.pull_requests = pulls.map((number) => ({ number, head: { sha: HEAD_SHA, ref: 'changes' }, base: { sha: BASE_SHA, ref: 'master' } }));
    payload.repository = example('pull_request', 'synchronize').repository;
    if (action === 'requested_action') payload.requested_action = { identifier: 'recheck' };
    return payload;
  }

  it.each(['rerequested', 'requested_action'] as const)('re-checks with a fresh detection on %s', async (action) => {
    await start();
    awsWithFreshDetection();
    await app.deliver('check_run', checkRunEvent(action, [2]));
    expect(github.checkFor(HEAD_SHA)?.conclusion).toBe('failure');
  });

  it('finds the pull request by commit when the run lists none (a fork)', async () => {
    await start();
    awsWithFreshDetection();
    await app.deliver('check_run', checkRunEvent('rerequested', []));
    expect(github.count('GET commit pulls')).toBe(1);
    expect(github.checkFor(HEAD_SHA)?.conclusion).toBe('failure');
  });

  it('ignores re-runs of other check runs', async () => {
    await start();
    const payload = checkRunEvent('rerequested', [2]);
    payload.check_run.name = 'build';
    await app.deliver('check_run', payload);
    expect(github.calls).toEqual([]);
    expect(nock.pendingMocks().filter((m) => !m.includes('api.github.com'))).toEqual([]);
  });
});
