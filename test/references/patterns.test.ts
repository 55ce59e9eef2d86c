// One case list per row of the pattern table: what it finds, where, and what it must not take
// for a reference (placeholders, documentation accounts, templates, test fixtures).
import { describe, expect, it } from 'vitest';
import { findReferences } from '../../src/references/find-references.js';
import { PATTERNS } from '../../src/references/patterns.js';

function added(lines: string[]): string {
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`;
}

function scan(path: string, ...lines: string[]) {
  return findReferences([{ path, status: 'added', patch: added(lines) }]).references;
}

interface Case {
  file: string;
  line: string;
  /** Expected: [type, name, column, extra] or nothing. */
  want?: { type: string; name: string; column?: number; account?: string; region?: string; text?: string };
}

const ACCT = '480157929311';

const CASES: Record<string, Case[]> = {
  'sqs-queue-url': [
    { file: 'src/send.ts', line: `const url = 'https://sqs.eu-west-1.amazonaws.com/${ACCT}/orders-prod';`, want: { type: 'AWS::SQS::Queue', name: 'orders-prod', column: 14, account: ACCT, region: 'eu-west-1' } },
    { file: 'src/send.py', line: `URL = "https://queue.amazonaws.com/${ACCT}/jobs.fifo"`, want: { type: 'AWS::SQS::Queue', name: 'jobs.fifo', region: 'us-east-1' } },
    { file: 'src/send.ts', line: `const url = 'https://sqs.us-east-1.amazonaws.com/123456789012/orders';` },
    { file: 'src/send.ts', line: `const url = 'https://sqs.us-east-1.amazonaws.com/${ACCT}/my-example-queue';` },
    { file: 'test/send.test.ts', line: `const url = 'https://sqs.us-east-1.amazonaws.com/${ACCT}/orders';` },
    { file: 'src/send.ts', line: `const url = \`https://sqs.\${region}.amazonaws.com/${ACCT}/orders\`;` },
  ],
  arn: [
    { file: 'src/a.go', line: `topic := "arn:aws:sns:us-east-1:${ACCT}:order-events"`, want: { type: 'AWS::SNS::Topic', name: 'order-events', account: ACCT, region: 'us-east-1' } },
    { file: 'src/a.java', line: `String t = "arn:aws:dynamodb:us-east-1:${ACCT}:table/orders/stream/2026-01-01T00:00:00.000";`, want: { type: 'AWS::DynamoDB::Table', name: 'orders' } },
    { file: 'src/a.ts', line: `fn: 'arn:aws:lambda:us-east-1:${ACCT}:function:resize:live',`, want: { type: 'AWS::Lambda::Function', name: 'resize' } },
    { file: 'policy.json', line: `"Resource": "arn:aws:s3:::acme-invoices/*"`, want: { type: 'AWS::S3::Bucket', name: 'acme-invoices' } },
    { file: 'src/a.ts', line: `role: 'arn:aws:iam::${ACCT}:role/service/orders-runner'`, want: { type: 'AWS::IAM::Role', name: 'orders-runner', account: ACCT } },
    { file: 'src/a.ts', line: `p = 'arn:aws:ssm:us-east-1:${ACCT}:parameter/orders/db-url'`, want: { type: 'AWS::SSM::Parameter', name: '/orders/db-url' } },
    { file: 'src/a.ts', line: `s = 'arn:aws:secretsmanager:us-east-1:${ACCT}:secret:orders/db-AbCdEf'`, want: { type: 'AWS::SecretsManager::Secret', name: 'orders/db-AbCdEf' } },
    { file: 'src/a.ts', line: `sub = 'arn:aws:sns:us-east-1:${ACCT}:order-events:6b0d31f4-5c2e-4d8e-9a8f-2c5b1e7d9f00'` },
    { file: 'README.md', line: `See arn:aws:sns:us-east-1:111122223333:order-events for details.` },
    { file: 'src/a.ts', line: `t = 'arn:aws:sns:us-east-1:111111111111:order-events'` },
    { file: 'src/a.ts', line: `q = 'arn:aws:sqs:\${AWS::Region}:${ACCT}:orders'` },
    { file: 'src/a.ts', line: `x = 'arn:aws:ec2:us-east-1:${ACCT}:instance/i-0abc'` },
  ],
  's3-uri': [
    { file: 'jobs/export.py', line: `dest = "s3://acme-exports/daily/"`, want: { type: 'AWS::S3::Bucket', name: 'acme-exports', column: 14 } },
    { file: 'jobs/export.py', line: `dest = "s3://DOC-EXAMPLE-BUCKET/daily/"` },
    { file: 'jobs/export.py', line: `dest = f"s3://{bucket}/daily/"` },
  ],
  's3-virtual-host': [
    { file: 'web/config.js', line: `cdn: 'https://acme-assets.s3.eu-central-1.amazonaws.com/img/logo.png',`, want: { type: 'AWS::S3::Bucket', name: 'acme-assets', region: 'eu-central-1' } },
    { file: 'web/config.js', line: `cdn: 'https://s3.eu-central-1.amazonaws.com',` },
  ],
  's3-path-host': [
    { file: 'web/config.js', line: `u = 'https://s3.us-west-2.amazonaws.com/acme-assets/logo.png'`, want: { type: 'AWS::S3::Bucket', name: 'acme-assets', region: 'us-west-2' } },
    { file: 'web/config.js', line: `u = 'https://s3.us-west-2.amazonaws.com/my-example-bucket/logo.png'` },
  ],
  'sdk-queue-url': [
    { file: 'src/a.go', line: `out, err := client.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String("https://sqs.us-east-1.amazonaws.com/${ACCT}/orders")})`, want: { type: 'AWS::SQS::Queue', name: 'orders' } },
    { file: 'src/a.ts', line: `new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL })` },
    { file: 'src/a.ts', line: `new SendMessageCommand({ QueueUrl: 'https://queue.example.com/orders' })` },
  ],
  'sdk-table-name': [
    { file: 'src/a.ts', line: `await ddb.send(new GetItemCommand({ TableName: 'orders', Key }));`, want: { type: 'AWS::DynamoDB::Table', name: 'orders', column: 49 } },
    { file: 'src/a.py', line: `client.get_item(TableName='orders', Key=key)`, want: { type: 'AWS::DynamoDB::Table', name: 'orders' } },
    { file: 'src/A.java', line: `GetItemRequest.builder().tableName("orders").key(key).build();`, want: { type: 'AWS::DynamoDB::Table', name: 'orders' } },
    { file: 'src/a.go', line: `&dynamodb.GetItemInput{TableName: aws.String("orders")}`, want: { type: 'AWS::DynamoDB::Table', name: 'orders' } },
    { file: 'src/a.ts', line: `{ TableName: \`orders-\${stage}\` }` },
    { file: 'src/a.ts', line: `{ TableName: tableName }` },
  ],
  'boto3-table': [
    { file: 'src/a.py', line: `table = boto3.resource("dynamodb").Table("orders")`, want: { type: 'AWS::DynamoDB::Table', name: 'orders' } },
    { file: 'src/a.py', line: `table = dynamodb.Table(name)` },
  ],
  'sdk-function-name': [
    { file: 'src/a.ts', line: `new InvokeCommand({ FunctionName: 'resize-image:live' })`, want: { type: 'AWS::Lambda::Function', name: 'resize-image' } },
    { file: 'src/a.py', line: `lam.invoke(FunctionName='${ACCT}:function:resize-image')`, want: { type: 'AWS::Lambda::Function', name: 'resize-image', account: ACCT } },
    { file: 'src/a.py', line: `lam.invoke(FunctionName='your-function-name')` },
  ],
  'sdk-topic-arn': [
    { file: 'src/a.py', line: `sns.publish(TopicArn="arn:aws:sns:us-east-1:${ACCT}:order-events", Message=m)`, want: { type: 'AWS::SNS::Topic', name: 'order-events' } },
    { file: 'src/a.py', line: `sns.publish(TopicArn=os.environ["TOPIC_ARN"], Message=m)` },
  ],
  'sdk-bucket': [
    { file: 'src/a.ts', line: `new PutObjectCommand({ Bucket: 'acme-invoices', Key: k })`, want: { type: 'AWS::S3::Bucket', name: 'acme-invoices' } },
    { file: 'src/A.java', line: `PutObjectRequest.builder().bucket("acme-invoices").key(k).build()`, want: { type: 'AWS::S3::Bucket', name: 'acme-invoices' } },
    { file: 'src/a.ts', line: `new PutObjectCommand({ Bucket: 'Not_A_Bucket', Key: k })` },
  ],
  'boto3-bucket': [
    { file: 'src/a.py', line: `bucket = s3.Bucket('acme-invoices')`, want: { type: 'AWS::S3::Bucket', name: 'acme-invoices' } },
    { file: 'src/a.py', line: `bucket = s3.Bucket('DOC-EXAMPLE-BUCKET')` },
  ],
  'sdk-secret-id': [
    { file: 'src/a.ts', line: `new GetSecretValueCommand({ SecretId: 'orders/db' })`, want: { type: 'AWS::SecretsManager::Secret', name: 'orders/db' } },
    { file: 'src/a.ts', line: `new GetSecretValueCommand({ SecretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db' })` },
  ],
  'sdk-ssm-get-parameter': [
    { file: 'src/a.ts', line: `await ssm.send(new GetParameterCommand({ Name: '/orders/db-url', WithDecryption: true }));`, want: { type: 'AWS::SSM::Parameter', name: '/orders/db-url' } },
    { file: 'src/a.py', line: `ssm.get_parameter(Name="/orders/db-url")`, want: { type: 'AWS::SSM::Parameter', name: '/orders/db-url' } },
    { file: 'src/a.ts', line: `const user = { Name: 'Ada' };` },
  ],
  'import-value': [
    { file: 'infra/api.yaml', line: `      QueueUrl: !ImportValue orders-QueueUrl`, want: { type: 'export', name: 'orders-QueueUrl' } },
    { file: 'infra/api.json', line: `"QueueUrl": { "Fn::ImportValue": "orders-QueueUrl" },`, want: { type: 'export', name: 'orders-QueueUrl' } },
    { file: 'cdk/stack.ts', line: `const url = Fn.importValue('orders-QueueUrl');`, want: { type: 'export', name: 'orders-QueueUrl' } },
    { file: 'infra/api.yaml', line: `      QueueUrl: !ImportValue`, want: undefined },
    { file: 'infra/api.json', line: `{ "Fn::ImportValue": { "Fn::Sub": "\${Env}-QueueUrl" } }` },
  ],
  'env-value': [
    { file: '.env.production', line: `ORDERS_TABLE=orders`, want: { type: 'AWS::DynamoDB::Table', name: 'orders', column: 14 } },
    { file: 'docker-compose.yml', line: `      - UPLOAD_BUCKET=acme-uploads`, want: { type: 'AWS::S3::Bucket', name: 'acme-uploads' } },
    { file: 'k8s/configmap.yaml', line: `  JOBS_QUEUE_NAME: "jobs"`, want: { type: 'AWS::SQS::Queue', name: 'jobs' } },
    { file: '.env', line: `ORDERS_TABLE=\${TABLE}` },
    { file: '.env', line: `ORDERS_TABLE=changeme` },
    { file: 'src/a.ts', line: `ORDERS_TABLE=orders` },
    { file: '.env', line: `MAX_QUEUE=10` },
  ],
};

describe('the pattern table', () => {
  it('has cases for every row, and no cases for rows it does not have', () => {
    expect(Object.keys(CASES).sort()).toEqual(PATTERNS.filter((r) => !r.pair).map((r) => r.id).sort());
  });

  for (const [row, cases] of Object.entries(CASES)) {
    describe(row, () => {
      it.each(cases)('$file: $line', ({ file, line, want }) => {
        const found = scan(file, line);
        if (!want) {
          expect(found).toEqual([]);
          return;
        }
        expect(found.length, JSON.stringify(found)).toBeGreaterThanOrEqual(1);
        const first = found.find((r) => r.type === want.type && r.name === want.name);
        expect(first, JSON.stringify(found)).toBeDefined();
        if (want.column !== undefined) expect(first!.column).toBe(want.column);
        if (want.account !== undefined) expect(first!.account).toBe(want.account);
        if (want.region !== undefined) expect(first!.region).toBe(want.region);
      });
    });
  }

  describe('k8s-env-pair', () => {
    it('reads a name: / value: pair of added lines, at the value line', () => {
      const found = scan('k8s/deploy.yaml', '        env:', '          - name: ORDERS_TABLE', '            value: orders');
      expect(found).toMatchObject([{ type: 'AWS::DynamoDB::Table', name: 'orders', line: 3, column: 20, pattern: 'k8s-env-pair' }]);
    });
    it('does not pair lines that are not next to each other', () => {
      const patch = '@@ -1,3 +1,4 @@\n+          - name: ORDERS_TABLE\n           other: 1\n+            value: orders';
      expect(findReferences([{ path: 'k8s/deploy.yaml', status: 'modified', patch }]).references).toEqual([]);
    });
  });
});

describe('what is read', () => {
  it('reads only added lines, at their head line numbers', () => {
    const patch = [
      '@@ -10,3 +10,3 @@',
      ` const a = 'https://sqs.us-east-1.amazonaws.com/${ACCT}/kept';`,
      `-const b = 'https://sqs.us-east-1.amazonaws.com/${ACCT}/removed';`,
      `+const b = 'https://sqs.us-east-1.amazonaws.com/${ACCT}/added';`,
      ' end',
    ].join('\n');
    const { references } = findReferences([{ path: 'src/a.ts', status: 'modified', patch }]);
    expect(references.map((r) => [r.name, r.line])).toEqual([['added', 11]]);
  });

  it('reads only the start of a very long line, and says so', () => {
    const long = `${'x'.repeat(5_000)} https://sqs.us-east-1.amazonaws.com/${ACCT}/late`;
    const { references, limits } = findReferences([{ path: 'dist/app.js', status: 'added', patch: added([long]) }]);
    expect(references).toEqual([]);
    expect(limits.cut).toEqual([{ file: 'dist/app.js', why: expect.stringContaining('longer than 4,000 characters') }]);
  });

  it('stops at the bound on added characters and names the first line left unread', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `const q${i} = 'https://sqs.us-east-1.amazonaws.com/${ACCT}/q${i}';`);
    const { references, limits } = findReferences([{ path: 'src/a.ts', status: 'added', patch: added(lines) }], { maxScanChars: 600 });
    expect(references.length).toBeLessThan(50);
    expect(limits.cut[0]!.why).toMatch(/not read from line \d+ on/);
  });

  it('says when GitHub gives no diff for a file, and when a diff does not parse', () => {
    const { limits } = findReferences([
      { path: 'big.sql', status: 'modified' },
      { path: 'src/a.ts', status: 'modified', patch: '@@ -1,2 +1,5 @@\n+a' },
    ]);
    expect(limits.cut.map((c) => c.file)).toEqual(['big.sql', 'src/a.ts']);
  });

  it('takes a line of 200,000 characters made to make a pattern backtrack in stride', () => {
    // `arn:aws:sqs:` then a long run of the ARN resource characters with no end: each row's
    // classes are bounded, so this is a plain scan (no wall-clock assertion: see bench/).
    const nasty = `${'arn:aws:sqs:us-east-1:480157929311:'.repeat(2)}${'a-'.repeat(100_000)}`;
    const { references, limits } = findReferences([{ path: 'src/a.ts', status: 'added', patch: added([nasty]) }], { maxLineChars: 300_000 });
    expect(references).toEqual([]);
    expect(limits.scanned).toBe(nasty.length);
  });
});
