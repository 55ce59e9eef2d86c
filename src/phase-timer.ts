// Per-phase timing of a run, for the benchmark and logs. Costs nothing when nobody listens.
export type Phase = 'config' | 'scope' | 'declared' | 'live' | 'analyze' | 'verdict' | 'report' | 'publish';
export type PhaseListener = (phase: Phase, ms: number) => void;

export async function timed<T>(listener: PhaseListener | undefined, phase: Phase, work: () => Promise<T> | T): Promise<T> {
  if (!listener) return work();
  const start = performance.now();
  try {
    return await work();
  } finally {
    listener(phase, performance.now() - start);
  }
}
