// conflict: the PR edits a property that was changed live, to a value other than live.
// revert: the PR edits a resource whose other properties were changed live; deploying
// writes the template over them.
// A PR that sets a property *to* its live value adopts live (a reconcile pull request, a
// person folding a hotfix in): that live change is neither a conflict nor reverted.
import type { DeclaredResource, Finding, PropertyDifference } from '../../types.js';
import { type RuleContext, driftEvidence, resourceFinding } from '../context.js';
import { sameValue } from '../../values/cloudformation-value.js';
import { formatValue, getPath, isRecord, isUnder, listWords } from '../values.js';
import { describeDrift } from './describe.js';
import { matchesIgnoreRule } from '../apply-ignore.js';
import { updatesResource } from '../updates-resource.js';

export function conflictAndRevertFindings(ctx: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const change of ctx.changes.values()) {
    const live = ctx.live.get(change.logicalId);
    if (!live || live.status !== 'MODIFIED' || !updatesResource(change)) continue;
    const id = change.logicalId;
    const claimed = new Set<string>();

    for (const property of [...change.changedProperties].sort()) {
      const under = live.differences.filter((d) => isUnder(d.path, property));
      under.forEach((d) => claimed.add(d.path));
      const differences = under.filter((d) => !adoptsLive(change.head, d));
      if (differences.length === 0) continue;
      const rows = differences.map((d) => driftEvidence(ctx, id, d));
      const single = rows.length === 1 ? rows[0]! : undefined;
      // The same text in base and head: the change comes through a parameter, mapping,
      // condition, Globals or Transform the pull request edits.
      const indirect = single !== undefined && !single.redacted && sameValue(single.base, single.head);
      const changes = indirect
        ? `what ${single.path} of ${id} resolves to (through a parameter, mapping, condition or Globals it edits)`
        : `${single?.path} of ${id} (${formatValue(single?.base)} -> ${formatValue(single?.head)})`;
      const message = single
        ? `This PR changes ${changes}, but it was changed live to ${formatValue(single.live)} (deployed template: ${formatValue(single.expected)}); deploying overwrites the live value.`
        : `This PR changes ${property} of ${id}, which was changed live: ${describeDrift(rows)}; deploying overwrites the live values.`;
      // An ignore rule that matches is overridden here (see apply-ignore.ts): say so, or the
      // team would wonder why its rule did not apply.
      const rule = ctx.input.ignore.find((r) => differences.some((d) => matchesIgnoreRule(r, live, d.path)));
      const overridden = rule ? ` The ignore rule for it ("${rule.reason}") does not apply to a property this pull request edits.` : '';
      findings.push(resourceFinding(ctx, { rule: 'conflict', severity: 'block', resource: id, property, message: message + overridden, evidence: rows }));
    }

    const others = live.differences.filter((d) => !claimed.has(d.path));
    if (others.length === 0 && live.differences.length > 0) continue;
    const rows = others.map((d) => driftEvidence(ctx, id, d));
    const what = rows.length > 0 ? `live changes to ${describeDrift(rows)}` : 'live changes (AWS did not list which properties)';
    const source = change.generatedBy;
    const message = source
      ? `This PR changes ${listWords(source.properties)} of ${source.logicalId}, from which SAM generates ${id} (${change.type}); deploying it writes ${id} over, reverting ${what}.`
      : `Deploying this change to ${id} reverts ${what}.`;
    findings.push(
      resourceFinding(ctx, {
        rule: 'revert',
        severity: 'block',
        resource: id,
        message,
        evidence: rows,
      }),
    );
  }
  return findings;
}

/**
 * The head declares the live value at the difference's path. `Key`/`Value` lists (Tags)
 * compare by `Key`, not by position: AWS numbers the live list its own way (`Tags.2`), and a
 * pull request that adds the live tag next to the others puts it where it fits.
 */
function adoptsLive(head: DeclaredResource | undefined, difference: PropertyDifference): boolean {
  if (!head || difference.kind === 'REMOVE') return false;
  const { path, actual } = difference;
  const declared = getPath(head.properties, path);
  if (sameValue(declared, actual) || sameEntries(declared, actual)) return true;
  const entry = /^(.*)\.\d+$/.exec(path);
  const list = entry ? getPath(head.properties, entry[1]!) : undefined;
  if (!Array.isArray(list) || !isRecord(actual) || typeof actual.Key !== 'string') return false;
  return list.some((item) => isRecord(item) && item.Key === actual.Key && sameValue(item, actual));
}

/** Two `Key`/`Value` lists holding the same entries in any order. */
function sameEntries(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((x) => isRecord(x) && typeof x.Key === 'string' && b.some((y) => isRecord(y) && y.Key === x.Key && sameValue(x, y)));
}
