// unreadable: live state that could not be read, said plainly, never turned into "no drift".
// The default severity is warn; the verdict applies `policy.unreadable`.
import type { Finding, ParseError, Unreadable } from '../../types.js';
import { type RuleContext, stackFinding } from '../context.js';

const ACCESS_DENIED = /AccessDenied|Unauthorized|Forbidden/i;

/** One failed read in a sentence: the call, the code, AWS's message and what to do. */
export function describeUnreadable(entry: Unreadable): string {
  const detail = entry.message ? `: ${entry.message.trim().replace(/\.$/, '')}` : '';
  const hint = ACCESS_DENIED.test(entry.code)
    ? ` Allow ${entry.api} for the role realitycheck uses.`
    : entry.retryable
      ? ' This may pass on a recheck.'
      : '';
  return `Could not read live state: ${entry.api} failed with ${entry.code}${detail}.${hint}`;
}

/** A deployed template that does not parse is live state that could not be read. */
function deployedUnreadable(error: ParseError): Unreadable {
  return {
    api: 'cloudformation:GetTemplate',
    code: 'UnparseableTemplate',
    message: `the deployed template could not be parsed (${error.message}), so it was not compared with the base branch`,
    retryable: false,
  };
}

export function unreadableFindings(ctx: RuleContext): Finding[] {
  const { live, deployedError } = ctx.input;
  const entries = [...live.unreadable, ...(deployedError ? [deployedUnreadable(deployedError)] : [])];
  const findings = entries.map((entry) => stackFinding(ctx, { rule: 'unreadable', severity: 'warn', message: describeUnreadable(entry) }));
  if (!live.drift && entries.length === 0) {
    const message = `Drift was not read for ${ctx.stackName}, so nothing here says the resources match what runs.`;
    findings.push(stackFinding(ctx, { rule: 'unreadable', severity: 'warn', message }));
  }
  if (live.drift && live.drift.status !== 'DETECTION_COMPLETE') {
    const reason = live.drift.statusReason ? ` (${live.drift.statusReason})` : '';
    const message = `Drift detection for ${ctx.stackName} ended ${live.drift.status}${reason}: the resources it could not check are counted as not checked.`;
    findings.push(stackFinding(ctx, { rule: 'unreadable', severity: 'warn', message }));
  }
  return findings;
}
