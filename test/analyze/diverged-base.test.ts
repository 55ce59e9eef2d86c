import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import type { DeclaredResource } from '../../src/types.js';
import { input, live, liveState, resource, template } from './builders.js';

const baseQueue = () =>
  resource('OrdersQueue', { VisibilityTimeout: 30, RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, maxReceiveCount: 3 }, FifoQueue: true }, { dependsOn: ['Dlq', 'Key'] });
const headQueue = () => ({ ...baseQueue(), properties: { ...baseQueue().properties, DelaySeconds: 5 } });

function withDeployed(deployed: DeclaredResource[]) {
  const base = baseQueue();
  const head = headQueue();
  return analyze({ ...input([base], [head], liveState([live('OrdersQueue', 'IN_SYNC')])), deployed: template(deployed) });
}

describe('the deployed template against the base branch', () => {
  it.each<[string, DeclaredResource[], string[]]>([
    ['stays quiet when the deployed template is the base', [baseQueue()], []],
    [
      'stays quiet when they differ only in key order, number-vs-string scalars and DependsOn order',
      [
        resource('OrdersQueue', { FifoQueue: 'true', RedrivePolicy: { maxReceiveCount: '3', deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } }, VisibilityTimeout: '30' }, { dependsOn: ['Key', 'Dlq'] }),
      ],
      [],
    ],
    ['warns when a property runs with another value than the base says', [resource('OrdersQueue', { ...baseQueue().properties, VisibilityTimeout: 60 }, { dependsOn: ['Dlq', 'Key'] })], ['VisibilityTimeout']],
    ['warns when a nested value differs', [resource('OrdersQueue', { ...baseQueue().properties, RedrivePolicy: { maxReceiveCount: 5 } }, { dependsOn: ['Dlq', 'Key'] })], ['RedrivePolicy']],
    ['warns when the deployed DependsOn differs', [resource('OrdersQueue', baseQueue().properties, { dependsOn: ['Dlq'] })], ['DependsOn']],
    ['warns when the deployed type differs', [resource('OrdersQueue', baseQueue().properties, { dependsOn: ['Dlq', 'Key'], type: 'AWS::SNS::Topic' })], ['Type']],
  ])('%s', (_name, deployed, paths) => {
    const findings = withDeployed(deployed).findings;
    expect(findings.map((f) => f.evidence.map((e) => e.path))).toEqual(paths.length ? [paths] : []);
    for (const finding of findings) {
      expect(finding).toMatchObject({ rule: 'diverged-base', severity: 'warn', resource: 'OrdersQueue' });
      expect(finding.message).toContain('the base is not what runs');
    }
  });

  it('shows base, head and deployed values side by side', () => {
    const [finding] = withDeployed([resource('OrdersQueue', { ...baseQueue().properties, VisibilityTimeout: 60 }, { dependsOn: ['Dlq', 'Key'] })]).findings;
    expect(finding!.evidence).toEqual([{ path: 'VisibilityTimeout', base: 30, head: 30, expected: 60 }]);
  });

  it('warns when the resource the PR edits is not in the deployed template at all', () => {
    const [finding] = withDeployed([]).findings;
    expect(finding!.message).toBe('OrdersQueue is on the base branch but not in the deployed template: the base is not what runs.');
  });

  it('does nothing when the deployed template could not be read', () => {
    expect(analyze(input([baseQueue()], [headQueue()], liveState([live('OrdersQueue', 'IN_SYNC')]))).findings).toEqual([]);
  });

  it('redacts a password that differs between base and deployed', () => {
    const db = (pw: string) => resource('Db', { MasterUserPassword: pw, AllocatedStorage: 20 });
    const head = resource('Db', { MasterUserPassword: 'base-pw', AllocatedStorage: 30 });
    const result = analyze({ ...input([db('base-pw')], [head], liveState([])), deployed: template([db('deployed-pw')]) });
    expect(result.findings[0]!.evidence).toEqual([{ path: 'MasterUserPassword', base: '***', head: '***', expected: '***', redacted: true }]);
  });
});

describe('templates deployed with sam deploy / aws cloudformation package', () => {
  /** Base and deployed versions of one resource the PR edits (head adds a Description). */
  function diverged(type: string, baseProps: Record<string, unknown>, deployedProps: Record<string, unknown>) {
    const base = resource('Thing', baseProps, { type });
    const head = resource('Thing', { ...baseProps, Description: 'edited' }, { type });
    const deployed = resource('Thing', deployedProps, { type });
    const result = analyze({ ...input([base], [head], liveState([live('Thing', 'IN_SYNC', [], type)])), deployed: template([deployed]) });
    return result.findings.flatMap((f) => f.evidence.map((e) => e.path));
  }
  const s3Object = { S3Bucket: 'artifacts-123', S3Key: 'orders/5f2b1c.zip' };

  it.each<[string, string, Record<string, unknown>, Record<string, unknown>, string[]]>([
    ['a SAM function whose CodeUri ./src was uploaded to s3://', 'AWS::Serverless::Function', { CodeUri: './src', Runtime: 'nodejs20.x' }, { CodeUri: 's3://artifacts-123/orders/5f2b1c', Runtime: 'nodejs20.x' }, []],
    ['a SAM function whose CodeUri became { Bucket, Key }', 'AWS::Serverless::Function', { CodeUri: 'src/' }, { CodeUri: { Bucket: 'artifacts-123', Key: 'orders/5f2b1c' } }, []],
    ['a SAM function with no CodeUri on the base (set in Globals)', 'AWS::Serverless::Function', { Runtime: 'nodejs20.x' }, { CodeUri: 's3://artifacts-123/orders/5f2b1c', Runtime: 'nodejs20.x' }, []],
    ['a Lambda function whose Code: build/ was uploaded', 'AWS::Lambda::Function', { Code: 'build/', Handler: 'index.handler' }, { Code: s3Object, Handler: 'index.handler' }, []],
    ['a Lambda layer whose Content was uploaded', 'AWS::Lambda::LayerVersion', { Content: 'layer/' }, { Content: s3Object }, []],
    [
      'a nested stack whose TemplateURL nested.yaml was uploaded',
      'AWS::CloudFormation::Stack',
      { TemplateURL: 'nested.yaml' },
      { TemplateURL: 'https://s3.us-east-1.amazonaws.com/artifacts-123/orders/9a1e.template' },
      [],
    ],
    [
      'a nested stack uploaded to a virtual-hosted bucket URL',
      'AWS::CloudFormation::Stack',
      { TemplateURL: './stacks/network.yaml' },
      { TemplateURL: 'https://artifacts-123.s3.eu-west-1.amazonaws.com/orders/9a1e.template' },
      [],
    ],
    ['a SAM API whose DefinitionUri was uploaded', 'AWS::Serverless::Api', { DefinitionUri: 'openapi.yaml', StageName: 'prod' }, { DefinitionUri: 's3://artifacts-123/orders/api.yaml', StageName: 'prod' }, []],
    ['a REST API whose BodyS3Location was uploaded', 'AWS::ApiGateway::RestApi', { BodyS3Location: 'api/openapi.yaml' }, { BodyS3Location: { Bucket: 'artifacts-123', Key: 'orders/api.yaml' } }, []],
    ['a Beanstalk version whose SourceBundle was uploaded', 'AWS::ElasticBeanstalk::ApplicationVersion', { ApplicationName: 'orders', SourceBundle: 'app.zip' }, { ApplicationName: 'orders', SourceBundle: s3Object }, []],
    // still compared: not a packaging rewrite
    ['still warns when both sides are S3 locations that differ', 'AWS::Serverless::Function', { CodeUri: 's3://artifacts-123/orders/old' }, { CodeUri: 's3://artifacts-123/orders/new' }, ['CodeUri']],
    ['still warns when the deployed nested template is on another host', 'AWS::CloudFormation::Stack', { TemplateURL: 'nested.yaml' }, { TemplateURL: 'https://example.com/nested.yaml' }, ['TemplateURL']],
    ['still warns when the base has inline code and deployed has an S3 object', 'AWS::Lambda::Function', { Code: { ZipFile: 'exports.handler = 1' } }, { Code: s3Object }, ['Code']],
    ['still warns about other properties of a packaged function', 'AWS::Serverless::Function', { CodeUri: './src', MemorySize: 128 }, { CodeUri: 's3://artifacts-123/x', MemorySize: 512 }, ['MemorySize']],
    ['still warns about a property that is not an artifact on this type', 'AWS::SQS::Queue', { CodeUri: './src' }, { CodeUri: 's3://artifacts-123/x' }, ['CodeUri']],
  ])('%s', (_name, type, baseProps, deployedProps, paths) => {
    expect(diverged(type, baseProps, deployedProps)).toEqual(paths);
  });
});
