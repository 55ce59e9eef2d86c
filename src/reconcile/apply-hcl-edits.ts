// Live values written back into a Terraform file, changing only the lines they sit on:
// a literal is replaced where tree-sitter says it is, a missing attribute is added after the
// last one of its block (or a key after the last one of its map, `tags` included) at their
// indentation, with `=` aligned as `terraform fmt` aligns a run of one-line attributes.
// Comments, tabs and every other line stay as they were. Pure once the grammar is loaded
// (loadHclGrammar in iac/terraform/load-hcl-grammar.ts; parseRoot has loaded it).
//
// `terraform fmt` (hclwrite's format.go) aligns `=` over consecutive lines that each hold a
// whole one-line assignment; a blank line, a comment line or a line that opens a multi-line
// value (`tags = {`) ends the run. A new attribute whose name fits the run's `=` column joins
// it; a longer one would make fmt realign every line of the run, so it starts a run of its
// own after a blank line instead: fmt leaves both runs as they are, and no other line changes.
//
// Never edited: expressions (`var.x`, `local.x`, `module.x`, function calls, references,
// templates with `${...}`) and heredocs unless the live value is plain text a heredoc can
// hold. The resource is found by its block (`resource "type" "name"`): a resource that is not
// in this file is `not-found`, and the caller tries the module's next file.
import type { Node as SyntaxNode, Tree } from 'web-tree-sitter';
import { parseHclSyntax } from '../iac/terraform/load-hcl-grammar.js';
import { locateSyntaxErrors } from '../iac/terraform/locate-syntax-errors.js';
import { TextPositions } from '../iac/terraform/text-positions.js';
import { toHclValue } from '../iac/terraform/to-hcl-value.js';
import { sameValue } from '../values/cloudformation-value.js';
import { redactText } from '../values/redact-text.js';
import { isSecretPath } from '../values/secret-name.js';
import { NotHclLiteral, renderHclKey, renderHclValue } from './render-hcl-value.js';
import { applyInRounds, EditRefusal, type Splice } from './apply-in-rounds.js';
import { afterLineOf, columnOf, indentationAt, lineEndingOf, lineStartOf } from './splice-text.js';
import type { ApplyEdits, ValueEdit } from './types.js';

function change(start: number, end: number, insert: string): Splice {
  return { start, end, insert };
}

/** A parse of the file; the tree lives in WebAssembly memory until released. */
interface Parsed {
  text: string;
  tree: Tree;
}

type Place =
  | { kind: 'found'; expr: SyntaxNode }
  | { kind: 'missing-attribute'; block: SyntaxNode; name: string; rest: string[] }
  | { kind: 'missing-key'; object: SyntaxNode; key: string; rest: string[] };

export const applyHclEdits: ApplyEdits = (text, edits) =>
  applyInRounds(text, edits, { parse, plan, verify, release: (parsed) => parsed.tree.delete(), unparseable: 'the file does not parse as HCL' });

function parse(text: string): Parsed | { problem: string } {
  const tree = parseHclSyntax(text);
  const problem = syntaxProblem(text, tree);
  if (problem === undefined) return { text, tree };
  tree.delete();
  return { problem };
}

function plan(text: string, parsed: Parsed, edit: ValueEdit): Splice {
  try {
    return planEdit(text, parsed.tree.rootNode, edit);
  } catch (error) {
    if (error instanceof EditRefusal) throw new EditRefusal(error.reason, withoutSecrets(error.message, edit));
    if (error instanceof NotHclLiteral) throw new EditRefusal('not-literal', `${where(edit)}: ${error.message}`);
    throw error;
  }
}

/**
 * A detail quotes declared code (`var.x`, `join(...)`), never the live value. Code under a
 * secret-looking name (`password`, `api_token`) may still hold one: not quoted there, and
 * secrets inside URLs or connection strings are blanked everywhere (values/redact-text.ts).
 */
function withoutSecrets(detail: string, edit: ValueEdit): string {
  const names = [...edit.path.map(String), ...(edit.op.kind === 'tag' ? [edit.op.key] : [])];
  if (isSecretPath(names.join('.'))) return detail.replace(/`[^`]*`/g, '`***`');
  return redactText(detail);
}

function syntaxProblem(text: string, tree: Tree): string | undefined {
  if (!tree.rootNode.hasError) return undefined;
  const [first] = locateSyntaxErrors('', tree, new TextPositions(text));
  return first ? `line ${first.line}: ${first.message}` : 'a syntax error';
}

function where(edit: ValueEdit): string {
  return [edit.resource, ...edit.path].join('.');
}

/** The splice that makes the edit, or an EditRefusal. */
function planEdit(text: string, root: SyntaxNode, edit: ValueEdit): Splice {
  const place = locate(text, root, edit);
  const eol = lineEndingOf(text);
  if (edit.op.kind === 'set') {
    const { value } = edit.op;
    if (place.kind === 'found') return replaceValue(text, place.expr, value, edit, eol);
    if (place.kind === 'missing-attribute') return addAttribute(text, place.block, place.name, nest(place.rest, value), eol);
    return addKey(text, place.object, place.key, nest(place.rest, value), eol);
  }
  const { key, value } = edit.op;
  if (place.kind === 'missing-attribute') return addAttribute(text, place.block, place.name, nest([...place.rest, key], value), eol);
  if (place.kind === 'missing-key') return addKey(text, place.object, place.key, nest([...place.rest, key], value), eol);
  const object = objectOf(place.expr);
  if (!object) throw new EditRefusal('expression', `${where(edit)} is not a literal map (\`${short(text, place.expr)}\`); not edited`);
  const found = findElem(text, object, key, where(edit));
  if (!found) return addKey(text, object, key, value, eol);
  return replaceValue(text, found, value, { ...edit, path: [...edit.path, key] }, eol);
}

/** Each edited place, read back from the new text, must hold the live value as a literal. */
function verify(_before: Parsed, after: Parsed, edits: readonly ValueEdit[]): string | undefined {
  for (const edit of edits) {
    let expr: SyntaxNode | undefined;
    try {
      const place = locate(after.text, after.tree.rootNode, edit);
      expr = place.kind === 'found' ? place.expr : undefined;
      if (expr && edit.op.kind === 'tag') {
        const object = objectOf(expr);
        expr = object ? findElem(after.text, object, edit.op.key, where(edit)) : undefined;
      }
    } catch (error) {
      if (!(error instanceof EditRefusal)) throw error;
    }
    const read = expr ? toHclValue(after.text.slice(expr.startIndex, expr.endIndex)) : undefined;
    if (read?.kind !== 'literal' || !sameValue(read.value, edit.op.value)) return `${where(edit)}: the value written would not read back as the live value`;
  }
  return undefined;
}

function nest(rest: readonly string[], value: unknown): unknown {
  return rest.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

function short(text: string, node: SyntaxNode): string {
  const source = text.slice(node.startIndex, node.endIndex).replace(/\s+/g, ' ');
  return source.length > 60 ? `${source.slice(0, 57)}...` : source;
}

// ---------------------------------------------------------------- finding the place

/** `aws_sqs_queue.orders`, also with a module path or an instance key before or after it. */
function blockName(address: string): { type: string; labels: [string, string] } | undefined {
  const plain = address.replace(/\[[^\]]*\]/g, '').replace(/^(?:module\.[^.]+\.)+/, '');
  const data = /^data\.([^.]+)\.([^.]+)$/.exec(plain);
  if (data) return { type: 'data', labels: [data[1]!, data[2]!] };
  const resource = /^([^.]+)\.([^.]+)$/.exec(plain);
  return resource ? { type: 'resource', labels: [resource[1]!, resource[2]!] } : undefined;
}

function childOfType(node: SyntaxNode, type: string): SyntaxNode | undefined {
  return node.namedChildren.find((child) => child?.type === type) ?? undefined;
}

/** A block's type and labels (`resource`, [`aws_sqs_queue`, `orders`]). */
function headerOf(text: string, block: SyntaxNode): { type: string; labels: string[] } {
  const labels: string[] = [];
  let type = '';
  for (const child of block.namedChildren) {
    if (!child) continue;
    if (child.type === 'identifier') {
      if (type === '') type = text.slice(child.startIndex, child.endIndex);
      else labels.push(text.slice(child.startIndex, child.endIndex));
    } else if (child.type === 'string_lit') {
      const label = toHclValue(text.slice(child.startIndex, child.endIndex));
      labels.push(label.kind === 'literal' ? String(label.value) : text.slice(child.startIndex, child.endIndex));
    }
  }
  return { type, labels };
}

function findBlock(text: string, root: SyntaxNode, address: string): SyntaxNode | undefined {
  const wanted = blockName(address);
  const body = childOfType(root, 'body');
  if (!wanted || !body) return undefined;
  return body.namedChildren.find((child) => {
    if (child?.type !== 'block') return false;
    const header = headerOf(text, child);
    return header.type === wanted.type && header.labels[0] === wanted.labels[0] && header.labels[1] === wanted.labels[1];
  }) ?? undefined;
}

function attributeIn(text: string, body: SyntaxNode | undefined, name: string): SyntaxNode | undefined {
  return body?.namedChildren.find((child) => child?.type === 'attribute' && child.namedChildren[0] && text.slice(child.namedChildren[0].startIndex, child.namedChildren[0].endIndex) === name) ?? undefined;
}

function valueOf(attributeOrElem: SyntaxNode): SyntaxNode {
  const expressions = attributeOrElem.namedChildren.filter((child) => child?.type === 'expression');
  return expressions.at(-1)!;
}

/** The `object` node of a literal map expression (`{ a = 1 }`), else undefined. */
function objectOf(expr: SyntaxNode): SyntaxNode | undefined {
  const [only, ...others] = expr.namedChildren;
  if (!only || others.length > 0 || only.type !== 'collection_value') return undefined;
  const inner = only.namedChildren[0];
  return inner?.type === 'object' ? inner : undefined;
}

function tupleOf(expr: SyntaxNode): SyntaxNode | undefined {
  const [only, ...others] = expr.namedChildren;
  if (!only || others.length > 0 || only.type !== 'collection_value') return undefined;
  const inner = only.namedChildren[0];
  return inner?.type === 'tuple' ? inner : undefined;
}

/** The value of the map's entry `key`. A key that is an expression may be that key: refused. */
function findElem(text: string, object: SyntaxNode, key: string, here: string): SyntaxNode | undefined {
  let unknown: string | undefined;
  for (const elem of object.namedChildren) {
    if (elem?.type !== 'object_elem') continue;
    const keyNode = elem.namedChildren[0];
    if (!keyNode) continue;
    const keyText = text.slice(keyNode.startIndex, keyNode.endIndex);
    let name: string | undefined;
    if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(keyText)) name = keyText;
    else {
      const read = toHclValue(keyText);
      if (read.kind === 'literal' && typeof read.value === 'string') name = read.value;
    }
    if (name === undefined) unknown ??= keyText;
    else if (name === key) return valueOf(elem);
  }
  if (unknown !== undefined) throw new EditRefusal('expression', `${here} has a key that is an expression (\`${unknown}\`); it may be ${key}`);
  return undefined;
}

function locate(text: string, root: SyntaxNode, edit: ValueEdit): Place {
  const block = findBlock(text, root, edit.resource);
  if (!block) throw new EditRefusal('not-found', `${edit.resource} is not declared in this file`);
  const { path } = edit;
  let currentBlock = block;
  let expr: SyntaxNode | undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const here = [edit.resource, ...path.slice(0, i)].join('.');
    const rest = path.slice(i + 1);
    const restStrings = (): string[] => {
      if (rest.some((item) => typeof item === 'number')) throw new EditRefusal('unsupported', `${where(edit)}: ${[edit.resource, ...path.slice(0, i + 1)].join('.')} is not in the code, and list items are not added`);
      return rest as string[];
    };
    if (!expr) {
      if (typeof segment === 'number') throw new EditRefusal('unsupported', `${here} is a block, not a list`);
      const body = childOfType(currentBlock, 'body');
      const attribute = attributeIn(text, body, segment);
      if (attribute) {
        expr = valueOf(attribute);
        continue;
      }
      const blocks = (body?.namedChildren ?? []).filter((child): child is SyntaxNode => child?.type === 'block' && headerOf(text, child).type === segment);
      if (blocks.length === 0) return { kind: 'missing-attribute', block: currentBlock, name: segment, rest: restStrings() };
      const next = path[i + 1];
      if (typeof next === 'number') {
        const chosen = blocks[next];
        if (!chosen) throw new EditRefusal('unsupported', `${where(edit)}: the code has ${blocks.length} ${segment} block(s); block ${next} is not added`);
        currentBlock = chosen;
        i++;
      } else if (blocks.length === 1) currentBlock = blocks[0]!;
      else throw new EditRefusal('unsupported', `${here}.${segment}: ${blocks.length} blocks, and no index says which`);
      continue;
    }
    const literalCheck = toHclValue(text.slice(expr.startIndex, expr.endIndex));
    if (typeof segment === 'number') {
      const tuple = tupleOf(expr);
      if (!tuple) throw new EditRefusal(literalCheck.kind === 'expression' ? 'expression' : 'unsupported', `${here} is not a literal list (\`${short(text, expr)}\`)`);
      const item = tuple.namedChildren.filter((child) => child?.type === 'expression')[segment];
      if (!item) throw new EditRefusal('unsupported', `${here}[${segment}] is not in the code, and list items are not added`);
      expr = item;
      continue;
    }
    const object = objectOf(expr);
    if (!object) throw new EditRefusal(literalCheck.kind === 'expression' ? 'expression' : 'unsupported', `${here} is not a literal map (\`${short(text, expr)}\`); not edited`);
    const found = findElem(text, object, segment, here);
    if (!found) return { kind: 'missing-key', object, key: segment, rest: restStrings() };
    expr = found;
  }
  if (!expr) throw new EditRefusal('unsupported', `${where(edit)} names a block, not a value`);
  return { kind: 'found', expr };
}

// ---------------------------------------------------------------- writing

/** One level of indentation: a tab when the file indents with tabs, else two spaces (terraform fmt). */
function unitOf(text: string): string {
  return /^\t/m.test(text) ? '\t' : '  ';
}

function replaceValue(text: string, expr: SyntaxNode, value: unknown, edit: ValueEdit, eol: string): Splice {
  const source = text.slice(expr.startIndex, expr.endIndex);
  const heredoc = expr.namedChildren[0]?.type === 'template_expr' ? childOfType(expr.namedChildren[0], 'heredoc_template') : undefined;
  const declared = toHclValue(source);
  if (declared.kind === 'expression') throw new EditRefusal('expression', `${where(edit)} is an expression (\`${short(text, expr)}\`); not edited`);
  if (heredoc) return replaceHeredoc(text, heredoc, value, edit, eol);
  const keepsType =
    (typeof declared.value === 'number' || typeof declared.value === 'boolean') &&
    typeof value === 'string' &&
    /^(?:-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?|true|false)$/.test(value);
  const rendered = keepsType ? (value as string) : renderHclValue(value, indentationAt(text, expr.startIndex), unitOf(text), eol);
  // a comment after the value keeps its column when there is room (fmt aligns trailing comments)
  const after = /^([ ]+)(?=#|\/\/|\/\*)/.exec(text.slice(expr.endIndex, text.indexOf('\n', expr.endIndex) === -1 ? text.length : text.indexOf('\n', expr.endIndex)));
  if (after && !source.includes('\n') && !rendered.includes('\n')) {
    const spaces = Math.max(1, after[1]!.length + source.length - rendered.length);
    return change(expr.startIndex, expr.endIndex + after[1]!.length, rendered + ' '.repeat(spaces));
  }
  return change(expr.startIndex, expr.endIndex, rendered);
}

/** The body of a heredoc without interpolation, rewritten when the live value is text a heredoc holds as it is. */
function replaceHeredoc(text: string, heredoc: SyntaxNode, value: unknown, edit: ValueEdit, eol: string): Splice {
  const identifiers = heredoc.namedChildren.filter((child): child is SyntaxNode => child?.type === 'heredoc_identifier');
  const opening = identifiers[0];
  const closing = identifiers.at(-1);
  const leave = (why: string): never => {
    throw new EditRefusal('unsupported', `${where(edit)} is a heredoc, left alone: ${why}`);
  };
  if (!opening || !closing || opening === closing) return leave('its delimiters were not found');
  if (typeof value !== 'string') return leave('the live value is not text');
  if (!value.endsWith('\n') || value.includes('\r')) return leave('the live value does not end with a line break, as a heredoc does');
  const identifier = text.slice(opening.startIndex, opening.endIndex);
  const lines = value.slice(0, -1).split('\n');
  if (lines.some((line) => line.trim() === identifier)) return leave(`a line of the live value is its delimiter ${identifier}`);
  const flush = text.slice(heredoc.startIndex, opening.startIndex).includes('-');
  const bodyStart = text.indexOf('\n', opening.endIndex) + 1;
  const bodyEnd = lineStartOf(text, closing.startIndex);
  let indent = '';
  if (flush) {
    // `<<-` strips the smallest indentation of the non-blank lines: write the lines under the one the heredoc has
    if (!lines.some((line) => line.trim() !== '' && !/^[ \t]/.test(line))) return leave('its lines are all indented, which <<- would strip');
    const indents = text.slice(bodyStart, bodyEnd).split('\n').filter((line) => line.trim() !== '').map((line) => /^[ \t]*/.exec(line)![0]);
    indent = indents.reduce((a, b) => (b.length < a.length ? b : a), indents[0] ?? indentationAt(text, closing.startIndex));
  }
  const body = lines.map((line) => (line === '' ? '' : indent + line.replace(/\$\{/g, () => '$${').replace(/%\{/g, '%%{'))).join(eol) + eol;
  return change(bodyStart, bodyEnd, body);
}

/**
 * Whether the line holding `offset` is a whole one-line assignment (`name = value`), and the
 * column of its `=`: what terraform fmt aligns.
 */
function assignmentColumn(text: string, node: SyntaxNode): number | undefined {
  if (text.slice(node.startIndex, node.endIndex).includes('\n')) return undefined;
  const key = node.namedChildren[0];
  if (!key) return undefined;
  const equals = text.indexOf('=', key.endIndex);
  return equals === -1 || equals > node.endIndex ? undefined : columnOf(text, equals);
}

/** `name = value` as a line after `previous` (an attribute or map entry on the line before), aligned with it when it fits. */
function assignmentLines(text: string, previous: SyntaxNode | undefined, indent: string, name: string, rendered: string, eol: string): string {
  const lead = indent.length + name.length;
  const column = previous && !rendered.includes('\n') ? assignmentColumn(text, previous) : undefined;
  if (column === undefined) return `${indent}${name} = ${rendered}`;
  if (lead + 1 <= column) return `${indent}${name}${' '.repeat(column - lead)}= ${rendered}`;
  // longer than the run's names: a run of its own (see the top of this file)
  return `${eol}${indent}${name} = ${rendered}`;
}

function addAttribute(text: string, block: SyntaxNode, name: string, value: unknown, eol: string): Splice {
  const unit = unitOf(text);
  const body = childOfType(block, 'body');
  const attributes = (body?.namedChildren ?? []).filter((child): child is SyntaxNode => child?.type === 'attribute');
  const last = attributes.at(-1);
  const key = renderHclKeyForAttribute(name);
  if (last) {
    const indent = indentationAt(text, last.startIndex);
    const line = assignmentLines(text, last, indent, key, renderHclValue(value, indent, unit, eol), eol);
    const { at, needsBreak } = afterLineOf(text, last.endIndex);
    return change(at, at, needsBreak ? eol + line : line + eol);
  }
  const indent = indentationAt(text, block.startIndex) + unit;
  const line = `${indent}${key} = ${renderHclValue(value, indent, unit, eol)}`;
  if (body) {
    const at = lineStartOf(text, body.startIndex);
    return change(at, at, line + eol);
  }
  const open = childOfType(block, 'block_start');
  const close = childOfType(block, 'block_end');
  if (!open || !close) throw new EditRefusal('unsupported', `the block of ${name} has no braces`);
  if (!text.slice(open.endIndex, close.startIndex).includes('\n')) {
    return change(open.endIndex, close.startIndex, `${eol}${line}${eol}${indentationAt(text, block.startIndex)}`);
  }
  const { at } = afterLineOf(text, open.endIndex);
  return change(at, at, line + eol);
}

function renderHclKeyForAttribute(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) throw new EditRefusal('unsupported', `${name} is not an attribute name`);
  return name;
}

function addKey(text: string, object: SyntaxNode, key: string, value: unknown, eol: string): Splice {
  const unit = unitOf(text);
  const elems = object.namedChildren.filter((child): child is SyntaxNode => child?.type === 'object_elem');
  const open = childOfType(object, 'object_start');
  const close = childOfType(object, 'object_end');
  if (!open || !close) throw new EditRefusal('unsupported', 'a map without braces');
  const name = renderHclKey(key);
  const last = elems.at(-1);
  const multiline = text.slice(open.endIndex, close.startIndex).includes('\n');
  if (!multiline) {
    const rendered = renderHclValue(value, '', unit, eol).replace(/\r?\n\s*/g, ' ');
    if (last) return change(last.endIndex, last.endIndex, `, ${name} = ${rendered}`);
    return change(open.endIndex, close.startIndex, ` ${name} = ${rendered} `);
  }
  if (last) {
    const indent = indentationAt(text, last.startIndex);
    const line = assignmentLines(text, last, indent, name, renderHclValue(value, indent, unit, eol), eol);
    const { at, needsBreak } = afterLineOf(text, last.endIndex);
    return change(at, at, needsBreak ? eol + line : line + eol);
  }
  const indent = indentationAt(text, open.startIndex) + unit;
  const { at } = afterLineOf(text, open.endIndex);
  return change(at, at, `${indent}${name} = ${renderHclValue(value, indent, unit, eol)}${eol}`);
}

