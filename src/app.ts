// Wires webhook events to handlers and handlers to the queue. Nothing else happens here.
import type { ApplicationFunction, Context } from 'probot';
import { CONFIG_PATH } from './config.js';
import { CloudFormationProvider, type CloudFormationProviderOptions } from './live/cloudformation.js';
import type { LiveProviders } from './live/registry.js';
import { InProcessQueue, type JobQueue } from './queue/queue.js';
import { runPipeline } from './pipeline.js';
import type { PullRequestRef } from './github/pull-request.js';
import { handlePullRequest } from './handlers/pull-request.js';

export interface AppOptions {
  queue?: JobQueue;
  providers?: LiveProviders;
  cloudformation?: CloudFormationProviderOptions;
}

export interface AppDeps {
  enqueueRun(context: Context, pr: PullRequestRef, options: { forceDetection: boolean }): void;
}

/** Builds the Probot application function; `index.ts` calls it with the defaults. */
export function createApp(options: AppOptions = {}): ApplicationFunction {
  return (app) => {
    const queue = options.queue ?? new InProcessQueue(concurrencyFromEnv(), app.log);
    const providers = options.providers ?? { cloudformation: new CloudFormationProvider(options.cloudformation) };
    const configName = CONFIG_PATH.replace(/^\.github\//, '');
    const serverUrl = process.env.GHE_HOST ? `${process.env.GHE_PROTOCOL ?? 'https'}://${process.env.GHE_HOST}` : 'https://github.com';

    const deps: AppDeps = {
      enqueueRun(context, pr, runOptions) {
        queue.enqueue({
          key: `${pr.owner}/${pr.repo}#${pr.number}`,
          description: `${pr.owner}/${pr.repo}#${pr.number} at ${pr.headSha.slice(0, 7)}`,
          run: async (signal) => {
            await runPipeline(
              { octokit: context.octokit, loadConfig: () => context.config(configName), providers, log: context.log, serverUrl },
              pr,
              { ...runOptions, signal },
            );
          },
        });
      },
    };

    app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened', 'pull_request.ready_for_review'], handlePullRequest(deps));
  };
}

function concurrencyFromEnv(): number {
  const raw = process.env.REALITYCHECK_CONCURRENCY;
  if (raw === undefined || raw === '') return 4;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`REALITYCHECK_CONCURRENCY must be a whole number ≥ 1, got "${raw}"`);
  return n;
}
