// A resource's `Properties` written as one `Fn::If` (`Properties: !If [IsProd, {...}, {...}]`,
// nested ones too) read as the property names of its branches, so a change is attributed to
// the properties it changes, and a condition or mapping change reaches the resource. Pure.
//
// CloudFormation resolves the `Fn::If` and deploys one branch's mapping as the properties; a
// branch `!Ref AWS::NoValue` deploys none. A property's value is then the list of its values in
// the branches, with the conditions that pick one: two versions differ in a property when any
// branch does or when the conditions do.
import { isRecord } from '../../values/cloudformation-value.js';

export interface PropertyBranches {
  /** Condition names that choose the branch, outermost first. */
  conditions: string[];
  /** Each branch's properties, in order (`{}` for `AWS::NoValue` or a branch that is not a mapping). */
  branches: Record<string, unknown>[];
}

/**
 * Branches read past this are not split: the `Fn::If` is compared as one value (a change is
 * still a change, of the property `Fn::If`). Each property's value lists every branch, so the
 * work is properties x branches: a 215 KB tree of 8,192 branches, each with its own key, took
 * 47 s to compare (`npm run bench`). A real template's whole-Properties `Fn::If` has 2 to 4.
 */
export const MAX_BRANCHES = 64;

/**
 * Nor past this many branches x property names: each name's value is a list of every branch's
 * (64 branches of 1,500 names each, 1 MB, took 3.5 s to compare).
 */
const MAX_CELLS = 10_000;

/** Computed once per Properties object: each property's value asks for them. */
const known = new WeakMap<object, PropertyBranches | null>();

/** `undefined` when `Properties` is an ordinary mapping, or an `Fn::If` too large to split (MAX_BRANCHES, MAX_CELLS). */
export function propertyBranches(properties: Record<string, unknown>): PropertyBranches | undefined {
  if (!isWholeIf(properties)) return undefined;
  let branches = known.get(properties);
  if (branches === undefined) {
    const out: PropertyBranches = { conditions: [], branches: [] };
    branches = collect(properties, out, 0) && distinctNames(out.branches) * out.branches.length <= MAX_CELLS ? out : null;
    known.set(properties, branches);
  }
  return branches ?? undefined;
}

/** Top-level property names: the mapping's keys, or every branch's. */
export function propertyNames(properties: Record<string, unknown>): string[] {
  const branches = propertyBranches(properties);
  if (!branches) return Object.keys(properties);
  return [...new Set(branches.branches.flatMap((branch) => Object.keys(branch)))];
}

/** A property's value as compared and searched for uses: as written, or its branches' values with the conditions. */
export function propertyValue(properties: Record<string, unknown>, name: string): unknown {
  const branches = propertyBranches(properties);
  if (!branches) return Object.hasOwn(properties, name) ? properties[name] : undefined;
  const values = branches.branches.map((branch) => (Object.hasOwn(branch, name) ? branch[name] : null));
  return values.every((value) => value === null) ? undefined : { conditions: branches.conditions, values };
}

function isWholeIf(value: unknown): value is { 'Fn::If': unknown[] } {
  if (!isRecord(value) || !Object.hasOwn(value, 'Fn::If')) return false;
  const condition = value['Fn::If'];
  return Array.isArray(condition) && condition.length === 3 && hasOneKey(value);
}

/** Without Object.keys: this is asked for every property of every resource compared. */
function hasOneKey(value: Record<string, unknown>): boolean {
  let keys = 0;
  for (const key in value) if (Object.hasOwn(value, key) && ++keys > 1) return false;
  return keys === 1;
}

function distinctNames(branches: readonly Record<string, unknown>[]): number {
  const names = new Set<string>();
  for (const branch of branches) for (const name in branch) names.add(name);
  return names.size;
}

/** Nested `Fn::If` branches; false once there are more than MAX_BRANCHES. */
function collect(value: unknown, out: PropertyBranches, depth: number): boolean {
  if (isWholeIf(value) && depth < 100) {
    const [condition, whenTrue, whenFalse] = value['Fn::If'];
    out.conditions.push(typeof condition === 'string' ? condition : JSON.stringify(condition));
    return collect(whenTrue, out, depth + 1) && collect(whenFalse, out, depth + 1);
  }
  out.branches.push(isRecord(value) && !isNoValue(value) ? value : {});
  return out.branches.length <= MAX_BRANCHES;
}

function isNoValue(value: Record<string, unknown>): boolean {
  return Object.keys(value).length === 1 && value.Ref === 'AWS::NoValue';
}
