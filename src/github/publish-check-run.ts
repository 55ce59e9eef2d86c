// The `Reality check` check run: created in_progress when a run starts, completed with
// the conclusion, summary and every annotation (GitHub takes at most 50 per request, so
// the rest follow in further updates of the same run). Its `external_id` carries a digest
// of what it says, so a run that would say the same again on the same commit writes nothing.
import { createHash } from 'node:crypto';
import type { Annotation, Conclusion, Report } from '../types.js';
import type { Octokit, RepoRef } from './octokit.js';

export const CHECK_NAME = 'Reality check';
export const ANNOTATIONS_PER_REQUEST = 50;
/** The button on a completed run; GitHub allows 20 characters of label, 40 of description. */
export const RECHECK_ACTION = { label: 'Re-check live state', description: 'Run a fresh drift detection', identifier: 'recheck' } as const;
/** Shown only when a touched target drifted and `reconcile.mode` is not `off` (CheckOutcome.reconcile). */
export const RECONCILE_ACTION = { label: 'Open reconcile PR', description: 'Write the live values into the code', identifier: 'reconcile' } as const;

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

/**
 * Keeps (or puts) the commit's check run `in_progress`, saying what it waits for: a Terraform
 * plan from a workflow. An in-progress check never passes a required check, and it is
 * completed when the plan's workflow_run arrives or the wait ends.
 */
export async function markCheckRunWaiting(
  octokit: Octokit,
  repo: RepoRef,
  headSha: string,
  checkRunId: number | undefined,
  output: { title: string; summary: string },
): Promise<number> {
  const waiting = { status: 'in_progress' as const, output };
  if (checkRunId !== undefined) {
    await octokit.rest.checks.update({ ...repo, check_run_id: checkRunId, ...waiting });
    return checkRunId;
  }
  const { data } = await octokit.rest.checks.create({ ...repo, name: CHECK_NAME, head_sha: headSha, started_at: new Date().toISOString(), ...waiting });
  return data.id;
}

export interface CheckOutcome {
  /** `cancelled` only for a run a newer one superseded (GitHub does not count it as passing). */
  conclusion: Conclusion | 'cancelled';
  check: Report['check'];
  /** Offer the `Open reconcile PR` button: a touched target drifted and reconcile is not off. */
  reconcile?: boolean;
}

export interface ExistingCheck {
  id: number;
  /** What it says, as `checkDigest` computes it; absent for a run still in progress. */
  digest?: string;
}

/** A stable digest of everything a completed check run shows. */
export function checkDigest(outcome: CheckOutcome): string {
  const { conclusion, check } = outcome;
  const text = JSON.stringify([conclusion, check.title, check.summary, check.text ?? '', check.annotations, ...(outcome.reconcile ? ['reconcile'] : [])]);
  return `realitycheck:${createHash('sha256').update(text).digest('hex').slice(0, 40)}`;
}

/** The newest `Reality check` run on a commit, of this app when its id is known. */
export async function findCheckRun(octokit: Octokit, repo: RepoRef, headSha: string, appId?: number): Promise<ExistingCheck | undefined> {
  const { data } = await octokit.rest.checks.listForRef({
    ...repo,
    ref: headSha,
    check_name: CHECK_NAME,
    filter: 'latest',
    per_page: 1,
    ...(appId !== undefined ? { app_id: appId } : {}),
  });
  const run = data.check_runs[0];
  if (!run) return undefined;
  return { id: run.id, ...(run.status === 'completed' && run.external_id ? { digest: run.external_id } : {}) };
}

/**
 * Completes this run's check (`runId`), or creates a completed one; writes nothing when
 * `existing` already says exactly this. `annotated`: see completeCheckRun.
 */
export async function publishCheckRun(
  octokit: Octokit,
  repo: RepoRef,
  headSha: string,
  outcome: CheckOutcome,
  previous: { runId?: number; existing?: ExistingCheck; annotated?: Set<string> } = {},
): Promise<'written' | 'unchanged'> {
  if (previous.runId === undefined && previous.existing?.digest === checkDigest(outcome)) return 'unchanged';
  await completeCheckRun(octokit, repo, headSha, previous.runId, outcome, previous.annotated);
  return 'written';
}

/**
 * Completes a started run, or creates a completed one when `checkRunId` is undefined.
 * GitHub appends the annotations of every update to those the run already has: when the run
 * is completed a second time (a result published early, then the full one), `annotated`
 * holds those it already shows (`annotationKey`); only the others are sent, and they are added.
 */
export async function completeCheckRun(
  octokit: Octokit,
  repo: RepoRef,
  headSha: string,
  checkRunId: number | undefined,
  outcome: CheckOutcome,
  annotated?: Set<string>,
): Promise<number> {
  const { check, conclusion } = outcome;
  const fresh = annotated ? check.annotations.filter((a) => !annotated.has(annotationKey(a))) : check.annotations;
  const batches = chunk(fresh, ANNOTATIONS_PER_REQUEST);
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
    actions: outcome.reconcile ? [{ ...RECHECK_ACTION }, { ...RECONCILE_ACTION }] : [{ ...RECHECK_ACTION }],
    external_id: checkDigest(outcome),
  };
  let id = checkRunId;
  if (id === undefined) {
    const { data } = await octokit.rest.checks.create({ ...first, name: CHECK_NAME, head_sha: headSha });
    id = data.id;
  } else {
    await octokit.rest.checks.update({ ...first, check_run_id: id });
  }
  for (const [i, batch] of batches.entries()) {
    if (i > 0) await octokit.rest.checks.update({ ...repo, check_run_id: id, output: output(batch) });
    for (const a of batch) annotated?.add(annotationKey(a));
  }
  return id;
}

/** What tells one annotation from another. */
export function annotationKey(annotation: Annotation): string {
  return JSON.stringify([annotation.path, annotation.start_line, annotation.end_line, annotation.annotation_level, annotation.title, annotation.message]);
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
