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
  /**
   * Logical ids whose drift decides the verdict (the resources the pull request touches, and
   * what they refer to). A provider that can read them ahead of the rest (`readStaged`) does.
   */
  touched?: string[];
}

/** Live state in two steps: what could be read at once, and the full state when it lands. */
export interface StagedRead {
  first: LiveState;
  /** The full state, when `first` is not all of it. Never rejects for a cloud error; rejects when the run is aborted. */
  rest?: Promise<LiveState>;
}

export interface LiveProvider<T extends Target = Target> {
  readonly source: string;
  read(target: T, options: ReadOptions): Promise<LiveState>;
  /** Like `read`, but answers as soon as the `touched` resources are read, the rest following in `rest`. */
  readStaged?(target: T, options: ReadOptions): Promise<StagedRead>;
}
