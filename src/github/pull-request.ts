// The edge between webhook payloads and the pipeline: a pull request becomes a small,
// validated PullRequestRef; anything missing is rejected here with a clear message.
import type { RepoRef } from './octokit.js';

export interface PullRequestRef extends RepoRef {
  number: number;
  headSha: string;
  baseSha: string;
  headRef: string;
  baseRef: string;
  author: string;
  /** `Bot` or `User`. */
  authorType: string;
  /** The description; untrusted text, read only for AI-agent markers. */
  body: string;
  /** Where configuration and snapshots are read from, never the pull request's own branches. */
  defaultBranch: string;
  /** How many files GitHub says the pull request changes (its file list stops at 3,000). */
  changedFiles?: number;
  /** `pull_request.updated_at`: orders runs of one pull request across processes. */
  updatedAt: string;
  labels: string[];
}

export class PayloadError extends Error {
  override name = 'PayloadError';
}

interface PullRequestLike {
  number?: unknown;
  updated_at?: unknown;
  head?: { sha?: unknown; ref?: unknown };
  base?: { sha?: unknown; ref?: unknown };
  user?: { login?: unknown; type?: unknown } | null;
  body?: unknown;
  changed_files?: unknown;
  labels?: Array<{ name?: unknown }>;
}

interface RepositoryLike {
  name?: unknown;
  default_branch?: unknown;
  owner?: { login?: unknown } | null;
}

export function toPullRequestRef(pr: PullRequestLike | undefined, repository: RepositoryLike | undefined): PullRequestRef {
  const field = (value: unknown, name: string): string => {
    if (typeof value !== 'string' || value === '') throw new PayloadError(`webhook payload has no ${name}`);
    return value;
  };
  if (!pr) throw new PayloadError('webhook payload has no pull_request');
  if (typeof pr.number !== 'number') throw new PayloadError('webhook payload has no pull_request.number');
  return {
    owner: field(repository?.owner?.login, 'repository.owner.login'),
    repo: field(repository?.name, 'repository.name'),
    number: pr.number,
    headSha: field(pr.head?.sha, 'pull_request.head.sha'),
    baseSha: field(pr.base?.sha, 'pull_request.base.sha'),
    headRef: field(pr.head?.ref, 'pull_request.head.ref'),
    baseRef: field(pr.base?.ref, 'pull_request.base.ref'),
    author: field(pr.user?.login, 'pull_request.user.login'),
    authorType: typeof pr.user?.type === 'string' ? pr.user.type : 'User',
    body: typeof pr.body === 'string' ? pr.body : '',
    defaultBranch: field(repository?.default_branch, 'repository.default_branch'),
    updatedAt: typeof pr.updated_at === 'string' ? pr.updated_at : new Date(0).toISOString(),
    ...(typeof pr.changed_files === 'number' ? { changedFiles: pr.changed_files } : {}),
    labels: (pr.labels ?? []).map((l) => l.name).filter((n): n is string => typeof n === 'string'),
  };
}
