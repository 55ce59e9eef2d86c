// One interface for every source of live state. Providers read and describe; they never
// decide severity (that is analyze/). A provider never throws for a cloud error: it
// returns a LiveState whose `unreadable` names the call and the reason.
import type { Target } from '../config-types.js';
import type { LiveState } from '../types.js';

export interface ReadOptions {
  /** Reuse a drift detection that finished less than this many milliseconds ago. */
  maxDriftAgeMs: number;
  /** Start a fresh detection whatever its age (`/realitycheck recheck`). */
  forceDetection?: boolean;
  /**
   * The run's signal (superseded, or past its deadline). AWS calls and waits stop when it
   * aborts, and `read` then rejects with its reason instead of returning a LiveState.
   */
  signal?: AbortSignal;
}

export interface LiveProvider<T extends Target = Target> {
  readonly source: string;
  read(target: T, options: ReadOptions): Promise<LiveState>;
}
