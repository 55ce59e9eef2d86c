// `.github/realitycheck.yml` of a repository outside a webhook (the reconcile schedule), read
// exactly as Probot's `context.config` reads it: the same plugin (`_extends`, the owner's
// `.github` repository), `null` when no file is found.
import type { Octokit, RepoRef } from './octokit.js';
import { CONFIG_NAME } from '../config.js';

export async function readRepoConfig(octokit: Octokit, repo: RepoRef): Promise<unknown> {
  const { config, files } = await octokit.config.get({ ...repo, path: `.github/${CONFIG_NAME}` });
  return files.some((file) => file.config !== null) ? config : null;
}
