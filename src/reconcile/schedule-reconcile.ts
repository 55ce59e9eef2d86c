// `reconcile.mode: auto` on a schedule (`reconcile.schedule`, default 24h): an in-process
// timer per repository, armed when a push to its default branch finds a config that asks
// for auto mode (and disarmed when it no longer does). A restart forgets the timers until
// the next such push re-arms them; a distributed scheduler can replace this one.
export class ReconcileSchedule {
  private readonly timers = new Map<string, { everyMs: number; timer: NodeJS.Timeout }>();

  /** Runs `tick` every `everyMs` for `key` (one timer per key; a new period replaces the old). */
  arm(key: string, everyMs: number, tick: () => void): void {
    const current = this.timers.get(key);
    if (current?.everyMs === everyMs) return;
    if (current) clearInterval(current.timer);
    const timer = setInterval(tick, everyMs);
    timer.unref();
    this.timers.set(key, { everyMs, timer });
  }

  disarm(key: string): void {
    const current = this.timers.get(key);
    if (current) clearInterval(current.timer);
    this.timers.delete(key);
  }

  /** Keys with a timer (tests, /metrics). */
  armed(): string[] {
    return [...this.timers.keys()];
  }

  stop(): void {
    for (const key of [...this.timers.keys()]) this.disarm(key);
  }
}
