// Step 6, report: RunResult -> comment markdown, check-run output and annotations. Pure
// apart from reading templates/ once. When the comment or summary would pass GitHub's
// limit, detail is dropped level by level and everything re-rendered; the verdict and
// the blocking headlines go last, and a note points at the check run.
import type { Report, RunResult } from '../types.js';
import { buildAnnotations } from './build-annotations.js';
import { buildCheckText } from './build-check-text.js';
import { metaFields } from './comment-meta.js';
import { codeSpan } from './escape-markdown.js';
import { bodySize, COMMENT_CHARS, fitsIn, MAX_BODY_CHARS } from './limits.js';
import { render } from './read-templates.js';
import type { LinkContext } from './render-finding.js';
import { renderTarget, type DetailLevel } from './render-target.js';
import { CONCLUSION_ICON } from './rule-text.js';
import { renderConfigError } from './render-config-error.js';
import { renderAuthorship } from './render-authorship.js';
import { checkTitle, headline } from './render-headline.js';

export { parseCommentMeta, SUMMARY_MARKER, type CommentMeta } from './comment-meta.js';
export { COMMENT_CHARS, MAX_BODY_CHARS } from './limits.js';

export interface ReportOptions {
  /** Web URL of the GitHub server, for file links; `https://github.com` unless GitHub Enterprise. */
  serverUrl?: string;
}

const ALL = ['block', 'warn', 'info'] as const;
const EVERY = { block: Infinity, warn: Infinity, info: Infinity };

/** From everything to less; buildReport takes the first that fits, then lists fewer findings. */
const DETAIL_LEVELS: DetailLevel[] = [
  { evidence: ALL, max: EVERY, messageChars: 1_000 },
  { evidence: ['block'], max: EVERY, messageChars: 300 },
  { evidence: [], max: EVERY, messageChars: 200 },
];

export function buildReport(run: RunResult, options: ReportOptions = {}): Report {
  const meta = metaFields(run.headSha, run.updatedAt);
  const link: LinkContext = {
    serverUrl: options.serverUrl ?? 'https://github.com',
    owner: run.repo.owner,
    repo: run.repo.name,
    headSha: meta.headSha,
  };
  const limit = MAX_BODY_CHARS.toLocaleString('en-US');
  const compose = (detail: DetailLevel, truncated: boolean) => {
    const body = renderBody(run, detail, link);
    const comment = tidy(
      render('comment', {
        headSha: meta.headSha,
        updatedAtIso: meta.updatedAt,
        icon: CONCLUSION_ICON[run.conclusion],
        headline: headline(run),
        body,
        truncated,
        limit,
        shortSha: codeSpan(meta.headSha.slice(0, 7) || 'unknown'),
      }),
    );
    const summary = tidy(render('check-summary', { body, truncated, limit }));
    return { comment, summary, fits: fitsIn(comment, COMMENT_CHARS) && fitsIn(summary, MAX_BODY_CHARS) };
  };

  let truncated = false;
  let out = compose(DETAIL_LEVELS[0]!, false);
  for (const detail of DETAIL_LEVELS.slice(1)) {
    if (out.fits) break;
    truncated = true;
    out = compose(detail, true);
  }
  // Still too long: list fewer information findings, then fewer warnings, then fewer
  // blocking headlines (the rest are counted), each as many as still fit.
  let detail = DETAIL_LEVELS[DETAIL_LEVELS.length - 1]!;
  for (const severity of ['info', 'warn', 'block'] as const) {
    if (out.fits) break;
    const most = Math.max(0, ...run.targets.map((t) => t.findings.filter((f) => f.severity === severity).length));
    const base = detail;
    const best = largestFitting(most, (n) => compose({ ...base, max: { ...base.max, [severity]: n } }, true));
    detail = { ...base, max: { ...base.max, [severity]: best.n } };
    out = best.out;
  }

  return {
    comment: clamp(out.comment, COMMENT_CHARS),
    check: {
      title: checkTitle(run),
      summary: clamp(out.summary, MAX_BODY_CHARS),
      ...(truncated ? { text: buildCheckText(run) } : {}),
      annotations: buildAnnotations(run),
    },
  };
}

/** Binary search for the largest n in [0, most] whose output fits; n = 0 when none does. */
function largestFitting<T extends { fits: boolean }>(most: number, make: (n: number) => T): { n: number; out: T } {
  let best = { n: 0, out: make(0) };
  if (!best.out.fits) return best;
  let tooMany = most + 1;
  while (tooMany - best.n > 1) {
    const mid = Math.floor((best.n + tooMany) / 2);
    const out = make(mid);
    if (out.fits) best = { n: mid, out };
    else tooMany = mid;
  }
  return best;
}

function renderBody(run: RunResult, detail: DetailLevel, link: LinkContext): string {
  const problems = run.configProblems ?? [];
  return render('run', {
    configError: problems.length ? renderConfigError(run) : '',
    authorship: renderAuthorship(run),
    noTargets: problems.length === 0 && run.targets.length === 0,
    targets: run.targets.map((t) => renderTarget(t, detail, { link })),
  });
}

/** Templates may leave runs of blank lines where optional parts were empty. */
function tidy(markdown: string): string {
  return `${markdown.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

/** Last resort (thousands of targets): cut at a line end; the verdict is at the top. */
function clamp(markdown: string, limit: number): string {
  if (fitsIn(markdown, limit)) return markdown;
  const note = '\n\n…cut to fit GitHub\'s size limit; see the check run.\n';
  // Characters take up to 4 bytes: cut at a line end a quarter of the way in, then grow.
  let end = markdown.lastIndexOf('\n', Math.floor((limit - bodySize(note)) / 4));
  for (let next = markdown.indexOf('\n', end + 1); next !== -1 && fitsIn(markdown.slice(0, next) + note, limit); next = markdown.indexOf('\n', next + 1)) end = next;
  return markdown.slice(0, Math.max(0, end)) + note;
}
