// `/realitycheck reconcile` and the check run's `Open reconcile PR` button, end to end: a real
// Probot app, GitHub (reads and the Git Data API, pull requests) and CloudFormation over nock.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../helpers/fake-github.js';
import type { FakeGitWrites } from '../helpers/fake-github-writes.js';
import { example, pullRequestEvent, type TestApp } from '../helpers/probot.js';
import { finish, startWith, useFakeAwsEnvironment } from './harness.js';
import { BASE_SHA, HEAD_SHA } from './fixtures.js';
import { awsReads, BASE, drifted, HEAD, RECONCILED, reconcileRepo, TEMPLATE } from './reconcile-fixtures.js';

const BRANCH = 'realitycheck/reconcile/orders';

let app: TestApp;
let github: FakeGitHub;
let git: FakeGitWrites;

beforeAll(useFakeAwsEnvironment);
afterEach(() => finish(github));

async function start(mode = 'on-request') {
  ({ app, github } = await startWith(reconcileRepo({}, mode)));
  git = github.git;
  git.branches.master = BASE_SHA;
}

function commentEvent(body: string, login: string) {
  const payload = example('issue_comment', 'created');
  payload.issue.number = 2;
  payload.issue.pull_request = { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/2' };
  payload.comment.body = body;
  payload.comment.user.login = login;
  payload.comment.user.type = 'User';
  return payload;
}

function buttonEvent(identifier: string) {
  const payload = example('check_run', 'requested_action');
  payload.check_run.name = 'Reality check';
  payload.check_run.head_sha = HEAD_SHA;
  payload.check_run.pull_requests = [{ number: 2, head: { sha: HEAD_SHA, ref: 'changes' }, base: { sha: BASE_SHA, ref: 'master' } }];
  payload.repository = example('pull_request', 'synchronize').repository;
  payload.requested_action = { identifier };
  return payload;
}

/** Lines of `after` that differ from `before`, by line number (same line count expected for changed ones). */
function changedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  return b.filter((line, i) => a[i] !== line);
}

describe('/realitycheck reconcile', () => {
  it('opens one pull request against the default branch with the live VisibilityTimeout and the owner tag, every other line unchanged', async () => {
    await start();
    awsReads();
    await app.deliver('issue_comment', commentEvent('/realitycheck reconcile', 'maintainer'));
    expect(git.openPulls()).toHaveLength(1);
    const pull = git.openPulls()[0]!;
    expect(pull.head).toBe(BRANCH);
    expect(pull.base).toBe('master');
    const written = git.filesOn(BRANCH)[TEMPLATE]!;
    expect(written).toBe(RECONCILED);
    expect(changedLines(BASE, written)).toContain('      VisibilityTimeout: 120 # seconds');
    expect(written).toContain("        - Key: cost-center\n          Value: finance\n        - Key: owner\n          Value: payments\n");
    // one commit on the default branch's head, written as the app (no author given), naming target and drift
    const commit = git.commits.get(git.branches[BRANCH]!)!;
    expect(commit.parents).toEqual([BASE_SHA]);
    expect(commit.author).toBeUndefined();
    expect(commit.message).toMatch(/^Reconcile orders with live state/);
    expect(commit.message).toContain('OrdersQueue VisibilityTimeout = 120');
    expect(commit.message).toContain('OrdersBucket tag owner = payments');
    // never the default branch
    expect(git.branches.master).toBe(BASE_SHA);
    expect(git.refWrites).toEqual([`create refs/heads/${BRANCH}`]);
    // the body: evidence, marker
    expect(pull.body).toContain('| `OrdersQueue` | `VisibilityTimeout` | `30` | `120` |');
    expect(pull.body).toMatch(/<!-- realitycheck:reconcile target=orders digest=[0-9a-f]{64} -->/);
    expect(pull.body).not.toContain('will not be clean');
    // the reply on the pull request
    const reply = github.comments.at(-1)!.body;
    expect(reply).toContain('`orders`: opened #100');
  });

  it('leaves one pull request, untouched, when the command is repeated with the same drift', async () => {
    await start();
    awsReads();
    await app.deliver('issue_comment', commentEvent('/realitycheck reconcile', 'maintainer'));
    const first = { body: git.openPulls()[0]!.body, sha: git.branches[BRANCH] };
    awsReads();
    await app.deliver('issue_comment', commentEvent('/realitycheck reconcile', 'maintainer'));

    expect(git.pulls).toHaveLength(1);
    expect(git.openPulls()[0]!.body).toBe(first.body);
    expect(git.branches[BRANCH]).toBe(first.sha);
    expect(git.commits.size).toBe(1);
    expect(github.comments.at(-1)!.body).toContain('#100 already holds this drift');
  });

  it('refreshes the same pull request in place (branch force-updated, body rewritten) when the drift changed', async () => {
    await start();
    awsReads();
    await app.deliver('issue_comment', commentEvent('/realitycheck reconcile', 'maintainer'));
    const more = drifted();
    more[0]!.differences = [{ path: '/VisibilityTimeout', expected: '30', actual: '300' }];
    awsReads(more);
    await app.deliver('issue_comment', commentEvent('/realitycheck reconcile', 'maintainer'));

    expect(git.pulls).toHaveLength(1);
    expect(git.filesOn(BRANCH)[TEMPLATE]).toContain('VisibilityTimeout: 300 # seconds');
    expect(git.commits.get(git.branches[BRANCH]!)!.parents).toEqual([BASE_SHA]); // one commit on main, not a second on top
    expect(git.refWrites).toEqual([`create refs/heads/${BRANCH}`, `update heads/${BRANCH} (force)`]);
    expect(git.openPulls()[0]!.body).toContain('`300`');
    expect(github.comments.at(-1)!.body).toContain('refreshed #100');
  });

  it('does not open again the drift someone declined (closed without merging)', async () => {
    await start();
    awsReads();
    await app.deliver('issue_comment', commentEvent('/realitycheck reconcile', 'maintainer'));
    git.pulls[0]!.state = 'closed';
    awsReads();
    await app.deliver('issue_comment', commentEvent('/realitycheck reconcile', 'maintainer'));
    expect(git.pulls).toHaveLength(1);
    expect(git.commits.size).toBe(1);
    expect(github.comments.at(-1)!.body).toContain('closed without merging');
  });

  it('opens nothing for a reader, and says why', async () => {
    await start();
    await app.deliver('issue_comment', commentEvent('/realitycheck reconcile', 'reader'));
    expect(git.pulls).toEqual([]);
    expect(git.refWrites).toEqual([]);
    expect(github.comments.at(-1)!.body).toContain('only people with write, maintain or admin permission');
  });

  it('answers that reconcile is off under reconcile.mode: off, and writes nothing', async () => {
    await start('off');
    await app.deliver('issue_comment', commentEvent('/realitycheck reconcile', 'maintainer'));
    expect(git.pulls).toEqual([]);
    expect(github.comments.at(-1)!.body).toContain('Reconcile is off for this repository');
  });
});

describe('the Open reconcile PR button', () => {
  it('is on the check run of a pull request whose target drifted, and opens the reconcile pull request', async () => {
    await start();
    awsReads();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const run = github.checkFor(HEAD_SHA)!;
    expect((run as unknown as { actions: Array<{ identifier: string; label: string }> }).actions.map((a) => a.identifier)).toEqual(['recheck', 'reconcile']);

    awsReads();
    await app.deliver('check_run', buttonEvent('reconcile'));
    expect(git.openPulls()).toHaveLength(1);
    expect(git.filesOn(BRANCH)[TEMPLATE]).toBe(RECONCILED);
  });

  it('is not offered under reconcile.mode: off', async () => {
    await start('off');
    awsReads();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const run = github.checkFor(HEAD_SHA)!;
    expect((run as unknown as { actions: Array<{ identifier: string }> }).actions.map((a) => a.identifier)).toEqual(['recheck']);
  });
});

export { HEAD };
