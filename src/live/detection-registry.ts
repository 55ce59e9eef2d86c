// Drift detections shared by every process of a deployment (with REDIS_URL): one
// `DetectStackDrift` per stack at a time across the fleet. A process that needs a new
// detection while another process's is still running for the same stack joins it: it polls
// that detection's status and reads its records, as the starter does. Only a detection
// started after the stack's last deploy is joined (one from before it could not see the
// deployed resources). The result itself needs no cache of ours: the records live in AWS
// (DescribeStackResourceDrifts), where every process reuses a fresh one (read-drift.ts
// judgeReuse). Within one process, concurrent reads already share one detection
// (cloudformation.ts `detect`).
export interface DetectionRegistry {
  /**
   * The detection to wait for: one another process started for `stack` (a stack id) that
   * `when` allows, or the one `start` starts (recorded for the others).
   */
  startOrJoin(stack: string, when: JoinRule, start: () => Promise<StartResult>): Promise<StartResult & { joined?: boolean }>;
  /** The detection ended (any way): others stop joining it. */
  finished(stack: string, detectionId: string): Promise<void>;
}

/** Which detections may stand for a new one: started after the deploy; if finished, started after this read began. */
export interface JoinRule {
  notBefore?: Date;
  since: Date;
}

export type StartResult = { ok: true; detectionId: string } | { ok: false; failure: unknown };
