// Pure. Terraform's sensitivity masks, applied. `before_sensitive` / `after_sensitive` mirror
// the value's shape: `true` where a value (leaf or whole subtree) is sensitive, nested
// objects and tuples elsewhere, `false` or absent where nothing is (internal/command/jsonstate
// SensitiveAsBool: lists become tuples of per-item masks, objects omit their `false`s).
// Every value that leaves this module goes through a Redactor first.
import { REDACTED } from '../../values/secret-name.js';

export type Mask = unknown;

/** The mask one step down (`key` is an object key or a list index). */
export function subMask(mask: Mask, key: string | number): Mask {
  if (mask === true) return true;
  if (Array.isArray(mask)) return typeof key === 'number' ? mask[key] : undefined;
  if (isRecord(mask)) return Object.hasOwn(mask, String(key)) ? mask[String(key)] : undefined;
  return undefined;
}

/**
 * Sensitive on either side counts: a value Terraform marks sensitive in the state but not in
 * what it read (or the other way round) is still a secret.
 */
export function unionMask(a: Mask, b: Mask): Mask {
  if (a === true || b === true) return true;
  if (!hasTrue(a)) return b;
  if (!hasTrue(b)) return a;
  if (Array.isArray(a) && Array.isArray(b)) {
    return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => unionMask(a[i], b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const out: Record<string, Mask> = {};
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) out[key] = unionMask(a[key], b[key]);
    return out;
  }
  // Shapes disagree (an object mask against a tuple mask): be safe, hide the whole value.
  return true;
}

/** `true` when the mask marks anything sensitive at or below this point. */
export function hasTrue(mask: Mask): boolean {
  if (mask === true) return true;
  if (Array.isArray(mask)) return mask.some(hasTrue);
  if (isRecord(mask)) return Object.values(mask).some(hasTrue);
  return false;
}

/**
 * Replaces sensitive values (by mask) and any text holding the value of a sensitive
 * variable or output (by value) with the redaction marker, and counts what it replaced.
 */
export class Redactor {
  count = 0;
  private readonly secrets: string[];

  constructor(secrets: Iterable<string> = []) {
    // Longest first, so a secret that contains a shorter one is replaced whole.
    this.secrets = [...new Set(secrets)].sort((a, b) => b.length - a.length);
  }

  /** The value with every part the mask marks replaced; `undefined` stays `undefined`. */
  apply(value: unknown, mask: Mask): unknown {
    if (value === undefined) return undefined;
    if (mask === true) {
      this.count += 1;
      return REDACTED;
    }
    if (Array.isArray(value)) return value.map((item, i) => this.apply(item, subMask(mask, i)));
    if (isRecord(value)) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = this.apply(item, subMask(mask, key));
      return out;
    }
    if (typeof value === 'string' && this.secrets.length > 0) return this.text(value);
    return value;
  }

  private text(value: string): string {
    let out = value;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    if (out !== value) this.count += 1;
    return out;
  }
}

/**
 * Values of sensitive root variables and sensitive outputs, as text. A sensitive value only
 * reaches a resource attribute with its mark, so Terraform's masks already cover it; this
 * second net catches it should a provider copy it somewhere unmarked. Strings shorter than
 * six characters are left out: redacting every `"true"` or `"30"` in a plan would hide the
 * evidence without protecting anything worth the name.
 */
export function sensitiveTexts(document: Record<string, unknown>): string[] {
  const out: string[] = [];
  const add = (value: unknown) => collectStrings(value, out);
  const configuration = isRecord(document.configuration) ? document.configuration : {};
  const rootModule = isRecord(configuration.root_module) ? configuration.root_module : {};
  const declared = isRecord(rootModule.variables) ? rootModule.variables : {};
  const values = isRecord(document.variables) ? document.variables : {};
  for (const [name, declaration] of Object.entries(declared)) {
    if (!isRecord(declaration) || declaration.sensitive !== true) continue;
    add(declaration.default);
    const given = values[name];
    if (isRecord(given)) add(given.value);
  }
  const outputs = isRecord(rootModule.outputs) ? rootModule.outputs : {};
  const planned = isRecord(document.planned_values) && isRecord(document.planned_values.outputs) ? document.planned_values.outputs : {};
  const changes = isRecord(document.output_changes) ? document.output_changes : {};
  for (const [name, output] of Object.entries(planned)) {
    if (isRecord(output) && (output.sensitive === true || (isRecord(outputs[name]) && outputs[name].sensitive === true))) add(output.value);
  }
  for (const change of Object.values(changes)) {
    if (!isRecord(change)) continue;
    if (hasTrue(change.before_sensitive)) add(change.before);
    if (hasTrue(change.after_sensitive)) add(change.after);
  }
  return out.filter((s) => s.length >= 6);
}

function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number') out.push(String(value));
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, out);
  else if (isRecord(value)) for (const item of Object.values(value)) collectStrings(item, out);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
