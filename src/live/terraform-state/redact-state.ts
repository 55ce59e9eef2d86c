// Sensitive values of a state never leave live source B: what the state marks sensitive
// (`sensitive_attributes`: provider schema and `sensitive` variables alike) and what looks like
// a secret by name (the house rule in values/redact.ts) is replaced by `***` here, before any
// value is handed out. Pure.
import { isRecord } from '../../values/cloudformation-value.js';
import { isSecretPath, REDACTED } from '../../values/secret-name.js';
import { redactValue } from '../../values/redact.js';
import type { PropertyDifference } from '../../types.js';
import type { StateInstance } from './types.js';

/**
 * `true` when a value at `path` is, holds or lies inside a sensitive value: a difference on
 * `environment.0.variables` hides nothing less than its `DB_PASSWORD` key, so both count.
 */
export function isSensitive(path: string, sensitivePaths: readonly string[]): boolean {
  if (isSecretPath(path)) return true;
  return sensitivePaths.some((s) => s === '' || path === s || path.startsWith(`${s}.`) || s.startsWith(`${path}.`));
}

/** The difference with both values replaced when its path is sensitive (see `isSensitive`). */
export function redactDifference(difference: PropertyDifference, sensitivePaths: readonly string[]): PropertyDifference {
  if (!isSensitive(difference.path, sensitivePaths)) {
    return { ...difference, expected: redactValue(difference.path, difference.expected), actual: redactValue(difference.path, difference.actual) };
  }
  return {
    ...difference,
    expected: difference.expected === undefined ? undefined : REDACTED,
    actual: difference.actual === undefined ? undefined : REDACTED,
  };
}

/** A copy of the attributes with every sensitive value (and every secret-looking one) replaced. */
export function redactAttributes(attributes: Record<string, unknown>, sensitivePaths: readonly string[]): Record<string, unknown> {
  if (sensitivePaths.includes('')) {
    return Object.fromEntries(Object.keys(attributes).map((key) => [key, REDACTED]));
  }
  const copy = structuredClone(attributes);
  for (const path of sensitivePaths) replaceAt(copy, path.split('.'));
  return redactValue('', copy) as Record<string, unknown>;
}

/** The instance as it may leave the module: attributes redacted. */
export function redactInstance(instance: StateInstance): StateInstance {
  return { ...instance, attributes: redactAttributes(instance.attributes, instance.sensitivePaths) };
}

function replaceAt(root: unknown, segments: string[]): void {
  let current = root;
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    if (Array.isArray(current)) {
      const index = Number(segment);
      if (!Number.isInteger(index) || index >= current.length) return;
      if (last) current[index] = REDACTED;
      else current = current[index];
    } else if (isRecord(current)) {
      if (!Object.hasOwn(current, segment)) return;
      if (last) current[segment] = REDACTED;
      else current = current[segment];
    } else {
      return;
    }
  }
}
