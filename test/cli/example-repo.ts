// A real git repository made from an example (examples/<name>: base/, head/,
// pull-request.json): `main` holds base/, the pull request's branch one commit with head/
// on top, by the pull request's author with its commit message, as a checkout of it is.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;

export interface ExampleRepo {
  dir: string;
  branch: string;
  remove(): void;
}

export function git(dir: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_DATE: '2026-11-27T09:00:00Z', GIT_COMMITTER_DATE: '2026-11-27T09:00:00Z', ...env },
  }).trim();
}

export function makeExampleRepo(example: string): ExampleRepo {
  const source = join(EXAMPLES, example);
  const pull = JSON.parse(readFileSync(join(source, 'pull-request.json'), 'utf8')) as { author: string; headRef: string; commits: Array<{ message: string; login?: string }> };
  const dir = mkdtempSync(join(tmpdir(), `realitycheck-${example}-`));
  const human = { GIT_AUTHOR_NAME: 'Dana Ops', GIT_AUTHOR_EMAIL: 'dana@example.com', GIT_COMMITTER_NAME: 'Dana Ops', GIT_COMMITTER_EMAIL: 'dana@example.com' };
  git(dir, ['init', '--quiet', '--initial-branch=main']);
  cpSync(join(source, 'base'), dir, { recursive: true });
  git(dir, ['add', '--all']);
  git(dir, ['commit', '--quiet', '--message', 'Orders service'], human);
  git(dir, ['checkout', '--quiet', '-b', pull.headRef]);
  cpSync(join(source, 'head'), dir, { recursive: true });
  git(dir, ['add', '--all']);
  const login = pull.commits.at(-1)?.login ?? pull.author;
  const agent = { GIT_AUTHOR_NAME: login, GIT_AUTHOR_EMAIL: `198982749+${login.replace(/\[bot\]$/, '')}@users.noreply.github.com`, GIT_COMMITTER_NAME: 'GitHub', GIT_COMMITTER_EMAIL: 'noreply@github.com' };
  git(dir, ['commit', '--quiet', '--message', pull.commits.at(-1)?.message ?? 'change'], agent);
  return { dir, branch: pull.headRef, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `node --import tsx src/cli.ts ...` from any directory: tsx's loader by its path. */
export const TSX_LOADER = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
export const CLI_SOURCE = new URL('../../src/cli.ts', import.meta.url).pathname;
