// `realitycheck scan`, `check_change` and the other MCP tools: the app's pipeline over a local
// git checkout. The steps are the app's own, in its order, with the app's functions
// (src/pipeline.ts): 1 scope (readScope) → 2 declared and 3 live (readTarget, the same
// providers) → 4 analyze (analyzeTarget) → 5 verdict (readAuthorship, judgeTargets). Only
// step 7 differs: nothing is published; the caller renders the RunResult (report/, or the
// JSON and SARIF renderers here). GitHub is answered from git (git-github.ts).
import { readFile } from 'node:fs/promises';
import { analyzeTarget, type TargetAnalysis, type TargetEvidence } from '../analyze/analyze-target.js';
import { judgeTargets } from '../analyze/verdict.js';
import type { Authorship } from '../analyze/ai-authorship.js';
import type { Config } from '../config.js';
import type { Target, TerraformTarget } from '../config-types.js';
import type { PullRequestRef } from '../github/pull-request.js';
import type { LiveProviders } from '../live/registry.js';
import { readAuthorship } from '../pipeline/read-authorship.js';
import { readConfig } from '../pipeline/read-config.js';
import { readScope } from '../pipeline/read-scope.js';
import { readTarget } from '../read-target.js';
import type { RunResult, ScopeNote } from '../types.js';
import { GitGitHub } from './git-github.js';
import { configLoader, LOCAL_PULL_NUMBER, openLocalRefs, toPullRequest, type LocalRefs } from './open-local-change.js';
import { GitError } from './run-git.js';

/** The scan could not run (configuration, git, arguments): exit 2, the message on stderr. */
export class ScanSetupError extends Error {
  override readonly name = 'ScanSetupError';
}

export interface PlanFile {
  /** The Terraform target it is for; absent: the one Terraform target checked. */
  target?: string;
  file: string;
}

export interface ScanRequest {
  repoDir: string;
  base?: string;
  head?: string;
  configFile?: string;
  /** `--target`: only these, checked whether or not the change touches them. */
  targets?: string[];
  plans?: PlanFile[];
  /** One file of the head replaced (`check_change`). */
  overlay?: { path: string; text: string };
  providers: LiveProviders;
  signal?: AbortSignal;
}

export interface ScanResult {
  refs: LocalRefs;
  pr: PullRequestRef;
  config: Config;
  /** Every configured target. */
  targets: Target[];
  configSource: string;
  /** What was learned of each target checked (declared and live, as data). */
  evidence: TargetEvidence[];
  authorship: Authorship;
  run: RunResult;
}

/** The configuration a scan would use, or why it cannot (ScanSetupError). */
export async function loadScanConfig(refs: LocalRefs, configFile: string | undefined): Promise<{ config: Config; targets: Target[]; source: string }> {
  const loader = configLoader(refs, configFile);
  const loaded = await readConfig(loader.load).catch((error: unknown) => {
    throw error instanceof GitError ? new ScanSetupError(error.message) : error;
  });
  if (loaded.kind === 'absent') {
    throw new ScanSetupError(`no configuration: ${loader.source} does not exist; commit one there or pass --config FILE`);
  }
  if (loaded.kind === 'invalid') {
    const lines = loaded.problems.map((p) => `  ${p.key ? `${p.key}: ` : ''}${p.message}`);
    throw new ScanSetupError(`the configuration is invalid (${configFile ?? loader.source}):\n${lines.join('\n')}`);
  }
  return { config: loaded.config, targets: loaded.targets, source: loader.source };
}

export async function scanRepository(request: ScanRequest): Promise<ScanResult> {
  const refs = await openLocalRefs(request.repoDir, { ...(request.base ? { base: request.base } : {}), ...(request.head ? { head: request.head } : {}) }).catch((error: unknown) => {
    throw error instanceof GitError ? new ScanSetupError(error.message) : error;
  });
  const { config, targets, source } = await loadScanConfig(refs, request.configFile);
  for (const name of request.targets ?? []) {
    if (!targets.some((t) => t.name === name)) throw new ScanSetupError(`--target ${name}: no such target; the configured targets are ${targets.map((t) => t.name).join(', ') || '(none)'}`);
  }
  const github = new GitGitHub({ dir: refs.dir, owner: refs.owner, repo: refs.repo, baseSha: refs.base.sha, mergeBase: refs.mergeBase, headCommit: refs.head.sha, number: LOCAL_PULL_NUMBER, ...(request.overlay ? { overlay: request.overlay } : {}) });
  const octokit = github.octokit();
  const pr = await toPullRequest(refs, github.headSha);
  const signal = request.signal ?? new AbortController().signal;

  // 1. scope: the targets the change touches, or the ones asked for
  const { changed, scope } = await readScope(octokit, pr, targets);
  const checked: Array<{ target: Target; notes: ScopeNote[] }> = request.targets?.length
    ? targets.filter((t) => request.targets!.includes(t.name)).map((target) => scope.touched.find((x) => x.target === target) ?? { target, notes: [] })
    : scope.touched;
  const planned = await servePlans(github, checked.map((c) => c.target), request.plans ?? []);

  // 2. declared and 3. live, target by target
  const evidence: TargetEvidence[] = [];
  for (const { target, notes } of checked) {
    const read = await readTarget(
      { octokit, providers: request.providers },
      pr,
      // The wait for a plan has nothing to wait for here: a plan not served is not coming.
      { target: planned.targets.get(target) ?? target, notes, changed, config, signal, plan: { deadlinePassedFor: pr.headSha } },
    );
    if (read.wait) throw new ScanSetupError(`target ${target.name}: ${read.wait.message}`);
    // A new stack-wide drift detection gives the touched resources first (`evidence`) and
    // the whole stack later: a scan reports once, on the whole stack.
    evidence.push('later' in read && read.later ? await read.later : read.evidence);
  }

  // 4. analyze, 5. verdict
  const analyses: TargetAnalysis[] = evidence.map((e) => analyzeTarget(e, config.ignore));
  const authorship = await readAuthorship(octokit, pr, config, analyses);
  const aiStrict = config.policy.ai === 'strict' && authorship.aiAuthored;
  const verdict = judgeTargets(analyses, { unreadable: config.policy.unreadable, aiStrict });
  const run: RunResult = {
    repo: { owner: pr.owner, name: pr.repo },
    pullNumber: pr.number,
    headSha: refs.head.sha,
    conclusion: verdict.conclusion,
    // A plan served from a file names the file, not the stand-in workflow run it was served as.
    targets: verdict.results.map((r) => {
      const file = planned.files.get(r.target.name);
      return file && r.live ? { ...r, live: { ...r.live, detail: `plan file ${file}` } } : r;
    }),
    ...(authorship.aiAuthored ? { authorship: { policy: config.policy.ai, signals: authorship.signals } } : {}),
    finishedAt: new Date().toISOString(),
    updatedAt: pr.updatedAt,
  };
  return { refs, pr, config, targets, configSource: source, evidence, authorship, run };
}

/**
 * `--plan` files become what the app reads a Terraform target's plan from: a finished
 * Actions run of the head with the plan in its artifact, so the plan goes through the same
 * reader and limits. A target given a plan reads it instead of its state file; a target
 * that reads plans and was given none cannot be checked here (there is no workflow to wait for).
 */
async function servePlans(github: GitGitHub, checked: Target[], plans: PlanFile[]): Promise<{ targets: Map<Target, TerraformTarget>; files: Map<string, string> }> {
  const terraform = checked.filter((t): t is TerraformTarget => t.kind === 'terraform');
  const served = new Map<Target, TerraformTarget>();
  const files = new Map<string, string>();
  for (const plan of plans) {
    let target: TerraformTarget | undefined;
    if (plan.target !== undefined) {
      target = terraform.find((t) => t.name === plan.target);
      if (!target) {
        // Not an error when the change simply does not touch it: nothing reads the plan.
        continue;
      }
    } else {
      if (terraform.length > 1) throw new ScanSetupError(`--plan ${plan.file}: the change touches several Terraform targets (${terraform.map((t) => t.name).join(', ')}); name one: --plan TARGET=FILE`);
      target = terraform[0];
      if (!target) continue;
    }
    const text = await readFile(plan.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new ScanSetupError(`--plan ${plan.file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
    });
    const artifact = target.plan?.artifact ?? `${target.name.replace(/[^A-Za-z0-9._-]/g, '-')}-plan`;
    const workflow = target.plan?.workflow ?? 'realitycheck-local.yml';
    github.servePlan({ artifact, workflow, file: plan.file, text });
    served.set(target, { ...target, plan: { artifact, workflow, timeoutMs: target.plan?.timeoutMs ?? 0 } });
    files.set(target.name, plan.file);
  }
  const missing = terraform.filter((t) => t.plan && !served.has(t));
  if (missing.length > 0) {
    const names = missing.map((t) => t.name).join(', ');
    throw new ScanSetupError(`${names} ${missing.length > 1 ? 'read their' : 'reads its'} live state from a Terraform plan: pass it with --plan ${missing.length > 1 ? 'TARGET=' : ''}FILE (the output of \`terraform show -json <planfile>\`)`);
  }
  return { targets: served, files };
}
