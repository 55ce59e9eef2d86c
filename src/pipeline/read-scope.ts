// Step 1, with its I/O: the pull request's files (all pages) against the configured
// targets. GitHub lists at most 3,000 files; when the list is cut short, every target it
// does not show is settled by comparing git object ids at the merge base and the head, so a
// change hidden past the list is still checked and an unchanged target is known unchanged.
import type { Target, TerraformTarget } from '../config-types.js';
import { anyPathChanged, findChangedTargets } from '../github/find-changed-targets.js';
import { changedPaths, listChangedFiles, type ChangedFile } from '../github/read-files.js';
import type { Octokit } from '../github/octokit.js';
import type { PullRequestRef } from '../github/pull-request.js';
import { computeScope, extendScope, normalizePath, type Scope } from '../scope.js';
import { findModuleDirs } from '../github/read-terraform-root.js';

export async function readScope(octokit: Octokit, pr: PullRequestRef, targets: Target[]): Promise<{ changed: ChangedFile[]; scope: Scope }> {
  const repo = { owner: pr.owner, repo: pr.repo };
  const changed = await listChangedFiles(octokit, repo, pr.number);
  const paths = changedPaths(changed);
  let scope = computeScope(targets, paths, changed.length, pr.changedFiles);
  if (scope.cutShort) {
    const unlisted = targets.filter((t) => !scope.touched.some((x) => x.target === t));
    scope = extendScope(targets, scope, await findChangedTargets(octokit, repo, pr, unlisted));
  }
  return { changed, scope: extendScope(targets, scope, await findModuleUsers(octokit, pr, targets, scope, paths)) };
}

/**
 * Terraform roots the pull request touches only through a local module outside their own
 * directory (`source = "../modules/queue"`): found by reading, at the head, which module
 * directories each untouched root uses, and testing every changed Terraform file that lies
 * outside that root's directory (also when it lies in another target's directory: a module
 * shared by `envs/prod` and a root at `.`). When GitHub's list was cut short, the module
 * directories are compared by git object id instead, so a module change past the list is
 * not missed. A pull request that changes no Terraform file outside the roots costs nothing.
 */
async function findModuleUsers(octokit: Octokit, pr: PullRequestRef, targets: Target[], scope: Scope, paths: string[]): Promise<Target[]> {
  const roots = targets.filter((t): t is TerraformTarget => t.kind === 'terraform' && !scope.touched.some((x) => x.target === t));
  const terraformFiles = paths.filter((p) => /\.(tf|tfvars)(\.json)?$/.test(p));
  const repo = { owner: pr.owner, repo: pr.repo };
  const users: Target[] = [];
  for (const root of roots) {
    const outside = terraformFiles.filter((p) => !isUnder(p, root.dir));
    if (outside.length === 0 && !scope.cutShort) continue;
    const rootDir = normalizePath(root.dir).replace(/\/$/, '');
    const moduleDirs = (await findModuleDirs(octokit, repo, pr.headSha, rootDir)).filter((dir) => dir !== rootDir);
    const listed = outside.some((p) => moduleDirs.some((dir) => isUnder(p, dir)));
    if (listed || (scope.cutShort && (await anyPathChanged(octokit, repo, pr, moduleDirs)))) users.push(root);
  }
  return users;
}

function isUnder(path: string, dir: string): boolean {
  const d = normalizePath(dir).replace(/\/$/, '');
  return d === '' || d === '.' || normalizePath(path).startsWith(`${d}/`);
}
