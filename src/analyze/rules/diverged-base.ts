// diverged-base: for a resource the PR touches, the deployed template says something
// other than the base branch. The PR's diff is then not what deploying changes.
import type { DeclaredResource, Evidence, Finding } from '../../types.js';
import { type RuleContext, baseResource, deployedResource, headResource, resourceFinding } from '../context.js';
import { redactEvidence } from '../../values/redact.js';
import { sameValue } from '../../values/cloudformation-value.js';
import { isRecord, listWords } from '../values.js';

/**
 * Properties that `sam deploy` / `aws cloudformation package` rewrite: the repository
 * holds a local path (`CodeUri: ./src`, `TemplateURL: nested.yaml`), the deployed template
 * the S3 location the artifact was uploaded to.
 */
const ARTIFACT_PROPERTIES: Record<string, readonly string[]> = {
  'AWS::Serverless::Function': ['CodeUri'],
  'AWS::Serverless::LayerVersion': ['ContentUri'],
  'AWS::Serverless::Api': ['DefinitionUri'],
  'AWS::Serverless::HttpApi': ['DefinitionUri'],
  'AWS::Serverless::StateMachine': ['DefinitionUri'],
  'AWS::Serverless::GraphQLApi': ['SchemaUri'],
  'AWS::Serverless::Application': ['Location'],
  'AWS::Lambda::Function': ['Code'],
  'AWS::Lambda::LayerVersion': ['Content'],
  'AWS::CloudFormation::Stack': ['TemplateURL'],
  'AWS::ApiGateway::RestApi': ['BodyS3Location'],
  'AWS::ApiGatewayV2::Api': ['BodyS3Location'],
  'AWS::StepFunctions::StateMachine': ['DefinitionS3Location'],
  'AWS::AppSync::GraphQLSchema': ['DefinitionS3Location'],
  'AWS::AppSync::Resolver': ['RequestMappingTemplateS3Location', 'ResponseMappingTemplateS3Location', 'CodeS3Location'],
  'AWS::AppSync::FunctionConfiguration': ['RequestMappingTemplateS3Location', 'ResponseMappingTemplateS3Location', 'CodeS3Location'],
  'AWS::ElasticBeanstalk::ApplicationVersion': ['SourceBundle'],
};

/** A path on the machine that packaged the template: absent, or a string that is not an `s3://`, `http://` or `https://` location. */
export function isLocalArtifactPath(value: unknown): boolean {
  return value === undefined || (typeof value === 'string' && value.trim() !== '' && !/^(s3|https?):\/\//i.test(value.trim()));
}

/** `s3://bucket/key`, an `https://` URL on an S3 host, or `{ S3Bucket, S3Key[, S3ObjectVersion] }` / `{ Bucket, Key[, Version] }`. */
export function isS3Location(value: unknown): boolean {
  if (typeof value === 'string') {
    if (/^s3:\/\/[^/\s]+\/\S+/i.test(value)) return true;
    if (!/^https:\/\//i.test(value)) return false;
    try {
      const url = new URL(value);
      return /(^|\.)s3([.-][a-z0-9-]+)*\.amazonaws\.com(\.cn)?$/i.test(url.hostname) && url.pathname.length > 1;
    } catch {
      return false;
    }
  }
  if (!isRecord(value)) return false;
  const shapes = [
    ['S3Bucket', 'S3Key', 'S3ObjectVersion'],
    ['Bucket', 'Key', 'Version'],
  ];
  return shapes.some(([bucket, key, ...optional]) => {
    const allowed = new Set([bucket!, key!, ...optional]);
    return typeof value[bucket!] === 'string' && typeof value[key!] === 'string' && Object.keys(value).every((k) => allowed.has(k));
  });
}

/** The base has a local artifact path where the deployed template has where it was uploaded: packaging, not divergence. */
export function isPackagedArtifact(type: string, property: string, base: unknown, deployed: unknown): boolean {
  return (ARTIFACT_PROPERTIES[type] ?? []).includes(property) && isLocalArtifactPath(base) && isS3Location(deployed);
}

/**
 * Rows for what differs, compared after normalization (key order, `30` vs `"30"`); DependsOn
 * as a set. Packaged artifacts (`isPackagedArtifact`) are not differences.
 */
function differingRows(base: DeclaredResource, deployed: DeclaredResource, head?: DeclaredResource): Evidence[] {
  const rows: Evidence[] = [];
  if (base.type !== deployed.type) rows.push({ path: 'Type', base: base.type, head: head?.type, expected: deployed.type });
  const keys = [...new Set([...Object.keys(base.properties), ...Object.keys(deployed.properties)])].sort();
  for (const key of keys) {
    if (sameValue(base.properties[key], deployed.properties[key])) continue;
    if (base.type === deployed.type && isPackagedArtifact(base.type, key, base.properties[key], deployed.properties[key])) continue;
    rows.push({ path: key, base: base.properties[key], head: head?.properties[key], expected: deployed.properties[key] });
  }
  const dependsOn = (r: DeclaredResource) => [...new Set(r.dependsOn)].sort();
  if (!sameValue(dependsOn(base), dependsOn(deployed))) {
    rows.push({ path: 'DependsOn', base: base.dependsOn, head: head?.dependsOn, expected: deployed.dependsOn });
  }
  return rows;
}

export function divergedBaseFindings(ctx: RuleContext): Finding[] {
  if (!ctx.input.deployed) return [];
  const findings: Finding[] = [];
  for (const id of ctx.changes.keys()) {
    const base = baseResource(ctx, id);
    const deployed = deployedResource(ctx, id);
    const head = headResource(ctx, id);
    let message: string;
    let evidence: Evidence[] = [];
    if (!base && !deployed) continue;
    if (!base) {
      message = `${id} is in the deployed template but not on the base branch: the base is not what runs.`;
    } else if (!deployed) {
      message = `${id} is on the base branch but not in the deployed template: the base is not what runs.`;
    } else {
      // rows are top-level properties: a `Value` row is an entry's value when the resource
      // itself is the entry (an SSM parameter named `/prod/db/password`)
      const entries = [base.properties, deployed.properties, head?.properties];
      evidence = differingRows(base, deployed, head).map((row) => redactEvidence(row, ctx.noEcho, [], entries));
      if (evidence.length === 0) continue;
      const paths = listWords(evidence.map((row) => row.path));
      message = `The deployed template's ${id} differs from the base branch in ${paths}: the base is not what runs, so this PR's diff is not all that deploying changes.`;
    }
    findings.push(resourceFinding(ctx, { rule: 'diverged-base', severity: 'warn', resource: id, message, evidence }));
  }
  return findings;
}
