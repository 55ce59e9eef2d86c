// Counts a client's GitHub requests by method and outcome, and keeps the rate limit GitHub
// reports, for `/metrics`. One hook per client, however many runs use it.
import type { Octokit } from '../github/octokit.js';
import { metrics as processMetrics, type Metrics } from './metrics.js';

const counted = new WeakSet<object>();

export function countGitHubRequests(octokit: Octokit, metrics: Metrics = processMetrics): void {
  if (counted.has(octokit)) return;
  counted.add(octokit);
  const remember = (headers: Record<string, unknown> | undefined) => {
    const remaining = Number(headers?.['x-ratelimit-remaining']);
    if (Number.isFinite(remaining)) metrics.rateLimit.set(remaining);
  };
  octokit.hook.after('request', (response, options) => {
    metrics.github.inc({ method: options.method, outcome: `${Math.floor(response.status / 100)}xx` });
    remember(response.headers as Record<string, unknown>);
  });
  octokit.hook.error('request', (error, options) => {
    const status = (error as { status?: unknown }).status;
    metrics.github.inc({ method: options.method, outcome: typeof status === 'number' ? `${Math.floor(status / 100)}xx` : 'error' });
    remember((error as { response?: { headers?: Record<string, unknown> } }).response?.headers);
    throw error;
  });
}
