// What SAM's Globals give one AWS::Serverless::* resource, and which of its properties a pull
// request changes through them. Pure.
//
// SAM merges a Globals section into each resource of its kind (aws/serverless-application-model,
// samtranslator/plugins/globals/globals.py, `GlobalProperties._do_merge`, and docs/globals.rst):
// - a primitive (string, number, boolean) or an intrinsic function (a one-key `Ref`/`Fn::*`
//   mapping, "handled exactly like a primitive") set on the resource replaces the global;
// - values of different kinds: the resource's wins;
// - two mappings merge key by key, recursively, the resource's entries winning;
// - two lists are concatenated, the global entries first.
// `IgnoreGlobals: '*'` on the resource takes no Globals; a list of names leaves those out
// (`Globals.get_template_globals`).
//
// So a Globals change reaches a resource only where the merged value changes: not where the
// resource sets a primitive of its own, not where it opts out. The same comparison shows what
// an `IgnoreGlobals` edit changes.
import type { DeclaredResource } from '../../types.js';
import { isRecord, ownEntry, sameValue } from '../../values/cloudformation-value.js';

const SERVERLESS_PREFIX = 'AWS::Serverless::';

/** SAM's merge of a global value with the resource's own; `undefined` stands for absent. */
export function mergeGlobal(global: unknown, local: unknown): unknown {
  if (global === undefined) return local;
  if (local === undefined) return global;
  const kind = kindOf(global);
  if (kind !== kindOf(local) || kind === 'primitive') return local;
  if (kind === 'list') return [...(global as unknown[]), ...(local as unknown[])];
  const merged: Record<string, unknown> = { ...(global as Record<string, unknown>) };
  for (const [key, value] of Object.entries(local as Record<string, unknown>)) {
    // Defined, not assigned: `merged.__proto__ = value` would set the prototype, not the entry.
    const entry = Object.hasOwn(merged, key) ? mergeGlobal(merged[key], value) : value;
    Object.defineProperty(merged, key, { value: entry, enumerable: true, writable: true, configurable: true });
  }
  return merged;
}

type Kind = 'primitive' | 'list' | 'map';

// Per value object: a global is asked once per function, and Object.keys of a large one is not free.
const kinds = new WeakMap<object, Kind>();

function kindOf(value: unknown): Kind {
  if (Array.isArray(value)) return 'list';
  if (!isRecord(value)) return 'primitive';
  let kind = kinds.get(value);
  if (kind === undefined) {
    const keys = Object.keys(value);
    const intrinsic = keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0]!.startsWith('Fn::'));
    kind = intrinsic ? 'primitive' : 'map';
    kinds.set(value, kind);
  }
  return kind;
}

/** The Globals section a resource takes, and the names its `IgnoreGlobals` list leaves out. */
interface Taken {
  section: Record<string, unknown>;
  ignored: ReadonlySet<string>;
}

const NO_SECTION: Record<string, unknown> = Object.freeze({});
const NOTHING: Taken = { section: NO_SECTION, ignored: new Set() };

function taken(globals: unknown, resource: DeclaredResource): Taken | undefined {
  if (!resource.type.startsWith(SERVERLESS_PREFIX) || globals === undefined) return NOTHING;
  if (!isRecord(globals)) return undefined;
  const kind = resource.type.slice(SERVERLESS_PREFIX.length);
  const section = Object.hasOwn(globals, kind) ? globals[kind] : undefined;
  if (section === undefined || section === null) return NOTHING;
  if (!isRecord(section)) return undefined;
  const ignore = resource.attributes && Object.hasOwn(resource.attributes, 'IgnoreGlobals') ? resource.attributes.IgnoreGlobals : undefined;
  if (ignore === '*') return NOTHING;
  const ignored = Array.isArray(ignore) ? new Set(ignore.filter((name): name is string => typeof name === 'string')) : NOTHING.ignored;
  return { section, ignored };
}

/**
 * Property names whose merged value differs base -> head through Globals (a global added,
 * removed or changed, or `IgnoreGlobals` changed), plus those whose global still reaches the
 * merged value and `usesChanged` says uses a changed parameter, mapping or condition.
 * `undefined` when a Globals section is not a mapping on either side (cannot be told).
 *
 * In the order of the head section's names, then the base's. Every function shares its
 * section pair, so what a name gives a function that neither sets nor ignores it is worked
 * out once per pair (and per `usesChanged`: pass the same function for every resource of one
 * comparison, or each asks it again); only the names a function sets or ignores are compared
 * for it, at a cost bounded by its own values (a section of 8,000 variables shared by 3,000
 * functions took 11 s compared function by function).
 */
export function globalsChanges(
  before: unknown,
  after: unknown,
  base: DeclaredResource,
  head: DeclaredResource,
  usesChanged: (value: unknown) => boolean,
): string[] | undefined {
  const was = taken(before, base);
  const is = taken(after, head);
  if (!was || !is) return undefined;
  const pair = sectionPair(was.section, is.section);
  if (pair.headIndex.size === 0 && pair.baseIndex.size === 0) return [];

  const own = new Set<string>();
  for (const names of [Object.keys(base.properties), Object.keys(head.properties), was.ignored, is.ignored]) {
    for (const name of names) if (pair.headIndex.has(name) || pair.baseIndex.has(name)) own.add(name);
  }
  const reached: Array<[number, string]> = [];
  for (const name of own) {
    const inHead = pair.headIndex.has(name) && !is.ignored.has(name);
    const inBase = pair.baseIndex.has(name) && !was.ignored.has(name);
    if (!inHead && !inBase) continue;
    const global = inHead ? is.section[name] : undefined;
    const local = ownEntry(head.properties, name);
    const changed =
      !sameMerged(inBase ? was.section[name] : undefined, ownEntry(base.properties, name), global, local) ||
      (global !== undefined && (local === undefined || (kindOf(global) === kindOf(local) && kindOf(local) !== 'primitive')) && uses(usesChanged, global));
    if (changed) reached.push([inHead ? pair.headIndex.get(name)! : pair.headIndex.size + pair.baseIndex.get(name)!, name]);
  }
  reached.sort((a, b) => a[0] - b[0]);

  // The pair's answer for the names the function leaves alone, merged in order with its own:
  // copied a run at a time between the few places its own names come out or go in (a name at
  // a time was 15 million steps for 3,000 functions of a 5,000-name section).
  const shared = reaching(pair, usesChanged);
  if (own.size === 0) return shared.names.slice();
  const where = positionsOf(shared);
  const removed: number[] = [];
  for (const name of own) {
    const at = where.get(name);
    if (at !== undefined) removed.push(at);
  }
  removed.sort((a, b) => a - b);
  const parts: string[][] = [];
  let from = 0;
  let r = 0;
  const cut = (end: number) => {
    if (end > from) parts.push(shared.names.slice(from, end));
    from = Math.max(from, end);
  };
  const removeBefore = (limit: number) => {
    for (; r < removed.length && removed[r]! < limit; r++) {
      cut(removed[r]!);
      from = removed[r]! + 1;
    }
  };
  for (const [position, name] of reached) {
    const before = upperBound(shared.positions, position);
    removeBefore(before);
    cut(before);
    parts.push([name]);
  }
  removeBefore(shared.names.length);
  cut(shared.names.length);
  return ([] as string[]).concat(...parts);
}

const positionIndexes = new WeakMap<Reaching, Map<string, number>>();

/** Name -> its index in a shared answer. */
function positionsOf(shared: Reaching): Map<string, number> {
  let index = positionIndexes.get(shared);
  if (!index) {
    index = new Map(shared.names.map((name, i) => [name, i]));
    positionIndexes.set(shared, index);
  }
  return index;
}

/** The first index whose position is greater than `position` (positions ascend). */
function upperBound(positions: readonly number[], position: number): number {
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (positions[mid]! <= position) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** What a base and a head Globals section give a function that neither sets nor ignores a name. */
interface SectionPair {
  head: Record<string, unknown>;
  /** Position of each name: the head section's in its order, then the base section's. */
  headIndex: Map<string, number>;
  baseIndex: Map<string, number>;
  /** Names whose global differs base -> head, in order; then the unchanged ones with a head global, to ask `usesChanged` about. */
  changedInOrder: Reaching;
  unchanged: Reaching;
  byUses: WeakMap<(value: unknown) => boolean, Reaching>;
}

/** Names changed, or whose head global uses a changed section, with their positions. */
interface Reaching {
  names: string[];
  positions: number[];
}

const pairs = new WeakMap<object, WeakMap<object, SectionPair>>();
const indexes = new WeakMap<object, Map<string, number>>();

function sectionPair(before: Record<string, unknown>, after: Record<string, unknown>): SectionPair {
  let byAfter = pairs.get(before);
  if (!byAfter) pairs.set(before, (byAfter = new WeakMap()));
  let pair = byAfter.get(after);
  if (!pair) {
    const headIndex = indexOf(after);
    const baseIndex = indexOf(before);
    const names = [...headIndex.keys(), ...[...baseIndex.keys()].filter((name) => !headIndex.has(name))];
    const changed = changedNames(before, after);
    const changedInOrder: Reaching = { names: [], positions: [] };
    const unchanged: Reaching = { names: [], positions: [] };
    for (const name of names) {
      const list = changed.has(name) ? changedInOrder : headIndex.has(name) && after[name] !== undefined ? unchanged : undefined;
      list?.names.push(name);
      list?.positions.push(headIndex.get(name) ?? headIndex.size + baseIndex.get(name)!);
    }
    pair = { head: after, headIndex, baseIndex, changedInOrder, unchanged, byUses: new WeakMap() };
    byAfter.set(after, pair);
  }
  return pair;
}

function indexOf(section: Record<string, unknown>): Map<string, number> {
  let index = indexes.get(section);
  if (!index) indexes.set(section, (index = new Map(Object.keys(section).map((name, i) => [name, i]))));
  return index;
}

function reaching(pair: SectionPair, usesChanged: (value: unknown) => boolean): Reaching {
  // Nothing to ask: the changed names, shared by every function.
  if (pair.unchanged.names.length === 0) return pair.changedInOrder;
  let result = pair.byUses.get(usesChanged);
  if (!result) {
    result = { names: [], positions: [] };
    const { changedInOrder: changed, unchanged } = pair;
    let next = 0;
    for (let i = 0; i < unchanged.names.length; i++) {
      const name = unchanged.names[i]!;
      if (!uses(usesChanged, pair.head[name])) continue;
      while (next < changed.names.length && changed.positions[next]! < unchanged.positions[i]!) {
        result.names.push(changed.names[next]!);
        result.positions.push(changed.positions[next++]!);
      }
      result.names.push(name);
      result.positions.push(unchanged.positions[i]!);
    }
    for (; next < changed.names.length; next++) {
      result.names.push(changed.names[next]!);
      result.positions.push(changed.positions[next]!);
    }
    pair.byUses.set(usesChanged, result);
  }
  return result;
}

// Per `usesChanged` and value object: the same global is asked about for every function.
const usesMemo = new WeakMap<(value: unknown) => boolean, WeakMap<object, boolean>>();

function uses(usesChanged: (value: unknown) => boolean, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return usesChanged(value);
  let memo = usesMemo.get(usesChanged);
  if (!memo) usesMemo.set(usesChanged, (memo = new WeakMap()));
  let answer = memo.get(value);
  if (answer === undefined) memo.set(value, (answer = usesChanged(value)));
  return answer;
}

/**
 * Whether `mergeGlobal(globalA, localA)` and `mergeGlobal(globalB, localB)` are the same value,
 * without building them: entries no local sets compare as the globals do (once per pair of
 * globals), so the cost is the locals' (and a global's once), not the global's per function.
 */
function sameMerged(globalA: unknown, localA: unknown, globalB: unknown, localB: unknown): boolean {
  const a = merging(globalA, localA);
  const b = merging(globalB, localB);
  if (!a && !b) return sameCached(localA === undefined ? globalA : localA, localB === undefined ? globalB : localB);
  // A value taken whole (a global no local merges with, or a local that replaces the global)
  // compares as a merge with nothing.
  const x = a ?? alone(localA === undefined ? globalA : localA);
  const y = b ?? alone(localB === undefined ? globalB : localB);
  if (!x || !y || x.kind !== y.kind) return false;
  if (x.kind === 'list') return sameLists(x.global, x.local, (y as ListMerge).global, (y as ListMerge).local);
  return sameMaps(x.global, x.local, (y as MapMerge).global, (y as MapMerge).local);
}

interface ListMerge {
  kind: 'list';
  global: unknown[];
  local: unknown[];
}

interface MapMerge {
  kind: 'map';
  global: Record<string, unknown>;
  local: Record<string, unknown> | undefined;
}

/** The two sides of a merge that combines them; `undefined` when one value is taken whole. */
function merging(global: unknown, local: unknown): ListMerge | MapMerge | undefined {
  if (global === undefined || local === undefined) return undefined;
  const kind = kindOf(global);
  if (kind !== kindOf(local) || kind === 'primitive') return undefined;
  if (kind === 'list') return { kind, global: global as unknown[], local: local as unknown[] };
  return { kind, global: global as Record<string, unknown>, local: local as Record<string, unknown> };
}

function alone(value: unknown): ListMerge | MapMerge | undefined {
  if (Array.isArray(value)) return { kind: 'list', global: value, local: [] };
  return isRecord(value) ? { kind: 'map', global: value, local: undefined } : undefined;
}

/** `[...globalA, ...localA]` against `[...globalB, ...localB]`. */
function sameLists(globalA: unknown[], localA: unknown[], globalB: unknown[], localB: unknown[]): boolean {
  if (globalA.length + localA.length !== globalB.length + localB.length) return false;
  if (globalA.length === globalB.length) return sameCached(globalA, globalB) && sameCached(localA, localB);
  if (globalA.length > globalB.length) return sameLists(globalB, localB, globalA, localA);
  // globalA is globalB's start; localA's first items are globalB's last; the rest is localB.
  const shift = globalB.length - globalA.length;
  if (!isPrefix(globalA, globalB)) return false;
  for (let i = 0; i < shift; i++) if (!same(localA[i], globalB[globalA.length + i])) return false;
  for (let i = shift; i < localA.length; i++) if (!same(localA[i], localB[i - shift])) return false;
  return true;
}

/** `{...globalA, ...localA}` (merged key by key) against the same of B. */
function sameMaps(
  globalA: Record<string, unknown>,
  localA: Record<string, unknown> | undefined,
  globalB: Record<string, unknown>,
  localB: Record<string, unknown> | undefined,
): boolean {
  if (mergedCount(globalA, localA) !== mergedCount(globalB, localB)) return false;
  const local = new Set([...(localA ? Object.keys(localA) : []), ...(localB ? Object.keys(localB) : [])]);
  // An entry no local sets is the global's on both sides: it must not have changed.
  const changed = changedNames(globalA, globalB);
  if (changed.size > local.size) return false;
  for (const name of changed) if (!local.has(name)) return false;
  for (const name of local) {
    const a = localA ? ownEntry(localA, name) : undefined;
    const b = localB ? ownEntry(localB, name) : undefined;
    if (!sameMerged(ownEntry(globalA, name), a, ownEntry(globalB, name), b)) return false;
  }
  return true;
}

/** Entries the merged mapping has (sameValue counts a key whose value is `undefined` as absent). */
function mergedCount(global: Record<string, unknown>, local: Record<string, unknown> | undefined): number {
  let count = presentCount(global);
  if (local) for (const name of Object.keys(local)) if (local[name] !== undefined && ownEntry(global, name) === undefined) count++;
  return count;
}

// Per pair of value objects (a global against a global is asked for every function).
const changedByPair = new WeakMap<object, WeakMap<object, Set<string>>>();
const sameByPair = new WeakMap<object, WeakMap<object, boolean>>();
const prefixByPair = new WeakMap<object, WeakMap<object, boolean>>();
const counts = new WeakMap<object, number>();

function cached<T>(cache: WeakMap<object, WeakMap<object, T>>, a: object, b: object, compute: () => T): T {
  let byB = cache.get(a);
  if (!byB) cache.set(a, (byB = new WeakMap()));
  let answer = byB.get(b);
  if (answer === undefined) byB.set(b, (answer = compute()));
  return answer;
}

/** Names whose entry differs between two mappings (added and removed ones included). */
function changedNames(a: Record<string, unknown>, b: Record<string, unknown>): Set<string> {
  return cached(changedByPair, a, b, () => {
    const names = new Set<string>();
    for (const name of Object.keys(b)) if (!same(ownEntry(a, name), b[name])) names.add(name);
    for (const name of Object.keys(a)) if (a[name] !== undefined && !Object.hasOwn(b, name)) names.add(name);
    return names;
  });
}

function isPrefix(start: unknown[], list: unknown[]): boolean {
  return cached(prefixByPair, start, list, () => start.every((item, i) => same(item, list[i])));
}

function sameCached(a: unknown, b: unknown): boolean {
  if (a === b || !isObject(a) || !isObject(b)) return sameValue(a, b);
  return cached(sameByPair, a, b, () => same(a, b));
}

/**
 * sameValue, with the number of entries of each mapping counted once and compared first: a
 * function's small value against a large global then costs the small one.
 */
function same(a: unknown, b: unknown): boolean {
  const pending: Array<[unknown, unknown]> = [[a, b]];
  while (pending.length > 0) {
    const [x, y] = pending.pop()!;
    if (x === y) continue;
    if (!isObject(x) || !isObject(y)) {
      if (!sameValue(x, y)) return false;
      continue;
    }
    if (Array.isArray(x) || Array.isArray(y)) {
      if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) pending.push([x[i], y[i]]);
      continue;
    }
    const record = x as Record<string, unknown>;
    const other = y as Record<string, unknown>;
    if (presentCount(record) !== presentCount(other)) return false;
    for (const key of Object.keys(record)) {
      if (record[key] === undefined) continue;
      if (!Object.hasOwn(other, key)) return false;
      pending.push([record[key], other[key]]);
    }
  }
  return true;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function presentCount(record: Record<string, unknown>): number {
  let count = counts.get(record);
  if (count === undefined) {
    count = 0;
    for (const key of Object.keys(record)) if (record[key] !== undefined) count++;
    counts.set(record, count);
  }
  return count;
}
