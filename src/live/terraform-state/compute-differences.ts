// State attributes (what Terraform last wrote: expected) against Cloud Control properties
// (what runs: actual), on the mapped paths of one type only. Both sides are brought to
// Terraform's shape first, so a difference names a Terraform attribute and shows values the
// way the .tf code writes them. Pure.
import { isRecord } from '../../values/cloudformation-value.js';
import { getPath } from '../../values/get-path.js';
import type { PropertyDifference } from '../../types.js';

export type Attributes = Record<string, unknown>;

/**
 * How one Terraform attribute is compared:
 * - `value` (default): scalars loosely (`30` = `"30"`, `true` = `"true"`), lists in order,
 *   objects by key; empty and absent are the same (`null`, `""`, `[]`, `{}`);
 * - `set`: a list whose order means nothing (Terraform sets, AWS lists);
 * - `json`: a JSON document, as a string on either side (policies, definitions); key order
 *   and a one-item list written as its item (`"Action": "s3:*"` = `["s3:*"]`) do not count;
 * - `map`: a string map compared key by key (tags): one difference per key, path `tags.team`.
 */
export type CompareKind = 'value' | 'set' | 'json' | 'map';

export interface AttributeMapping {
  /** Terraform attribute path, as a difference names it (`visibility_timeout_seconds`, `ttl.0.enabled`). */
  attribute: string;
  /** The Cloud Control property it comes from, for the record (`VisibilityTimeout`, `TimeToLiveSpecification.Enabled`). */
  property: string;
  /** The state's value; default: the attribute at `attribute`. */
  expected?: (attributes: Attributes) => unknown;
  /** The live value in Terraform's shape; default: the property at `property`. */
  actual?: (properties: Attributes) => unknown;
  compare?: CompareKind;
  /**
   * AWS's default for the setting: what Cloud Control leaves out (`BillingMode` absent =
   * `PROVISIONED`) and what a state without the attribute or block means.
   */
  liveDefault?: unknown;
}

export interface ComparedAttributes {
  differences: PropertyDifference[];
  /** Attributes whose raw values differ but are equal once normalized (`"30"` vs `30`, policy key order). */
  normalizedAway: number;
}

export function computeDifferences(mappings: readonly AttributeMapping[], attributes: Attributes, properties: Attributes): ComparedAttributes {
  const differences: PropertyDifference[] = [];
  let normalizedAway = 0;
  for (const mapping of mappings) {
    let expected = mapping.expected ? mapping.expected(attributes) : getPath(attributes, mapping.attribute);
    let actual = mapping.actual ? mapping.actual(properties) : getPath(properties, mapping.property);
    // Absent on either side means AWS's default (a block the code leaves out, a property AWS leaves out).
    if (mapping.liveDefault !== undefined) {
      if (isEmpty(actual)) actual = mapping.liveDefault;
      if (isEmpty(expected)) expected = mapping.liveDefault;
    }
    const kind = mapping.compare ?? 'value';
    if (kind === 'map') {
      differences.push(...mapDifferences(mapping.attribute, expected, actual));
      continue;
    }
    if (same(kind, expected, actual)) {
      if (JSON.stringify(expected ?? null) !== JSON.stringify(actual ?? null) && !(isEmpty(expected) && isEmpty(actual))) normalizedAway += 1;
      continue;
    }
    differences.push(difference(mapping.attribute, expected, kind === 'json' ? parseJson(actual) : actual));
  }
  return { differences, normalizedAway };
}

function difference(path: string, expected: unknown, actual: unknown): PropertyDifference {
  const kind = isEmpty(expected) ? 'ADD' : isEmpty(actual) ? 'REMOVE' : 'NOT_EQUAL';
  return { path, expected: isEmpty(expected) ? undefined : expected, actual: isEmpty(actual) ? undefined : actual, kind };
}

function mapDifferences(attribute: string, expected: unknown, actual: unknown): PropertyDifference[] {
  const left = isRecord(expected) ? expected : {};
  const right = isRecord(actual) ? actual : {};
  const out: PropertyDifference[] = [];
  for (const key of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()) {
    if (!same('value', left[key], right[key])) out.push(difference(`${attribute}.${key}`, left[key], right[key]));
  }
  return out;
}

function same(kind: CompareKind, expected: unknown, actual: unknown): boolean {
  if (isEmpty(expected) && isEmpty(actual)) return true;
  switch (kind) {
    case 'set':
      return setKey(expected) === setKey(actual);
    case 'json':
      return loose(policyShape(parseJson(expected))) === loose(policyShape(parseJson(actual)));
    default:
      return loose(expected) === loose(actual);
  }
}

export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isRecord(value)) return Object.keys(value).length === 0;
  return false;
}

/** One string per value: scalars as text (numbers canonical), object keys sorted, empty members dropped. */
export function loose(value: unknown): string {
  return JSON.stringify(looseValue(value));
}

function looseValue(value: unknown): unknown {
  if (isEmpty(value)) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return /^-?\d+(\.\d+)?$/.test(value) ? String(Number(value)) : value;
  if (Array.isArray(value)) return value.map(looseValue);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      if (!isEmpty(value[key])) out[key] = looseValue(value[key]);
    }
    return out;
  }
  return String(value);
}

function setKey(value: unknown): string {
  const items = Array.isArray(value) ? value : [value];
  return JSON.stringify(items.map(loose).sort());
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Policy documents: a one-item list and its item are the same; list order of statements kept. */
function policyShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 1 ? policyShape(value[0]) : value.map(policyShape);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, policyShape(v)]));
  return value;
}
