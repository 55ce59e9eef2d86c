// Value transforms between Cloud Control's shapes (CloudFormation property names) and
// Terraform's (provider attribute names). Each returns the Terraform shape. Pure.
import { isRecord } from '../../values/cloudformation-value.js';
import { getPath } from '../../values/get-path.js';
import type { Attributes } from './compute-differences.js';

/** A string attribute, or `undefined` when absent or empty. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The tags Terraform manages: `tags_all` (the resource's `tags` merged with the provider's
 * `default_tags`, which AWS returns too), else `tags`. Comparing `tags` alone would call every
 * default tag drift.
 */
export function stateTags(attributes: Attributes): unknown {
  return isRecord(attributes.tags_all) ? attributes.tags_all : attributes.tags;
}

/**
 * `[{ Key, Value }]` (or `[{ Name, Value }]`, ...) as a `{ key: value }` map. Tags whose key
 * starts with `aws:` are AWS's own (`aws:cloudformation:stack-name`): Terraform cannot set them.
 */
export function listToMap(list: unknown, keyField = 'Key', valueField = 'Value'): Record<string, unknown> | undefined {
  if (!Array.isArray(list)) return undefined;
  const out: Record<string, unknown> = {};
  for (const entry of list) {
    if (!isRecord(entry) || typeof entry[keyField] !== 'string') continue;
    const key = entry[keyField] as string;
    if (key.startsWith('aws:')) continue;
    out[key] = entry[valueField];
  }
  return out;
}

/** Live tags from a `[{ Key, Value }]` list property (most types). */
export function tagList(property = 'Tags'): (properties: Attributes) => unknown {
  return (properties) => listToMap(properties[property]);
}

/** Live tags from a `{ key: value }` map property (SSM parameters). */
export function tagMap(property = 'Tags'): (properties: Attributes) => unknown {
  return (properties) => {
    const value = properties[property];
    if (!isRecord(value)) return undefined;
    return Object.fromEntries(Object.entries(value).filter(([key]) => !key.startsWith('aws:')));
  };
}

/** A property at a dot path, mapped through `f` when present. */
export function at<T>(path: string, f: (value: unknown) => T): (properties: Attributes) => T | undefined {
  return (properties) => {
    const value = getPath(properties, path);
    return value === undefined || value === null ? undefined : f(value);
  };
}

/** `[{ Name, Value }]` lists into Terraform's `[{ name, value }]` blocks. */
export function renameKeys(names: Record<string, string>): (value: unknown) => unknown {
  return (value) =>
    Array.isArray(value)
      ? value.map((item) => (isRecord(item) ? Object.fromEntries(Object.entries(names).map(([from, to]) => [to, item[from]])) : item))
      : value;
}

/** Picks some fields of each block of a Terraform block list, in a fixed shape. */
export function pickBlocks(value: unknown, fields: string[]): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((item) => (isRecord(item) ? Object.fromEntries(fields.map((f) => [f, item[f]])) : item));
}

/** `example.com.` (Route 53) as `example.com` (Terraform). */
export function withoutTrailingDot(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(/\.$/, '') : value;
}

/** `arn:aws:ecs:…:task-definition/orders:7` as `orders:7`: Terraform keeps what the code wrote, AWS the ARN. */
export function taskDefinitionName(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(/^arn:[^:]+:ecs:[^:]*:\d*:task-definition\//, '') : value;
}

/** `0` means "not set" on both sides (on-demand capacity, never-expiring logs). */
export function zeroAsAbsent(value: unknown): unknown {
  return value === 0 || value === '0' ? undefined : value;
}
