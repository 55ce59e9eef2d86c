// "Is this the same template value?" as CloudFormation sees it: key order does not matter,
// list order does, and numbers and booleans equal their string form (`30` and `"30"`,
// `true` and `"true"`), the same canonical form the analyzer uses for the deployed template.
import { canonical } from '../../analyze/values.js';

/** An absent value (`undefined`) differs from every present one, `null` included. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === undefined) !== (b === undefined)) return false;
  return canonical(a) === canonical(b);
}
