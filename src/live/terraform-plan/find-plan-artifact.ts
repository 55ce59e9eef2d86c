// GitHub I/O. Finds the pull request's own plan: the newest workflow run for its current
// head SHA (of the configured workflow file, when there is one), the named artifact of that
// run, its zip (read-artifact-zip) and the plan inside (parse-plan-zip). Every way this can
// fall short is its own outcome, with a sentence that names the workflow, the run and what
// is missing, so the check can say what it is waiting for or why it could not check.
import type { Octokit } from '../../github/octokit.js';
import type { Unreadable } from '../../types.js';
import { mb, parsePlanZip } from './parse-plan-zip.js';
import { gitHubUnreadable, readArtifactZip } from './read-artifact-zip.js';
import type { PlanArtifactRef, PlanDownloadLimits, PlanLookup, PlanLookupInput, PlanRunRef } from './types.js';

export const DEFAULT_PLAN_LIMITS: PlanDownloadLimits = {
  maxZipBytes: 50 * 1024 * 1024,
  // A plan of 1,000 resource changes is 2 MB (bench/terraform-plan.ts), 10,000 are 20 MB.
  // The whole plan is decoded and JSON.parse'd synchronously, so this stays small; the
  // number of objects and arrays is bounded as well (parse-plan-json MAX_PLAN_CONTAINERS).
  maxUncompressedBytes: 32 * 1024 * 1024,
  maxEntries: 100,
  timeoutMs: 120_000,
};

/**
 * The zip may be a little larger than `size_in_bytes`: for artifacts of upload-artifact v4
 * `size_in_bytes` is the stored zip itself, but v3 (retired) artifacts counted the files and
 * zipped them on download. This slack covers zip headers; the hard cap always applies.
 */
const ZIP_SLACK = 64 * 1024;

/** Runs considered when no workflow file is configured (newest first): bounds the artifact listings. */
const MAX_RUNS_SEARCHED = 10;

export interface FindPlanOptions {
  limits?: Partial<PlanDownloadLimits>;
  /** The fetch for the blob host; default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
}

export async function findPlanArtifact(octokit: Octokit, given: PlanLookupInput, options: FindPlanOptions = {}): Promise<PlanLookup> {
  const limits = { ...DEFAULT_PLAN_LIMITS, ...options.limits };
  // `plan.workflow` is a file name; a path to it (`.github/workflows/x.yml`) means the same.
  const input = { ...given, workflow: given.workflow ? workflowFile(given.workflow) : undefined };
  const awaited = describeAwaited(input);
  // A workflow_run event for an older head never decides the newest head.
  if (input.run && input.run.headSha !== input.headSha) {
    return {
      status: 'older-head',
      run: input.run,
      message: `workflow run ${input.run.id} is for ${short(input.run.headSha)}, an older head than the pull request's ${short(input.headSha)}; ignored`,
    };
  }
  const runs = await findRuns(octokit, input);
  if ('unreadable' in runs) return { status: 'unreadable', message: `could not list the workflow runs for ${short(input.headSha)}`, unreadable: runs.unreadable };
  const newest = runs.list[0];
  if (newest && newest.headSha !== input.headSha) {
    return { status: 'older-head', run: newest, message: `${describeRun(newest)} is for ${short(newest.headSha)}, not the pull request's head ${short(input.headSha)}; ignored` };
  }
  if (runs.list.length === 0) {
    return { status: 'pending', message: `waiting for the plan from ${awaited}: no run for ${short(input.headSha)} yet` };
  }
  // With a workflow file: its newest run decides. Without: the newest completed run that
  // has the artifact, then anything still running, then a failure.
  const candidates = input.workflow ? runs.list.slice(0, 1) : runs.list.slice(0, MAX_RUNS_SEARCHED);
  const listedByRun: Array<{ run: PlanRunRef; names: string[] }> = [];
  for (const run of candidates) {
    if (run.status !== 'completed' || run.conclusion !== 'success') continue;
    const artifacts = await listArtifacts(octokit, input, run);
    if ('unreadable' in artifacts) {
      return { status: 'unreadable', run, message: `could not list the artifacts of ${describeRun(run)}`, unreadable: artifacts.unreadable };
    }
    // Newest first, should a name appear twice (artifacts of v3 could share a name).
    const matching = artifacts.list
      .filter((a) => a.name === input.artifact)
      .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || b.id - a.id);
    if (matching.length === 0) {
      listedByRun.push({ run, names: artifacts.list.map((a) => a.name) });
      continue;
    }
    const usable = matching.find((a) => !a.expired);
    if (!usable) {
      const artifact = matching[0]!;
      return {
        status: 'expired',
        run,
        artifact,
        message: `artifact \`${input.artifact}\` of ${describeRun(run)} has expired${artifact.expiresAt ? ` (${artifact.expiresAt})` : ''}; re-run the workflow`,
      };
    }
    return download(octokit, input, run, usable, limits, options.fetch);
  }
  const running = candidates.find((r) => r.status !== 'completed');
  if (running) return { status: 'pending', run: running, message: `waiting for the plan from ${awaited}: ${describeRun(running)} is ${running.status.replace(/_/g, ' ')}` };
  const failed = candidates.find((r) => r.conclusion !== 'success');
  if (failed) {
    const conclusion = failed.conclusion ?? 'unknown';
    return { status: 'failed', run: failed, conclusion, message: `${describeRun(failed)} concluded \`${conclusion}\` without a plan (${failed.htmlUrl})` };
  }
  const first = listedByRun[0]!;
  const names = [...new Set(listedByRun.flatMap((l) => l.names))];
  return {
    status: 'missing-artifact',
    run: first.run,
    listed: names,
    message:
      `${describeRun(first.run)} has no artifact named \`${input.artifact}\`` +
      (names.length > 0 ? ` (it has ${names.map((n) => `\`${n}\``).join(', ')})` : ' (it uploaded no artifacts)') +
      `; upload the output of \`terraform show -json\` with actions/upload-artifact and \`name: ${input.artifact}\``,
  };
}

async function download(
  octokit: Octokit,
  input: PlanLookupInput,
  run: PlanRunRef,
  artifact: PlanArtifactRef,
  limits: PlanDownloadLimits,
  fetch: typeof globalThis.fetch | undefined,
): Promise<PlanLookup> {
  const cap = Math.min(limits.maxZipBytes, artifact.sizeInBytes + ZIP_SLACK);
  const refuse = (message: string): PlanLookup => ({
    status: 'invalid',
    run,
    artifact,
    message: `artifact \`${artifact.name}\` of ${describeRun(run)}: ${message}`,
    error: { file: `${artifact.name}.zip`, message },
  });
  if (artifact.sizeInBytes > limits.maxZipBytes) {
    return refuse(`it is ${mb(artifact.sizeInBytes)}, more than the ${mb(limits.maxZipBytes)} realitycheck downloads; refused`);
  }
  const read = await readArtifactZip(octokit, {
    owner: input.owner,
    repo: input.repo,
    artifactId: artifact.id,
    maxBytes: cap,
    timeoutMs: limits.timeoutMs,
    ...(input.signal ? { signal: input.signal } : {}),
    ...(fetch ? { fetch } : {}),
  });
  if (!read.ok) {
    if (read.tooLarge) return refuse(read.unreadable.message);
    // Listed as live a moment ago, gone now: it expired (or was deleted) in between.
    if (read.unreadable.code === 'HTTP 410') {
      return { status: 'expired', run, artifact: { ...artifact, expired: true }, message: `artifact \`${artifact.name}\` of ${describeRun(run)} has expired or was deleted; re-run the workflow` };
    }
    return { status: 'unreadable', run, artifact, message: `could not download artifact \`${artifact.name}\` of ${describeRun(run)}`, unreadable: read.unreadable };
  }
  const parsed = parsePlanZip(read.zip, artifact.name, limits);
  if (!parsed.ok) {
    const where = [parsed.error.line ? `line ${parsed.error.line}` : '', parsed.error.column ? `column ${parsed.error.column}` : '', parsed.error.path ?? '']
      .filter(Boolean)
      .join(', ');
    return {
      status: 'invalid',
      run,
      artifact,
      error: parsed.error,
      message: `the plan in artifact \`${artifact.name}\` of ${describeRun(run)} cannot be used: ${parsed.error.file}${where ? ` (${where})` : ''}: ${parsed.error.message}`,
    };
  }
  return { status: 'found', run, artifact, entry: parsed.entry, plan: parsed.plan };
}

type Listed<T> = { list: T[] } | { unreadable: Unreadable };

async function findRuns(octokit: Octokit, input: PlanLookupInput): Promise<Listed<PlanRunRef>> {
  const { owner, repo } = input;
  try {
    // The run a workflow_run event names decides when it is a run of the configured
    // workflow; without a workflow file, any run of the head SHA may hold the plan.
    if (input.run && input.workflow) {
      const { data } = await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: input.run.id, request: signalOf(input) });
      const run = toRun(data);
      if (workflowFile(run.path) === input.workflow) return { list: [run] };
      return findRuns(octokit, { ...input, run: undefined });
    }
    const { data } = input.workflow
      ? await octokit.rest.actions.listWorkflowRuns({ owner, repo, workflow_id: input.workflow, head_sha: input.headSha, per_page: 100, request: signalOf(input) })
      : await octokit.rest.actions.listWorkflowRunsForRepo({ owner, repo, head_sha: input.headSha, per_page: 100, request: signalOf(input) });
    const runs = data.workflow_runs.map(toRun).filter((r) => r.headSha === input.headSha);
    // Newest first: a re-run or a new push of the same SHA wins over an older run.
    runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
    return { list: runs };
  } catch (error) {
    input.signal?.throwIfAborted();
    const api = input.run && input.workflow
      ? 'actions:GET /repos/{owner}/{repo}/actions/runs/{run_id}'
      : input.workflow
        ? 'actions:GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs'
        : 'actions:GET /repos/{owner}/{repo}/actions/runs';
    if (input.workflow && (error as { status?: number }).status === 404 && !input.run) {
      return {
        unreadable: {
          api,
          code: 'HTTP 404',
          message: `GitHub does not know the workflow \`${input.workflow}\` (check \`plan.workflow\`: a file name in .github/workflows), or the app lacks the "Actions: read" permission`,
          retryable: false,
        },
      };
    }
    return { unreadable: gitHubUnreadable(api, error) };
  }
}

async function listArtifacts(octokit: Octokit, input: PlanLookupInput, run: PlanRunRef): Promise<Listed<PlanArtifactRef>> {
  try {
    const { data } = await octokit.rest.actions.listWorkflowRunArtifacts({
      owner: input.owner,
      repo: input.repo,
      run_id: run.id,
      per_page: 100,
      request: signalOf(input),
    });
    return {
      list: data.artifacts
        // An artifact of another head (GitHub links an artifact to the run's head) is not this plan.
        .filter((a) => !a.workflow_run?.head_sha || a.workflow_run.head_sha === input.headSha)
        .map((a) => ({
          id: a.id,
          name: a.name,
          sizeInBytes: a.size_in_bytes,
          expired: a.expired,
          ...(a.created_at ? { createdAt: a.created_at } : {}),
          ...(a.expires_at ? { expiresAt: a.expires_at } : {}),
        })),
    };
  } catch (error) {
    input.signal?.throwIfAborted();
    return { unreadable: gitHubUnreadable('actions:GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts', error) };
  }
}

interface RunData {
  id: number;
  name?: string | null;
  path?: string;
  html_url: string;
  head_sha: string;
  status: string | null;
  conclusion: string | null;
  run_attempt?: number;
  created_at: string;
  updated_at?: string;
}

function toRun(data: RunData): PlanRunRef {
  return {
    id: data.id,
    name: data.name ?? workflowFile(data.path) ?? `run ${data.id}`,
    ...(data.path ? { path: data.path } : {}),
    htmlUrl: data.html_url,
    headSha: data.head_sha,
    status: data.status ?? 'unknown',
    conclusion: data.conclusion,
    ...(data.run_attempt !== undefined ? { runAttempt: data.run_attempt } : {}),
    createdAt: data.created_at,
    ...(data.updated_at ? { updatedAt: data.updated_at } : {}),
  };
}

/** `.github/workflows/terraform-plan.yml` (or `...yml@refs/heads/main` for reusable runs) -> `terraform-plan.yml`. */
function workflowFile(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const file = path.split('@')[0]!;
  return file.slice(file.lastIndexOf('/') + 1);
}

function signalOf(input: PlanLookupInput): { signal?: AbortSignal } {
  return input.signal ? { signal: input.signal } : {};
}

function describeAwaited(input: PlanLookupInput): string {
  return input.workflow ? `\`${input.workflow}\` (artifact \`${input.artifact}\`)` : `artifact \`${input.artifact}\``;
}

export function describeRun(run: PlanRunRef): string {
  const attempt = run.runAttempt && run.runAttempt > 1 ? `, attempt ${run.runAttempt}` : '';
  return `workflow "${run.name}" run ${run.id}${attempt}`;
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

