// How much of the stack was actually checked. NOT_CHECKED (a type drift detection does
// not support) is its own count: never folded into "in sync".
import type { Coverage, LiveResource } from '../types.js';

/** Over the live resources after ignore rules: a resource whose every difference is ignored is in sync. */
export function computeCoverage(resources: LiveResource[]): Coverage {
  const coverage: Coverage = { inSync: 0, drifted: 0, deleted: 0, notChecked: 0 };
  for (const resource of resources) {
    if (resource.status === 'IN_SYNC') coverage.inSync++;
    else if (resource.status === 'MODIFIED') coverage.drifted++;
    else if (resource.status === 'DELETED') coverage.deleted++;
    else coverage.notChecked++;
  }
  return coverage;
}
