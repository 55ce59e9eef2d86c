// Message fragments shared by the drift rules, built from already-redacted evidence.
import type { Evidence } from '../../types.js';
import { formatValue, isScalar, listWords } from '../values.js';

/**
 * What deploying would write: the head template's value when it is a plain literal, else
 * AWS's resolved expected value (the head holds an intrinsic such as `{ Ref: X }`).
 */
export function templateValue(row: Evidence): unknown {
  return isScalar(row.head) ? row.head : row.expected;
}

/** `VisibilityTimeout (template 30, live 120) and DelaySeconds (template 0, live 5)`. */
export function describeDrift(rows: Evidence[]): string {
  return listWords(rows.map((row) => `${row.path} (template ${formatValue(templateValue(row))}, live ${formatValue(row.live)})`));
}
