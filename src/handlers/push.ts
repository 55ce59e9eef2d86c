// push: under `reconcile.mode: auto`, a push to the default branch that touches a target
// checks that target's code against live and opens, refreshes or closes its reconcile pull
// request. Pushes to other branches (reconcile branches included) start nothing.
import type { Context } from 'probot';
import { z } from 'zod';
import { installation, parsePayload, repository, text } from '../github/parse-payload.js';
import { scopeTargets } from '../scope.js';
import type { AppDeps } from '../app.js';

/** GitHub lists at most this many commits in a push event; a longer push may change files not listed. */
const LISTED_COMMITS = 20;

const files = z.array(z.string()).nullish();
const pushEvent = z.object({
  ref: text,
  deleted: z.boolean().nullish(),
  commits: z.array(z.object({ added: files, removed: files, modified: files })),
  repository: repository.extend({ default_branch: text }),
  installation,
});

export function handlePush(deps: AppDeps) {
  return async (context: Context<'push'>): Promise<void> => {
    const payload = parsePayload(pushEvent, context.payload, 'push webhook payload');
    const defaultBranch = payload.repository.default_branch;
    if (payload.ref !== `refs/heads/${defaultBranch}` || payload.deleted) return;
    const paths = payload.commits.flatMap((c) => [...(c.added ?? []), ...(c.removed ?? []), ...(c.modified ?? [])]);
    // A push past the listed commits (or one listing none, a force push) may touch any target: check them all.
    const complete = payload.commits.length > 0 && payload.commits.length < LISTED_COMMITS;
    deps.enqueueAutoReconcile(context, {
      defaultBranch,
      touches: (targets) => (complete ? scopeTargets(targets, paths) : targets),
      trigger: `after a push to ${defaultBranch}`,
    });
  };
}
