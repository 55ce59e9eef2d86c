import type { ProbotOctokit } from 'probot';

/** The authenticated client a webhook context gives us (REST + paginate + config plugins). */
export type Octokit = InstanceType<typeof ProbotOctokit>;

export interface RepoRef {
  owner: string;
  repo: string;
}
