// The seam between the two halves of reconcile: the pure, format-preserving edits
// (`apply-*-edits.ts`: text in, text out) and the GitHub side that decides which live
// values to write back and publishes them (reconcile pull requests, suggested changes).

/** One live value to write back into the code. */
export interface ValueEdit {
  /** CloudFormation logical id, or a Terraform resource address as its block declares it (`aws_sqs_queue.orders`). */
  resource: string;
  /**
   * Where the value sits below the resource: below `Properties` for CloudFormation
   * (`['VisibilityTimeout']`, `['RedrivePolicy', 'maxReceiveCount']`), below the resource
   * block for HCL (`['visibility_timeout_seconds']`). Numbers index lists.
   */
  path: Array<string | number>;
  /**
   * `set`: replace the declared value, or add the key when the code does not declare it.
   * `tag`: add or update one tag: CloudFormation `Tags` as a `Key`/`Value` list (merged by
   * `Key`, the others kept in order), HCL `tags` as a map (`path` names the list or map).
   */
  op: { kind: 'set'; value: unknown } | { kind: 'tag'; key: string; value: string };
}

/** Why an edit was not made: the value is left to a person, with what live says. */
export type RefusalReason =
  | 'expression' // the declared value is an intrinsic, a variable, a local, a module input or a parameter
  | 'not-found' // the resource (or the block it needs) is not in this file
  | 'not-literal' // the live value has no literal form in this format (for example an object into a heredoc)
  | 'unsupported' // a shape the editor does not edit (said in the detail)
  | 'unparseable'; // the file does not parse (the detail has the line): nothing in it is edited

export interface RefusedEdit {
  edit: ValueEdit;
  reason: RefusalReason;
  /** One line for the reconcile pull request's follow-up list. */
  detail: string;
}

export interface EditResult {
  /** The new text: every line the edits do not touch is byte-identical to the input. */
  text: string;
  applied: ValueEdit[];
  refused: RefusedEdit[];
}

/** The signature every format's editor has: pure, no I/O. */
export type ApplyEdits = (text: string, edits: readonly ValueEdit[]) => EditResult;
