// Undeclared drift, the read, through the real SDKs: DescribeType (CloudFormation, Query XML)
// and GetResource (Cloud Control, AWS JSON 1.0) answered by nock in their wire formats.
import { describe, expect, it } from 'vitest';
import type { CloudFormationTarget } from '../../src/config-types.js';
import { CloudFormationOptInReader } from '../../src/live/cloudformation-opt-in.js';
import { computeIdentifier } from '../../src/live/compute-identifier.js';
import { parseTypeSchema } from '../../src/live/parse-type-schema.js';
import { MAX_UNDECLARED_READS } from '../../src/live/read-undeclared.js';
import { useAwsTestEnvironment } from '../helpers/aws-test-env.js';
import { cfn, cfnOk, REGION, STACK_ID, STACK_NAME, stackXml, XML } from './fake-aws.js';
import { describeType, describeTypeError, schemaJson, SQS_QUEUE_SCHEMA } from './fake-type-schema.js';
import { cloudControl } from './terraform-state/fake-aws.js';

useAwsTestEnvironment(REGION);

const target: CloudFormationTarget = { kind: 'cloudformation', name: 'orders', stack: STACK_NAME, template: 'infra/orders.yaml', undeclared: true };
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-prod';
const queue = { logicalId: 'OrdersQueue', type: 'AWS::SQS::Queue', physicalId: QUEUE_URL, declared: { VisibilityTimeout: 30 } };

function stack(times = 1) {
  cfn('DescribeStacks').times(times).reply(200, cfnOk('DescribeStacks', stackXml().replace('<Tags/>', '<Tags><member><Key>team</Key><Value>orders</Value></member></Tags>')), XML);
}

function reader() {
  return new CloudFormationOptInReader({ aws: { maxAttempts: 1 } });
}

describe('reading the full live model of the changed resources', () => {
  it("reads the queue by its URL, with the stack's tags and the type's schema", async () => {
    stack();
    describeType('AWS::SQS::Queue', SQS_QUEUE_SCHEMA);
    const cc = cloudControl([{ typeName: 'AWS::SQS::Queue', identifier: QUEUE_URL, properties: { QueueUrl: QUEUE_URL, VisibilityTimeout: 30 } }]);
    const read = await reader().readUndeclared(target, [queue], new Map());
    expect(read.stackTags).toEqual({ team: 'orders' });
    expect(read.unreadable).toEqual([]);
    expect(read.resources).toEqual([
      expect.objectContaining({ logicalId: 'OrdersQueue', status: 'read', properties: { QueueUrl: QUEUE_URL, VisibilityTimeout: 30 }, schema: expect.objectContaining({ readOnly: ['QueueUrl', 'Arn'], primaryIdentifier: ['QueueUrl'] }) }),
    ]);
    expect(cc.calls).toHaveLength(1);
  });

  it('asks DescribeType once per type and region, however many runs need it', async () => {
    stack(2);
    describeType('AWS::SQS::Queue', SQS_QUEUE_SCHEMA); // one answer only: a second call would fail the read
    cloudControl([{ typeName: 'AWS::SQS::Queue', identifier: QUEUE_URL, properties: { QueueUrl: QUEUE_URL } }], { times: 2 });
    const shared = reader();
    await shared.readUndeclared(target, [queue], new Map());
    const second = await shared.readUndeclared(target, [queue], new Map());
    expect(second.resources[0]!.status).toBe('read');
  });

  it('says a type Cloud Control cannot read is not checked, without asking Cloud Control', async () => {
    stack();
    describeType('AWS::CloudFormation::WaitConditionHandle', { properties: ['Id'], primaryIdentifier: ['Id'], noHandlers: true });
    const read = await reader().readUndeclared(target, [{ logicalId: 'Wait', type: 'AWS::CloudFormation::WaitConditionHandle', physicalId: 'https://example' }], new Map());
    expect(read.resources[0]).toMatchObject({ status: 'not-checked', unreadable: { api: 'cloudcontrol:GetResource', code: 'UnsupportedType' } });
  });

  it('says a SAM function is not checked: its template properties are not the deployed type\'s', async () => {
    stack();
    const read = await reader().readUndeclared(target, [{ logicalId: 'Fn', type: 'AWS::Lambda::Function', declaredType: 'AWS::Serverless::Function', physicalId: 'orders-Fn-1A' }], new Map());
    expect(read.resources[0]).toMatchObject({ status: 'not-checked', unreadable: { code: 'TransformedType' } });
  });

  it('names DescribeType when the schema cannot be read, and asks again next time', async () => {
    stack(2);
    describeTypeError('AWS::SQS::Queue', 'AccessDenied', 'User is not authorized to perform: cloudformation:DescribeType', 403);
    const shared = reader();
    const first = await shared.readUndeclared(target, [queue], new Map());
    expect(first.resources[0]).toMatchObject({ status: 'not-checked', unreadable: { api: 'cloudformation:DescribeType', code: 'AccessDenied' } });
    describeType('AWS::SQS::Queue', SQS_QUEUE_SCHEMA);
    cloudControl([{ typeName: 'AWS::SQS::Queue', identifier: QUEUE_URL, properties: { QueueUrl: QUEUE_URL } }]);
    const second = await shared.readUndeclared(target, [queue], new Map());
    expect(second.resources[0]!.status).toBe('read');
  });

  it('says which resource has no physical id, and reads the others', async () => {
    stack();
    describeType('AWS::SQS::Queue', SQS_QUEUE_SCHEMA);
    cloudControl([{ typeName: 'AWS::SQS::Queue', identifier: QUEUE_URL, properties: { QueueUrl: QUEUE_URL } }]);
    const read = await reader().readUndeclared(target, [{ logicalId: 'NewQueue', type: 'AWS::SQS::Queue' }, queue], new Map());
    expect(read.resources.map((r) => r.status)).toEqual(['not-checked', 'read']);
    expect(read.resources[0]).toMatchObject({ unreadable: { code: 'NoPhysicalId' } });
  });

  it(`reads at most ${MAX_UNDECLARED_READS} resources and says the rest were left out`, async () => {
    stack();
    describeType('AWS::SQS::Queue', SQS_QUEUE_SCHEMA);
    const many = Array.from({ length: MAX_UNDECLARED_READS + 2 }, (_, i) => ({ logicalId: `Q${i}`, type: 'AWS::SQS::Queue', physicalId: `${QUEUE_URL}-${i}` }));
    const cc = cloudControl(many.slice(0, MAX_UNDECLARED_READS).map((q) => ({ typeName: q.type, identifier: q.physicalId, properties: { QueueUrl: q.physicalId } })));
    const read = await reader().readUndeclared(target, many, new Map());
    expect(cc.calls).toHaveLength(MAX_UNDECLARED_READS);
    expect(read.resources.filter((r) => r.status === 'not-checked').map((r) => r.logicalId)).toEqual([`Q${MAX_UNDECLARED_READS}`, `Q${MAX_UNDECLARED_READS + 1}`]);
  });

  it('rejects when the run is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('superseded'));
    await expect(reader().readUndeclared(target, [queue], new Map(), controller.signal)).rejects.toThrow('superseded');
  });
});

describe('the Cloud Control identifier of a stack resource', () => {
  const physicalIds = new Map([
    ['Cluster', 'orders'],
    ['Api', 'a1b2c3d4e5'],
  ]);
  it.each([
    ['a single primary identifier is the physical id', { type: 'AWS::SQS::Queue', physicalId: QUEUE_URL, primaryIdentifier: ['QueueUrl'], declared: {} }, QUEUE_URL],
    [
      'an ECS service: its ARN and the cluster it names by Ref',
      { type: 'AWS::ECS::Service', physicalId: 'arn:aws:ecs:us-east-1:123456789012:service/orders/web', primaryIdentifier: ['ServiceArn', 'Cluster'], declared: { Cluster: { Ref: 'Cluster' } } },
      'arn:aws:ecs:us-east-1:123456789012:service/orders/web|orders',
    ],
    [
      'an ECS service on a cluster the template does not name: the cluster from the ARN',
      { type: 'AWS::ECS::Service', physicalId: 'arn:aws:ecs:us-east-1:123456789012:service/default/web', primaryIdentifier: ['ServiceArn', 'Cluster'], declared: {} },
      'arn:aws:ecs:us-east-1:123456789012:service/default/web|default',
    ],
    [
      'an API Gateway stage: the API by Ref, the stage name from the physical id',
      { type: 'AWS::ApiGateway::Stage', physicalId: 'prod', primaryIdentifier: ['RestApiId', 'StageName'], declared: { RestApiId: { Ref: 'Api' } } },
      'a1b2c3d4e5|prod',
    ],
    ['an EventBridge rule on the default bus: its ARN', { type: 'AWS::Events::Rule', physicalId: 'orders-prod-Rule-1A', primaryIdentifier: ['Arn'], declared: {} }, 'arn:aws:events:us-east-1:123456789012:rule/orders-prod-Rule-1A'],
    ['an EventBridge rule on a custom bus', { type: 'AWS::Events::Rule', physicalId: 'orders-bus|orders-prod-Rule-1A', primaryIdentifier: ['Arn'], declared: {} }, 'arn:aws:events:us-east-1:123456789012:rule/orders-bus/orders-prod-Rule-1A'],
  ])('%s', (_, input, expected) => {
    expect(computeIdentifier({ ...input, physicalIds, stackArn: STACK_ID })).toEqual({ ok: true, identifier: expected });
  });

  it('says which parts it cannot give', () => {
    const result = computeIdentifier({ type: 'AWS::ApiGateway::Method', physicalId: 'GET', primaryIdentifier: ['RestApiId', 'ResourceId', 'HttpMethod'], declared: { RestApiId: { 'Fn::ImportValue': 'api' } }, physicalIds });
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('does not give RestApiId and ResourceId') });
  });
});

describe('a resource type schema', () => {
  it('gives read-only and write-only paths in dot form, defaults, the identifier and the read permissions', () => {
    const text = schemaJson('AWS::Lambda::Function', {
      properties: ['FunctionName', 'Arn', 'Code', 'MemorySize'],
      readOnly: ['Arn', 'SnapStartResponse.ApplyOn'],
      writeOnly: ['Code.ZipFile'],
      primaryIdentifier: ['FunctionName'],
      readPermissions: ['lambda:GetFunction'],
      defaults: { MemorySize: 128 },
    });
    expect(parseTypeSchema('AWS::Lambda::Function', text, 'FULLY_MUTABLE')).toEqual({
      ok: true,
      facts: {
        typeName: 'AWS::Lambda::Function',
        readOnly: ['Arn', 'SnapStartResponse.ApplyOn'],
        writeOnly: ['Code.ZipFile'],
        defaults: { MemorySize: 128 },
        primaryIdentifier: ['FunctionName'],
        readPermissions: ['lambda:GetFunction'],
        readable: true,
      },
    });
  });

  it('refuses a schema that is not JSON, with the type named', () => {
    expect(parseTypeSchema('AWS::X::Y', '{not json', 'FULLY_MUTABLE')).toEqual({ ok: false, message: 'the schema DescribeType returned for AWS::X::Y is not JSON' });
  });
});
