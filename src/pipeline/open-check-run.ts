// The check run this run completes: a new one `in_progress` at once, or, when this commit
// may already have one (RunOptions.reuseCheck), that one, replaced only if the result differs.
import { findCheckRun, startCheckRun, type ExistingCheck } from '../github/publish-check-run.js';
import type { Run } from './open-run.js';

export interface CheckRunSlot {
  /** The run started here, in progress until this run completes it. */
  runId?: number;
  /** The commit's newest run, when reusing. */
  existing?: ExistingCheck;
}

export async function openCheckRun(run: Run): Promise<CheckRunSlot> {
  const { octokit } = run.deps;
  const existing = run.options.reuseCheck ? await findCheckRun(octokit, run.repo, run.pr.headSha, run.appId) : undefined;
  if (existing) return { existing };
  const runId = await startCheckRun(octokit, run.repo, run.pr.headSha);
  await run.options.onCheckRun?.(runId, run.pr.headSha);
  return { runId };
}
