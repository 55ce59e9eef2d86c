// Defence in depth: analyze/ redacts evidence before it gets here, and the report runs the
// same test again, so a secret-looking property can never be printed by a later change upstream.
import { redactEvidence } from '../values/redact.js';
import type { Evidence } from '../types.js';

const NO_NOECHO: ReadonlySet<string> = new Set();

export function safeEvidence(evidence: Evidence[]): Evidence[] {
  return evidence.map((row) => redactEvidence(row, NO_NOECHO));
}
