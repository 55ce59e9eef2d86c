// The data each template in templates/ expects. Strings named in `{{{triple}}}` are
// pre-rendered markdown made safe by escape-markdown; everything else is escaped on output.

export interface CommentData {
  headSha: string;
  updatedAtIso: string;
  icon: string;
  headline: string;
  body: string;
  truncated: boolean;
  limit: string;
  shortSha: string;
}

export interface CheckSummaryData {
  body: string;
  truncated: boolean;
  limit: string;
}

export interface AuthorshipData {
  strict: boolean;
  signals: string[];
  omitted: number;
}

export interface RunData {
  authorship: string;
  configError: string;
  noTargets: boolean;
  targets: string[];
}

export interface GroupData {
  title: string;
  count: string;
  folded: boolean;
  findings: string[];
  omitted: number;
}

export interface TargetData {
  quiet: boolean;
  icon: string;
  name: string;
  verdict: string;
  why: string;
  groups: GroupData[];
  live: string;
  nextSteps: string;
}

export interface FindingData {
  rule: string;
  resource?: string;
  resourceType?: string;
  location?: string;
  message: string;
  evidence?: string;
}

export interface EvidenceRowData {
  path: string;
  base: string;
  head: string;
  expected: string;
  live: string;
}

export interface EvidenceData {
  deployed: boolean;
  rows: EvidenceRowData[];
  omitted: number;
  redacted: boolean;
}

export interface LiveData {
  read: boolean;
  sourceLabel: string;
  readAt: string;
  /** Which read exactly (Terraform: the plan's run, or the state file and Cloud Control); plain text. */
  detail?: string;
  detection?: { reused: boolean; snapshot: boolean; terraform: boolean; checkedAt: string; partial: boolean; status: string };
  stack?: string;
  region?: string;
  stackStatus?: string;
  coverage?: { inSync: number; drifted: number; deleted: number; notChecked: number; leftOut?: number; notCheckedWhy: string };
  ignoredCount: number;
  ignored?: { entries: { resource: string; path: string; reason: string; reverted: boolean }[]; omitted: number };
}

export interface NextStepData {
  resources?: string;
  permissions?: string;
  locations?: string;
}

/** Keys are rule ids with `-` written `_` (template names are identifiers). */
export interface NextStepsData {
  any: boolean;
  conflict?: NextStepData;
  revert?: NextStepData;
  deleted?: NextStepData;
  unmanaged?: NextStepData;
  undeclared?: NextStepData;
  unsafe_state?: NextStepData;
  diverged_base?: NextStepData;
  drift_elsewhere?: NextStepData;
  stale_reference?: NextStepData;
  unreadable?: NextStepData;
  unparseable?: NextStepData;
  config_error?: NextStepData;
}

export interface ConfigErrorData {
  files: { file: string; problems: { key: string; message: string }[] }[];
}

export interface CheckTextLineData {
  severity: string;
  rule: string;
  target: string;
  resource?: string;
  location?: string;
  message: string;
  evidence: { path: string; base: string; head: string; live: string }[];
}

export interface CheckTextData {
  lines: CheckTextLineData[];
  omitted: number;
  limit: string;
}

export interface HelpData {
  /** Pre-rendered sentence shown above the help (refusal, unknown command); empty for plain help. */
  notice: string;
}

export interface TemplateData {
  comment: CommentData;
  'check-summary': CheckSummaryData;
  run: RunData;
  target: TargetData;
  finding: FindingData;
  evidence: EvidenceData;
  live: LiveData;
  'next-steps': NextStepsData;
  'config-error': ConfigErrorData;
  'check-text': CheckTextData;
  help: HelpData;
  authorship: AuthorshipData;
  references: ReferencesData;
}

/** templates/references.md: the references check's look-ups. */
export interface ReferencesData {
  count: string;
  any: boolean;
  rows: Array<{ text: string; where: string; type: string; lookedUp: string; answer: string }>;
  omitted: number;
  lookups: string;
  maxLookups: string;
  skipped: number;
  cut?: { entries: Array<{ file: string; why: string }> };
  declaredProblems: string[];
}

export type TemplateName = keyof TemplateData;
