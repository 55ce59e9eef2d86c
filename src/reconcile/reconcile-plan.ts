// What a reconcile pull request writes back for one target, as data: the edits per file
// (handed to the format's editor), the evidence behind them, and what is left to a person.
// Pure shapes and helpers; compute-*-plan.ts build them, nothing here does I/O.
import type { RefusalReason, ValueEdit } from './types.js';

export type EditFormat = 'yaml' | 'json' | 'hcl';

export interface FileEdits {
  /** Repository path. */
  file: string;
  format: EditFormat;
  edits: ValueEdit[];
}

/** Why a live value is not written back by the app. */
export type FollowUpReason =
  | 'expression' // the code computes the value (an intrinsic, a variable, a local, a module input, a parameter)
  | 'secret' // NoEcho, sensitive, or a secret-looking name: never written, shown redacted
  | 'computed' // the provider computes the value; the code cannot set it
  | 'deleted' // the resource is gone live: recreate, import or remove it
  | 'removed' // live no longer has the value the code sets
  | 'repeated' // one block stands for several instances (count, for_each, a module used twice)
  | RefusalReason; // what an editor refused (types.ts)

export interface FollowUp {
  resource: string;
  /** Dot path; absent for the whole resource. */
  path?: string;
  reason: FollowUpReason;
  /** What live says, redacted where secret (`undefined`: nothing to show). */
  live?: unknown;
  /** One sentence for the pull request body (plain text; escaped when rendered). */
  detail: string;
  file?: string;
}

/** One row of the evidence table. Values are redacted already. */
export interface EvidenceRow {
  resource: string;
  property: string;
  declared: unknown;
  live: unknown;
  /** When live was read (ISO 8601). */
  readAt: string;
  /** `cloudformation drift detection`, `terraform state + Cloud Control`, ... */
  source: string;
}

export interface ReconcilePlan {
  target: string;
  kind: 'cloudformation' | 'terraform';
  /** Files with at least one edit, in path order. */
  files: FileEdits[];
  evidence: EvidenceRow[];
  followUps: FollowUp[];
}

/** `RedrivePolicy.maxReceiveCount` -> ['RedrivePolicy', 'maxReceiveCount'], `Tags.0.Value` -> ['Tags', 0, 'Value']. */
export function toPathSegments(dotPath: string): Array<string | number> {
  return dotPath.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * The live value in the declared value's type: AWS reports `"120"` where the code says `30`,
 * `"true"` where it says `false`. Text stays text when the code writes text (`AllocatedStorage: '20'`).
 */
export function inDeclaredType(live: unknown, declared: unknown): unknown {
  if (typeof live !== 'string') return live;
  if (typeof declared === 'number' && /^-?\d+(\.\d+)?$/.test(live)) return Number(live);
  if (typeof declared === 'boolean' && /^(true|false)$/i.test(live)) return live.toLowerCase() === 'true';
  return live;
}

/** Whether the plan has anything at all: an edit, or something a person must do. */
export function hasDrift(plan: ReconcilePlan): boolean {
  return plan.files.length > 0 || plan.followUps.length > 0;
}

/** Groups edits by file, files and edits in a stable order (the digest and the commit depend on it). */
export function groupEdits(entries: Array<{ file: string; format: EditFormat; edit: ValueEdit }>): FileEdits[] {
  const byFile = new Map<string, FileEdits>();
  for (const { file, format, edit } of entries) {
    const group = byFile.get(file) ?? { file, format, edits: [] };
    group.edits.push(edit);
    byFile.set(file, group);
  }
  return [...byFile.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
