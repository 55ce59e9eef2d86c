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
 * `listedTotal` is the pull request's `changed_files`. When GitHub listed fewer, a target
 * among the rest cannot be ruled out from the list: `cutShort` says so, and the targets the
 * list does not show are left for `extendScope` to settle (by git object id).
 */
export function computeScope(targets: Target[], changedFiles: string[], listed: number, listedTotal = listed): Scope {
  const touched = scopeTargets(targets, changedFiles);
  const cutShort = listed < listedTotal ? { listed, total: listedTotal } : undefined;
  return { touched: touched.map((target) => ({ target, notes: [] })), ...(cutShort ? { cutShort } : {}) };
}

/** `scope` with `more` touched too, in the configuration's order. */
export function extendScope(targets: Target[], scope: Scope, more: Target[]): Scope {
  const touched = targets.filter((t) => more.includes(t) || scope.touched.some((x) => x.target === t));
  return { ...scope, touched: touched.map((target) => scope.touched.find((x) => x.target === target) ?? { target, notes: [] }) };
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
