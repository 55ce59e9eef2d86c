// An HCL expression's source text -> HclValue. Literals are evaluated (as Terraform would:
// escapes in quoted strings, `$${` and `%%{`, heredoc indentation for `<<-`); anything else
// is kept as its source text, with a normalized form for comparing and the names it references.
//
// This works on the text tree-sitter delimited (the attribute's expression node), with a small
// lexer, instead of walking the expression's nodes: every node visited from JavaScript costs
// several calls into WebAssembly; with this (and a tree cursor for the blocks), the time
// parseRoot spends past the tree-sitter parse of a 1 MB root fell from about 350 to 150 ms
// (measured with process.cpuUsage; `npm run bench`). The text parsed without errors, so
// the lexer can stay simple.
import type { HclValue } from '../../types.js';

type Token =
  | { kind: 'ident' | 'number' | 'punct' | 'newline'; text: string }
  /** `text`: the normalized form; `value`: the string, when it has no interpolation or directive. */
  | { kind: 'string'; text: string; value?: string };

export function toHclValue(text: string): HclValue {
  const references = new Set<string>();
  const { tokens } = lex(text, 0, false, references);
  const literal = parseLiteral(tokens.filter((token) => token.kind !== 'newline'));
  if (literal !== NOT_LITERAL) return { kind: 'literal', value: literal };
  return { kind: 'expression', text, normalized: render(tokens), references: [...references].sort() };
}

// ---------------------------------------------------------------- lexer

const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;
const NUMBER = /[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEREDOC = /<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/y;
const OPERATORS = ['...', '==', '!=', '<=', '>=', '&&', '||', '=>', '::'];

/**
 * Tokens from `start`; with `closing`, up to the `}` that ends an interpolation or directive
 * (returned as `end`, the index after it). References are collected on the way, also from
 * interpolations inside strings.
 */
function lex(s: string, start: number, closing: boolean, references: Set<string>): { tokens: Token[]; end: number } {
  const tokens: Token[] = [];
  let depth = 0;
  let i = start;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '\n') {
      tokens.push({ kind: 'newline', text: '\n' });
      i++;
    } else if (c === '#' || (c === '/' && s[i + 1] === '/')) {
      const eol = s.indexOf('\n', i);
      i = eol === -1 ? s.length : eol;
    } else if (c === '/' && s[i + 1] === '*') {
      const close = s.indexOf('*/', i + 2);
      i = close === -1 ? s.length : close + 2;
    } else if (c === '"') {
      const quoted = lexQuoted(s, i, references);
      tokens.push(quoted.token);
      i = quoted.end;
    } else if (c === '<' && s[i + 1] === '<' && (HEREDOC.lastIndex = i) >= 0 && HEREDOC.test(s)) {
      const heredoc = lexHeredoc(s, i, HEREDOC.lastIndex, references);
      tokens.push(heredoc.token);
      i = heredoc.end;
    } else if (c >= '0' && c <= '9') {
      NUMBER.lastIndex = i;
      NUMBER.test(s);
      tokens.push({ kind: 'number', text: s.slice(i, NUMBER.lastIndex) });
      i = NUMBER.lastIndex;
    } else if ((IDENT.lastIndex = i) >= 0 && IDENT.test(s)) {
      tokens.push({ kind: 'ident', text: s.slice(i, IDENT.lastIndex) });
      i = IDENT.lastIndex;
    } else {
      if (closing && c === '}' && depth === 0) {
        collectReferences(tokens, references);
        return { tokens, end: i + 1 };
      }
      if (c === '{') depth++;
      else if (c === '}') depth--;
      const operator = OPERATORS.find((op) => s.startsWith(op, i)) ?? c;
      tokens.push({ kind: 'punct', text: operator });
      i += operator.length;
    }
  }
  collectReferences(tokens, references);
  return { tokens, end: i };
}

/** A quoted string from its opening `"`: its normalized text and, without interpolation, its value. */
function lexQuoted(s: string, start: number, references: Set<string>): { token: Token; end: number } {
  let text = '"';
  let template = false;
  let i = start + 1;
  while (i < s.length && s[i] !== '"' && s[i] !== '\n') {
    const c = s[i]!;
    if (c === '\\') {
      text += s.slice(i, i + 2);
      i += 2;
    } else if ((c === '$' || c === '%') && s[i + 1] === c && s[i + 2] === '{') {
      text += s.slice(i, i + 3); // `$${` / `%%{`: a literal `${` / `%{`
      i += 3;
    } else if ((c === '$' || c === '%') && s[i + 1] === '{') {
      template = true;
      const inner = lex(s, i + 2, true, references);
      text += `${c}{${render(inner.tokens)}}`;
      i = inner.end;
    } else {
      text += c;
      i++;
    }
  }
  const end = s[i] === '"' ? i + 1 : i;
  const token: Token = template ? { kind: 'string', text: `${text}"` } : { kind: 'string', text: `${text}"`, value: unescapeQuoted(s.slice(start + 1, i)) };
  return { token, end };
}

/** A heredoc from `<<`: its normalized text (interpolations normalized, the rest as written) and, without interpolation, its value. */
function lexHeredoc(s: string, start: number, bodyStart: number, references: Set<string>): { token: Token; end: number } {
  const header = s.slice(start, bodyStart);
  const marker = header.replace(/^<<-?/, '').trim();
  // the closing marker: alone on its line, indentation allowed
  let lineStart = bodyStart;
  let bodyEnd = s.length;
  let end = s.length;
  while (lineStart <= s.length) {
    const eol = s.indexOf('\n', lineStart);
    const line = s.slice(lineStart, eol === -1 ? s.length : eol);
    if (line.trim() === marker) {
      bodyEnd = lineStart;
      end = lineStart + line.length;
      break;
    }
    if (eol === -1) break;
    lineStart = eol + 1;
  }
  const body = s.slice(bodyStart, bodyEnd);
  let text = '';
  let template = false;
  for (let i = 0; i < body.length; ) {
    const c = body[i]!;
    if ((c === '$' || c === '%') && body[i + 1] === c && body[i + 2] === '{') {
      text += body.slice(i, i + 3);
      i += 3;
    } else if ((c === '$' || c === '%') && body[i + 1] === '{') {
      template = true;
      const inner = lex(body, i + 2, true, references);
      text += `${c}{${render(inner.tokens)}}`;
      i = inner.end;
    } else {
      text += c;
      i++;
    }
  }
  const normalized = `${header.trimEnd()}\n${text}${marker}`;
  if (template) return { token: { kind: 'string', text: normalized }, end };
  return { token: { kind: 'string', text: normalized, value: heredocValue(header.startsWith('<<-'), body) }, end };
}

/** The lines of a heredoc without interpolation, each with its newline; `<<-` removes the smallest indentation of the non-blank lines. */
function heredocValue(flush: boolean, body: string): string {
  let lines = body.split('\n');
  lines.pop(); // after the last newline: the closing marker's line
  lines = lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (flush) {
    const indents = lines.filter((line) => line.trim() !== '').map((line) => /^[ \t]*/.exec(line)![0].length);
    const cut = indents.length ? Math.min(...indents) : 0;
    lines = lines.map((line) => line.slice(Math.min(cut, /^[ \t]*/.exec(line)![0].length)));
  }
  return lines
    .map((line) => `${line}\n`)
    .join('')
    .replaceAll('$${', '${')
    .replaceAll('%%{', '%{');
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

// ---------------------------------------------------------------- literals

const NOT_LITERAL = Symbol('not a literal');

/** The value of a whole token list when it is a literal, else NOT_LITERAL. */
function parseLiteral(tokens: Token[]): unknown {
  const at = { i: 0 };
  const result = literalAt(tokens, at);
  return at.i === tokens.length && (typeof result !== 'number' || Number.isFinite(result)) ? result : NOT_LITERAL;
}

/** The literal starting at `at.i` (moved past it). A plain function, not a closure: it runs for every attribute. */
function literalAt(tokens: Token[], at: { i: number }): unknown {
  const token = tokens[at.i++];
  if (!token) return NOT_LITERAL;
  if (token.kind === 'string') return token.value ?? NOT_LITERAL;
  if (token.kind === 'number') return Number(token.text);
  if (token.kind === 'ident') return token.text === 'true' ? true : token.text === 'false' ? false : token.text === 'null' ? null : NOT_LITERAL;
  if (token.text === '-' && tokens[at.i]?.kind === 'number') return -Number(tokens[at.i++]!.text);
  if (token.text === '[') {
    const list: unknown[] = [];
    while (tokens[at.i]?.text !== ']') {
      const item = literalAt(tokens, at);
      if (item === NOT_LITERAL) return NOT_LITERAL;
      list.push(item);
      if (tokens[at.i]?.text === ',') at.i++;
      else if (tokens[at.i]?.text !== ']') return NOT_LITERAL;
    }
    at.i++;
    return list;
  }
  if (token.text === '{') {
    const object: Record<string, unknown> = {};
    while (tokens[at.i]?.text !== '}') {
      const key = tokens[at.i++];
      const name = key?.kind === 'ident' ? key.text : key?.kind === 'string' ? key.value : undefined;
      if (name === undefined || (tokens[at.i]?.text !== '=' && tokens[at.i]?.text !== ':')) return NOT_LITERAL;
      at.i++;
      const item = literalAt(tokens, at);
      if (item === NOT_LITERAL) return NOT_LITERAL;
      object[name] = item;
      if (tokens[at.i]?.text === ',') at.i++;
      else if (tokens[at.i] === undefined) return NOT_LITERAL;
    }
    at.i++;
    return object;
  }
  return NOT_LITERAL;
}

// ---------------------------------------------------------------- normalized text, references

/**
 * Tokens joined by one space, comments gone, and one `,` between elements: in an object a
 * newline separates elements like a comma does, in a list or call a newline is layout; a
 * trailing separator is dropped, `:` in an object is `=`. Strings keep their text
 * (interpolations normalized).
 */
function render(tokens: Token[]): string {
  const out: string[] = [];
  const brackets: string[] = [];
  for (const token of tokens) {
    if ((token.kind === 'newline' && brackets.at(-1) === '{') || (token.kind === 'punct' && token.text === ',')) {
      const last = out.at(-1);
      if (last !== undefined && last !== ',' && last !== '{' && last !== '[' && last !== '(') out.push(',');
    } else if (token.kind !== 'newline') {
      if (token.kind === 'punct') {
        if (token.text === '{' || token.text === '[' || token.text === '(') brackets.push(token.text);
        else if (token.text === '}' || token.text === ']' || token.text === ')') {
          brackets.pop();
          if (out.at(-1) === ',') out.pop();
        }
      }
      // `{ a: 1 }` is `{ a = 1 }`; in an object a `:` of a conditional or a for is rendered the
      // same way on both sides, so equal text stays equal
      out.push(token.text === ':' && brackets.at(-1) === '{' ? '=' : token.text);
    }
  }
  if (out.at(-1) === ',') out.pop();
  return out.join(' ');
}

/** Names Terraform resolves in a module, not references to something declared. */
const BUILTIN_ROOTS = new Set(['each', 'count', 'self', 'path', 'terraform']);

/** `var.x`, `local.x`, `module.m.out` (or `module.m`), `data.t.n`, `aws_x.y`: a name not after a `.`, then `.name` accesses. */
function collectReferences(tokens: Token[], references: Set<string>): void {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind !== 'ident' || BUILTIN_ROOTS.has(token.text)) continue;
    const before = tokens[i - 1];
    if (before?.kind === 'punct' && (before.text === '.' || before.text === '::')) continue;
    const attributes: string[] = [];
    for (let j = i + 1; attributes.length < 2 && tokens[j]?.text === '.' && tokens[j + 1]?.kind === 'ident'; j += 2) attributes.push(tokens[j + 1]!.text);
    const [first, second] = attributes;
    if (!first) continue;
    if (token.text === 'module') references.add(second ? `module.${first}.${second}` : `module.${first}`);
    else if (token.text === 'data') {
      if (second) references.add(`data.${first}.${second}`);
    } else references.add(`${token.text}.${first}`);
  }
}
