// Live values written back into a CloudFormation JSON template, keeping its indentation,
// key order and line endings: a value's source range is spliced, a missing key goes after the
// last one of its object (a comma added to that line), a tag is appended to `Tags` in the
// style of the entry before it. Every other line stays as it was. Pure.
//
// The text is read by parse-json-nodes.ts (the reader parse-template.ts uses; yaml nodes with
// source ranges), so the JSON and YAML editors share where an edit lands
// (compute-edit-target.ts), and how they are checked: the whole template must read as before
// except for the edited value, which must read as live (apply-in-rounds.ts).
import { isPair, isScalar, LineCounter, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { lineOf } from '../iac/cloudformation/locate-json-error.js';
import { parseJsonNodes } from '../iac/cloudformation/parse-json-nodes.js';
import { TemplateProblem } from '../iac/cloudformation/to-value.js';
import { applyInRounds, EditRefusal, nest, rangeOf, verifyTemplate, type Splice } from './apply-in-rounds.js';
import { computeEditTarget, type EditTarget } from './compute-edit-target.js';
import { indentationAt, lineEndingOf, startsItsLine } from './splice-text.js';
import type { ApplyEdits, ValueEdit } from './types.js';

function change(start: number, end: number, insert: string): Splice {
  return { start, end, insert };
}

interface Parsed {
  root: Node;
  value: unknown;
}

function parse(text: string): Parsed | { problem: string } {
  // a byte order mark is read as a space, as parse-template.ts does, so offsets stay the same
  const scanned = text.startsWith('\uFEFF') ? ` ${text.slice(1)}` : text;
  try {
    const value: unknown = JSON.parse(scanned);
    return { root: parseJsonNodes(scanned, new LineCounter()), value };
  } catch (error) {
    if (error instanceof TemplateProblem) return { problem: `line ${lineOf(scanned, error.offset)}: ${error.message}` };
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

export const applyJsonEdits: ApplyEdits = (text, edits) => applyInRounds(text, edits, { parse, plan, verify: verifyTemplate, unparseable: 'the template is not valid JSON' });

function plan(text: string, parsed: Parsed, edit: ValueEdit): Splice {
  const target = computeEditTarget(parsed.root, edit);
  if (target.kind === 'refused') throw new EditRefusal(target.reason, target.detail);
  return write(text, target);
}

interface Style {
  eol: string;
  /** One level of indentation, as the file writes it (spaces or a tab). */
  unit: string;
}

function styleOf(text: string): Style {
  return { eol: lineEndingOf(text), unit: /\n([ \t]+)"/.exec(text)?.[1] ?? '  ' };
}

function write(text: string, target: Exclude<EditTarget, { kind: 'refused' }>): Splice {
  const style = styleOf(text);
  switch (target.kind) {
    case 'replace':
      return replace(text, style, target.node, target.value);
    case 'add': {
      const [key, ...below] = target.rest as [string, ...string[]];
      return addMember(text, style, target.map, target.map.items as Pair[], [key, nest(below, target.value)]);
    }
    case 'append': {
      const order = target.like?.items[0] && isScalar(target.like.items[0].key) && target.like.items[0].key.value === 'Value' ? ['Value', 'Key'] : ['Key', 'Value'];
      const item = Object.fromEntries(order.map((name) => [name, target.item[name]]));
      return addMember(text, style, target.seq, target.seq.items as Node[], [undefined, item]);
    }
    case 'fill':
      throw new EditRefusal('unsupported', 'a key without a value');
  }
}


function checkedStringify(value: unknown): string {
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined || (typeof value === 'number' && !Number.isFinite(value))) throw new EditRefusal('not-literal', `${String(value)} has no JSON form`);
  return json;
}

interface Spacing {
  colon: string;
  comma: string;
  /** A space inside braces: `{ "Key": "a" }`. */
  pad: boolean;
}

/** How `sample` (the JSON around the edit) spaces its punctuation. */
function spacingOf(sample: string): Spacing {
  return { colon: /":[ \t]/.test(sample) ? ': ' : ':', comma: /,[ \t]/.test(sample) ? ', ' : ',', pad: /\{ "/.test(sample) };
}

/** A value on one line, spaced like the JSON around it. */
function inline(value: unknown, spacing: Spacing): string {
  if (Array.isArray(value)) return `[${value.map((item) => inline(item, spacing)).join(spacing.comma)}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}${spacing.colon}${inline(item, spacing)}`);
    if (members.length === 0) return '{}';
    return spacing.pad ? `{ ${members.join(spacing.comma)} }` : `{${members.join(spacing.comma)}}`;
  }
  return checkedStringify(value);
}

/** A value over several lines, its inner lines one unit in from `indent`. */
function multiline(value: unknown, indent: string, style: Style): string {
  checkedStringify(value);
  return JSON.stringify(value, null, style.unit).replace(/\n/g, style.eol + indent);
}

function replace(text: string, style: Style, node: Node, value: unknown): Splice {
  const [start, end] = rangeOf(node);
  const old = text.slice(start, end);
  if (isScalar(node)) {
    const declared = (node as Scalar).value;
    // `"120"` from an API over a declared 120: written as the number, which CloudFormation reads as the same text
    const keepsType = (typeof declared === 'number' || typeof declared === 'boolean') && typeof value === 'string' && /^(?:-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?|true|false)$/.test(value);
    if (keepsType) return change(start, end, value);
  }
  if (value !== null && typeof value === 'object' && old.includes('\n')) return change(start, end, multiline(value, indentationAt(text, start), style));
  return change(start, end, inline(value, spacingOf(/[:,]/.test(old) ? old : text.slice(0, 4096))));
}

/** A key and value added to an object, or an item appended to an array (key undefined), after its last member. */
function addMember(text: string, style: Style, collection: YAMLMap | YAMLSeq, members: Array<Pair | Node>, [key, value]: [string | undefined, unknown]): Splice {
  const prefix = key === undefined ? '' : `${JSON.stringify(key)}: `;
  const last = members.at(-1);
  if (!last) {
    // `{}` or `[]`: written out over lines when the file is, one unit in from the line it is on
    const [start, end] = rangeOf(collection);
    const indent = indentationAt(text, start);
    const [open, close] = key === undefined ? ['[', ']'] : ['{', '}'];
    if (!text.includes('\n')) return change(start, end, `${open}${prefix}${inline(value, spacingOf(text.slice(0, 4096)))}${close}`);
    const inner = indent + style.unit;
    return change(start, end, `${open}${style.eol}${inner}${prefix}${multiline(value, inner, style)}${style.eol}${indent}${close}`);
  }
  const first = isPair(last) ? (last.key as Node) : last;
  const [lastStart] = rangeOf(first);
  const lastValue = isPair(last) ? (last.value as Node) : last;
  const [, lastEnd] = rangeOf(lastValue);
  const spacing = spacingOf(text.slice(rangeOf(collection)[0], rangeOf(collection)[1]).slice(0, 4096));
  const keyPrefix = key === undefined ? '' : `${JSON.stringify(key)}${spacing.colon}`;
  if (!startsItsLine(text, lastStart)) return change(lastEnd, lastEnd, `${spacing.comma}${keyPrefix}${inline(value, spacing)}`);
  const indent = indentationAt(text, lastStart);
  const lastText = text.slice(rangeOf(lastValue)[0], lastEnd);
  const rendered = value !== null && typeof value === 'object' && !lastText.includes('\n') && !isScalar(lastValue) ? inline(value, spacingOf(lastText)) : multiline(value, indent, style);
  return change(lastEnd, lastEnd, `,${style.eol}${indent}${keyPrefix}${rendered}`);
}
