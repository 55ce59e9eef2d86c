// The shared vocabulary of the pipeline. Every step converts its input into these
// small types at its edge; nothing past the edge sees a webhook payload or an SDK shape.

/** 1-based, inclusive line range in a file. */
export interface SourceSpan {
  startLine: number;
  endLine: number;
}

/** A located problem in a file (parse errors, config errors). */
export interface FileLocation {
  file: string;
  line: number;
  column?: number;
}

// ---------------------------------------------------------------- declared layer

/**
 * One resource of a CloudFormation template.
 *
 * `properties` holds the template values in JSON form: short-form YAML intrinsics are
 * expanded to their long form (`!Ref X` -> `{ "Ref": "X" }`, `!GetAtt A.B` ->
 * `{ "Fn::GetAtt": ["A", "B"] }`, `!Sub s` -> `{ "Fn::Sub": "s" }`, ...), anchors and
 * aliases are resolved, so a YAML template and its JSON twin give deep-equal values.
 */
export interface DeclaredResource {
  logicalId: string;
  type: string;
  properties: Record<string, unknown>;
  /** Logical ids named in `DependsOn` (string or list form). */
  dependsOn: string[];
  /** Logical ids this resource refers to through `Ref`, `Fn::GetAtt`, `Fn::Sub` (${X} and ${X.Attr}) and `DependsOn`. */
  references: string[];
  /** Lines of the whole resource entry, from its logical id to its last line. */
  span: SourceSpan;
  /**
   * Lines of each property, keyed by property path: top-level names (`VisibilityTimeout`)
   * and nested paths joined with dots, list items by index (`Tags.0.Value`).
   */
  propertySpans: Record<string, SourceSpan>;
  /**
   * The rest of the resource entry (`Condition`, `DeletionPolicy`, `Metadata`, `UpdatePolicy`,
   * ...; everything but `Properties`), in the same JSON form as `properties`. Set by
   * parseTemplate; absent on resources built by hand, whose attributes then compare as unset.
   */
  attributes?: Record<string, unknown>;
  /**
   * Set on a resource that a `Fn::ForEach::<name>` loop of Resources declares
   * (AWS::LanguageExtensions; iac/cloudformation/apply-language-extensions.ts): the loop's key.
   * `unexpanded` says why the loop could not be expanded: the resource then stands for the
   * whole loop (logical id = the loop's key, properties = the loop as written) and is never
   * compared with live state as if it were one resource.
   */
  loop?: { key: string; unexpanded?: string };
}

/**
 * A `Fn::ForEach::<name>` entry of Resources as written (JSON form), kept by the parser for
 * apply-language-extensions.ts, which expands it into resources.
 */
export interface ForEachLoop {
  /** `Fn::ForEach::Topics`. */
  key: string;
  /** `[identifier, collection, fragment]`, in the same JSON form as resource properties. */
  value: unknown;
  /** Lines of the whole entry. */
  span: SourceSpan;
  /**
   * Where each resource of the fragment sits, keyed by its output key as written
   * (`Topic${Name}`, nested loops' fragments included): its lines and its property spans
   * (as `DeclaredResource.propertySpans`). Optional: without it, the loop's lines are used.
   */
  fragments?: Record<string, { span: SourceSpan; propertySpans: Record<string, SourceSpan> }>;
}

export interface DeclaredParameter {
  name: string;
  noEcho: boolean;
  span: SourceSpan;
}

/**
 * Top-level sections besides `Resources` that change what a resource deploys, as written
 * in the template, in the same JSON form as `DeclaredResource.properties` (intrinsics
 * expanded, aliases resolved). A section the template does not have is absent.
 */
export interface TemplateSections {
  Parameters?: unknown;
  Mappings?: unknown;
  Conditions?: unknown;
  /** SAM: defaults for every `AWS::Serverless::<Kind>` resource, keyed by kind (`Function`, `Api`, ...). */
  Globals?: unknown;
  /** A macro name or a list of them (`AWS::Serverless-2016-10-31`). */
  Transform?: unknown;
}

export interface DeclaredTemplate {
  file: string;
  format: 'yaml' | 'json';
  resources: DeclaredResource[];
  parameters: DeclaredParameter[];
  /**
   * Set by parseTemplate. Without it (templates built by hand), changes outside `Resources`
   * cannot be seen and computeChanges compares resource entries only.
   */
  sections?: TemplateSections;
  /**
   * `Fn::ForEach::<name>` entries of Resources (AWS::LanguageExtensions), as the parser found
   * them; apply-language-extensions.ts adds the resources they declare to `resources`.
   */
  loops?: ForEachLoop[];
}

export interface ParseError extends FileLocation {
  message: string;
}

export type ParseResult =
  /** `warnings`: what was read although it looks like a mistake (a key written twice). */
  | { ok: true; template: DeclaredTemplate; warnings?: ParseError[] }
  | { ok: false; error: ParseError };

export type ChangeAction = 'add' | 'remove' | 'change';

/** What a pull request does to one resource, base -> head. */
export interface ResourceChange {
  logicalId: string;
  type: string;
  action: ChangeAction;
  /** Top-level property names whose value differs between base and head (also for `add`/`remove`: every property). */
  changedProperties: string[];
  /** Other changed parts of the resource entry: `Type`, `DependsOn`, `Condition`, `DeletionPolicy`, `UpdateReplacePolicy`, `UpdatePolicy`, `CreationPolicy`, `Metadata`, SAM's `Connectors` and `IgnoreGlobals`. */
  changedAttributes: string[];
  base?: DeclaredResource;
  head?: DeclaredResource;
  /**
   * Set on a resource the template does not declare but SAM generates for one it does (a
   * function's role, permissions, event source mappings, ...; see
   * iac/cloudformation/compute-sam-generated.ts): the declared resource whose change reaches it.
   * `changedProperties` is then empty: which of the generated resource's properties change is
   * SAM's business, so every live difference on it counts as reverted.
   */
  generatedBy?: { logicalId: string; type: string; properties: string[] };
}

// ---------------------------------------------------------------- live layer

export type ResourceDriftStatus = 'IN_SYNC' | 'MODIFIED' | 'DELETED' | 'NOT_CHECKED';

export interface PropertyDifference {
  /** Dot path: `VisibilityTimeout`, `Tags.0.Value` (AWS gives a JSON pointer, `/Tags/0/Value`). */
  path: string;
  /** What the deployed template says (resolved values), parsed from AWS's string when it is JSON. */
  expected: unknown;
  /** What runs. */
  actual: unknown;
  kind: 'ADD' | 'REMOVE' | 'NOT_EQUAL';
}

export interface LiveResource {
  logicalId: string;
  physicalId?: string;
  type: string;
  status: ResourceDriftStatus;
  /** Real differences only: AWS's raw list after normalization (see live/normalize). */
  differences: PropertyDifference[];
  /** Differences AWS reported that normalization showed to be equal (ordering, JSON-as-string, "30" vs 30). */
  normalizedAway: number;
  /** When AWS checked this resource (ISO 8601). */
  checkedAt?: string;
  /** Why a NOT_CHECKED resource was not checked, when it is known (a drift record too old to trust). */
  notCheckedReason?: string;
}

/** A live-state read that failed: which call, why. Never turned into "no drift". */
export interface Unreadable {
  /** `cloudformation:DetectStackDrift`, `sts:AssumeRole`, ... (IAM action form). */
  api: string;
  /** AWS error code or our own (`AccessDenied`, `ValidationError`, `Throttling`, `Timeout`, `DetectionFailed`). */
  code: string;
  message: string;
  /** `true` when trying again later may help (throttling, 5xx, timeouts). */
  retryable: boolean;
}

export interface StackInfo {
  name: string;
  id?: string;
  status: string;
  statusReason?: string;
  region: string;
  /** NoEcho parameter names as DescribeStacks reports them (value `****`). */
  noEchoParameters: string[];
}

export interface DriftDetection {
  detectionId?: string;
  /** `true` when an earlier detection (newer than policy.maxDriftAge) was used instead of starting one. */
  reused: boolean;
  /** When the detection finished (ISO 8601). */
  checkedAt: string;
  /** DETECTION_COMPLETE or DETECTION_FAILED (partial: some resources could not be checked). */
  status: string;
  statusReason?: string;
  resources: LiveResource[];
  /** Set when the resources the pull request touches were read one by one ahead of the stack-wide detection (live/read-targeted-drift.ts). */
  targeted?: TargetedRead;
}

/** The resources a pull request touches, read one by one (DetectStackResourceDrift) while the stack-wide detection runs. */
export interface TargetedRead {
  /** Settled by their own record (IN_SYNC, MODIFIED, DELETED); those records stand whatever the stack-wide detection says later. */
  settled: string[];
  /** Touched resources that read did not settle, and why: the stack-wide detection reads them. */
  unsettled: Array<{ logicalId: string; reason: string }>;
  /** `running`: `resources` holds only the settled ones yet; `finished` / `failed`: the stack-wide detection's end. */
  stackWide: 'running' | 'finished' | 'failed';
  /** The failure that stopped the reads one by one (AccessDenied, throttled after the SDK's retries), when one did. */
  stoppedBy?: Unreadable;
}

export interface LiveState {
  target: string;
  /** `cloudformation` (drift detection) or `snapshot`. */
  source: string;
  /** When this read started (ISO 8601). */
  readAt: string;
  stack?: StackInfo;
  /** The deployed template body as GetTemplate returns it (stage Original). */
  deployedTemplate?: string;
  /** Absent when drift could not be read; `unreadable` then says why. */
  drift?: DriftDetection;
  unreadable: Unreadable[];
  /** AWS calls made for this read (for the benchmark and the report). */
  calls: number;
  /** Opt-in (`undeclared: true`): Cloud Control's full model of the resources the pull request changes. */
  undeclared?: UndeclaredRead;
  /** Opt-in (`changeSet: true`): what a drift-aware change set of the head template would overwrite. */
  changeSet?: ChangeSetRead;
}

/** What a resource type's schema (CloudFormation `DescribeType`) says, as undeclared drift needs it. */
export interface TypeSchemaFacts {
  typeName: string;
  /** Property paths in dot form (`Arn`, `Code.ZipFile`): never reported. */
  readOnly: string[];
  writeOnly: string[];
  /** Top-level properties the schema gives a `default`, with it. */
  defaults: Record<string, unknown>;
  /** Top-level property names of the primary identifier, in order (`|`-joined for Cloud Control). */
  primaryIdentifier: string[];
  /** IAM actions Cloud Control's read handler needs (`handlers.read.permissions`), for messages. */
  readPermissions: string[];
  /** `false` when the type has no read handler: Cloud Control cannot read it. */
  readable: boolean;
}

/** One resource the pull request changes, as Cloud Control read it, or why it was not. */
export type UndeclaredResource =
  | { logicalId: string; type: string; physicalId: string; status: 'read'; properties: Record<string, unknown>; schema: TypeSchemaFacts }
  | { logicalId: string; type: string; physicalId?: string; status: 'not-checked'; unreadable: Unreadable };

export interface UndeclaredRead {
  /** When the models were read (ISO 8601). */
  readAt: string;
  /** Stack-level tags (CloudFormation copies them onto every resource that takes tags). */
  stackTags: Record<string, string>;
  resources: UndeclaredResource[];
  /** What kept the whole read from happening (a snapshot target, DescribeStacks failed). */
  unreadable: Unreadable[];
}

/** One property a drift-aware change set says deploying would overwrite, or write over drift. */
export interface ChangeSetOverwrite {
  logicalId: string;
  type: string;
  physicalId?: string;
  /** Dot path (`RedrivePolicy`, `Tags.0.Value`). */
  path: string;
  /** The live value now (`Drift.ActualValue`, or `BeforeValue` from ACTUAL_STATE). */
  live?: unknown;
  /** What the last deployment set (`Drift.PreviousValue`). */
  previous?: unknown;
  /** What deploying the head template writes (`AfterValue`). */
  after?: unknown;
  /** `Add`, `Remove`, `Modify`. */
  changeType: string;
}

export interface ChangeSetRead {
  /** `realitycheck-<pr>-<shortsha>`. */
  name: string;
  /** `complete` (described), `no-changes` (AWS: nothing to change), `not-checked` (see unreadable). */
  status: 'complete' | 'no-changes' | 'not-checked';
  readAt: string;
  overwrites: ChangeSetOverwrite[];
  /** Resources the change set reports `ResourceDriftStatus` for: logical id -> status. */
  driftStatus: Record<string, string>;
  unreadable: Unreadable[];
}

// ---------------------------------------------------------------- findings

export type RuleId =
  | 'conflict'
  | 'revert'
  | 'deleted'
  | 'unmanaged'
  | 'undeclared'
  | 'unsafe-state'
  | 'diverged-base'
  | 'drift-elsewhere'
  | 'stale-reference'
  | 'unmanaged-reference'
  | 'unreadable'
  | 'unparseable'
  | 'config-error';

export type Severity = 'block' | 'warn' | 'info';

export interface Evidence {
  /** Property path (dot form). */
  path: string;
  /** Value in the base template; `undefined` when absent. Already redacted where secret. */
  base?: unknown;
  /** Value in the head template. */
  head?: unknown;
  /** What the deployed template says (AWS's expected value). */
  expected?: unknown;
  /** Live value. */
  live?: unknown;
  /** `true` when values were replaced by a redaction marker. */
  redacted?: boolean;
}

export interface Finding {
  rule: RuleId;
  severity: Severity;
  target: string;
  /** Logical id (CloudFormation) or address (Terraform); absent for stack-wide findings. */
  resource?: string;
  resourceType?: string;
  physicalId?: string;
  /** One sentence a person reads first. Plain text; the renderer escapes it. */
  message: string;
  /** File and lines (head file where the resource exists in head, else base). */
  file?: string;
  span?: SourceSpan;
  evidence: Evidence[];
  /** When live state was read (ISO 8601), for live-derived findings. */
  liveReadAt?: string;
  /**
   * `unreadable`: the changed resource is not deployed in this stack (its `Condition`
   * is false here), so nothing was left unread. `stale-reference`: the pull request itself
   * declares what the code names, and it is not deployed yet (a note on deploy order). Such a note neither takes
   * `policy.unreadable` nor keeps the pull request from `success` (analyze/verdict.ts).
   */
  notDeployed?: true;
}

/**
 * What the scope and declared steps could not check, or want said, as data: analyze turns
 * each into a finding (analyze/rules/scope-notes.ts). Only analyze creates findings.
 */
export type ScopeNote =
  /** A kind of target this version does not check. */
  | { kind: 'unsupported-target'; targetKind: 'terraform'; dir: string }
  /** GitHub lists the file as changed but it could not be read at the head commit. */
  | { kind: 'missing-head'; file: string }
  /** The pull request moves the configured template: the config must follow. */
  | { kind: 'template-moved'; from: string; to: string; configFile: string }
  /** The head template was read, but something in it looks like a mistake (a key written twice). */
  | { kind: 'template-warning'; warning: ParseError };

export interface IgnoredDrift {
  resource: string;
  path: string;
  reason: string;
  /** The pull request updates this resource without editing this property: deploying it resets the live value. */
  reverted?: true;
}

export interface Coverage {
  inSync: number;
  drifted: number;
  deleted: number;
  /** Not compared (unsupported or unmapped type, a failed read); `leftOut` ones not included. */
  notChecked: number;
  /** Terraform state source: resources left out by the bound on Cloud Control reads. */
  leftOut?: number;
}

export type Conclusion = 'success' | 'neutral' | 'failure';

// ---------------------------------------------------------------- one run

/** What the pipeline learned about one configured target, ready to render. */
export interface TargetResult {
  target: {
    name: string;
    /** `code`: the references the pull request's added lines make (src/references). */
    kind: 'cloudformation' | 'terraform' | 'code';
    /** Stack name or ARN (CloudFormation). */
    stack?: string;
    region?: string;
    /** The IaC file in the repository (template path). */
    file: string;
  };
  /** Resources the pull request adds, removes or changes. */
  changes: ResourceChange[];
  findings: Finding[];
  ignored: IgnoredDrift[];
  /** Absent when drift could not be read. */
  coverage?: Coverage;
  /** How and when live state was read; absent when nothing could be read. */
  live?: {
    source: string;
    readAt: string;
    stackStatus?: string;
    detection?: { reused: boolean; checkedAt: string; status: string };
    /** Which read exactly, in words (Terraform: the plan's workflow run, or the state file and Cloud Control). */
    detail?: string;
  };
  conclusion: Conclusion;
  /** kind `code`: every reference checked, what was looked up and the answer. */
  references?: ReferenceCheckSummary;
}

/** What the references check did, for the report (plain text: rendered in code spans). */
export interface ReferenceCheckSummary {
  rows: Array<{ text: string; file: string; line: number; type: string; lookedUp: string; answer: string }>;
  /** Live look-ups made, the bound (`references.maxLookups`), and resources left unlooked-up by it. */
  lookups: number;
  maxLookups: number;
  skipped: number;
  /** Targets whose declared names could not be read in full. */
  declaredProblems: string[];
  /** Added lines left unread, and why. */
  cut: Array<{ file: string; why: string }>;
}

export interface ConfigProblemReport {
  file: string;
  key: string;
  message: string;
}

/** Everything the report step needs for one pull request at one head SHA. */
export interface RunResult {
  repo: { owner: string; name: string };
  pullNumber: number;
  headSha: string;
  conclusion: Conclusion;
  targets: TargetResult[];
  /** Why the pull request was judged AI-authored, when it was; absent when no signal was found. */
  authorship?: {
    /** `strict`: every stale assumption blocks it; `same`: judged like any other. */
    policy: 'strict' | 'same';
    signals: Array<{ kind: string; agent: string; detail: string; commit?: string }>;
  };
  /** Set when `.github/realitycheck.yml` is invalid; then `targets` is empty. */
  configProblems?: ConfigProblemReport[];
  /** When the run finished (ISO 8601). */
  finishedAt: string;
  /** `pull_request.updated_at` of the push this run is for; kept in the comment to order runs. */
  updatedAt: string;
}

/** A check-run annotation, in GitHub's field names. */
export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  title: string;
  message: string;
  raw_details?: string;
}

export interface Report {
  /** Summary comment body, including the hidden marker; at most 65,536 characters. */
  comment: string;
  check: {
    title: string;
    /** At most 65,536 characters. */
    summary: string;
    text?: string;
    annotations: Annotation[];
  };
}

// ================================================================ Terraform declared layer
// What src/iac/terraform makes of a root module and its local modules (HCL, parsed with
// tree-sitter). Addresses are Terraform's own (`module.queues.aws_sqs_queue.jobs`), without
// instance keys: one declared block stands for all its `count` / `for_each` instances.

/**
 * Where a piece of HCL sits: lines (1-based, inclusive) for annotations, and the exact text
 * range (0-based, end exclusive) both in UTF-8 bytes (what git, GitHub and tree-sitter count)
 * and in UTF-16 offsets (what `text.slice` takes, for in-place edits). The two differ only
 * after a non-ASCII character.
 */
export interface TerraformSpan extends SourceSpan {
  startByte: number;
  endByte: number;
  startOffset: number;
  endOffset: number;
}

/**
 * A value as written. `literal`: strings without interpolation, numbers, bools, null, heredocs
 * without interpolation, and tuples/objects made only of those, evaluated. `expression`:
 * anything else (references, function calls, templates, conditionals, ...), kept as source
 * text; `normalized` drops comments and layout (what changes are compared by) and
 * `references` lists what it names (`var.x`, `local.y`, `module.m.out`, `data.t.n`, `aws_x.y`).
 */
export type HclValue =
  | { kind: 'literal'; value: unknown }
  | { kind: 'expression'; text: string; normalized: string; references: string[] };

export interface TerraformAttribute {
  name: string;
  value: HclValue;
  span: TerraformSpan;
}

export interface TerraformBody {
  attributes: Record<string, TerraformAttribute>;
  blocks: TerraformNestedBlock[];
}

/** A block inside a declared block (`lifecycle`, `ingress`, `dynamic "ingress"`, `content`). */
export interface TerraformNestedBlock extends TerraformBody {
  type: string;
  labels: string[];
  /**
   * Path from the declaring block: the block type, then its labels, joined with dots, then
   * `[i]`, its index among siblings of the same type and labels (always written, so adding
   * a second `ingress` does not rename the first): `lifecycle[0]`, `ingress[1]`,
   * `dynamic.ingress[0].content[0]`. Attributes inside: `ingress[1].from_port`.
   */
  path: string;
  span: TerraformSpan;
}

export type TerraformBlockKind = 'resource' | 'data' | 'module' | 'moved' | 'import' | 'removed';

/** One addressable block of a root or of a local module instance. */
export interface TerraformBlock extends TerraformBody {
  kind: TerraformBlockKind;
  /**
   * Full address without instance keys. resource `module.queues.aws_sqs_queue.jobs`, data
   * `data.aws_iam_policy_document.x`, module `module.queues.module.dlq`; moved and import:
   * their `to`; removed: its `from` (all three prefixed with the module they sit in).
   */
  address: string;
  /** Module instance path the block sits in: `''` for the root, `module.queues`, `module.a.module.b`. */
  module: string;
  /** Resource / data type (`aws_sqs_queue`); absent for other kinds. */
  type?: string;
  /** Resource / data / module name; absent for moved, import, removed. */
  name?: string;
  /** Repository path of the file that declares it (the module's own file for module resources). */
  file: string;
  span: TerraformSpan;
  /** Every attribute and nested block, and the attributes inside those, by path (see TerraformNestedBlock.path). */
  spans: Record<string, TerraformSpan>;
  /** Set when the block has `count` or `for_each`: its instances are `address[0]` / `address["key"]`. */
  repetition?: 'count' | 'for_each';
  /** module: the `source` as written, and the repository directory when it is a local module. */
  source?: string;
  moduleDir?: string;
  /** moved: both ends; import: `to`; removed: `from` (full addresses, instance keys kept as written). */
  from?: string;
  to?: string;
  /** What the block's attributes and nested blocks reference (union, sorted). */
  references: string[];
}

export interface TerraformVariable {
  module: string;
  name: string;
  default?: HclValue;
  sensitive: boolean;
  file: string;
  span: TerraformSpan;
}

export interface TerraformLocal {
  module: string;
  name: string;
  value: HclValue;
  file: string;
  span: TerraformSpan;
}

export interface TerraformOutput {
  module: string;
  name: string;
  value?: HclValue;
  sensitive: boolean;
  file: string;
  span: TerraformSpan;
}

/** A root variable set in `terraform.tfvars` or `*.auto.tfvars` (Terraform reads those on its own). */
export interface TerraformVariableValue {
  name: string;
  value: HclValue;
  file: string;
  span: TerraformSpan;
}

export interface TerraformBackend {
  /** `s3`, `remote`, `local`, ... */
  type: string;
  settings: Record<string, HclValue>;
  file: string;
  span: TerraformSpan;
}

export interface TerraformProvider {
  module: string;
  /** Local name: `aws`. */
  name: string;
  alias?: string;
  /** `default_tags { tags = ... }` of the provider, when set. */
  defaultTags?: HclValue;
  attributes: Record<string, TerraformAttribute>;
  file: string;
  span: TerraformSpan;
}

export type TerraformProblemKind =
  /** The file does not parse (tree-sitter ERROR or MISSING node). */
  | 'syntax'
  /** A local module's directory has no `.tf` file among the files given. */
  | 'missing-module'
  /** A module calls itself, directly or through others. */
  | 'module-cycle'
  /** Module nesting deeper, or more module instances, than parseRoot follows. */
  | 'module-limit'
  /** A local module source that leaves the repository. */
  | 'module-outside-repo'
  /** Two blocks with the same address in one module. */
  | 'duplicate'
  /** A file of the root or of a local module that was not read: over the size bound, or not UTF-8 text. */
  | 'unread-file';

/** A located problem in a Terraform file. `unparseable` for the report. */
export interface TerraformProblem extends ParseError {
  kind: TerraformProblemKind;
  /** missing-module: the repository directory whose files are needed. */
  moduleDir?: string;
}

export interface TerraformRoot {
  dir: string;
  /** Every file read (`.tf` of the root and its local modules, the root's tfvars), repository paths, sorted. */
  files: string[];
  /** Every resource, data, module, moved, import and removed block, once per module instance. */
  blocks: TerraformBlock[];
  variables: TerraformVariable[];
  locals: TerraformLocal[];
  outputs: TerraformOutput[];
  /** Root variable values from `terraform.tfvars` / `*.auto.tfvars`. */
  variableValues: TerraformVariableValue[];
  /** `terraform { backend "..." { } }` of the root, when declared. */
  backend?: TerraformBackend;
  providers: TerraformProvider[];
  /** Local module instances followed: module path -> repository directory. */
  moduleInstances: Array<{ address: string; dir: string }>;
  problems: TerraformProblem[];
  /** Files of the root or its modules that were not read (`*.tf.json`: JSON syntax is not parsed here). */
  skippedFiles: string[];
}

/** What a pull request does to one block, base -> head, by address. */
export interface TerraformChange {
  address: string;
  kind: TerraformBlockKind;
  action: ChangeAction;
  /**
   * Attribute and nested-block paths whose value differs (comments and layout ignored); for
   * `add` / `remove`, every path. Deepest changed path: `ingress[0].from_port`, or the whole
   * `ingress[2]` when that block was added or removed.
   */
  changedAttributes: string[];
  /**
   * Changed definitions the block depends on, by full name, when the block's own text did
   * not change them: a variable default or tfvars value (`var.retention`), a local
   * (`module.queues.local.name`), a module input (`module.queues.var.retention`), a module
   * call's count/for_each/source (`module.queues`), a data source, a module output, a
   * provider block (`provider.aws`). Only the origins (whose own definition changed).
   */
  changedBecauseOf: string[];
  base?: TerraformBlock;
  head?: TerraformBlock;
}

export interface TerraformChanges {
  changes: TerraformChange[];
  /** Local module instances any of whose files differ between base and head (also comment-only edits). */
  touchedModules: Array<{ address: string; dir: string; files: string[] }>;
  /** Problems of either side: with any, the comparison is incomplete and must not read as "no change". */
  problems: { base: TerraformProblem[]; head: TerraformProblem[] };
}
