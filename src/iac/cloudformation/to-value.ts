// Turns a yaml AST node into the JSON-form value CloudFormation sees: intrinsics expanded,
// aliases resolved. Problems are thrown as TemplateProblem (with a source offset) and
// turned into a ParseError at parse-template's edge.
import { isAlias, isMap, isScalar, isSeq, type Alias, type Document, type Node } from 'yaml';
import { expandIntrinsic, type NodeKind } from './intrinsic-tags.js';

export class TemplateProblem extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Nodes converted per template, aliases included: stops "billion laughs" alias bombs. */
const MAX_NODES = 500_000;

export interface ValueContext {
  /** The YAML document, for aliases; absent for JSON. */
  doc: Document | undefined;
  visited: number;
  /** Anchored nodes being expanded right now: an alias inside its own anchor is a cycle. */
  expanding: Set<Node>;
  /** Alias -> anchored node; yaml's Alias.resolve searches the whole document each time. */
  targets: Map<Alias, Node | undefined>;
}

export function newValueContext(doc: Document | undefined): ValueContext {
  return { doc, visited: 0, expanding: new Set(), targets: new Map() };
}

export function toValue(node: unknown, ctx: ValueContext): unknown {
  if (node === null || node === undefined) return null;
  const offset = startOf(node);
  if (++ctx.visited > MAX_NODES) {
    throw new TemplateProblem(`the template expands to more than ${MAX_NODES} values (aliases?)`, offset);
  }
  if (isAlias(node)) return aliasValue(node, ctx, offset);

  let kind: NodeKind;
  let value: unknown;
  if (isScalar(node)) {
    kind = 'scalar';
    value = node.value;
  } else if (isSeq(node)) {
    kind = 'seq';
    value = node.items.map((item) => toValue(item, ctx));
  } else if (isMap(node)) {
    kind = 'map';
    value = mapValue(node.items, ctx);
  } else {
    throw new TemplateProblem('unsupported YAML node', offset);
  }

  const tag = (node as { tag?: string }).tag;
  if (!tag || !tag.startsWith('!')) return value;
  const expanded = expandIntrinsic(tag, kind, value);
  if (!expanded) throw new TemplateProblem(`unknown tag ${tag}`, offset);
  if (!expanded.ok) throw new TemplateProblem(expanded.message, offset);
  return expanded.value;
}

function aliasValue(node: Alias, ctx: ValueContext, offset: number): unknown {
  const target = resolveAlias(node, ctx);
  if (!target) throw new TemplateProblem(`alias *${node.source} has no anchor before it`, offset);
  if (ctx.expanding.has(target)) throw new TemplateProblem(`alias *${node.source} refers to itself`, offset);
  ctx.expanding.add(target);
  try {
    return toValue(target, ctx);
  } finally {
    ctx.expanding.delete(target);
  }
}

export function resolveAlias(node: Alias, ctx: ValueContext): Node | undefined {
  if (!ctx.doc) return undefined;
  if (!ctx.targets.has(node)) ctx.targets.set(node, node.resolve(ctx.doc));
  return ctx.targets.get(node);
}

function mapValue(items: readonly { key: unknown; value: unknown }[], ctx: ValueContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of items) {
    const key = keyOf(pair.key);
    const value = toValue(pair.value, ctx);
    // A plain assignment of "__proto__" would change the prototype instead of adding a key.
    if (key === '__proto__') {
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Mapping keys are plain strings in CloudFormation; scalars of other types are stringified. */
export function keyOf(key: unknown): string {
  if (isScalar(key)) {
    if ((key as { tag?: string }).tag?.startsWith('!')) {
      throw new TemplateProblem(`a mapping key cannot be tagged ${(key as { tag?: string }).tag}`, startOf(key));
    }
    return String(key.value);
  }
  throw new TemplateProblem('mapping keys must be plain strings', startOf(key));
}

export function startOf(node: unknown): number {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : 0;
}
