// Syntax errors of one file, from the tree-sitter tree: every MISSING node (the parser
// inserted a token to recover: "expected `}`") and every ERROR node (text it had to skip:
// "unexpected ..."), located by line and column. Nested errors inside an ERROR are not
// reported again. At most MAX_ERRORS per tree: after the first few they are mostly echoes
// (parseHclFile parses a file with errors again block by block and keeps the first of each).
import type { Node, Tree } from 'web-tree-sitter';
import type { TerraformProblem } from '../../types.js';
import type { TextPositions } from './text-positions.js';

const MAX_ERRORS = 5;

/** What the user would type for the grammar's token names. */
const TOKEN_TEXT: Record<string, string> = {
  block_start: '{',
  block_end: '}',
  object_start: '{',
  object_end: '}',
  tuple_start: '[',
  tuple_end: ']',
  quoted_template_start: '"',
  quoted_template_end: '"',
  template_interpolation_start: '${',
  template_interpolation_end: '}',
  template_directive_start: '%{',
  template_directive_end: '}',
  heredoc_identifier: 'the closing heredoc marker',
  identifier: 'a name',
};

/** `offset`: where the parsed text starts in the file (a file with errors is parsed again in parts). */
export function locateSyntaxErrors(file: string, tree: Tree, positions: TextPositions, offset = 0): TerraformProblem[] {
  const problems: TerraformProblem[] = [];
  const at: Located = { file, positions, offset };
  const headers = new Set<number>();
  if (!tree.rootNode.hasError) return problems;
  // depth-first, in file order, without recursion (a file may nest thousands deep)
  const stack: Node[] = [tree.rootNode];
  while (stack.length > 0 && problems.length < MAX_ERRORS) {
    const node = stack.pop()!;
    if (node.isMissing) {
      problems.push(missingProblem(at, node));
      continue;
    }
    if (node.isError) {
      // one problem per block header: the parser may skip several pieces of one header
      const header = node.parent?.type === 'block' ? headerProblem(at, node) : undefined;
      if (header && headers.has(node.parent!.id)) continue;
      if (header) headers.add(node.parent!.id);
      problems.push(header ?? unclosedBlockProblem(at, node) ?? problem(at, node.startIndex, `unexpected ${excerpt(node)}`));
      continue;
    }
    if (!node.hasError) continue;
    const children = node.children.filter((child): child is Node => child !== null);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return problems;
}

/** Block types that only exist at the top level of a file. */
const TOP_LEVEL = new Set(['resource', 'data', 'module', 'variable', 'output', 'locals', 'provider', 'terraform', 'moved', 'import', 'removed', 'check']);

/**
 * A missing `}` is found where the file ends, often far below the block left open; when that
 * block swallowed a top-level block (`resource` inside `resource`), the brace belongs just
 * before it, so that is the line reported.
 */
function missingProblem(at: Located, node: Node): TerraformProblem {
  if (node.type === '}' && node.parent?.type === 'block_end') {
    const open = node.parent.parent;
    const body = open?.children.find((child) => child?.type === 'body');
    const swallowed = body?.children.find((child) => child?.type === 'block' && TOP_LEVEL.has(child.child(0)?.text ?? ''));
    if (open && swallowed) {
      return problem(at, swallowed.startIndex, `expected \`}\` to close ${headerText(open)} (line ${at.positions.lineOf(at.offset + open.startIndex)}) before this block`);
    }
  }
  if (node.parent?.type === 'heredoc_start' || node.type === 'heredoc_identifier') {
    // the parser's guess when a value is missing (`a = = 1`): not a heredoc the user wrote
    return problem(at, node.startIndex, 'expected a value');
  }
  if (node.type === 'quoted_template_end' && node.parent) {
    // reported at the end of the file or line; the string that is not closed starts here
    return problem(at, node.parent.startIndex, 'expected `"` to close this string');
  }
  if (node.type === '}' && node.parent?.type === 'block_end' && node.parent.parent) {
    const open = node.parent.parent;
    return problem(at, afterLastText(at, node.startIndex), `expected \`}\` to close ${headerText(open)} (line ${at.positions.lineOf(at.offset + open.startIndex)})`);
  }
  return problem(at, afterLastText(at, node.startIndex), `expected ${describe(node.type)}`);
}

/** A missing token sits after the blank lines that follow the text it should close: report the line of that text. */
function afterLastText(at: Located, index: number): number {
  const text = at.positions.text;
  let offset = at.offset + index;
  while (offset > at.offset && /\s/.test(text[offset - 1]!)) offset--;
  return Math.max(0, offset - 1 - at.offset);
}

/**
 * Text the parser skipped inside a block's header, before its `{`: the `{` is missing (the
 * next lines were read as more labels). Reported on the line of the last label.
 */
function headerProblem(at: Located, node: Node): TerraformProblem | undefined {
  const block = node.parent;
  if (block?.type !== 'block') return undefined;
  const children = block.children.filter((child): child is Node => child !== null);
  const open = children.find((child) => child.type === 'block_start');
  if (open && open.startIndex < node.startIndex) return undefined;
  let label: Node | undefined;
  for (const child of children) {
    if (child.startIndex >= node.startIndex) break;
    if (child.type === 'string_lit' || (child.type === 'identifier' && !label)) label = child;
  }
  return problem(at, (label ?? block).startIndex, `expected \`{\` after ${headerText(block)}`);
}

/**
 * Skipped text that starts like a block (`resource "x" "y"`, as when a block is read on its
 * own): without its `{` (reported on the header's line), or without its `}` (reported on
 * the last line of the text, where the brace belongs).
 */
function unclosedBlockProblem(at: Located, node: Node): TerraformProblem | undefined {
  const children = node.children.filter((child): child is Node => child !== null);
  const open = children.findLastIndex((child) => child.type === 'quoted_template_start');
  if (open !== -1 && !children.slice(open).some((child) => child.type === 'quoted_template_end')) {
    return problem(at, children[open]!.startIndex, 'expected `"` to close this string');
  }
  if (children[0]?.type !== 'identifier' || (children[1]?.type !== 'string_lit' && children[1]?.type !== 'block_start')) return undefined;
  if (!children.some((child) => child.type === 'block_start')) {
    const labels = children.slice(1, children.findIndex((child, i) => i > 0 && child.type !== 'string_lit'));
    return problem(at, (labels.at(-1) ?? children[0]).startIndex, `expected \`{\` after ${headerText(node)}`);
  }
  if (!children.some((child) => child.type === 'block_end')) {
    return problem(at, children.at(-1)!.startIndex, `expected \`}\` to close ${headerText(node)} (line ${at.positions.lineOf(at.offset + node.startIndex)})`);
  }
  return undefined;
}

/** `resource "aws_sqs_queue" "jobs"`: the block type and up to two quoted labels. */
function headerText(block: Node): string {
  const parts: string[] = [];
  for (const child of block.children) {
    if (!child || parts.length === 3) break;
    if (child.type === 'identifier' && parts.length === 0) parts.push(child.text);
    else if (child.type === 'string_lit') parts.push(child.text.slice(0, 60));
    else if (parts.length > 0) break;
  }
  return `\`${parts.join(' ')}\``;
}

function describe(type: string): string {
  const text = TOKEN_TEXT[type] ?? type;
  return text.startsWith('the ') || text.startsWith('a ') ? text : `\`${text}\``;
}

/**
 * The first token of the skipped text when it is a name or punctuation; strings and numbers
 * are only named by kind, as a value on that line may be a secret.
 */
function excerpt(node: Node): string {
  let first: Node | null = node;
  while (first && first.childCount > 0 && first.type !== 'string_lit' && first.type !== 'quoted_template' && first.type !== 'heredoc_template') first = first.child(0);
  if (!first || first.startIndex === node.endIndex) return 'end of file';
  switch (first.type) {
    case 'identifier':
      return `\`${first.text.slice(0, 40)}\``;
    case 'string_lit':
    case 'quoted_template':
    case 'template_literal':
      return 'a string';
    case 'heredoc_template':
      return 'a heredoc';
    case 'numeric_lit':
      return 'a number';
    default:
      return first.isNamed ? describe(first.type) : `\`${first.text.slice(0, 10)}\``;
  }
}

interface Located {
  file: string;
  positions: TextPositions;
  offset: number;
}

function problem(at: Located, index: number, message: string): TerraformProblem {
  const offset = at.offset + index;
  return { kind: 'syntax', file: at.file, line: at.positions.lineOf(offset), column: at.positions.columnOf(offset), message: `syntax error: ${message}` };
}
