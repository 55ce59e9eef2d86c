// Steps 2–3 for a Terraform target: declared (the root and its local modules at the merge
// base and the head, parsed) → live (the pull request's own plan, or the state and Cloud
// Control). Returns data (TerraformEvidence) for analyze, or says that the plan is not
// there yet: then the run waits, its check run in progress, for the plan's workflow_run.
import type { Target, TerraformStateSourceSettings, TerraformTarget } from './config-types.js';
import type { TargetEvidence } from './analyze/analyze-target.js';
import { findMergeBase } from './github/read-files.js';
import { readTerraformRoots } from './github/read-terraform-root.js';
import type { Octokit } from './github/octokit.js';
import type { PullRequestRef } from './github/pull-request.js';
import { computePlanLiveState } from './live/terraform-plan/compute-plan-live-state.js';
import { describeRun, findPlanArtifact } from './live/terraform-plan/find-plan-artifact.js';
import type { TerraformEvidence } from './analyze/terraform/analyze-terraform-target.js';
import { computeCreatedNames, type TerraformStateSource } from './live/terraform-state/index.js';
import { formatDeadline } from './pipeline/open-run.js';
import type { LiveState, ScopeNote, TerraformRoot, Unreadable } from './types.js';
import { timed, type PhaseListener } from './phase-timer.js';

export interface TerraformReadDeps {
  octokit: Octokit;
  terraformState: Pick<TerraformStateSource, 'read' | 'findUnmanaged'>;
  onPhase?: PhaseListener;
}

export interface TerraformReadRequest {
  /** What scope could not rule out for this target. */
  notes: ScopeNote[];
  signal: AbortSignal;
  plan?: PlanHints;
}

/** What the run knows about the plan (RunOptions.plan). */
export interface PlanHints {
  /**
   * The run was started by a finished workflow run (`workflow_run`): its file. The event only
   * triggers a run; the plan read is always the newest run's for the head (readPlan).
   */
  run?: { workflowPath: string };
  /** The head whose wait for a plan has ended (`plan.timeout` passed): no plan now means none came. */
  deadlinePassedFor?: string;
}

/** The plan has not arrived: the run waits (check run in progress) until its workflow_run, or `waitMs`. */
export interface PlanWait {
  target: string;
  message: string;
  waitMs: number;
}

export type TerraformRead = { evidence: TargetEvidence; wait?: undefined } | { wait: PlanWait; evidence?: undefined };

export async function readTerraformTarget(deps: TerraformReadDeps, pr: PullRequestRef, target: TerraformTarget, request: TerraformReadRequest): Promise<TerraformRead> {
  const repo = { owner: pr.owner, repo: pr.repo };
  const summary = { name: target.name, kind: 'terraform' as const, file: target.dir };

  // 2. declared: the root and its local modules where the pull request's diff starts, and at its head
  const roots = await timed(deps.onPhase, 'declared', async () => {
    const mergeBase = await findMergeBase(deps.octokit, repo, pr);
    return readTerraformRoots(deps.octokit, repo, { mergeBase, headSha: pr.headSha }, target.dir);
  });
  const declared = { ...(roots.base ? { base: roots.base } : {}), ...(roots.head ? { head: roots.head } : {}), changes: roots.changes };
  const evidence = (live: LiveState, extra: Pick<TerraformEvidence, 'planned' | 'counts' | 'origin' | 'unmanaged'> = {}): TerraformRead => ({
    evidence: { kind: 'terraform', target: summary, notes: request.notes, declared, live, ...extra },
  });
  // `unmanaged`: names the pull request creates that already exist live, by Cloud Control, with
  // the target's role when it has one (plan or state source alike)
  const withUnmanaged = async (live: LiveState, extra: Pick<TerraformEvidence, 'planned' | 'counts' | 'origin'>): Promise<TerraformRead> => {
    const known = new Set((live.drift?.resources ?? []).map((r) => r.logicalId));
    const created = computeCreatedNames({ ...(extra.planned ? { planned: extra.planned } : {}), changes: roots.changes.changes, known });
    if (created.length === 0) return evidence(live, extra);
    const roleArn = target.state?.roleArn;
    const unmanaged = await timed(deps.onPhase, 'live', () => deps.terraformState.findUnmanaged(roleArn ? { roleArn } : {}, created, { signal: request.signal }));
    return evidence(live, { ...extra, unmanaged });
  };
  // A head that does not parse blocks whatever is live, and its plan may never come (the
  // workflow fails on the same error): no waiting, no AWS call.
  if (roots.changes.problems.head.some((p) => p.kind === 'syntax')) {
    return evidence(notRead(target.name, 'terraform', { api: 'terraform:parse', code: 'Unparseable', message: 'live state was not read because the Terraform files do not parse', retryable: false }));
  }

  // 3. live
  if (target.plan) return readPlan(deps, pr, target, target.plan, request, evidence, withUnmanaged);
  const location = target.state ?? backendOf(roots.base ?? roots.head);
  if ('problem' in location) return evidence(notRead(target.name, 'terraform-state', location.problem));
  const touched = [...roots.changes.changes.map((c) => c.address), ...roots.changes.touchedModules.map((m) => m.address)];
  const read = await timed(deps.onPhase, 'live', () => deps.terraformState.read({ name: target.name, state: location }, { touched, signal: request.signal }));
  return withUnmanaged(read.live, { counts: read.counts, ...(read.state ? { origin: { state: { location: read.state.location } } } : {}) });
}

async function readPlan(
  deps: TerraformReadDeps,
  pr: PullRequestRef,
  target: TerraformTarget,
  plan: NonNullable<TerraformTarget['plan']>,
  request: TerraformReadRequest,
  evidence: (live: LiveState, extra?: Pick<TerraformEvidence, 'planned' | 'origin'>) => TerraformRead,
  withUnmanaged: (live: LiveState, extra: Pick<TerraformEvidence, 'planned' | 'origin'>) => Promise<TerraformRead>,
): Promise<TerraformRead> {
  // A workflow_run event is only a trigger: the plan is always that of the newest run of the
  // workflow for this head, so a late event for an older run (two plan runs finishing out of
  // order) never decides over a newer plan, and a run for an older head never decides at all.
  const lookup = await timed(deps.onPhase, 'live', () =>
    findPlanArtifact(deps.octokit, {
      owner: pr.owner,
      repo: pr.repo,
      headSha: pr.headSha,
      artifact: plan.artifact,
      ...(plan.workflow ? { workflow: plan.workflow } : {}),
      signal: request.signal,
    }),
  );
  const unreadable = (code: string, message: string, retryable: boolean) =>
    evidence(notRead(target.name, 'terraform-plan', { api: 'github:actions', code, message, retryable }));
  switch (lookup.status) {
    case 'found':
      return withUnmanaged(computePlanLiveState(target.name, lookup.plan, lookup.run), {
        planned: lookup.plan.changes,
        origin: { plan: { runId: lookup.run.id, url: lookup.run.htmlUrl, artifact: lookup.artifact.name, ...(lookup.run.path ? { workflow: lookup.run.path } : {}) } },
      });
    case 'pending':
    case 'older-head':
      if (request.plan?.deadlinePassedFor === pr.headSha) {
        return unreadable('PlanTimeout', `no plan arrived within ${formatDeadline(plan.timeoutMs)}: ${lookup.message}`, true);
      }
      return { wait: { target: target.name, message: lookup.message, waitMs: plan.timeoutMs } };
    case 'failed':
      return unreadable('PlanWorkflowFailed', lookup.message, false);
    case 'missing-artifact':
      return unreadable('PlanArtifactMissing', lookup.message, false);
    case 'expired':
      return unreadable('PlanArtifactExpired', lookup.message, false);
    case 'invalid':
      return unreadable('PlanInvalid', `${lookup.message} (${describeRun(lookup.run)})`, false);
    case 'unreadable':
      return evidence(notRead(target.name, 'terraform-plan', lookup.unreadable));
  }
}

/**
 * The state location from the root's `backend "s3"` block, read where the pull request's
 * diff starts (the merge base, on the base branch), never from the pull request's head: a
 * pull request must not re-point the app at another state (DESIGN.md, config from the
 * default branch). Only literal settings are used.
 */
export function backendOf(root: TerraformRoot | undefined): TerraformStateSourceSettings | { problem: Unreadable } {
  const backend = root?.backend;
  const missing = (message: string) => ({ problem: { api: 'terraform:backend', code: 'NoStateSource', message, retryable: false } });
  if (!backend) return missing('the target has neither `plan` nor `state` in .github/realitycheck.yml, and its root declares no `backend "s3"` block to read the state from');
  if (backend.type !== 's3') return missing(`the root's backend is "${backend.type}", not "s3": set \`state.s3\` (or \`plan\`) on the target in .github/realitycheck.yml`);
  const literal = (name: string): string | undefined => {
    const value = backend.settings[name];
    return value?.kind === 'literal' && typeof value.value === 'string' && value.value !== '' ? value.value : undefined;
  };
  const bucket = literal('bucket');
  const key = literal('key');
  if (!bucket || !key) return missing('the root\'s `backend "s3"` block does not set `bucket` and `key` as plain strings (partial backend configuration): set `state.s3` on the target in .github/realitycheck.yml');
  const region = literal('region');
  return { s3: { bucket, key, ...(region ? { region } : {}) } };
}

/** Live state that could not be read at all, and why. */
function notRead(target: string, source: string, unreadable: Unreadable): LiveState {
  return { target, source, readAt: new Date().toISOString(), unreadable: [unreadable], calls: 0 };
}

/** Whether a workflow run of `path` (`.github/workflows/x.yml`) can hold this target's plan. */
export function planFromWorkflow(plan: NonNullable<TerraformTarget['plan']>, path: string | undefined): boolean {
  if (!plan.workflow || path === undefined) return true;
  return path === plan.workflow || path.endsWith(`/${plan.workflow}`);
}

/** Whether any target reads its plan from a workflow run of `path`. */
export function readsPlanFrom(targets: Target[], path: string | undefined): boolean {
  return targets.some((t) => t.kind === 'terraform' && t.plan !== undefined && planFromWorkflow(t.plan, path));
}
