// Findings for the infrastructure that added lines name (src/references resolves each
// reference against the declared layer and live; this decides what that means). Pure.
//
// - absent live, and the pull request does not create it: `stale-reference`, blocking for an
//   AI-authored pull request (an agent wrote a name it read or invented, never one it saw
//   running), a warning for a person's;
// - absent live, and the pull request declares it: `stale-reference` as a note marked
//   `notDeployed` (deploy order matters; it stays a note under `policy.ai: strict`);
// - exists live, declared by no configured target: `unmanaged-reference`, a note;
// - exists live and declared: nothing to say (counted);
// - not looked up (no credentials for the account, AccessDenied, the `maxLookups` bound):
//   `unreadable`, which takes `policy.unreadable`, so it never passes as checked.
import type { CodeReference, LiveAnswer, ResolvedReference } from '../../references/types.js';
import type { Evidence, Finding, Severity } from '../../types.js';

export interface ReferenceRuleInput {
  /** The name findings are reported under. */
  target: string;
  resolved: readonly ResolvedReference[];
  aiAuthored: boolean;
  /** Distinct resources the `maxLookups` bound left unlooked-up, and the bound. */
  skipped: number;
  maxLookups: number;
}

export function referenceFindings(input: ReferenceRuleInput): Finding[] {
  const findings: Finding[] = [];
  for (const { reference, declared, createdByPullRequest, live } of input.resolved) {
    const at = { target: input.target, resource: reference.text, resourceType: typeLabel(reference), file: reference.file, span: { startLine: reference.line, endLine: reference.line } };
    const where = declared[0];
    const declaredBy = where ? `target ${where.target} declares it (${where.file}:${where.line})` : undefined;
    switch (live.kind) {
      case 'absent': {
        const looked = `${live.api} did not find it${place(live)} (${live.code})`;
        if (createdByPullRequest) {
          findings.push({
            ...at,
            rule: 'stale-reference',
            severity: 'info',
            notDeployed: true,
            message: `Not deployed yet: this pull request adds it (${declaredBy}), and ${looked}. Deploy the infrastructure before the code that uses it.`,
            evidence: evidence(live, reference, 'not found'),
            liveReadAt: live.readAt,
          });
          break;
        }
        const severity: Severity = input.aiAuthored ? 'block' : 'warn';
        const declaredNote = declaredBy ? ` ${capitalize(declaredBy)}, but it is not deployed.` : ' No configured target declares it, and this pull request does not create it.';
        findings.push({
          ...at,
          rule: 'stale-reference',
          severity,
          message: `Does not exist live: ${looked}.${declaredNote}`,
          evidence: evidence(live, reference, 'not found'),
          liveReadAt: live.readAt,
        });
        break;
      }
      case 'found':
        if (declared.length > 0) break;
        findings.push({
          ...at,
          rule: 'unmanaged-reference',
          severity: 'info',
          message: `Exists live (${live.api}${place(live)}), but no configured target declares it: it is managed outside the infrastructure code this app checks.`,
          evidence: evidence(live, reference, 'exists'),
          liveReadAt: live.readAt,
        });
        break;
      case 'not-checked':
        findings.push({
          ...at,
          rule: 'unreadable',
          severity: 'warn',
          message: `Not checked${place(live)}: ${live.api ? `${live.api} failed with ${live.code}: ` : ''}${live.reason}.`,
          evidence: [],
        });
        break;
      case 'skipped':
        break;
    }
  }
  if (input.skipped > 0) {
    const n = input.skipped;
    findings.push({
      rule: 'unreadable',
      severity: 'warn',
      target: input.target,
      message: `${n} referenced ${n === 1 ? 'resource was' : 'resources were'} not looked up: at most ${input.maxLookups} live look-ups are made per pull request (references.maxLookups), so ${n === 1 ? 'it is' : 'they are'} not checked.`,
      evidence: [],
    });
  }
  return findings;
}

function typeLabel(reference: CodeReference): string {
  return reference.type === 'export' ? 'stack export' : reference.type;
}

function place(live: Extract<LiveAnswer, { account?: string; region?: string }>): string {
  const parts = [live.account ? `account ${live.account}` : undefined, live.region].filter((p) => p !== undefined);
  return parts.length ? ` in ${parts.join(', ')}` : '';
}

/** What the pull request names and what the look-up answered, for the evidence table. */
function evidence(live: Extract<LiveAnswer, { kind: 'found' | 'absent' }>, reference: CodeReference, answer: string): Evidence[] {
  return [{ path: live.api, head: reference.text, live: `${answer}${live.kind === 'absent' ? ` (${live.code})` : ''}` }];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
