// Live values written back into a CloudFormation YAML template, changing only the lines they
// sit on: the value's source range is spliced (its quoting style kept), a missing key is added
// at its mapping's indentation, a tag is merged into `Tags` by `Key`. Comments, anchors and
// every other line stay as they were. Pure.
//
// Every edit is checked by reading the result back as CloudFormation does (YAML 1.1 scalars):
// the whole template must read as before except for the edited value, which must read as
// live; an edit that fails the check is refused and leaves the text as it was
// (apply-in-rounds.ts, which also keeps the number of reads low).
import { isAlias, isMap, isScalar, LineCounter, parseDocument, visit, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { computeEditTarget, type EditTarget } from './compute-edit-target.js';
import { CLOUDFORMATION_YAML, NotLiteral, renderYamlBlock, renderYamlFlow, renderYamlKey, renderYamlLiteralBlock, renderYamlPair, renderYamlScalar } from './render-yaml-value.js';
import { afterLineOf, columnOf, lineEndingOf, lineStartOf, startsItsLine } from './splice-text.js';
import { applyInRounds, EditRefusal, nest, rangeOf, verifyTemplate, type Splice } from './apply-in-rounds.js';
import type { ApplyEdits, ValueEdit } from './types.js';

function change(start: number, end: number, insert: string): Splice {
  return { start, end, insert };
}

interface Parsed {
  doc: Document;
  value: unknown;
  /** The anchors some alias names, found when first needed. */
  aliased?: Set<string>;
}

function parse(text: string): Parsed | { problem: string } {
  const lines = new LineCounter();
  try {
    const doc = parseDocument(text, { ...CLOUDFORMATION_YAML, lineCounter: lines });
    const [error] = doc.errors;
    if (error) {
      const { line } = lines.linePos(error.pos[0]);
      return { problem: `line ${line}: ${error.message.split('\n')[0]}` };
    }
    return { doc, value: doc.toJS() };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

export const applyYamlEdits: ApplyEdits = (text, edits) =>
  applyInRounds(text, edits, { parse, plan, verify: verifyTemplate, unparseable: 'the template does not parse as YAML' });

function plan(text: string, parsed: Parsed, edit: ValueEdit): Splice {
  const target = computeEditTarget(parsed.doc.contents as Node | null, edit);
  if (target.kind === 'refused') throw new EditRefusal(target.reason, target.detail);
  const writer: Writer = { text, eol: lineEndingOf(text), step: stepOf(parsed.doc, text) };
  try {
    return write(writer, target, parsed);
  } catch (error) {
    if (error instanceof NotLiteral) throw new EditRefusal('not-literal', `${[edit.resource, ...edit.path].join('.')}: ${error.message}`);
    throw error;
  }
}

interface Writer {
  text: string;
  eol: string;
  /** The template's indentation step (spaces per level). */
  step: number;
}

function write(w: Writer, target: Exclude<EditTarget, { kind: 'refused' }>, parsed: Parsed): Splice {
  switch (target.kind) {
    case 'replace':
      return replace(w, target.node, target.value, parsed);
    case 'add':
      return add(w, target.map, target.rest, target.value);
    case 'fill':
      return fill(w, target.pair, nest(target.rest, target.value));
    case 'append':
      return append(w, target.seq, target.item, target.like);
  }
}


/** The spaces per level: how far the first resource sits in from `Resources:`. */
function stepOf(doc: Document, text: string): number {
  const root = doc.contents;
  if (!isMap(root)) return 2;
  const pair = root.items.find((item) => isScalar(item.key) && item.key.value === 'Resources');
  const resources = pair?.value;
  const keyStart = (pair?.key as Node | undefined)?.range?.[0];
  const firstStart = isMap(resources) && !resources.flow ? (resources.items[0]?.key as Node | undefined)?.range?.[0] : undefined;
  if (keyStart === undefined || firstStart === undefined) return 2;
  const step = columnOf(text, firstStart) - columnOf(text, keyStart);
  return step > 0 ? step : 2;
}

function isAnchorUsed(parsed: Parsed, node: Node): boolean {
  const anchor = (node as { anchor?: string }).anchor;
  if (!anchor) return false;
  if (!parsed.aliased) {
    const aliased = new Set<string>();
    visit(parsed.doc, {
      Alias(_, alias) {
        aliased.add(alias.source);
      },
    });
    parsed.aliased = aliased;
  }
  return parsed.aliased.has(anchor);
}

function replace(w: Writer, node: Node, value: unknown, parsed: Parsed): Splice {
  const { text } = w;
  if (isAnchorUsed(parsed, node)) {
    throw new EditRefusal('unsupported', `the value carries the anchor &${(node as { anchor?: string }).anchor}, which aliases elsewhere repeat; edit it by hand`);
  }
  const [start, end] = rangeOf(node);
  // an alias (`*timeout`) is replaced by the value; its anchor and other aliases stay
  if (isAlias(node)) return change(start, end, renderYamlFlow(value));
  if (isScalar(node)) {
    const scalar = node as Scalar;
    if (scalar.type === 'BLOCK_LITERAL' || scalar.type === 'BLOCK_FOLDED') {
      const contentIndent = blockContentIndent(text, start, end) ?? columnOf(text, start) + w.step;
      const block = typeof value === 'string' ? renderYamlLiteralBlock(value, contentIndent, w.eol) : undefined;
      const rendered = block ?? renderYamlFlow(value);
      const brokeLine = text[end - 1] === '\n';
      return change(start, end, rendered + (brokeLine ? w.eol : ''));
    }
    const rendered = value !== null && typeof value === 'object' ? renderYamlFlow(value) : renderYamlScalar(value, scalar.type, scalar.value);
    return change(start, end, rendered);
  }
  const collection = node as YAMLMap | YAMLSeq;
  if (collection.flow) return change(start, end, renderYamlFlow(value));
  if (value === null || typeof value !== 'object' || Object.keys(value).length === 0) {
    throw new EditRefusal('unsupported', 'a block mapping or list replaced by a scalar or an empty value; edit it by hand');
  }
  const indent = columnOf(text, start);
  const lines = renderYamlBlock(value, indent, w.step);
  let last = end;
  while (last > start && /\s/.test(text[last - 1]!)) last--;
  return change(start, last, lines.join(w.eol).slice(indent));
}

/** The indentation of a block scalar's first content line. */
function blockContentIndent(text: string, start: number, end: number): number | undefined {
  const newline = text.indexOf('\n', start);
  if (newline === -1 || newline >= end) return undefined;
  const line = text.slice(newline + 1, end).split('\n').find((candidate) => candidate.trim() !== '');
  return line === undefined ? undefined : /^ */.exec(line)![0].length;
}

function pairEnd(pair: Pair): number {
  const value = pair.value as Node | null;
  return value?.range?.[1] ?? (pair.key as Node).range![1];
}

function add(w: Writer, map: YAMLMap, rest: readonly string[], value: unknown): Splice {
  const { text, eol } = w;
  const [key, ...below] = rest as [string, ...string[]];
  const nested = nest(below, value);
  if (map.flow) {
    const [, end] = rangeOf(map);
    const last = map.items.at(-1);
    if (!last) return change(end - 1, end - 1, `${renderYamlKey(key)}: ${renderYamlFlow(nested)}`);
    const at = pairEnd(last);
    return change(at, at, `, ${renderYamlKey(key)}: ${renderYamlFlow(nested)}`);
  }
  const firstKey = map.items[0]?.key as Node | undefined;
  const lastPair = map.items.at(-1);
  if (!firstKey?.range || !lastPair) throw new EditRefusal('unsupported', 'an empty block mapping');
  const indent = columnOf(text, firstKey.range[0]);
  const lines = renderYamlPair(key, nested, indent, w.step).join(eol);
  const { at, needsBreak } = afterLineOf(text, pairEnd(lastPair));
  return change(at, at, needsBreak ? eol + lines : lines + eol);
}

function fill(w: Writer, pair: Pair, value: unknown): Splice {
  const { text, eol } = w;
  const keyRange = (pair.key as Node).range;
  if (!keyRange) throw new EditRefusal('unsupported', 'a key without a source position');
  const colon = text.indexOf(':', keyRange[1]);
  if (colon === -1) throw new EditRefusal('unsupported', 'a key without its colon');
  const isBlock = value !== null && typeof value === 'object' && Object.keys(value).length > 0;
  const keyIsAlone = startsItsLine(text, keyRange[0]) || /^[ \t]*- $/.test(text.slice(lineStartOf(text, keyRange[0]), keyRange[0]));
  if (!isBlock || !keyIsAlone) return change(colon + 1, colon + 1, ` ${renderYamlFlow(value)}`);
  const lines = renderYamlBlock(value, columnOf(text, keyRange[0]) + w.step, w.step).join(eol);
  const { at, needsBreak } = afterLineOf(text, colon + 1);
  return change(at, at, needsBreak ? eol + lines : lines + eol);
}

/** A `Key`/`Value` entry after the last one, written like it (key order, quoting, block or flow). */
function append(w: Writer, seq: YAMLSeq, item: Record<string, string>, like: YAMLMap | undefined): Splice {
  const { text, eol } = w;
  const order = like?.items[0] && isScalar(like.items[0].key) && like.items[0].key.value === 'Value' ? ['Value', 'Key'] : ['Key', 'Value'];
  const styleOf = (name: string): Scalar['type'] => {
    const node = like?.items.find((pair) => isScalar(pair.key) && pair.key.value === name)?.value;
    return isScalar(node) ? node.type : undefined;
  };
  const parts = order.map((name) => `${name}: ${renderYamlScalar(item[name], styleOf(name))}`);
  const spaced = like?.flow && like.range ? text[like.range[0] + 1] === ' ' : false;
  const flowItem = spaced ? `{ ${parts.join(', ')} }` : `{${parts.join(', ')}}`;
  const [, end] = rangeOf(seq);
  const last = seq.items.at(-1) as Node | undefined;
  if (seq.flow) {
    if (!last?.range) return change(end - 1, end - 1, flowItem);
    return change(last.range[1], last.range[1], `, ${flowItem}`);
  }
  if (!last?.range) throw new EditRefusal('unsupported', 'an empty block list');
  const dash = text.lastIndexOf('-', last.range[0]);
  const dashColumn = columnOf(text, dash);
  const sameLine = lineStartOf(text, dash) === lineStartOf(text, last.range[0]);
  const keyColumn = sameLine ? columnOf(text, last.range[0]) : dashColumn + 2;
  const dashLead = `${' '.repeat(dashColumn)}-${' '.repeat(keyColumn - dashColumn - 1)}`;
  const lines = like?.flow ? [`${dashLead}${flowItem}`] : parts.map((part, i) => (i === 0 ? dashLead : ' '.repeat(keyColumn)) + part);
  const { at, needsBreak } = afterLineOf(text, last.range[1]);
  const block = lines.join(eol);
  return change(at, at, needsBreak ? eol + block : block + eol);
}

