// One run for one pull request at one head SHA:
// 1 scope → 2 declared → 3 live → 4 analyze → 5 verdict → 6 report → 7 publish.
import { CONFIG_PATH, parseConfig, type Config, type Target } from './config.js';
import { scopeTargets } from './scope.js';
import { checkTarget, type CheckedTarget } from './check-target.js';
import { detectAiAuthorship, type Authorship } from './analyze/ai-authorship.js';
import { applyPolicy, computeConclusion } from './analyze/verdict.js';
import { listCommits } from './github/list-commits.js';
import { buildReport } from './report/build-report.js';
import { changedPaths, listChangedFiles } from './github/read-files.js';
import { completeCheckRun, findCheckRun, publishCheckRun, startCheckRun, type CheckOutcome, type ExistingCheck } from './github/publish-check-run.js';
import { upsertSummaryComment, type UpsertOutcome } from './github/upsert-summary-comment.js';
import { SupersededError, throwIfSuperseded } from './queue/queue.js';
import { readAppId, type Octokit } from './github/octokit.js';
import type { PullRequestRef } from './github/pull-request.js';
import type { LiveProviders } from './live/registry.js';
import type { Conclusion, ConfigProblemReport, RunResult, TargetResult } from './types.js';
import { timed, type PhaseListener } from './phase-timer.js';

export interface PipelineDeps {
  octokit: Octokit;
  /** Reads `.github/realitycheck.yml` from the default branch (Probot's `context.config`); `null` when absent. */
  loadConfig: () => Promise<unknown>;
  providers: LiveProviders;
  log: Logger;
  /** Web URL of the GitHub server for file links (GitHub Enterprise: from GHE_HOST). */
  serverUrl?: string;
  /** Told how long each phase took (benchmark). */
  onPhase?: PhaseListener;
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RunOptions {
  /** Start a fresh drift detection whatever the age of the last one (`/realitycheck recheck`). */
  forceDetection?: boolean;
  /**
   * The commit may already have been checked (reopened, ready for review, a redelivery):
   * look its check run up first, and write no check run when this one would say the same.
   * Off for a new push (no check run can exist yet) and for a re-check someone asked for.
   */
  reuseCheck?: boolean;
  signal: AbortSignal;
}

export type RunStatus = 'no-config' | 'config-error' | 'untouched' | 'checked' | 'superseded' | 'failed';

export interface RunOutcome {
  status: RunStatus;
  conclusion?: Conclusion;
  comment?: UpsertOutcome;
}

export async function runPipeline(deps: PipelineDeps, pr: PullRequestRef, options: RunOptions): Promise<RunOutcome> {
  const { octokit, log } = deps;
  const repo = { owner: pr.owner, repo: pr.repo };
  const key = `${pr.owner}/${pr.repo}#${pr.number}`;
  const order = { updatedAt: pr.updatedAt, headSha: pr.headSha };

  const phase = deps.onPhase;
  const appId = await readAppId(octokit);
  const ours = appId !== undefined ? { appId } : {};
  // A completed check run written at once (no run in progress): skipped when this commit
  // already has one saying the same (see RunOptions.reuseCheck).
  const publishAtOnce = async (outcome: CheckOutcome) => {
    const existing = options.reuseCheck ? await findCheckRun(octokit, repo, pr.headSha, appId) : undefined;
    await publishCheckRun(octokit, repo, pr.headSha, outcome, existing ? { existing } : {});
  };
  const loaded = await timed(phase, 'config', () => loadConfig(deps));
  if (loaded.kind === 'absent') return { status: 'no-config' };
  if (loaded.kind === 'invalid') {
    const run = runResult(pr, 'neutral', [], loaded.problems);
    await publishAtOnce({ conclusion: 'neutral', check: buildReport(run, deps).check });
    return { status: 'config-error', conclusion: 'neutral' };
  }
  const { config, targets } = loaded;

  // 1. scope
  const changed = await timed(phase, 'scope', () => listChangedFiles(octokit, repo, pr.number));
  const touched = scopeTargets(targets, changedPaths(changed));
  // GitHub lists at most 3,000 files: a template among the rest cannot be ruled out.
  const listedOf = pr.changedFiles ?? changed.length;
  const cutShort = changed.length < listedOf;
  if (touched.length === 0 && cutShort) {
    const check = {
      title: 'Too many files to check',
      summary: `This pull request changes ${listedOf.toLocaleString('en-US')} files and GitHub lists only ${changed.length.toLocaleString('en-US')} of them, none a configured template, so realitycheck cannot tell whether it touches infrastructure. Nothing was verified.`,
      annotations: [],
    };
    await publishAtOnce({ conclusion: 'neutral', check });
    return { status: 'untouched', conclusion: 'neutral' };
  }
  if (touched.length === 0) {
    const report = buildReport(runResult(pr, 'success', []), deps);
    await publishAtOnce({ conclusion: 'success', check: report.check });
    const comment = await upsertSummaryComment(octokit, repo, pr.number, report.comment, order, { createIfMissing: false, ...ours });
    return { status: 'untouched', conclusion: 'success', comment };
  }

  // The check run shows `in_progress` at once, unless this commit already has one (then it
  // is replaced only if the result differs).
  const existing: ExistingCheck | undefined = options.reuseCheck ? await findCheckRun(octokit, repo, pr.headSha, appId) : undefined;
  const checkRunId = existing ? undefined : await startCheckRun(octokit, repo, pr.headSha);
  const previousCheck = checkRunId !== undefined ? { runId: checkRunId } : { ...(existing ? { existing } : {}) };
  let known: Conclusion | undefined;
  try {
    // 2–4 for each target: declared, live, analyze
    const checked: CheckedTarget[] = [];
    for (const target of touched) {
      throwIfSuperseded(options.signal, key);
      checked.push(await checkTarget({ octokit, providers: deps.providers, log, ...(phase ? { onPhase: phase } : {}) }, pr, target, changed, config, options));
    }
    if (cutShort && touched.length < targets.length) {
      checked[0]!.result.findings.push({
        rule: 'unreadable',
        severity: 'warn',
        target: checked[0]!.result.target.name,
        message: `GitHub lists only ${changed.length.toLocaleString('en-US')} of the ${listedOf.toLocaleString('en-US')} files this pull request changes, so other configured targets (${targets
          .filter((t) => !touched.includes(t))
          .map((t) => t.name)
          .join(', ')}) may be changed too and were not checked.`,
        evidence: [],
      });
      checked[0]!.liveRead = false;
    }
    throwIfSuperseded(options.signal, key);

    // 5. verdict: the repository's policy, stricter for AI-authored pull requests
    const authorship = await timed(phase, 'verdict', () => judgeAuthorship(deps, pr, config, checked));
    const aiStrict = config.policy.ai === 'strict' && authorship.aiAuthored;
    const results: TargetResult[] = await timed(phase, 'verdict', () =>
      checked.map(({ result, liveRead }) => {
        const findings = applyPolicy(result.findings, { unreadable: config.policy.unreadable, aiStrict });
        return { ...result, findings, conclusion: computeConclusion(findings, liveRead) };
      }),
    );
    throwIfSuperseded(options.signal, key);

    // 6. report, 7. publish
    const conclusion = worst(results.map((r) => r.conclusion));
    known = conclusion;
    const run = runResult(pr, conclusion, results);
    if (authorship.aiAuthored) run.authorship = { policy: config.policy.ai, signals: authorship.signals };
    const report = await timed(phase, 'report', () => buildReport(run, deps));
    const comment = await timed(phase, 'publish', async () => {
      // The check run first: it carries the verdict that can block the merge, so a failure
      // to write the comment cannot soften it.
      await publishCheckRun(octokit, repo, pr.headSha, { conclusion, check: report.check }, previousCheck);
      try {
        return await upsertSummaryComment(octokit, repo, pr.number, report.comment, order, { createIfMissing: true, ...ours });
      } catch (error) {
        log.error({ key, err: error }, 'the check run is published, but the summary comment could not be written');
        return 'failed' as const;
      }
    });
    log.info({ key, headSha: pr.headSha, conclusion, comment }, 'reality check published');
    return { status: 'checked', conclusion, comment };
  } catch (error) {
    if (error instanceof SupersededError) {
      if (checkRunId === undefined) return { status: 'superseded' };
      await completeCheckRun(octokit, repo, pr.headSha, checkRunId, {
        conclusion: 'neutral',
        check: { title: 'Superseded', summary: 'A newer run for this pull request replaced this one.', annotations: [] },
      }).catch((e: unknown) => log.warn({ key, err: e }, 'could not close the superseded check run'));
      return { status: 'superseded' };
    }
    // Our own failure (a GitHub error, a bug): never a success. Treated like unreadable live
    // state, and never milder than a verdict already reached.
    const conclusion = worst([known ?? 'success', config.policy.unreadable === 'block' ? 'failure' : 'neutral']);
    log.error({ key, err: error }, 'reality check failed');
    await completeCheckRun(octokit, repo, pr.headSha, checkRunId, {
      conclusion,
      check: {
        title: 'realitycheck could not finish',
        summary: `realitycheck could not finish checking this pull request, so nothing was verified.\n\n${fenced(String((error as Error)?.message ?? error).slice(0, 2000))}\n\nComment \`/realitycheck recheck\` to try again.`,
        annotations: [],
      },
    }).catch((e: unknown) => log.error({ key, err: e }, 'could not report the failure on the check run'));
    return { status: 'failed', conclusion };
  }
}

/**
 * AI authorship from the author, branch, labels and description; the commits (one more
 * GitHub call) are read only when they could change the verdict: under `policy.ai: strict`,
 * when nothing blocks yet and something is below block (a warning, a note, live state not
 * fully read). A pull request that already fails cannot fail harder.
 */
async function judgeAuthorship(deps: PipelineDeps, pr: PullRequestRef, config: Config, checked: CheckedTarget[]): Promise<Authorship> {
  const input = { author: pr.author, authorType: pr.authorType, headRef: pr.headRef, labels: pr.labels, body: pr.body, commits: [] };
  const cheap = detectAiAuthorship(input, config.ai);
  if (cheap.aiAuthored || config.policy.ai === 'same') return cheap;
  const findings = checked.flatMap((c) => c.result.findings);
  const alreadyBlocked = findings.some((f) => f.severity === 'block' || (f.rule === 'unreadable' && f.severity !== 'info' && config.policy.unreadable === 'block'));
  const couldChange = !alreadyBlocked && (checked.some((c) => !c.liveRead) || findings.length > 0);
  if (!couldChange) return cheap;
  const commits = await listCommits(deps.octokit, { owner: pr.owner, repo: pr.repo }, pr.number);
  return detectAiAuthorship({ ...input, commits }, config.ai);
}

type LoadedConfig =
  | { kind: 'absent' }
  | { kind: 'invalid'; problems: ConfigProblemReport[] }
  | { kind: 'valid'; config: Config; targets: Target[] };

async function loadConfig(deps: PipelineDeps): Promise<LoadedConfig> {
  let raw: unknown;
  try {
    raw = await deps.loadConfig();
  } catch (error) {
    // A file that does not parse is the user's to fix; anything else (GitHub down) is not a config problem.
    if (!isConfigParseError(error)) throw error;
    return { kind: 'invalid', problems: [{ file: CONFIG_PATH, key: '', message: describeConfigReadError(error) }] };
  }
  if (raw === null || raw === undefined) return { kind: 'absent' };
  const parsed = parseConfig(raw);
  if (!parsed.ok) return { kind: 'invalid', problems: parsed.problems.map((p) => ({ file: CONFIG_PATH, ...p })) };
  return { kind: 'valid', config: parsed.config, targets: parsed.targets };
}

function isConfigParseError(error: unknown): boolean {
  return /could not be parsed|is either a directory/.test(String((error as Error)?.message));
}

/** Probot's config plugin wraps YAML errors; the cause carries the line. */
function describeConfigReadError(error: unknown): string {
  const cause = (error as { cause?: { message?: string; linePos?: Array<{ line: number; col: number }> } }).cause;
  const pos = cause?.linePos?.[0];
  if (cause?.message) return `${pos ? `line ${pos.line}: ` : ''}${cause.message.split('\n')[0]}`;
  const message = (error as Error)?.message ?? String(error);
  return message.replace(/^\[@probot\/octokit-plugin-config\]\s*/, '');
}

function runResult(pr: PullRequestRef, conclusion: Conclusion, targets: TargetResult[], configProblems?: ConfigProblemReport[]): RunResult {
  return {
    repo: { owner: pr.owner, name: pr.repo },
    pullNumber: pr.number,
    headSha: pr.headSha,
    conclusion,
    targets,
    ...(configProblems ? { configProblems } : {}),
    finishedAt: new Date().toISOString(),
    updatedAt: pr.updatedAt,
  };
}

/** A code block no backtick run in `text` can close. */
function fenced(text: string): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text}\n${fence}`;
}

const RANK: Record<Conclusion, number> = { success: 0, neutral: 1, failure: 2 };

export function worst(conclusions: Conclusion[]): Conclusion {
  return conclusions.reduce<Conclusion>((a, b) => (RANK[b] > RANK[a] ? b : a), 'success');
}
