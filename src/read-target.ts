// Steps 2–3 for one target: declared (base and head files, parsed) → live. Returns what it
// learned as data (TargetEvidence); analyze turns that into findings, nothing here does.
import { CONFIG_PATH, type Config } from './config.js';
import type { CloudFormationTarget, Target } from './config-types.js';
import { parseTemplateCached } from './iac/cloudformation/parse-cache.js';
import { MAX_TEMPLATE_BYTES } from './iac/cloudformation/parse-template.js';
import { computeChanges } from './iac/cloudformation/compute-changes.js';
import type { TargetEvidence } from './analyze/analyze-target.js';
import { readFileAt, readVersions, type ChangedFile } from './github/read-files.js';
import { normalizePath } from './scope.js';
import type { Octokit } from './github/octokit.js';
import type { PullRequestRef } from './github/pull-request.js';
import type { LiveProviders } from './live/registry.js';
import type { ReadOptions, StagedRead } from './live/provider.js';
import { computeTouchedResources } from './live/compute-targeted-drift.js';
import type { DeclaredTemplate, LiveState, ParseError, ScopeNote } from './types.js';
import { timed, type PhaseListener } from './phase-timer.js';
import { readTerraformTarget, type PlanHints, type TerraformRead } from './read-terraform.js';
import { readLiveWithOptIns } from './read-opt-in.js';

export interface TargetDeps {
  octokit: Octokit;
  providers: LiveProviders;
  onPhase?: PhaseListener;
}

export interface TargetRequest {
  /** What the run knows about Terraform plans (a workflow_run, a wait that ended). */
  plan?: PlanHints;
  target: Target;
  /** What scope could not rule out for this target. */
  notes: ScopeNote[];
  changed: ChangedFile[];
  config: Pick<Config, 'policy'>;
  forceDetection?: boolean;
  signal: AbortSignal;
}

/**
 * What was learned about a target, or that its Terraform plan is still to come. `later`: the
 * same evidence with the stack-wide drift detection's result, when `evidence` holds only the
 * drift of the resources the pull request touches (targeted detection). Rejects only when
 * the run is aborted.
 */
export type TargetRead = TerraformRead | { evidence: TargetEvidence; later: Promise<TargetEvidence>; wait?: undefined };

export async function readTarget(deps: TargetDeps, pr: PullRequestRef, request: TargetRequest): Promise<TargetRead> {
  const { target } = request;
  if (target.kind === 'terraform') {
    const terraformDeps = { octokit: deps.octokit, terraformState: deps.providers.terraformState, ...(deps.onPhase ? { onPhase: deps.onPhase } : {}) };
    return readTerraformTarget(terraformDeps, pr, target, { notes: request.notes, signal: request.signal, ...(request.plan ? { plan: request.plan } : {}) });
  }
  return readCloudFormation(deps, pr, target, request);
}

async function readCloudFormation(deps: TargetDeps, pr: PullRequestRef, target: CloudFormationTarget, request: TargetRequest): Promise<TargetRead> {
  const repo = { owner: pr.owner, repo: pr.repo };
  const configured = normalizePath(target.template);
  // How GitHub lists the template: under its new name when the pull request moves it.
  const entry = request.changed.find(
    (c) => normalizePath(c.path) === configured || (c.previousPath !== undefined && normalizePath(c.previousPath) === configured),
  ) ?? { path: configured, status: 'modified' };
  const file = entry.path;
  const summary = { name: target.name, kind: 'cloudformation' as const, stack: target.stack, ...(target.region ? { region: target.region } : {}), file };

  // 2. declared: base and head versions of the template
  const versions = await timed(deps.onPhase, 'declared', () => readVersions(deps.octokit, repo, entry, pr, MAX_TEMPLATE_BYTES));
  if (versions.tooLarge) {
    const { version, error } = versions.tooLarge;
    const size = `${error.exact ? '' : 'more than '}${error.bytes} bytes`;
    const message = `the template is ${size}; CloudFormation accepts at most 1 MB (${MAX_TEMPLATE_BYTES} bytes), so it was not read`;
    return { evidence: { target: summary, notes: request.notes, unparseable: [{ version, error: { file: error.path, line: 1, message } }] } };
  }
  if (versions.missingHead) return { evidence: { target: summary, notes: [...request.notes, { kind: 'missing-head', file: versions.missingHead }], unparseable: [] } };
  const moved: ScopeNote[] = versions.movedTo ? [{ kind: 'template-moved', from: target.template, to: versions.movedTo, configFile: CONFIG_PATH }] : [];
  const notes = [...request.notes, ...moved];
  const declared = await timed(deps.onPhase, 'declared', () => {
    const parsed = { base: parse(file, versions.base), head: parse(file, versions.head) };
    const unparseable = (['base', 'head'] as const).flatMap((version) => {
      const result = parsed[version];
      return result && !result.ok ? [{ version, error: result.error }] : [];
    });
    const base = parsed.base?.ok ? parsed.base.template : undefined;
    const head = parsed.head?.ok ? parsed.head.template : undefined;
    const warnings = parsed.head?.ok ? (parsed.head.warnings ?? []) : [];
    return { base, head, unparseable, warnings };
  });
  // What the head template was read with although it looks wrong (a key written twice)
  notes.push(...declared.warnings.map((warning): ScopeNote => ({ kind: 'template-warning', warning })));
  // Without both versions there is nothing to compare; no AWS call is made.
  if (declared.unparseable.length > 0) return { evidence: { target: summary, notes, unparseable: declared.unparseable } };
  const { base, head } = declared;
  const changes = await timed(deps.onPhase, 'declared', () => computeChanges(base, head));

  // 3. live: AWS, or a snapshot file read from the default branch (never from the pull request);
  // the drift of the resources it touches may come first, the rest of the stack later; with
  // the target's opt-ins beside it (undeclared properties, a drift-aware change set;
  // read-opt-in.ts), read once, with the first look, and kept for the later one
  const touched = computeTouchedResources(changes);
  const optIn = { pr, target, changes, head, headText: versions.head, signal: request.signal };
  const staged: { rest?: Promise<LiveState> } = {};
  const first = await timed(deps.onPhase, 'live', () =>
    readLiveWithOptIns(deps.providers.cloudformationOptIn, optIn, async () => {
      const read = await readLive(deps, pr, target, { ...request, touched });
      if (read.rest) staged.rest = read.rest;
      return read.first;
    }),
  );
  const evidence = (live: LiveState): TargetEvidence => {
    const deployed = parseDeployed(live, target, versions.base, base);
    return { target: summary, notes, unparseable: [], compared: { base, head, changes, live, ...deployed } };
  };
  if (!staged.rest) return { evidence: evidence(first) };
  const extras = { ...(first.undeclared ? { undeclared: first.undeclared } : {}), ...(first.changeSet ? { changeSet: first.changeSet } : {}) };
  const later = staged.rest.then((live) => evidence({ ...live, ...extras }));
  later.catch(() => {}); // the run may stop (aborted) before it awaits it
  return { evidence: evidence(first), later };
}

function parse(file: string, text: string | undefined) {
  return text === undefined ? undefined : parseTemplateCached(file, text);
}

async function readLive(deps: TargetDeps, pr: PullRequestRef, target: CloudFormationTarget, request: TargetRequest & { touched: string[] }): Promise<StagedRead> {
  const options: ReadOptions = {
    maxDriftAgeMs: request.config.policy.maxDriftAge,
    ...(request.forceDetection ? { forceDetection: true } : {}),
    signal: request.signal,
    touched: request.touched,
  };
  if (target.snapshot) {
    const readFile = (path: string) => readFileAt(deps.octokit, { owner: pr.owner, repo: pr.repo }, path, pr.defaultBranch);
    return { first: await deps.providers.snapshot(readFile).read({ ...target, snapshot: target.snapshot }, options) };
  }
  const provider = deps.providers.cloudformation;
  return provider.readStaged ? provider.readStaged(target, options) : { first: await provider.read(target, options) };
}

/**
 * The deployed template, parsed: most of the time it is the base branch's text, whose parse
 * is reused. One that does not parse comes back as `deployedError` (analyze reports it
 * unreadable), never dropped.
 */
function parseDeployed(
  live: LiveState,
  target: CloudFormationTarget,
  baseText: string | undefined,
  base: DeclaredTemplate | undefined,
): { deployed?: DeclaredTemplate; deployedError?: ParseError } {
  if (live.deployedTemplate === undefined) return {};
  if (base && live.deployedTemplate === baseText) return { deployed: base };
  const parsed = parseTemplateCached(`deployed template of ${target.stack}`, live.deployedTemplate);
  return parsed.ok ? { deployed: parsed.template } : { deployedError: parsed.error };
}
