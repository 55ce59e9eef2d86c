// Where one ValueEdit lands in a CloudFormation template read as yaml nodes with source
// ranges (the `yaml` package's own nodes for YAML, parse-json-nodes.ts for JSON): the node
// to replace, the mapping to add a key to, the list to append a tag to, or why nothing may
// be written. Pure; the editors (apply-yaml-edits.ts, apply-json-edits.ts) do the writing.
import { isAlias, isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { RefusalReason, ValueEdit } from './types.js';

type Segment = string | number;

export type EditTarget =
  /** The value is declared: `node` is replaced by `value`. */
  | { kind: 'replace'; node: Node; value: unknown; context: 'block' | 'flow' }
  /** The mapping has no key `rest[0]`: add it, with `value` nested under `rest.slice(1)`. */
  | { kind: 'add'; map: YAMLMap; rest: string[]; value: unknown }
  /** The key is there with nothing after it (`Properties:`): write `value` nested under `rest` as its value. */
  | { kind: 'fill'; pair: Pair; rest: string[]; value: unknown }
  /** A `Key`/`Value` list without the tag: append `item` (`{ Key, Value }`), after `like` when there is one. */
  | { kind: 'append'; seq: YAMLSeq; item: Record<string, string>; like?: YAMLMap }
  | { kind: 'refused'; reason: RefusalReason; detail: string };

/** The long-form intrinsics: a mapping with one key `Ref` or `Fn::...`. */
function longIntrinsic(node: Node): string | undefined {
  if (!isMap(node) || node.items.length !== 1) return undefined;
  const key = node.items[0]?.key;
  const name = isScalar(key) ? String(key.value) : undefined;
  return name !== undefined && (name === 'Ref' || name.startsWith('Fn::')) ? name : undefined;
}

/** `!Ref`, `!Sub`, ... (any local tag) or the long form; undefined for a plain value. */
export function expressionOf(node: Node): string | undefined {
  const tag = (node as { tag?: string }).tag;
  if (tag?.startsWith('!') && !tag.startsWith('!!')) return tag;
  return longIntrinsic(node);
}

/** The first expression anywhere inside a mapping or list. */
function expressionInside(node: Node): string | undefined {
  const pending: unknown[] = [node];
  while (pending.length > 0) {
    const next = pending.pop();
    if (!isMap(next) && !isSeq(next)) continue;
    const expression = next === node ? undefined : expressionOf(next);
    if (expression) return expression;
    for (const item of next.items) {
      if (isMap(next)) {
        const value = (item as Pair).value;
        if (isScalar(value) && expressionOf(value)) return expressionOf(value);
        pending.push(value);
      } else {
        if (isScalar(item) && expressionOf(item)) return expressionOf(item);
        pending.push(item);
      }
    }
  }
  return undefined;
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === key) as Pair | undefined;
}

function isEmpty(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null && (node.range?.[0] ?? 0) === (node.range?.[1] ?? 0));
}

function describe(resource: string, path: readonly Segment[]): string {
  return [resource, ...path].join('.');
}

function refused(reason: RefusalReason, detail: string): EditTarget {
  return { kind: 'refused', reason, detail };
}

/** Walks from the template's root to the edit's place; `flow` says whether a flow collection encloses it. */
export function computeEditTarget(root: Node | null, edit: ValueEdit): EditTarget {
  const { resource } = edit;
  const resources = isMap(root) ? pairOf(root, 'Resources')?.value : undefined;
  if (!isMap(resources)) return refused('not-found', 'the template has no Resources mapping');
  const resourcePair = pairOf(resources, resource);
  if (!resourcePair) return refused('not-found', `resource ${resource} is not in this template`);
  const body = resourcePair.value as Node | null;
  if (isAlias(body)) return refused('unsupported', `resource ${resource} is an alias; edit its anchor by hand`);
  if (!isMap(body)) return refused('unsupported', `resource ${resource} is not a mapping`);
  const value = edit.op.kind === 'set' ? edit.op.value : undefined;
  const walk = walkTo(body, ['Properties', ...edit.path], resource, isFlow(resources) || isFlow(body));
  if (walk.kind !== 'found') {
    if (walk.kind !== 'missing' && walk.kind !== 'empty') return walk;
    if (walk.rest.some((segment) => typeof segment === 'number')) {
      return refused('unsupported', `${describe(resource, edit.path)}: the list item is not in the template, and list items are not added`);
    }
    const rest = walk.rest as string[];
    const nested = edit.op.kind === 'tag' ? [{ Key: edit.op.key, Value: edit.op.value }] : value;
    return walk.kind === 'missing' ? { kind: 'add', map: walk.map, rest, value: nested } : { kind: 'fill', pair: walk.pair, rest, value: nested };
  }
  const { node, flow } = walk;
  if (edit.op.kind === 'set') {
    const inner = expressionInside(node);
    if (inner) {
      return refused('expression', `${describe(resource, edit.path)} holds an expression (${inner}); not replaced as a whole (edit the values that differ one by one)`);
    }
    return { kind: 'replace', node, value, context: flow ? 'flow' : 'block' };
  }
  return tagTarget(node, edit, edit.op, flow);
}

type Walk =
  | { kind: 'found'; node: Node; flow: boolean }
  | { kind: 'missing'; map: YAMLMap; rest: Segment[] }
  | { kind: 'empty'; pair: Pair; rest: Segment[] }
  | { kind: 'refused'; reason: RefusalReason; detail: string };

function isFlow(node: unknown): boolean {
  return (isMap(node) || isSeq(node)) && node.flow === true;
}

function walkTo(start: YAMLMap, path: readonly Segment[], resource: string, enclosingFlow: boolean): Walk {
  let current: Node = start;
  let flow = enclosingFlow;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const here = describe(resource, path.slice(1, i));
    const expression = expressionOf(current);
    if (expression) return { kind: 'refused', reason: 'expression', detail: `${here} is an expression (${expression}); not edited` };
    if (isAlias(current)) return { kind: 'refused', reason: 'unsupported', detail: `${here} is an alias (*${current.source}); edit its anchor by hand` };
    flow ||= isFlow(current);
    if (typeof segment === 'number') {
      if (!isSeq(current)) return { kind: 'refused', reason: 'unsupported', detail: `${here} is not a list` };
      const item = current.items[segment] as Node | undefined;
      if (item === undefined) return { kind: 'missing', map: start, rest: path.slice(i) };
      current = item;
      continue;
    }
    if (!isMap(current)) return { kind: 'refused', reason: 'unsupported', detail: `${here} is not a mapping` };
    const pair = pairOf(current, segment);
    if (!pair) return { kind: 'missing', map: current, rest: path.slice(i) };
    if (isEmpty(pair.value)) {
      if (i === path.length - 1) return { kind: 'empty', pair, rest: [] };
      return { kind: 'empty', pair, rest: path.slice(i + 1) };
    }
    current = pair.value as Node;
  }
  const expression = expressionOf(current);
  if (expression) {
    return { kind: 'refused', reason: 'expression', detail: `${describe(resource, path.slice(1))} is an expression (${expression}); not edited` };
  }
  return { kind: 'found', node: current, flow };
}

/** A tag into `Tags`: the entry's `Value` when the key is there, else an appended entry. SAM's map form is a mapping. */
function tagTarget(node: Node, edit: ValueEdit, op: { key: string; value: string }, flow: boolean): EditTarget {
  const { key, value } = op;
  const where = describe(edit.resource, edit.path);
  if (isAlias(node)) return refused('unsupported', `${where} is an alias (*${node.source}); edit its anchor by hand`);
  if (isMap(node)) {
    const pair = pairOf(node, key);
    if (!pair) return { kind: 'add', map: node, rest: [key], value };
    return valueTarget(pair, `${where}.${key}`, value, flow || isFlow(node));
  }
  if (!isSeq(node)) return refused('unsupported', `${where} is neither a Key/Value list nor a mapping`);
  let like: YAMLMap | undefined;
  for (const item of node.items) {
    const expression = isAlias(item) ? `*${item.source}` : expressionOf(item as Node);
    if (expression || !isMap(item)) {
      return refused(expression ? 'expression' : 'unsupported', `${where} has an entry that is not a Key/Value mapping (${expression ?? 'not a mapping'}); the tag ${key} may be in it`);
    }
    const keyPair = pairOf(item, 'Key');
    const keyNode = keyPair?.value as Node | undefined;
    if (!keyNode || !isScalar(keyNode) || expressionOf(keyNode)) {
      return refused('expression', `${where} has an entry whose Key is not a literal; the tag ${key} may be that one`);
    }
    like = item;
    if (String((keyNode as Scalar).value) !== key) continue;
    const valuePair = pairOf(item, 'Value');
    if (!valuePair) return { kind: 'add', map: item, rest: ['Value'], value };
    return valueTarget(valuePair, `${where}[Key=${key}].Value`, value, flow || isFlow(node) || isFlow(item));
  }
  return like ? { kind: 'append', seq: node, item: { Key: key, Value: value }, like } : { kind: 'append', seq: node, item: { Key: key, Value: value } };
}

function valueTarget(pair: Pair, where: string, value: string, flow: boolean): EditTarget {
  const node = pair.value as Node | null;
  if (isEmpty(node)) return { kind: 'fill', pair, rest: [], value };
  const expression = expressionOf(node as Node);
  if (expression) return refused('expression', `${where} is an expression (${expression}); not edited`);
  return { kind: 'replace', node: node as Node, value, context: flow ? 'flow' : 'block' };
}

/**
 * What the template should read as after the edit, from what it read as before (JSON form,
 * aliases resolved). `before` is not changed: the objects along the edit's path are copied,
 * the rest is shared (a whole copy of a 1 MB template per edit cost more than the edit).
 */
export function expectedAfter(before: unknown, edit: ValueEdit): unknown {
  const path = ['Resources', edit.resource, 'Properties', ...edit.path];
  if (edit.op.kind === 'set') {
    const { value } = edit.op;
    return updateIn(before, path, () => value);
  }
  const { key, value } = edit.op;
  return updateIn(before, path, (holder) => {
    if (Array.isArray(holder)) {
      const index = holder.findIndex((item) => (item as { Key?: unknown } | null)?.Key === key);
      if (index === -1) return [...holder, { Key: key, Value: value }];
      return holder.map((item, i) => (i === index ? { ...(item as object), Value: value } : item));
    }
    if (holder !== null && typeof holder === 'object') return { ...holder, [key]: value };
    return [{ Key: key, Value: value }];
  });
}

function updateIn(value: unknown, path: readonly Segment[], update: (old: unknown) => unknown): unknown {
  if (path.length === 0) return update(value);
  const [head, ...rest] = path as [Segment, ...Segment[]];
  const container = value !== null && typeof value === 'object' ? value : typeof head === 'number' ? [] : {};
  const copy = (Array.isArray(container) ? [...container] : { ...container }) as Record<Segment, unknown>;
  copy[head] = updateIn(copy[head], rest, update);
  return copy;
}
