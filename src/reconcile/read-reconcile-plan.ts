// Steps 2–4 of a reconcile for one target, at the default branch's head: the code there, the
// live state now, and what to write back (computed by compute-*-plan.ts). The files' text
// comes along for the editors. Anything that could not be read says so (`unreadable`): a
// reconcile never closes a pull request on a read it could not complete.
import type { Config } from '../config.js';
import type { CloudFormationTarget, Target, TerraformTarget } from '../config-types.js';
import { isLiveRead } from '../analyze/verdict.js';
import { sensitiveTexts } from '../analyze/terraform/declared-values.js';
import { readFileAt } from '../github/read-files.js';
import { readTerraformRoots } from '../github/read-terraform-root.js';
import type { Octokit, RepoRef } from '../github/octokit.js';
import { MAX_TEMPLATE_BYTES } from '../iac/cloudformation/parse-template.js';
import { parseTemplateCached } from '../iac/cloudformation/parse-cache.js';
import type { LiveProviders } from '../live/registry.js';
import { computePlanLiveState } from '../live/terraform-plan/compute-plan-live-state.js';
import { findPlanArtifact } from '../live/terraform-plan/find-plan-artifact.js';
import { backendOf } from '../read-terraform.js';
import { normalizePath } from '../scope.js';
import type { LiveState, TerraformRoot } from '../types.js';
import { computeCloudFormationPlan } from './compute-cloudformation-plan.js';
import { computeTerraformPlan } from './compute-terraform-plan.js';
import type { ReconcilePlan } from './reconcile-plan.js';

export interface ReconcileReadDeps {
  octokit: Octokit;
  providers: LiveProviders;
}

export interface DefaultBranch {
  name: string;
  sha: string;
}

export type ReconcileRead =
  | {
      ok: true;
      plan: ReconcilePlan;
      /** Text of every file the plan edits, at the default branch's head. */
      texts: Map<string, string>;
      /** Every resource was read live (a complete detection, nothing unreadable): only then may a pull request be closed. */
      complete: boolean;
      readAt: string;
    }
  | { ok: false; why: string };

export async function readReconcilePlan(deps: ReconcileReadDeps, repo: RepoRef, branch: DefaultBranch, target: Target, config: Pick<Config, 'policy' | 'ignore'>, signal?: AbortSignal): Promise<ReconcileRead> {
  return target.kind === 'terraform' ? readTerraform(deps, repo, branch, target, config, signal) : readCloudFormation(deps, repo, branch, target, config, signal);
}

async function readCloudFormation(deps: ReconcileReadDeps, repo: RepoRef, branch: DefaultBranch, target: CloudFormationTarget, config: Pick<Config, 'policy' | 'ignore'>, signal?: AbortSignal): Promise<ReconcileRead> {
  const file = normalizePath(target.template);
  const text = await readFileAt(deps.octokit, repo, file, branch.sha, MAX_TEMPLATE_BYTES);
  if (text === undefined) return { ok: false, why: `${file} is not on ${branch.name}` };
  const parsed = parseTemplateCached(file, text);
  if (!parsed.ok) return { ok: false, why: `${file} does not parse on ${branch.name} (line ${parsed.error.line}: ${parsed.error.message})` };
  const options = { maxDriftAgeMs: config.policy.maxDriftAge, ...(signal ? { signal } : {}) };
  const live = target.snapshot
    ? await deps.providers.snapshot((path) => readFileAt(deps.octokit, repo, path, branch.sha)).read({ ...target, snapshot: target.snapshot }, options)
    : await deps.providers.cloudformation.read(target, options);
  if (!live.drift) return { ok: false, why: unreadableText(live) };
  const plan = computeCloudFormationPlan({ target: target.name, template: parsed.template, live, ignore: config.ignore });
  return { ok: true, plan, texts: new Map([[file, text]]), complete: isLiveRead(live), readAt: live.drift.checkedAt };
}

async function readTerraform(deps: ReconcileReadDeps, repo: RepoRef, branch: DefaultBranch, target: TerraformTarget, config: Pick<Config, 'ignore'>, signal?: AbortSignal): Promise<ReconcileRead> {
  const roots = await readTerraformRoots(deps.octokit, repo, { mergeBase: branch.sha, headSha: branch.sha }, target.dir);
  const root = roots.head;
  if (!root) return { ok: false, why: `${target.dir} holds no Terraform root on ${branch.name}` };
  const problem = root.problems.find((p) => p.kind === 'syntax');
  if (problem) return { ok: false, why: `${problem.file} does not parse on ${branch.name} (line ${problem.line}: ${problem.message})` };
  const live = await readTerraformLive(deps, repo, branch, target, root, signal);
  if ('why' in live) return { ok: false, why: live.why };
  if (!live.drift) return { ok: false, why: unreadableText(live) };
  const plan = computeTerraformPlan({ target: target.name, root, live, ignore: config.ignore, secrets: sensitiveTexts([root]) });
  const texts = new Map<string, string>();
  for (const { file } of plan.files) {
    const text = await readFileAt(deps.octokit, repo, file, branch.sha);
    if (text !== undefined) texts.set(file, text);
  }
  return { ok: true, plan, texts, complete: isLiveRead(live) && root.problems.length === 0, readAt: live.drift.checkedAt };
}

/** The plan of the default branch's head when the target reads plans (its workflow must run on pushes too), else the state. */
async function readTerraformLive(deps: ReconcileReadDeps, repo: RepoRef, branch: DefaultBranch, target: TerraformTarget, root: TerraformRoot, signal?: AbortSignal): Promise<LiveState | { why: string }> {
  if (target.plan && !target.state) {
    const lookup = await findPlanArtifact(deps.octokit, { ...repo, headSha: branch.sha, artifact: target.plan.artifact, ...(target.plan.workflow ? { workflow: target.plan.workflow } : {}), ...(signal ? { signal } : {}) });
    if (lookup.status !== 'found') return { why: `no Terraform plan of ${branch.name} at ${branch.sha.slice(0, 7)} to read live state from (${'message' in lookup ? lookup.message : 'unreadable'}); run the plan workflow on pushes to ${branch.name}, or set \`state\` on the target` };
    return computePlanLiveState(target.name, lookup.plan, lookup.run);
  }
  const location = target.state ?? backendOf(root);
  if ('problem' in location) return { why: location.problem.message };
  const touched = root.blocks.filter((b) => b.kind === 'resource').map((b) => b.address);
  const read = await deps.providers.terraformState.read({ name: target.name, state: location }, { touched, ...(signal ? { signal } : {}) });
  return read.live;
}

function unreadableText(live: LiveState): string {
  const first = live.unreadable[0];
  return first ? `live state could not be read: ${first.code} on ${first.api} (${first.message})` : 'live state could not be read';
}
