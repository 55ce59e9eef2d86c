// Values as a reader sees them: JSON, with strings left bare unless that would be
// ambiguous, truncated with an ellipsis. Output is plain text; callers put it in a code span.
// (analyze/values.ts's formatValue is the short form for one-sentence messages.)
import { codeSpan } from './escape-markdown.js';

export const VALUE_CHARS = 120;

/** A value as plain text for a table cell or an annotation, at most `max` characters. */
export function valueText(value: unknown, max = VALUE_CHARS): string {
  return truncate(toText(value), max);
}

/** A value as a code span; `undefined` (absent from that layer) reads "(absent)". */
export function renderValue(value: unknown, inTable = false, max = VALUE_CHARS): string {
  return value === undefined ? '*(absent)*' : codeSpan(valueText(value, max), inTable);
}

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

function toText(value: unknown): string {
  if (typeof value === 'string') return isAmbiguous(value) ? JSON.stringify(value) : value;
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return value.toString();
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A bare string is ambiguous when it would read as another JSON value, or hides whitespace. */
function isAmbiguous(text: string): boolean {
  if (text === '' || /^\s|\s$|[\u0000-\u001f\u007f]/.test(text)) return true;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
