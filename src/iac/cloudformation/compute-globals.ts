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
import { isRecord, sameValue } from '../../values/cloudformation-value.js';

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
    merged[key] = Object.hasOwn(merged, key) ? mergeGlobal(merged[key], value) : value;
  }
  return merged;
}

function kindOf(value: unknown): 'primitive' | 'list' | 'map' {
  if (Array.isArray(value)) return 'list';
  if (!isRecord(value)) return 'primitive';
  const keys = Object.keys(value);
  const intrinsic = keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0]!.startsWith('Fn::'));
  return intrinsic ? 'primitive' : 'map';
}

/**
 * The Globals a resource takes, by property name: its kind's section (`Function` for
 * AWS::Serverless::Function) less what `IgnoreGlobals` leaves out. `{}` for a resource of
 * another type, or when the section is not a mapping (`undefined` then: cannot be told).
 */
export function globalsOf(globals: unknown, resource: DeclaredResource): Record<string, unknown> | undefined {
  if (!resource.type.startsWith(SERVERLESS_PREFIX) || globals === undefined) return {};
  if (!isRecord(globals)) return undefined;
  const kind = resource.type.slice(SERVERLESS_PREFIX.length);
  const section = Object.hasOwn(globals, kind) ? globals[kind] : undefined;
  if (section === undefined || section === null) return {};
  if (!isRecord(section)) return undefined;
  const ignore = resource.attributes && Object.hasOwn(resource.attributes, 'IgnoreGlobals') ? resource.attributes.IgnoreGlobals : undefined;
  if (ignore === '*') return {};
  if (!Array.isArray(ignore)) return section;
  const left = { ...section };
  for (const name of ignore) if (typeof name === 'string') delete left[name];
  return left;
}

/**
 * Property names whose merged value differs base -> head through Globals (a global added,
 * removed or changed, or `IgnoreGlobals` changed), plus those whose global still reaches the
 * merged value and `usesChanged` says uses a changed parameter, mapping or condition.
 * `undefined` when a Globals section is not a mapping on either side (cannot be told).
 */
export function globalsChanges(
  before: unknown,
  after: unknown,
  base: DeclaredResource,
  head: DeclaredResource,
  usesChanged: (value: unknown) => boolean,
): string[] | undefined {
  const was = globalsOf(before, base);
  const is = globalsOf(after, head);
  if (!was || !is) return undefined;
  const names = [...new Set([...Object.keys(is), ...Object.keys(was)])];
  return names.filter((name) => {
    const global = own(is, name);
    const local = own(head.properties, name);
    if (!sameValue(mergeGlobal(own(was, name), own(base.properties, name)), mergeGlobal(global, local))) return true;
    const reaches = global !== undefined && (local === undefined || (kindOf(global) === kindOf(local) && kindOf(local) !== 'primitive'));
    return reaches && usesChanged(global);
  });
}

function own(record: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}
