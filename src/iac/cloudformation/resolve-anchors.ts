// One pass over a parsed YAML tree, in document order, before anything else walks it:
// - links every alias to the anchored node it names (the latest `&name` before it), so
//   resolving n aliases takes O(n), where yaml's `Alias.resolve` searches the whole document
//   for each (8,000 aliases of one anchor, 32 KB, took 12 s of CPU that way);
// - refuses nesting deeper than MAX_DEPTH, so no later recursive walk can overflow the stack;
// - refuses a repeated key in a mapping (linear, with a Set; yaml's `uniqueKeys` compares
//   every pair of keys, quadratic in the size of a mapping: 0.4 s of a 1 MB template);
// - refuses `<<` merge keys: CloudFormation does not support hash merges (template-formats.html).
// Iterative (an explicit stack), so the walk itself cannot overflow either.
import { isAlias, isMap, isScalar, isSeq, Scalar, type Alias, type Node } from 'yaml';
import { MAX_DEPTH, startOf, TemplateProblem } from './to-value.js';

export function resolveAnchors(root: unknown): Map<Alias, Node | undefined> {
  const targets = new Map<Alias, Node | undefined>();
  const anchors = new Map<string, Node>();
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (node === null || node === undefined) continue;
    if (isAlias(node)) {
      targets.set(node, anchors.get(node.source));
      continue;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) anchors.set(anchor, node as Node);
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth >= MAX_DEPTH) throw deepProblem(node);
    // Children go on the stack last first, so they come off in document order.
    if (isMap(node)) {
      const keys = new Set<string>();
      for (const pair of node.items) checkKey(pair.key, keys);
      for (let i = node.items.length - 1; i >= 0; i--) {
        const pair = node.items[i]!;
        stack.push({ node: pair.value, depth: depth + 1 }, { node: pair.key, depth: depth + 1 });
      }
    } else {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i], depth: depth + 1 });
    }
  }
  return targets;
}

export function deepProblem(node: unknown): TemplateProblem {
  return new TemplateProblem(`values are nested more than ${MAX_DEPTH} levels deep here; CloudFormation templates do not need that many`, startOf(node));
}

function checkKey(key: unknown, seen: Set<string>): void {
  if (!isScalar(key) || (key as { tag?: string }).tag?.startsWith('!')) return; // keyOf says what is wrong with it
  if (key.type === Scalar.PLAIN && key.value === '<<') {
    throw new TemplateProblem('hash merges (<<) are not supported by CloudFormation: write the keys out', startOf(key));
  }
  const name = String(key.value);
  if (seen.has(name)) throw new TemplateProblem(`the key "${name}" appears twice in this mapping; keys must be unique`, startOf(key));
  seen.add(name);
}
