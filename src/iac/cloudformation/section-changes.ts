// Changes outside Resources that change what a resource deploys, followed into the
// resources that use them. Pure.
//
// - Parameters: a change to Default, AllowedValues, Type or NoEcho (or an added or removed
//   parameter) touches every property that names it through `Ref` or `${P}` in `Fn::Sub`.
//   A deployed stack runs with its own parameter values, but a pull request changing a
//   default means to change the value, so it counts. Description and the other fields
//   touch nothing.
// - Mappings: any change to a map touches every property whose `Fn::FindInMap` names it;
//   when the map name is itself computed, any mapping change touches the property.
// - Conditions: a changed definition, or one built on a changed parameter, mapping or
//   condition (`Condition: X` inside And/Or/Not), touches every property whose `Fn::If`
//   names it, and the whole resource (every property and its `Condition` attribute) when
//   the resource's `Condition` attribute names it.
// - SAM Globals: a changed section (`Function`, `Api`, ...) touches every property of every
//   `AWS::Serverless::<Section>` resource, plus the names the section changes.
// - Transform: any change touches every property of every resource.
import type { DeclaredResource, DeclaredTemplate } from '../../types.js';
import { subVariableIds } from './compute-references.js';
import { sameValue } from './deep-equal.js';
import type { CloudFormationResource } from './resource-attributes.js';

/** The parameter fields whose change changes what a resource gets. */
const PARAMETER_FIELDS = ['Default', 'AllowedValues', 'Type', 'NoEcho'] as const;

/** Resource attributes that may use parameters, mappings and conditions (Type, DependsOn and Condition cannot). */
const ATTRIBUTES_WITH_VALUES = ['DeletionPolicy', 'UpdateReplacePolicy', 'UpdatePolicy', 'CreationPolicy', 'Metadata'] as const;

const SERVERLESS_PREFIX = 'AWS::Serverless::';

export interface SectionChanges {
  parameters: ReadonlySet<string>;
  mappings: ReadonlySet<string>;
  conditions: ReadonlySet<string>;
  /** Changed Globals sections (`Function`, `Api`, ...) -> the top-level names in them that changed. */
  globals: ReadonlyMap<string, readonly string[]>;
  /** Globals changed but is not a mapping of sections: every serverless resource is touched. */
  allGlobals: boolean;
  transform: boolean;
}

/** What a template uses outside Resources. */
interface Uses {
  /** Names in `Ref` and `Fn::Sub` (parameters, resources and pseudo parameters alike). */
  names: Set<string>;
  mappings: Set<string>;
  /** A `Fn::FindInMap` whose map name is computed. */
  anyMapping: boolean;
  conditions: Set<string>;
}

export interface IndirectChange {
  /** Top-level property names touched (may include Globals names the resource does not declare). */
  properties: string[];
  /** Touched attributes, in no particular order. */
  attributes: string[];
  /** `true` when the whole resource is touched (Condition attribute, Globals, Transform). */
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

  const parameters = changedEntries(before.Parameters, after.Parameters, (a, b) =>
    PARAMETER_FIELDS.every((field) => sameValue(fieldOf(a, field), fieldOf(b, field))),
  );
  const mappings = changedEntries(before.Mappings, after.Mappings, sameValue);
  const conditions = changedEntries(before.Conditions, after.Conditions, sameValue);
  const changes = { parameters, mappings, conditions };

  // A condition built on a changed parameter, mapping or condition changes too, however deep.
  const headConditions = Object.entries(asRecord(after.Conditions));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, definition] of headConditions) {
      if (conditions.has(name) || !touches(usesOf(definition, true), changes)) continue;
      conditions.add(name);
      grew = true;
    }
  }

  const globals = new Map<string, string[]>();
  let allGlobals = false;
  if (isRecord(before.Globals ?? {}) && isRecord(after.Globals ?? {})) {
    const beforeGlobals = asRecord(before.Globals);
    const afterGlobals = asRecord(after.Globals);
    for (const kind of unionKeys(beforeGlobals, afterGlobals)) {
      const changed = changedGlobalNames(own(beforeGlobals, kind), own(afterGlobals, kind), changes);
      if (changed) globals.set(kind, changed);
    }
  } else {
    allGlobals = !sameValue(before.Globals, after.Globals) || touches(usesOf(after.Globals, false), changes);
  }

  const transform = !sameValue(before.Transform, after.Transform);
  const nothing = parameters.size + mappings.size + conditions.size + globals.size === 0 && !allGlobals && !transform;
  return nothing ? undefined : { parameters, mappings, conditions, globals, allGlobals, transform };
}

/** What of `resource` (as in head) the section changes touch. */
export function indirectChange(resource: DeclaredResource, changes: SectionChanges): IndirectChange {
  const all = Object.keys(resource.properties);
  const attributes = (resource as Partial<CloudFormationResource>).attributes ?? {};
  const touchedAttributes: string[] = ATTRIBUTES_WITH_VALUES.filter((name) => touches(usesOf(own(attributes, name), false), changes));

  const condition = own(attributes, 'Condition');
  const conditionChanged = typeof condition === 'string' && changes.conditions.has(condition);
  if (conditionChanged) touchedAttributes.push('Condition');

  const globals = globalsFor(resource.type, changes);
  if (changes.transform || conditionChanged || globals) {
    const properties = [...new Set([...all, ...(globals ?? [])])];
    return { properties, attributes: touchedAttributes, whole: true };
  }

  const properties = all.filter((name) => touches(usesOf(own(resource.properties, name), false), changes));
  return { properties, attributes: touchedAttributes, whole: false };
}

/** The Globals names a resource of this type gets from a changed Globals section; `undefined` when untouched. */
function globalsFor(type: string, changes: SectionChanges): readonly string[] | undefined {
  if (!type.startsWith(SERVERLESS_PREFIX)) return undefined;
  if (changes.allGlobals) return [];
  return changes.globals.get(type.slice(SERVERLESS_PREFIX.length));
}

/**
 * The names one Globals section (`Function`, ...) changes, base -> head: names whose value
 * differs or uses something changed. `undefined` when the section is untouched.
 */
function changedGlobalNames(
  before: unknown,
  after: unknown,
  changes: Pick<SectionChanges, 'parameters' | 'mappings' | 'conditions'>,
): string[] | undefined {
  if (isRecord(before ?? {}) && isRecord(after ?? {})) {
    const a = asRecord(before);
    const b = asRecord(after);
    const names = unionKeys(b, a).filter(
      (name) => !sameValue(own(a, name), own(b, name)) || touches(usesOf(own(b, name), false), changes),
    );
    return names.length > 0 ? names : undefined;
  }
  if (sameValue(before, after) && !touches(usesOf(after, false), changes)) return undefined;
  return unionKeys(asRecord(after), asRecord(before));
}

function touches(uses: Uses, changes: Pick<SectionChanges, 'parameters' | 'mappings' | 'conditions'>): boolean {
  if (uses.anyMapping && changes.mappings.size > 0) return true;
  return (
    some(uses.names, changes.parameters) || some(uses.mappings, changes.mappings) || some(uses.conditions, changes.conditions)
  );
}

function some(used: ReadonlySet<string>, changed: ReadonlySet<string>): boolean {
  if (changed.size === 0) return false;
  for (const name of used) if (changed.has(name)) return true;
  return false;
}

/**
 * Parameters, mappings and conditions a value uses. `Condition: X` as a one-key mapping
 * names a condition only inside a condition definition (`inCondition`); in a property it
 * could be an ordinary key.
 */
function usesOf(value: unknown, inCondition: boolean): Uses {
  const uses: Uses = { names: new Set(), mappings: new Set(), anyMapping: false, conditions: new Set() };
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
    if (typeof argument[0] === 'string') uses.mappings.add(argument[0]);
    else uses.anyMapping = true;
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

/** Entry names of two mappings whose values are not `same` (added and removed ones included). */
function changedEntries(before: unknown, after: unknown, same: (a: unknown, b: unknown) => boolean): Set<string> {
  const a = asRecord(before);
  const b = asRecord(after);
  return new Set(unionKeys(a, b).filter((name) => !same(own(a, name), own(b, name))));
}

function fieldOf(value: unknown, field: string): unknown {
  return isRecord(value) ? own(value, field) : undefined;
}

/** An own entry only: `constructor`, `__proto__`, ... as names must not reach the prototype. */
function own(record: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

function unionKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
