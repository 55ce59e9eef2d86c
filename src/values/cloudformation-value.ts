// "Is this the same value?" as CloudFormation sees a template value. The one place that
// answers it: iac/ (what a pull request changes), analyze/ (is the deployed template the
// base?) and report/ (which layer to show, what to bold) all ask here. Depends on nothing.
//
// - Key order does not matter, list order does (CloudFormation passes lists on as they are).
// - A number or a boolean is the same as its text (`30` and `"30"`, `true` and `"true"`):
//   CloudFormation hands resource providers scalars as text, so a tag value written `30`
//   deploys as "30", and `true` as "true".
// - How YAML 1.1 reads an unquoted scalar (`yes` is `true`, `010` is 8, `012345678901` is the
//   double 1.2345678901E10) is settled when the template is read (iac/cloudformation/
//   yaml-scalars.ts): a value arrives here as what CloudFormation deploys, so the text rule
//   above is all that is needed (`yes` and `"true"` are the same; `yes` and `"yes"` are not).
// - An absent value (`undefined`) differs from every present one, `null` included; a
//   record entry whose value is `undefined` counts as absent.
//
// Drift reports need a looser meaning (JSON text equal to the object it encodes, Tags in
// any order, IAM policy lists as sets): that is `sameDriftValue` in live/normalize-drift.ts.

/**
 * Whether CloudFormation would deploy `a` and `b` as the same value (rules above).
 * Iterative, so a deep value cannot overflow the stack; linear in the smaller value.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  const pending: [unknown, unknown][] = [[a, b]];
  while (pending.length > 0) {
    const [x, y] = pending.pop()!;
    if (x === y) continue;
    if (x === undefined || y === undefined || x === null || y === null) return false;
    if (isScalar(x) || isScalar(y)) {
      if (!isScalar(x) || !isScalar(y) || scalarText(x) !== scalarText(y)) return false;
      continue;
    }
    if (Array.isArray(x) || Array.isArray(y)) {
      if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) pending.push([x[i], y[i]]);
      continue;
    }
    if (!isRecord(x) || !isRecord(y)) return false;
    const keys = presentKeys(x);
    if (keys.length !== presentKeys(y).length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(y, key)) return false;
      pending.push([x[key], y[key]]);
    }
  }
  return true;
}

/** The text CloudFormation passes on for a scalar: `30` -> "30", `true` -> "true". */
export function scalarText(value: string | number | boolean | bigint): string {
  return typeof value === 'string' ? value : String(value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A mapping's own entry only (`constructor`, `__proto__`, ... as names must not reach the prototype); `undefined` for anything but a mapping. */
export function ownEntry(record: unknown, name: string): unknown {
  return isRecord(record) && Object.hasOwn(record, name) ? record[name] : undefined;
}

function isScalar(value: unknown): value is string | number | boolean | bigint {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint';
}

function presentKeys(record: Record<string, unknown>): string[] {
  return Object.keys(record).filter((key) => record[key] !== undefined);
}
