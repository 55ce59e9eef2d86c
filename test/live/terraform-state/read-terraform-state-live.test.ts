import { readFileSync } from 'node:fs';
import nock from 'nock';
import { describe, expect, it, vi } from 'vitest';
import { TerraformStateSource, type TerraformStateTarget } from '../../../src/live/terraform-state/index.js';
import { BUCKET, cloudControl, KEY, REGION, S3_ENDPOINT, s3Error, s3GetObject, sts, type CloudControlResource } from './fake-aws.js';
import { useAwsTestEnvironment } from '../../helpers/aws-test-env.js';

const STATE = readFileSync(new URL('../../fixtures/terraform-state/data.tfstate', import.meta.url), 'utf8');
const SECRET_IN_STATE = 'correct-horse-battery-staple';
const SECRET_LIVE = 'Tr0ub4dor&3-rotated-by-hand';
const NOW = Date.parse('2026-12-01T12:00:00.000Z');

const target: TerraformStateTarget = { name: 'data', state: { s3: { bucket: BUCKET, key: KEY, region: REGION } } };

/** The live side of the fixture, in sync with the state unless a test changes it. */
function liveTable(overrides: Record<string, unknown> = {}): CloudControlResource {
  return {
    typeName: 'AWS::DynamoDB::Table',
    identifier: 'orders',
    properties: {
      TableName: 'orders',
      Arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders',
      AttributeDefinitions: [
        { AttributeName: 'order_id', AttributeType: 'S' },
        { AttributeName: 'customer_id', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'order_id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [
        { IndexName: 'by-customer', KeySchema: [{ AttributeName: 'customer_id', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
      ],
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      TableClass: 'STANDARD',
      Tags: [
        { Key: 'env', Value: 'prod' },
        { Key: 'team', Value: 'orders' },
      ],
      ...overrides,
    },
  };
}

const liveQueue: CloudControlResource = {
  typeName: 'AWS::SQS::Queue',
  identifier: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs-0',
  properties: {
    QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs-0',
    QueueName: 'jobs-0',
    Arn: 'arn:aws:sqs:us-east-1:123456789012:jobs-0',
    VisibilityTimeout: 30,
    MessageRetentionPeriod: 345600,
    DelaySeconds: 0,
    MaximumMessageSize: 262144,
    ReceiveMessageWaitTimeSeconds: 0,
    SqsManagedSseEnabled: true,
    KmsDataKeyReusePeriodSeconds: 300,
    RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: 'arn:aws:sqs:us-east-1:123456789012:jobs-dlq' },
    Tags: [{ Key: 'env', Value: 'prod' }],
  },
};

const liveBucket: CloudControlResource = {
  typeName: 'AWS::S3::Bucket',
  identifier: 'acme-logs-eu',
  properties: {
    BucketName: 'acme-logs-eu',
    Arn: 'arn:aws:s3:::acme-logs-eu',
    VersioningConfiguration: { Status: 'Enabled' },
    Tags: [
      { Key: 'purpose', Value: 'logs' },
      { Key: 'env', Value: 'prod' },
    ],
  },
};

function liveParameter(value = SECRET_IN_STATE): CloudControlResource {
  return {
    typeName: 'AWS::SSM::Parameter',
    identifier: '/orders/db/password',
    properties: { Name: '/orders/db/password', Type: 'SecureString', Value: value, DataType: 'text', Tags: { env: 'prod' } },
  };
}

function source() {
  return new TerraformStateSource({ now: () => NOW, aws: { maxAttempts: 1 } });
}

useAwsTestEnvironment(REGION);

describe('Terraform state source (S3 + Cloud Control)', () => {
  it('reports a DynamoDB table whose billing mode and TTL were changed live, with the attribute and both values', async () => {
    s3GetObject(STATE);
    const cc = cloudControl([
      liveTable({ BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }, TimeToLiveSpecification: { Enabled: false } }),
      liveQueue,
      liveBucket,
      liveParameter(),
    ]);

    const result = await source().read(target, { touched: ['aws_dynamodb_table.orders'] });

    expect(result.live.unreadable).toEqual([]);
    expect(result.state).toEqual({ terraformVersion: '1.9.8', serial: 42, lineage: '3f0b8e1a-6c2d-4a57-9d1e-2b7c5f9a0e13', location: `s3://${BUCKET}/${KEY}` });
    const table = result.live.drift?.resources.find((r) => r.logicalId === 'aws_dynamodb_table.orders');
    expect(table).toMatchObject({ status: 'MODIFIED', physicalId: 'orders', type: 'aws_dynamodb_table', checkedAt: '2026-12-01T12:00:00.000Z' });
    expect(table?.differences).toEqual([
      { path: 'billing_mode', expected: 'PAY_PER_REQUEST', actual: 'PROVISIONED', kind: 'NOT_EQUAL' },
      { path: 'read_capacity', expected: undefined, actual: 5, kind: 'ADD' },
      { path: 'write_capacity', expected: undefined, actual: 5, kind: 'ADD' },
      { path: 'ttl.0.enabled', expected: true, actual: false, kind: 'NOT_EQUAL' },
      { path: 'ttl.0.attribute_name', expected: 'expires_at', actual: undefined, kind: 'REMOVE' },
    ]);
    expect(cc.calls).toContainEqual({ TypeName: 'AWS::DynamoDB::Table', Identifier: 'orders' });
  });

  it('compares the other mapped resources in sync, by full address, with default tags not called drift', async () => {
    s3GetObject(STATE);
    cloudControl([liveTable(), liveQueue, liveBucket, liveParameter()]);

    const result = await source().read(target);

    expect(result.live.drift?.resources.map((r) => [r.logicalId, r.status])).toEqual([
      ['aws_dynamodb_table.orders', 'IN_SYNC'],
      ['module.queues.aws_sqs_queue.jobs[0]', 'IN_SYNC'],
      ['aws_s3_bucket.logs["eu"]', 'IN_SYNC'],
      ['aws_iam_role_policy_attachment.worker_sqs', 'NOT_CHECKED'],
      ['aws_ssm_parameter.db_password', 'IN_SYNC'],
    ]);
    expect(result.counts).toEqual({ compared: 4, notChecked: 1, leftOut: 0, bound: 100 });
    expect(result.live).toMatchObject({ source: 'terraform-state', readAt: '2026-12-01T12:00:00.000Z', calls: 5 });
    expect(result.live.drift?.status).toBe('DETECTION_COMPLETE');
  });

  it('reports an unmapped type as not checked, never in sync, and does not call Cloud Control for it', async () => {
    s3GetObject(STATE);
    const cc = cloudControl([liveTable(), liveQueue, liveBucket, liveParameter()]);

    const result = await source().read(target);

    const attachment = result.live.drift?.resources.find((r) => r.type === 'aws_iam_role_policy_attachment');
    expect(attachment).toMatchObject({ status: 'NOT_CHECKED', notCheckedReason: 'no Cloud Control mapping for aws_iam_role_policy_attachment' });
    expect(cc.calls.map((c) => c.TypeName)).not.toContain(expect.stringMatching(/IAM/));
  });

  it('never lets a sensitive value that drifted reach any output field, while still reporting the drift', async () => {
    s3GetObject(STATE);
    cloudControl([liveTable(), liveQueue, liveBucket, liveParameter(SECRET_LIVE)]);

    const result = await source().read(target);

    const parameter = result.live.drift?.resources.find((r) => r.logicalId === 'aws_ssm_parameter.db_password');
    expect(parameter).toMatchObject({ status: 'MODIFIED', differences: [{ path: 'value', expected: '***', actual: '***', kind: 'NOT_EQUAL' }] });
    const everything = JSON.stringify(result);
    expect(everything).not.toContain(SECRET_IN_STATE);
    expect(everything).not.toContain(SECRET_LIVE);
  });

  it('hides the identifier too when the attribute it comes from is sensitive', async () => {
    const secretName = 'orders-db-hunter2';
    s3GetObject(
      JSON.stringify({
        version: 4,
        terraform_version: '1.9.8',
        serial: 1,
        lineage: 'c3',
        outputs: {},
        resources: [
          {
            mode: 'managed',
            type: 'aws_ssm_parameter',
            name: 'named_by_secret',
            provider: 'provider["registry.terraform.io/hashicorp/aws"]',
            instances: [{ schema_version: 0, attributes: { name: secretName, id: secretName, type: 'String', value: 'v', tags: {}, tags_all: {} }, sensitive_attributes: [[{ type: 'get_attr', value: 'name' }], [{ type: 'get_attr', value: 'id' }]] }],
          },
        ],
      }),
    );
    cloudControl([{ typeName: 'AWS::SSM::Parameter', identifier: secretName, properties: { Name: secretName, Type: 'String', Value: 'v' } }]);

    const result = await source().read(target);

    expect(result.live.drift?.resources[0]).toMatchObject({ status: 'IN_SYNC', physicalId: '***' });
    expect(JSON.stringify(result)).not.toContain(secretName);
  });

  it('names the missing state file when S3 answers NoSuchKey', async () => {
    s3Error(404, 'NoSuchKey', 'The specified key does not exist.', { extra: `<Key>${KEY}</Key>` });

    const result = await source().read(target);

    expect(result.live.drift).toBeUndefined();
    expect(result.live.unreadable).toEqual([
      {
        api: 's3:GetObject',
        code: 'NoSuchKey',
        message: `the state file s3://${BUCKET}/${KEY} does not exist (NoSuchKey); check \`state.s3.key\` or the \`backend "s3"\` block`,
        retryable: false,
      },
    ]);
    expect(result.counts).toMatchObject({ compared: 0, notChecked: 0, leftOut: 0 });
  });

  it('names s3:GetObject and the object when S3 answers AccessDenied', async () => {
    s3Error(403, 'AccessDenied', 'Access Denied');

    const result = await source().read(target);

    expect(result.live.drift).toBeUndefined();
    expect(result.live.unreadable).toHaveLength(1);
    expect(result.live.unreadable[0]).toMatchObject({ api: 's3:GetObject', code: 'AccessDenied', retryable: false });
    expect(result.live.unreadable[0]?.message).toContain(`s3:GetObject on arn:aws:s3:::${BUCKET}/${KEY}`);
  });

  it('says the bucket is in another region when S3 redirects without an error body', async () => {
    nock(S3_ENDPOINT).get(`/${KEY}`).query(true).reply(301, '', { 'x-amz-bucket-region': 'eu-west-1' });

    const result = await source().read(target);

    expect(result.live.unreadable).toHaveLength(1);
    expect(result.live.unreadable[0]).toMatchObject({ api: 's3:GetObject', code: 'WrongRegion', retryable: false });
    expect(result.live.unreadable[0]?.message).toContain(`the bucket ${BUCKET} is not in us-east-1; S3 says it is in eu-west-1`);
  });

  it('says the bucket is in another region instead of failing obscurely', async () => {
    s3Error(301, 'PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.', {
      extra: `<Endpoint>${BUCKET}.s3.eu-west-1.amazonaws.com</Endpoint><Bucket>${BUCKET}</Bucket>`,
      headers: { 'x-amz-bucket-region': 'eu-west-1' },
    });

    const result = await source().read(target);

    expect(result.live.unreadable).toHaveLength(1);
    expect(result.live.unreadable[0]).toMatchObject({ api: 's3:GetObject', code: 'WrongRegion', retryable: false });
    expect(result.live.unreadable[0]?.message).toBe(
      `the bucket ${BUCKET} is not in us-east-1; S3 says it is in eu-west-1 (S3: PermanentRedirect); set \`state.s3.region\` to the bucket's region`,
    );
  });

  it('refuses a state in another format version, saying which one it found', async () => {
    s3GetObject(JSON.stringify({ version: 3, terraform_version: '0.11.14', serial: 7, modules: [] }));

    const result = await source().read(target);

    expect(result.live.drift).toBeUndefined();
    expect(result.live.unreadable).toEqual([
      expect.objectContaining({ code: 'UnsupportedStateVersion', message: expect.stringContaining('`version`: 3 (written by Terraform 0.11 or older') }),
    ]);
  });

  it.each([
    ['announced by Content-Length', false],
    ['found while it streams in, without a Content-Length', true],
  ])('refuses a state larger than the bound, %s', async (_how, chunked) => {
    const big = JSON.stringify({ version: 4, resources: [], padding: 'x'.repeat(4096) });
    s3GetObject(big, { chunked });

    const result = await new TerraformStateSource({ now: () => NOW, aws: { maxAttempts: 1 }, maxStateBytes: 1024 }).read(target);

    expect(result.live.drift).toBeUndefined();
    expect(result.live.unreadable).toEqual([expect.objectContaining({ api: 's3:GetObject', code: 'StateTooLarge', message: expect.stringContaining(`s3://${BUCKET}/${KEY} is larger than`) })]);
  });

  it('reads the touched resources first and reports how many the bound left out', async () => {
    s3GetObject(STATE);
    const cc = cloudControl([liveTable(), liveParameter()], { times: 2 });

    // the parameter is last in the state: touched, it goes first
    const result = await source().read(target, { touched: ['aws_ssm_parameter.db_password'], maxResources: 2, concurrency: 1 });

    expect(cc.calls.map((c) => c.TypeName)).toEqual(['AWS::SSM::Parameter', 'AWS::DynamoDB::Table']);
    expect(result.counts).toEqual({ compared: 2, notChecked: 1, leftOut: 2, bound: 2 });
    const queue = result.live.drift?.resources.find((r) => r.logicalId === 'module.queues.aws_sqs_queue.jobs[0]');
    expect(queue).toMatchObject({ status: 'NOT_CHECKED', notCheckedReason: expect.stringContaining('left out: only 2 resources') });
  });

  it('reports a resource deleted live as DELETED', async () => {
    s3GetObject(STATE);
    cloudControl([liveQueue, liveBucket, liveParameter()], { times: 4 });

    const result = await source().read(target);

    expect(result.live.drift?.resources.find((r) => r.logicalId === 'aws_dynamodb_table.orders')).toMatchObject({ status: 'DELETED', differences: [] });
  });

  it('reports a resource Cloud Control may not read as not checked, naming the permission', async () => {
    s3GetObject(STATE);
    const denied = 'User: arn:aws:sts::123456789012:assumed-role/realitycheck-read/realitycheck is not authorized to perform: cloudcontrol:GetResource';
    cloudControl([liveTable(), { ...liveQueue, error: { type: 'AccessDeniedException', message: denied } }, liveBucket, liveParameter()]);

    const result = await source().read(target);

    const queue = result.live.drift?.resources.find((r) => r.logicalId === 'module.queues.aws_sqs_queue.jobs[0]');
    expect(queue?.status).toBe('NOT_CHECKED');
    expect(queue?.notCheckedReason).toContain('AccessDenied on cloudcontrol:GetResource for AWS::SQS::Queue');
    expect(result.counts).toMatchObject({ compared: 3, notChecked: 2 });
    expect(result.live.drift?.status).toBe('DETECTION_FAILED');
    expect(result.live.unreadable).toEqual([expect.objectContaining({ api: 'cloudcontrol:GetResource', code: 'AccessDenied' })]);
  });

  it('reads the state and Cloud Control with the role from roleArn', async () => {
    sts('AssumeRole').reply(
      200,
      `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
        <Credentials><AccessKeyId>ASIAROLEEXAMPLE</AccessKeyId><SecretAccessKey>roleSecretExample</SecretAccessKey><SessionToken>roleSessionTokenExample</SessionToken><Expiration>2026-12-01T13:00:00Z</Expiration></Credentials>
        <AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:realitycheck</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/realitycheck-read/realitycheck</Arn></AssumedRoleUser>
      </AssumeRoleResult><ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      { 'Content-Type': 'text/xml' },
    );
    const keys: string[] = [];
    s3GetObject(STATE).on('request', (req) => keys.push(String(req.headers.authorization)));
    cloudControl([liveTable(), liveQueue, liveBucket, liveParameter()]);

    const result = await source().read({ ...target, state: { ...target.state, roleArn: 'arn:aws:iam::123456789012:role/realitycheck-read' } });

    expect(result.live.unreadable).toEqual([]);
    expect(keys[0]).toContain('Credential=ASIAROLEEXAMPLE/');
    expect(result.live.calls).toBe(1 + 1 + 4);
  });

  it('keeps AWS_ENDPOINT_URL_S3 and AWS_ENDPOINT_URL_CLOUDCONTROL working', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_S3', 'https://s3.localstack.test');
    vi.stubEnv('AWS_ENDPOINT_URL_CLOUDCONTROL', 'https://cloudcontrol.localstack.test');
    s3GetObject(STATE, { endpoint: `https://${BUCKET}.s3.localstack.test` });
    cloudControl([liveTable(), liveQueue, liveBucket, liveParameter()], { endpoint: 'https://cloudcontrol.localstack.test' });

    const result = await source().read(target);

    expect(result.live.unreadable).toEqual([]);
    expect(result.counts.compared).toBe(4);
  });

  it('reads each resource in its own region (from its ARN), the rest in the default region', async () => {
    const topicArn = 'arn:aws:sns:eu-west-1:123456789012:alerts';
    s3GetObject(
      JSON.stringify({
        version: 4,
        terraform_version: '1.9.8',
        serial: 3,
        lineage: 'b2c4',
        outputs: {},
        resources: [
          { mode: 'managed', type: 'aws_sns_topic', name: 'alerts', provider: 'provider["registry.terraform.io/hashicorp/aws"].eu', instances: [{ schema_version: 0, attributes: { arn: topicArn, id: topicArn, display_name: 'Alerts', tags: {}, tags_all: {} }, sensitive_attributes: [] }] },
          { mode: 'managed', type: 'aws_iam_role', name: 'worker', provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ schema_version: 0, attributes: { arn: 'arn:aws:iam::123456789012:role/worker', name: 'worker', id: 'worker', path: '/', max_session_duration: 3600, tags: {}, tags_all: {} }, sensitive_attributes: [] }] },
        ],
      }),
    );
    const eu = cloudControl([{ typeName: 'AWS::SNS::Topic', identifier: topicArn, properties: { TopicArn: topicArn, DisplayName: 'Alerts (hotfix)' } }], { region: 'eu-west-1' });
    const us = cloudControl([{ typeName: 'AWS::IAM::Role', identifier: 'worker', properties: { RoleName: 'worker', Path: '/', MaxSessionDuration: 3600 } }]);

    const result = await source().read(target);

    expect(eu.calls).toHaveLength(1);
    expect(us.calls).toHaveLength(1);
    expect(result.live.drift?.resources.map((r) => [r.logicalId, r.status])).toEqual([
      ['aws_sns_topic.alerts', 'MODIFIED'],
      ['aws_iam_role.worker', 'IN_SYNC'],
    ]);
  });

  it('reports a throttled read as not checked and retryable, never as in sync', async () => {
    s3GetObject(STATE);
    cloudControl([liveTable(), liveQueue, { ...liveBucket, error: { type: 'ThrottlingException', message: 'Rate exceeded' } }, liveParameter()]);

    const result = await source().read(target);

    expect(result.live.drift?.resources.find((r) => r.type === 'aws_s3_bucket')).toMatchObject({ status: 'NOT_CHECKED', notCheckedReason: expect.stringContaining('ThrottlingException') });
    expect(result.live.unreadable).toEqual([expect.objectContaining({ api: 'cloudcontrol:GetResource', code: 'ThrottlingException', retryable: true })]);
  });

  it('stops when the run is aborted, rejecting with its reason instead of reporting', async () => {
    s3GetObject(STATE);
    const controller = new AbortController();
    const reason = new Error('superseded by a newer head');
    let calls = 0;
    nock('https://cloudcontrolapi.us-east-1.amazonaws.com')
      .post('/')
      .reply(() => {
        calls += 1;
        controller.abort(reason);
        return [400, { __type: 'ThrottlingException', Message: 'Rate exceeded' }, { 'Content-Type': 'application/x-amz-json-1.0' }];
      });

    await expect(source().read(target, { signal: controller.signal, concurrency: 1 })).rejects.toBe(reason);
    expect(calls).toBe(1);
  });
});
