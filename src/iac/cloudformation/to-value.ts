// Turns a yaml AST node into the JSON-form value CloudFormation sees: intrinsics expanded,
// aliases resolved. Problems are thrown as TemplateProblem (with a source offset) and
// turned into a ParseError at parse-template's edge.
//
// Bounded by the input: an alias stands for its anchored node's value, which is computed
// once and then shared (time linear in the nodes written); what the aliases expand to is
// still counted, in values, characters and depth, because every later step (changes,
// references, spans, rendering) walks the expanded value. So a "billion laughs" template,
// or a string of 100 KB aliased 10,000 times (1 GB of text under a 100 KB file), stops
// here with the line of the alias, instead of in an out-of-memory crash further on.
import { isAlias, isMap, isScalar, isSeq, type Alias, type Node } from 'yaml';
import { expandIntrinsic, type NodeKind } from './intrinsic-tags.js';

export class TemplateProblem extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Values (scalars and collections) a template may expand to, aliases included. */
export const MAX_NODES = 500_000;
/** Characters of text (strings and keys) a template may expand to: 4 times the 1 MB a template may have. */
export const MAX_CHARS = 4 * 1024 * 1024;
/**
 * Collections inside collections. Generous for CloudFormation (a Step Functions definition
 * inline in a template nests about 30 deep; SnakeYAML's own default limit is 50), and far
 * below what a recursive walk can overflow on.
 */
export const MAX_DEPTH = 100;

export const DEEP_MESSAGE = `values are nested more than ${MAX_DEPTH} levels deep here; CloudFormation templates do not need that many`;

/** A computed value with what it costs wherever it is used again. */
interface Expansion {
  value: unknown;
  /** Levels of collections in it (0 for a scalar). */
  height: number;
  nodes: number;
  chars: number;
}

export interface ValueContext {
  /** Alias -> the anchored node it names (from resolveAnchors); empty for JSON. */
  targets: ReadonlyMap<Alias, Node | undefined>;
  nodes: number;
  chars: number;
  /**
   * The height of the value the last expand call returned. A field, not a `{ value, height }`
   * returned per node: that object for every value was a tenth of what a 1 MB template
   * allocates, and the garbage collector's share of a parse grows with it (`npm run bench`).
   */
  height: number;
  /** Anchored nodes already computed. */
  computed: Map<Node, Expansion>;
  /** Anchored nodes being computed right now: an alias to one of them is a cycle. */
  expanding: Set<Node>;
}

export function newValueContext(targets: ReadonlyMap<Alias, Node | undefined> = new Map()): ValueContext {
  return { targets, nodes: 0, chars: 0, height: 0, computed: new Map(), expanding: new Set() };
}

export function toValue(node: unknown, ctx: ValueContext): unknown {
  return expand(node, ctx, 0);
}

/** The value of a node; its height is left in ctx.height. */
function expand(node: unknown, ctx: ValueContext, depth: number): unknown {
  if (node === null || node === undefined) {
    ctx.height = 0;
    return null;
  }
  const offset = startOf(node);
  if (isAlias(node)) return expandAlias(node, ctx, depth, offset);
  const anchored = (node as { anchor?: string }).anchor ? (node as Node) : undefined;
  const known = anchored && ctx.computed.get(anchored);
  if (known) return reuse(known, ctx, depth, offset);
  if (depth > MAX_DEPTH) throw new TemplateProblem(`values are nested more than ${MAX_DEPTH} levels deep here`, offset);

  if (!anchored) return expandNode(node, ctx, depth, offset);
  return expandAnchored(anchored, ctx, depth, offset);
}

function expandAnchored(anchored: Node, ctx: ValueContext, depth: number, offset: number): unknown {
  const nodes = ctx.nodes;
  const chars = ctx.chars;
  ctx.expanding.add(anchored);
  try {
    const value = expandNode(anchored, ctx, depth, offset);
    ctx.computed.set(anchored, { value, height: ctx.height, nodes: ctx.nodes - nodes, chars: ctx.chars - chars });
    return value;
  } finally {
    ctx.expanding.delete(anchored);
  }
}

function expandNode(node: unknown, ctx: ValueContext, depth: number, offset: number): unknown {
  let kind: NodeKind;
  let value: unknown;
  let height = 0;
  if (isScalar(node)) {
    kind = 'scalar';
    value = node.value;
    count(ctx, 1, typeof value === 'string' ? value.length : 1, offset);
  } else if (isSeq(node)) {
    kind = 'seq';
    count(ctx, 1, 1, offset);
    const items = node.items;
    const out: unknown[] = new Array(items.length);
    height = 1;
    for (let i = 0; i < items.length; i++) {
      out[i] = expand(items[i], ctx, depth + 1);
      if (ctx.height + 1 > height) height = ctx.height + 1;
    }
    value = out;
  } else if (isMap(node)) {
    kind = 'map';
    count(ctx, 1, 1, offset);
    const out: Record<string, unknown> = {};
    height = 1;
    for (const pair of node.items) {
      const key = keyOf(pair.key);
      count(ctx, 0, key.length, startOf(pair.key));
      const child = expand(pair.value, ctx, depth + 1);
      if (ctx.height + 1 > height) height = ctx.height + 1;
      // A plain assignment of "__proto__" would change the prototype instead of adding a key.
      if (key === '__proto__') {
        Object.defineProperty(out, key, { value: child, enumerable: true, writable: true, configurable: true });
      } else {
        out[key] = child;
      }
    }
    value = out;
  } else {
    throw new TemplateProblem('unsupported YAML node', offset);
  }

  const tag = (node as { tag?: string }).tag;
  if (!tag || !tag.startsWith('!')) {
    ctx.height = height;
    return value;
  }
  const expanded = expandIntrinsic(tag, kind, value);
  if (!expanded) throw new TemplateProblem(`unknown tag ${tag}`, offset);
  if (!expanded.ok) throw new TemplateProblem(expanded.message, offset);
  ctx.height = height + 1;
  return expanded.value;
}

function expandAlias(node: Alias, ctx: ValueContext, depth: number, offset: number): unknown {
  const target = resolveAlias(node, ctx);
  if (!target) throw new TemplateProblem(`alias *${node.source} has no anchor before it`, offset);
  if (ctx.expanding.has(target)) throw new TemplateProblem(`alias *${node.source} refers to itself`, offset);
  const known = ctx.computed.get(target);
  if (known) return reuse(known, ctx, depth, offset);
  return expand(target, ctx, depth);
}

/** An anchored value used again: counted again, and checked for depth where it is used. */
function reuse(known: Expansion, ctx: ValueContext, depth: number, offset: number): unknown {
  if (depth + known.height > MAX_DEPTH) {
    throw new TemplateProblem(`values are nested more than ${MAX_DEPTH} levels deep here (through aliases)`, offset);
  }
  count(ctx, known.nodes, known.chars, offset);
  ctx.height = known.height;
  return known.value;
}

function count(ctx: ValueContext, nodes: number, chars: number, offset: number): void {
  ctx.nodes += nodes;
  ctx.chars += chars;
  if (ctx.nodes > MAX_NODES) throw new TemplateProblem(`the template expands to more than ${MAX_NODES} values (aliases?)`, offset);
  if (ctx.chars > MAX_CHARS) {
    throw new TemplateProblem(`the template expands to more than ${MAX_CHARS / 1024 / 1024} MB of text (aliases?)`, offset);
  }
}

export function resolveAlias(node: Alias, ctx: ValueContext): Node | undefined {
  return ctx.targets.get(node);
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
  // The hand-written reader's nodes hold their start as a number, and build `range` when it
  // is read (parse-yaml-nodes.ts): an array per call, for every node, key and pair
  const start = (node as { start?: unknown } | null)?.start;
  if (typeof start === 'number') return start;
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : 0;
}
