// The references check's I/O: the references in the added lines and whether they are
// checked for this pull request (`references.enabled` and AI authorship), then the names the
// configured targets declare at the head, and the live answers. Analysis is pure
// (references/compute-reference-result.ts).
import { detectAiAuthorship, type Authorship } from '../analyze/ai-authorship.js';
import type { TargetAnalysis } from '../analyze/analyze-target.js';
import type { Config } from '../config.js';
import type { Target } from '../config-types.js';
import { listCommits } from '../github/list-commits.js';
import type { Octokit } from '../github/octokit.js';
import type { PullRequestRef } from '../github/pull-request.js';
import type { ChangedFile } from '../github/read-files.js';
import { computeReferenceAnalysis, resolveReferences } from '../references/compute-reference-result.js';
import { findReferences, type FoundReferences } from '../references/find-references.js';
import { readDeclaredNames } from '../references/read-declared-names.js';
import { ReferenceSource } from '../references/read-live-references.js';
import type { Run } from './open-run.js';

/**
 * AI authorship read in full (the commits too, when the pull request itself says nothing):
 * with `references.enabled: ai` it decides whether anything is looked up at all.
 */
export async function readFullAuthorship(octokit: Octokit, pr: PullRequestRef, config: Pick<Config, 'ai'>): Promise<Authorship> {
  const input = { author: pr.author, authorType: pr.authorType, headRef: pr.headRef, labels: pr.labels, body: pr.body, commits: [] };
  const cheap = detectAiAuthorship(input, config.ai);
  if (cheap.aiAuthored) return cheap;
  const commits = await listCommits(octokit, { owner: pr.owner, repo: pr.repo }, pr.number);
  return detectAiAuthorship({ ...input, commits }, config.ai);
}

/** Whether references are checked for this pull request: `all`, or `ai` and AI-authored. */
export function referencesOn(config: Pick<Config, 'references'>, authorship: Authorship | undefined): boolean {
  const enabled = config.references.enabled;
  return enabled === 'all' || (enabled === 'ai' && authorship?.aiAuthored === true);
}

export interface ReferenceScope {
  found: FoundReferences;
  /** Read in full (commits included when nothing else marks the pull request). */
  authorship: Authorship;
  /** References are checked for this pull request. */
  on: boolean;
}

/**
 * The references in the added lines (pure, no call), and when there are any (or lines that
 * could not be read), whether they are checked for this pull request. A pull request whose
 * added lines name nothing costs no GitHub call here; `undefined` then, or with `off`.
 */
export async function readReferenceScope(
  octokit: Octokit,
  pr: PullRequestRef,
  config: Pick<Config, 'references' | 'ai'>,
  changed: readonly ChangedFile[],
  cutShort?: { listed: number; total: number },
): Promise<ReferenceScope | undefined> {
  if (config.references.enabled === 'off') return undefined;
  const found = findReferences(changed.map((c) => ({ path: c.path, status: c.status, ...(c.patch !== undefined ? { patch: c.patch } : {}) })));
  if (cutShort) {
    const left = cutShort.total - cutShort.listed;
    found.limits.cut.push({ file: `${left} files past GitHub's list`, why: `GitHub listed ${cutShort.listed} of the pull request's ${cutShort.total} files (it lists 3,000 at most), so the added lines of the other ${left} were not read` });
  }
  if (found.references.length === 0 && found.limits.cut.length === 0) return undefined;
  const authorship = await readFullAuthorship(octokit, pr, config);
  return { found, authorship, on: referencesOn(config, authorship) };
}

/** The references check as one more target: declared names at the head, live look-ups, findings. */
export async function readReferences(
  run: Run,
  input: { config: Pick<Config, 'references' | 'policy'>; targets: readonly Target[]; found: FoundReferences; aiAuthored: boolean },
): Promise<TargetAnalysis> {
  const { octokit, providers } = run.deps;
  const readAt = new Date().toISOString();
  const { found } = input;
  const declared = found.references.length > 0 ? await readDeclaredNames(octokit, run.pr, input.targets) : { names: [], problems: [] };
  run.signal.throwIfAborted();
  const source = providers.references ?? new ReferenceSource(); // an app built without one: answers cached for this run only
  const { references: settings, policy } = input.config;
  const report = await source.lookUp(
    found.references.map((r) => ({ type: r.type, name: r.name, text: r.text, ...(r.account ? { account: r.account } : {}), ...(r.region ? { region: r.region } : {}) })),
    { maxLookups: settings.maxLookups, maxAgeMs: policy.maxDriftAge, accounts: settings.accounts, signal: run.signal },
  );
  return computeReferenceAnalysis({
    resolved: resolveReferences(found.references, declared.names, found.addedLines, report.answers),
    aiAuthored: input.aiAuthored,
    lookups: report.lookups,
    skipped: report.skipped,
    maxLookups: settings.maxLookups,
    declaredProblems: declared.problems,
    limits: found.limits,
    readAt,
  });
}
