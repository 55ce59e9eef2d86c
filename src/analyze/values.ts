// Small pure helpers over template and live values: plain-text formatting (dot-path lookup
// lives in values/get-path.ts, for live/ too; re-exported here).
// Whether two values are the same is values/cloudformation-value.ts's business.
export { isRecord } from '../values/cloudformation-value.js';
export { getPath } from '../values/get-path.js';

export function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** `true` when `path` is `property` itself or lies under it (`RedrivePolicy.maxReceiveCount` under `RedrivePolicy`). */
export function isUnder(path: string, property: string): boolean {
  return path === property || path.startsWith(`${property}.`);
}

const MAX_VALUE_LENGTH = 60;

/** A value for a one-sentence message: short, plain text (the renderer escapes it). */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'not set';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

/** `a`, `a and b`, `a, b and c`, `a, b, c and 2 more`. */
export function listWords(items: string[], max = 3): string {
  if (items.length === 0) return '';
  if (items.length > max) return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
  if (items.length === 1) return items[0]!;
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
