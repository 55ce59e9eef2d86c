// The declared layer, as names: which resources the configured targets declare with an
// explicit, literal name at the pull request's head (a CloudFormation `QueueName`, a
// Terraform `name`), and which stack exports their templates declare. Pure. A name built
// at deploy time (`!Sub`, `${var.env}-orders`) is not known here and is left out: a
// reference to it then reads "exists live, no target declares it", a note, never a block.
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { INTRINSIC_TAGS } from '../iac/cloudformation/intrinsic-tags.js';
import type { DeclaredTemplate, TerraformRoot } from '../types.js';
import type { DeclaredName, ReferenceType } from './types.js';

/** CloudFormation type -> the property that names it. */
export const CLOUDFORMATION_NAMES: Readonly<Record<string, { type: ReferenceType; property: string }>> = {
  'AWS::SQS::Queue': { type: 'AWS::SQS::Queue', property: 'QueueName' },
  'AWS::SNS::Topic': { type: 'AWS::SNS::Topic', property: 'TopicName' },
  'AWS::DynamoDB::Table': { type: 'AWS::DynamoDB::Table', property: 'TableName' },
  'AWS::DynamoDB::GlobalTable': { type: 'AWS::DynamoDB::Table', property: 'TableName' },
  'AWS::Lambda::Function': { type: 'AWS::Lambda::Function', property: 'FunctionName' },
  'AWS::Serverless::Function': { type: 'AWS::Lambda::Function', property: 'FunctionName' },
  'AWS::S3::Bucket': { type: 'AWS::S3::Bucket', property: 'BucketName' },
  'AWS::SecretsManager::Secret': { type: 'AWS::SecretsManager::Secret', property: 'Name' },
  'AWS::SSM::Parameter': { type: 'AWS::SSM::Parameter', property: 'Name' },
  'AWS::IAM::Role': { type: 'AWS::IAM::Role', property: 'RoleName' },
};

/** Terraform type -> the attribute that names it. */
export const TERRAFORM_NAMES: Readonly<Record<string, { type: ReferenceType; attribute: string }>> = {
  aws_sqs_queue: { type: 'AWS::SQS::Queue', attribute: 'name' },
  aws_sns_topic: { type: 'AWS::SNS::Topic', attribute: 'name' },
  aws_dynamodb_table: { type: 'AWS::DynamoDB::Table', attribute: 'name' },
  aws_lambda_function: { type: 'AWS::Lambda::Function', attribute: 'function_name' },
  aws_s3_bucket: { type: 'AWS::S3::Bucket', attribute: 'bucket' },
  aws_secretsmanager_secret: { type: 'AWS::SecretsManager::Secret', attribute: 'name' },
  aws_ssm_parameter: { type: 'AWS::SSM::Parameter', attribute: 'name' },
  aws_iam_role: { type: 'AWS::IAM::Role', attribute: 'name' },
};

export function cloudFormationNames(target: string, template: DeclaredTemplate): DeclaredName[] {
  return template.resources.flatMap((resource) => {
    const naming = CLOUDFORMATION_NAMES[resource.type];
    const name = naming ? resource.properties[naming.property] : undefined;
    if (!naming || typeof name !== 'string' || name === '') return [];
    const line = resource.propertySpans[naming.property]?.startLine ?? resource.span.startLine;
    return [{ type: naming.type, name, target, file: template.file, line }];
  });
}

export function terraformNames(target: string, root: TerraformRoot): DeclaredName[] {
  return root.blocks.flatMap((block) => {
    const naming = block.kind === 'resource' && block.type ? TERRAFORM_NAMES[block.type] : undefined;
    const attribute = naming ? block.attributes[naming.attribute] : undefined;
    if (!naming || attribute?.value.kind !== 'literal' || typeof attribute.value.value !== 'string' || attribute.value.value === '') return [];
    return [{ type: naming.type, name: attribute.value.value, target, file: block.file, line: attribute.span.startLine }];
  });
}

/**
 * `Outputs.<Id>.Export.Name` of a template, when a literal string (YAML or JSON: JSON is
 * YAML). The template already parsed (parseTemplate) for its resources; this reads only the
 * Outputs section, which DeclaredTemplate does not keep.
 */
export function exportNames(target: string, file: string, text: string): DeclaredName[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { customTags: INTRINSIC_TAGS, lineCounter, uniqueKeys: false });
  if (doc.errors.length > 0) return [];
  const outputs = isMap(doc.contents) ? doc.contents.get('Outputs', true) : undefined;
  if (!isMap(outputs)) return [];
  const names: DeclaredName[] = [];
  for (const pair of outputs.items) {
    const exported = isMap(pair.value) ? pair.value.get('Export', true) : undefined;
    const name: Node | undefined = isMap(exported) ? (exported.get('Name', true) as Node | undefined) : undefined;
    if (!isScalar(name) || name.tag !== undefined || typeof name.value !== 'string' || name.value === '') continue;
    const line = name.range ? lineCounter.linePos(name.range[0]).line : 1;
    names.push({ type: 'export', name: name.value, target, file, line });
  }
  return names;
}
