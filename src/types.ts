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
}

export interface ParseError extends FileLocation {
  message: string;
}

export type ParseResult =
  | { ok: true; template: DeclaredTemplate }
  | { ok: false; error: ParseError };

export type ChangeAction = 'add' | 'remove' | 'change';

/** What a pull request does to one resource, base -> head. */
export interface ResourceChange {
  logicalId: string;
  type: string;
  action: ChangeAction;
  /** Top-level property names whose value differs between base and head (also for `add`/`remove`: every property). */
  changedProperties: string[];
  /** Other changed parts of the resource entry: `Type`, `DependsOn`, `Condition`, `DeletionPolicy`, `UpdateReplacePolicy`, `Metadata`. */
  changedAttributes: string[];
  base?: DeclaredResource;
  head?: DeclaredResource;
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
}

// ---------------------------------------------------------------- findings

export type RuleId =
  | 'conflict'
  | 'revert'
  | 'deleted'
  | 'unmanaged'
  | 'unsafe-state'
  | 'diverged-base'
  | 'drift-elsewhere'
  | 'stale-reference'
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
   * `unreadable` only: the changed resource is not deployed in this stack (its `Condition`
   * is false here), so nothing was left unread. Such a note neither takes
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
  | { kind: 'template-moved'; from: string; to: string; configFile: string };

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
  notChecked: number;
}

export type Conclusion = 'success' | 'neutral' | 'failure';

// ---------------------------------------------------------------- one run

/** What the pipeline learned about one configured target, ready to render. */
export interface TargetResult {
  target: {
    name: string;
    kind: 'cloudformation' | 'terraform';
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
  };
  conclusion: Conclusion;
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
