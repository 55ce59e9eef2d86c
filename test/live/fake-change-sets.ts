// CloudFormation change sets on nock, stateful, in the Query protocol's XML (CreateChangeSet,
// DescribeChangeSet, ListChangeSets, DeleteChangeSet, ExecuteChangeSet as the API reference
// shows them). It refuses what CloudFormation refuses: a TemplateBody over 51,200 bytes, a
// change set name that is not `[a-zA-Z][-a-zA-Z0-9]*` or that exists already, a parameter
// with both a value and UsePreviousValue, a DescribeChangeSet or DeleteChangeSet of one that
// does not exist. Each change set is CREATE_PENDING, then CREATE_IN_PROGRESS for `pendingPolls`
// describes, then CREATE_COMPLETE (or FAILED with `failWith`).
import nock from 'nock';
import { awsError, CFN_ENDPOINT, cfnOk, esc, STACK_ID, STACK_NAME, XML } from './fake-aws.js';

export interface ChangeDetailFixture {
  property: string;
  before?: string;
  after?: string;
  beforeFrom?: 'ACTUAL_STATE' | 'PREVIOUS_DEPLOYMENT_STATE';
  drift?: { previous: string; actual: string };
  changeType?: 'Add' | 'Remove' | 'Modify' | 'SyncWithActual';
}

export interface ResourceChangeFixture {
  logicalId: string;
  physicalId?: string;
  type: string;
  action?: string;
  driftStatus?: string;
  details: ChangeDetailFixture[];
}

export interface StoredChangeSet {
  name: string;
  id: string;
  params: URLSearchParams;
  polls: number;
  createdAt: Date;
}

export class FakeChangeSets {
  readonly sets = new Map<string, StoredChangeSet>();
  /** Every action asked, in order (`CreateChangeSet realitycheck-2-ec26c3e`, ...). */
  readonly log: string[] = [];
  changes: ResourceChangeFixture[] = [];
  pendingPolls = 1;
  failWith: string | undefined;
  private next = 1;

  constructor(leftovers: Array<{ name: string; createdAt: Date }> = []) {
    for (const l of leftovers) this.sets.set(l.name, { name: l.name, id: this.arn(l.name), params: new URLSearchParams(), polls: 99, createdAt: l.createdAt });
    nock(CFN_ENDPOINT)
      .persist()
      .post('/', (body) => ['CreateChangeSet', 'DescribeChangeSet', 'ListChangeSets', 'DeleteChangeSet', 'ExecuteChangeSet'].includes(new URLSearchParams(body as string).get('Action') ?? ''))
      .reply((_uri, body) => this.answer(new URLSearchParams(body as string)));
  }

  private arn(name: string): string {
    return `arn:aws:cloudformation:us-east-1:123456789012:changeSet/${name}/${String(this.next++).padStart(8, '0')}-0000-4000-8000-000000000000`;
  }

  private answer(p: URLSearchParams): [number, string, Record<string, string>] {
    const action = p.get('Action')!;
    const name = p.get('ChangeSetName') ?? '';
    this.log.push(`${action}${name ? ` ${name}` : ''}`);
    const stackOk = [STACK_NAME, STACK_ID].includes(p.get('StackName') ?? '');
    if (!stackOk) return [400, awsError('ValidationError', `Stack [${p.get('StackName')}] does not exist`), XML];
    if (action === 'ExecuteChangeSet') return [400, awsError('ValidationError', 'this fake refuses to execute: the app must never execute a change set'), XML];
    if (action === 'ListChangeSets') {
      const members = [...this.sets.values()]
        .map(
          (s) => `<member><StackId>${STACK_ID}</StackId><StackName>${STACK_NAME}</StackName><ChangeSetId>${s.id}</ChangeSetId><ChangeSetName>${s.name}</ChangeSetName>
          <ExecutionStatus>AVAILABLE</ExecutionStatus><Status>CREATE_COMPLETE</Status><CreationTime>${s.createdAt.toISOString()}</CreationTime><IncludeNestedStacks>false</IncludeNestedStacks></member>`,
        )
        .join('');
      return [200, cfnOk('ListChangeSets', `<Summaries>${members}</Summaries>`), XML];
    }
    if (action === 'CreateChangeSet') {
      if (!/^[a-zA-Z][-a-zA-Z0-9]{0,127}$/.test(name)) return [400, awsError('ValidationError', `1 validation error detected: Value '${name}' at 'changeSetName' failed to satisfy constraint`), XML];
      if (this.sets.has(name)) return [400, awsError('AlreadyExistsException', `ChangeSet [${name}] already exists`), XML];
      const body = p.get('TemplateBody') ?? '';
      if (Buffer.byteLength(body) > 51_200) return [400, awsError('ValidationError', "1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to 51200"), XML];
      for (let i = 1; p.has(`Parameters.member.${i}.ParameterKey`); i++) {
        if (p.has(`Parameters.member.${i}.ParameterValue`) && p.get(`Parameters.member.${i}.UsePreviousValue`) === 'true') {
          return [400, awsError('ValidationError', `Invalid input for parameter key ${p.get(`Parameters.member.${i}.ParameterKey`)}. Cannot specify usePreviousValue as true and non empty value for a parameter`), XML];
        }
      }
      const set: StoredChangeSet = { name, id: this.arn(name), params: p, polls: 0, createdAt: new Date() };
      this.sets.set(name, set);
      return [200, cfnOk('CreateChangeSet', `<Id>${set.id}</Id><StackId>${STACK_ID}</StackId>`), XML];
    }
    const set = this.sets.get(name);
    if (!set) return [404, awsError('ChangeSetNotFound', `ChangeSet [${name}] does not exist`), XML];
    if (action === 'DeleteChangeSet') {
      this.sets.delete(name);
      return [200, cfnOk('DeleteChangeSet', ''), XML];
    }
    // DescribeChangeSet
    set.polls += 1;
    const status = set.polls === 1 ? 'CREATE_PENDING' : set.polls <= 1 + this.pendingPolls ? 'CREATE_IN_PROGRESS' : this.failWith ? 'FAILED' : 'CREATE_COMPLETE';
    const changes = status === 'CREATE_COMPLETE' ? this.changes.map(changeXml).join('') : '';
    return [
      200,
      cfnOk(
        'DescribeChangeSet',
        `<ChangeSetName>${name}</ChangeSetName><ChangeSetId>${set.id}</ChangeSetId><StackId>${STACK_ID}</StackId><StackName>${STACK_NAME}</StackName>
        <CreationTime>${set.createdAt.toISOString()}</CreationTime><ExecutionStatus>${status === 'CREATE_COMPLETE' ? 'AVAILABLE' : 'UNAVAILABLE'}</ExecutionStatus>
        <Status>${status}</Status>${status === 'FAILED' ? `<StatusReason>${esc(this.failWith!)}</StatusReason>` : ''}
        <DeploymentMode>REVERT_DRIFT</DeploymentMode><Changes>${changes}</Changes>`,
      ),
      XML,
    ];
  }
}

function changeXml(c: ResourceChangeFixture): string {
  const details = c.details
    .map(
      (d) => `<member><Target><Attribute>Properties</Attribute><Name>${d.property.split('.')[0]}</Name><RequiresRecreation>Never</RequiresRecreation>
        <Path>/Properties/${d.property.split('.').join('/')}</Path>
        ${d.before !== undefined ? `<BeforeValue>${esc(d.before)}</BeforeValue>` : ''}${d.after !== undefined ? `<AfterValue>${esc(d.after)}</AfterValue>` : ''}
        ${d.beforeFrom ? `<BeforeValueFrom>${d.beforeFrom}</BeforeValueFrom><AfterValueFrom>TEMPLATE</AfterValueFrom>` : ''}
        ${d.drift ? `<Drift><PreviousValue>${esc(d.drift.previous)}</PreviousValue><ActualValue>${esc(d.drift.actual)}</ActualValue><DriftDetectionTimestamp>2026-12-01T12:00:00.000Z</DriftDetectionTimestamp></Drift>` : ''}
        <AttributeChangeType>${d.changeType ?? 'Modify'}</AttributeChangeType></Target>
        <Evaluation>Static</Evaluation><ChangeSource>DirectModification</ChangeSource></member>`,
    )
    .join('');
  return `<member><Type>Resource</Type><ResourceChange>
    <Action>${c.action ?? 'Modify'}</Action><LogicalResourceId>${c.logicalId}</LogicalResourceId>
    ${c.physicalId ? `<PhysicalResourceId>${esc(c.physicalId)}</PhysicalResourceId>` : ''}<ResourceType>${c.type}</ResourceType>
    <Replacement>False</Replacement><Scope><member>Properties</member></Scope>
    ${c.driftStatus ? `<ResourceDriftStatus>${c.driftStatus}</ResourceDriftStatus>` : ''}
    <Details>${details}</Details></ResourceChange></member>`;
}
