// Ignore rules drop expected drift before the rules run; every dropped difference is
// returned so the report counts it. Nothing is ignored silently.
//
// What an ignore rule may cover (DESIGN.md: "drift the team expects; counted, never hidden"):
// - drift on a resource the pull request does not update (drift elsewhere): ignored;
// - drift on a property of an updated resource that the pull request does NOT edit (what
//   `revert` reports): ignored, and marked `reverted`, because the rule says the team
//   expects that value to move outside the template (an autoscaled DesiredCount) and
//   resetting it on deploy is what every deploy of that resource already does; the
//   comment lists it among the ignored drift with "deploying resets it", so it is not hidden;
// - drift on a property the pull request itself edits (what `conflict` reports): NEVER
//   ignored. The rule describes drift the team expects to leave alone; a pull request that
//   writes a new value over a live one the team never saw is the very thing realitycheck
//   exists to show, whatever the rule says.
import type { IgnoreRule } from '../config-types.js';
import type { IgnoredDrift, LiveResource, ResourceChange } from '../types.js';
import { updatesResource } from './updates-resource.js';
import { isUnder } from './values.js';

/**
 * Glob to anchored regex: `*` matches within one dot-separated segment, `**` across dots.
 * Every other character is literal (`AWS::SQS::*` matches `AWS::SQS::Queue`).
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (char === '*') {
      source += '[^.]*';
    } else {
      source += char.replace(/[\\^$.|?+()[\]{}]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

const INSTANCE_KEY = /\[(?:\d+|"(?:[^"\\]|\\.)*")\]/g;

/**
 * `true` when every field the rule gives matches. A property pattern matches the path
 * itself or any ancestor of it: `Tags` covers `Tags.3.Value`.
 */
export function matchesIgnoreRule(rule: IgnoreRule, resource: Pick<LiveResource, 'logicalId' | 'type'>, path: string): boolean {
  if (rule.resource !== undefined) {
    // A Terraform instance (`aws_sqs_queue.jobs[0]`, `module.q["a"].aws_sqs_queue.jobs`) also
    // matches by its resource address, which is what people write; logical ids have no brackets.
    const pattern = globToRegExp(rule.resource);
    const resourceAddress = resource.logicalId.replace(INSTANCE_KEY, '');
    if (!pattern.test(resource.logicalId) && !pattern.test(resourceAddress)) return false;
  }
  if (rule.type !== undefined && !globToRegExp(rule.type).test(resource.type)) return false;
  if (rule.property !== undefined) {
    const segments = path.split('.');
    const pattern = globToRegExp(rule.property);
    return segments.some((_, i) => pattern.test(segments.slice(0, i + 1).join('.')));
  }
  return true;
}

export interface IgnoreOutcome {
  /** Live resources with ignored differences removed; MODIFIED becomes IN_SYNC when nothing is left. */
  resources: LiveResource[];
  ignored: IgnoredDrift[];
}

/**
 * Rules act on property differences only. A DELETED resource is never ignored: a deploy
 * that touches it fails whatever the team expects, and for untouched resources the
 * finding is only informational. A difference under a property the pull request edits is
 * never ignored (see the top of this file).
 */
export function applyIgnoreRules(resources: LiveResource[], rules: IgnoreRule[], changes: readonly ResourceChange[] = []): IgnoreOutcome {
  const updated = new Map(changes.filter(updatesResource).map((change) => [change.logicalId, change]));
  const ignored: IgnoredDrift[] = [];
  const kept = resources.map((resource): LiveResource => {
    const change = updated.get(resource.logicalId);
    const differences = resource.differences.filter((difference) => {
      if (change?.changedProperties.some((property) => isUnder(difference.path, property))) return true;
      const rule = rules.find((r) => matchesIgnoreRule(r, resource, difference.path));
      if (rule) ignored.push({ resource: resource.logicalId, path: difference.path, reason: rule.reason, ...(change ? { reverted: true as const } : {}) });
      return rule === undefined;
    });
    // MODIFIED with nothing left (all ignored, or all shown equal by normalization) is in sync.
    // MODIFIED with no differences at all stays drifted: AWS said so without saying where.
    const explained = differences.length < resource.differences.length || resource.normalizedAway > 0;
    if (resource.status === 'MODIFIED' && differences.length === 0 && explained) {
      return { ...resource, status: 'IN_SYNC', differences };
    }
    return differences.length === resource.differences.length ? resource : { ...resource, differences };
  });
  return { resources: kept, ignored };
}
