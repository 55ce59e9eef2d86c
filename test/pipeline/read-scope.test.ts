// Step 1 over the wire: which configured targets a pull request touches, with GitHub's file
// list, git trees and blobs answered by the in-test GitHub as GitHub does.
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Target } from '../../src/config-types.js';
import { clearBlobCache } from '../../src/github/read-git-blob.js';
import { clearTreeCache } from '../../src/github/read-git-tree.js';
import type { Octokit } from '../../src/github/octokit.js';
import type { PullRequestRef } from '../../src/github/pull-request.js';
import { readScope } from '../../src/pipeline/read-scope.js';
import { FakeGitHub, type FakeRepo } from '../helpers/fake-github.js';
import { TestOctokit } from '../helpers/probot.js';

const REPO = { owner: 'Codertocat', repo: 'Hello-World' };
const BASE = 'd4'.repeat(20);
const HEAD = 'e5'.repeat(20);

const queues = (retention: number) => `resource "aws_sqs_queue" "jobs" {\n  name                      = "jobs"\n  message_retention_seconds = ${retention}\n}\n`;
const FILES = {
  'main.tf': 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n',
  'envs/prod/main.tf': 'module "queues" {\n  source = "../../modules/queues"\n}\n',
  'modules/queues/main.tf': queues(345600),
};
const TARGETS: Target[] = [
  { kind: 'terraform', name: 'everything', dir: '.' },
  { kind: 'terraform', name: 'prod', dir: 'envs/prod' },
  { kind: 'terraform', name: 'staging', dir: 'envs/staging' },
];

let github: FakeGitHub | undefined;
let octokit: Octokit;

beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
  clearBlobCache();
  clearTreeCache();
  octokit = new TestOctokit({ auth: { token: 'ghs_test' } }) as unknown as Octokit;
});
afterEach(() => {
  github?.done();
  github = undefined;
});

function pr(changedFiles?: number): PullRequestRef {
  return {
    ...REPO,
    number: 2,
    headSha: HEAD,
    baseSha: BASE,
    headRef: 'raise-retention',
    baseRef: 'main',
    author: 'octocat',
    authorType: 'User',
    body: '',
    defaultBranch: 'main',
    updatedAt: '2026-12-01T10:00:00Z',
    labels: [],
    ...(changedFiles !== undefined ? { changedFiles } : {}),
  };
}

function serve(head: Record<string, string>, listed: string[]): void {
  const files: FakeRepo['files'] = { [BASE]: FILES, [HEAD]: { ...FILES, ...head } };
  github = new FakeGitHub({ ...REPO, files, pullFiles: { 2: listed } });
}

describe('which Terraform roots a pull request touches', () => {
  it('finds a root that uses a changed module although the module lies in another target\'s directory', async () => {
    serve({ 'modules/queues/main.tf': queues(1209600) }, ['modules/queues/main.tf']);
    const { scope } = await readScope(octokit, pr(), TARGETS);
    expect(scope.touched.map((t) => t.target.name)).toEqual(['everything', 'prod']);
  });

  it('finds it by the module directory\'s git object id when GitHub\'s file list was cut short', async () => {
    serve({ 'modules/queues/main.tf': queues(1209600) }, ['README.md']);
    const { scope } = await readScope(octokit, pr(3500), TARGETS.slice(1));
    expect(scope.touched.map((t) => t.target.name)).toEqual(['prod']);
  });

  it('leaves a root alone when the module it uses did not change, even past a cut-short list', async () => {
    serve({ 'README.md': 'docs\n' }, ['README.md']);
    const { scope } = await readScope(octokit, pr(3500), TARGETS.slice(1));
    expect(scope.touched).toEqual([]);
  });
});
