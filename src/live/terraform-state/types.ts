// The vocabulary of live source B (Terraform state in S3 + AWS Cloud Control).
import type { LiveState } from '../../types.js';

/** Where a root's state lives: the `state` block of a Terraform target, or its `backend "s3"` block. */
export interface StateLocation {
  s3: { bucket: string; key: string; region?: string };
  /** Assumed via STS for both the S3 read and the Cloud Control calls. */
  roleArn?: string;
}

/** One managed resource instance of a state file (format version 4). */
export interface StateInstance {
  /** Full address: `module.q.aws_sqs_queue.jobs[0]`, `aws_s3_bucket.logs["eu"]`. */
  address: string;
  /** Address of the resource block the instance belongs to (without the index key). */
  resourceAddress: string;
  /** Module path (`module.q`, `module.a["x"].module.b`); empty for the root module. */
  module: string;
  type: string;
  name: string;
  /** `provider["registry.terraform.io/hashicorp/aws"]` as the state writes it. */
  provider: string;
  indexKey?: number | string;
  schemaVersion?: number;
  /** `tainted` when the state says so. */
  status?: string;
  /**
   * The instance's attributes. Inside this module they are the raw values; every value
   * handed out by the module's public functions has its sensitive paths replaced by `***`.
   */
  attributes: Record<string, unknown>;
  /** Dot paths (`password`, `environment.0.variables.DB_PASSWORD`) the state marks sensitive. */
  sensitivePaths: string[];
  /** Why the instance cannot be compared at all (old flatmap attributes), when that is so. */
  unusable?: string;
}

/** A state file, read and checked. */
export interface TerraformState {
  terraformVersion: string;
  serial: number;
  lineage: string;
  instances: StateInstance[];
}

export type StateParseResult = { ok: true; state: TerraformState } | { ok: false; code: string; message: string };

/** How many managed instances of the state were compared against Cloud Control, and how many not. */
export interface CloudControlCounts {
  /** Read from Cloud Control and compared (in sync, modified or deleted). */
  compared: number;
  /** Not compared: unmapped type, access denied, an error, an identifier missing from the state. */
  notChecked: number;
  /** Mapped, but left out because the bound on GetResource calls was reached. */
  leftOut: number;
  /** The bound that was applied. */
  bound: number;
}

/** What live source B read for one root. */
export interface TerraformStateLive {
  /**
   * `source` is `terraform-state`; `drift.resources` holds one LiveResource per managed
   * instance of the state (logicalId = its address), left-out ones included as NOT_CHECKED.
   * `drift` is absent when the state could not be read (`unreadable` says why).
   */
  live: LiveState;
  counts: CloudControlCounts;
  /** The state's metadata, when it was read: which state the comparison used. */
  state?: { terraformVersion: string; serial: number; lineage: string; location: string };
}
