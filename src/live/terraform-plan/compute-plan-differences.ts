// Pure. The attribute paths where two Terraform object values differ (state vs real for
// drift, before vs after for a planned change), with the known noise normalized away first.
// Nothing is called a difference when it is one of these (each counted in `normalizedAway`):
//
// 1. Empty vs absent: null, a missing key, "", [] and {} are the same. The AWS provider
//    reads many optional attributes back as "" or [] where the state holds null (and the
//    other way round), so a plain refresh shows them as changed.
// 2. Number vs numeric string, boolean vs "true"/"false": the same value. Map attributes
//    (tags, environment variables) are map(string) in the schema, so `30` in one source and
//    `"30"` in another compare equal (the rules of live/normalize-drift `sameDriftValue`).
// 3. JSON text: a string holding a JSON object or list (IAM `policy`, `assume_role_policy`,
//    `redrive_policy`, container definitions) is compared as parsed JSON, so key order and
//    whitespace do not matter; IAM policies as policies (Statement, Action and Resource
//    lists unordered, one item vs a list of one). AWS returns policies re-serialized (IAM
//    URL-decodes and reorders them); the AWS provider keeps the state's text when the two
//    are equivalent for most policy attributes, but not every resource (nor every provider)
//    does, and a policy that only changed its order is never drift.
// 4. `tags_all` vs `tags`: `tags_all` is `tags` merged with the provider's `default_tags`
//    (AWS provider attribute reference: "Map of tags assigned to the resource, including
//    those inherited from the provider default_tags configuration block"; HashiCorp's
//    "Default Tags in the Terraform AWS Provider": resource tags take precedence, so a
//    key's value in tags_all is its value in tags when tags has it). A change of `tags_all.K` is
//    dropped when `tags.K` changed to the same value (it says nothing new); one `tags`
//    does not explain (a default tag changed live, or `default_tags` edited) stays.
import { isSecretPath } from '../../values/secret-name.js';
import { sameDriftValue } from '../normalize-drift.js';
import { isRecord, Redactor, subMask, unionMask, type Mask } from './redact-plan-values.js';

export type Segment = string | number;

export interface RawDifference {
  segments: Segment[];
  path: string;
  /** Before (state) value at the path; `undefined` when absent. Not yet redacted. */
  before: unknown;
  /** After (real, or planned) value; `undefined` when absent or unknown. Not yet redacted. */
  after: unknown;
  kind: 'ADD' | 'REMOVE' | 'NOT_EQUAL';
  /** The after value is only known after apply. */
  unknown: boolean;
}

export interface Differences {
  differences: RawDifference[];
  normalizedAway: number;
}

export interface DiffInput {
  before: unknown;
  after: unknown;
  /** `after_unknown`: `true` where a value is known only after apply. */
  afterUnknown?: unknown;
}

export function computeDifferences(input: DiffInput): Differences {
  const state = { differences: [] as RawDifference[], normalizedAway: 0 };
  walk(state, [], input.before ?? {}, input.after ?? {}, input.afterUnknown);
  const kept = dropExplainedTagsAll(state.differences, input.before, input.after);
  return { differences: kept, normalizedAway: state.normalizedAway + state.differences.length - kept.length };
}

/** `path` is one shared stack (pushed and popped), copied only when a difference is recorded. */
function walk(state: Differences, path: Segment[], before: unknown, after: unknown, unknown: unknown): void {
  if (unknown === true) {
    state.differences.push(difference([...path], before, undefined, true));
    return;
  }
  if (before === after) return;
  if (isEmpty(before) && isEmpty(after)) {
    if (!strictlyEqual(before, after)) state.normalizedAway += 1;
    return;
  }
  if (isRecord(before) && isRecord(after)) {
    const unknownKeys = isRecord(unknown) ? unknown : undefined;
    for (const key in before) walkChild(state, path, key, before[key], after[key], unknownKeys?.[key]);
    for (const key in after) if (!Object.hasOwn(before, key)) walkChild(state, path, key, undefined, after[key], unknownKeys?.[key]);
    if (unknownKeys) {
      for (const key in unknownKeys) {
        if (!Object.hasOwn(before, key) && !Object.hasOwn(after, key)) walkChild(state, path, key, undefined, undefined, unknownKeys[key]);
      }
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    const unknownItems = Array.isArray(unknown) ? unknown : undefined;
    for (let i = 0; i < before.length; i++) walkChild(state, path, i, before[i], after[i], unknownItems?.[i]);
    return;
  }
  if (strictlyEqual(before, after)) return;
  if (sameDriftValue(before, after)) {
    state.normalizedAway += 1;
    return;
  }
  // Lists of another length (a security group rule added live), a value against null, a
  // scalar against an object: one difference for the whole value. Terraform sets come as
  // lists in a stable order, so item-by-item matching would only invent differences.
  state.differences.push(difference([...path], before, after, hasUnknown(unknown)));
}

function walkChild(state: Differences, path: Segment[], key: Segment, before: unknown, after: unknown, unknown: unknown): void {
  if (before === after && unknown === undefined) return;
  path.push(key);
  walk(state, path, before, after, unknown);
  path.pop();
}

function difference(segments: Segment[], before: unknown, after: unknown, unknown: boolean): RawDifference {
  const kind = isEmpty(before) ? 'ADD' : isEmpty(after) && !unknown ? 'REMOVE' : 'NOT_EQUAL';
  return { segments, path: segments.join('.'), before, after, kind, unknown };
}

function dropExplainedTagsAll(differences: RawDifference[], before: unknown, after: unknown): RawDifference[] {
  if (!differences.some((d) => d.segments[0] === 'tags_all')) return differences;
  const tagsBefore = mapAt(before, 'tags');
  const tagsAfter = mapAt(after, 'tags');
  const allAfter = mapAt(after, 'tags_all');
  const tagsChanged = differences.some((d) => d.segments[0] === 'tags');
  // tags.K changed, and tags_all.K now says what tags.K says.
  const explained = (key: string) =>
    !sameOrEmpty(tagsBefore[key], tagsAfter[key]) && sameOrEmpty(tagsAfter[key], allAfter[key]);
  return differences.filter((d) => {
    if (d.segments[0] !== 'tags_all') return true;
    if (d.segments.length === 2) return !explained(String(d.segments[1]));
    if (d.segments.length !== 1) return true;
    // The whole map: unknown until apply because tags changed, or every key it changes explained.
    if (d.unknown) return !tagsChanged;
    const allBefore = mapAt(before, 'tags_all');
    const keys = new Set([...Object.keys(allBefore), ...Object.keys(allAfter)]);
    const changedKeys = [...keys].filter((k) => !sameOrEmpty(allBefore[k], allAfter[k]));
    return changedKeys.length === 0 ? true : !changedKeys.every(explained);
  });
}

function mapAt(value: unknown, key: string): Record<string, unknown> {
  const found = isRecord(value) ? value[key] : undefined;
  return isRecord(found) ? found : {};
}

function sameOrEmpty(a: unknown, b: unknown): boolean {
  return (isEmpty(a) && isEmpty(b)) || sameDriftValue(a, b);
}

/** null, absent, "", [] and {} (rule 1). */
export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.length === 0;
  for (const _ in value) return false;
  return true;
}

function hasUnknown(mask: unknown): boolean {
  if (mask === true) return true;
  if (Array.isArray(mask)) return mask.some(hasUnknown);
  if (isRecord(mask)) return Object.values(mask).some(hasUnknown);
  return false;
}

export function strictlyEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => strictlyEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && strictlyEqual(a[k], b[k]));
  }
  return false;
}

/** The mask at a path. */
export function maskAt(mask: Mask, segments: Segment[]): Mask {
  let current = mask;
  for (const segment of segments) {
    if (current === true) return true;
    current = subMask(current, segment);
  }
  return current;
}

export interface RedactedDifference {
  path: string;
  before: unknown;
  after: unknown;
  kind: RawDifference['kind'];
  unknown: boolean;
  sensitive: boolean;
}

/**
 * A difference with its values redacted by the before/after sensitivity masks. Either side's
 * mask hides both values (a secret in the state is still a secret in what was read back).
 * A path that names a secret is hidden too, marked or not: providers leave plenty of secrets
 * unmarked (a Lambda function's `environment.0.variables.DB_PASSWORD` is a plain map).
 */
export function redactDifference(d: RawDifference, beforeMask: Mask, afterMask: Mask, redactor: Redactor): RedactedDifference {
  const mask = isSecretPath(d.path) ? true : unionMask(maskAt(beforeMask, d.segments), maskAt(afterMask, d.segments));
  const start = redactor.count;
  const before = redactor.apply(d.before, mask);
  const after = redactor.apply(d.after, mask);
  return { path: d.path, before, after, kind: d.kind, unknown: d.unknown, sensitive: redactor.count > start };
}
