// A live value as YAML text that CloudFormation reads back as the same value. Pure.
//
// CloudFormation reads plain scalars as YAML 1.1 does (SnakeYAML's resolver, see
// iac/cloudformation/yaml-scalars.ts): `yes`, `on`, `012`, `1e3` and `1:30` are not text
// there. So a string is written plain only when the same resolver reads the plain form back
// as that string, and quoted otherwise; the editor re-reads the whole file after each edit
// as a second check (apply-yaml-edits.ts).
import { Composer, Parser, isScalar, type Scalar, type Tags } from 'yaml';
import { CLOUDFORMATION_SCALAR_TAGS, isReplacedScalarTag } from '../iac/cloudformation/yaml-scalars.js';
import { INTRINSIC_TAGS } from '../iac/cloudformation/intrinsic-tags.js';

/** Options that read YAML as CloudFormation does (the schema parse-template.ts uses). */
export const CLOUDFORMATION_YAML = {
  version: '1.1',
  schema: 'core',
  customTags: (tags: Tags) => [...CLOUDFORMATION_SCALAR_TAGS, ...tags.filter((tag) => !isReplacedScalarTag(tag)), ...INTRINSIC_TAGS],
  merge: false,
  uniqueKeys: false,
} as const;

export type ScalarStyle = Scalar['type'];

export class NotLiteral extends Error {}

const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`\s]/;
// Characters that make a plain scalar mean something else in block or flow context.
const PLAIN_BREAKERS = /: |:$| #|[,[\]{}]|[\x00-\x1f\x7f\u0085\u2028\u2029\ufeff]|\s$/;

/** How CloudFormation reads `source` as a plain scalar. */
function readPlain(source: string): unknown {
  const parser = new Parser();
  const composer = new Composer(CLOUDFORMATION_YAML);
  for (const doc of composer.compose(parser.parse(`- ${source}\n`))) {
    if (doc.errors.length > 0) return Symbol('error');
    const seq = doc.contents as { items?: unknown[] } | null;
    const item = seq?.items?.[0];
    return isScalar(item) ? item.value : Symbol('not a scalar');
  }
  return Symbol('nothing');
}

function plainIsSafe(text: string): boolean {
  if (text === '' || INDICATOR.test(text) || PLAIN_BREAKERS.test(text)) return false;
  return readPlain(text) === text;
}

function singleQuoted(text: string): string | undefined {
  if (/[\x00-\x1f\x7f\u0085\u2028\u2029]/.test(text)) return undefined;
  return `'${text.replace(/'/g, "''")}'`;
}

/** JSON's string syntax is YAML's double-quoted syntax; YAML 1.1 also breaks lines at U+0085, U+2028 and U+2029. */
function doubleQuoted(text: string): string {
  return JSON.stringify(text).replace(/[\u0085\u2028\u2029\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A number as YAML text that reads back as the same number. */
function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new NotLiteral(`${n} has no YAML form CloudFormation reads as a number`);
  return String(n);
}

/**
 * A scalar as YAML text on one line. `style` is the declared value's style, kept where the
 * value allows it (a quoted string stays quoted in the same quotes). A string that is a number
 * or boolean in text (`"120"`, as many AWS APIs return them) replacing a declared number or
 * boolean is written plain: CloudFormation compares the text.
 */
export function renderYamlScalar(value: unknown, style?: ScalarStyle, declared?: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return numberText(value);
  if (typeof value !== 'string') throw new NotLiteral('not a scalar');
  const declaredIsPlainData = (typeof declared === 'number' || typeof declared === 'boolean') && (style === 'PLAIN' || style === undefined);
  if (declaredIsPlainData && readPlain(value) !== value && String(readPlain(value)) === value) return value;
  if (style === 'QUOTE_DOUBLE') return doubleQuoted(value);
  if (style === 'QUOTE_SINGLE') return singleQuoted(value) ?? doubleQuoted(value);
  if (plainIsSafe(value)) return value;
  return singleQuoted(value) ?? doubleQuoted(value);
}

/** A mapping key: plain when safe, else double-quoted. */
export function renderYamlKey(key: string): string {
  return plainIsSafe(key) ? key : doubleQuoted(key);
}

/** A value in flow style, on one line: `{Key: owner, Value: x}`, `[a, b]`. */
export function renderYamlFlow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(renderYamlFlow).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([key, item]) => `${renderYamlKey(key)}: ${renderYamlFlow(item)}`).join(', ')}}`;
  }
  return renderYamlScalar(value);
}

function isCollection(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}

function isEmptyCollection(value: object): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}

/** `key: value` in block style at `indent` spaces, as lines. */
export function renderYamlPair(key: string, value: unknown, indent: number, step: number): string[] {
  const pad = ' '.repeat(indent);
  if (!isCollection(value) || isEmptyCollection(value)) return [`${pad}${renderYamlKey(key)}: ${renderYamlFlow(value)}`];
  return [`${pad}${renderYamlKey(key)}:`, ...renderYamlBlock(value, indent + step, step)];
}

/** A mapping's pairs or a list's items in block style at `indent` spaces, as lines. */
export function renderYamlBlock(value: object, indent: number, step: number): string[] {
  if (!Array.isArray(value)) return Object.entries(value).flatMap(([key, item]) => renderYamlPair(key, item, indent, step));
  const pad = ' '.repeat(indent);
  return value.flatMap((item: unknown) => {
    if (!isCollection(item) || isEmptyCollection(item) || Array.isArray(item)) return [`${pad}- ${renderYamlFlow(item)}`];
    const lines = renderYamlBlock(item, indent + 2, step);
    return [`${pad}- ${lines[0]!.slice(indent + 2)}`, ...lines.slice(1)];
  });
}

/**
 * A multi-line string as a literal block scalar (`|`), its lines at `indent` spaces, or
 * undefined when a literal block cannot hold it exactly (carriage returns, a first line that
 * starts with a space, trailing blank lines, characters YAML does not allow unescaped).
 */
export function renderYamlLiteralBlock(text: string, indent: number, eol: string): string | undefined {
  if (/[\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029\ufeff]/.test(text)) return undefined;
  if (/^[ \t]/.test(text) || /\n\n$/.test(text) || text === '' || text === '\n') return undefined;
  const chomp = text.endsWith('\n') ? '' : '-';
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const pad = ' '.repeat(indent);
  return `|${chomp}${eol}${body.split('\n').map((line) => (line === '' ? '' : pad + line)).join(eol)}`;
}
