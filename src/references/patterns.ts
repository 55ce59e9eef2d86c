// The one table of what counts as a reference to infrastructure in an added line. Pure.
//
// Every row is a regular expression with the `d` flag (match indices give the column) and a
// reader that turns a match into a reference, or refuses it (`undefined`). The expressions
// are written to run in linear time on any line: no nested unbounded quantifiers, every
// repeated class bounded by the service's own limit on the name (80 for queues, 255 for
// tables, 63 for buckets...), and the scanner cuts lines longer than MAX_LINE_CHARS
// (find-references.ts), so a minified bundle or a huge generated line cannot stall a run.
// Each row has its tests in test/references/patterns.test.ts (true and false positives).
import type { CodeReference, ReferenceType } from './types.js';

export type Found = Pick<CodeReference, 'text' | 'service' | 'type' | 'name' | 'account' | 'region'> & {
  /** UTF-16 offset of `text` in the line. */
  index: number;
};

export interface PatternRow {
  id: string;
  /** What the row finds, in words. */
  finds: string;
  /** Files the row reads; every text file when absent. */
  files?: (path: string) => boolean;
  /** Rows with `pair` read two consecutive added lines joined by `\n` (a Kubernetes `name:` / `value:` pair). */
  pair?: boolean;
  /** Text a line must contain for the row to match (any of them): a substring test before the regular expression. */
  hints: readonly string[];
  regex: RegExp;
  read(m: RegExpExecArray): Found | Found[] | undefined;
}

// ---------------------------------------------------------------- the pieces

const REGION = '[a-z]{2}(?:-[a-z]+){1,2}-\\d';
const ACCOUNT = '\\d{12}';
const PARTITION = 'aws(?:-cn|-us-gov)?';
const QUEUE_NAME = '[A-Za-z0-9_-]{1,75}(?:\\.fifo)?';
const BUCKET = '[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]';
/** A quoted string literal value: `"x"`, `'x'`, `` `x` `` (no `${`, so templates are never read). */
const VALUE = '(["\'`])([^"\'`\\s$\\\\]{1,512})';
/** A Lambda function as `FunctionName` takes it: `name`, `name:alias`, or the partial ARN `<account>:function:name`. */
const FUNCTION_NAME = new RegExp(`^(?:(${ACCOUNT}):function:)?([A-Za-z0-9_-]{1,64})(?::[A-Za-z0-9$_-]{1,128})?$`);

/** `Key: 'v'`, `"Key": "v"`, `Key='v'` (boto3), `Key: aws.String("v")` (Go), `.key("v")` (Java builders). */
function sdkKey(keys: string[]): RegExp {
  const java = keys.map((k) => k.charAt(0).toLowerCase() + k.slice(1));
  return new RegExp(`(?:(?<![\\w$])["']?(?:${keys.join('|')})["']?\\s*[:=]\\s*(?:aws\\.String\\(\\s*)?|\\.(?:${java.join('|')})\\(\\s*)${VALUE}\\1`, 'dg');
}

/** The offset of group `n` in the line (the `d` flag's indices). */
function at(m: RegExpExecArray, n: number): number {
  return m.indices?.[n]?.[0] ?? m.index;
}

const isBucketName = (name: string) => /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) && !/\.\.|^\d+\.\d+\.\d+\.\d+$/.test(name);

// ---------------------------------------------------------------- parsers shared by rows

const QUEUE_URL = new RegExp(`^https://(?:sqs\\.(${REGION})\\.amazonaws\\.com(?:\\.cn)?|(?:(${REGION})\\.)?queue\\.amazonaws\\.com)/(${ACCOUNT})/(${QUEUE_NAME})$`);

/** An SQS queue URL, the current form or the legacy `queue.amazonaws.com` ones. */
export function parseQueueUrl(text: string): Pick<Found, 'name' | 'account' | 'region'> | undefined {
  const m = QUEUE_URL.exec(text);
  if (!m) return undefined;
  // The legacy host without a region is us-east-1's.
  return { name: m[4]!, account: m[3]!, region: m[1] ?? m[2] ?? 'us-east-1' };
}

const ARN = new RegExp(`^arn:${PARTITION}:([a-z0-9-]+):(${REGION})?:(${ACCOUNT})?:(.{1,1100})$`);

/** An ARN of a service the table knows, as a reference (without position). */
export function parseArn(text: string): Omit<Found, 'index'> | undefined {
  const m = ARN.exec(text);
  if (!m) return undefined;
  const [, service, region, account, resource] = m as unknown as [string, string, string | undefined, string | undefined, string];
  const where = { ...(account ? { account } : {}), ...(region ? { region } : {}) };
  const ref = (type: ReferenceType, name: string) => ({ text, service, type, name, ...where });
  let r: RegExpExecArray | null;
  switch (service) {
    case 'sqs':
      return region && account && (r = new RegExp(`^(${QUEUE_NAME})$`).exec(resource)) ? ref('AWS::SQS::Queue', r[1]!) : undefined;
    case 'sns':
      // A subscription ARN has one more `:uuid`; it is not a topic.
      return region && account && (r = /^([A-Za-z0-9_-]{1,256}(?:\.fifo)?)$/.exec(resource)) ? ref('AWS::SNS::Topic', r[1]!) : undefined;
    case 'dynamodb':
      return region && account && (r = /^table\/([A-Za-z0-9_.-]{3,255})(?:\/(?:stream|index|backup|export)\/.*)?$/.exec(resource)) ? ref('AWS::DynamoDB::Table', r[1]!) : undefined;
    case 'lambda':
      return region && account && (r = /^function:([A-Za-z0-9_-]{1,64})(?::[A-Za-z0-9$_-]{1,128})?$/.exec(resource)) ? ref('AWS::Lambda::Function', r[1]!) : undefined;
    case 's3':
      return !region && !account && (r = new RegExp(`^(${BUCKET})(?:/.*)?$`).exec(resource)) && isBucketName(r[1]!) ? ref('AWS::S3::Bucket', r[1]!) : undefined;
    case 'secretsmanager':
      return region && account && (r = /^secret:([A-Za-z0-9/_+=.@-]{1,512})$/.exec(resource)) ? ref('AWS::SecretsManager::Secret', r[1]!) : undefined;
    case 'ssm':
      // `parameter/app/db-url` names the parameter `/app/db-url`; a top-level one `parameter/x` names `x`.
      return region && account && (r = /^parameter(\/[A-Za-z0-9/_.-]{1,1011})$/.exec(resource)) ? ref('AWS::SSM::Parameter', r[1]!.split('/').length > 2 ? r[1]! : r[1]!.slice(1)) : undefined;
    case 'iam':
      // Cloud Control finds a role by its name, without the path.
      return !region && account && (r = /^role\/(?:[\w+=,.@-]{1,64}\/){0,16}([\w+=,.@-]{1,64})$/.exec(resource)) ? ref('AWS::IAM::Role', r[1]!) : undefined;
    default:
      return undefined;
  }
}

/** Where an ARN ends in running text: the characters ARNs of the services above use. */
const ARN_IN_TEXT = new RegExp(`(?<![\\w-])arn:${PARTITION}:(?:sqs|sns|dynamodb|lambda|s3|secretsmanager|ssm|iam):(?:${REGION})?:(?:${ACCOUNT})?:[A-Za-z0-9/_+=.@:$-]{1,1100}`, 'dg');

function readArn(m: RegExpExecArray): Found | undefined {
  // A trailing `.`, `,` or `:` ends a sentence or a list, not the ARN.
  const text = m[0].replace(/[.,:]+$/, '');
  const ref = parseArn(text);
  return ref ? { ...ref, index: m.index } : undefined;
}

function readValue(m: RegExpExecArray, type: ReferenceType, service: string): Found | undefined {
  const value = m[2]!;
  const index = at(m, 2);
  if (value.startsWith('arn:')) {
    const ref = parseArn(value);
    return ref && ref.type === type ? { ...ref, index } : undefined;
  }
  if (type === 'AWS::SQS::Queue') {
    const url = parseQueueUrl(value);
    return url ? { text: value, service, type, ...url, index } : undefined;
  }
  return { text: value, service, type, name: value, index };
}

const ENV_FILE = (path: string) => /(^|\/)\.env(\.[^/]*)?$|\.env$/.test(path);
const YAML_FILE = (path: string) => /\.ya?ml$/i.test(path);
const ENV_OR_YAML = (path: string) => ENV_FILE(path) || YAML_FILE(path);

/** Environment keys whose value names a resource, by the key's ending. */
const ENV_KEY_TYPES: Array<[RegExp, ReferenceType, string]> = [
  [/_?QUEUE(_NAME)?$/, 'AWS::SQS::Queue', 'sqs'],
  [/_?TABLE(_NAME)?$/, 'AWS::DynamoDB::Table', 'dynamodb'],
  [/_?BUCKET(_NAME)?$/, 'AWS::S3::Bucket', 's3'],
  [/_?FUNCTION_NAME$/, 'AWS::Lambda::Function', 'lambda'],
  [/_?SECRET_(ID|NAME)$/, 'AWS::SecretsManager::Secret', 'secretsmanager'],
  [/_?(PARAMETER_NAME|PARAM_NAME|SSM_PARAMETER)$/, 'AWS::SSM::Parameter', 'ssm'],
];
const ENV_KEY = '[A-Z][A-Z0-9_]{0,100}';

function readEnv(key: string, value: string, index: number): Found | undefined {
  // URLs and ARNs in values are found by their own rows.
  if (/^(https?|s3):\/\/|^arn:/.test(value)) return undefined;
  for (const [suffix, type, service] of ENV_KEY_TYPES) {
    if (!suffix.test(key)) continue;
    if (type === 'AWS::S3::Bucket' && !isBucketName(value)) return undefined;
    // A queue in an env value is found by name only when the whole value is a queue name.
    if (type === 'AWS::SQS::Queue' && !new RegExp(`^${QUEUE_NAME}$`).test(value)) return undefined;
    if (/^(true|false|null|none|\d+)$/i.test(value)) return undefined;
    return { text: value, service, type, name: value, index };
  }
  return undefined;
}

// ---------------------------------------------------------------- the table

export const PATTERNS: readonly PatternRow[] = [
  {
    id: 'sqs-queue-url',
    hints: ['amazonaws.com'],
    finds: 'SQS queue URLs (`https://sqs.<region>.amazonaws.com/<account>/<queue>`, and the legacy `queue.amazonaws.com` hosts)',
    regex: new RegExp(`https://(?:sqs\\.${REGION}\\.amazonaws\\.com(?:\\.cn)?|(?:${REGION}\\.)?queue\\.amazonaws\\.com)/${ACCOUNT}/${QUEUE_NAME}(?![\\w.-])`, 'dg'),
    read: (m) => {
      const url = parseQueueUrl(m[0]);
      return url ? { text: m[0], service: 'sqs', type: 'AWS::SQS::Queue', ...url, index: m.index } : undefined;
    },
  },
  {
    id: 'arn',
    hints: ['arn:aws'],
    finds: 'ARNs of SQS queues, SNS topics, DynamoDB tables, Lambda functions, S3 buckets, Secrets Manager secrets, SSM parameters and IAM roles',
    regex: ARN_IN_TEXT,
    read: readArn,
  },
  {
    id: 's3-uri',
    hints: ['s3://'],
    finds: '`s3://<bucket>/…` URIs',
    regex: new RegExp(`(?<![\\w-])s3://(${BUCKET})(?![a-z0-9.-])`, 'dg'),
    read: (m) => (isBucketName(m[1]!) ? { text: m[1]!, service: 's3', type: 'AWS::S3::Bucket', name: m[1]!, index: at(m, 1) } : undefined),
  },
  {
    id: 's3-virtual-host',
    hints: ['amazonaws.com'],
    finds: 'S3 bucket hosts (`<bucket>.s3.amazonaws.com`, `<bucket>.s3.<region>.amazonaws.com`)',
    regex: new RegExp(`(?<![\\w.-])(${BUCKET})\\.s3(?:[.-](${REGION}))?\\.amazonaws\\.com(?![\\w-])`, 'dg'),
    read: (m) =>
      isBucketName(m[1]!) ? { text: m[1]!, service: 's3', type: 'AWS::S3::Bucket', name: m[1]!, ...(m[2] ? { region: m[2] } : {}), index: at(m, 1) } : undefined,
  },
  {
    id: 's3-path-host',
    hints: ['amazonaws.com'],
    finds: 'S3 path-style URLs (`https://s3.<region>.amazonaws.com/<bucket>/…`)',
    regex: new RegExp(`https://s3(?:[.-](${REGION}))?\\.amazonaws\\.com/(${BUCKET})(?![a-z0-9.-])`, 'dg'),
    read: (m) =>
      isBucketName(m[2]!) ? { text: m[2]!, service: 's3', type: 'AWS::S3::Bucket', name: m[2]!, ...(m[1] ? { region: m[1] } : {}), index: at(m, 2) } : undefined,
  },
  {
    id: 'sdk-queue-url',
    hints: ['QueueUrl', 'queueUrl'],
    finds: '`QueueUrl` passed to an SQS call (TypeScript/JavaScript, boto3, Go, Java)',
    regex: sdkKey(['QueueUrl']),
    read: (m) => readValue(m, 'AWS::SQS::Queue', 'sqs'),
  },
  {
    id: 'sdk-table-name',
    hints: ['TableName', 'tableName'],
    finds: '`TableName` passed to a DynamoDB call',
    regex: sdkKey(['TableName']),
    read: (m) => readValue(m, 'AWS::DynamoDB::Table', 'dynamodb'),
  },
  {
    id: 'boto3-table',
    hints: ['.Table('],
    finds: "boto3's `dynamodb.Table('<name>')`",
    regex: new RegExp(`\\.Table\\(\\s*${VALUE}\\1\\s*\\)`, 'dg'),
    read: (m) => readValue(m, 'AWS::DynamoDB::Table', 'dynamodb'),
  },
  {
    id: 'sdk-function-name',
    hints: ['FunctionName', 'functionName'],
    finds: '`FunctionName` passed to a Lambda call (a name, a name with an alias, or an ARN)',
    regex: sdkKey(['FunctionName']),
    read: (m) => {
      const value = m[2]!;
      if (value.startsWith('arn:')) return readValue(m, 'AWS::Lambda::Function', 'lambda');
      // `name:alias` and the partial ARN `<account>:function:name`.
      const partial = FUNCTION_NAME.exec(value);
      if (!partial) return undefined;
      return { text: value, service: 'lambda', type: 'AWS::Lambda::Function', name: partial[2]!, ...(partial[1] ? { account: partial[1] } : {}), index: at(m, 2) };
    },
  },
  {
    id: 'sdk-topic-arn',
    hints: ['TopicArn', 'topicArn'],
    finds: '`TopicArn` passed to an SNS call',
    regex: sdkKey(['TopicArn']),
    read: (m) => (m[2]!.startsWith('arn:') ? readValue(m, 'AWS::SNS::Topic', 'sns') : undefined),
  },
  {
    id: 'sdk-bucket',
    hints: ['Bucket', 'bucket'],
    finds: '`Bucket` passed to an S3 call',
    regex: sdkKey(['Bucket']),
    read: (m) => (isBucketName(m[2]!) ? readValue(m, 'AWS::S3::Bucket', 's3') : undefined),
  },
  {
    id: 'boto3-bucket',
    hints: ['.Bucket('],
    finds: "boto3's `s3.Bucket('<name>')`",
    regex: new RegExp(`\\.Bucket\\(\\s*${VALUE}\\1\\s*\\)`, 'dg'),
    read: (m) => (isBucketName(m[2]!) ? readValue(m, 'AWS::S3::Bucket', 's3') : undefined),
  },
  {
    id: 'sdk-secret-id',
    hints: ['SecretId', 'secretId'],
    finds: '`SecretId` passed to a Secrets Manager call (a name or an ARN)',
    regex: sdkKey(['SecretId']),
    read: (m) => readValue(m, 'AWS::SecretsManager::Secret', 'secretsmanager'),
  },
  {
    id: 'sdk-ssm-get-parameter',
    hints: ['GetParameter', 'get_parameter'],
    finds: '`Name` passed to SSM `GetParameter` (`GetParameterCommand`, `get_parameter`, `GetParameterInput`, `GetParameterRequest`) on the same line',
    regex: new RegExp(`(?:GetParameter(?:Command|Input|Request)?|get_parameter)\\b[^\\n]{0,120}?(?:(?<![\\w$])["']?Name["']?\\s*[:=]\\s*(?:aws\\.String\\(\\s*)?|\\.name\\(\\s*)${VALUE}\\1`, 'dg'),
    read: (m) => (/^[A-Za-z0-9/_.-]{1,1011}$/.test(m[2]!) ? readValue(m, 'AWS::SSM::Parameter', 'ssm') : undefined),
  },
  {
    id: 'import-value',
    hints: ['ImportValue', 'importValue'],
    finds: 'CloudFormation `Fn::ImportValue` / `!ImportValue` export names (and CDK `Fn.importValue`)',
    regex: /(?:!ImportValue\s+|["']?Fn::ImportValue["']?\s*:\s*|Fn\.importValue\(\s*)(["']?)([A-Za-z0-9:-]{1,255})\1(?![\w:$.{-])/dg,
    read: (m) => ({ text: m[2]!, service: 'cloudformation', type: 'export', name: m[2]!, index: at(m, 2) }),
  },
  {
    id: 'env-value',
    hints: ['=', ':'],
    finds: 'values of environment keys that name a resource (`*_QUEUE`, `*_TABLE`, `*_BUCKET`, `*_FUNCTION_NAME`, `*_SECRET_ID`, `*_PARAMETER_NAME`…) in `.env` files, docker-compose and Kubernetes YAML (`KEY=v`, `KEY: v`, `- KEY=v`)',
    files: ENV_OR_YAML,
    regex: new RegExp(`^\\s*(?:-\\s*)?(?:export\\s+)?["']?(${ENV_KEY})["']?\\s*[:=]\\s*(["']?)([^"'\\s#]{1,1024})\\2\\s*(?:#.*)?$`, 'd'),
    read: (m) => readEnv(m[1]!, m[3]!, at(m, 3)),
  },
  {
    id: 'k8s-env-pair',
    hints: ['value:'],
    finds: 'Kubernetes container `env` entries (`- name: ORDERS_TABLE` then `value: orders`)',
    files: YAML_FILE,
    pair: true,
    regex: new RegExp(`^\\s*-\\s*name:\\s*["']?(${ENV_KEY})["']?\\s*\\n\\s*value:\\s*(["']?)([^"'\\s#]{1,1024})\\2\\s*(?:#.*)?$`, 'd'),
    read: (m) => readEnv(m[1]!, m[3]!, at(m, 3)),
  },
];
