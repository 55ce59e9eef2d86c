// The `Reality check` check run: created in_progress when a run starts, completed with
// the conclusion, summary and every annotation (GitHub takes at most 50 per request, so
// the rest follow in further updates of the same run).
import type { Annotation, Conclusion, Report } from '../types.js';
import type { Octokit, RepoRef } from './octokit.js';

export const CHECK_NAME = 'Reality check';
export const ANNOTATIONS_PER_REQUEST = 50;
/** The button on a completed run; GitHub allows 20 characters of label, 40 of description. */
export const RECHECK_ACTION = { label: 'Re-check live state', description: 'Run a fresh drift detection', identifier: 'recheck' } as const;

export async function startCheckRun(octokit: Octokit, repo: RepoRef, headSha: string): Promise<number> {
  const { data } = await octokit.rest.checks.create({
    ...repo,
    name: CHECK_NAME,
    head_sha: headSha,
    status: 'in_progress',
    started_at: new Date().toISOString(),
    output: { title: 'Reading live state', summary: 'realitycheck is comparing this pull request with what is running.' },
  });
  return data.id;
}

export interface CheckOutcome {
  conclusion: Conclusion;
  check: Report['check'];
}

/** Completes a started run, or creates a completed one when `checkRunId` is undefined. */
export async function completeCheckRun(
  octokit: Octokit,
  repo: RepoRef,
  headSha: string,
  checkRunId: number | undefined,
  outcome: CheckOutcome,
): Promise<number> {
  const { check, conclusion } = outcome;
  const batches = chunk(check.annotations, ANNOTATIONS_PER_REQUEST);
  const output = (annotations: Annotation[]) => ({
    title: check.title,
    summary: check.summary,
    ...(check.text ? { text: check.text } : {}),
    ...(annotations.length > 0 ? { annotations } : {}),
  });
  const first = {
    ...repo,
    status: 'completed' as const,
    conclusion,
    completed_at: new Date().toISOString(),
    output: output(batches[0] ?? []),
    actions: [{ ...RECHECK_ACTION }],
  };
  let id = checkRunId;
  if (id === undefined) {
    const { data } = await octokit.rest.checks.create({ ...first, name: CHECK_NAME, head_sha: headSha });
    id = data.id;
  } else {
    await octokit.rest.checks.update({ ...first, check_run_id: id });
  }
  for (const batch of batches.slice(1)) {
    await octokit.rest.checks.update({ ...repo, check_run_id: id, output: output(batch) });
  }
  return id;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
