// The shapes of the references step: infrastructure named in the lines a pull request adds,
// what the repository declares, and what a live look-up answered.

/** The kinds of infrastructure a reference can name, by CloudFormation type (`export`: a stack export). */
export type ReferenceType =
  | 'AWS::SQS::Queue'
  | 'AWS::SNS::Topic'
  | 'AWS::DynamoDB::Table'
  | 'AWS::Lambda::Function'
  | 'AWS::S3::Bucket'
  | 'AWS::SecretsManager::Secret'
  | 'AWS::SSM::Parameter'
  | 'AWS::IAM::Role'
  | 'export';

export interface CodeReference {
  /** Repository path at the head. */
  file: string;
  /** 1-based line at the head, and 1-based column (UTF-16) of the reference on it. */
  line: number;
  column: number;
  /** The text as written (a URL, an ARN, a name). Untrusted: rendered in code spans. */
  text: string;
  /** `sqs`, `sns`, `dynamodb`, `lambda`, `s3`, `secretsmanager`, `ssm`, `iam`, `cloudformation`. */
  service: string;
  type: ReferenceType;
  /** The resource's name (queue, table, bucket, function, topic, secret, parameter, role, export). */
  name: string;
  /** 12-digit account, when the text says so. */
  account?: string;
  region?: string;
  /** The row of the pattern table that found it. */
  pattern: string;
}

/** Why the added lines were not read in full: said in the report, never silent. */
export interface ScanLimits {
  /** Added bytes read (UTF-16 characters, the cost the patterns pay). */
  scanned: number;
  /** Files whose added lines were left out, whole or in part, and why. */
  cut: Array<{ file: string; why: string }>;
}

/** A resource a configured target declares with an explicit, literal name. */
export interface DeclaredName {
  type: ReferenceType;
  name: string;
  target: string;
  file: string;
  line: number;
}

/** What a live look-up answered for one reference. */
export type LiveAnswer =
  | { kind: 'found'; api: string; how: string; account?: string; region?: string; readAt: string; cached: boolean }
  | { kind: 'absent'; api: string; how: string; code: string; account?: string; region?: string; readAt: string; cached: boolean }
  | { kind: 'not-checked'; api?: string; how?: string; code: string; reason: string; account?: string; region?: string }
  /** Left out by `references.maxLookups`. */
  | { kind: 'skipped' };

/** One reference and everything known about it: ready for the rules (analyze/rules/reference-rules.ts). */
export interface ResolvedReference {
  reference: CodeReference;
  /** Targets declaring it at the head. */
  declared: DeclaredName[];
  /** The pull request adds the declaring line (its own added lines name it in the declaring file). */
  createdByPullRequest: boolean;
  live: LiveAnswer;
}
