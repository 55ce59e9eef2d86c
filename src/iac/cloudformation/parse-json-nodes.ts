// A JSON template as yaml AST nodes (YAMLMap, YAMLSeq, Scalar with source ranges), so the
// rest of the parser treats JSON and YAML alike. Only called on text JSON.parse accepted.
// About ten times faster than running JSON through the YAML parser, which matters for
// large generated templates (CDK output is JSON). Recursive, so nesting is refused past
// MAX_DEPTH (with the line) before it can overflow the stack.
//
// Numbers are read as CloudFormation's Java JSON reader reads them: one with a fraction or
// an exponent is a double, deployed in Java's text for it (`1.0` as "1.0", as in YAML, see
// yaml-scalars.ts); an integer beyond 2^53 keeps its exact digits as text.
//
// jsonc-parser 3.3 (Microsoft's, MIT, no engines constraint) was measured for this and for
// locate-json-error.ts, on 1.8 MB of pretty-printed JSON (4,000 queues): its parseTree alone
// took 172 ms against 278 ms here, but its tree would still have to be converted into these
// nodes, which is most of the cost here; and for a brace missing mid-file its only error is
// CloseBraceExpected at the end of the file, where locate-json-error names the line the
// brace belongs on. Not worth a dependency.
import type { LineCounter, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { deepProblem } from './resolve-anchors.js';
import { MAX_DEPTH, TemplateProblem } from './to-value.js';
import { MapNode, newScalar, PairNode, SeqNode, setRange } from './yaml-node-classes.js';
import { javaDoubleText } from './yaml-scalars.js';

const LITERAL = /-?[0-9][0-9.eE+-]*|-|true|false|null/y;

/**
 * `onResource`, if given, is called with each member of the top-level `Resources` object as
 * soon as it is read, as the YAML reader does (parse-yaml-nodes.ts): the caller may drop its
 * value, which then dies young.
 */
export function parseJsonNodes(text: string, lines: LineCounter, onResource?: (pair: Pair) => void): Node {
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  const reader: Reader = { text, at: 0, depth: 0, scratch: [], top: 0, onResource, resourcesDepth: -1 };
  return readValue(reader);
}

interface Reader {
  text: string;
  at: number;
  /** Objects and arrays open around `at`. */
  depth: number;
  /** The items of the collections being read, innermost last (exact-size arrays, as in parse-yaml-nodes.ts). */
  scratch: unknown[];
  top: number;
  onResource: ((pair: Pair) => void) | undefined;
  /** The depth of the top-level `Resources` object while it is read (-1: none). */
  resourcesDepth: number;
}

function readValue(reader: Reader): Node {
  skipWhitespace(reader);
  const c = reader.text[reader.at];
  if (c === '{') return readObject(reader);
  if (c === '[') return readArray(reader);
  if (c === '"') return readString(reader);
  LITERAL.lastIndex = reader.at;
  const match = LITERAL.exec(reader.text);
  if (!match) throw new TemplateProblem('invalid JSON value', reader.at);
  const source = match[0];
  const value = source === 'true' ? true : source === 'false' ? false : source === 'null' ? null : numberValue(source);
  const start = reader.at;
  reader.at += source.length;
  return newScalar(value, 'PLAIN', source, start, reader.at);
}

function numberValue(source: string): number | string {
  const n = Number(source);
  if (/[.eE]/.test(source)) {
    const java = javaDoubleText(n);
    return Number.isFinite(n) && java === String(n) ? n : java;
  }
  return Number.isSafeInteger(n) ? n : BigInt(source).toString();
}

function enter(reader: Reader): void {
  if (++reader.depth > MAX_DEPTH) throw deepProblem({ start: reader.at });
}

function takeItems(reader: Reader, base: number): unknown[] {
  const items = reader.scratch.slice(base, reader.top);
  reader.top = base;
  return items;
}

function readObject(reader: Reader): YAMLMap {
  const map = new MapNode(true) as unknown as YAMLMap;
  enter(reader);
  const start = reader.at;
  const base = reader.top;
  const resources = reader.depth === reader.resourcesDepth;
  const seen = new Set<string>();
  reader.at += 1;
  skipWhitespace(reader);
  while (reader.text[reader.at] !== '}') {
    skipWhitespace(reader);
    const key = readString(reader);
    const name = key.value as string;
    if (seen.has(name)) throw new TemplateProblem(`invalid JSON: the key "${name}" appears twice; keys must be unique`, keyStart(key));
    seen.add(name);
    skipWhitespace(reader);
    reader.at += 1; // ':'
    const opensResources = reader.depth === 1 && reader.onResource !== undefined && name === 'Resources';
    if (opensResources) reader.resourcesDepth = 2;
    const pair = new PairNode(key, readValue(reader)) as unknown as Pair;
    if (opensResources) reader.resourcesDepth = -1;
    reader.scratch[reader.top++] = pair;
    if (resources) reader.onResource!(pair);
    skipWhitespace(reader);
    if (reader.text[reader.at] === ',') reader.at += 1;
  }
  reader.at += 1;
  reader.depth -= 1;
  map.items = takeItems(reader, base) as Pair[];
  setRange(map, start, reader.at);
  return map;
}

function readArray(reader: Reader): YAMLSeq {
  const seq = new SeqNode(true) as unknown as YAMLSeq;
  enter(reader);
  const start = reader.at;
  const base = reader.top;
  reader.at += 1;
  skipWhitespace(reader);
  while (reader.text[reader.at] !== ']') {
    const item = readValue(reader);
    reader.scratch[reader.top++] = item;
    skipWhitespace(reader);
    if (reader.text[reader.at] === ',') reader.at += 1;
    skipWhitespace(reader);
  }
  reader.at += 1;
  reader.depth -= 1;
  seq.items = takeItems(reader, base);
  setRange(seq, start, reader.at);
  return seq;
}

function readString(reader: Reader): Scalar {
  const { text } = reader;
  const start = reader.at;
  let end = text.indexOf('"', start + 1);
  while (end !== -1 && isEscaped(text, end)) end = text.indexOf('"', end + 1);
  if (end === -1) throw new TemplateProblem('invalid JSON: this string is never closed', start);
  const raw = text.slice(start + 1, end);
  const value = raw.includes('\\') ? (JSON.parse(text.slice(start, end + 1)) as string) : raw;
  reader.at = end + 1;
  return newScalar(value, 'QUOTE_DOUBLE', value, start, end + 1);
}

function isEscaped(text: string, quote: number): boolean {
  let backslashes = 0;
  for (let i = quote - 1; text[i] === '\\'; i -= 1) backslashes += 1;
  return backslashes % 2 === 1;
}

function keyStart(key: Scalar): number {
  return (key as unknown as { start: number }).start;
}

function skipWhitespace(reader: Reader): void {
  const { text } = reader;
  let i = reader.at;
  for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++i));
  reader.at = i;
}
