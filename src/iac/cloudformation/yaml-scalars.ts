// How CloudFormation reads an unquoted YAML scalar, as tags for the `yaml` parser. Quoted
// scalars and scalars after a tag (`!Ref yes`) are always text; only plain ones are resolved.
//
// The evidence:
// - AWS: "AWS CloudFormation supports the YAML Version 1.1 specification with a few
//   exceptions ... doesn't support: the binary, omap, pairs, set, and timestamp tags;
//   aliases; hash merges" (User Guide, template-formats.html).
// - CloudFormation runs on Java, and what it deploys matches the YAML 1.1 resolver of
//   SnakeYAML (used by Jackson's YAML reader), not the YAML 1.1 spec's full list nor the
//   `yaml` package's 'yaml-1.1' schema (which both take `y`/`n` as booleans and read
//   `012345678901` as the integer 12345678901):
//   - booleans: `yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF`
//     (SnakeYAML Resolver.BOOL; PyYAML's resolver, which cfn-lint and `aws cloudformation
//     package` use, has the same list). An S3 tag `Value: YES` deployed as "true"
//     (ASFHyP3/hyp3#2061); unquoted `on`/`off` reached a custom resource as booleans
//     (alienplatform/alien#302). `y`, `n`, `Y`, `N` are in neither resolver: text.
//   - integers: `0b1010` binary, `0x1F` hex, `010` octal (a leading 0), `1_000` (underscores
//     dropped), `1:30` base 60 (SnakeYAML Resolver.INT). The octal reading is seen deployed:
//     the account id `065115117704` became 7133765572 (DataDog/cloudformation-template#109);
//     `AccountId: 012345670123` fails its ^[0-9]{12}$ pattern unless quoted
//     (aws-cloudformation/cloudformation-coverage-roadmap#745).
//   - floats: SnakeYAML's FLOAT also matches digit strings that are not integers, such as
//     `012345678901` (a leading 0 and an 8 or 9: not octal), and `1e3`; the value is a Java
//     double and is deployed in Java's text for it: `012345678901` as "1.2345678901E10"
//     (aws/aws-cli#6908: an account id stored "as a number with scientific notation"),
//     `1.0` as "1.0", `1e3` as "1000.0".
//   - null: `~`, `null`, `Null`, `NULL` and nothing (as in YAML 1.2's core schema).
//   - timestamps (`2010-09-09`) stay text: the timestamp tag is not supported (above), and
//     `AWSTemplateFormatVersion: 2010-09-09` unquoted is accepted everywhere.
// So a number keeps its JavaScript value when Java would write it the same way, and
// becomes the text Java writes otherwise (a JavaScript number cannot say "1.0"); an
// integer beyond 2^53 becomes its exact decimal text. Equality then compares text
// (values/cloudformation-value.ts), so `yes` and `true` are the same value, `yes` and
// `"yes"` are not, and `010` is `8`.
import type { ScalarTag } from 'yaml';

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
// SnakeYAML tries FLOAT only on scalars starting with one of -+0123456789. (the lookahead).
const FLOAT =
  /^(?=[-+0-9.])(?:[-+]?(?:\.[0-9]+|[0-9_]+(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

const TAG = 'tag:yaml.org,2002:';

/** Plain scalars as CloudFormation reads them (see above); replaces the schema's bool, int and float. */
export const CLOUDFORMATION_SCALAR_TAGS: ScalarTag[] = [
  { tag: `${TAG}bool`, default: true, test: BOOL, resolve: (source) => TRUE.test(source) },
  { tag: `${TAG}int`, default: true, test: INT, resolve: (source, onError) => (bounded(source, onError) ? readInt(source) : source) },
  { tag: `${TAG}float`, default: true, test: FLOAT, resolve: (source, onError) => (bounded(source, onError) ? readFloat(source) : source) },
];

/**
 * The longest unquoted number read. No real template needs more (an account id is 12
 * digits), and reading is not linear: BigInt arithmetic made a 966 KB `1:00:00:…` cost
 * 28.5 s of CPU, and a 1 MB decimal 0.3–0.5 s. A longer one is refused at its line
 * (onError becomes a located `invalid YAML` problem); quoted, it is text and fine.
 */
export const MAX_NUMBER_LENGTH = 100;

function bounded(source: string, onError: (message: string) => void): boolean {
  if (source.length <= MAX_NUMBER_LENGTH) return true;
  onError(`an unquoted number of ${source.length} characters; at most ${MAX_NUMBER_LENGTH} are read (quote it to make it text)`);
  return false;
}

const NULL = /^(?:~|[Nn]ull|NULL)?$/;

/**
 * A plain scalar's value, as the tags above and the core schema's null resolve it (in that
 * order, as the `yaml` path tries them), for the hand-written reader (parse-yaml-nodes.ts)
 * and the non-specific tag `!`. A number past MAX_NUMBER_LENGTH calls onTooLong.
 */
export function resolvePlain(source: string, onTooLong: (message: string) => void): unknown {
  const c = source.charCodeAt(0);
  // Only these first characters can start a bool, a number or a null: most text skips the tests
  const numeric = (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46; // 0-9 + - .
  if (!numeric && !BOOL_START.has(c) && !(source.length === 0 || c === 126 /* ~ */)) return source;
  if (BOOL.test(source)) return TRUE.test(source);
  if (numeric) {
    if (INT.test(source)) return bounded(source, onTooLong) ? readInt(source) : source;
    if (FLOAT.test(source)) return bounded(source, onTooLong) ? readFloat(source) : source;
  }
  return NULL.test(source) ? null : source;
}

/** First letters of the booleans and of null. */
const BOOL_START = new Set([...'yYnNtTfFoO'].map((letter) => letter.charCodeAt(0)));

/** The schema's own tags this module replaces. */
export function isReplacedScalarTag(tag: string | { tag: string }): boolean {
  const name = typeof tag === 'string' ? tag : tag.tag;
  return name === `${TAG}bool` || name === `${TAG}int` || name === `${TAG}float`;
}

/** A decimal integer that a double holds exactly, written without sign tricks: read without BigInt. */
const SMALL_DECIMAL = /^-?[1-9][0-9]{0,14}$/;

function readInt(source: string): number | string {
  if (source === '0') return 0;
  if (SMALL_DECIMAL.test(source)) return Number(source);
  const negative = source.startsWith('-');
  const text = source.replace(/^[-+]/, '').replace(/_/g, '');
  let n: bigint;
  if (text.includes(':')) {
    n = text.split(':').reduce((sum, part) => sum * 60n + BigInt(part), 0n);
  } else if (text.startsWith('0b')) {
    n = BigInt(text);
  } else if (text.startsWith('0x')) {
    n = BigInt(text);
  } else if (text.length > 1 && text.startsWith('0')) {
    n = BigInt(`0o${text.slice(1)}`);
  } else {
    n = BigInt(text === '' ? '0' : text);
  }
  if (negative) n = -n;
  const asNumber = Number(n);
  return Number.isSafeInteger(asNumber) ? asNumber : n.toString();
}

function readFloat(source: string): number | string {
  const negative = source.startsWith('-');
  const text = source.replace(/^[-+]/, '').replace(/_/g, '').toLowerCase();
  let n: number;
  if (text === '.inf') n = Infinity;
  else if (text === '.nan') n = NaN;
  else if (text.includes(':')) {
    const [whole = '', fraction = ''] = text.split('.');
    n = whole.split(':').reduce((sum, part) => sum * 60 + Number(part), 0) + Number(`0.${fraction || '0'}`);
  } else n = Number(text);
  if (Number.isNaN(n) && text !== '.nan') return source; // `+_`: no number at all; CloudFormation would refuse it
  if (negative) n = -n;
  const java = javaDoubleText(n);
  // Infinity and NaN are no JSON numbers: kept as Java's text for them.
  return Number.isFinite(n) && java === String(n) ? n : java;
}

/**
 * Java's `Double.toString`: plain decimals with at least one fraction digit between 10^-3
 * and 10^7 (`1000.0`, `0.001`), else `d.dddE±n` (`1.2345678901E10`, `1.0E-4`). The digits
 * are the shortest that identify the double, as in JavaScript.
 */
export function javaDoubleText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  const [mantissa = '', exponentText = '0'] = abs.toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (abs >= 1e-3 && abs < 1e7) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exponent}`;
}
