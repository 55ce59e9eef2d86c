// A run that waits for Terraform plans: its check run stays in progress and says which plan
// from which workflow it waits for. The plan's workflow_run event starts the next run; when
// none comes within the target's `plan.timeout`, a last run concludes without it (app.ts).
import { markCheckRunWaiting } from '../github/publish-check-run.js';
import { escapeText } from '../report/escape-markdown.js';
import type { PlanWait } from '../read-terraform.js';
import type { CheckRunSlot } from './open-check-run.js';
import type { Run } from './open-run.js';
import type { RunOutcome } from './types.js';

export async function publishWaiting(run: Run, slot: CheckRunSlot | undefined, waits: PlanWait[]): Promise<RunOutcome> {
  const lines = waits.map((w) => `- **${escapeText(w.target)}**: ${escapeText(w.message)}`);
  const output = {
    title: waits.length === 1 ? 'Waiting for the Terraform plan' : `Waiting for ${waits.length} Terraform plans`,
    summary: `realitycheck reads live state for Terraform from the plan this pull request's workflow uploads, and concludes once it arrives.\n\n${lines.join('\n')}`,
  };
  // A check run already in progress (this one, or the commit's, when reusing) is updated; a
  // completed one on this commit is left as it is until the plan decides.
  const runId = slot?.runId ?? (slot?.existing && slot.existing.digest === undefined ? slot.existing.id : undefined);
  if (runId !== undefined || !slot?.existing) await markCheckRunWaiting(run.deps.octokit, run.repo, run.pr.headSha, runId, output);
  run.deps.log.info({ key: run.key, headSha: run.pr.headSha, waits: waits.map((w) => w.target) }, 'waiting for Terraform plans');
  // One wait per head: until the longest `plan.timeout` of the targets still waiting, so no
  // target's wait ends before its own timeout (a shorter one just concludes a little later).
  return { status: 'waiting', wait: { headSha: run.pr.headSha, waitMs: Math.max(...waits.map((w) => w.waitMs)) } };
}
