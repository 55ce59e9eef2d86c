// AI authorship from the author, branch, labels and description; the commits (one more
// GitHub call) are read only when they could change the verdict.
import { detectAiAuthorship, type Authorship } from '../analyze/ai-authorship.js';
import type { TargetAnalysis } from '../analyze/analyze-target.js';
import { isUnread } from '../analyze/verdict.js';
import type { Config } from '../config.js';
import { listCommits } from '../github/list-commits.js';
import type { Octokit } from '../github/octokit.js';
import type { PullRequestRef } from '../github/pull-request.js';

/**
 * Under `policy.ai: strict`, the commits are read when nothing blocks yet and something is
 * below block (a warning, a note, live state not fully read), or may still come (`pending`:
 * a stack-wide drift detection still running). A pull request that already fails cannot
 * fail harder.
 */
export async function readAuthorship(octokit: Octokit, pr: PullRequestRef, config: Pick<Config, 'ai' | 'policy'>, analyses: TargetAnalysis[], pending = false): Promise<Authorship> {
  const input = { author: pr.author, authorType: pr.authorType, headRef: pr.headRef, labels: pr.labels, body: pr.body, commits: [] };
  const cheap = detectAiAuthorship(input, config.ai);
  if (cheap.aiAuthored || config.policy.ai === 'same') return cheap;
  const findings = analyses.flatMap((a) => a.result.findings);
  const alreadyBlocked = findings.some((f) => f.severity === 'block' || (isUnread(f) && config.policy.unreadable === 'block'));
  const couldChange = !alreadyBlocked && (pending || analyses.some((a) => !a.liveRead) || findings.length > 0);
  if (!couldChange) return cheap;
  const commits = await listCommits(octokit, { owner: pr.owner, repo: pr.repo }, pr.number);
  return detectAiAuthorship({ ...input, commits }, config.ai);
}
