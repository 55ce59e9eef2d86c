// Declared Terraform values as evidence: a live attribute path (`ingress.0.from_port`, the
// dot form plans, states and Cloud Control differences use) looked up in a parsed block
// (whose own paths are `ingress[0].from_port`), with the lines it sits on, and the texts
// that must never be shown (values of `sensitive` variables). Pure.
import type { HclValue, SourceSpan, TerraformBody, TerraformBlock, TerraformRoot } from '../../types.js';
import { REDACTED } from '../../values/redact.js';
import { getPath, isRecord } from '../values.js';

/**
 * A declared path in the live dot form: `ingress[0].from_port` -> `ingress.0.from_port`. A
 * `dynamic "ingress"` block stands for the whole `ingress` attribute (its items are only
 * known once Terraform expands it): `dynamic.ingress[0].content[0].from_port` -> `ingress`.
 */
export function toDotPath(hclPath: string): string {
  const dynamic = /^dynamic\.([^.[]+)\[\d+\]/.exec(hclPath);
  if (dynamic) return dynamic[1]!;
  return hclPath.replace(/\[(\d+)\]/g, '.$1');
}

/** One path is the other or lies inside it (`ingress` and `ingress.0.cidr_blocks.1`). */
export function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/** A declared value: literals evaluated, expressions as their source text. */
export interface DeclaredValue {
  value: unknown;
  literal: boolean;
}

function fromHcl(value: HclValue, rest: string[]): DeclaredValue | undefined {
  if (value.kind === 'literal') {
    const found = getPath(value.value, rest.join('.'));
    return found === undefined ? undefined : { value: found, literal: true };
  }
  // inside an expression nothing is known before Terraform evaluates it; the whole text is the evidence
  return { value: value.text, literal: false };
}

/** The value a block declares at a live dot path, or undefined when it declares none there. */
export function declaredValue(block: TerraformBody | undefined, dotPath: string): DeclaredValue | undefined {
  if (!block) return undefined;
  const segments = dotPath.split('.');
  let body: TerraformBody = block;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const attribute = body.attributes[segment];
    if (attribute) return fromHcl(attribute.value, segments.slice(i + 1));
    const index = Number(segments[i + 1] ?? 0);
    const nested = body.blocks.filter((b) => b.type === segment && b.labels.length === 0)[Number.isInteger(index) ? index : 0];
    if (!nested) return undefined;
    body = nested;
    i++; // the index segment
  }
  return undefined;
}

/** Lines of the deepest declared part of `dotPath` (attribute or nested block), else of the block. */
export function spanOf(block: TerraformBlock, dotPath?: string): SourceSpan {
  const whole = { startLine: block.span.startLine, endLine: block.span.endLine };
  if (dotPath === undefined) return whole;
  const segments = dotPath.split('.');
  for (let n = segments.length; n > 0; n--) {
    const hcl = segments.slice(0, n).reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : path ? `${path}.${s}` : s), '');
    const span = block.spans[hcl];
    if (span) return { startLine: span.startLine, endLine: span.endLine };
  }
  return whole;
}

/**
 * Texts that must not be shown: every string and number inside the default or tfvars value of
 * a `sensitive` variable, and inside a module call's input for a sensitive variable of that
 * module, on either side of the pull request. A plan or state redacts its own values; the
 * declared side is ours to redact. Texts shorter than 3 characters are left (they would blank
 * every `0` and `true`; no real secret is that short).
 */
export function sensitiveTexts(roots: ReadonlyArray<TerraformRoot | undefined>): string[] {
  const texts = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value === 'string' || typeof value === 'number') {
      const text = String(value);
      if (text.length >= 3) texts.add(text);
    } else if (Array.isArray(value)) value.forEach(collect);
    else if (isRecord(value)) Object.values(value).forEach(collect);
  };
  const collectHcl = (value: HclValue | undefined) => {
    if (value?.kind === 'literal') collect(value.value);
  };
  for (const root of roots) {
    if (!root) continue;
    for (const variable of root.variables) {
      if (!variable.sensitive) continue;
      collectHcl(variable.default);
      if (variable.module === '') {
        for (const value of root.variableValues) if (value.name === variable.name) collectHcl(value.value);
      } else {
        const call = root.blocks.find((b) => b.kind === 'module' && b.address === variable.module);
        collectHcl(call?.attributes[variable.name]?.value);
      }
    }
  }
  // longest first, so a secret holding a shorter one is replaced whole
  return [...texts].sort((a, b) => b.length - a.length);
}

/** `value` with every sensitive text inside its strings replaced by the redaction marker. */
export function scrub<T>(value: T, texts: readonly string[]): T {
  if (texts.length === 0 || value === undefined) return value;
  if (typeof value === 'string') {
    let out: string = value;
    for (const text of texts) if (out.includes(text)) out = out.split(text).join(REDACTED);
    return out as T;
  }
  if (typeof value === 'number') return (texts.includes(String(value)) ? REDACTED : value) as T;
  if (Array.isArray(value)) return value.map((item) => scrub(item, texts)) as T;
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, texts)])) as T;
  return value;
}

/** The block's literal attributes as one record (`{ name, type, value }`), for name/value secret tests. */
export function literalAttributes(block: TerraformBody | undefined): Record<string, unknown> | undefined {
  if (!block) return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(block.attributes)) {
    out[name] = attribute.value.kind === 'literal' ? attribute.value.value : attribute.value.text;
  }
  return out;
}

/**
 * `lifecycle { ignore_changes = [...] }` of a block, as dot paths (`tags["team"]` ->
 * `tags.team`), or `all`. Terraform leaves live values of those attributes alone, so they are
 * not written back. Written as bare names (`[visibility_timeout_seconds]`) or, in old code,
 * strings; read from the source text since references are not values.
 */
export function ignoredChanges(block: TerraformBody | undefined): string[] | 'all' {
  const lifecycle = block?.blocks.find((b) => b.type === 'lifecycle');
  const value = lifecycle?.attributes.ignore_changes?.value;
  if (!value) return [];
  const text = value.kind === 'literal' ? JSON.stringify(value.value) : value.text;
  if (/^\s*"?all"?\s*$/.test(text)) return 'all';
  return text
    .replace(/^\s*\[|\]\s*$/g, '')
    .split(',')
    .map((item) => item.trim().replace(/^"|"$/g, '').replace(/\["([^"]*)"\]/g, '.$1').replace(/\[(\d+)\]/g, '.$1'))
    .filter((item) => item !== '');
}
