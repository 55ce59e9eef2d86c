// What live source A (the pull request's own `terraform show -json` plan) hands to the
// rest of the pipeline. Every value in here has already been redacted where Terraform
// marked it sensitive: nothing that leaves src/live/terraform-plan/ carries a secret.
import type { LiveResource, PropertyDifference, Unreadable } from '../../types.js';

/** Marker that replaces every value Terraform marked sensitive (the same one analyze/ uses). */
export { REDACTED } from '../../values/secret-name.js';

/** A drift difference; `sensitive` when both values were replaced by the redaction marker. */
export interface PlanPropertyDifference extends PropertyDifference {
  sensitive?: true;
}

/** A resource of `resource_drift` (or one the plan refreshed and found unchanged), as a LiveResource. */
export interface PlanLiveResource extends LiveResource {
  /** The full address (`module.queues.aws_sqs_queue.jobs["a"]`); also in `logicalId`. */
  address: string;
  /** `module.queues` (with instance keys), absent for the root module. */
  moduleAddress?: string;
  differences: PlanPropertyDifference[];
}

/**
 * What the plan does to one resource instance. `replace` is `["delete","create"]` or
 * `["create","delete"]` (see `replaceOrder`); `forget` is a `removed` block with
 * `destroy = false`.
 */
export type PlanAction = 'no-op' | 'create' | 'read' | 'update' | 'replace' | 'delete' | 'forget';

export interface PlannedAttributeChange {
  /** Dot path (`tags.env`, `ingress.0.cidr_blocks.1`). */
  path: string;
  /** Value before (state, refreshed); `undefined` when absent. Redacted where sensitive. */
  before?: unknown;
  /** Value after apply; `undefined` when absent or unknown until apply. Redacted where sensitive. */
  after?: unknown;
  /** `true` when the value is only known after apply (`after_unknown`). */
  unknown?: true;
  sensitive?: true;
}

export interface PlannedChange {
  address: string;
  /** Set when a `moved` block gave this instance a new address. */
  previousAddress?: string;
  moduleAddress?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  /** `count` index (number) or `for_each` key (string); absent without either. */
  index?: string | number;
  /** Set for a deposed object (a replaced instance kept for create_before_destroy). */
  deposed?: string;
  action: PlanAction;
  /** Terraform's raw action list. */
  actions: string[];
  replaceOrder?: 'delete-first' | 'create-first';
  /** Terraform's `action_reason` (`replace_because_cannot_update`, ...), display only. */
  actionReason?: string;
  /** Attributes whose value changes (normalized like drift; `tags_all` only where `tags` does not explain it). */
  changes: PlannedAttributeChange[];
  /**
   * Paths of `changes` that undo drift: the plan writes back what `resource_drift` found
   * changed live (apply reverts every out-of-band change in the workspace, not only what
   * the pull request edits). A change whose paths are all here is drift being reverted,
   * not something the pull request's code changed.
   */
  revertsDrift: string[];
  /** Paths that force the replacement (`replace_paths`), dot form. */
  replacePaths: string[];
  /** The instance is imported by this plan (an `import` block). */
  importing: boolean;
}

export interface TerraformPlan {
  formatVersion: string;
  terraformVersion?: string;
  /** When the plan (and its refresh of live state) was made: `timestamp`, ISO 8601. */
  timestamp?: string;
  applyable?: boolean;
  /** `false` when some changes were deferred (unknown `for_each`, ...). */
  complete?: boolean;
  /**
   * Every managed resource instance the plan knows to exist: MODIFIED / DELETED from
   * `resource_drift`, IN_SYNC for refreshed ones without drift (or whose drift was all noise).
   */
  live: PlanLiveResource[];
  /** `resource_changes`: what the pull request does, per instance. */
  changes: PlannedChange[];
  /** Differences found equal once the known noise was normalized (see compute-plan-differences). */
  normalizedAway: number;
  /** Values replaced by the redaction marker. */
  redacted: number;
}

/** A plan that cannot be used: the file (artifact entry) and where in it. */
export interface PlanParseError {
  /** `tfplan-network/plan.json` (artifact name and zip entry) or whatever the caller named it. */
  file: string;
  /** 1-based; `terraform show -json` prints one line, so `column` is where to look. */
  line?: number;
  column?: number;
  /** Where in the document (`resource_changes[3].change.actions`), for shape problems. */
  path?: string;
  message: string;
}

export type PlanParseResult = { ok: true; plan: TerraformPlan } | { ok: false; error: PlanParseError };

// ---------------------------------------------------------------- GitHub Actions

/** One workflow run, reduced to what the report names. */
export interface PlanRunRef {
  id: number;
  /** Workflow name as GitHub shows it (`Terraform plan`). */
  name: string;
  /** `.github/workflows/terraform-plan.yml` */
  path?: string;
  htmlUrl: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  runAttempt?: number;
  createdAt: string;
  updatedAt?: string;
}

export interface PlanArtifactRef {
  id: number;
  name: string;
  sizeInBytes: number;
  expired: boolean;
  createdAt?: string;
  expiresAt?: string;
}

export interface PlanLookupInput {
  owner: string;
  repo: string;
  /** The pull request's current head SHA. */
  headSha: string;
  /** Workflow file name (`terraform-plan.yml`); without it every run for the head SHA is searched. */
  workflow?: string;
  /** Artifact name (`tfplan-network`). */
  artifact: string;
  /** From a `workflow_run` event: that run, instead of searching by head SHA. */
  run?: { id: number; headSha: string };
  signal?: AbortSignal;
}

export interface PlanDownloadLimits {
  /** Largest zip downloaded, bytes (default 50 MB). */
  maxZipBytes: number;
  /** Largest total of uncompressed bytes read out of the zip (default 32 MB). */
  maxUncompressedBytes: number;
  /** Most entries in the zip (default 100). */
  maxEntries: number;
  /** Milliseconds for the download, redirect included (default 120 s). */
  timeoutMs: number;
}

/**
 * Where the plan stands. `pending`, `failed`, `missing-artifact`, `expired` and
 * `older-head` carry a `message` a person can act on; `invalid` is a plan or artifact the
 * user must fix (located); `unreadable` is a GitHub call that failed.
 */
export type PlanLookup =
  | { status: 'pending'; message: string; run?: PlanRunRef }
  | { status: 'older-head'; message: string; run: PlanRunRef | { id: number; headSha: string } }
  | { status: 'failed'; message: string; run: PlanRunRef; conclusion: string }
  | { status: 'missing-artifact'; message: string; run: PlanRunRef; listed: string[] }
  | { status: 'expired'; message: string; run: PlanRunRef; artifact: PlanArtifactRef }
  | { status: 'invalid'; message: string; run: PlanRunRef; artifact: PlanArtifactRef; error: PlanParseError }
  | { status: 'unreadable'; message: string; run?: PlanRunRef; artifact?: PlanArtifactRef; unreadable: Unreadable }
  | { status: 'found'; run: PlanRunRef; artifact: PlanArtifactRef; entry: string; plan: TerraformPlan };
