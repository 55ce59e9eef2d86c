// Step 1, with its I/O: the pull request's files (all pages) against the configured
// targets. GitHub lists at most 3,000 files; when the list is cut short, every target it
// does not show is settled by comparing git object ids at the merge base and the head, so a
// change hidden past the list is still checked and an unchanged target is known unchanged.
import type { Target } from '../config-types.js';
import { findChangedTargets } from '../github/find-changed-targets.js';
import { changedPaths, listChangedFiles, type ChangedFile } from '../github/read-files.js';
import type { Octokit } from '../github/octokit.js';
import type { PullRequestRef } from '../github/pull-request.js';
import { computeScope, extendScope, type Scope } from '../scope.js';

export async function readScope(octokit: Octokit, pr: PullRequestRef, targets: Target[]): Promise<{ changed: ChangedFile[]; scope: Scope }> {
  const repo = { owner: pr.owner, repo: pr.repo };
  const changed = await listChangedFiles(octokit, repo, pr.number);
  const scope = computeScope(targets, changedPaths(changed), changed.length, pr.changedFiles);
  if (!scope.cutShort) return { changed, scope };
  const unlisted = targets.filter((t) => !scope.touched.some((x) => x.target === t));
  const more = await findChangedTargets(octokit, repo, pr, unlisted);
  return { changed, scope: extendScope(targets, scope, more) };
}
