// A worker in its own process, for the test that kills one mid-run (SIGKILL): it takes a
// job, says so, and never finishes it.
import { RedisRunQueue } from '../../src/queue/redis-run-queue.js';

const [url, prefix] = process.argv.slice(2);
const quiet = { info() {}, warn() {}, error() {} };
new RedisRunQueue<unknown>({
  url: url!,
  prefix: prefix!,
  concurrency: 1,
  lockDurationMs: 1_000,
  stalledIntervalMs: 500,
  log: quiet,
  execute: async (run, _signal, attempt) => {
    await attempt.openedCheckRun(42, 'a'.repeat(40)); // as the pipeline does once its check run exists
    process.send?.({ started: run.key });
    await new Promise(() => undefined);
  },
});
process.send?.({ ready: true });
