// The configuration's shapes as plain types, for the layers below the config loader
// (analyze, live): they import these, never config.ts, so nothing they build depends on
// the schema code. config.ts checks that its schema's output stays assignable to them.

/** One `ignore` entry: drift the team expects (globs; see analyze/apply-ignore.ts). */
export interface IgnoreRule {
  resource?: string | undefined;
  type?: string | undefined;
  property?: string | undefined;
  reason: string;
}

/** `policy:` as the verdict reads it. */
export interface PolicySettings {
  ai: 'strict' | 'same';
  unreadable: 'warn' | 'block';
  /** Milliseconds. */
  maxDriftAge: number;
}

export interface CloudFormationTarget {
  kind: 'cloudformation';
  name: string;
  stack: string;
  template: string;
  region?: string;
  roleArn?: string;
  /** Read live state from this snapshot file (default branch) instead of AWS. */
  snapshot?: string;
  snapshotMaxAgeMs?: number;
}

export interface TerraformTarget {
  kind: 'terraform';
  name: string;
  dir: string;
}

export type Target = CloudFormationTarget | TerraformTarget;
