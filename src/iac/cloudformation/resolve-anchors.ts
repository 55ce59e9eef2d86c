// One pass over a parsed YAML tree, in document order, before anything else walks it:
// - links every alias to the anchored node it names (the latest `&name` before it), so
//   resolving n aliases takes O(n), where yaml's `Alias.resolve` searches the whole document
//   for each (8,000 aliases of one anchor, 32 KB, took 12 s of CPU that way);
// - refuses nesting deeper than MAX_DEPTH, so no later recursive walk can overflow the stack;
// - reads a repeated key in a mapping as loaders do, the last one winning (PyYAML's and
//   SnakeYAML's constructors assign keys in order; SnakeYAML only refuses duplicates when
//   allowDuplicateKeys is off, and templates with them deploy), and says so: the earlier
//   entry is dropped (after the walk: anchors inside it still count, as in those loaders,
//   whose composer registers them before the constructor picks the last key), so values
//   and lines agree, and a warning names both lines. Linear, with a Map for large mappings
//   (yaml's `uniqueKeys` compares every pair of keys: 0.4 s of a 1 MB template);
// - refuses `<<` merge keys: CloudFormation does not support hash merges (template-formats.html);
// - reads the non-specific tag `!` as no tag: on a scalar, the value is resolved as if it were
//   plain, as SnakeYAML (CloudFormation) and PyYAML do (their parsers give `!` the implicit
//   tuple of a plain scalar, and the composer resolves it with the implicit resolvers: `! yes`
//   is a boolean); the `yaml` package reads it as a string.
// Iterative (an explicit stack), so the walk itself cannot overflow either.
import { isAlias, isMap, isScalar, isSeq, Scalar, type Alias, type Node, type YAMLMap } from 'yaml';
import { DEEP_MESSAGE, MAX_DEPTH, startOf, TemplateProblem } from './to-value.js';
import { resolvePlain } from './yaml-scalars.js';

/** A key written twice in one mapping: the offsets of the entry dropped and of the one kept. */
export interface DuplicateKey {
  name: string;
  dropped: number;
  kept: number;
}

/** Entries to drop from a mapping, by index: the earlier ones of keys written twice. */
export interface Drop {
  map: YAMLMap;
  indexes: Set<number>;
}

export interface Resolved {
  targets: Map<Alias, Node | undefined>;
  duplicates: DuplicateKey[];
  drops: Drop[];
}

/** `keysChecked`: checkKeys already ran on every mapping (the hand-written reader does it as it reads). */
export function resolveAnchors(root: unknown, keysChecked = false): Resolved {
  const targets = new Map<Alias, Node | undefined>();
  const duplicates: DuplicateKey[] = [];
  const drops: Drop[] = [];
  const anchors = new Map<string, Node>();
  // Two stacks, a node and its depth, rather than an object per node: less garbage
  const stack: unknown[] = [root];
  const depths: number[] = [0];
  while (stack.length > 0) {
    const node = stack.pop();
    const depth = depths.pop()!;
    if (node === null || node === undefined) continue;
    if (isAlias(node)) {
      targets.set(node, anchors.get(node.source));
      continue;
    }
    if ((node as { tag?: string }).tag === '!') untag(node as Node);
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) anchors.set(anchor, node as Node);
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth >= MAX_DEPTH) throw deepProblem(node);
    // Children go on the stack last first, so they come off in document order.
    if (isMap(node)) {
      if (!keysChecked) checkKeys(node, duplicates, drops);
      for (let i = node.items.length - 1; i >= 0; i--) {
        const pair = node.items[i]!;
        stack.push(pair.value, pair.key);
        depths.push(depth + 1, depth + 1);
      }
    } else {
      for (let i = node.items.length - 1; i >= 0; i--) {
        stack.push(node.items[i]);
        depths.push(depth + 1);
      }
    }
  }
  return { targets, duplicates, drops };
}

/** Takes the dropped entries out of their mappings. */
export function applyDrops(drops: Drop[]): void {
  for (const { map, indexes } of drops) map.items = map.items.filter((_, index) => !indexes.has(index));
}

export function deepProblem(node: unknown): TemplateProblem {
  return new TemplateProblem(DEEP_MESSAGE, startOf(node));
}

function untag(node: Node): void {
  node.tag = undefined;
  if (isScalar(node) && typeof node.source === 'string') {
    node.value = resolvePlain(node.source, (message) => {
      throw new TemplateProblem(`invalid YAML: ${message}`, startOf(node));
    });
  }
}

/** Refuses `<<`; notes the earlier entry of a key written twice in `duplicates` and in `drops` (applyDrops drops it). */
export function checkKeys(map: YAMLMap, duplicates: DuplicateKey[], drops: Drop[]): void {
  const items = map.items;
  // Up to 16 keys (most mappings) are compared with each other; a Map only for more
  let seen: Map<string, number> | undefined;
  let dropped: Set<number> | undefined;
  for (let index = 0; index < items.length; index++) {
    const key = items[index]!.key;
    if ((key as { tag?: string } | null)?.tag === '!') untag(key as Node);
    const name = nameOf(key);
    if (name === undefined) continue;
    if (name === '<<' && (key as Scalar).type === Scalar.PLAIN) {
      throw new TemplateProblem('hash merges (<<) are not supported by CloudFormation: write the keys out', startOf(key));
    }
    let earlier: number | undefined;
    if (index < 16) {
      for (let i = index - 1; i >= 0 && earlier === undefined; i--) if (nameOf(items[i]!.key) === name) earlier = i;
    } else {
      if (!seen) {
        seen = new Map();
        for (let i = 0; i < index; i++) {
          const n = nameOf(items[i]!.key);
          if (n !== undefined) seen.set(n, i);
        }
      }
      earlier = seen.get(name);
      seen.set(name, index);
    }
    if (earlier !== undefined) {
      (dropped ??= new Set()).add(earlier);
      duplicates.push({ name, dropped: startOf(items[earlier]!.key), kept: startOf(key) });
    }
  }
  if (dropped) drops.push({ map, indexes: dropped });
}

/** A key as keyOf reads it; undefined for a tagged or non-scalar key (keyOf says what is wrong with it). */
function nameOf(key: unknown): string | undefined {
  if (!isScalar(key) || (key as { tag?: string }).tag?.startsWith('!')) return undefined;
  return String(key.value);
}
