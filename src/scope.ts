// Step 1: which configured targets does the pull request touch? Pure: the file list in,
// the touched targets out, each with what scope could not rule out (as notes for analyze).
import type { Target } from './config-types.js';
import type { ScopeNote } from './types.js';

export interface Scope {
  touched: Array<{ target: Target; notes: ScopeNote[] }>;
  /** Set when GitHub listed fewer files than the pull request changes (it stops at 3,000). */
  cutShort?: { listed: number; total: number };
}

/**
 * `listedTotal` is the pull request's `changed_files`. When GitHub listed fewer, a template
 * among the rest cannot be ruled out: the first touched target carries a note naming the
 * targets that may be changed too (a run-wide note, said once).
 */
export function computeScope(targets: Target[], changedFiles: string[], listed: number, listedTotal = listed): Scope {
  const touched = scopeTargets(targets, changedFiles);
  const cutShort = listed < listedTotal ? { listed, total: listedTotal } : undefined;
  const others = targets.filter((t) => !touched.includes(t)).map((t) => t.name);
  return {
    touched: touched.map((target, i) => ({
      target,
      notes: i === 0 && cutShort && others.length > 0 ? [{ kind: 'files-cut-short', ...cutShort, unchecked: others }] : [],
    })),
    ...(cutShort ? { cutShort } : {}),
  };
}

export function scopeTargets(targets: Target[], changedFiles: string[]): Target[] {
  const changed = new Set(changedFiles.map(normalizePath));
  return targets.filter((target) => {
    if (target.kind === 'cloudformation') return changed.has(normalizePath(target.template));
    const dir = normalizePath(target.dir).replace(/\/$/, '');
    return [...changed].some((file) => dir === '' || dir === '.' || file.startsWith(`${dir}/`));
  });
}

export function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '');
}
