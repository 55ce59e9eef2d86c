// nock answering CloudFormation and STS in their real wire format: the AWS Query protocol
// (form-encoded POST with Action and Version) and the XML responses of the API reference.
import nock from 'nock';

export const REGION = 'us-east-1';
export const CFN_ENDPOINT = `https://cloudformation.${REGION}.amazonaws.com`;
export const STS_ENDPOINT = `https://sts.${REGION}.amazonaws.com`;
export const STACK_NAME = 'orders-prod';
export const STACK_ID = `arn:aws:cloudformation:${REGION}:123456789012:stack/${STACK_NAME}/5b7e1f30-3a2d-11ef-9c1a-0a1b2c3d4e5f`;

const CFN_NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

let requestNumber = 0;
const requestId = () => `7d5f3c2a-0000-4000-8000-${String(++requestNumber).padStart(12, '0')}`;

export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function params(body: unknown): URLSearchParams {
  return typeof body === 'string' ? new URLSearchParams(body) : new URLSearchParams(body as Record<string, string>);
}

/** An interceptor for one CloudFormation action; `match` may check further form fields. */
export function cfn(action: string, match: (p: URLSearchParams) => boolean = () => true, endpoint = CFN_ENDPOINT) {
  return nock(endpoint).post('/', (body) => {
    const p = params(body);
    return p.get('Action') === action && p.get('Version') === '2010-05-15' && match(p);
  });
}

export function sts(action: string, match: (p: URLSearchParams) => boolean = () => true) {
  return nock(STS_ENDPOINT).post('/', (body) => {
    const p = params(body);
    return p.get('Action') === action && p.get('Version') === '2011-06-15' && match(p);
  });
}

export const XML = { 'Content-Type': 'text/xml' };

export function cfnOk(action: string, result: string): string {
  return `<${action}Response xmlns="${CFN_NS}">
  <${action}Result>${result}</${action}Result>
  <ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata>
</${action}Response>`;
}

export function stsOk(action: string, result: string): string {
  return `<${action}Response xmlns="${STS_NS}">
  <${action}Result>${result}</${action}Result>
  <ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata>
</${action}Response>`;
}

export function awsError(code: string, message: string, type = 'Sender'): string {
  return `<ErrorResponse xmlns="${CFN_NS}">
  <Error><Type>${type}</Type><Code>${code}</Code><Message>${esc(message)}</Message></Error>
  <RequestId>${requestId()}</RequestId>
</ErrorResponse>`;
}

export interface StackFixture {
  status?: string;
  lastCheck?: string;
  driftStatus?: string;
  parameters?: Record<string, string>;
  /** When the stack was last deployed. */
  lastUpdated?: string;
}

export function stackXml(f: StackFixture = {}): string {
  const parameters = Object.entries(f.parameters ?? {})
    .map(([k, v]) => `<member><ParameterKey>${k}</ParameterKey><ParameterValue>${esc(v)}</ParameterValue></member>`)
    .join('');
  const drift = f.lastCheck
    ? `<DriftInformation><StackDriftStatus>${f.driftStatus ?? 'DRIFTED'}</StackDriftStatus><LastCheckTimestamp>${f.lastCheck}</LastCheckTimestamp></DriftInformation>`
    : '<DriftInformation><StackDriftStatus>NOT_CHECKED</StackDriftStatus></DriftInformation>';
  return `<Stacks><member>
    <StackId>${STACK_ID}</StackId>
    <StackName>${STACK_NAME}</StackName>
    <Description>Orders service</Description>
    <Parameters>${parameters}</Parameters>
    <CreationTime>2026-03-02T10:11:12.345Z</CreationTime>
    <LastUpdatedTime>${f.lastUpdated ?? '2026-10-30T08:00:00.000Z'}</LastUpdatedTime>
    <StackStatus>${f.status ?? 'UPDATE_COMPLETE'}</StackStatus>
    <DisableRollback>false</DisableRollback>
    <NotificationARNs/>
    <Tags/>
    <EnableTerminationProtection>false</EnableTerminationProtection>
    ${drift}
  </member></Stacks>`;
}

export interface ResourceFixture {
  logicalId: string;
  physicalId: string;
  type: string;
  drift?: string;
}

export function resourcesXml(resources: ResourceFixture[], nextToken?: string): string {
  const members = resources
    .map(
      (r) => `<member>
      <LogicalResourceId>${r.logicalId}</LogicalResourceId>
      <PhysicalResourceId>${esc(r.physicalId)}</PhysicalResourceId>
      <ResourceType>${r.type}</ResourceType>
      <LastUpdatedTimestamp>2026-10-30T08:01:00.000Z</LastUpdatedTimestamp>
      <ResourceStatus>UPDATE_COMPLETE</ResourceStatus>
      <DriftInformation><StackResourceDriftStatus>${r.drift ?? 'NOT_CHECKED'}</StackResourceDriftStatus></DriftInformation>
    </member>`,
    )
    .join('');
  return `<StackResourceSummaries>${members}</StackResourceSummaries>${nextToken ? `<NextToken>${nextToken}</NextToken>` : ''}`;
}

export interface DifferenceFixture {
  path: string;
  expected: string;
  actual: string;
  type?: 'ADD' | 'REMOVE' | 'NOT_EQUAL';
}

export interface DriftFixture {
  logicalId: string;
  physicalId: string;
  type: string;
  status: 'IN_SYNC' | 'MODIFIED' | 'DELETED' | 'NOT_CHECKED';
  expected?: unknown;
  actual?: unknown;
  /** ExpectedProperties / ActualProperties as AWS sends them (JSON text), instead of `expected` / `actual`. */
  expectedText?: string;
  actualText?: string;
  differences?: DifferenceFixture[];
  timestamp?: string;
}

export function driftsXml(drifts: DriftFixture[], nextToken?: string): string {
  const members = drifts.map((d) => `<member>${driftFields(d)}</member>`).join('');
  return `<StackResourceDrifts>${members}</StackResourceDrifts>${nextToken ? `<NextToken>${nextToken}</NextToken>` : ''}`;
}

/** DetectStackResourceDrift's result: one `StackResourceDrift`, as in the API reference's example. */
export function resourceDriftXml(drift: DriftFixture): string {
  return `<StackResourceDrift>${driftFields(drift)}</StackResourceDrift>`;
}

function driftFields(d: DriftFixture): string {
  const differences = (d.differences ?? [])
    .map(
      (p) => `<member>
      <PropertyPath>${esc(p.path)}</PropertyPath>
      <ExpectedValue>${esc(p.expected)}</ExpectedValue>
      <ActualValue>${esc(p.actual)}</ActualValue>
      <DifferenceType>${p.type ?? 'NOT_EQUAL'}</DifferenceType>
    </member>`,
    )
    .join('');
  return `
      <StackId>${STACK_ID}</StackId>
      <LogicalResourceId>${d.logicalId}</LogicalResourceId>
      <PhysicalResourceId>${esc(d.physicalId)}</PhysicalResourceId>
      <ResourceType>${d.type}</ResourceType>
      ${properties('ExpectedProperties', d.expectedText ?? (d.expected !== undefined ? JSON.stringify(d.expected) : undefined))}
      ${properties('ActualProperties', d.actualText ?? (d.actual !== undefined ? JSON.stringify(d.actual) : undefined))}
      <PropertyDifferences>${differences}</PropertyDifferences>
      <StackResourceDriftStatus>${d.status}</StackResourceDriftStatus>
      <Timestamp>${d.timestamp ?? '2026-11-27T11:55:00.000Z'}</Timestamp>`;
}

function properties(element: string, json: string | undefined): string {
  return json === undefined ? '' : `<${element}>${esc(json)}</${element}>`;
}

export function detectionStatusXml(id: string, status: string, reason?: string): string {
  return `<StackId>${STACK_ID}</StackId>
    <StackDriftDetectionId>${id}</StackDriftDetectionId>
    ${status === 'DETECTION_IN_PROGRESS' ? '' : '<StackDriftStatus>DRIFTED</StackDriftStatus><DriftedStackResourceCount>1</DriftedStackResourceCount>'}
    <DetectionStatus>${status}</DetectionStatus>
    ${reason ? `<DetectionStatusReason>${esc(reason)}</DetectionStatusReason>` : ''}
    <Timestamp>2026-11-27T12:00:07.000Z</Timestamp>`;
}

export const TEMPLATE_BODY = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  DbPassword:
    Type: String
    NoEcho: true
Resources:
  OrdersQueue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 30
`;

export function templateXml(body = TEMPLATE_BODY): string {
  return `<TemplateBody>${esc(body)}</TemplateBody><StagesAvailable><member>Original</member><member>Processed</member></StagesAvailable>`;
}
