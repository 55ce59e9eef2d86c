// Every GitHub request a run makes carries the run's abort signal (a newer push, the run's
// deadline), so an aborted run stops mid-request instead of at the next phase boundary.
//
// Octokit takes a signal per request (`request: { signal }`). Rather than thread it through
// every call, one `before('request')` hook per client adds it from the run the request is
// made in, found with AsyncLocalStorage. Not a hook holding the signal itself: a webhook's
// client is shared by that event's run and its other work (a command's reply), which must
// not be aborted with the run; and the calls that close an aborted run's check run must
// not carry the signal that aborted it.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Octokit } from './octokit.js';

const current = new AsyncLocalStorage<AbortSignal>();
const hooked = new WeakSet<object>();

/** Runs `work` with `signal` on every request `octokit` makes inside it (unless the call sets its own). */
export function withRequestSignal<T>(octokit: Octokit, signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  if (!hooked.has(octokit)) {
    hooked.add(octokit);
    octokit.hook.before('request', (options) => {
      const signal = current.getStore();
      if (signal && !options.request?.signal) options.request = { ...options.request, signal };
    });
  }
  return current.run(signal, work);
}
