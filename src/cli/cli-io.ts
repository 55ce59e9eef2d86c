// What every command writes to, and the exit codes of the public contract.
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** 0 nothing reaches --fail-on (or the command did its work), 1 something does, 2 could not run. */
export const EXIT = { pass: 0, fails: 1, couldNotRun: 2 } as const;
