// Fn::ForEach (AWS::LanguageExtensions), expanded as CloudFormation expands it. Pure.
//
// `Fn::ForEach::<Name>: [Identifier, Collection, {OutputKey: OutputValue, ...}]` repeats the
// fragment once per item of the collection (AWS CloudFormation Template Reference,
// "Fn::ForEach"; RFC aws-cloudformation/cfn-language-discussion 0009). For each item:
// - `${Identifier}` in a key becomes the item, `&{Identifier}` the item without its
//   non-alphanumeric characters (so `10.0.1.0/24` can name `Subnet1001024`); keys at every
//   level, as cfn-lint's transform does (src/cfnlint/template/transforms/_language_extensions.py);
// - `Ref: Identifier` becomes the item; `${Identifier}` / `&{Identifier}` in a Fn::Sub string
//   likewise; other strings are left alone;
// - `Ref` to an expression (`Ref: { Fn::Sub: 'Subnet${Name}' }`, which LanguageExtensions
//   allows) becomes `Ref: <the name>` when the name is known;
// - a `Fn::ForEach::` key inside the fragment (nested loops, and loops inside Properties) is
//   expanded in place with the outer identifiers in scope.
// The collection is a list (items may be expressions) or an expression giving one: a
// `Ref` to a CommaDelimitedList parameter (its Default), Fn::FindInMap, Fn::Split, ... (see
// evaluate-language-functions.ts). When it cannot be known, `LoopUnresolved` says why: the
// caller must not drop what the loop declares. A loop CloudFormation would refuse (wrong
// shape, a key generated twice) is a `LoopProblem`.
import { isRecord } from '../../values/cloudformation-value.js';
import { evaluate, type EvaluationScope } from './evaluate-language-functions.js';

export const FOR_EACH_PREFIX = 'Fn::ForEach::';

/**
 * Values the loops of a template may produce, all together. A fifth of the parser's own bound
 * (to-value.ts MAX_NODES): each expanded value is compared, searched and frozen afterwards, so
 * a 146 KB loop over 20,000 items made 480,000 values and 1.7 s of CPU as base and head; at
 * this bound it is ~0.35 s (`npm run bench`). A real loop makes tens of resources of tens of
 * values; CloudFormation takes at most 500 resources in a template.
 */
const MAX_VALUES = 100_000;

export class LoopProblem extends Error {}

export class LoopUnresolved extends Error {}

export interface LoopScope extends EvaluationScope {
  /** Values still allowed, shared by every loop of a template. */
  budget: { values: number };
}

export function isForEachKey(key: string): boolean {
  return key.startsWith(FOR_EACH_PREFIX);
}

/** The `[outputKey, value]` entries one loop declares, in order. */
export function expandLoop(key: string, value: unknown, scope: LoopScope): Array<[string, unknown]> {
  if (!Array.isArray(value) || value.length !== 3) {
    throw new LoopProblem(`${key} must be a list of an identifier, a collection and a template fragment`);
  }
  const [identifier, collection, fragment] = value;
  if (typeof identifier !== 'string' || !/^[A-Za-z0-9]+$/.test(identifier)) {
    throw new LoopProblem(`the identifier of ${key} must be an alphanumeric string`);
  }
  if (!isRecord(fragment)) throw new LoopProblem(`the template fragment of ${key} must be a mapping of output keys`);
  const entries: Array<[string, unknown]> = [];
  const seen = new Set<string>();
  const identifiers = new Map(scope.identifiers);
  const inner: LoopScope = { ...scope, identifiers };
  const add = (outputKey: string, output: unknown) => {
    if (seen.has(outputKey)) throw new LoopProblem(`${key} generates ${outputKey} more than once: its output keys must use \${${identifier}} or &{${identifier}}`);
    seen.add(outputKey);
    entries.push([outputKey, output]);
  };
  // The fragment's entries straight into the list: a mapping per item, keyed by new logical
  // ids each time, made V8 build a hidden class per item (a tenth of expanding 6,000 loops)
  const direct = !isIntrinsicShaped(fragment);
  for (const item of items(key, collection, scope)) {
    identifiers.set(identifier, item);
    if (!direct) {
      for (const [outputKey, output] of Object.entries(substitute(fragment, inner, 0) as Record<string, unknown>)) add(outputKey, output);
      continue;
    }
    spend(inner);
    for (const name in fragment) {
      if (isForEachKey(name)) for (const [outputKey, output] of expandLoop(name, fragment[name], inner)) add(outputKey, output);
      else add(replaceIdentifiers(name, identifiers), substitute(fragment[name], inner, 1));
    }
  }
  return entries;
}

/** A mapping of one key that substitute reads as an intrinsic function. */
function isIntrinsicShaped(record: Record<string, unknown>): boolean {
  const keys = Object.keys(record);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Fn::Sub');
}

function spend(scope: LoopScope): void {
  if (--scope.budget.values < 0) throw new LoopProblem(`Fn::ForEach expands to more than ${MAX_VALUES.toLocaleString('en-US')} values; realitycheck reads no more (CloudFormation takes at most 500 resources in a template)`);
}

/** Every `Fn::ForEach::` key of a mapping expanded in place (entries beside them kept). */
export function expandMapping(record: Record<string, unknown>, scope: LoopScope): Record<string, unknown> {
  return substitute(record, scope, 0) as Record<string, unknown>;
}

function items(key: string, collection: unknown, scope: LoopScope): string[] {
  let known: ReturnType<typeof evaluate>;
  try {
    known = evaluate(collection, scope);
  } catch (error) {
    // A string or list past what V8 holds (Fn::Join, Fn::Split): refused at the loop, never a crash
    if (error instanceof RangeError) throw new LoopProblem(`the collection of ${key} is too large to compute`);
    throw error;
  }
  if (!known.ok) throw new LoopUnresolved(`the collection of ${key} is not known before deploy: ${known.reason}`);
  const list = known.value;
  if (!Array.isArray(list)) throw new LoopProblem(`the collection of ${key} must be a list`);
  // Each item counts against the values the loops may make, before any is expanded
  scope.budget.values -= list.length;
  if (scope.budget.values < 0) spend(scope);
  return list.map((item) => {
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') return String(item);
    throw new LoopProblem(`the collection of ${key} must be a list of strings`);
  });
}

function substitute(value: unknown, scope: LoopScope, depth: number): unknown {
  spend(scope);
  if (depth > 100) throw new LoopProblem('Fn::ForEach values are nested more than 100 levels deep');
  if (Array.isArray(value)) return value.map((item) => substitute(item, scope, depth + 1));
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [name] = keys as [string];
    const argument = value[name];
    if (name === 'Ref') return substituteRef(argument, scope, depth);
    if (name === 'Fn::Sub') return { 'Fn::Sub': substituteSub(argument, scope, depth) };
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (isForEachKey(key)) {
      for (const [outputKey, output] of expandLoop(key, value[key], scope)) put(out, outputKey, output, key);
    } else {
      put(out, replaceIdentifiers(key, scope.identifiers), substitute(value[key], scope, depth + 1), key);
    }
  }
  return out;
}

function put(out: Record<string, unknown>, key: string, entry: unknown, from: string): void {
  if (Object.hasOwn(out, key)) throw new LoopProblem(`${from} generates ${key}, which is already there`);
  if (key === '__proto__') Object.defineProperty(out, key, { value: entry, enumerable: true, writable: true, configurable: true });
  else out[key] = entry;
}

function substituteRef(argument: unknown, scope: LoopScope, depth: number): unknown {
  if (typeof argument === 'string') {
    const item = scope.identifiers.get(argument);
    return item !== undefined ? item : { Ref: argument };
  }
  const name = evaluate(argument, scope);
  if (name.ok && typeof name.value === 'string') return substituteRef(name.value, scope, depth);
  return { Ref: substitute(argument, scope, depth + 1) };
}

function substituteSub(argument: unknown, scope: LoopScope, depth: number): unknown {
  if (typeof argument === 'string') return replaceIdentifiers(argument, scope.identifiers);
  if (Array.isArray(argument) && typeof argument[0] === 'string') {
    return [replaceIdentifiers(argument[0], scope.identifiers), ...argument.slice(1).map((item) => substitute(item, scope, depth + 1))];
  }
  return substitute(argument, scope, depth + 1);
}

/**
 * `${Id}` -> the item, `&{Id}` -> the item's letters and digits. One pass over the text (an
 * item holding `${Other}` is not read again), looking each name up: a split and a join per
 * identifier per string was a fifth of expanding a loop of 20,000 items (`npm run bench`).
 */
export function replaceIdentifiers(text: string, identifiers: ReadonlyMap<string, string>): string {
  let out = '';
  let last = 0;
  for (let open = text.indexOf('{'); open !== -1; open = text.indexOf('{', open + 1)) {
    const sigil = text.charCodeAt(open - 1);
    if (sigil !== 36 /* $ */ && sigil !== 38 /* & */) continue;
    const close = text.indexOf('}', open + 1);
    if (close === -1) break;
    const item = identifiers.get(text.slice(open + 1, close));
    if (item === undefined) continue;
    out += text.slice(last, open - 1) + (sigil === 36 ? item : item.replace(/[^0-9A-Za-z]/g, ''));
    last = close + 1;
    open = close;
  }
  return last === 0 ? text : out + text.slice(last);
}

export { MAX_VALUES };
