import { describe, expect, it } from 'vitest';
import { parseAwsValue, pointerToPath } from '../../src/live/map-resource-drift.js';
import { normalizeResourceDrift, sameDriftValue } from '../../src/live/normalize-drift.js';
import type { PropertyDifference } from '../../src/types.js';

const diff = (path: string, expected: unknown, actual: unknown, kind: PropertyDifference['kind'] = 'NOT_EQUAL'): PropertyDifference => ({
  path,
  expected,
  actual,
  kind,
});

const policy = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: ['sqs:SendMessage', 'sqs:GetQueueUrl'], Resource: '*' }],
};
const samePolicyOtherForm = {
  Version: '2012-10-17',
  Statement: { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::123456789012:root'] }, Action: ['sqs:GetQueueUrl', 'sqs:SendMessage'], Resource: ['*'] },
};

describe('normalizeResourceDrift', () => {
  it.each([
    {
      name: 'tags in another order',
      expected: { Tags: [{ Key: 'team', Value: 'orders' }, { Key: 'env', Value: 'prod' }] },
      actual: { Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'orders' }] },
      differences: [diff('Tags.0.Key', 'team', 'env'), diff('Tags.1.Key', 'env', 'team')],
    },
    {
      name: 'a policy document given as a JSON string on one side',
      expected: { PolicyDocument: policy },
      actual: { PolicyDocument: JSON.stringify(policy) },
      differences: [diff('PolicyDocument', policy, JSON.stringify(policy))],
    },
    {
      name: 'a policy document in IAM’s equivalent forms (one item vs list, reordered actions)',
      expected: { PolicyDocument: policy },
      actual: { PolicyDocument: samePolicyOtherForm },
      differences: [diff('PolicyDocument.Statement', policy.Statement, samePolicyOtherForm.Statement)],
    },
    {
      name: 'a number against its string',
      expected: { VisibilityTimeout: 30 },
      actual: { VisibilityTimeout: '30' },
      differences: [diff('VisibilityTimeout', 30, '30')],
    },
    {
      name: 'a boolean against "true"',
      expected: { ContentBasedDeduplication: 'true' },
      actual: { ContentBasedDeduplication: true },
      differences: [diff('ContentBasedDeduplication', 'true', true)],
    },
    {
      name: 'numbers as strings inside a JSON-string policy',
      expected: { RedrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:123456789012:dlq', maxReceiveCount: 5 } },
      actual: { RedrivePolicy: '{"maxReceiveCount":"5","deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq"}' },
      differences: [diff('RedrivePolicy.maxReceiveCount', 5, '5')],
    },
    {
      name: 'no properties JSON, but the two values agree',
      expected: undefined,
      actual: undefined,
      differences: [diff('MemorySize', 512, '512')],
    },
  ])('turns a MODIFIED resource whose only difference is $name into IN_SYNC', ({ expected, actual, differences }) => {
    const result = normalizeResourceDrift({
      status: 'MODIFIED',
      differences,
      expectedProperties: expected === undefined ? undefined : JSON.stringify(expected),
      actualProperties: actual,
    });
    expect(result).toEqual({ status: 'IN_SYNC', differences: [], normalizedAway: differences.length });
  });

  it.each([
    {
      name: 'a changed number',
      expected: { VisibilityTimeout: 30 },
      actual: { VisibilityTimeout: 120 },
      differences: [diff('VisibilityTimeout', 30, 120)],
    },
    {
      name: 'a changed tag value (and the tags reordered)',
      expected: { Tags: [{ Key: 'team', Value: 'orders' }, { Key: 'env', Value: 'prod' }] },
      actual: { Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'payments' }] },
      differences: [diff('Tags.0.Key', 'team', 'env'), diff('Tags.0.Value', 'orders', 'prod')],
    },
    {
      name: 'an extra action in a policy',
      expected: { PolicyDocument: policy },
      actual: { PolicyDocument: { ...policy, Statement: [{ ...policy.Statement[0], Action: ['sqs:*'] }] } },
      differences: [diff('PolicyDocument.Statement.0.Action', policy.Statement[0]?.Action, ['sqs:*'])],
    },
    {
      name: 'a version string that only looks numeric',
      expected: { EngineVersion: '1.10' },
      actual: { EngineVersion: '1.1' },
      differences: [diff('EngineVersion', '1.10', '1.1')],
    },
    {
      name: 'a string with a leading zero against a number',
      expected: { Port: '0080' },
      actual: { Port: 80 },
      differences: [diff('Port', '0080', 80)],
    },
    {
      name: 'a property added live',
      expected: {},
      actual: { KmsMasterKeyId: 'alias/aws/sqs' },
      differences: [diff('KmsMasterKeyId', undefined, 'alias/aws/sqs', 'ADD')],
    },
  ])('keeps a real difference: $name', ({ expected, actual, differences }) => {
    const result = normalizeResourceDrift({ status: 'MODIFIED', differences, expectedProperties: expected, actualProperties: actual });
    expect(result.status).toBe('MODIFIED');
    expect(result.differences).toEqual(differences);
    expect(result.normalizedAway).toBe(0);
  });

  it('keeps the real difference and counts the false ones', () => {
    const result = normalizeResourceDrift({
      status: 'MODIFIED',
      expectedProperties: { VisibilityTimeout: 30, DelaySeconds: 0 },
      actualProperties: { VisibilityTimeout: 120, DelaySeconds: '0' },
      differences: [diff('VisibilityTimeout', 30, 120), diff('DelaySeconds', 0, '0')],
    });
    expect(result).toEqual({ status: 'MODIFIED', differences: [diff('VisibilityTimeout', 30, 120)], normalizedAway: 1 });
  });

  it('says "could not verify" (NOT_CHECKED) when a plain list only changed order', () => {
    const differences = [diff('SecurityGroupIds.0', 'sg-1', 'sg-2'), diff('SecurityGroupIds.1', 'sg-2', 'sg-1')];
    const result = normalizeResourceDrift({
      status: 'MODIFIED',
      expectedProperties: { SecurityGroupIds: ['sg-1', 'sg-2'] },
      actualProperties: { SecurityGroupIds: ['sg-2', 'sg-1'] },
      differences,
    });
    expect(result).toEqual({ status: 'NOT_CHECKED', differences, normalizedAway: 0 });
  });

  it.each(['IN_SYNC', 'DELETED', 'NOT_CHECKED'] as const)('leaves a %s resource as it is', (status) => {
    expect(normalizeResourceDrift({ status, differences: [] })).toEqual({ status, differences: [], normalizedAway: 0 });
  });

  it('leaves a MODIFIED resource without differences MODIFIED', () => {
    expect(normalizeResourceDrift({ status: 'MODIFIED', differences: [] }).status).toBe('MODIFIED');
  });
});

describe('sameDriftValue', () => {
  it.each([
    [30, '30', true],
    ['30', 30, true],
    [true, 'True', true],
    [false, 'false', true],
    ['30', '30.0', false],
    [30, '30s', false],
    [1, true, false],
    [null, undefined, false],
    [[1, 2], [2, 1], false],
    [{ a: 1 }, '{"a":"1"}', true],
    ['not json {', 'not json {', true],
  ])('%j vs %j -> %s', (a, b, same) => {
    expect(sameDriftValue(a, b)).toBe(same);
  });
});

describe('AWS drift values', () => {
  it.each([
    ['/VisibilityTimeout', 'VisibilityTimeout'],
    ['/Tags/0/Value', 'Tags.0.Value'],
    ['/Policies/0/PolicyDocument/Statement/1/Action', 'Policies.0.PolicyDocument.Statement.1.Action'],
    ['/Attributes/a~1b', 'Attributes.a/b'],
  ])('turns the pointer %s into the path %s', (pointer, path) => {
    expect(pointerToPath(pointer)).toBe(path);
  });

  it.each([
    ['30', 30],
    ['true', true],
    ['{"a":[1,"b"]}', { a: [1, 'b'] }],
    ['["x"]', ['x']],
    ['1.10', '1.10'],
    ['007', '007'],
    ['arn:aws:sqs:us-east-1:123456789012:dlq', 'arn:aws:sqs:us-east-1:123456789012:dlq'],
    ['{not json', '{not json'],
  ])('parses %j as %j', (raw, value) => {
    expect(parseAwsValue(raw)).toEqual(value);
  });
});
