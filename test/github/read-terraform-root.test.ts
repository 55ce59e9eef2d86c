// Reading a Terraform root and its local modules from GitHub at two commits, over the wire:
// the in-test GitHub answers `git/trees` and `git/blobs` as GitHub does, with git's real ids.
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearBlobCache } from '../../src/github/read-git-blob.js';
import { clearTreeCache } from '../../src/github/read-git-tree.js';
import { withRequestSignal } from '../../src/github/request-signal.js';
import { findModuleDirs, readTerraformRoots, MAX_FILE_BYTES } from '../../src/github/read-terraform-root.js';
import type { Octokit } from '../../src/github/octokit.js';
import { blobSha, FakeGitHub, type FakeRepo } from '../helpers/fake-github.js';
import { TestOctokit } from '../helpers/probot.js';

const REPO = { owner: 'Codertocat', repo: 'Hello-World' };
const BASE = 'a1'.repeat(20);
const HEAD = 'b2'.repeat(20);
const NEXT = 'c3'.repeat(20);

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

function serve(files: FakeRepo['files'], extra: Partial<FakeRepo> = {}): FakeGitHub {
  github = new FakeGitHub({ ...REPO, files, pullFiles: {}, ...extra });
  return github;
}

const ROOT = {
  'tf/network/main.tf': `
terraform {
  backend "s3" {
    bucket = "acme-tf-state"
    key    = "network/terraform.tfstate"
  }
}

module "queues" {
  source    = "../modules/queue"
  retention = var.retention
}
`,
  'tf/network/variables.tf': `
variable "retention" {
  default = 345600
}
`,
  'tf/network/terraform.tfvars': 'retention = 86400\n',
  'tf/network/README.md': 'not Terraform\n',
  'tf/network/nested/ignored.tf': 'resource "aws_sqs_queue" "not_read" {}\n',
};

const QUEUE = (retention = 'var.retention', visibility = 30) => ({
  'tf/modules/queue/main.tf': `
variable "retention" {}

resource "aws_sqs_queue" "jobs" {
  name                       = "jobs"
  message_retention_seconds  = ${retention}
  visibility_timeout_seconds = ${visibility}
}
`,
});

const paths = (requests: Array<{ path: string }>, route: string) => requests.filter((r) => r.path.includes(route)).map((r) => r.path.replace(/^.*\/git\//, ''));

describe('readTerraformRoots', () => {
  it('reads the root and its local module in ../modules/queue at both commits, and a file the pull request did not change only once', async () => {
    const fake = serve({ [BASE]: { ...ROOT, ...QUEUE() }, [HEAD]: { ...ROOT, ...QUEUE('var.retention', 120) } }).expectCalls('GET tree', 'GET blob');
    const roots = await readTerraformRoots(octokit, REPO, { mergeBase: BASE, headSha: HEAD }, 'tf/network');

    expect(roots.head!.files).toEqual(['tf/modules/queue/main.tf', 'tf/network/main.tf', 'tf/network/terraform.tfvars', 'tf/network/variables.tf']);
    expect(roots.head!.problems).toEqual([]);
    expect(roots.head!.backend?.type).toBe('s3');
    const jobs = roots.head!.blocks.find((b) => b.address === 'module.queues.aws_sqs_queue.jobs')!;
    expect(jobs.file).toBe('tf/modules/queue/main.tf');
    expect(jobs.span.startLine).toBe(4);
    expect(roots.changes.changes.map((c) => [c.address, c.action, c.changedAttributes])).toEqual([['module.queues.aws_sqs_queue.jobs', 'change', ['visibility_timeout_seconds']]]);
    expect(roots.changes.touchedModules).toEqual([{ address: 'module.queues', dir: 'tf/modules/queue', files: ['tf/modules/queue/main.tf'] }]);

    // 2 trees; the 3 root files once each (same blob at both commits); the module file twice (it changed).
    expect(fake.count('GET tree')).toBe(2);
    expect(fake.count('GET blob')).toBe(5);
    expect(new Set(paths(fake.calls, '/git/blobs/')).size).toBe(5);
    expect(roots.read).toEqual({ files: 5, bytes: expect.any(Number), requests: 7 });
    expect(fake.calls.some((c) => c.path.includes('README') || c.path.includes('ignored'))).toBe(false);
  });

  it('follows a module nested in a module, each read from its own directory', async () => {
    const files = {
      'infra/app/main.tf': 'module "app" {\n  source = "../../modules/app"\n}\n',
      'modules/app/main.tf': 'module "queue" {\n  source = "./queue"\n}\n',
      'modules/app/queue/main.tf': 'resource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n}\n',
    };
    serve({ [BASE]: files, [HEAD]: files });
    const roots = await readTerraformRoots(octokit, REPO, { mergeBase: BASE, headSha: HEAD }, 'infra/app/');
    expect(roots.head!.problems).toEqual([]);
    expect(roots.head!.moduleInstances).toEqual([
      { address: 'module.app', dir: 'modules/app' },
      { address: 'module.app.module.queue', dir: 'modules/app/queue' },
    ]);
    expect(roots.head!.blocks.find((b) => b.address === 'module.app.module.queue.aws_sqs_queue.jobs')?.file).toBe('modules/app/queue/main.tf');
    expect(roots.changes.changes).toEqual([]);
  });

  it('reports a module whose directory holds no Terraform on the source line of the call', async () => {
    const files = {
      'tf/network/main.tf': 'module "queues" {\n  source = "../modules/queue"\n}\n',
      'tf/modules/queue/README.md': 'moved to another repository\n',
    };
    serve({ [BASE]: files, [HEAD]: files });
    const roots = await readTerraformRoots(octokit, REPO, { mergeBase: BASE, headSha: HEAD }, 'tf/network');
    expect(roots.head!.problems).toEqual([
      expect.objectContaining({ kind: 'missing-module', file: 'tf/network/main.tf', line: 2, moduleDir: 'tf/modules/queue' }),
    ]);
    expect(roots.changes.problems.head).toHaveLength(1);
  });

  it('never follows a module source that leaves the repository', async () => {
    const files = { 'tf/network/main.tf': 'module "escape" {\n  source = "../../../etc"\n}\n' };
    const fake = serve({ [BASE]: files, [HEAD]: files });
    const roots = await readTerraformRoots(octokit, REPO, { mergeBase: BASE, headSha: HEAD }, 'tf/network');
    expect(roots.head!.problems).toEqual([expect.objectContaining({ kind: 'module-outside-repo', file: 'tf/network/main.tf', line: 2 })]);
    expect([fake.count('GET tree'), fake.count('GET blob')]).toEqual([2, 1]);
  });

  it('stops at a module cycle with a located problem, reading each directory once', async () => {
    const files = {
      'tf/loop/main.tf': 'module "a" {\n  source = "../../modules/a"\n}\n',
      'modules/a/main.tf': 'module "b" {\n  source = "../b"\n}\n',
      'modules/b/main.tf': 'module "a" {\n  source = "../a"\n}\n',
    };
    const fake = serve({ [BASE]: files, [HEAD]: files });
    const roots = await readTerraformRoots(octokit, REPO, { mergeBase: BASE, headSha: HEAD }, 'tf/loop');
    expect(roots.head!.problems).toEqual([expect.objectContaining({ kind: 'module-cycle', file: 'modules/b/main.tf', line: 2 })]);
    expect(fake.count('GET blob')).toBe(3);
  });

  it('does not download a .tf file over 1 MB, and says which file was not read', async () => {
    const big = `# generated\n${'locals {\n  x = 1\n}\n'.repeat(Math.ceil((2 * 1024 * 1024) / 19))}`;
    expect(Buffer.byteLength(big)).toBeGreaterThan(2 * MAX_FILE_BYTES);
    const files = { ...ROOT, ...QUEUE(), 'tf/network/generated.tf': big };
    const fake = serve({ [BASE]: files, [HEAD]: files });
    const roots = await readTerraformRoots(octokit, REPO, { mergeBase: BASE, headSha: HEAD }, 'tf/network');
    expect(roots.head!.problems).toEqual([
      { kind: 'unread-file', file: 'tf/network/generated.tf', line: 1, message: 'tf/network/generated.tf is 2.0 MB; files over 1.0 MB are not read, so what it declares is not checked' },
    ]);
    expect(roots.changes.problems.base).toHaveLength(1);
    expect(paths(fake.calls, '/git/blobs/')).not.toContain(blobSha(big));
    expect(roots.head!.blocks.map((b) => b.address)).toContain('module.queues.aws_sqs_queue.jobs');
  });

  it('reads a root the pull request adds as all new', async () => {
    serve({ [BASE]: { 'README.md': 'hi\n' }, [HEAD]: { ...ROOT, ...QUEUE() } });
    const roots = await readTerraformRoots(octokit, REPO, { mergeBase: BASE, headSha: HEAD }, 'tf/network');
    expect(roots.base).toBeUndefined();
    expect(roots.head!.blocks.length).toBeGreaterThan(0);
    expect(roots.changes.changes.map((c) => [c.address, c.action])).toEqual([
      ['module.queues', 'add'],
      ['module.queues.aws_sqs_queue.jobs', 'add'],
    ]);
  });

  it('reads a root the pull request deletes as all removed', async () => {
    serve({ [BASE]: { ...ROOT, ...QUEUE() }, [HEAD]: { ...QUEUE() } });
    const roots = await readTerraformRoots(octokit, REPO, { mergeBase: BASE, headSha: HEAD }, 'tf/network');
    expect(roots.head).toBeUndefined();
    expect(roots.changes.changes.map((c) => c.action)).toEqual(['remove', 'remove']);
  });

  it('skips a symlink and a submodule named like Terraform files, and lists them', async () => {
    const files = { ...ROOT, ...QUEUE() };
    const fake = serve(
      { [BASE]: files, [HEAD]: files },
      { symlinks: { [HEAD]: { 'tf/network/providers.tf': '../shared/providers.tf' } }, submodules: { [HEAD]: { 'tf/network/vendor.tf': 'd4'.repeat(20) } } },
    );
    const roots = await readTerraformRoots(octokit, REPO, { mergeBase: BASE, headSha: HEAD }, 'tf/network');
    expect(roots.head!.skippedFiles).toEqual(['tf/network/providers.tf', 'tf/network/vendor.tf']);
    expect(roots.head!.files).not.toContain('tf/network/providers.tf');
    expect(paths(fake.calls, '/git/blobs/')).not.toContain(blobSha('../shared/providers.tf'));
  });

  it('walks down one tree at a time when GitHub cuts the recursive tree short', async () => {
    const files = { ...ROOT, ...QUEUE() };
    const fake = serve({ [BASE]: files, [HEAD]: files }, { treeEntryLimit: 3 });
    const roots = await readTerraformRoots(octokit, REPO, { mergeBase: BASE, headSha: HEAD }, 'tf/network');
    expect(roots.head!.problems).toEqual([]);
    expect(roots.head!.files).toHaveLength(4);
    // per commit: the cut-short recursive tree, then the root tree, tf, tf/network, tf/modules, tf/modules/queue
    expect(fake.count('GET tree')).toBe(12);
    expect(fake.calls.filter((c) => c.path.includes('recursive'))).toHaveLength(2);
  });

  it('throws GitHub\'s 404 for a commit the repository does not have, rather than reading no root', async () => {
    const fake = serve({ [BASE]: { ...ROOT, ...QUEUE() } });
    await expect(readTerraformRoots(octokit, REPO, { mergeBase: BASE, headSha: HEAD }, 'tf/network')).rejects.toMatchObject({ status: 404 });
    // and nothing of the failed read is still asking GitHub afterwards (it would count against the next run)
    const asked = fake.calls.length;
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(fake.calls.length).toBe(asked);
  });
});

describe('request counts for a 20-file root', () => {
  const twenty = (edit: string) =>
    Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`tf/big/r${String(i).padStart(2, '0')}.tf`, `resource "aws_sqs_queue" "q${i}" {\n  name = "q${i}"\n  delay_seconds = ${i === 7 ? edit : '0'}\n}\n`]),
    );

  it('costs two trees and 21 blobs at first, then one tree and one blob for a push that changes one file', async () => {
    const fake = serve({ [BASE]: twenty('0'), [HEAD]: twenty('5'), [NEXT]: twenty('9') });
    const first = await readTerraformRoots(octokit, REPO, { mergeBase: BASE, headSha: HEAD }, 'tf/big');
    expect(first.changes.changes.map((c) => `${c.address} ${c.changedAttributes.join(',')}`)).toEqual(['aws_sqs_queue.q7 delay_seconds']);
    expect([fake.count('GET tree'), fake.count('GET blob')]).toEqual([2, 21]);
    expect(first.read.requests).toBe(23);

    const second = await readTerraformRoots(octokit, REPO, { mergeBase: BASE, headSha: NEXT }, 'tf/big');
    expect(second.changes.changes.map((c) => c.address)).toEqual(['aws_sqs_queue.q7']);
    // the merge base's tree and every unchanged file are known already
    expect([fake.count('GET tree'), fake.count('GET blob')]).toEqual([3, 22]);
    expect(second.read).toEqual({ files: 21, bytes: expect.any(Number), requests: 2 });
  });
});

describe('runs that read the same commit', () => {
  it('does not hand a run the failure of a superseded run whose request it joined', async () => {
    serve({ [BASE]: { ...ROOT, ...QUEUE() }, [HEAD]: { ...ROOT, ...QUEUE('var.retention', 120) } });
    const superseded = new AbortController();
    const old = withRequestSignal(octokit, superseded.signal, () => readTerraformRoots(octokit, REPO, { mergeBase: BASE, headSha: HEAD }, 'tf/network'));
    const newer = readTerraformRoots(octokit, REPO, { mergeBase: BASE, headSha: HEAD }, 'tf/network');
    superseded.abort();
    await expect(old).rejects.toThrow();
    const roots = await newer;
    expect(roots.changes.changes.map((c) => c.address)).toEqual(['module.queues.aws_sqs_queue.jobs']);
  });
});

describe('findModuleDirs', () => {
  it('lists the root directory first, then every local module directory it uses', async () => {
    const files = {
      'tf/network/main.tf': 'module "queues" {\n  source = "../modules/queue"\n}\nmodule "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n',
        'tf/modules/queue/main.tf': 'module "alarms" {\n  source = "../alarms"\n}\n',
      'tf/modules/alarms/main.tf': 'resource "aws_cloudwatch_metric_alarm" "depth" {}\n',
    };
    const fake = serve({ [HEAD]: files, [BASE]: files });
    expect(await findModuleDirs(octokit, REPO, HEAD, './tf/network/')).toEqual(['tf/network', 'tf/modules/queue', 'tf/modules/alarms']);
    // the reader that follows asks for no tree and no file twice
    await readTerraformRoots(octokit, REPO, { mergeBase: BASE, headSha: HEAD }, 'tf/network');
    expect([fake.count('GET tree'), fake.count('GET blob')]).toEqual([2, 3]);
    expect(await findModuleDirs(octokit, REPO, HEAD, 'tf/nothing')).toEqual(['tf/nothing']);
  });
});

describe('the in-test GitHub serves git trees and blobs as GitHub does', () => {
  it('answers a tree with git ids, a blob in base64 lines of 60 characters, and 404 for ids it does not have', async () => {
    const text = 'resource "aws_sqs_queue" "jobs" {\n  name = "a name long enough to need two lines of base64"\n}\n';
    serve({ [BASE]: { 'a/main.tf': text } });
    const { data: tree } = await octokit.rest.git.getTree({ ...REPO, tree_sha: BASE, recursive: '1' });
    expect(tree.truncated).toBe(false);
    expect(tree.tree.map((e) => [e.path, e.type, e.mode])).toEqual([
      ['a', 'tree', '040000'],
      ['a/main.tf', 'blob', '100644'],
    ]);
    expect(tree.tree[1]).toMatchObject({ sha: blobSha(text), size: text.length });
    const { data: sub } = await octokit.rest.git.getTree({ ...REPO, tree_sha: tree.tree[0]!.sha });
    expect(sub.tree.map((e) => e.path)).toEqual(['main.tf']);
    const { data: blob } = await octokit.rest.git.getBlob({ ...REPO, file_sha: blobSha(text) });
    expect(blob.encoding).toBe('base64');
    expect(blob.content.split('\n')[0]).toHaveLength(60);
    expect(Buffer.from(blob.content, 'base64').toString()).toBe(text);
    await expect(octokit.rest.git.getBlob({ ...REPO, file_sha: 'e5'.repeat(20) })).rejects.toMatchObject({ status: 404 });
    await expect(octokit.rest.git.getTree({ ...REPO, tree_sha: blobSha(text) })).rejects.toMatchObject({ status: 404 });
  });
});
