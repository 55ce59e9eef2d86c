// Live look-ups of referenced resources against fakes of AWS in their wire formats: STS and
// CloudFormation (Query/XML), Cloud Control (JSON 1.0), S3 (REST).
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ReferenceSource, type LookupRequest, type LookupSettings } from '../../src/references/read-live-references.js';
import { cfn, cfnOk, sts, stsOk, XML } from '../live/fake-aws.js';
import { cloudControl } from '../live/terraform-state/fake-aws.js';
import { useFakeAwsEnvironment } from '../e2e/harness.js';

const OWN = '480157929311';
const OTHER = '731902268410';
const ROLE = `arn:aws:iam::${OTHER}:role/realitycheck-read`;

beforeAll(useFakeAwsEnvironment);
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending, 'AWS answers never asked for').toEqual([]);
});

function identity() {
  sts('GetCallerIdentity').reply(200, stsOk('GetCallerIdentity', `<Arn>arn:aws:iam::${OWN}:role/app</Arn><UserId>AROAEXAMPLEID:app</UserId><Account>${OWN}</Account>`), XML);
}

const settings = (extra: Partial<LookupSettings> = {}): LookupSettings => ({ maxLookups: 50, maxAgeMs: 15 * 60_000, accounts: {}, ...extra });
const table = (name: string): LookupRequest => ({ type: 'AWS::DynamoDB::Table', name, text: name });

describe('Cloud Control look-ups', () => {
  it('reuses an answer for policy.maxDriftAge, then asks again', async () => {
    let now = Date.parse('2026-12-01T12:00:00Z');
    const source = new ReferenceSource({ aws: { maxAttempts: 1 }, now: () => now });
    const cc = cloudControl([{ typeName: 'AWS::DynamoDB::Table', identifier: 'orders', properties: { TableName: 'orders' } }], { times: 2 });

    const first = await source.lookUp([table('orders')], settings());
    now += 10 * 60_000;
    const second = await source.lookUp([table('orders')], settings());
    now += 10 * 60_000; // 20 minutes after the first answer: older than 15m
    const third = await source.lookUp([table('orders')], settings());

    expect(first.answers[0]).toMatchObject({ kind: 'found', cached: false });
    expect(second).toMatchObject({ lookups: 0, answers: [{ kind: 'found', cached: true }] });
    expect(third).toMatchObject({ lookups: 1, answers: [{ kind: 'found', cached: false }] });
    expect(cc.calls).toHaveLength(2);
  });

  it('looks a resource named on several lines up once', async () => {
    const source = new ReferenceSource({ aws: { maxAttempts: 1 } });
    const cc = cloudControl([], { times: 1 });
    const report = await source.lookUp([table('orders'), table('orders')], settings());
    expect(report).toMatchObject({ lookups: 1, answers: [{ kind: 'absent' }, { kind: 'absent' }] });
    expect(cc.calls).toHaveLength(1);
  });

  it('answers AccessDenied with "not checked", naming the call and the reason', async () => {
    const source = new ReferenceSource({ aws: { maxAttempts: 1 } });
    cloudControl([{ typeName: 'AWS::DynamoDB::Table', identifier: 'orders', error: { type: 'AccessDeniedException', message: 'User is not authorized to perform: dynamodb:DescribeTable' } }]);
    const report = await source.lookUp([table('orders')], settings());
    expect(report.answers[0]).toMatchObject({ kind: 'not-checked', api: 'cloudcontrol:GetResource', code: 'AccessDeniedException', reason: expect.stringContaining('dynamodb:DescribeTable') });
  });

  it('reads another account through its configured role, and leaves an account without one unchecked', async () => {
    const source = new ReferenceSource({ aws: { maxAttempts: 1 } });
    identity();
    sts('AssumeRole', (p) => p.get('RoleArn') === ROLE).reply(
      200,
      stsOk(
        'AssumeRole',
        `<Credentials><AccessKeyId>ASIAEXAMPLEASSUMED</AccessKeyId><SecretAccessKey>c2VjcmV0</SecretAccessKey><SessionToken>dG9rZW4=</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:realitycheck</AssumedRoleId><Arn>arn:aws:sts::${OTHER}:assumed-role/realitycheck-read/realitycheck</Arn></AssumedRoleUser>`,
      ),
      XML,
    );
    const url = `https://sqs.us-east-1.amazonaws.com/${OTHER}/billing`;
    const cc = cloudControl([{ typeName: 'AWS::SQS::Queue', identifier: url, properties: {} }]);
    const queue = (account: string): LookupRequest => ({ type: 'AWS::SQS::Queue', name: 'billing', text: url, account, region: 'us-east-1' });

    const report = await source.lookUp([queue(OTHER), queue('905418226233')], settings({ accounts: { [OTHER]: { roleArn: ROLE } } }));

    expect(report.answers[0]).toMatchObject({ kind: 'found', account: OTHER });
    expect(report.answers[1]).toMatchObject({ kind: 'not-checked', code: 'NoCredentials', reason: expect.stringContaining('references.accounts."905418226233".roleArn') });
    expect(cc.calls).toEqual([{ TypeName: 'AWS::SQS::Queue', Identifier: url }]);
  });

  it('makes no more than maxLookups look-ups and counts the rest as skipped', async () => {
    const source = new ReferenceSource({ aws: { maxAttempts: 1 } });
    const cc = cloudControl([], { times: 2 });
    const report = await source.lookUp(['a', 'b', 'c', 'b'].map(table), settings({ maxLookups: 2 }));
    expect(cc.calls.map((c) => c.Identifier)).toEqual(['a', 'b']);
    expect(report).toMatchObject({ lookups: 2, skipped: 1 });
    expect(report.answers.map((a) => a.kind)).toEqual(['absent', 'absent', 'skipped', 'absent']);
  });
});

describe('stack exports', () => {
  it('reads every page of ListExports once per account and region', async () => {
    const source = new ReferenceSource({ aws: { maxAttempts: 1 } });
    identity();
    const member = (name: string) => `<member><ExportingStackId>arn:aws:cloudformation:us-east-1:${OWN}:stack/orders/1</ExportingStackId><Name>${name}</Name><Value>v</Value></member>`;
    cfn('ListExports', (p) => !p.has('NextToken')).reply(200, cfnOk('ListExports', `<Exports>${member('a')}</Exports><NextToken>page2</NextToken>`), XML);
    cfn('ListExports', (p) => p.get('NextToken') === 'page2').reply(200, cfnOk('ListExports', `<Exports>${member('orders-QueueUrl')}</Exports>`), XML);
    const exp = (name: string): LookupRequest => ({ type: 'export', name, text: name });

    const report = await source.lookUp([exp('orders-QueueUrl'), exp('orders-TopicArn')], settings());

    expect(report.lookups).toBe(1);
    expect(report.answers).toMatchObject([
      { kind: 'found', api: 'cloudformation:ListExports', account: OWN, region: 'us-east-1' },
      { kind: 'absent', api: 'cloudformation:ListExports' },
    ]);
  });
});

describe('buckets', () => {
  it('answers 404 as absent and 403 as existing elsewhere', async () => {
    const source = new ReferenceSource({ aws: { maxAttempts: 1 } });
    nock('https://acme-gone.s3.us-east-1.amazonaws.com').head('/').reply(404);
    nock('https://someone-elses.s3.us-east-1.amazonaws.com').head('/').reply(403);
    const bucket = (name: string): LookupRequest => ({ type: 'AWS::S3::Bucket', name, text: name });

    const report = await source.lookUp([bucket('acme-gone'), bucket('someone-elses')], settings());

    expect(report.answers).toMatchObject([
      { kind: 'absent', api: 's3:HeadBucket', code: 'NotFound (404)' },
      { kind: 'found', api: 's3:HeadBucket', how: expect.stringContaining('403') },
    ]);
  });
});
