// A Terraform root module and its local modules, read from GitHub at the merge base and at the
// head, parsed, and compared.
//
// Per commit: one recursive tree (read-git-tree.ts) gives every path with its blob id and
// size; the root directory's `.tf` files and its `terraform.tfvars` / `*.auto.tfvars` are read
// (not subdirectories: Terraform reads one directory), parsed with parseRoot, and each
// `missing-module` directory parseRoot names is read in turn and the root parsed again, until
// none is missing (at most MAX_ROUNDS rounds; parseRoot bounds depth, instances and cycles,
// and never names a directory outside the repository). Blobs are read by id, once
// (read-git-blob.ts): a file identical at base and head, or unchanged since the last push,
// costs no request.
//
// Bounds, each a located `unread-file` problem rather than a crash or a silent gap: a file over
// MAX_FILE_BYTES (known from the tree, so never downloaded), files past MAX_ROOT_BYTES per
// commit, text that is not UTF-8. An unread file stays in the map as empty text so its
// module directory still counts as present. Symlinks and submodules named like Terraform files
// are not followed; they are listed in `skippedFiles`, as `*.tf.json` files are (listed, not
// downloaded: parseRoot does not read JSON syntax).
import { posix } from 'node:path';
import { computeTerraformChanges, loadHclGrammar, MAX_MODULE_DEPTH, parseRoot } from '../iac/terraform/index.js';
import type { TerraformChanges, TerraformProblem, TerraformRoot } from '../types.js';
import { readGitBlob } from './read-git-blob.js';
import { readGitTree, type GitTree, type RequestCounter, type TreeEntry } from './read-git-tree.js';
import type { Octokit, RepoRef } from './octokit.js';

/** A file larger than this is not read (generated HCL; Terraform roots rarely pass 100 KB a file). */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Bytes of Terraform read per commit, root and modules together. */
export const MAX_ROOT_BYTES = 20 * 1024 * 1024;
/** Parse-and-read rounds: each round reaches at least one module level deeper. */
const MAX_ROUNDS = MAX_MODULE_DEPTH + 2;
/** Blob requests in flight at once. */
const PARALLEL = 8;

export interface TerraformRoots {
  /** Undefined when the root does not exist at the merge base (the pull request adds it). */
  base?: TerraformRoot;
  /** Undefined when the pull request deletes the whole root. */
  head?: TerraformRoot;
  /** computeTerraformChanges(base, head), a missing side read as an empty root. */
  changes: TerraformChanges;
  /** Distinct files (blobs) read and their bytes, from GitHub or the cache, and the GitHub requests made. */
  read: { files: number; bytes: number; requests: number };
}

interface Side {
  root?: TerraformRoot;
  /** Repository path -> blob id of every file of the root and its modules that was looked at. */
  shas: Map<string, string>;
}

interface Reading {
  octokit: Octokit;
  repo: RepoRef;
  counter: RequestCounter;
  /** Blob id -> bytes, of every blob read in this call. */
  blobs: Map<string, number>;
}

/**
 * The root in `dir` at the merge base and at the head. A root is "there" at a commit when
 * `dir` holds a `.tf` file; neither side there means `dir` names no root (both undefined).
 * GitHub errors (permissions, rate limits, an unknown commit) are thrown: the caller must not
 * pass the pull request then.
 */
export async function readTerraformRoots(octokit: Octokit, repo: RepoRef, refs: { mergeBase: string; headSha: string }, dir: string): Promise<TerraformRoots> {
  await loadHclGrammar();
  const reading: Reading = { octokit, repo, counter: { requests: 0 }, blobs: new Map() };
  const baseTree = readGitTree(octokit, repo, refs.mergeBase, reading.counter);
  const headTree = refs.headSha === refs.mergeBase ? baseTree : readGitTree(octokit, repo, refs.headSha, reading.counter);
  const [base, head] = await settled([baseTree.then((tree) => readSide(reading, tree, dir)), headTree.then((tree) => readSide(reading, tree, dir))]);
  const empty = parseRoot(dir, new Map());
  const changes = computeTerraformChanges(base.root ?? empty, head.root ?? empty, changedPaths(base.shas, head.shas));
  return {
    ...(base.root ? { base: base.root } : {}),
    ...(head.root ? { head: head.root } : {}),
    changes,
    read: { files: reading.blobs.size, bytes: [...reading.blobs.values()].reduce((a, b) => a + b, 0), requests: reading.counter.requests },
  };
}

/**
 * Repository directories of the local modules the root in `dir` uses at `ref` (recursively),
 * the root's own directory first: a pull request that changes only `modules/queue` touches
 * every root that uses it. Just `[dir]` when there is no root at `ref`.
 */
export async function findModuleDirs(octokit: Octokit, repo: RepoRef, ref: string, dir: string): Promise<string[]> {
  await loadHclGrammar();
  const reading: Reading = { octokit, repo, counter: { requests: 0 }, blobs: new Map() };
  const side = await readSide(reading, await readGitTree(octokit, repo, ref, reading.counter), dir);
  const rootDir = side.root?.dir ?? cleanDir(dir);
  return [...new Set([rootDir, ...(side.root?.moduleInstances.map((instance) => instance.dir) ?? [])])];
}

async function readSide(reading: Reading, tree: GitTree, dir: string): Promise<Side> {
  const rootDir = cleanDir(dir);
  const shas = new Map<string, string>();
  const entries = await tree.list(rootDir);
  if (!entries?.some((entry) => entry.name.endsWith('.tf') && entry.type === 'blob' && entry.mode !== '120000')) return { shas };
  const files = new Map<string, string>();
  const problems: TerraformProblem[] = [];
  const skipped: string[] = [];
  const budget = { bytes: 0 };
  const loadDir = async (at: string, list: TreeEntry[], isRoot: boolean): Promise<void> => {
    const wanted = list.filter((entry) => entry.type !== 'tree' && isTerraformFile(entry.name, isRoot));
    const fetches: Array<() => Promise<void>> = [];
    for (const entry of wanted) {
      shas.set(entry.path, entry.sha);
      if (entry.type === 'commit' || entry.mode === '120000') {
        skipped.push(entry.path); // a submodule or a symlink: its target is not followed
        continue;
      }
      if (entry.name.endsWith('.tf.json')) {
        files.set(entry.path, ''); // listed by parseRoot in skippedFiles; JSON syntax is not read
        continue;
      }
      const size = entry.size ?? 0;
      const unread = size > MAX_FILE_BYTES ? `is ${megabytes(size)}; files over ${megabytes(MAX_FILE_BYTES)} are not read` : budget.bytes + size > MAX_ROOT_BYTES ? `was not read: this root and its modules hold more than ${megabytes(MAX_ROOT_BYTES)} of Terraform` : undefined;
      if (unread) {
        files.set(entry.path, '');
        problems.push({ kind: 'unread-file', file: entry.path, line: 1, message: `${entry.path} ${unread}, so what it declares is not checked` });
        continue;
      }
      budget.bytes += size;
      fetches.push(async () => {
        const bytes = await readGitBlob(reading.octokit, reading.repo, entry.sha, reading.counter);
        reading.blobs.set(entry.sha, bytes.length);
        const text = decodeUtf8(bytes);
        if (text === undefined) problems.push({ kind: 'unread-file', file: entry.path, line: 1, message: `${entry.path} is not UTF-8 text, so what it declares is not checked` });
        files.set(entry.path, text ?? '');
      });
    }
    await inParallel(fetches, PARALLEL);
  };
  await loadDir(rootDir, entries, true);
  const tried = new Set([rootDir]);
  let root = parseRoot(rootDir, files);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const missing = [...new Set(root.problems.flatMap((problem) => (problem.kind === 'missing-module' && problem.moduleDir !== undefined && !tried.has(problem.moduleDir) ? [problem.moduleDir] : [])))];
    if (missing.length === 0) break;
    for (const moduleDir of missing) {
      tried.add(moduleDir);
      const list = await tree.list(moduleDir);
      if (list) await loadDir(moduleDir, list, false);
    }
    root = parseRoot(rootDir, files);
  }
  problems.sort((a, b) => a.file.localeCompare(b.file));
  root = { ...root, problems: [...problems, ...root.problems], skippedFiles: [...new Set([...root.skippedFiles, ...skipped])].sort() };
  return { root, shas };
}

/** `.tf` (and `.tf.json`) files of any module directory; tfvars Terraform loads on its own, of the root only. */
function isTerraformFile(name: string, isRoot: boolean): boolean {
  if (name.endsWith('.tf') || name.endsWith('.tf.json')) return true;
  return isRoot && (name === 'terraform.tfvars' || name.endsWith('.auto.tfvars'));
}

/** Paths whose blob differs between the two sides, or that only one side has. */
function changedPaths(base: Map<string, string>, head: Map<string, string>): string[] {
  const changed = new Set<string>();
  for (const [path, sha] of base) if (head.get(path) !== sha) changed.add(path);
  for (const [path, sha] of head) if (base.get(path) !== sha) changed.add(path);
  return [...changed].sort();
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** `tf/network/` and `./tf/network` -> `tf/network`; the repository root is `''` (as parseRoot has it). */
function cleanDir(dir: string): string {
  const clean = posix.normalize(dir.replaceAll('\\', '/')).replace(/\/+$/, '');
  return clean === '.' || clean === '/' ? '' : clean.replace(/^\.\//, '');
}

/**
 * Both results, or the first error once neither side is still running: a failed run must not
 * leave requests in flight after it has returned (they would land in the next run's budget).
 */
async function settled<T>(promises: [Promise<T>, Promise<T>]): Promise<[T, T]> {
  const [a, b] = await Promise.allSettled(promises);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}

/** Runs `tasks`, at most `limit` at once; stops taking new ones after a failure and throws it once all running ones ended. */
async function inParallel(tasks: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < tasks.length && !failed) {
      try {
        await tasks[next++]!();
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}
