// A tiny logic-less template language for templates/*.md. Pure: source + data -> string.
//
//   {{name}}              value, escaped as plain markdown text (escapeText)
//   {{{name}}}            value inserted raw: pre-rendered, already-safe fragments only
//   {{#name}}...{{/name}} section: a list repeats per item, an object or other truthy value
//                         renders once with it on top of the scope stack
//   {{^name}}...{{/name}} inverted section: renders when the value is falsy or an empty list
//   {{! comment }}        dropped
//   {{.}} / {{{.}}}       the current item
//
// Numbers render with thousands separators (`1,485`).
// Falsy: undefined, null, false, 0, '' and []. A name is looked up from the innermost scope
// outwards. A variable with no value is an error (a typo must not render as blank).
// A line holding only a section, close or comment tag disappears entirely, so templates
// can put tags on their own lines without leaving blank lines behind.
import { escapeText } from './escape-markdown.js';

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'var'; name: string; raw: boolean; line: number }
  | { kind: 'section'; name: string; inverted: boolean; children: Node[]; line: number };

export interface CompiledTemplate {
  name: string;
  nodes: Node[];
}

const TAG = /\{\{(\{\s*([\w.]+)\s*\}|([#^/!])?\s*([^}]*?)\s*)\}\}/g;

export function compileTemplate(source: string, name = 'template'): CompiledTemplate {
  const root: Node[] = [];
  const stack: { name: string; children: Node[]; line: number }[] = [{ name: '', children: root, line: 0 }];
  const top = () => stack[stack.length - 1]!;
  let cursor = 0;
  for (const match of source.matchAll(TAG)) {
    const start = match.index;
    let end = start + match[0].length;
    const line = lineOf(source, start);
    const rawName = match[2];
    const sigil = match[3];
    const tagName = (match[4] ?? '').trim();
    let before = source.slice(cursor, start);
    if (sigil !== undefined && isStandalone(source, start, end)) {
      before = before.replace(/[ \t]*$/, '');
      const newline = source.indexOf('\n', end);
      end = newline === -1 ? source.length : newline + 1;
    }
    if (before) top().children.push({ kind: 'text', text: before });
    cursor = end;

    if (rawName !== undefined) {
      top().children.push({ kind: 'var', name: rawName, raw: true, line });
    } else if (sigil === '!') {
      // comment
    } else if (sigil === '#' || sigil === '^') {
      checkName(tagName, name, line);
      const children: Node[] = [];
      top().children.push({ kind: 'section', name: tagName, inverted: sigil === '^', children, line });
      stack.push({ name: tagName, children, line });
    } else if (sigil === '/') {
      const open = top();
      if (stack.length === 1 || open.name !== tagName) {
        throw new Error(`${name}:${line}: {{/${tagName}}} closes ${stack.length === 1 ? 'nothing' : `{{#${open.name}}}`}`);
      }
      stack.pop();
    } else {
      checkName(tagName, name, line);
      top().children.push({ kind: 'var', name: tagName, raw: false, line });
    }
  }
  if (stack.length > 1) throw new Error(`${name}:${top().line}: {{#${top().name}}} is never closed`);
  const rest = source.slice(cursor);
  if (rest) root.push({ kind: 'text', text: rest });
  return { name, nodes: root };
}

export function renderCompiled(template: CompiledTemplate, data: object): string {
  return renderNodes(template.nodes, [data], template.name);
}

export function renderTemplate(source: string, data: object, name?: string): string {
  return renderCompiled(compileTemplate(source, name), data);
}

function renderNodes(nodes: Node[], scopes: unknown[], template: string): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') {
      out += node.text;
    } else if (node.kind === 'var') {
      const value = lookup(scopes, node.name);
      if (value === undefined || value === null) {
        throw new Error(`${template}:${node.line}: no value for {{${node.name}}}`);
      }
      const text = typeof value === 'number' ? value.toLocaleString('en-US') : String(value);
      out += node.raw ? text : escapeText(text);
    } else {
      const value = lookup(scopes, node.name);
      if (node.inverted) {
        if (isFalsy(value)) out += renderNodes(node.children, scopes, template);
      } else if (Array.isArray(value)) {
        for (const item of value) out += renderNodes(node.children, [...scopes, item], template);
      } else if (!isFalsy(value)) {
        out += renderNodes(node.children, [...scopes, value], template);
      }
    }
  }
  return out;
}

function lookup(scopes: unknown[], name: string): unknown {
  if (name === '.') return scopes[scopes.length - 1];
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i];
    if (typeof scope === 'object' && scope !== null && Object.hasOwn(scope, name)) {
      return (scope as Record<string, unknown>)[name];
    }
  }
  return undefined;
}

function isFalsy(value: unknown): boolean {
  return !value || (Array.isArray(value) && value.length === 0);
}

function isStandalone(source: string, start: number, end: number): boolean {
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const newline = source.indexOf('\n', end);
  const lineEnd = newline === -1 ? source.length : newline;
  return /^[ \t]*$/.test(source.slice(lineStart, start)) && /^[ \t\r]*$/.test(source.slice(end, lineEnd));
}

function checkName(tagName: string, template: string, line: number): void {
  if (!/^(\.|[A-Za-z_]\w*)$/.test(tagName)) throw new Error(`${template}:${line}: bad tag name "${tagName}"`);
}

function lineOf(source: string, index: number): number {
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < index; i = source.indexOf('\n', i + 1)) line++;
  return line;
}
