import { describe, expect, it } from 'vitest';
import { computeChanges } from '../../src/iac/cloudformation/compute-changes.js';
import { computeSamGenerated } from '../../src/iac/cloudformation/compute-sam-generated.js';
import { parseTemplate } from '../../src/iac/cloudformation/parse-template.js';
import type { DeclaredTemplate } from '../../src/types.js';

const SAM = `Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: ./src
      MemorySize: 128
      AutoPublishAlias: live
      Policies:
        - SQSPollerPolicy:
            QueueName: orders
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: arn:aws:sqs:us-east-1:123456789012:orders
            BatchSize: 10
        Hourly:
          Type: Schedule
          Properties:
            Schedule: rate(1 hour)
        GetOrder:
          Type: Api
          Properties:
            Path: /orders/{id}
            Method: get
  Uploads:
    Type: AWS::S3::Bucket
  Thumbs:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: ./thumbs
      Role: arn:aws:iam::123456789012:role/thumbs
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket:
              Ref: Uploads
            Events: s3:ObjectCreated:*
  Public:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      Domain:
        DomainName: api.example.com
        CertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/abc
`;

/** Logical id -> type of every resource SAM generates from SAM, as drift detection lists them. */
const LIVE = new Map(
  Object.entries({
    Orders: 'AWS::Lambda::Function',
    OrdersRole: 'AWS::IAM::Role',
    OrdersAliaslive: 'AWS::Lambda::Alias',
    OrdersVersion640f7b0a1e: 'AWS::Lambda::Version',
    OrdersJobs: 'AWS::Lambda::EventSourceMapping',
    OrdersHourly: 'AWS::Events::Rule',
    OrdersHourlyPermission: 'AWS::Lambda::Permission',
    OrdersGetOrderPermissionProd: 'AWS::Lambda::Permission',
    ServerlessRestApi: 'AWS::ApiGateway::RestApi',
    ServerlessRestApiProdStage: 'AWS::ApiGateway::Stage',
    ServerlessRestApiDeployment47fc2d5f9d: 'AWS::ApiGateway::Deployment',
    Uploads: 'AWS::S3::Bucket',
    Thumbs: 'AWS::Lambda::Function',
    ThumbsUploadPermission: 'AWS::Lambda::Permission',
    Public: 'AWS::ApiGateway::RestApi',
    Publicv1Stage: 'AWS::ApiGateway::Stage',
    PublicDomainName: 'AWS::ApiGateway::DomainName',
    PublicBasePathMapping: 'AWS::ApiGateway::BasePathMapping',
  }),
);

function parsed(text: string): DeclaredTemplate {
  const result = parseTemplate('template.yaml', text);
  if (!result.ok) throw new Error(`line ${result.error.line}: ${result.error.message}`);
  return result.template;
}

function edited(from: string, to: string): DeclaredTemplate {
  if (!SAM.includes(from)) throw new Error(`fixture has no "${from}"`);
  return parsed(SAM.replace(from, to));
}

/** generated logical id -> [source, properties that reach it] for one edit. */
function generated(head: DeclaredTemplate): Record<string, [string, string[]]> {
  const base = parsed(SAM);
  const changes = computeChanges(base, head);
  const declared = new Set(head.resources.map((r) => r.logicalId));
  return Object.fromEntries(computeSamGenerated(changes, LIVE, declared).map((c) => [c.logicalId, [c.generatedBy!.logicalId, c.generatedBy!.properties]]));
}

describe('resources SAM generates, reached by an edit of what generates them', () => {
  it.each<[string, string, string, Record<string, [string, string[]]>]>([
    ['a policy reaches the role only', 'QueueName: orders', 'QueueName: orders-v2', { OrdersRole: ['Orders', ['Policies']] }],
    ['the memory reaches the alias (a new version), not the role', 'MemorySize: 128', 'MemorySize: 256', { OrdersAliaslive: ['Orders', ['MemorySize']] }],
    ['the code reaches the alias', 'CodeUri: ./src', 'CodeUri: ./src2', { OrdersAliaslive: ['Orders', ['CodeUri']] }],
    ['the handler reaches nothing SAM generates', 'Handler: index.handler\n      CodeUri: ./src', 'Handler: main.handler\n      CodeUri: ./src', {}],
    [
      'a pull event reaches its mapping and the role (its poller policy)',
      'BatchSize: 10',
      'BatchSize: 5',
      { OrdersRole: ['Orders', ['Events.Jobs']], OrdersJobs: ['Orders', ['Events.Jobs']] },
    ],
    [
      'a schedule reaches its rule and permission, not the role',
      'rate(1 hour)',
      'rate(2 hours)',
      { OrdersHourly: ['Orders', ['Events.Hourly']], OrdersHourlyPermission: ['Orders', ['Events.Hourly']] },
    ],
    [
      'an Api event reaches its permission, the implicit API and its stage',
      'Path: /orders/{id}',
      'Path: /orders/{orderId}',
      {
        OrdersGetOrderPermissionProd: ['Orders', ['Events.GetOrder']],
        ServerlessRestApi: ['Orders', ['Events.GetOrder']],
        ServerlessRestApiProdStage: ['Orders', ['Events.GetOrder']],
      },
    ],
    [
      'an S3 event reaches its permission and the bucket whose notifications SAM writes',
      'Events: s3:ObjectCreated:*',
      'Events: s3:ObjectRemoved:*',
      { ThumbsUploadPermission: ['Thumbs', ['Events.Upload']], Uploads: ['Thumbs', ['Events.Upload']] },
    ],
    ['a function with its own Role has no generated role', 'CodeUri: ./thumbs', 'CodeUri: ./thumbs2', {}],
    [
      "an API's domain reaches its stage (a new deployment) and its domain resources",
      'DomainName: api.example.com',
      'DomainName: api2.example.com',
      {
        Publicv1Stage: ['Public', ['Domain']],
        PublicDomainName: ['Public', ['Domain']],
        PublicBasePathMapping: ['Public', ['Domain']],
      },
    ],
  ])('%s', (_case, from, to, expected) => {
    expect(generated(edited(from, to))).toEqual(expected);
  });

  it('follows a Globals change into the role of every function that takes it', () => {
    const withGlobals = (tracing: string) => parsed(`Globals:\n  Function:\n    Tracing: ${tracing}\n${SAM}`);
    const base = withGlobals('PassThrough');
    const changes = computeChanges(base, withGlobals('Active'));
    const ids = computeSamGenerated(changes, LIVE, new Set()).map((c) => c.logicalId);
    expect(ids).toContain('OrdersRole');
    expect(ids).not.toContain('ThumbsRole');
  });

  it('leaves a logical id the template declares itself to that declaration', () => {
    const head = edited('QueueName: orders', 'QueueName: orders-v2');
    const changes = computeChanges(parsed(SAM), head);
    expect(computeSamGenerated(changes, LIVE, new Set(['OrdersRole']))).toEqual([]);
  });

  it('reaches the policies of a connector that changed', () => {
    const connected = (permission: string) =>
      parsed(`Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Serverless::Function
    Connectors:
      JobsConn:
        Properties:
          Destination:
            Id: Jobs
          Permissions: [${permission}]
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: exports.handler = async () => 1
`);
    const changes = computeChanges(connected('Read'), connected('Read, Write'));
    expect(changes.map((c) => [c.logicalId, c.changedAttributes])).toEqual([['Worker', ['Connectors']]]);
    const live = new Map([['WorkerJobsConnPolicy', 'AWS::IAM::ManagedPolicy'], ['WorkerRole', 'AWS::IAM::Role']]);
    expect(computeSamGenerated(changes, live, new Set()).map((c) => [c.logicalId, c.generatedBy!.properties])).toEqual([
      ['WorkerJobsConnPolicy', ['Connectors.JobsConn']],
    ]);
  });
});

describe('which live logical ids a generated name matches', () => {
  const template = (version: string) =>
    parsed(`Transform: AWS::Serverless-2016-10-31
Resources:
  Shared:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      Domain:
        DomainName: ${version}.example.com
        CertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/abc
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      StageName: ${version}
  Fn.x:
    Type: AWS::Serverless::Function
    Connectors:
      Conn:
        Properties:
          Destination: [{ Id: Shared }, { Id: Http }]
          Permissions: [${version === 'a' ? 'Read' : 'Read, Write'}]
    Properties:
      Handler: ${version}
      AutoPublishAlias: live
      AutoPublishAliasAllProperties: true
      Events:
        Get:
          Type: Api
          Properties: { Path: /${version}, RestApiId: { Ref: Shared } }
        Put:
          Type: Api
          Properties: { Path: /${version} }
`);

  it('matches each pattern on its own prefix, in the order drift detection lists them', () => {
    // Near misses around each pattern: an empty or non-alphanumeric tail, a regex metacharacter
    // in the logical id taken literally, another resource's prefix.
    const ids = [
      'Fn.xAliaslive',
      'FnxxAliaslive',
      'Fn.xAlias',
      'Fn.xAliaslive-2',
      'Fn.xAliasLive2',
      'Fn.xGetPermission',
      'Fn.xGetPermissionProd',
      'Fn.xGetPermission_Prod',
      'Fn.xGetPermissionBeta',
      'Fn.xPutPermissionProd',
      'Fn.xPutPermissionProdStage',
      'ServerlessRestApiProdStage',
      'ServerlessRestApiBetaStage',
      'ServerlessRestApiStage',
      'ServerlessRestApiPr-dStage',
      'ServerlessRestApi',
      'Sharedv1Stage',
      'SharedStage',
      'SharedBasePathMapping',
      'SharedBasePathMappingV1',
      'SharedBasePathMapping-',
      'SharedDomainName',
      'HttpApiGatewayDefaultStage',
      'Httpv2Stage',
      'Fn.xConnPolicy',
      'Fn.xConnPolicyDestination0',
      'Fn.xConnPolicyDestination',
      'Fn.xConnQueuePolicyDestination1',
      'Fn.xConnLambdaPermission',
      'Fn.xConnSharedLambdaPermissionDestination12',
      'Fn.xConnTopicPolicyX',
      'Fn.xConnXPolicy',
      'Fn.xConn',
    ];
    const live = new Map(ids.map((id) => [id, 'AWS::Test::Thing']));
    const head = template('b');
    const changes = computeChanges(template('a'), head);
    const declared = new Set(head.resources.map((r) => r.logicalId));
    expect(computeSamGenerated(changes, live, declared).map((c) => [c.logicalId, c.generatedBy!.logicalId, c.generatedBy!.properties])).toEqual([
      ['Sharedv1Stage', 'Shared', ['Domain']],
      ['SharedDomainName', 'Shared', ['Domain']],
      ['SharedBasePathMapping', 'Shared', ['Domain']],
      ['SharedBasePathMappingV1', 'Shared', ['Domain']],
      ['HttpApiGatewayDefaultStage', 'Http', ['StageName']],
      ['Httpv2Stage', 'Http', ['StageName']],
      ['Fn.xAliaslive', 'Fn.x', ['Handler', 'Events']],
      ['Fn.xAliasLive2', 'Fn.x', ['Handler', 'Events']],
      ['Fn.xGetPermission', 'Fn.x', ['Events.Get']],
      ['Fn.xGetPermissionProd', 'Fn.x', ['Events.Get']],
      ['Fn.xGetPermissionBeta', 'Fn.x', ['Events.Get']],
      ['Fn.xPutPermissionProd', 'Fn.x', ['Events.Put']],
      ['Fn.xPutPermissionProdStage', 'Fn.x', ['Events.Put']],
      ['ServerlessRestApi', 'Fn.x', ['Events.Put']],
      ['ServerlessRestApiProdStage', 'Fn.x', ['Events.Put']],
      ['ServerlessRestApiBetaStage', 'Fn.x', ['Events.Put']],
      ['Fn.xConnPolicy', 'Fn.x', ['Connectors.Conn']],
      ['Fn.xConnPolicyDestination0', 'Fn.x', ['Connectors.Conn']],
      ['Fn.xConnQueuePolicyDestination1', 'Fn.x', ['Connectors.Conn']],
      ['Fn.xConnLambdaPermission', 'Fn.x', ['Connectors.Conn']],
      ['Fn.xConnSharedLambdaPermissionDestination12', 'Fn.x', ['Connectors.Conn']],
    ]);
  });
});

describe('a generated resource that several sources reach', () => {
  const functions = (path: string) =>
    parsed(`Transform: AWS::Serverless-2016-10-31
Resources:
${['First', 'Second']
  .map(
    (name) => `  ${name}:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Events:
        Get: { Type: Api, Properties: { Path: /${path} } }
        Put: { Type: Api, Properties: { Path: /${path}, Method: put } }
`,
  )
  .join('')}`);

  it('is named by the first source, with every property of it that reaches it', () => {
    const changes = computeChanges(functions('a'), functions('b'));
    const live = new Map([
      ['ServerlessRestApiProdStage', 'AWS::ApiGateway::Stage'],
      ['ServerlessRestApiBetaStage', 'AWS::ApiGateway::Stage'],
      ['SecondGetPermissionProd', 'AWS::Lambda::Permission'],
    ]);
    expect(computeSamGenerated(changes, live, new Set()).map((c) => [c.logicalId, c.generatedBy!.logicalId, c.generatedBy!.properties])).toEqual([
      ['ServerlessRestApiProdStage', 'First', ['Events.Get', 'Events.Put']],
      ['ServerlessRestApiBetaStage', 'First', ['Events.Get', 'Events.Put']],
      ['SecondGetPermissionProd', 'Second', ['Events.Get']],
    ]);
  });
});
