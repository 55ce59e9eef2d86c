// Ignore rules drop expected drift before the rules run; every dropped difference is
// returned so the report counts it. Nothing is ignored silently.
import type { IgnoreRule } from '../config.js';
import type { IgnoredDrift, LiveResource } from '../types.js';

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

/**
 * `true` when every field the rule gives matches. A property pattern matches the path
 * itself or any ancestor of it: `Tags` covers `Tags.3.Value`.
 */
export function matchesIgnoreRule(rule: IgnoreRule, resource: Pick<LiveResource, 'logicalId' | 'type'>, path: string): boolean {
  if (rule.resource !== undefined && !globToRegExp(rule.resource).test(resource.logicalId)) return false;
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
 * finding is only informational.
 */
export function applyIgnoreRules(resources: LiveResource[], rules: IgnoreRule[]): IgnoreOutcome {
  const ignored: IgnoredDrift[] = [];
  const kept = resources.map((resource): LiveResource => {
    const differences = resource.differences.filter((difference) => {
      const rule = rules.find((r) => matchesIgnoreRule(r, resource, difference.path));
      if (rule) ignored.push({ resource: resource.logicalId, path: difference.path, reason: rule.reason });
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
