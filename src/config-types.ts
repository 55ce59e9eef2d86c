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
  /** Opt-in: report live properties the template never declares (Cloud Control + type schema). */
  undeclared?: boolean;
  /** Opt-in: a drift-aware change set (REVERT_DRIFT) as evidence; never executed, always deleted. */
  changeSet?: boolean;
}

export interface TerraformTarget {
  kind: 'terraform';
  name: string;
  /** The root module's directory in the repository. */
  dir: string;
  /** Live source A: the pull request's own plan, uploaded by a workflow as an Actions artifact. */
  plan?: TerraformPlanSource;
  /** Live source B: the state in S3, then Cloud Control. Without plan and state: the root's `backend "s3"` block. */
  state?: TerraformStateSourceSettings;
}

export interface TerraformPlanSource {
  /** Only runs of this workflow file (`terraform-plan.yml`); any workflow when absent. */
  workflow?: string;
  /** The artifact that holds the `terraform show -json` output (a `*.json` inside). */
  artifact: string;
  /** How long to wait for the plan after the pull request event, in milliseconds (default 30 min). */
  timeoutMs: number;
}

export interface TerraformStateSourceSettings {
  s3: { bucket: string; key: string; region?: string };
  roleArn?: string;
}

export type Target = CloudFormationTarget | TerraformTarget;

/** `reconcile:`: reconcile pull requests that write live values back into the code. */
export interface ReconcileSettings {
  mode: 'on-request' | 'auto' | 'off';
  /** auto: how often the default branch is checked against live, in milliseconds. */
  schedule: number;
}

/** `report:`. */
export interface ReportSettings {
  /** Post a review with suggested changes on `revert` lines (default true). */
  suggestions: boolean;
}

/** `references:`: infrastructure named in the application code a pull request adds. */
export interface ReferenceSettings {
  enabled: 'ai' | 'all' | 'off';
  maxLookups: number;
  /** How to read other accounts than the app's own, by 12-digit account id. */
  accounts: Record<string, { roleArn: string }>;
}
