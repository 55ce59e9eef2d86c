// Pure. AWS drift detection compares values literally, so it reports differences that are
// not differences: a reordered Tags list, a policy document given as a JSON string on one
// side and an object on the other, "30" against 30, "true" against true. This drops what is
// equal after normalization and counts it, so a report never alarms on it.
//
// When the only remaining differences are a list whose items are the same but in another
// order (and the list is not a key/value list, whose order never matters), we cannot tell
// whether the order matters to the service: the resource becomes NOT_CHECKED ("could not
// verify") rather than MODIFIED (a false alarm) or IN_SYNC (a false all-clear).
import type { PropertyDifference, ResourceDriftStatus } from '../types.js';

export interface RawResourceDrift {
  status: ResourceDriftStatus;
  differences: PropertyDifference[];
  /** AWS's ExpectedProperties (a JSON string, or already parsed). */
  expectedProperties?: unknown;
  /** AWS's ActualProperties (a JSON string, or already parsed). */
  actualProperties?: unknown;
}

export interface NormalizedResourceDrift {
  status: ResourceDriftStatus;
  differences: PropertyDifference[];
  normalizedAway: number;
}

export type DifferenceVerdict = 'equal' | 'reordered' | 'different';

export function normalizeResourceDrift(raw: RawResourceDrift): NormalizedResourceDrift {
  if (raw.status !== 'MODIFIED' || raw.differences.length === 0) {
    return { status: raw.status, differences: raw.differences, normalizedAway: 0 };
  }
  const expected = parseJsonText(raw.expectedProperties);
  const actual = parseJsonText(raw.actualProperties);
  // One comparison per enclosing value, however many differences AWS lists under it (a
  // policy with hundreds of statements can carry hundreds of differences).
  const enclosing = new Map<string, EnclosingVerdict>();
  const verdicts = raw.differences.map((d) => classifyDifference(d, expected, actual, enclosing));
  const kept = raw.differences.filter((_, i) => verdicts[i] !== 'equal');
  const normalizedAway = raw.differences.length - kept.length;
  if (kept.length === 0) return { status: 'IN_SYNC', differences: [], normalizedAway };
  const status = verdicts.includes('different') ? 'MODIFIED' : 'NOT_CHECKED';
  return { status, differences: kept, normalizedAway };
}

type EnclosingVerdict = 'absent' | 'equal' | 'reordered' | 'different';

/** Whether one reported difference survives normalization, judged on the enclosing values too. */
export function classifyDifference(
  diff: PropertyDifference,
  expectedProps?: unknown,
  actualProps?: unknown,
  enclosing: Map<string, EnclosingVerdict> = new Map(),
): DifferenceVerdict {
  const segments = diff.path.split('.');
  let reordered = false;
  for (let i = 1; i <= segments.length; i++) {
    const key = segments.slice(0, i).join('.');
    let verdict = enclosing.get(key);
    if (verdict === undefined) {
      verdict = compareEnclosing(valueAt(expectedProps, segments.slice(0, i)), valueAt(actualProps, segments.slice(0, i)));
      enclosing.set(key, verdict);
    }
    if (verdict === 'absent') break;
    if (verdict === 'equal') return 'equal';
    if (verdict === 'reordered') reordered = true;
  }
  if (diff.kind === 'NOT_EQUAL' && sameDriftValue(diff.expected, diff.actual)) return 'equal';
  return reordered ? 'reordered' : 'different';
}

function compareEnclosing(e: { found: boolean; value?: unknown }, a: { found: boolean; value?: unknown }): EnclosingVerdict {
  if (!e.found || !a.found) return 'absent';
  if (sameDriftValue(e.value, a.value)) return 'equal';
  const el = parseJsonText(e.value);
  const al = parseJsonText(a.value);
  return Array.isArray(el) && Array.isArray(al) && sameMultiset(el, al, sameDriftValue) ? 'reordered' : 'different';
}

/**
 * Equality for drift reports, looser than CloudFormation's own (`sameValue` in
 * values/cloudformation-value.ts), because AWS mixes up forms of one value between the
 * deployed template and the running resource: a JSON string equals the object it encodes,
 * Tags-like key/value lists and IAM policy lists (Action, Resource, principals, condition
 * values) compare in any order, numbers numerically (`"30"` and `30`, not `"030"`), booleans
 * without case (`"True"` and `true`). Nothing else compares equal.
 */
export function sameDriftValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const pa = parseJsonText(a);
  const pb = parseJsonText(b);
  if (pa !== a || pb !== b) return sameDriftValue(pa, pb);
  if (typeof a === 'number' && typeof b === 'string') return numericString(b) === a;
  if (typeof a === 'string' && typeof b === 'number') return numericString(a) === b;
  if (typeof a === 'boolean' && typeof b === 'string') return b.toLowerCase() === String(a);
  if (typeof a === 'string' && typeof b === 'boolean') return a.toLowerCase() === String(b);
  if (Array.isArray(a) && Array.isArray(b)) return sameList(a, b);
  if (isRecord(a) && isRecord(b)) {
    if ('Statement' in a || 'Statement' in b) return samePolicy(a, b);
    return sameRecord(a, b, sameDriftValue);
  }
  return false;
}

function sameList(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  if (isKeyValueList(a) && isKeyValueList(b)) return sameMultiset(a, b, sameDriftValue);
  return a.every((x, i) => sameDriftValue(x, b[i]));
}

/** Tags and their kin: objects with a unique `Key` (or `key`). Their order never matters. */
function isKeyValueList(list: unknown[]): boolean {
  const keys = new Set<string>();
  for (const item of list) {
    if (!isRecord(item)) return false;
    const key = item.Key ?? item.key;
    if (typeof key !== 'string' || keys.has(key)) return false;
    keys.add(key);
  }
  return list.length > 0;
}

function sameRecord(a: Record<string, unknown>, b: Record<string, unknown>, eq: (x: unknown, y: unknown) => boolean): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && eq(a[k], b[k]));
}

// IAM policy grammar: Statement, Action, Resource (and their Not forms), principal and
// condition values may be one item or a list, and lists are unordered.
const SET_VALUED = new Set(['Action', 'NotAction', 'Resource', 'NotResource']);

function samePolicy(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const { Statement: sa, ...restA } = a;
  const { Statement: sb, ...restB } = b;
  return sameRecord(restA, restB, sameDriftValue) && sameMultiset(asList(sa), asList(sb), sameStatement);
}

function sameStatement(a: unknown, b: unknown): boolean {
  if (!isRecord(a) || !isRecord(b)) return sameDriftValue(a, b);
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && sameStatementField(k, a[k], b[k]));
}

function sameStatementField(key: string, x: unknown, y: unknown): boolean {
  if (SET_VALUED.has(key)) return sameSet(x, y);
  if (key === 'Principal' || key === 'NotPrincipal') {
    return isRecord(x) && isRecord(y) ? sameRecord(x, y, sameSet) : sameDriftValue(x, y);
  }
  if (key === 'Condition' && isRecord(x) && isRecord(y)) {
    return sameRecord(x, y, (ox, oy) => (isRecord(ox) && isRecord(oy) ? sameRecord(ox, oy, sameSet) : sameDriftValue(ox, oy)));
  }
  return sameDriftValue(x, y);
}

function sameSet(x: unknown, y: unknown): boolean {
  return sameMultiset(dedupe(asList(x)), dedupe(asList(y)), sameDriftValue);
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function dedupe(list: unknown[]): unknown[] {
  return list.filter((x, i) => list.findIndex((y) => sameDriftValue(x, y)) === i);
}

export function sameMultiset(a: unknown[], b: unknown[], eq: (x: unknown, y: unknown) => boolean): boolean {
  if (a.length !== b.length) return false;
  const used = new Array<boolean>(b.length).fill(false);
  return a.every((x) => {
    const j = b.findIndex((y, k) => !used[k] && eq(x, y));
    if (j < 0) return false;
    used[j] = true;
    return true;
  });
}

/** A string holding a JSON object or list becomes that object or list; anything else stays as it is. */
export function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (!(text.startsWith('{') || text.startsWith('['))) return value;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return value;
  }
}

/** `"30"` -> 30, `"-1.5"` -> -1.5; `"030"`, `"30s"`, `""` -> undefined (not the same as any number). */
function numericString(s: string): number | undefined {
  if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

function valueAt(root: unknown, segments: string[]): { found: boolean; value?: unknown } {
  let current: unknown = root;
  for (const segment of segments) {
    current = parseJsonText(current);
    if (Array.isArray(current)) {
      const index = Number(segment);
      if (!Number.isInteger(index) || index < 0 || index >= current.length) return { found: false };
      current = current[index];
    } else if (isRecord(current) && Object.hasOwn(current, segment)) {
      current = current[segment];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: current };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
