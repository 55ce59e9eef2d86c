// A live value as an HCL literal that Terraform reads back as the same value. Pure.
// Strings are quoted with HCL's escapes, and `${` / `%{` doubled so that they stay text
// (a live value is never a template). Maps are written over lines, keys aligned as
// `terraform fmt` aligns them.

export class NotHclLiteral extends Error {}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function renderHclString(text: string): string {
  const escaped = text.replace(/[\\"\n\r\t\u0000-\u001f\u007f\u2028\u2029]/g, (c) => {
    switch (c) {
      case '\\':
        return '\\\\';
      case '"':
        return '\\"';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
  return `"${escaped.replace(/\$\{/g, () => '$${').replace(/%\{/g, '%%{')}"`;
}

/** An object key: bare when it is an identifier, else quoted. */
export function renderHclKey(key: string): string {
  return IDENTIFIER.test(key) && key !== 'null' && key !== 'true' && key !== 'false' ? key : renderHclString(key);
}

/** A value on one line (scalars and lists; a map as `{ a = 1 }`). */
export function renderHclInline(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new NotHclLiteral(`${value} has no HCL form`);
    return String(value);
  }
  if (typeof value === 'string') return renderHclString(value);
  if (Array.isArray(value)) return `[${value.map(renderHclInline).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([key, item]) => `${renderHclKey(key)} = ${renderHclInline(item)}`).join(', ')} }`;
  }
  throw new NotHclLiteral(`a ${typeof value} has no HCL form`);
}

/**
 * A value whose first line follows `name = ` and whose other lines sit under `indent`: a
 * non-empty map over lines, one unit in, with its keys' `=` aligned; anything else inline.
 */
export function renderHclValue(value: unknown, indent: string, unit: string, eol: string): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length === 0) return renderHclInline(value);
  const inner = indent + unit;
  const entries = Object.entries(value).map(([key, item]) => [renderHclKey(key), renderHclValue(item, inner, unit, eol)] as const);
  // terraform fmt aligns `=` over a run of one-line entries; a multi-line value ends the run
  const lines: string[] = [];
  let run: Array<readonly [string, string]> = [];
  const flush = (): void => {
    const width = Math.max(...run.map(([key]) => key.length));
    for (const [key, rendered] of run) lines.push(`${inner}${key.padEnd(width)} = ${rendered}`);
    run = [];
  };
  for (const entry of entries) {
    if (entry[1].includes('\n')) {
      if (run.length > 0) flush();
      lines.push(`${inner}${entry[0]} = ${entry[1]}`);
    } else run.push(entry);
  }
  if (run.length > 0) flush();
  return `{${eol}${lines.join(eol)}${eol}${indent}}`;
}
