// Pure: the value at a dot path inside a template, state or live value. Depends only on
// values/, so iac/, live/ and analyze/ may all use it.
import { isRecord } from './cloudformation-value.js';

/** Value at a dot path (`Tags.0.Value`); `undefined` when any step is missing. */
export function getPath(root: unknown, path: string): unknown {
  if (path === '') return root;
  let current = root;
  for (const segment of path.split('.')) {
    if (Array.isArray(current)) {
      const index = Number(segment);
      current = Number.isInteger(index) ? current[index] : undefined;
    } else if (isRecord(current)) {
      current = Object.hasOwn(current, segment) ? current[segment] : undefined;
    } else {
      return undefined;
    }
  }
  return current;
}
