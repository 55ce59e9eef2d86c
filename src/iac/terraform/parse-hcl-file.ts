// One HCL file -> its top-level blocks and attributes, with spans for every block, attribute
// and nested block, values evaluated where literal. Pure once the grammar is loaded
// (loadHclGrammar). A file with syntax errors still gives what parsed, plus located problems.
import type { Tree, TreeCursor } from 'web-tree-sitter';
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
      readTree(tree, { positions, offset: 0, text }, result, false);
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
    const partText = text.slice(start, end);
    const part = parseHclSyntax(partText);
    try {
      // the first problem of a block: later ones are mostly the parser's echoes of it
      result.problems.push(...locateSyntaxErrors(file, part, positions, start).slice(0, 1));
      readTree(part, { positions, offset: start, text: partText }, result, true);
    } finally {
      part.delete();
    }
  });
  return result;
}

/**
 * Where a tree's indexes sit in the file (it may be the tree of one part of it), and the text
 * that was parsed. The walk uses a TreeCursor and reads values from the text: every Node
 * object costs several calls into WebAssembly (see to-hcl-value.ts).
 */
interface Reader {
  positions: TextPositions;
  offset: number;
  text: string;
}

function readTree(tree: Tree, reader: Reader, out: HclFile, skipBroken: boolean): void {
  const cursor = tree.walk();
  try {
    if (!cursor.gotoFirstChild()) return;
    do {
      if (typeOf(cursor) !== 'body' || !cursor.gotoFirstChild()) continue;
      do {
        const type = typeOf(cursor);
        if (type !== 'block' && type !== 'attribute') continue;
        // A block with a syntax error inside is left out: its labels and values may be text from
        // elsewhere (a missing `{` makes the next line a label). The file's problems say why.
        if (skipBroken && cursor.currentNode.hasError) continue;
        const depth = cursor.currentDepth;
        const start = reader.offset + cursor.startIndex;
        try {
          if (type === 'block') {
            const block = readBlock(cursor, reader);
            if (block) out.blocks.push(block);
          } else {
            const attribute = readAttribute(cursor, reader);
            if (attribute) out.attributes[attribute.name] = attribute;
          }
        } catch (error) {
          // thousands of nested blocks or brackets: deeper than the JavaScript stack goes
          if (!(error instanceof RangeError)) throw error;
          while (cursor.currentDepth > depth) cursor.gotoParent();
          const { positions } = reader;
          out.problems.push({ kind: 'syntax', file: out.file, line: positions.lineOf(start), column: positions.columnOf(start), message: 'nested too deeply to read' });
        }
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    } while (cursor.gotoNextSibling());
  } finally {
    cursor.delete();
  }
}

interface Header {
  type: string;
  labels: string[];
  body: TerraformBody;
}

/** Reads the block under the cursor; leaves the cursor on it. */
function readHeaderAndBody(cursor: TreeCursor, reader: Reader, references: Set<string>): Header | undefined {
  let type: string | undefined;
  const labels: string[] = [];
  let body: TerraformBody = { attributes: {}, blocks: [] };
  if (!cursor.gotoFirstChild()) return undefined;
  do {
    switch (cursor.nodeType) {
      case 'identifier':
        if (type === undefined) type = text(cursor, reader);
        else labels.push(text(cursor, reader));
        break;
      case 'string_lit':
        labels.push(unescapeQuoted(text(cursor, reader).slice(1, -1)));
        break;
      case 'body':
        body = readBody(cursor, reader, references);
        break;
    }
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
  return type === undefined ? undefined : { type, labels, body };
}

function readBlock(cursor: TreeCursor, reader: Reader): HclBlock | undefined {
  const span = spanOf(cursor, reader);
  const spans: Record<string, TerraformSpan> = {};
  const references = new Set<string>();
  const header = readHeaderAndBody(cursor, reader, references);
  if (!header) return undefined;
  fillPaths(header.body, '', spans);
  return { type: header.type, labels: header.labels, span, spans, references: [...references].sort(), ...header.body };
}

/** The body under the cursor; nested blocks get paths relative to it (`ingress[1]`), made full by fillPaths. */
function readBody(cursor: TreeCursor, reader: Reader, references: Set<string>): TerraformBody {
  const attributes: Record<string, TerraformAttribute> = {};
  const blocks: TerraformNestedBlock[] = [];
  if (!cursor.gotoFirstChild()) return { attributes, blocks };
  const seen = new Map<string, number>();
  do {
    const type = typeOf(cursor);
    if (type === 'attribute') {
      const attribute = readAttribute(cursor, reader);
      if (!attribute) continue;
      attributes[attribute.name] = attribute;
      if (attribute.value.kind === 'expression') for (const reference of attribute.value.references) references.add(reference);
    } else if (type === 'block') {
      const span = spanOf(cursor, reader);
      const header = readHeaderAndBody(cursor, reader, references);
      if (!header) continue;
      const key = [header.type, ...header.labels].join('.');
      const index = seen.get(key) ?? 0;
      seen.set(key, index + 1);
      blocks.push({ type: header.type, labels: header.labels, path: `${key}[${index}]`, span, ...header.body });
    }
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
  return { attributes, blocks };
}

/** Paths from the declaring block for every nested block, and the spans of everything inside by path. */
function fillPaths(body: TerraformBody, prefix: string, spans: Record<string, TerraformSpan>): void {
  for (const attribute of Object.values(body.attributes)) spans[prefix + attribute.name] = attribute.span;
  for (const block of body.blocks) {
    block.path = prefix + block.path;
    spans[block.path] = block.span;
    fillPaths(block, `${block.path}.`, spans);
  }
}

/**
 * The attribute under the cursor: `name = expression`. Its name is always the first child and
 * its expression the last named one, so the attribute's span runs from the one to the other.
 */
function readAttribute(cursor: TreeCursor, reader: Reader): TerraformAttribute | undefined {
  if (!cursor.gotoFirstChild()) return undefined;
  const start = cursor.startIndex;
  const name = reader.text.slice(start, cursor.endIndex);
  let value: TerraformAttribute['value'] | undefined;
  let end = start;
  while (cursor.gotoNextSibling()) {
    if (typeOf(cursor) !== 'expression') continue;
    end = cursor.endIndex;
    value = toHclValue(reader.text.slice(cursor.startIndex, end));
  }
  cursor.gotoParent();
  if (!value) return undefined;
  return { name, value, span: reader.positions.span(reader.offset + start, reader.offset + end) };
}

function text(cursor: TreeCursor, reader: Reader): string {
  return reader.text.slice(cursor.startIndex, cursor.endIndex);
}

function spanOf(cursor: TreeCursor, reader: Reader): TerraformSpan {
  return reader.positions.span(reader.offset + cursor.startIndex, reader.offset + cursor.endIndex);
}

/** The node type under the cursor (a function, so TypeScript does not narrow it across moves). */
function typeOf(cursor: TreeCursor): string {
  return cursor.nodeType;
}
