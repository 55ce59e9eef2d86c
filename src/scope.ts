// Step 1: which configured targets does the pull request touch?
import type { Target } from './config.js';

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
