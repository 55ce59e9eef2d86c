// End to end, undeclared drift (`undeclared: true`): a real Probot app, GitHub over nock, and
// AWS over nock in its wire formats: CloudFormation (Query protocol, XML) for the stack, its
// drift and DescribeType; Cloud Control (AWS JSON 1.0, `X-Amz-Target:
// CloudApiService.GetResource`) for the queue's full live model.
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../helpers/fake-github.js';
import { pullRequestEvent, type TestApp } from '../helpers/probot.js';
import { cfn, cfnOk, driftsXml, resourcesXml, stackXml, templateXml, XML } from '../live/fake-aws.js';
import { describeType, SQS_QUEUE_SCHEMA } from '../live/fake-type-schema.js';
import { FakeChangeSets } from '../live/fake-change-sets.js';
import { cloudControl } from '../live/terraform-state/fake-aws.js';
import { fakeRepo, finish, startWith, useFakeAwsEnvironment } from './harness.js';
import { BASE_SHA, BASE_TEMPLATE, CONFIG, DRIFTS, edit, HEAD_SHA, LINES, RESOURCES, TEMPLATE_PATH } from './fixtures.js';

const QUEUE_EDIT = edit(BASE_TEMPLATE, 'MessageRetentionPeriod: 345600', 'MessageRetentionPeriod: 1209600');
const OPTED_IN = CONFIG.replace('      region: us-east-1\n', '      region: us-east-1\n      undeclared: true\n');
const QUEUE_URL = RESOURCES[0]!.physicalId;
const DLQ_ARN = 'arn:aws:sqs:us-east-1:123456789012:orders-prod-dlq';

/** The stack is in sync as far as CloudFormation's drift detection can tell. */
const IN_SYNC = DRIFTS.map((d) => ({ ...d, status: 'IN_SYNC' as const, differences: [], ...(d.expected ? { actual: d.expected } : {}) }));
const STACK_TAGS = '<Tags><member><Key>team</Key><Value>orders</Value></member></Tags>';

/** The queue as Cloud Control reads it: every attribute at its default, but a redrive policy added in the console. */
const LIVE_QUEUE = {
  QueueUrl: QUEUE_URL,
  Arn: 'arn:aws:sqs:us-east-1:123456789012:orders-prod',
  QueueName: 'orders-prod',
  VisibilityTimeout: 30,
  MessageRetentionPeriod: 345600,
  DelaySeconds: 0,
  MaximumMessageSize: 262144,
  ReceiveMessageWaitTimeSeconds: 0,
  SqsManagedSseEnabled: true,
  RedrivePolicy: { deadLetterTargetArn: DLQ_ARN, maxReceiveCount: 5 },
  Tags: [
    { Key: 'team', Value: 'orders' },
    { Key: 'aws:cloudformation:stack-name', Value: 'orders-prod' },
  ],
};

function stackInSync(times = 1): void {
  const lastCheck = new Date(Date.now() - 60_000).toISOString();
  cfn('DescribeStacks').times(times).reply(200, cfnOk('DescribeStacks', stackXml({ lastCheck, driftStatus: 'IN_SYNC', parameters: { DbPassword: '****' } }).replace('<Tags/>', STACK_TAGS)), XML);
  cfn('GetTemplate').reply(200, cfnOk('GetTemplate', templateXml(BASE_TEMPLATE)), XML);
  cfn('ListStackResources').reply(200, cfnOk('ListStackResources', resourcesXml(RESOURCES.map((r) => ({ ...r, drift: 'IN_SYNC' })))), XML);
  cfn('DescribeStackResourceDrifts').reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml(IN_SYNC)), XML);
}

let app: TestApp;
let github: FakeGitHub;
/** Requests no interceptor matched: a call the app should not have made. */
let unmatched: string[];
const onNoMatch = (req: { hostname?: string; host?: string; path?: string }) => unmatched.push(`${req.hostname ?? req.host}${req.path ?? ''}`);

beforeAll(useFakeAwsEnvironment);
beforeEach(() => {
  unmatched = [];
  nock.emitter.on('no match', onNoMatch);
});
afterEach(() => {
  nock.emitter.removeListener('no match', onNoMatch);
  finish(github);
});

async function run(options: { config: string; author?: string }) {
  ({ app, github } = await startWith(fakeRepo(QUEUE_EDIT, { config: options.config })));
  await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA, ...(options.author ? { author: options.author } : {}) }));
  return { check: github.checkFor(HEAD_SHA)!, comment: github.comments[0]?.body ?? '' };
}

describe('undeclared drift on a pull request that edits a queue', () => {
  it('reports a redrive policy added live, which drift detection calls IN_SYNC, when the target opts in', async () => {
    stackInSync(2);
    describeType('AWS::SQS::Queue', SQS_QUEUE_SCHEMA);
    const cc = cloudControl([{ typeName: 'AWS::SQS::Queue', identifier: QUEUE_URL, properties: LIVE_QUEUE }]);

    const { check, comment } = await run({ config: OPTED_IN });
    if (process.env.SHOW) console.log(comment, JSON.stringify(check.annotations, null, 1));

    expect(cc.calls).toEqual([{ TypeName: 'AWS::SQS::Queue', Identifier: QUEUE_URL }]); // only the queue the PR edits
    expect(check.conclusion).toBe('neutral'); // a warning for a person's pull request
    expect(comment).toContain('**undeclared** · `OrdersQueue`');
    expect(comment).toContain('RedrivePolicy');
    expect(comment).toContain(DLQ_ARN);
    // defaults, read-only properties, the generated name and inherited tags are not drift
    const finding = comment.slice(comment.indexOf('**undeclared**'), comment.indexOf('<details>'));
    for (const quiet of ['VisibilityTimeout', 'MaximumMessageSize', 'SqsManagedSseEnabled', 'QueueUrl', '`Arn`', 'QueueName', 'team', 'aws:cloudformation']) {
      expect(finding).not.toContain(quiet);
    }
    expect(comment).toMatch(/\*\*undeclared\*\* on `OrdersQueue`: .*declare it in the template/i);
    const annotation = check.annotations.find((a) => String(a.title).includes('undeclared'));
    expect(annotation).toMatchObject({ path: TEMPLATE_PATH, annotation_level: 'warning' });
    expect(Number(annotation!.start_line)).toBeGreaterThanOrEqual(LINES.queue.start);
    expect(unmatched).toEqual([]);
  });

  it('blocks the same pull request when a coding agent opened it (policy.ai: strict)', async () => {
    stackInSync(2);
    describeType('AWS::SQS::Queue', SQS_QUEUE_SCHEMA);
    cloudControl([{ typeName: 'AWS::SQS::Queue', identifier: QUEUE_URL, properties: LIVE_QUEUE }]);
    const { check, comment } = await run({ config: OPTED_IN, author: 'copilot-swe-agent[bot]' });
    expect(check.conclusion).toBe('failure');
    expect(comment).toContain('RedrivePolicy');
  });

  it('changes nothing with the option off: no Cloud Control or DescribeType call, and the in-sync queue passes', async () => {
    stackInSync(1);
    const { check, comment } = await run({ config: CONFIG });
    expect(check.conclusion).toBe('success');
    expect(comment).not.toContain('undeclared');
    expect(comment).not.toContain('RedrivePolicy');
    expect(unmatched).toEqual([]); // nothing was asked of Cloud Control (or of anything else)
  });

  it('says the queue was not checked, naming the call and the permissions, when Cloud Control answers AccessDenied', async () => {
    stackInSync(2);
    describeType('AWS::SQS::Queue', SQS_QUEUE_SCHEMA);
    cloudControl([
      { typeName: 'AWS::SQS::Queue', identifier: QUEUE_URL, error: { type: 'AccessDeniedException', message: 'User: arn:aws:sts::123456789012:assumed-role/realitycheck-read/realitycheck is not authorized to perform: sqs:GetQueueAttributes' } },
    ]);
    const { check, comment } = await run({ config: OPTED_IN });
    expect(check.conclusion).toBe('neutral'); // never success: the queue was not checked
    expect(comment).toContain('Undeclared properties of OrdersQueue (AWS::SQS::Queue) were not checked');
    expect(comment).toContain('cloudcontrol:GetResource');
    expect(comment).toContain('sqs:GetQueueAttributes, sqs:ListQueueTags');
  });
});

const WITH_CHANGE_SET = CONFIG.replace('      region: us-east-1\n', '      region: us-east-1\n      changeSet: true\n');

describe('a drift-aware change set as evidence', () => {
  it('blocks a pull request whose change set says deploying reverts a live hotfix that drift detection did not report, and deletes the change set', async () => {
    stackInSync(2);
    const changeSets = new FakeChangeSets();
    changeSets.changes = [
      {
        logicalId: 'OrdersQueue',
        physicalId: QUEUE_URL,
        type: 'AWS::SQS::Queue',
        driftStatus: 'MODIFIED',
        details: [
          { property: 'MessageRetentionPeriod', before: '345600', after: '1209600', beforeFrom: 'ACTUAL_STATE' },
          { property: 'VisibilityTimeout', before: '120', after: '30', beforeFrom: 'ACTUAL_STATE', drift: { previous: '30', actual: '120' } },
        ],
      },
    ];
    const { check, comment } = await run({ config: WITH_CHANGE_SET });
    if (process.env.SHOW) console.log(comment);

    expect(check.conclusion).toBe('failure');
    expect(comment).toContain('**revert** · `OrdersQueue`');
    expect(comment).toMatch(/drift-aware change set realitycheck-\d+-ec26c3e says deploying this change to OrdersQueue reverts live changes to VisibilityTimeout/);
    expect(changeSets.log.filter((a) => a.startsWith('CreateChangeSet'))).toHaveLength(1);
    expect(changeSets.log).not.toContainEqual(expect.stringMatching(/^ExecuteChangeSet/));
    expect(changeSets.sets.size).toBe(0); // deleted
  });

});

describe('an opt-in the live source cannot serve', () => {
  it('says undeclared properties were not checked when the target reads a snapshot, and does not pass', async () => {
    const snapshotPath = 'live/orders-prod.json';
    const config = `targets:\n  - name: orders\n    cloudformation:\n      stack: orders-prod\n      template: ${TEMPLATE_PATH}\n      snapshot: ${snapshotPath}\n      snapshotMaxAge: 3650d\n      undeclared: true\n`;
    const repo = fakeRepo(QUEUE_EDIT, { config });
    repo.files.master = {
      [snapshotPath]: JSON.stringify({
        format_version: '1',
        read_at: '2026-11-27T09:30:00Z',
        stack: { name: 'orders-prod', status: 'UPDATE_COMPLETE', region: 'us-east-1' },
        resources: [{ logical_id: 'OrdersQueue', type: 'AWS::SQS::Queue', status: 'IN_SYNC' }],
      }),
    };
    ({ app, github } = await startWith(repo));
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('neutral');
    expect(github.comments[0]!.body).toContain('were not checked: the target reads a live-state snapshot (live/orders-prod.json), not AWS');
    expect(unmatched).toEqual([]);
  });
});
