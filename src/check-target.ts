// Steps 2–4 for one target: declared (base and head files) → live → analyze. The verdict
// (step 5) is the pipeline's: it needs every target and the pull request's authorship.
import { CONFIG_PATH, type CloudFormationTarget, type Config, type Target } from './config.js';
import { parseTemplateCached } from './iac/cloudformation/parse-cache.js';
import { computeChanges } from './iac/cloudformation/compute-changes.js';
import { analyze, unparseableFinding } from './analyze/analyze.js';
import { isLiveRead } from './analyze/verdict.js';
import { readFileAt, readVersions, type ChangedFile } from './github/read-files.js';
import { normalizePath } from './scope.js';
import type { Octokit } from './github/octokit.js';
import type { PullRequestRef } from './github/pull-request.js';
import type { LiveProviders } from './live/registry.js';
import type { Logger, RunOptions } from './pipeline.js';
import type { DeclaredTemplate, Finding, LiveState, TargetResult } from './types.js';
import { timed, type PhaseListener } from './phase-timer.js';

/** A target's findings before policy, and whether its live state was read in full. */
export interface CheckedTarget {
  result: Omit<TargetResult, 'conclusion'>;
  liveRead: boolean;
}

export interface TargetDeps {
  octokit: Octokit;
  providers: LiveProviders;
  log: Logger;
  onPhase?: PhaseListener;
}

export async function checkTarget(
  deps: TargetDeps,
  pr: PullRequestRef,
  target: Target,
  changed: ChangedFile[],
  config: Config,
  options: Omit<RunOptions, 'signal'>,
): Promise<CheckedTarget> {
  if (target.kind === 'terraform') {
    const finding: Finding = {
      rule: 'unreadable',
      severity: 'warn',
      target: target.name,
      message: `Terraform targets are not supported by this version of realitycheck, so ${target.dir} was not checked against live state.`,
      evidence: [],
    };
    return { result: { target: { name: target.name, kind: 'terraform', file: target.dir }, changes: [], findings: [finding], ignored: [] }, liveRead: false };
  }
  return checkCloudFormation(deps, pr, target, changed, config, options);
}

async function checkCloudFormation(
  deps: TargetDeps,
  pr: PullRequestRef,
  target: CloudFormationTarget,
  changed: ChangedFile[],
  config: Config,
  options: Omit<RunOptions, 'signal'>,
): Promise<CheckedTarget> {
  const repo = { owner: pr.owner, repo: pr.repo };
  const configured = normalizePath(target.template);
  // How GitHub lists the template: under its new name when the pull request moves it.
  const entry = changed.find((c) => normalizePath(c.path) === configured || (c.previousPath !== undefined && normalizePath(c.previousPath) === configured)) ?? {
    path: configured,
    status: 'modified',
  };
  const file = entry.path;
  const summary = {
    name: target.name,
    kind: 'cloudformation' as const,
    stack: target.stack,
    ...(target.region ? { region: target.region } : {}),
    file,
  };

  // 2. declared: base and head versions of the template
  const versions = await timed(deps.onPhase, 'declared', () => readVersions(deps.octokit, repo, entry, pr));
  if (versions.missingHead) {
    const finding: Finding = {
      rule: 'unreadable',
      severity: 'warn',
      target: target.name,
      message: `${versions.missingHead} could not be read at the head commit although the pull request lists it as changed, so nothing was compared.`,
      evidence: [],
    };
    return { result: { target: summary, changes: [], findings: [finding], ignored: [] }, liveRead: false };
  }
  const moved: Finding[] = versions.movedTo
    ? [
        {
          rule: 'config-error',
          severity: 'info',
          target: target.name,
          message: `This pull request moves ${target.template} to ${versions.movedTo}: after merging, point template in ${CONFIG_PATH} at the new path, or realitycheck stops checking it.`,
          file: versions.movedTo,
          evidence: [],
        },
      ]
    : [];
  const declared = await timed(deps.onPhase, 'declared', async () => {
    const texts = [versions.base, versions.head];
    const parsed = texts.map((text) => (text === undefined ? undefined : parseTemplateCached(file, text)));
    const unparseable = parsed.flatMap((result, i) => (result && !result.ok ? [unparseableFinding(target.name, result.error, i === 0 ? 'base' : 'head')] : []));
    const [base, head] = parsed.map((result) => (result?.ok ? result.template : undefined)) as [DeclaredTemplate | undefined, DeclaredTemplate | undefined];
    return { baseText: texts[0], base, head, unparseable, changes: unparseable.length ? [] : computeChanges(base, head) };
  });
  if (declared.unparseable.length > 0) {
    // Without both versions there is nothing to compare; no AWS call is made.
    return { result: { target: summary, changes: [], findings: [...declared.unparseable, ...moved], ignored: [] }, liveRead: false };
  }
  const { base, head, changes } = declared;

  // 3. live: AWS, or a snapshot file read from the default branch (never from the pull request)
  const { live, deployed } = await timed(deps.onPhase, 'live', async () => {
    const readOptions = { maxDriftAgeMs: config.policy.maxDriftAge, ...(options.forceDetection ? { forceDetection: true } : {}) };
    const live = target.snapshot
      ? await deps.providers
          .snapshot((path) => readFileAt(deps.octokit, repo, path, pr.defaultBranch))
          .read({ ...target, snapshot: target.snapshot }, readOptions)
      : await deps.providers.cloudformation.read(target, readOptions);
    return { live, deployed: parseDeployed(live, target, declared.baseText, base) };
  });

  // 4. analyze
  const result = await timed(deps.onPhase, 'analyze', () =>
    analyze({ target: { name: target.name, file }, base, head, changes, live, deployed, ignore: config.ignore }),
  );
  deps.log.info({ target: target.name, stack: target.stack, awsCalls: live.calls, findings: result.findings.length }, 'target checked');
  const checked: Omit<TargetResult, 'conclusion'> = {
    target: { ...summary, ...(live.stack ? { region: live.stack.region } : {}) },
    changes,
    findings: [...result.findings, ...moved],
    ignored: result.ignored,
    ...(result.coverage ? { coverage: result.coverage } : {}),
    live: {
      source: live.source,
      readAt: live.readAt,
      ...(live.stack ? { stackStatus: live.stack.status } : {}),
      ...(live.drift ? { detection: { reused: live.drift.reused, checkedAt: live.drift.checkedAt, status: live.drift.status } } : {}),
    },
  };
  return { result: checked, liveRead: isLiveRead(live) };
}

/**
 * The deployed template, parsed. Most of the time it is the base branch's text, whose
 * parse is reused. One that does not parse is recorded as unreadable, not ignored.
 */
function parseDeployed(live: LiveState, target: CloudFormationTarget, baseText: string | undefined, base: DeclaredTemplate | undefined): DeclaredTemplate | undefined {
  if (live.deployedTemplate === undefined) return undefined;
  if (base && live.deployedTemplate === baseText) return base;
  const parsed = parseTemplateCached(`deployed template of ${target.stack}`, live.deployedTemplate);
  if (parsed.ok) return parsed.template;
  live.unreadable.push({
    api: 'cloudformation:GetTemplate',
    code: 'UnparseableTemplate',
    message: `the deployed template could not be parsed (${parsed.error.message}), so it was not compared with the base branch`,
    retryable: false,
  });
  return undefined;
}
