// The directories of a commit, from git's own object ids: one `GET git/trees/{commit}?recursive=1`
// lists every path with its blob id, mode and size. GitHub cuts that list at 100,000 entries or
// 7 MB and says `truncated: true`; then, as its docs advise ("use the non-recursive method of
// fetching trees, and fetch one sub-tree at a time"), the directories asked for are walked
// down from the commit's root tree, one non-recursive tree per path segment, each tree id
// read once. Chosen over the contents API, which lists at most 1,000 entries a directory. A
// single directory GitHub still cuts short cannot be read whole: GitTreeTooLargeError.
// Whole trees of the last few commits are kept in process (a commit's tree never changes).
import { posix } from 'node:path';
import type { Octokit, RepoRef } from './octokit.js';

export interface TreeEntry {
  /** Repository path. */
  path: string;
  name: string;
  /** Git file mode: `100644` / `100755` file, `120000` symlink, `040000` tree, `160000` submodule. */
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  /** Git object id: blob id (content address) for files, commit id for submodules. */
  sha: string;
  /** Bytes, for blobs. */
  size?: number;
}

export interface GitTree {
  commit: string;
  /** Entries GitHub listed in the recursive answer (what this tree costs to keep). */
  size: number;
  /** GitHub cut the recursive listing short; directories are read one tree at a time. */
  cutShort: boolean;
  /** Entries directly in `dir` (`''` is the repository root); `undefined` when `dir` is not a directory at this commit. */
  list(dir: string): Promise<TreeEntry[] | undefined>;
}

export class GitTreeTooLargeError extends Error {
  override readonly name = 'GitTreeTooLargeError';
}

interface RawTree {
  sha: string;
  truncated: boolean;
  tree: Array<{ path?: string; mode?: string; type?: string; sha?: string; size?: number }>;
}

/** Counts the GitHub requests made for a run (logs, bench, tests). */
export interface RequestCounter {
  requests: number;
}

/**
 * A commit's tree never changes: the last few are kept (scope asks for the head's module
 * directories of every Terraform target, then the reader asks again), bounded in entries.
 */
const CACHE_MAX_COMMITS = 8;
const CACHE_MAX_ENTRIES = 200_000;
const cache = new Map<string, { tree: Promise<GitTree>; entries: number }>();

export async function readGitTree(octokit: Octokit, repo: RepoRef, commit: string, counter: RequestCounter): Promise<GitTree> {
  const key = `${repo.owner}/${repo.repo}@${commit}`.toLowerCase();
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key); // most recently used last
    cache.set(key, hit);
    // a request in flight for another run carries its abort signal: on failure, ask on our own
    return hit.tree.catch(() => readGitTree(octokit, repo, commit, counter));
  }
  const entry = { tree: fetchGitTree(octokit, repo, commit, counter), entries: 0 };
  cache.set(key, entry);
  try {
    const tree = await entry.tree;
    // a cut-short tree is read one directory at a time, each request on the caller's run: not kept
    if (tree.cutShort) {
      cache.delete(key);
      return tree;
    }
    entry.entries = tree.size;
    let total = [...cache.values()].reduce((sum, e) => sum + e.entries, 0);
    for (const [k, e] of cache) {
      if (cache.size <= CACHE_MAX_COMMITS && total <= CACHE_MAX_ENTRIES) break;
      if (e.entries === 0) continue; // in flight
      cache.delete(k);
      total -= e.entries;
    }
    return tree;
  } catch (error) {
    if (cache.get(key) === entry) cache.delete(key); // errors are not kept: the next run asks again
    throw error;
  }
}

/** Empties the cache (tests that count requests start from nothing). */
export function clearTreeCache(): void {
  cache.clear();
}

async function fetchGitTree(octokit: Octokit, repo: RepoRef, commit: string, counter: RequestCounter): Promise<GitTree> {
  const get = async (sha: string, recursive: boolean): Promise<RawTree> => {
    counter.requests += 1;
    const { data } = await octokit.rest.git.getTree({ ...repo, tree_sha: sha, ...(recursive ? { recursive: '1' } : {}) });
    return data as RawTree;
  };
  const top = await get(commit, true);
  if (!top.truncated) {
    const byDir = new Map<string, TreeEntry[]>([['', []]]);
    for (const raw of top.tree) {
      const entry = toEntry(raw, '');
      if (!entry) continue;
      if (entry.type === 'tree' && !byDir.has(entry.path)) byDir.set(entry.path, []);
      const parent = posix.dirname(entry.path) === '.' ? '' : posix.dirname(entry.path);
      const list = byDir.get(parent);
      if (list) list.push(entry);
      else byDir.set(parent, [entry]);
    }
    return { commit, size: top.tree.length, cutShort: false, list: async (dir) => byDir.get(dir) };
  }
  // Cut short: walk down one tree per segment from the root tree (top.sha), each tree read once.
  const trees = new Map<string, Promise<TreeEntry[]>>();
  const subtree = (sha: string, dir: string): Promise<TreeEntry[]> => {
    let found = trees.get(sha);
    if (!found) {
      found = get(sha, false).then((raw) => {
        if (raw.truncated) throw new GitTreeTooLargeError(`${dir || 'the repository root'} at ${commit.slice(0, 7)} has more entries than GitHub lists in one tree`);
        return raw.tree.flatMap((e) => toEntry(e, dir) ?? []);
      });
      trees.set(sha, found);
    }
    return found;
  };
  return {
    commit,
    size: top.tree.length,
    cutShort: true,
    async list(dir) {
      let entries = await subtree(top.sha, '');
      let at = '';
      for (const segment of dir === '' ? [] : dir.split('/')) {
        const next = entries.find((e) => e.name === segment && e.type === 'tree');
        if (!next) return undefined;
        at = at === '' ? segment : `${at}/${segment}`;
        entries = await subtree(next.sha, at);
      }
      return entries;
    },
  };
}

/** A tree entry from GitHub; `prefix` is the directory of a non-recursive listing (its paths are names). */
function toEntry(raw: RawTree['tree'][number], prefix: string): TreeEntry | undefined {
  if (!raw.path || !raw.sha || !raw.mode || (raw.type !== 'blob' && raw.type !== 'tree' && raw.type !== 'commit')) return undefined;
  const path = prefix === '' ? raw.path : `${prefix}/${raw.path}`;
  return { path, name: posix.basename(path), mode: raw.mode, type: raw.type, sha: raw.sha, ...(raw.size !== undefined ? { size: raw.size } : {}) };
}
