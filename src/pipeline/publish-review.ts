// Step 7, after the check run and the summary comment: with `report.suggestions` on, one
// review whose comments sit on the diff's lines: a suggested change keeping the live value
// for each `revert`, the three values for each `conflict`. Our comments a later push made
// stale are deleted. A failure here is logged and changes nothing about the verdict.
import type { Config } from '../config.js';
import { readAppLogin } from '../github/read-app-login.js';
import { readFileAt, type ChangedFile } from '../github/read-files.js';
import { readGitBlob } from '../github/read-git-blob.js';
import { publishReviewComments } from '../github/publish-review-comments.js';
import { computeCommentableLines } from '../reconcile/compute-commentable-lines.js';
import { computeSuggestions, type ReviewFile } from '../reconcile/compute-suggestions.js';
import type { Editors } from '../reconcile/apply-plan.js';
import { EDITORS } from '../reconcile/editors.js';
import type { EditFormat } from '../reconcile/reconcile-plan.js';
import type { TargetResult } from '../types.js';
import type { Run } from './open-run.js';

export async function publishReview(run: Run, changed: readonly ChangedFile[], results: readonly TargetResult[], config: Pick<Config, 'report'>, editors: Editors = EDITORS): Promise<void> {
  if (!config.report.suggestions) return;
  const { octokit, log } = run.deps;
  try {
    const findings = results.flatMap((r) => r.findings).filter((f) => f.rule === 'revert' || f.rule === 'conflict');
    const paths = [...new Set(findings.map((f) => f.file).filter((f): f is string => f !== undefined))];
    const files = new Map<string, ReviewFile>();
    for (const path of paths) {
      const entry = changed.find((c) => c.path === path);
      const commentable = computeCommentableLines(entry?.patch);
      if (commentable.size === 0) continue; // not in the diff: nothing can be commented on
      // by its blob id when GitHub listed it: content-addressed, so the read the declared step made is reused
      const text = entry?.blobSha ? (await readGitBlob(octokit, run.repo, entry.blobSha, { requests: 0 })).toString('utf8') : await readFileAt(octokit, run.repo, path, run.pr.headSha);
      if (text !== undefined) files.set(path, { text, commentable, format: formatOf(path, text) });
    }
    const wanted = computeSuggestions(findings, files, editors);
    const botLogin = await readAppLogin(octokit);
    const outcome = await publishReviewComments(octokit, run.repo, { number: run.pr.number, headSha: run.pr.headSha }, wanted, botLogin);
    log.info({ key: run.key, ...outcome }, 'review comments published');
  } catch (error) {
    // the error's message only: an Octokit error carries its request, suggested lines included
    const status = (error as { status?: number }).status;
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    log.error({ key: run.key, error: status ? `${status}: ${message}` : message }, 'the check run and summary are published, but the review comments could not be written');
  }
}

function formatOf(path: string, text: string): EditFormat {
  if (/\.tf$/.test(path)) return 'hcl';
  if (/\.json$/.test(path) || text.trimStart().startsWith('{')) return 'json';
  return 'yaml';
}
