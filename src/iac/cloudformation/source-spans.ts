// Line spans of yaml AST nodes: where a resource, a parameter or a property sits in the file.
// A collection's own range runs on over trailing comments and blank lines, so the end is
// taken from its last value instead.
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, type LineCounter } from 'yaml';
import type { SourceSpan } from '../../types.js';
import { keyOf, resolveAlias, startOf, type ValueContext } from './to-value.js';

export interface SpanSource {
  text: string;
  lines: LineCounter;
  values: ValueContext;
  /** The line index of the last offset looked up: spans are asked for in document order. */
  lineHint?: number;
}

interface Pair {
  key: unknown;
  value: unknown;
}

/** Lines of a `key: value` entry, from the key to the last line of its value. */
export function pairSpan(source: SpanSource, pair: Pair): SourceSpan {
  const start = startOf(pair.key);
  return toSpan(source, start, Math.max(endOf(pair.key), endOf(pair.value)));
}

export function nodeSpan(source: SpanSource, node: unknown): SourceSpan {
  return toSpan(source, startOf(node), endOf(node));
}

/**
 * Spans of every property under a `Properties` mapping, keyed by dot path (`Tags.0.Value`).
 * Intrinsic functions are leaves: their inside is not a property path. Paths inside an
 * alias (`Tags: *common-tags`) get the alias's lines, where the value is used.
 */
export function collectPropertySpans(
  source: SpanSource,
  node: unknown,
  prefix: string,
  out: Record<string, SourceSpan>,
  aliasSpan?: SourceSpan,
): Record<string, SourceSpan> {
  if (isAlias(node)) {
    const target = resolveAlias(node, source.values);
    return collectPropertySpans(source, target, prefix, out, aliasSpan ?? nodeSpan(source, node));
  }
  if (!isCollection(node) || isTagged(node)) return out;
  if (isMap(node)) {
    if (isLongFormIntrinsic(node.items)) return out;
    for (const pair of node.items) {
      const path = join(prefix, keyOf(pair.key));
      out[path] = aliasSpan ?? pairSpan(source, pair);
      collectPropertySpans(source, pair.value, path, out, aliasSpan);
    }
  } else if (isSeq(node)) {
    const items = node.items;
    for (let index = 0; index < items.length; index++) {
      const item = items[index];
      const path = join(prefix, String(index));
      out[path] = aliasSpan ?? nodeSpan(source, item);
      collectPropertySpans(source, item, path, out, aliasSpan);
    }
  }
  return out;
}

function join(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

function isTagged(node: unknown): boolean {
  return (node as { tag?: string }).tag?.startsWith('!') ?? false;
}

function isLongFormIntrinsic(items: readonly Pair[]): boolean {
  if (items.length !== 1) return false;
  const key = items[0]?.key;
  if (!isScalar(key)) return false;
  const name = String(key.value);
  return name === 'Ref' || name === 'Condition' || name.startsWith('Fn::');
}

/** Offset just past the last character of a node's content (0 for a missing node). */
function endOf(node: unknown): number {
  if (node === null || node === undefined) return 0;
  if (isPair(node)) return Math.max(endOf(node.key), endOf(node.value));
  // The hand-written reader's nodes hold `start` and `end` as numbers: no `range` array to build (see startOf)
  const own = node as { start?: unknown; end?: unknown };
  let start: number;
  let end: number;
  if (typeof own.end === 'number') {
    start = own.start as number;
    end = own.end;
  } else {
    const range = (node as { range?: [number, number, number] }).range;
    if (!range) return 0;
    [start, end] = range;
  }
  if (isCollection(node) && !node.flow && node.items.length > 0) {
    return Math.max(start, endOf(node.items[node.items.length - 1]));
  }
  return end;
}

function toSpan(source: SpanSource, start: number, end: number): SourceSpan {
  let last = Math.max(start, end - 1);
  while (last > start && isSpace(source.text.charCodeAt(last))) last -= 1;
  const startLine = lineOf(source, start);
  return { startLine, endLine: last === start ? startLine : lineOf(source, last) };
}

/** What /\s/ matches in a template: blanks and line breaks (and the BOM, read as a space). */
function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029 || (c >= 0x2000 && c <= 0x200a) || c === 0x1680 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** The 1-based line of an offset: LineCounter.linePos without the object it returns, starting from the last line found. */
function lineOf(source: SpanSource, offset: number): number {
  const starts = source.lines.lineStarts;
  const hint = source.lineHint ?? 0;
  for (let i = hint; i < hint + 4 && i < starts.length; i++) {
    if (starts[i]! <= offset && (i + 1 === starts.length || offset < starts[i + 1]!)) {
      source.lineHint = i;
      return i + 1;
    }
  }
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (starts[mid]! < offset) low = mid + 1;
    else high = mid;
  }
  const line = starts[low] === offset ? low + 1 : low;
  source.lineHint = line - 1;
  return line;
}
