// Small pure helpers over template and live values: dot-path lookup, plain-text formatting.

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Value at a dot path (`Tags.0.Value`); `undefined` when any step is missing. */
export function getPath(root: unknown, path: string): unknown {
  if (path === '') return root;
  let current = root;
  for (const segment of path.split('.')) {
    if (Array.isArray(current)) {
      const index = Number(segment);
      current = Number.isInteger(index) ? current[index] : undefined;
    } else if (isRecord(current)) {
      current = Object.hasOwn(current, segment) ? current[segment] : undefined;
    } else {
      return undefined;
    }
  }
  return current;
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

/**
 * One canonical string per value for "is the deployed template the same as base?":
 * object keys sorted, numbers and booleans compared as strings (CloudFormation treats
 * `30`, `"30"` and `true`, `"true"` alike), list order kept (it is meaningful).
 */
export function canonical(value: unknown): string {
  return JSON.stringify(normalize(value));
}

function normalize(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(normalize);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      if (value[key] !== undefined) out[key] = normalize(value[key]);
    }
    return out;
  }
  return value ?? null;
}
