// The edge between webhook payloads (and the REST API's pull request) and the pipeline: a
// pull request becomes a small, validated PullRequestRef; anything missing or mistyped is
// rejected here with a PayloadError naming the field.
import { z } from 'zod';
import type { RepoRef } from './octokit.js';
import { commitSha, installation, parsePayload, positiveInt, repository, text } from './parse-payload.js';

export { PayloadError } from './parse-payload.js';

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

const pullRequestFields = z.object({
  number: positiveInt,
  updated_at: z.string().nullish(),
  head: z.object({ sha: commitSha, ref: text }),
  base: z.object({ sha: commitSha, ref: text }),
  user: z.object({ login: text, type: z.string().nullish() }),
  body: z.string().nullish(),
  changed_files: z.number().int().nonnegative().nullish(),
  labels: z.array(z.object({ name: z.string() })).nullish(),
});

const pullRequestRepository = repository.extend({ default_branch: text });

const pullRequestAndRepository = z.object({ pull_request: pullRequestFields, repository: pullRequestRepository });

/** What the `pull_request` handler reads of the event. */
export const pullRequestEvent = pullRequestAndRepository.extend({
  action: text,
  changes: z.record(z.string(), z.unknown()).nullish(),
  installation,
});

/** A pull request from a webhook payload or `GET /repos/{owner}/{repo}/pulls/{number}` (its `base.repo`). */
export function toPullRequestRef(pr: unknown, repo: unknown): PullRequestRef {
  const { pull_request: p, repository: r } = parsePayload(pullRequestAndRepository, { pull_request: pr, repository: repo }, 'pull request from GitHub');
  return {
    owner: r.owner.login,
    repo: r.name,
    number: p.number,
    headSha: p.head.sha,
    baseSha: p.base.sha,
    headRef: p.head.ref,
    baseRef: p.base.ref,
    author: p.user.login,
    authorType: p.user.type ?? 'User',
    body: p.body ?? '',
    defaultBranch: r.default_branch,
    updatedAt: p.updated_at ?? new Date(0).toISOString(),
    ...(typeof p.changed_files === 'number' ? { changedFiles: p.changed_files } : {}),
    labels: (p.labels ?? []).map((l) => l.name),
  };
}
