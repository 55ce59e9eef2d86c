import type { ProbotOctokit } from 'probot';

/** The authenticated client a webhook context gives us (REST + paginate + config plugins). */
export type Octokit = InstanceType<typeof ProbotOctokit>;

export interface RepoRef {
  owner: string;
  repo: string;
}

/**
 * The GitHub App's id, to tell our own check runs and comments from look-alikes another
 * app or a workflow may post. Undefined when the client is not authenticated as an app
 * (a token, as in the demo); callers then fall back to looser matching.
 */
export async function readAppId(octokit: Octokit): Promise<number | undefined> {
  try {
    const auth = (await octokit.auth({ type: 'app' })) as { appId?: unknown };
    return typeof auth.appId === 'number' ? auth.appId : undefined;
  } catch {
    return undefined; // token authentication has no app id; matching falls back
  }
}
