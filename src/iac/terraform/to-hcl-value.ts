// An HCL expression node -> HclValue. Literals are evaluated (as Terraform would: escapes in
// quoted strings, `$${` and `%%{`, heredoc indentation for `<<-`); anything else is kept as
// its source text, with a normalized form for comparing and the names it references.
import type { Node } from 'web-tree-sitter';
import type { HclValue } from '../../types.js';

const NOT_LITERAL = Symbol('not a literal');
type Evaluated = unknown | typeof NOT_LITERAL;

export function toHclValue(expression: Node): HclValue {
  const value = evaluate(expression);
  if (value !== NOT_LITERAL) return { kind: 'literal', value };
  const references = new Set<string>();
  const normalized = normalize(expression, references);
  return { kind: 'expression', text: expression.text, normalized, references: [...references].sort() };
}

/** Children without comments (comments are `extras`: they can sit anywhere). */
function kids(node: Node): Node[] {
  return node.children.filter((child): child is Node => child !== null && child.type !== 'comment');
}

function evaluate(node: Node): Evaluated {
  switch (node.type) {
    case 'expression':
    case 'literal_value':
    case 'collection_value':
    case 'template_expr': {
      const children = kids(node);
      return children.length === 1 ? evaluate(children[0]!) : NOT_LITERAL;
    }
    case 'numeric_lit': {
      const number = Number(node.text);
      return Number.isFinite(number) ? number : NOT_LITERAL;
    }
    case 'bool_lit':
      return node.text === 'true';
    case 'null_lit':
      return null;
    case 'string_lit':
    case 'quoted_template': {
      const children = kids(node);
      if (children.some((child) => child.type !== 'quoted_template_start' && child.type !== 'quoted_template_end' && child.type !== 'template_literal')) {
        return NOT_LITERAL;
      }
      return unescapeQuoted(node.text.slice(1, -1));
    }
    case 'heredoc_template':
      return heredocValue(node);
    case 'tuple': {
      const values: unknown[] = [];
      for (const child of kids(node)) {
        if (child.type !== 'expression') continue;
        const value = evaluate(child);
        if (value === NOT_LITERAL) return NOT_LITERAL;
        values.push(value);
      }
      return values;
    }
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const element of kids(node)) {
        if (element.type !== 'object_elem') continue;
        const keyNode = element.childForFieldName('key');
        const valueNode = element.childForFieldName('val');
        if (!keyNode || !valueNode) return NOT_LITERAL;
        const key = objectKey(keyNode);
        const value = evaluate(valueNode);
        if (key === undefined || value === NOT_LITERAL) return NOT_LITERAL;
        result[key] = value;
      }
      return result;
    }
    case 'operation': {
      // `-1`: a unary minus on a number literal
      const unary = kids(node)[0];
      if (unary?.type !== 'unary_operation') return NOT_LITERAL;
      const [sign, operand] = kids(unary);
      if (sign?.text !== '-' || !operand) return NOT_LITERAL;
      const value = evaluate(operand);
      return typeof value === 'number' ? -value : NOT_LITERAL;
    }
    default:
      return NOT_LITERAL;
  }
}

/** An object key: a bare name (`Team = ...`) or a literal string; anything else makes the object an expression. */
function objectKey(keyNode: Node): string | undefined {
  const children = kids(keyNode);
  if (children.length === 1 && children[0]!.type === 'variable_expr') return children[0]!.text;
  const value = evaluate(keyNode);
  return typeof value === 'string' ? value : undefined;
}

/** A quoted string's inside -> its value (HCL's escapes; `$${` and `%%{` stand for `${` and `%{`). */
export function unescapeQuoted(inner: string): string {
  if (!inner.includes('\\') && !inner.includes('$${') && !inner.includes('%%{')) return inner;
  return inner.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{/g, (match, escape: string | undefined) => {
    if (match === '$${') return '${';
    if (match === '%%{') return '%{';
    switch (escape![0]) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u':
      case 'U':
        return String.fromCodePoint(Number.parseInt(escape!.slice(1), 16));
      default:
        return escape!; // \" and \\
    }
  });
}

/**
 * A heredoc without interpolation or directive -> its string: the lines between the opening
 * and the closing marker, each with its newline; `<<-` removes the smallest indentation of
 * the non-blank lines (HCL's "flush" heredoc). No backslash escapes in heredocs.
 */
function heredocValue(node: Node): Evaluated {
  if (kids(node).some((child) => child.type === 'template_interpolation' || child.type === 'template_directive')) return NOT_LITERAL;
  const text = node.text;
  const firstNewline = text.indexOf('\n');
  if (firstNewline === -1) return NOT_LITERAL;
  const flush = text.startsWith('<<-');
  const lines = text.slice(firstNewline + 1).split('\n');
  lines.pop(); // the closing marker's line
  let body = lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (flush) {
    const indents = body.filter((line) => line.trim() !== '').map((line) => /^[ \t]*/.exec(line)![0].length);
    const cut = indents.length ? Math.min(...indents) : 0;
    body = body.map((line) => line.slice(Math.min(cut, /^[ \t]*/.exec(line)![0].length)));
  }
  return body.map((line) => `${line}\n`).join('').replaceAll('$${', '${').replaceAll('%%{', '%{');
}

/**
 * Normalized source of an expression: tokens joined by one space, comments dropped, lists,
 * objects and call arguments rewritten with `, ` between elements (so layout, trailing commas
 * and `=` vs `:` in objects do not count), string and heredoc text kept exactly. Collects the
 * names the expression references on the way.
 */
function normalize(node: Node, references: Set<string>): string {
  switch (node.type) {
    case 'comment':
      return '';
    case 'template_literal':
      return node.text;
    case 'tuple':
      return `[${kids(node)
        .filter((child) => child.type === 'expression')
        .map((child) => normalize(child, references))
        .join(', ')}]`;
    case 'object':
      return `{${kids(node)
        .filter((child) => child.type === 'object_elem')
        .map((element) => {
          const key = element.childForFieldName('key');
          const value = element.childForFieldName('val');
          return `${key ? normalize(key, references) : ''} = ${value ? normalize(value, references) : ''}`;
        })
        .join(', ')}}`;
    case 'function_arguments': {
      const children = kids(node);
      const args = children.filter((child) => child.type === 'expression').map((child) => normalize(child, references));
      return args.join(', ') + (children.some((child) => child.type === 'ellipsis') ? '...' : '');
    }
    case 'quoted_template':
    case 'heredoc_template':
      return normalizeTemplate(node, references);
    case 'template_interpolation':
    case 'template_directive':
    case 'template_if':
    case 'template_if_intro':
    case 'template_else_intro':
    case 'template_if_end':
    case 'template_for':
    case 'template_for_start':
    case 'template_for_end':
    case 'string_lit':
      return kids(node)
        .map((child) => normalize(child, references))
        .join('');
  }
  const children = kids(node);
  if (children.length === 0) return node.text;
  children.forEach((child, index) => {
    if (child.type === 'variable_expr') collectReference(children, index, references);
  });
  return children
    .map((child) => normalize(child, references))
    .filter((part) => part !== '')
    .join(' ');
}

/**
 * A template keeps its literal text exactly, from the source: the grammar's literal tokens
 * leave out the whitespace next to an interpolation (`"a ${x}"` has the literal `a`), so
 * joining tokens would make `"a ${x}"` and `"a${x}"` equal. Interpolations and directives
 * inside are normalized.
 */
function normalizeTemplate(node: Node, references: Set<string>): string {
  const text = node.text;
  let out = '';
  let at = node.startIndex;
  for (const child of node.children) {
    if (child?.type !== 'template_interpolation' && child?.type !== 'template_directive') continue;
    out += text.slice(at - node.startIndex, child.startIndex - node.startIndex) + normalize(child, references);
    at = child.endIndex;
  }
  return out + text.slice(at - node.startIndex);
}

/** Names Terraform resolves in a module, not references to something declared. */
const BUILTIN_ROOTS = new Set(['each', 'count', 'self', 'path', 'terraform']);

/**
 * `var.x`, `local.x`, `module.m.out` (or `module.m`), `data.t.n`, `aws_x.y` from a name and
 * the attribute accesses after it. They are siblings in the tree: `(expression (variable_expr)
 * (get_attr) (get_attr))`, and inside a binary operation without an `expression` around them.
 */
function collectReference(siblings: Node[], start: number, references: Set<string>): void {
  const root = siblings[start]!.text;
  if (BUILTIN_ROOTS.has(root)) return;
  const attributes: string[] = [];
  for (const sibling of siblings.slice(start + 1, start + 3)) {
    if (sibling.type !== 'get_attr') break;
    attributes.push(sibling.text.replace(/^\.\s*/, ''));
  }
  const [first, second] = attributes;
  if (!first) return;
  if (root === 'module') references.add(second ? `module.${first}.${second}` : `module.${first}`);
  else if (root === 'data') {
    if (second) references.add(`data.${first}.${second}`);
  } else references.add(`${root}.${first}`);
}
