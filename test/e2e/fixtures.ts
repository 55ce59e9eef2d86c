// The repository and the stack the end-to-end tests talk about: an orders service whose
// queue was hotfixed in the console (VisibilityTimeout 30 -> 120), whose topic was
// deleted by hand, and whose database password comes from a NoEcho parameter.
import type { DriftFixture, ResourceFixture } from '../live/fake-aws.js';

export const OWNER = 'Codertocat';
export const REPO = 'Hello-World';
export const BASE_SHA = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
export const HEAD_SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
export const TEMPLATE_PATH = 'infra/orders.yaml';

export const CONFIG = `targets:
  - name: orders
    cloudformation:
      stack: orders-prod
      template: ${TEMPLATE_PATH}
      region: us-east-1
policy:
  unreadable: warn
`;

/** The API token below must never reach GitHub. */
export const API_TOKEN = 'tok_live_8f3a9c2e7d';
/** What AWS reports as the live database password after someone changed it by hand. */
export const LIVE_PASSWORD = 'Hunter2-rotated-by-hand';

export const BASE_TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Description: Orders service
Parameters:
  DbPassword:
    Type: String
    NoEcho: true
Resources:
  OrdersQueue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: orders-prod
      VisibilityTimeout: 30
      MessageRetentionPeriod: 345600
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: orders
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
  OrdersTopic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: orders-events
  OrdersDb:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.micro
      AllocatedStorage: '20'
      MasterUsername: orders
      MasterUserPassword: !Ref DbPassword
  OrdersFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt OrdersRole.Arn
      Code:
        ZipFile: exports.handler = async () => ({});
      Environment:
        Variables:
          QUEUE_URL: !Ref OrdersQueue
          API_TOKEN: ${API_TOKEN}
  OrdersRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
`;

/** Line numbers in BASE_TEMPLATE (and in heads that only change values). */
export const LINES = { queue: { start: 8, end: 13 }, table: { start: 14 }, topic: { start: 25 } };

export function edit(template: string, from: string, to: string): string {
  if (!template.includes(from)) throw new Error(`fixture edit: ${from} not in template`);
  return template.replace(from, to);
}

const arn = 'arn:aws:';
export const RESOURCES: ResourceFixture[] = [
  { logicalId: 'OrdersQueue', physicalId: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-prod', type: 'AWS::SQS::Queue', drift: 'MODIFIED' },
  { logicalId: 'OrdersTable', physicalId: 'orders', type: 'AWS::DynamoDB::Table', drift: 'IN_SYNC' },
  { logicalId: 'OrdersTopic', physicalId: `${arn}sns:us-east-1:123456789012:orders-events`, type: 'AWS::SNS::Topic', drift: 'DELETED' },
  { logicalId: 'OrdersDb', physicalId: 'orders-db-1', type: 'AWS::RDS::DBInstance', drift: 'MODIFIED' },
  { logicalId: 'OrdersFunction', physicalId: 'orders-prod-OrdersFunction-9Z8Y7X', type: 'AWS::Lambda::Function', drift: 'IN_SYNC' },
  { logicalId: 'OrdersRole', physicalId: 'orders-prod-OrdersRole-1A2B3C', type: 'AWS::IAM::Role', drift: 'IN_SYNC' },
];

/** When the drift records below were written: a minute ago, after the last deploy, so a run may reuse them. */
export const RECENT_CHECK = new Date(Date.now() - 60_000).toISOString();

export const DRIFTS: DriftFixture[] = ([
  {
    logicalId: 'OrdersQueue',
    physicalId: RESOURCES[0]!.physicalId,
    type: 'AWS::SQS::Queue',
    status: 'MODIFIED',
    expected: { QueueName: 'orders-prod', VisibilityTimeout: 30, MessageRetentionPeriod: 345600 },
    actual: { QueueName: 'orders-prod', VisibilityTimeout: 120, MessageRetentionPeriod: 345600 },
    differences: [{ path: '/VisibilityTimeout', expected: '30', actual: '120' }],
  },
  {
    logicalId: 'OrdersTable',
    physicalId: 'orders',
    type: 'AWS::DynamoDB::Table',
    status: 'IN_SYNC',
    expected: { TableName: 'orders', BillingMode: 'PAY_PER_REQUEST' },
    actual: { TableName: 'orders', BillingMode: 'PAY_PER_REQUEST' },
  },
  { logicalId: 'OrdersTopic', physicalId: RESOURCES[2]!.physicalId, type: 'AWS::SNS::Topic', status: 'DELETED', expected: { TopicName: 'orders-events' } },
  {
    logicalId: 'OrdersDb',
    physicalId: 'orders-db-1',
    type: 'AWS::RDS::DBInstance',
    status: 'MODIFIED',
    expected: { MasterUserPassword: 'correct-horse-battery', DBInstanceClass: 'db.t4g.micro' },
    actual: { MasterUserPassword: LIVE_PASSWORD, DBInstanceClass: 'db.t4g.micro' },
    differences: [{ path: '/MasterUserPassword', expected: 'correct-horse-battery', actual: LIVE_PASSWORD }],
  },
  { logicalId: 'OrdersFunction', physicalId: RESOURCES[4]!.physicalId, type: 'AWS::Lambda::Function', status: 'IN_SYNC' },
  { logicalId: 'OrdersRole', physicalId: RESOURCES[5]!.physicalId, type: 'AWS::IAM::Role', status: 'IN_SYNC' },
] satisfies DriftFixture[]).map((d) => ({ ...d, timestamp: RECENT_CHECK }));
