// When GitHub's file list is cut short (it stops at 3,000 files), the list cannot say
// whether a configured template or Terraform directory is among the rest. Git can: a path
// whose object id (blob for a file, tree for a directory) is the same at the merge base and
// at the head is unchanged, whatever else the pull request does. Two listings a target.
import type { Target } from '../config-types.js';
import { findMergeBase } from './read-files.js';
import type { Octokit, RepoRef } from './octokit.js';

/** GitHub's contents API lists at most 1,000 entries of a directory. */
const LISTING_LIMIT = 1_000;

export class UnknowableChangeError extends Error {
  override readonly name = 'UnknowableChangeError';
}

/**
 * The targets among `targets` whose file or directory differs between the merge base and
 * the head. Throws (UnknowableChangeError, or GitHub's error) when that cannot be told:
 * the caller must then not pass the pull request.
 */
export async function findChangedTargets(octokit: Octokit, repo: RepoRef, refs: { baseSha: string; headSha: string }, targets: Target[]): Promise<Target[]> {
  if (targets.length === 0) return [];
  const mergeBase = await findMergeBase(octokit, repo, refs);
  const changed: Target[] = [];
  for (const target of targets) {
    const path = trimPath(target.kind === 'cloudformation' ? target.template : target.dir);
    // The repository root: with more than 3,000 files changed, something under it changed.
    if (path === '') {
      changed.push(target);
      continue;
    }
    const [before, after] = await Promise.all([objectId(octokit, repo, path, mergeBase), objectId(octokit, repo, path, refs.headSha)]);
    if (before !== after) changed.push(target);
  }
  return changed;
}

/**
 * Whether any of `paths` (files or directories) differs between the merge base and the head,
 * by git object id. Throws when that cannot be told, as findChangedTargets does.
 */
export async function anyPathChanged(octokit: Octokit, repo: RepoRef, refs: { baseSha: string; headSha: string }, paths: string[]): Promise<boolean> {
  if (paths.length === 0) return false;
  const mergeBase = await findMergeBase(octokit, repo, refs);
  for (const path of paths.map(trimPath)) {
    if (path === '') return true;
    const [before, after] = await Promise.all([objectId(octokit, repo, path, mergeBase), objectId(octokit, repo, path, refs.headSha)]);
    if (before !== after) return true;
  }
  return false;
}

/** The git object id of `path` at `ref`, `undefined` when nothing is there. */
async function objectId(octokit: Octokit, repo: RepoRef, path: string, ref: string): Promise<string | undefined> {
  const slash = path.lastIndexOf('/');
  const parent = slash === -1 ? '' : path.slice(0, slash);
  const name = path.slice(slash + 1);
  let listing: unknown;
  try {
    ({ data: listing } = await octokit.rest.repos.getContent({ ...repo, path: parent, ref }));
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined; // no such directory at this commit
    throw error;
  }
  if (!Array.isArray(listing)) return undefined; // the parent is a file here: nothing at `path`
  const entry = (listing as Array<{ name?: string; sha?: string }>).find((e) => e.name === name);
  if (entry?.sha) return entry.sha;
  if (listing.length >= LISTING_LIMIT) {
    throw new UnknowableChangeError(`${parent || 'the repository root'} has ${LISTING_LIMIT.toLocaleString('en-US')} or more entries at ${ref.slice(0, 7)}, more than GitHub lists, so whether ${path} changed cannot be told`);
  }
  return undefined;
}

function trimPath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/+$/, '').replace(/^\.$/, '');
}
