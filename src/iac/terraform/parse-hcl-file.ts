// One HCL file -> its top-level blocks and attributes, with spans for every block, attribute
// and nested block, values evaluated where literal. Pure once the grammar is loaded
// (loadHclGrammar). A file with syntax errors still gives what parsed, plus located problems.
import type { Node } from 'web-tree-sitter';
import type { TerraformAttribute, TerraformBody, TerraformNestedBlock, TerraformProblem, TerraformSpan } from '../../types.js';
import { parseHclSyntax } from './load-hcl-grammar.js';
import { locateSyntaxErrors } from './locate-syntax-errors.js';
import { TextPositions } from './text-positions.js';
import { toHclValue, unescapeQuoted } from './to-hcl-value.js';

/** A top-level block as written (`resource "aws_sqs_queue" "jobs" { ... }`). */
export interface HclBlock extends TerraformBody {
  type: string;
  labels: string[];
  span: TerraformSpan;
  /** Every attribute and nested block inside, by path (`name`, `ingress[0]`, `ingress[0].from_port`). */
  spans: Record<string, TerraformSpan>;
  /** What the attributes inside reference, sorted. */
  references: string[];
}

export interface HclFile {
  file: string;
  blocks: HclBlock[];
  /** Top-level attributes (what a `.tfvars` file holds). */
  attributes: Record<string, TerraformAttribute>;
  problems: TerraformProblem[];
}

/** Lines that open a top-level block: where a file with a syntax error is cut to be read again in parts. */
const TOP_LEVEL_START = /^(?:resource|data|module|variable|output|locals|provider|terraform|moved|import|removed|check)\b/gm;

export function parseHclFile(file: string, content: string): HclFile {
  const text = content.startsWith('\uFEFF') ? ` ${content.slice(1)}` : content;
  const positions = new TextPositions(text);
  const result: HclFile = { file, blocks: [], attributes: {}, problems: [] };
  const tree = parseHclSyntax(text);
  try {
    if (!tree.rootNode.hasError) {
      readTree(tree.rootNode, { positions, offset: 0 }, result);
      return result;
    }
  } finally {
    tree.delete();
  }
  // tree-sitter's recovery can join the blocks after an error into the broken one (a missing
  // `{` makes the next block's body its own). Read each top-level block on its own instead:
  // a problem stays in its block, and a missing `}` shows up right before the next block.
  const starts = [...text.matchAll(TOP_LEVEL_START)].map((match) => match.index);
  if (starts[0] !== 0) starts.unshift(0);
  starts.forEach((start, i) => {
    const end = starts[i + 1] ?? text.length;
    const part = parseHclSyntax(text.slice(start, end));
    try {
      // the first problem of a block: later ones are mostly the parser's echoes of it
      result.problems.push(...locateSyntaxErrors(file, part, positions, start).slice(0, 1));
      readTree(part.rootNode, { positions, offset: start }, result);
    } finally {
      part.delete();
    }
  });
  return result;
}

/** Where a tree's indexes sit in the file: it may be the tree of one part of it. */
interface Reader {
  positions: TextPositions;
  offset: number;
}

function readTree(rootNode: Node, reader: Reader, out: HclFile): void {
  const body = rootNode.children.find((child) => child?.type === 'body');
  for (const child of body?.children ?? []) {
    // A block with a syntax error inside is left out: its labels and values may be text from
    // elsewhere (a missing `{` makes the next line a label). The file's problems say why.
    if (!child || child.hasError) continue;
    if (child.type === 'block') {
      const block = readBlock(child, reader);
      if (block) out.blocks.push(block);
    } else if (child.type === 'attribute') {
      const attribute = readAttribute(child, reader);
      if (attribute) out.attributes[attribute.name] = attribute;
    }
  }
}

interface Header {
  type: string;
  labels: string[];
  body?: Node;
}

function readHeader(node: Node): Header | undefined {
  let type: string | undefined;
  const labels: string[] = [];
  let body: Node | undefined;
  for (const child of node.children) {
    if (!child) continue;
    switch (child.type) {
      case 'identifier':
        if (type === undefined) type = child.text;
        else labels.push(child.text);
        break;
      case 'string_lit':
        labels.push(unescapeQuoted(child.text.slice(1, -1)));
        break;
      case 'body':
        body = child;
        break;
    }
  }
  return type === undefined ? undefined : { type, labels, body };
}

function readBlock(node: Node, reader: Reader): HclBlock | undefined {
  const header = readHeader(node);
  if (!header) return undefined;
  const spans: Record<string, TerraformSpan> = {};
  const references = new Set<string>();
  const body = readBody(header.body, reader, '', spans, references);
  return { type: header.type, labels: header.labels, span: spanOf(node, reader), spans, references: [...references].sort(), ...body };
}

function readBody(node: Node | undefined, reader: Reader, prefix: string, spans: Record<string, TerraformSpan>, references: Set<string>): TerraformBody {
  const attributes: Record<string, TerraformAttribute> = {};
  const blocks: TerraformNestedBlock[] = [];
  const seen = new Map<string, number>();
  for (const child of node?.children ?? []) {
    if (child?.type === 'attribute') {
      const attribute = readAttribute(child, reader);
      if (!attribute) continue;
      attributes[attribute.name] = attribute;
      spans[prefix + attribute.name] = attribute.span;
      if (attribute.value.kind === 'expression') for (const reference of attribute.value.references) references.add(reference);
    } else if (child?.type === 'block') {
      const header = readHeader(child);
      if (!header) continue;
      const key = [header.type, ...header.labels].join('.');
      const index = seen.get(key) ?? 0;
      seen.set(key, index + 1);
      const path = `${prefix}${key}[${index}]`;
      const span = spanOf(child, reader);
      spans[path] = span;
      const inner = readBody(header.body, reader, `${path}.`, spans, references);
      blocks.push({ type: header.type, labels: header.labels, path, span, ...inner });
    }
  }
  return { attributes, blocks };
}

function readAttribute(node: Node, reader: Reader): TerraformAttribute | undefined {
  let name: string | undefined;
  let expression: Node | undefined;
  for (const child of node.children) {
    if (child?.type === 'identifier' && name === undefined) name = child.text;
    else if (child?.type === 'expression') expression = child;
  }
  if (name === undefined || !expression) return undefined;
  return { name, value: toHclValue(expression), span: spanOf(node, reader) };
}

function spanOf(node: Node, reader: Reader): TerraformSpan {
  return reader.positions.span(reader.offset + node.startIndex, reader.offset + node.endIndex);
}
