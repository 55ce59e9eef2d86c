// Changes outside Resources that change what a resource deploys, followed into the
// resources that use them. Pure.
//
// - Parameters: only a change of `Default`, or a parameter added or removed, touches a
//   property that names it through `Ref` or `${P}` in `Fn::Sub`. A deployed stack runs with
//   its own parameter values, but a pull request changing a default means to change the
//   value, so it counts. `AllowedValues`, `Type`, `NoEcho`, `Description` and the other
//   fields only validate or describe the value: what a resource resolves to stays the same.
// - Mappings are compared entry by entry (`Map[k1][k2]`). Only a change of an entry the base
//   has (its value differs, or it is gone) can change what an existing stack resolved, so:
//   - `Fn::FindInMap [Map, k1, k2]` with literal keys is touched by a change of `Map[k1][k2]`
//     only;
//   - a key that is not a literal (`!Ref AWS::Region`, `!Ref Env`, ...) can be any key: such
//     a lookup is touched by a change or removal of any existing entry under it (any `k1`
//     when the second argument is computed, any `k2` when the third is), never by a new
//     first- or second-level key, which no deployed stack can have resolved to;
//   - a computed map name matches every map the same way;
//   - `Fn::FindInMap` with a fourth argument (`DefaultValue`, AWS::LanguageExtensions)
//     resolved to its default where an entry was missing, so an added entry it can match
//     touches it too;
//   - a map that is not a mapping of mappings on either side is compared whole: any
//     difference touches every lookup in it.
// - Conditions: a changed definition, or one built on a changed parameter, mapping or
//   condition (`Condition: X` inside And/Or/Not), touches every property whose `Fn::If`
//   names it, and the whole resource (every property and its `Condition` attribute) when
//   the resource's `Condition` attribute names it. Each definition is read once and the
//   change followed through the reverse graph breadth-first (linear in the definitions).
// - SAM Globals: followed per resource in compute-globals.ts (a changed global reaches only
//   resources whose merged value it changes: not those that set the property themselves or opt
//   out with IgnoreGlobals). Here only a Globals that is not a mapping on one side: every
//   property of every serverless resource is touched.
// - Transform: any change touches every property of every resource.
import type { DeclaredResource, DeclaredTemplate } from '../../types.js';
import { subVariableIds } from './compute-references.js';
import { propertyBranches, propertyNames, propertyValue } from './compute-property-branches.js';
import { isRecord, ownEntry, sameValue } from '../../values/cloudformation-value.js';

/** Resource attributes that may use parameters, mappings and conditions (Type, DependsOn and Condition cannot). */
const ATTRIBUTES_WITH_VALUES = ['DeletionPolicy', 'UpdateReplacePolicy', 'UpdatePolicy', 'CreationPolicy', 'Metadata', 'Connectors'] as const;

const SERVERLESS_PREFIX = 'AWS::Serverless::';

export interface SectionChanges {
  parameters: ReadonlySet<string>;
  /** Maps with an entry change that can matter to some `Fn::FindInMap`, by name. */
  mappings: ReadonlyMap<string, MappingChange>;
  conditions: ReadonlySet<string>;
  /**
   * Globals changed but is not a mapping of sections: every serverless resource is touched.
   * (A mapping's changes are followed per resource by compute-globals.ts.)
   */
  allGlobals: boolean;
  transform: boolean;
}

/** What changed in one map, base -> head. */
export interface MappingChange {
  /** Not a mapping of mappings on one side, and different: every lookup in it is touched. */
  whole: boolean;
  /** Entries the base has whose value changed or that head removed. */
  changed: EntryKeys;
  /** Entries only head has (matter to a lookup with a DefaultValue only). */
  added: EntryKeys;
}

/** A set of `[k1, k2]` entries, indexed for lookups whose keys may be computed. */
interface EntryKeys {
  /** k1 -> its k2s. */
  byFirst: Map<string, Set<string>>;
  /** Every k2, under any k1. */
  seconds: Set<string>;
  size: number;
}

/** One `Fn::FindInMap`; a name or key left `undefined` is computed (can be any). */
interface MapLookup {
  map: string | undefined;
  first: string | undefined;
  second: string | undefined;
  /** A fourth argument (`DefaultValue`): a missing entry resolved to it. */
  withDefault: boolean;
}

/** What a template uses outside Resources. */
interface Uses {
  /** Names in `Ref` and `Fn::Sub` (parameters, resources and pseudo parameters alike). */
  names: Set<string>;
  lookups: MapLookup[];
  conditions: Set<string>;
}

type Changed = Pick<SectionChanges, 'parameters' | 'mappings' | 'conditions'>;

export interface IndirectChange {
  /** Top-level property names touched (may include Globals names the resource does not declare). */
  properties: string[];
  /** Touched attributes, in no particular order. */
  attributes: string[];
  /**
   * `true` when the whole resource is touched (Condition attribute, Transform, or Globals
   * whose changed names cannot be told); `properties` then lists every property.
   */
  whole: boolean;
}

/**
 * What changed outside Resources, base -> head; `undefined` when nothing did, or when
 * either template was not read by parseTemplate (no `sections`) and there is nothing to compare.
 */
export function sectionChanges(base: DeclaredTemplate | undefined, head: DeclaredTemplate | undefined): SectionChanges | undefined {
  const before = base?.sections;
  const after = head?.sections;
  if (!before || !after) return undefined;

  // Presence or Default: a parameter added or removed counts even without a Default (a `Ref`
  // to that name meant something else before, a resource or nothing).
  const parameters = changedEntries(
    before.Parameters,
    after.Parameters,
    (a, b) => (a === undefined) === (b === undefined) && sameValue(ownEntry(a, 'Default'), ownEntry(b, 'Default')),
  );
  const mappings = mappingChanges(before.Mappings, after.Mappings);
  const conditions = changedEntries(before.Conditions, after.Conditions, sameValue);
  followConditions(after.Conditions, { parameters, mappings, conditions });
  const changes = { parameters, mappings, conditions };

  const mappingOfSections = isRecord(before.Globals ?? {}) && isRecord(after.Globals ?? {});
  const allGlobals = !mappingOfSections && (!sameValue(before.Globals, after.Globals) || touches(usesOf(after.Globals, false), changes));

  const transform = !sameValue(before.Transform, after.Transform);
  const nothing = parameters.size + mappings.size + conditions.size === 0 && !allGlobals && !transform;
  return nothing ? undefined : { parameters, mappings, conditions, allGlobals, transform };
}

/**
 * What of `resource` (as in head) the section changes touch. SAM Globals names are not among
 * them: which reach the resource depends on its own properties too (compute-globals.ts); only
 * a Globals that is no longer a mapping touches every serverless resource whole here.
 */
export function indirectChange(resource: DeclaredResource, changes: SectionChanges): IndirectChange {
  // A whole-Properties Fn::If: its branches' names, and all of them when its condition changed.
  const all = propertyNames(resource.properties);
  const branches = propertyBranches(resource.properties);
  const attributes = resource.attributes ?? {};
  const touchedAttributes: string[] = ATTRIBUTES_WITH_VALUES.filter((name) => touches(usesOf(ownEntry(attributes, name), false), changes));

  const condition = ownEntry(attributes, 'Condition');
  const conditionChanged = typeof condition === 'string' && changes.conditions.has(condition);
  if (conditionChanged) touchedAttributes.push('Condition');

  // Globals whose changed names cannot be told (not a mapping) touch everything, like a Transform.
  const allGlobals = changes.allGlobals && resource.type.startsWith(SERVERLESS_PREFIX);
  if (changes.transform || conditionChanged || allGlobals) return { properties: all, attributes: touchedAttributes, whole: true };
  if (branches && some(new Set(branches.conditions), changes.conditions)) return { properties: all, attributes: touchedAttributes, whole: false };

  const using = all.filter((name) => touches(usesOf(propertyValue(resource.properties, name), false), changes));
  return { properties: using, attributes: touchedAttributes, whole: false };
}

/** Whether a value uses a parameter, mapping or condition the section changes change. */
export function usesChangedSection(value: unknown, changes: SectionChanges): boolean {
  return touches(usesOf(value, false), changes);
}

function touches(uses: Uses, changes: Changed): boolean {
  return (
    some(uses.names, changes.parameters) ||
    some(uses.conditions, changes.conditions) ||
    (changes.mappings.size > 0 && uses.lookups.some((lookup) => lookupTouched(lookup, changes.mappings)))
  );
}

function some(used: ReadonlySet<string>, changed: ReadonlySet<string>): boolean {
  if (changed.size === 0) return false;
  for (const name of used) if (changed.has(name)) return true;
  return false;
}

/** Whether a mapping change can change what this `Fn::FindInMap` resolves to (rules at the top). */
function lookupTouched(lookup: MapLookup, mappings: ReadonlyMap<string, MappingChange>): boolean {
  const matches = (change: MappingChange | undefined): boolean =>
    change !== undefined &&
    (change.whole ||
      hasEntry(change.changed, lookup.first, lookup.second) ||
      (lookup.withDefault && hasEntry(change.added, lookup.first, lookup.second)));
  if (lookup.map !== undefined) return matches(mappings.get(lookup.map));
  return matches(anyMapping(mappings));
}

const merged = new WeakMap<ReadonlyMap<string, MappingChange>, MappingChange>();

/**
 * Every changed mapping as one, for a lookup whose map name is computed: it is touched when
 * any of them would touch it. Built once per set of changes: a loop over the changed mappings
 * for each such lookup took 12 s on 16,000 mappings and 22,000 lookups.
 */
function anyMapping(mappings: ReadonlyMap<string, MappingChange>): MappingChange {
  let all = merged.get(mappings);
  if (!all) {
    all = { whole: false, changed: emptyEntries(), added: emptyEntries() };
    for (const change of mappings.values()) {
      all.whole ||= change.whole;
      addEntries(all.changed, change.changed);
      addEntries(all.added, change.added);
    }
    merged.set(mappings, all);
  }
  return all;
}

function emptyEntries(): EntryKeys {
  return { byFirst: new Map(), seconds: new Set(), size: 0 };
}

function addEntries(into: EntryKeys, from: EntryKeys): void {
  for (const [first, seconds] of from.byFirst) {
    let known = into.byFirst.get(first);
    if (!known) into.byFirst.set(first, (known = new Set()));
    for (const second of seconds) known.add(second);
  }
  for (const second of from.seconds) into.seconds.add(second);
  into.size += from.size;
}

/** Whether `entries` has `[first, second]`, a key left `undefined` matching any. */
function hasEntry(entries: EntryKeys, first: string | undefined, second: string | undefined): boolean {
  if (first === undefined) return second === undefined ? entries.size > 0 : entries.seconds.has(second);
  const seconds = entries.byFirst.get(first);
  if (!seconds) return false;
  return second === undefined ? seconds.size > 0 : seconds.has(second);
}

/**
 * Maps whose change can matter to a lookup, base -> head, compared entry by entry: see the
 * rules at the top. A map with only added entries is kept for lookups with a DefaultValue.
 */
function mappingChanges(before: unknown, after: unknown): Map<string, MappingChange> {
  const a = asRecord(before);
  const b = asRecord(after);
  const changes = new Map<string, MappingChange>();
  for (const name of unionKeys(a, b)) {
    const change = mappingChange(ownEntry(a, name), ownEntry(b, name));
    if (change.whole || change.changed.size > 0 || change.added.size > 0) changes.set(name, change);
  }
  return changes;
}

function mappingChange(before: unknown, after: unknown): MappingChange {
  const changed = entryKeys();
  const added = entryKeys();
  const twoLevel = (map: unknown) => map === undefined || (isRecord(map) && Object.values(map).every(isRecord));
  if (!twoLevel(before) || !twoLevel(after)) return { whole: !sameValue(before, after), changed, added };
  const a = asRecord(before);
  const b = asRecord(after);
  for (const first of unionKeys(a, b)) {
    const x = asRecord(ownEntry(a, first));
    const y = asRecord(ownEntry(b, first));
    for (const second of unionKeys(x, y)) {
      const was = ownEntry(x, second);
      const is = ownEntry(y, second);
      if (was === undefined) addEntry(added, first, second);
      else if (!sameValue(was, is)) addEntry(changed, first, second);
    }
  }
  return { whole: false, changed, added };
}

function entryKeys(): EntryKeys {
  return { byFirst: new Map(), seconds: new Set(), size: 0 };
}

function addEntry(entries: EntryKeys, first: string, second: string): void {
  let seconds = entries.byFirst.get(first);
  if (!seconds) entries.byFirst.set(first, (seconds = new Set()));
  seconds.add(second);
  entries.seconds.add(second);
  entries.size++;
}

/**
 * Adds to `changes.conditions` every head condition built, however deep, on a changed
 * parameter, mapping or condition. Each definition is read once; the change then spreads
 * breadth-first through the reverse graph (condition -> the conditions naming it), so a
 * chain of n conditions takes O(n), not O(n^2).
 */
function followConditions(definitions: unknown, changes: Changed & { conditions: Set<string> }): void {
  const dependents = new Map<string, string[]>();
  const queue = [...changes.conditions];
  const direct = { ...changes, conditions: new Set<string>() };
  for (const [name, definition] of Object.entries(asRecord(definitions))) {
    const uses = usesOf(definition, true);
    for (const used of uses.conditions) {
      const list = dependents.get(used);
      if (list) list.push(name);
      else dependents.set(used, [name]);
    }
    if (!changes.conditions.has(name) && touches(uses, direct)) {
      changes.conditions.add(name);
      queue.push(name);
    }
  }
  for (let next = 0; next < queue.length; next++) {
    for (const dependent of dependents.get(queue[next]!) ?? []) {
      if (changes.conditions.has(dependent)) continue;
      changes.conditions.add(dependent);
      queue.push(dependent);
    }
  }
}

/**
 * Parameters, mappings and conditions a value uses. `Condition: X` as a one-key mapping
 * names a condition only inside a condition definition (`inCondition`); in a property it
 * could be an ordinary key.
 */
function usesOf(value: unknown, inCondition: boolean): Uses {
  const uses: Uses = { names: new Set(), lookups: [], conditions: new Set() };
  collect(value, inCondition, uses);
  return uses;
}

function collect(value: unknown, inCondition: boolean, uses: Uses): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, inCondition, uses);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const entries = Object.entries(value);
  const [only] = entries;
  if (entries.length === 1 && only) addIntrinsic(only[0], only[1], inCondition, uses);
  for (const [, child] of entries) collect(child, inCondition, uses);
}

function addIntrinsic(name: string, argument: unknown, inCondition: boolean, uses: Uses): void {
  if (name === 'Ref' && typeof argument === 'string') uses.names.add(argument);
  if (name === 'Condition' && inCondition && typeof argument === 'string') uses.conditions.add(argument);
  if (name === 'Fn::If' && Array.isArray(argument) && typeof argument[0] === 'string') uses.conditions.add(argument[0]);
  if (name === 'Fn::FindInMap' && Array.isArray(argument)) {
    const [map, first, second] = argument.map(literalKey);
    uses.lookups.push({ map, first, second, withDefault: argument.length > 3 });
  }
  if (name === 'Fn::Sub') {
    // `${P}` in the string; the variable map's own values are walked like any other value.
    if (typeof argument === 'string') for (const id of subVariableIds(argument, new Set())) uses.names.add(id);
    if (Array.isArray(argument) && typeof argument[0] === 'string') {
      const locals = isRecord(argument[1]) ? new Set(Object.keys(argument[1])) : new Set<string>();
      for (const id of subVariableIds(argument[0], locals)) uses.names.add(id);
    }
  }
}

/**
 * A literal map name or key; `undefined` (any) when computed. A number or boolean counts as
 * computed too: its text (`012345678901`, `1.0`, `yes`) may not be the key it reads as.
 */
function literalKey(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Entry names of two mappings whose values are not `same` (added and removed ones included). */
function changedEntries(before: unknown, after: unknown, same: (a: unknown, b: unknown) => boolean): Set<string> {
  const a = asRecord(before);
  const b = asRecord(after);
  return new Set(unionKeys(a, b).filter((name) => !same(ownEntry(a, name), ownEntry(b, name))));
}

function unionKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}
