// `report.suggestions`, end to end: one review whose comments sit on lines of the diff. A
// revert gets a suggested change that keeps the live value; committing it makes the next
// check stop reporting the revert, and our stale comment goes (nobody else's does).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { blobSha, githubPatch, type FakeGitHub } from '../helpers/fake-github.js';
import type { FakeGitWrites } from '../helpers/fake-github-writes.js';
import { pullRequestEvent, type TestApp } from '../helpers/probot.js';
import { finish, startWith, useFakeAwsEnvironment } from './harness.js';
import { BASE_SHA, HEAD_SHA } from './fixtures.js';
import { awsReads, BASE, CONFIG, HEAD, reconcileRepo, TEMPLATE } from './reconcile-fixtures.js';

const NEXT_SHA = '9b2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1f3a5b7c';

let app: TestApp;
let github: FakeGitHub;
let git: FakeGitWrites;

beforeAll(useFakeAwsEnvironment);
afterEach(() => finish(github));

async function start(head = HEAD, config = CONFIG()) {
  ({ app, github } = await startWith(reconcileRepo({ config, files: { [BASE_SHA]: { [TEMPLATE]: BASE }, [HEAD_SHA]: { [TEMPLATE]: head } }, pullFiles: { 2: [{ filename: TEMPLATE, patch: githubPatch(BASE, head), sha: blobSha(head) }] } })));
  git = github.git;
}

/** A push to pull request #2: the new head, its diff. */
async function push(sha: string, head: string) {
  github.repo.files[sha] = { [TEMPLATE]: head };
  github.repo.pullFiles[2] = [{ filename: TEMPLATE, patch: githubPatch(BASE, head), sha: blobSha(head) }];
  git.outdateComments(2);
  awsReads();
  await app.deliver('pull_request', pullRequestEvent({ headSha: sha, baseSha: BASE_SHA }));
}

const ours = () => git.reviewComments.filter((c) => c.user.login === 'realitycheck[bot]');

describe('suggested changes', () => {
  it('suggests keeping the live VisibilityTimeout on its line in the diff; committing it ends the revert and leaves no stale comment', async () => {
    await start();
    const person = git.addReviewComment({ path: TEMPLATE, line: 10, original_line: 10, commit_id: HEAD_SHA, body: 'Why 14 days? <!-- realitycheck:suggestion id=abc -->', user: { login: 'octocat', type: 'User' }, pull: 2 });
    awsReads();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));

    expect(github.checkFor(HEAD_SHA)?.conclusion).toBe('failure');
    expect(git.reviews).toHaveLength(1);
    expect(git.reviews[0]!.event).toBe('COMMENT');
    const [suggestion] = ours();
    expect(ours()).toHaveLength(1);
    expect(suggestion!.line).toBe(BASE.split('\n').indexOf('      VisibilityTimeout: 30 # seconds') + 1);
    expect(suggestion!.body).toContain('````suggestion\n      VisibilityTimeout: 120 # seconds\n````');

    // the author commits the suggestion as GitHub does: that line replaced by the suggested one
    const lines = HEAD.split('\n');
    lines[suggestion!.line! - 1] = /````suggestion\n([\s\S]*?)\n````/.exec(suggestion!.body)![1]!;
    await push(NEXT_SHA, lines.join('\n'));

    const check = github.checkFor(NEXT_SHA)!;
    expect(check.conclusion).toBe('success');
    expect(check.output?.summary ?? '').not.toMatch(/revert/i);
    expect(ours()).toEqual([]);
    expect(git.reviewComments).toContainEqual(person); // someone else's comment, marker and all, untouched
  });

  it('leaves a comment that still holds alone on the next run', async () => {
    await start();
    awsReads();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    awsReads();
    await app.deliver('pull_request', pullRequestEvent({ action: 'reopened', headSha: HEAD_SHA, baseSha: BASE_SHA }));
    expect(ours()).toHaveLength(1);
    expect(git.reviews).toHaveLength(1);
    expect(git.deletedComments).toEqual([]);
  });

  it('comments on a conflict with the base, live and proposed values, and suggests nothing', async () => {
    await start(BASE.replace('VisibilityTimeout: 30 # seconds', 'VisibilityTimeout: 60 # seconds'));
    awsReads();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const [comment] = ours();
    expect(ours()).toHaveLength(1);
    expect(comment!.body).toContain('| `VisibilityTimeout` | `30` | `120` | `60` |');
    expect(comment!.body).not.toContain('suggestion\n');
  });

  it('puts nothing on a line outside the diff (GitHub would refuse it): the summary comment has it', async () => {
    // the bucket's name changes; its live `owner` tag would go after the last tag, past the diff's context
    await start(BASE.replace('BucketName: orders-archive', 'BucketName: orders-archive-v2'));
    awsReads();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    expect(github.checkFor(HEAD_SHA)?.conclusion).toBe('failure');
    expect(ours()).toEqual([]);
    expect(github.comments[0]!.body).toContain('OrdersBucket');
  });

  it('posts no review with report.suggestions: false', async () => {
    await start(HEAD, `${CONFIG()}report:\n  suggestions: false\n`);
    awsReads();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    expect(github.checkFor(HEAD_SHA)?.conclusion).toBe('failure');
    expect(git.reviews).toEqual([]);
  });
});
