// The in-test GitHub's write side refuses what GitHub refuses; then the app's real review and
// reconcile writes against it, over the wire through Octokit.
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Octokit } from '../../src/github/octokit.js';
import { publishReviewComments } from '../../src/github/publish-review-comments.js';
import { setReconcileBranch } from '../../src/github/set-branch.js';
import { MAX_REVIEW_COMMENTS, type ReviewComment } from '../../src/reconcile/compute-suggestions.js';
import { FakeGitHub, githubPatch } from './fake-github.js';
import { TestOctokit } from './probot.js';

const REPO = { owner: 'Codertocat', repo: 'Hello-World' };
const SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const BASE = Array.from({ length: 60 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
const HEAD = BASE.replace('line 30\n', 'line thirty\n');

let github: FakeGitHub;
let octokit: Octokit;

beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
  github = new FakeGitHub({ ...REPO, files: { [SHA]: { 'a.yaml': HEAD } }, pullFiles: { 2: [{ filename: 'a.yaml', patch: githubPatch(BASE, HEAD) }] }, branches: { master: SHA } });
  octokit = new TestOctokit({ auth: { token: 'ghs_test' } }) as unknown as Octokit;
});
afterEach(() => github.done());

const review = (comments: Array<{ path: string; line: number; body: string }>, body = 'r') =>
  octokit.rest.pulls.createReview({ ...REPO, pull_number: 2, commit_id: SHA, event: 'COMMENT', body, comments });

describe('the fake GitHub refuses', () => {
  it('a review comment on a line outside the diff (context lines are inside)', async () => {
    await review([{ path: 'a.yaml', line: 27, body: 'context line' }, { path: 'a.yaml', line: 30, body: 'changed line' }]);
    await expect(review([{ path: 'a.yaml', line: 10, body: 'far away' }])).rejects.toMatchObject({ status: 422 });
    expect(github.refusals.map((r) => r.errors)).toEqual([['Line could not be resolved']]);
  });

  it('a review body or comment over 65,536 characters', async () => {
    await expect(review([], 'x'.repeat(65_537))).rejects.toMatchObject({ status: 422 });
    await expect(review([{ path: 'a.yaml', line: 30, body: 'x'.repeat(65_537) }])).rejects.toMatchObject({ status: 422 });
    expect(github.refusals).toHaveLength(2);
  });

  it('a second pull request from the same head, and a ref that exists', async () => {
    await octokit.rest.git.createRef({ ...REPO, ref: 'refs/heads/realitycheck/reconcile/x', sha: SHA });
    await expect(octokit.rest.git.createRef({ ...REPO, ref: 'refs/heads/realitycheck/reconcile/x', sha: SHA })).rejects.toMatchObject({ status: 422 });
    expect(github.refusals.at(-1)!.message).toBe('Reference already exists');
  });
});

describe('the app against it', () => {
  const comment = (line: number, id: string): ReviewComment => ({ path: 'a.yaml', line, id, body: `c\n\n<!-- realitycheck:suggestion id=${id} -->` });

  it('posts at most 20 review comments on a pull request and says the rest are in the summary', async () => {
    const wanted = Array.from({ length: 25 }, (_, i) => comment(27 + (i % 7), `id${i}`));
    const outcome = await publishReviewComments(octokit, REPO, { number: 2, headSha: SHA }, wanted, 'realitycheck[bot]');
    expect(outcome).toEqual({ created: MAX_REVIEW_COMMENTS, kept: 0, deleted: 0, omitted: 5 });
    expect(github.git.reviewComments).toHaveLength(20);
    expect(github.git.reviews[0]!.body).toContain('5 more are in the summary comment');
    // a later run with fewer: the ones that hold stay, the rest go, none added past the limit
    const again = await publishReviewComments(octokit, REPO, { number: 2, headSha: SHA }, wanted.slice(0, 3), 'realitycheck[bot]');
    expect(again).toEqual({ created: 0, kept: 3, deleted: 17, omitted: 0 });
  });

  it('never takes a comment by someone else for ours, marker or not', async () => {
    github.git.addReviewComment({ path: 'a.yaml', line: 30, original_line: 30, commit_id: SHA, body: '<!-- realitycheck:suggestion id=zzz -->', user: { login: 'octocat', type: 'User' }, pull: 2 });
    await publishReviewComments(octokit, REPO, { number: 2, headSha: SHA }, [], 'realitycheck[bot]');
    expect(github.git.deletedComments).toEqual([]);
  });

  it('never moves a branch outside realitycheck/reconcile/ (the default branch least of all)', async () => {
    await expect(setReconcileBranch(octokit, REPO, 'master', SHA, 'master')).rejects.toThrow(/refusing to move master/);
    expect(github.git.refWrites).toEqual([]);
  });
});
