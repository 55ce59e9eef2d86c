// Where a JSON template breaks. JSON.parse says whether it is valid; this strict scanner runs
// only when it is not, to name the line. When the file ends with a brace still open, the
// break is usually mid-file: the first closing brace whose indentation does not match the
// line that opened it shows where a brace went missing.

export interface JsonProblem {
  offset: number;
  message: string;
}

type State = 'value' | 'value-or-end' | 'key' | 'key-or-end' | 'colon' | 'after-value';

interface Open {
  char: '{' | '[';
  offset: number;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/** The first problem in a JSON text, or undefined when it is valid. */
export function locateJsonError(text: string): JsonProblem | undefined {
  const stack: Open[] = [];
  let misclosed: { open: Open; closeOffset: number } | undefined;
  let state: State = 'value';
  let i = 0;
  for (;;) {
    i = skipWhitespace(text, i);
    const c = text[i];
    if (c === undefined) {
      if (stack.length === 0 && state === 'after-value') return undefined;
      return endOfInput(text, stack, misclosed);
    }
    const top = stack[stack.length - 1];
    if ((state === 'value-or-end' && c === ']') || (state === 'key-or-end' && c === '}')) {
      state = 'after-value';
    }
    switch (state) {
      case 'value':
      case 'value-or-end': {
        if (c === '{' || c === '[') {
          stack.push({ char: c, offset: i });
          state = c === '{' ? 'key-or-end' : 'value-or-end';
          i += 1;
          continue;
        }
        const end = c === '"' ? scanString(text, i) : scanScalar(text, i);
        if (typeof end !== 'number') return end;
        i = end;
        state = 'after-value';
        continue;
      }
      case 'key':
      case 'key-or-end': {
        if (c !== '"') return { offset: i, message: `expected a double-quoted property name, found ${describe(c)}` };
        const end = scanString(text, i);
        if (typeof end !== 'number') return end;
        i = end;
        state = 'colon';
        continue;
      }
      case 'colon':
        if (c !== ':') return { offset: i, message: `expected ':' after the property name, found ${describe(c)}` };
        i += 1;
        state = 'value';
        continue;
      case 'after-value': {
        if (!top) return { offset: i, message: `unexpected ${describe(c)} after the end of the JSON document` };
        const closer = top.char === '{' ? '}' : ']';
        if (c === ',') {
          state = top.char === '{' ? 'key' : 'value';
          i += 1;
          continue;
        }
        if (c !== closer) return { offset: i, message: `expected ',' or '${closer}', found ${describe(c)}` };
        stack.pop();
        if (!misclosed && closesAtLowerIndent(text, top.offset, i)) misclosed = { open: top, closeOffset: i };
        i += 1;
        continue;
      }
    }
  }
}

function endOfInput(text: string, stack: Open[], misclosed: { open: Open; closeOffset: number } | undefined): JsonProblem {
  if (stack.length === 0) return { offset: text.length, message: 'the file has no JSON value' };
  if (misclosed) {
    const { open, closeOffset } = misclosed;
    const closer = open.char === '{' ? '}' : ']';
    return {
      offset: firstOutdentedLine(text, open.offset, closeOffset),
      message: `'${open.char}' opened on line ${lineOf(text, open.offset)} is never closed; its '${closer}' belongs on or before this line`,
    };
  }
  const outer = stack[stack.length - 1] as Open;
  return {
    offset: Math.max(0, text.length - 1),
    message: `the JSON ends before '${outer.char}' opened on line ${lineOf(text, outer.offset)} is closed`,
  };
}

/** True when a closing brace starts its line at a smaller indent than the line that opened it. */
function closesAtLowerIndent(text: string, openOffset: number, closeOffset: number): boolean {
  const closeLineStart = text.lastIndexOf('\n', closeOffset - 1) + 1;
  if (text.slice(closeLineStart, closeOffset).trim() !== '') return false;
  const openLineStart = text.lastIndexOf('\n', openOffset - 1) + 1;
  if (openLineStart === closeLineStart) return false;
  return closeOffset - closeLineStart < indentOf(text, openLineStart);
}

/**
 * In pretty-printed JSON everything inside a brace is indented deeper than the line that
 * opened it; the first line that is not is where the closing brace went missing.
 */
function firstOutdentedLine(text: string, openOffset: number, fallback: number): number {
  const openIndent = indentOf(text, text.lastIndexOf('\n', openOffset - 1) + 1);
  for (let lineStart = text.indexOf('\n', openOffset) + 1; lineStart > 0 && lineStart < fallback; ) {
    const indent = indentOf(text, lineStart);
    const next = text.indexOf('\n', lineStart);
    const lineEnd = next === -1 ? text.length : next;
    if (lineStart + indent < lineEnd && indent <= openIndent) return lineStart + indent;
    lineStart = next + 1;
  }
  return fallback;
}

function indentOf(text: string, lineStart: number): number {
  let i = lineStart;
  while (text[i] === ' ' || text[i] === '\t') i += 1;
  return i - lineStart;
}

function scanString(text: string, start: number): number | JsonProblem {
  for (let i = start + 1; ; i += 1) {
    const c = text[i];
    if (c === undefined || c === '\n') return { offset: start, message: 'this string is never closed' };
    if (c === '"') return i + 1;
    if (c === '\\') {
      const next = text[i + 1] ?? '';
      if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 5;
      else if (ESCAPES.has(next)) i += 1;
      else return { offset: i, message: `invalid escape \\${next} in a string` };
    } else if (c < ' ') {
      return { offset: i, message: 'a control character (a tab?) inside a string; write it as an escape such as \\t' };
    }
  }
}

function scanScalar(text: string, start: number): number | JsonProblem {
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, start) && !/[\w$]/.test(text[start + literal.length] ?? '')) return start + literal.length;
  }
  NUMBER.lastIndex = start;
  const match = NUMBER.exec(text);
  if (match && match[0].length > 0 && !/[\w.$]/.test(text[start + match[0].length] ?? '')) return start + match[0].length;
  return { offset: start, message: `expected a value (a string, number, true, false, null, object or array), found ${describe(text[start] ?? '')}` };
}

function skipWhitespace(text: string, start: number): number {
  let i = start;
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i += 1;
  return i;
}

function describe(c: string): string {
  return /^[\w$]/.test(c) ? `'${c}…'` : `'${c}'`;
}

export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}
