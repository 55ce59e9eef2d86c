// The `unmanaged` lookups by name: Cloud Control GetResource over nock in its JSON 1.0 wire
// format, STS GetCallerIdentity in its Query XML, and a machine without AWS credentials.
import { describe, expect, it, vi } from 'vitest';
import { TerraformStateSource, type CreatedName } from '../../../src/live/terraform-state/index.js';
import { cloudControl, REGION, sts } from './fake-aws.js';
import { useAwsTestEnvironment } from '../../helpers/aws-test-env.js';

const ACCOUNT = '123456789012';

function callerIdentity() {
  return sts('GetCallerIdentity').reply(
    200,
    `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::${ACCOUNT}:user/realitycheck</Arn>
    <UserId>AIDASAMPLEUSERID</UserId>
    <Account>${ACCOUNT}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`,
    { 'Content-Type': 'text/xml' },
  );
}

const source = () => new TerraformStateSource({ aws: { maxAttempts: 1 } });
const bucket: CreatedName = { address: 'aws_s3_bucket.assets', type: 'aws_s3_bucket', name: 'acme-assets' };
const queue: CreatedName = { address: 'aws_sqs_queue.jobs', type: 'aws_sqs_queue', name: 'jobs' };

useAwsTestEnvironment(REGION);

describe('looking up the names a pull request creates', () => {
  it('finds a queue by its URL, built from the region and the account STS names', async () => {
    callerIdentity();
    const cc = cloudControl([{ typeName: 'AWS::SQS::Queue', identifier: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/jobs`, properties: { QueueName: 'jobs' } }, { typeName: 'AWS::S3::Bucket', identifier: 'other' }], { times: 2 });

    const result = await source().findUnmanaged({}, [queue, bucket]);

    expect(cc.calls).toEqual([
      { TypeName: 'AWS::SQS::Queue', Identifier: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/jobs` },
      { TypeName: 'AWS::S3::Bucket', Identifier: 'acme-assets' },
    ]);
    expect(result.found).toEqual([{ address: 'aws_sqs_queue.jobs', type: 'aws_sqs_queue', attribute: 'name', name: 'jobs', identifier: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/jobs` }]);
    expect(result.unreadable).toEqual([]);
  });

  it('says a lookup AccessDenied is unknown, naming cloudcontrol:GetResource and the type, never free', async () => {
    cloudControl([{ typeName: 'AWS::S3::Bucket', identifier: 'acme-assets', error: { type: 'AccessDeniedException', message: 'User is not authorized to perform: cloudformation:GetResource' } }]);

    const result = await source().findUnmanaged({}, [bucket]);

    expect(result.found).toEqual([]);
    expect(result.unreadable).toEqual([expect.objectContaining({ api: 'cloudcontrol:GetResource', code: 'AccessDeniedException' })]);
    expect(result.unreadable[0]!.message).toContain('AccessDenied on cloudcontrol:GetResource for AWS::S3::Bucket');
    expect(result.unreadable[0]!.message).toContain('aws_s3_bucket.assets');
  });

  it('skips with a note, calling nothing, when the app has no AWS credentials', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');

    const result = await source().findUnmanaged({}, [bucket]);

    expect(result).toEqual({ found: [], unreadable: [], skipped: 'not checked for existing names: no AWS access' });
  });

  it('looks up at most 20 names and says which were left out', async () => {
    const many = Array.from({ length: 22 }, (_, i): CreatedName => ({ address: `aws_s3_bucket.b${i}`, type: 'aws_s3_bucket', name: `acme-b${i}` }));
    const cc = cloudControl([], { times: 20 });

    const result = await source().findUnmanaged({}, many);

    expect(cc.calls).toHaveLength(20);
    expect(result.unreadable).toEqual([expect.objectContaining({ code: 'LookupBound' })]);
    expect(result.unreadable[0]!.message).toContain('aws_s3_bucket.b20, aws_s3_bucket.b21');
  });
});
