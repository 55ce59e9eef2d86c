// A stack for reconcile: the queue's VisibilityTimeout was raised 30 -> 120 in the console,
// and the archive bucket got an `owner` tag by hand. The template has comments, a quoted
// value and an intrinsic, all of which must survive a reconcile untouched.
import nock from 'nock';
import { blobSha, githubPatch, type FakeRepo } from '../helpers/fake-github.js';
import { cfn, cfnOk, driftsXml, resourcesXml, stackXml, templateXml, XML, type DriftFixture, type ResourceFixture } from '../live/fake-aws.js';
import { BASE_SHA, HEAD_SHA, OWNER, REPO } from './fixtures.js';

export const TEMPLATE = 'infra/orders.yaml';

export const BASE = `AWSTemplateFormatVersion: '2010-09-09'
Description: Orders service
Resources:
  # the queue the workers read
  OrdersQueue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: orders-prod
      VisibilityTimeout: 30 # seconds
      MessageRetentionPeriod: 345600
  OrdersBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: orders-archive
      Tags:
        - Key: team
          Value: orders
        - Key: cost-center
          Value: finance
  OrdersTopic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !Sub '\${AWS::StackName}-events'
`;

/** What the reconcile pull request must hold: the two live values, every other byte as it was. */
export const RECONCILED = BASE.replace('VisibilityTimeout: 30 # seconds', 'VisibilityTimeout: 120 # seconds').replace(
  "        - Key: cost-center\n          Value: finance\n",
  "        - Key: cost-center\n          Value: finance\n        - Key: owner\n          Value: payments\n",
);

export const CONFIG = (mode = 'on-request') => `targets:
  - name: orders
    cloudformation:
      stack: orders-prod
      template: ${TEMPLATE}
      region: us-east-1
reconcile:
  mode: ${mode}
`;

/** The pull request someone opens: a longer retention on the same queue. */
export const HEAD = BASE.replace('MessageRetentionPeriod: 345600', 'MessageRetentionPeriod: 1209600');

export function reconcileRepo(extra: Partial<FakeRepo> = {}, mode = 'on-request'): FakeRepo {
  return {
    owner: OWNER,
    repo: REPO,
    config: CONFIG(mode),
    files: { [BASE_SHA]: { [TEMPLATE]: BASE }, [HEAD_SHA]: { [TEMPLATE]: HEAD } },
    pullFiles: { 2: [{ filename: TEMPLATE, patch: githubPatch(BASE, HEAD), sha: blobSha(HEAD) }] },
    permissions: { maintainer: 'maintain', reader: 'read' },
    pulls: { 2: { headSha: HEAD_SHA, baseSha: BASE_SHA } },
    ...extra,
  };
}

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-prod';
const RESOURCES: ResourceFixture[] = [
  { logicalId: 'OrdersQueue', physicalId: QUEUE_URL, type: 'AWS::SQS::Queue', drift: 'MODIFIED' },
  { logicalId: 'OrdersBucket', physicalId: 'orders-archive', type: 'AWS::S3::Bucket', drift: 'MODIFIED' },
  { logicalId: 'OrdersTopic', physicalId: 'arn:aws:sns:us-east-1:123456789012:orders-prod-events', type: 'AWS::SNS::Topic', drift: 'IN_SYNC' },
];

const TAGS = [{ Key: 'team', Value: 'orders' }, { Key: 'cost-center', Value: 'finance' }];

/** The drift records AWS keeps: both hotfixes, a minute old (reused, no new detection). */
export function drifted(): DriftFixture[] {
  const timestamp = new Date(Date.now() - 60_000).toISOString();
  return [
    {
      logicalId: 'OrdersQueue', physicalId: QUEUE_URL, type: 'AWS::SQS::Queue', status: 'MODIFIED', timestamp,
      expected: { QueueName: 'orders-prod', VisibilityTimeout: 30, MessageRetentionPeriod: 345600 },
      actual: { QueueName: 'orders-prod', VisibilityTimeout: 120, MessageRetentionPeriod: 345600 },
      differences: [{ path: '/VisibilityTimeout', expected: '30', actual: '120' }],
    },
    {
      logicalId: 'OrdersBucket', physicalId: 'orders-archive', type: 'AWS::S3::Bucket', status: 'MODIFIED', timestamp,
      expected: { BucketName: 'orders-archive', Tags: TAGS },
      actual: { BucketName: 'orders-archive', Tags: [...TAGS, { Key: 'owner', Value: 'payments' }] },
      differences: [{ path: '/Tags/2', expected: 'null', actual: '{"Key":"owner","Value":"payments"}', type: 'ADD' }],
    },
    { logicalId: 'OrdersTopic', physicalId: RESOURCES[2]!.physicalId, type: 'AWS::SNS::Topic', status: 'IN_SYNC', timestamp },
  ];
}

/** Live now matches `deployed` (a deploy of the reconciled template): every resource in sync. */
export function inSync(): DriftFixture[] {
  const timestamp = new Date(Date.now() - 60_000).toISOString();
  return RESOURCES.map((r) => ({ logicalId: r.logicalId, physicalId: r.physicalId, type: r.type, status: 'IN_SYNC' as const, timestamp }));
}

/** One read of the stack: DescribeStacks, GetTemplate, ListStackResources and the drift records. */
export function awsReads(drifts: DriftFixture[] = drifted(), deployed = BASE): void {
  cfn('DescribeStacks').reply(200, cfnOk('DescribeStacks', stackXml({ lastCheck: new Date(Date.now() - 60_000).toISOString() })), XML);
  cfn('GetTemplate', (p) => p.get('TemplateStage') === 'Original').reply(200, cfnOk('GetTemplate', templateXml(deployed)), XML);
  cfn('ListStackResources').reply(200, cfnOk('ListStackResources', resourcesXml(RESOURCES.map((r) => ({ ...r, drift: drifts.find((d) => d.logicalId === r.logicalId)!.status })))), XML);
  cfn('DescribeStackResourceDrifts').reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml(drifts)), XML);
}

export function pendingAws(): string[] {
  return nock.pendingMocks().filter((m) => !m.includes('api.github.com'));
}
