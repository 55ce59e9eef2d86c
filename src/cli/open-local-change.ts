// A local git checkout as the pipeline's pull request: `--base` and `--head` resolved to
// commits, their merge base (where the change starts, as GitHub's "Files changed" shows),
// the author and branch of the head (AI-authorship signals), and the configuration from
// the tip of `--base` (the app reads it from the default branch, never from the change).
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CONFIG_PATH } from '../config.js';
import type { PullRequestRef } from '../github/pull-request.js';
import { GitError, gitText, resolveCommit, runGit } from './run-git.js';

export interface LocalRefs {
  /** The repository's top-level directory. */
  dir: string;
  owner: string;
  repo: string;
  base: { ref: string; sha: string };
  head: { ref: string; sha: string };
  mergeBase: string;
  /** Whether owner/repo name a repository on GitHub (file links in markdown), or only this directory. */
  onGitHub: boolean;
}

/** The pull request number the readers are given: there is none. */
export const LOCAL_PULL_NUMBER = 1;

export async function openLocalRefs(repoDir: string, wanted: { base?: string; head?: string }): Promise<LocalRefs> {
  const top = (await runGit(repoDir, ['rev-parse', '--show-toplevel'], { missingOk: true }))?.toString('utf8').trim();
  if (!top) throw new GitError(`${repoDir} is not inside a git repository (pass --repo DIR)`);
  const headRef = wanted.head ?? 'HEAD';
  const head = await resolveCommit(top, headRef);
  if (!head) throw new GitError(`--head ${headRef} names no commit in ${top}`);
  const baseRef = wanted.base ?? (await defaultBase(top));
  const base = await resolveCommit(top, baseRef);
  if (!base) throw new GitError(`--base ${baseRef} names no commit in ${top}${wanted.base ? '' : ' (the default: the remote\'s default branch, else main); pass --base REF'}`);
  const mergeBase = (await runGit(top, ['merge-base', base, head], { missingOk: true }))?.toString('utf8').trim();
  if (!mergeBase) throw new GitError(`${baseRef} and ${headRef} share no history (no merge base); a shallow clone needs fetch-depth: 0`);
  return { dir: top, ...(await repoName(top)), base: { ref: baseRef, sha: base }, head: { ref: headRef, sha: head }, mergeBase };
}

/** The remote's default branch (`origin/HEAD`), else `main`. */
async function defaultBase(dir: string): Promise<string> {
  const remote = (await runGit(dir, ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'], { missingOk: true }))?.toString('utf8').trim();
  return remote ? remote.replace(/^refs\/remotes\//, '') : 'main';
}

/** owner/repo for file links: `GITHUB_REPOSITORY` in Actions, else the `origin` remote on GitHub, else `local/<dir>`. */
async function repoName(dir: string): Promise<{ owner: string; repo: string; onGitHub: boolean }> {
  const segment = /^[A-Za-z0-9._-]{1,100}$/;
  const pick = (owner: string | undefined, repo: string | undefined) => (owner && repo && segment.test(owner) && segment.test(repo) ? { owner, repo, onGitHub: true } : undefined);
  const [envOwner, envRepo] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
  const fromEnv = pick(envOwner, envRepo);
  if (fromEnv) return fromEnv;
  const url = (await runGit(dir, ['config', '--get', 'remote.origin.url'], { missingOk: true }))?.toString('utf8').trim() ?? '';
  const m = /github\.com[:/]([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url);
  const fromRemote = pick(m?.[1], m?.[2]);
  if (fromRemote) return fromRemote;
  const name = basename(dir).replace(/[^A-Za-z0-9._-]/g, '-') || 'repository';
  return { owner: 'local', repo: name, onGitHub: false };
}

/** The change as the pipeline's pull request; `headSha` is the id the readers use (GitGitHub.headSha). */
export async function toPullRequest(refs: LocalRefs, headSha: string): Promise<PullRequestRef> {
  const [name = '', email = ''] = (await gitText(refs.dir, ['show', '-s', '--format=%an%x1f%ae', refs.head.sha])).split('\x1f');
  const branch = refs.head.ref === 'HEAD' ? (await runGit(refs.dir, ['symbolic-ref', '--quiet', '--short', 'HEAD'], { missingOk: true }))?.toString('utf8').trim() : refs.head.ref;
  const noreply = /^(?:\d+\+)?([A-Za-z0-9-]+(?:\[bot\])?)@users\.noreply\.github\.com$/i.exec(email)?.[1];
  // A bot's name carries its `[bot]` suffix; its noreply address may not.
  const author = /\[bot\]$/.test(name) ? name : (noreply ?? name);
  return {
    owner: refs.owner,
    repo: refs.repo,
    number: LOCAL_PULL_NUMBER,
    headSha,
    baseSha: refs.base.sha,
    // In a pull request's workflow the checkout is detached; Actions names the branch.
    headRef: process.env.GITHUB_HEAD_REF || branch || refs.head.ref,
    baseRef: refs.base.ref,
    author,
    authorType: /\[bot\]$/.test(author) ? 'Bot' : 'User',
    body: '',
    defaultBranch: refs.base.sha,
    updatedAt: new Date().toISOString(),
    labels: [],
  };
}

/**
 * The configuration as Probot's `context.config` gives it: parsed YAML, `null` when there is
 * none. From `--config FILE` when given, else `.github/realitycheck.yml` at the tip of `--base`.
 */
export function configLoader(refs: LocalRefs, configFile: string | undefined): { source: string; load: () => Promise<unknown> } {
  if (configFile) {
    return {
      source: configFile,
      load: async () => {
        const text = await readFile(configFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
          throw new GitError(`--config ${configFile}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
        });
        return parseYaml(text) ?? {};
      },
    };
  }
  return {
    source: `${CONFIG_PATH} at ${refs.base.ref} (${refs.base.sha.slice(0, 7)})`,
    load: async () => {
      const bytes = await runGit(refs.dir, ['cat-file', 'blob', `${refs.base.sha}:${CONFIG_PATH}`], { missingOk: true });
      return bytes === undefined ? null : ((parseYaml(bytes.toString('utf8')) as unknown) ?? null);
    },
  };
}
