import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../src/iac/cloudformation/parse-template.js';
import { applyJsonEdits } from '../../src/reconcile/apply-json-edits.js';
import type { ValueEdit } from '../../src/reconcile/types.js';
import { lineChanges } from './line-changes.js';

function propertiesOf(text: string, logicalId: string): Record<string, unknown> {
  const result = parseTemplate('template.json', text);
  if (!result.ok) throw new Error(`does not parse: line ${result.error.line}: ${result.error.message}`);
  const resource = result.template.resources.find((candidate) => candidate.logicalId === logicalId);
  if (!resource) throw new Error(`no resource ${logicalId}`);
  return resource.properties;
}

const set = (resource: string, path: ValueEdit['path'], value: unknown): ValueEdit => ({ resource, path, op: { kind: 'set', value } });
const tag = (resource: string, key: string, value: string): ValueEdit => ({ resource, path: ['Tags'], op: { kind: 'tag', key, value } });

const ORDERS = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": { "Env": { "Type": "String" } },
  "Resources": {
    "OrdersQueue": {
      "Type": "AWS::SQS::Queue",
      "Properties": {
        "QueueName": { "Fn::Sub": "orders-\${Env}" },
        "VisibilityTimeout": 30,
        "RedrivePolicy": {
          "deadLetterTargetArn": { "Fn::GetAtt": ["OrdersDlq", "Arn"] },
          "maxReceiveCount": 5
        }
      }
    },
    "OrdersDlq": {
      "Type": "AWS::SQS::Queue"
    },
    "ArchiveBucket": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "Tags": [
          { "Key": "team", "Value": "orders" },
          { "Key": "env", "Value": { "Ref": "Env" } }
        ]
      }
    }
  }
}
`;

describe('applyJsonEdits: the drift the pull request writes back', () => {
  it('sets a hotfixed VisibilityTimeout to 120 and adds the owner tag after the existing ones, nothing else changed', () => {
    const result = applyJsonEdits(ORDERS, [set('OrdersQueue', ['VisibilityTimeout'], 120), tag('ArchiveBucket', 'owner', 'platform')]);
    expect(result.refused).toEqual([]);
    expect(lineChanges(ORDERS, result.text)).toEqual({
      removed: ['        "VisibilityTimeout": 30,', '          { "Key": "env", "Value": { "Ref": "Env" } }'],
      added: ['        "VisibilityTimeout": 120,', '          { "Key": "env", "Value": { "Ref": "Env" } },', '          { "Key": "owner", "Value": "platform" }'],
    });
    expect(propertiesOf(result.text, 'OrdersQueue').VisibilityTimeout).toBe(120);
    expect(propertiesOf(result.text, 'ArchiveBucket').Tags).toEqual([
      { Key: 'team', Value: 'orders' },
      { Key: 'env', Value: { Ref: 'Env' } },
      { Key: 'owner', Value: 'platform' },
    ]);
  });

  it('updates an existing tag in place', () => {
    const result = applyJsonEdits(ORDERS, [tag('ArchiveBucket', 'team', 'payments')]);
    expect(lineChanges(ORDERS, result.text)).toEqual({
      removed: ['          { "Key": "team", "Value": "orders" },'],
      added: ['          { "Key": "team", "Value": "payments" },'],
    });
  });

  it.each([
    ['Fn::Sub', set('OrdersQueue', ['QueueName'], 'orders-prod')],
    ['Fn::GetAtt', set('OrdersQueue', ['RedrivePolicy', 'deadLetterTargetArn'], 'arn:aws:sqs:us-east-1:123456789012:dlq')],
    ['Ref', tag('ArchiveBucket', 'env', 'prod')],
  ])('never edits a declared %s: refused as an expression, text unchanged', (name, edit) => {
    const result = applyJsonEdits(ORDERS, [edit]);
    expect(result.text).toBe(ORDERS);
    expect(result.refused).toEqual([{ edit, reason: 'expression', detail: expect.stringContaining(`(${name})`) }]);
  });

  it('does not replace an object that holds an expression as a whole', () => {
    const edit = set('OrdersQueue', ['RedrivePolicy'], { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:123456789012:dlq', maxReceiveCount: 10 });
    const result = applyJsonEdits(ORDERS, [edit]);
    expect(result.text).toBe(ORDERS);
    expect(result.refused).toEqual([{ edit, reason: 'expression', detail: expect.stringContaining('holds an expression (Fn::GetAtt)') }]);
  });

  it('adds a nested key after the last one of its object, in the file indentation', () => {
    const result = applyJsonEdits(ORDERS, [set('OrdersQueue', ['RedrivePolicy', 'maxReceiveCount'], 10), set('OrdersQueue', ['KmsMasterKeyId'], 'alias/aws/sqs')]);
    expect(result.refused).toEqual([]);
    expect(lineChanges(ORDERS, result.text)).toEqual({
      removed: ['          "maxReceiveCount": 5', '        }'],
      added: ['          "maxReceiveCount": 10', '        },', '        "KmsMasterKeyId": "alias/aws/sqs"'],
    });
    expect(propertiesOf(result.text, 'OrdersQueue').KmsMasterKeyId).toBe('alias/aws/sqs');
  });

  it('adds Properties to a resource that has none', () => {
    const result = applyJsonEdits(ORDERS, [tag('OrdersDlq', 'owner', 'platform')]);
    expect(lineChanges(ORDERS, result.text)).toEqual({
      removed: ['      "Type": "AWS::SQS::Queue"'],
      added: [
        '      "Type": "AWS::SQS::Queue",',
        '      "Properties": {',
        '        "Tags": [',
        '          {',
        '            "Key": "owner",',
        '            "Value": "platform"',
        '          }',
        '        ]',
        '      }',
      ],
    });
    expect(propertiesOf(result.text, 'OrdersDlq')).toEqual({ Tags: [{ Key: 'owner', Value: 'platform' }] });
  });

  it('keeps tabs and CRLF line endings, on the lines it adds too', () => {
    const text = ORDERS.replace(/ {2}/g, '\t').replace(/\n/g, '\r\n');
    const result = applyJsonEdits(text, [set('OrdersQueue', ['VisibilityTimeout'], 120), set('OrdersDlq', ['DelaySeconds'], 1)]);
    expect(result.refused).toEqual([]);
    expect(result.text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(lineChanges(text, result.text)).toEqual({
      removed: ['\t\t\t\t"VisibilityTimeout": 30,', '\t\t\t"Type": "AWS::SQS::Queue"'],
      added: ['\t\t\t\t"VisibilityTimeout": 120,', '\t\t\t"Type": "AWS::SQS::Queue",', '\t\t\t"Properties": {', '\t\t\t\t"DelaySeconds": 1', '\t\t\t}'],
    });
  });

  it('edits a value inside a list of objects by index, and a compact one-line template in its own spacing', () => {
    const text = '{"Resources":{"Topic":{"Type":"AWS::SNS::Topic","Properties":{"Subscription":[{"Protocol":"email","Endpoint":"ops@example.com"}]}}}}';
    const result = applyJsonEdits(text, [set('Topic', ['Subscription', 0, 'Endpoint'], 'oncall@example.com'), set('Topic', ['DisplayName'], 'Orders')]);
    expect(result.refused).toEqual([]);
    expect(result.text).toBe('{"Resources":{"Topic":{"Type":"AWS::SNS::Topic","Properties":{"Subscription":[{"Protocol":"email","Endpoint":"oncall@example.com"}],"DisplayName":"Orders"}}}}');
  });

  it('writes a number returned as text over a declared number as a number', () => {
    const result = applyJsonEdits(ORDERS, [set('OrdersQueue', ['VisibilityTimeout'], '120')]);
    expect(lineChanges(ORDERS, result.text).added).toEqual(['        "VisibilityTimeout": 120,']);
  });

  it('escapes strings and keeps them strings', () => {
    const value = 'line one\nline "two" \u2028 yes';
    const result = applyJsonEdits(ORDERS, [set('OrdersQueue', ['RedrivePolicy', 'maxReceiveCount'], value)]);
    expect(propertiesOf(result.text, 'OrdersQueue').RedrivePolicy).toMatchObject({ maxReceiveCount: value });
  });

  it('says a resource that is not in the template is not found', () => {
    const result = applyJsonEdits(ORDERS, [set('Nope', ['A'], 1)]);
    expect(result.refused[0]).toMatchObject({ reason: 'not-found', detail: 'resource Nope is not in this template' });
  });

  it('refuses every edit of a file that is not JSON, without throwing', () => {
    const text = ORDERS.replace('"VisibilityTimeout": 30,', '"VisibilityTimeout": 30');
    const result = applyJsonEdits(text, [set('OrdersQueue', ['VisibilityTimeout'], 120), tag('ArchiveBucket', 'owner', 'x')]);
    expect(result.text).toBe(text);
    expect(result.refused.map((refusal) => refusal.reason)).toEqual(['unparseable', 'unparseable']);
    expect(result.refused[0]!.detail).toContain('not valid JSON');
  });

  it('refuses a value JSON cannot hold', () => {
    const result = applyJsonEdits(ORDERS, [set('OrdersQueue', ['VisibilityTimeout'], Number.NaN)]);
    expect(result.text).toBe(ORDERS);
    expect(result.refused[0]?.reason).toBe('not-literal');
  });
});
