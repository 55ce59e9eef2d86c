// Redaction, below every layer: providers (live/) redact before a value leaves them, analyze/
// redacts every finding, and report/ and logs reuse the same test. No secret reaches GitHub.
import type { Evidence } from '../types.js';
import { redactText } from './redact-text.js';
import { REDACTED, isSecretName, isSecretPath } from './secret-name.js';
import { isRecord } from './cloudformation-value.js';

export { REDACTED, isSecretName, isSecretPath } from './secret-name.js';

/**
 * Name/value lists keep the secret's name in a sibling field: ECS and Batch
 * `Environment: [{ Name: DB_PASSWORD, Value: ... }]`, CodeBuild `EnvironmentVariables`,
 * `{ Key, Value }` lists, Elastic Beanstalk `OptionSettings` (`OptionName`), StackSet and
 * nested-stack `Parameters: [{ ParameterKey, ParameterValue }]`, and an SSM parameter's own
 * `Name` / `Value`. The entry's value (`Value`, `value` or `ParameterValue`) is the secret when
 * - a name field is a string that passes `isSecretName`;
 * - a name field is not a string (`{ 'Fn::Sub': '/${Env}/db/password' }`,
 *   `{ 'Fn::Join': ['_', ['DB', 'PASSWORD']] }`) and any string inside it, or all of them
 *   run together in order (`_DBPASSWORD`), passes `isSecretName`;
 * - the entry says so itself: OpsWorks `Environment: [{ Key, Value, Secure: true }]`. Any
 *   `Secure` other than `false` / `"false"` counts (an intrinsic might resolve to true).
 *
 * `ValueFrom` (ECS `Secrets`) is left readable on purpose: it is the ARN of the Secrets
 * Manager secret or SSM parameter that holds the secret, not the secret, and it is the
 * evidence people need (like `KmsKeyId`).
 */
const ENTRY_NAME_KEYS = ['Name', 'Key', 'OptionName', 'ParameterKey', 'name', 'key'];
const ENTRY_VALUE_KEYS = ['Value', 'value', 'ParameterValue'];

/** Every string inside a value (not object keys), in document order. */
function stringLeaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringLeaves(item, out);
  else if (isRecord(value)) for (const item of Object.values(value)) stringLeaves(item, out);
  return out;
}

/** `true` when a name field, a string or an intrinsic that builds one, names a secret. */
function namesSecret(name: unknown): boolean {
  if (name === undefined || name === null) return false;
  if (typeof name !== 'object') return isSecretName(String(name));
  const leaves = stringLeaves(name);
  return leaves.some(isSecretName) || isSecretName(leaves.join(''));
}

function isSecureFlag(flag: unknown): boolean {
  return flag !== undefined && flag !== null && flag !== false && String(flag).toLowerCase() !== 'false';
}

/** `true` when the record is a name/value entry whose value is a secret (see above). */
export function isSecretEntry(value: unknown): boolean {
  if (!isRecord(value)) return false;
  return isSecureFlag(value.Secure) || ENTRY_NAME_KEYS.some((key) => namesSecret(value[key]));
}

/**
 * For a path that ends in an entry's value (`ContainerDefinitions.0.Environment.2.Value`,
 * or a top-level `Value`), the path of the entry that holds it (`...Environment.2`, or
 * `''` for the properties themselves); else `undefined`.
 */
export function entryPathOfValue(path: string): string | undefined {
  const segments = path.split('.');
  if (!ENTRY_VALUE_KEYS.includes(segments[segments.length - 1]!)) return undefined;
  return segments.slice(0, -1).join('.');
}

/** Dynamic references that CloudFormation resolves to a secret at deploy time. */
const SECURE_DYNAMIC_REFERENCE = /\{\{resolve:(secretsmanager|ssm-secure):/;
/**
 * `${Name}` in an `Fn::Sub` string; `${!Literal}` is an escaped literal and `${A.B}` a GetAtt.
 * `{` is excluded so an unclosed `${${${…` is scanned in linear time, not quadratic.
 */
const SUB_VARIABLE = /\$\{([^{}!.]+)\}/g;

/**
 * `true` when a template value takes its content from a secret: `{ Ref: P }` or `${P}`
 * inside `Fn::Sub` where P is a NoEcho parameter, or a `{{resolve:secretsmanager:...}}` /
 * `{{resolve:ssm-secure:...}}` dynamic reference, anywhere inside the value.
 */
export function referencesSecret(value: unknown, noEcho: ReadonlySet<string>): boolean {
  if (typeof value === 'string') return SECURE_DYNAMIC_REFERENCE.test(value);
  if (Array.isArray(value)) return value.some((item) => referencesSecret(item, noEcho));
  if (!isRecord(value)) return false;
  if (typeof value.Ref === 'string' && noEcho.has(value.Ref)) return true;
  const sub = value['Fn::Sub'];
  const subText = Array.isArray(sub) ? sub[0] : sub;
  if (typeof subText === 'string') {
    for (const match of subText.matchAll(SUB_VARIABLE)) {
      if (noEcho.has(match[1]!.trim())) return true;
    }
  }
  return Object.values(value).some((item) => referencesSecret(item, noEcho));
}

/**
 * The value with every secret part replaced by `***`: the whole value when its path names
 * a secret or it comes from a secret source, else each nested key that names a secret
 * (`{ Variables: { DB_PASSWORD: 'x' } }`) and the `Value` of each name/value entry whose
 * name does (`[{ Name: 'DB_PASSWORD', Value: 'x' }]`, see `isSecretEntry`), and in every
 * string the secret parts of the URLs and connection strings in it (`redis://:***@cache:6379`,
 * `Server=db;Password=***`, see `redactText`;
 * template and live values alike, since both pass through here). Returns the
 * same reference when nothing was redacted, so callers can tell (`redactValue(p, v) !== v`).
 */
export function redactValue(path: string, value: unknown, noEcho: ReadonlySet<string> = new Set()): unknown {
  if (value === undefined) return undefined;
  if (isSecretPath(path) || referencesSecret(value, noEcho)) return REDACTED;
  const child = (key: string | number) => (path === '' ? String(key) : `${path}.${key}`);
  if (Array.isArray(value)) {
    const items = value.map((item, i) => redactValue(child(i), item, noEcho));
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  if (isRecord(value)) {
    let changed = false;
    const out: Record<string, unknown> = {};
    const secretEntry = isSecretEntry(value);
    for (const [key, item] of Object.entries(value)) {
      out[key] = secretEntry && ENTRY_VALUE_KEYS.includes(key) && item !== undefined ? REDACTED : redactValue(child(key), item, noEcho);
      changed ||= out[key] !== item;
    }
    return changed ? out : value;
  }
  // Secrets inside URLs, anywhere in the string; an equal string when there is none.
  if (typeof value === 'string') return redactText(value);
  return value;
}

const VALUE_KEYS = ['base', 'head', 'expected', 'live'] as const;

/**
 * One evidence row, redacted. Every value of the row is replaced when
 * - the path names a secret;
 * - any of the row's template values (`templateValues` adds ones not in the row, such as
 *   the deployed template's) comes from a secret source: the resolved `expected` and
 *   `live` values are then the secret itself;
 * - the path ends in an entry's `Value` and any of `entries` (that entry as each side
 *   has it: base, head, deployed, live; see `entryPathOfValue`) names a secret.
 * Absent values stay absent.
 */
export function redactEvidence(row: Evidence, noEcho: ReadonlySet<string>, templateValues: unknown[] = [], entries: unknown[] = []): Evidence {
  const whole =
    isSecretPath(row.path) ||
    (entryPathOfValue(row.path) !== undefined && entries.some(isSecretEntry)) ||
    [...VALUE_KEYS.map((key) => row[key]), ...templateValues].some((value) => referencesSecret(value, noEcho));
  const out: Evidence = { path: row.path };
  let redacted = row.redacted === true;
  for (const key of VALUE_KEYS) {
    const value = row[key];
    if (value === undefined) continue;
    out[key] = whole ? REDACTED : redactValue(row.path, value, noEcho);
    redacted ||= whole || out[key] !== value;
  }
  if (redacted) out.redacted = true;
  return out;
}
