// The names configured targets declare: CloudFormation name properties and exports, and
// Terraform name attributes, literal ones only.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadHclGrammar } from '../../src/iac/terraform/load-hcl-grammar.js';
import { parseRoot } from '../../src/iac/terraform/parse-root.js';
import { parseTemplate } from '../../src/iac/cloudformation/parse-template.js';
import { cloudFormationNames, exportNames, terraformNames } from '../../src/references/compute-declared-names.js';

beforeAll(loadHclGrammar);

const TEMPLATE = `Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: jobs-prod
  Built:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub '\${AWS::StackName}-built'
  Files:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: acme-files
Outputs:
  JobsUrl:
    Value: !Ref Jobs
    Export:
      Name: orders-JobsUrl
  Computed:
    Value: !Ref Jobs
    Export:
      Name: !Sub '\${AWS::StackName}-Url'
`;

describe('CloudFormation', () => {
  it('lists literal names with their lines, and leaves names built at deploy time out', () => {
    const parsed = parseTemplate('infra/jobs.yaml', TEMPLATE);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(cloudFormationNames('jobs', parsed.template)).toEqual([
      { type: 'AWS::SQS::Queue', name: 'jobs-prod', target: 'jobs', file: 'infra/jobs.yaml', line: 5 },
      { type: 'AWS::S3::Bucket', name: 'acme-files', target: 'jobs', file: 'infra/jobs.yaml', line: 13 },
    ]);
  });

  it('lists literal export names of the Outputs', () => {
    expect(exportNames('jobs', 'infra/jobs.yaml', TEMPLATE)).toEqual([{ type: 'export', name: 'orders-JobsUrl', target: 'jobs', file: 'infra/jobs.yaml', line: 18 }]);
  });
});

describe('Terraform', () => {
  it('lists literal name attributes of the resources', () => {
    const files = new Map([
      [
        'tf/main.tf',
        `resource "aws_sqs_queue" "jobs" {\n  name = "jobs-prod"\n}\n\nresource "aws_dynamodb_table" "orders" {\n  name = "\${var.env}-orders"\n  hash_key = "id"\n}\n\nresource "aws_s3_bucket" "files" {\n  bucket = "acme-files"\n}\n`,
      ],
    ]);
    expect(terraformNames('data', parseRoot('tf', files))).toEqual([
      { type: 'AWS::SQS::Queue', name: 'jobs-prod', target: 'data', file: 'tf/main.tf', line: 2 },
      { type: 'AWS::S3::Bucket', name: 'acme-files', target: 'data', file: 'tf/main.tf', line: 11 },
    ]);
  });
});
