// The nodes both hand-written readers give (parse-yaml-nodes.ts, parse-json-nodes.ts), as the
// `yaml` package's identity checks (isScalar, isMap, ...) and the rest of the parser read
// them: the same fields, and the type symbol on the prototype. yaml's own classes set that
// symbol with Object.defineProperty in every constructor, which was a fifth of the reading
// time (--cpu-prof), so these are lighter twins; nothing calls their methods.
import type { Scalar, YAMLMap, YAMLSeq } from 'yaml';

type Range = [number, number, number];

const NODE_TYPE = Symbol.for('yaml.node.type');

/** A collection's items until they are read: nothing ever adds to it. */
export const NO_ITEMS: unknown[] = Object.freeze([]) as unknown as unknown[];

// `range` is computed when read: an array per node, alive as long as the tree, made the garbage
// collector copy a third more (it was 40% of the reading time); read once and dropped, it is cheap.
// `tag` and `anchor` are undefined on the prototype, and own fields only on the few nodes that
// have them: two fields fewer on every node.
export class ScalarNode {
  declare tag: string | undefined;
  declare anchor: string | undefined;
  constructor(
    public value: unknown,
    public type: Scalar.Type,
    public source: string,
    public start: number,
    public end: number,
  ) {}
  get range(): Range {
    return [this.start, this.end, this.end];
  }
}

class CollectionNode {
  declare tag: string | undefined;
  declare anchor: string | undefined;
  /** Set once read, to an array of exactly its length (see the readers' scratch arrays). */
  items: unknown[] = NO_ITEMS;
  start = 0;
  end = 0;
  constructor(public flow: boolean) {}
  get range(): Range {
    return [this.start, this.end, this.end];
  }
}
export class MapNode extends CollectionNode {}
export class SeqNode extends CollectionNode {}

export class PairNode {
  constructor(
    public key: unknown,
    public value: unknown,
  ) {}
}

export class AliasNode {
  anchor: string | undefined = undefined;
  constructor(
    public source: string,
    public start: number,
    public end: number,
  ) {}
  get range(): Range {
    return [this.start, this.end, this.end];
  }
}

for (const [node, type] of [
  [ScalarNode, 'yaml.scalar'],
  [MapNode, 'yaml.map'],
  [SeqNode, 'yaml.seq'],
  [PairNode, 'yaml.pair'],
  [AliasNode, 'yaml.alias'],
] as const) {
  Object.defineProperty(node.prototype, NODE_TYPE, { value: Symbol.for(type) });
}
for (const node of [ScalarNode, CollectionNode]) {
  for (const field of ['tag', 'anchor']) Object.defineProperty(node.prototype, field, { value: undefined, writable: true, enumerable: false, configurable: true });
}

export function setRange(node: YAMLMap | YAMLSeq, start: number, end: number): void {
  (node as unknown as CollectionNode).start = start;
  (node as unknown as CollectionNode).end = end;
}

export function newScalar(value: unknown, type: Scalar.Type, source: string, start: number, end: number): Scalar {
  return new ScalarNode(value, type, source, start, end) as unknown as Scalar;
}
