// The value of a template expression where AWS::LanguageExtensions needs one before deploy
// time: a Fn::ForEach collection, a logical id (`Ref: { Fn::Sub: 'Subnet${Name}' }`). Pure.
//
// Known: literals, the loop identifiers in scope, a parameter's `Default` (list types split on
// commas, each member space-trimmed, as CloudFormation reads a CommaDelimitedList), and
// Fn::Sub (identifiers and parameters only), Fn::FindInMap (with `DefaultValue` for a missing
// entry), Fn::Split, Fn::Join, Fn::Select, Fn::Length and Fn::ToJsonString over known values.
// Anything else (a parameter without Default, a resource, a pseudo parameter, Fn::If,
// Fn::GetAtt, ...) is unknown: the answer says why, and nothing is guessed. Everywhere else
// these functions stay in the template as written: CloudFormation resolves them at deploy time.
import { isRecord } from '../../values/cloudformation-value.js';

export type Evaluated = { ok: true; value: unknown } | { ok: false; reason: string };

export interface EvaluationScope {
  /** Loop identifiers -> the current item. */
  identifiers: ReadonlyMap<string, string>;
  parameters: Record<string, unknown>;
  mappings: Record<string, unknown>;
}

const SUB_VARIABLE = /\$\{([^{}!]*)\}/g;

export function evaluate(value: unknown, scope: EvaluationScope, depth = 0): Evaluated {
  if (depth > 100) return unknown('the expression is nested too deeply');
  if (value === null || typeof value !== 'object') return { ok: true, value };
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      const known = evaluate(item, scope, depth + 1);
      if (!known.ok) return known;
      items.push(known.value);
    }
    return { ok: true, value: items };
  }
  const keys = Object.keys(value);
  const name = keys.length === 1 ? keys[0]! : undefined;
  const argument = name === undefined ? undefined : (value as Record<string, unknown>)[name];
  switch (name) {
    case 'Ref':
      return ref(argument, scope, depth);
    case 'Fn::Sub':
      return sub(argument, scope, depth);
    case 'Fn::FindInMap':
      return findInMap(argument, scope, depth);
    case 'Fn::Split': {
      const args = evaluateList(argument, 2, 'Fn::Split', scope, depth);
      if (!args.ok) return args;
      const [delimiter, text] = args.value as unknown[];
      if (typeof delimiter !== 'string' || typeof text !== 'string') return unknown('Fn::Split takes a delimiter and a string');
      return { ok: true, value: text.split(delimiter) };
    }
    case 'Fn::Join': {
      const args = evaluateList(argument, 2, 'Fn::Join', scope, depth);
      if (!args.ok) return args;
      const [delimiter, items] = args.value as unknown[];
      if (typeof delimiter !== 'string' || !Array.isArray(items) || !items.every(isText)) return unknown('Fn::Join takes a delimiter and a list of strings');
      return { ok: true, value: items.map(String).join(delimiter) };
    }
    case 'Fn::Select': {
      const args = evaluateList(argument, 2, 'Fn::Select', scope, depth);
      if (!args.ok) return args;
      const [index, items] = args.value as unknown[];
      const at = Number(index);
      if (!Array.isArray(items) || !Number.isInteger(at) || at < 0 || at >= items.length) return unknown('Fn::Select has no such item');
      return { ok: true, value: items[at] };
    }
    case 'Fn::Length': {
      const list = evaluate(argument, scope, depth + 1);
      if (!list.ok) return list;
      return Array.isArray(list.value) ? { ok: true, value: list.value.length } : unknown('Fn::Length takes a list');
    }
    case 'Fn::ToJsonString': {
      const known = evaluate(argument, scope, depth + 1);
      if (!known.ok) return known;
      return { ok: true, value: JSON.stringify(known.value) };
    }
    default:
      if (name !== undefined && (name.startsWith('Fn::') || name === 'Condition')) return unknown(`${name} is only known when the stack deploys`);
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const known = evaluate((value as Record<string, unknown>)[key], scope, depth + 1);
    if (!known.ok) return known;
    out[key] = known.value;
  }
  return { ok: true, value: out };
}

function ref(argument: unknown, scope: EvaluationScope, depth: number): Evaluated {
  const target = evaluate(argument, scope, depth + 1);
  if (!target.ok) return target;
  const name = target.value;
  if (typeof name !== 'string') return unknown('Ref takes a name');
  const item = scope.identifiers.get(name);
  if (item !== undefined) return { ok: true, value: item };
  if (!Object.hasOwn(scope.parameters, name)) return unknown(`${name} is not a parameter, so its value is only known when the stack deploys`);
  const parameter = scope.parameters[name];
  const fallback = isRecord(parameter) && Object.hasOwn(parameter, 'Default') ? parameter.Default : undefined;
  if (fallback === undefined || fallback === null) {
    return unknown(`parameter ${name} has no Default, so its value is the stack's, which the template does not say`);
  }
  const type = isRecord(parameter) && typeof parameter.Type === 'string' ? parameter.Type : 'String';
  if (type.startsWith('AWS::SSM::Parameter')) return unknown(`parameter ${name} is read from SSM when the stack deploys`);
  if (/List/.test(type)) {
    if (Array.isArray(fallback)) return { ok: true, value: fallback.map(String) };
    return { ok: true, value: String(fallback).split(',').map((member) => member.trim()) };
  }
  return { ok: true, value: typeof fallback === 'object' ? fallback : String(fallback) };
}

function sub(argument: unknown, scope: EvaluationScope, depth: number): Evaluated {
  const [text, variables] = Array.isArray(argument) ? argument : [argument, undefined];
  if (typeof text !== 'string') return unknown('Fn::Sub takes a string');
  const locals = new Map(scope.identifiers);
  if (isRecord(variables)) {
    for (const [name, expression] of Object.entries(variables)) {
      const known = evaluate(expression, scope, depth + 1);
      if (!known.ok) return known;
      if (!isText(known.value)) return unknown(`the Fn::Sub variable ${name} is not a string`);
      locals.set(name, String(known.value));
    }
  }
  let failure: Evaluated | undefined;
  const value = text.replace(SUB_VARIABLE, (whole, inside: string) => {
    const name = inside.trim();
    const known = locals.get(name) ?? (name.includes('.') ? undefined : ref(name, { ...scope, identifiers: locals }, depth + 1));
    if (typeof known === 'string') return known;
    if (known?.ok && isText(known.value)) return String(known.value);
    failure ??= known && !known.ok ? known : unknown(`\${${name}} is only known when the stack deploys`);
    return whole;
  });
  return failure ?? { ok: true, value: value.replace(/\$\{!/g, '${') };
}

function findInMap(argument: unknown, scope: EvaluationScope, depth: number): Evaluated {
  if (!Array.isArray(argument) || argument.length < 3 || argument.length > 4) return unknown('Fn::FindInMap takes a map, two keys and an optional DefaultValue');
  const keys: string[] = [];
  for (const part of argument.slice(0, 3)) {
    const known = evaluate(part, scope, depth + 1);
    if (!known.ok) return known;
    if (!isText(known.value)) return unknown('Fn::FindInMap keys are strings');
    keys.push(String(known.value));
  }
  const [map, first, second] = keys as [string, string, string];
  const level1 = isRecord(scope.mappings) && Object.hasOwn(scope.mappings, map) ? scope.mappings[map] : undefined;
  const level2 = isRecord(level1) && Object.hasOwn(level1, first) ? level1[first] : undefined;
  if (isRecord(level2) && Object.hasOwn(level2, second)) return mappingValue(level2[second], map);
  const options = argument[3];
  if (isRecord(options) && Object.hasOwn(options, 'DefaultValue')) return evaluate(options.DefaultValue, scope, depth + 1);
  return unknown(`the mapping ${map} has no entry ${first}.${second}`);
}

/**
 * A value of the Mappings section, as written: CloudFormation allows no parameter, pseudo
 * parameter or intrinsic function there. Not evaluated: an entry naming another twice, down a
 * chain of 40, made 2^40 evaluations from a 2 KB template (the process ran out of memory).
 */
function mappingValue(value: unknown, map: string): Evaluated {
  if (isText(value)) return { ok: true, value };
  if (Array.isArray(value) && value.every(isText)) return { ok: true, value };
  return unknown(`the mapping ${map} holds an expression, which CloudFormation does not allow in Mappings`);
}

function evaluateList(argument: unknown, length: number, name: string, scope: EvaluationScope, depth: number): Evaluated {
  if (!Array.isArray(argument) || argument.length !== length) return unknown(`${name} takes ${length} arguments`);
  return evaluate(argument, scope, depth + 1);
}

function isText(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function unknown(reason: string): Evaluated {
  return { ok: false, reason };
}
