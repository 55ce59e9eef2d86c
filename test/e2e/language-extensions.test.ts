// End to end: a template with Transform AWS::LanguageExtensions whose topics come from one
// Fn::ForEach loop. Drift detection reports the expanded logical ids; the pull request's
// change to the loop is checked resource by resource.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { githubPatch, type FakeGitHub } from '../helpers/fake-github.js';
import { pullRequestEvent, type TestApp } from '../helpers/probot.js';
import { cfn, cfnOk, driftsXml, resourcesXml, stackXml, templateXml, XML, type DriftFixture, type ResourceFixture } from '../live/fake-aws.js';
import { BASE_SHA, edit, HEAD_SHA, TEMPLATE_PATH } from './fixtures.js';
import { fakeRepo, finish, startWith, useFakeAwsEnvironment } from './harness.js';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::LanguageExtensions
Parameters:
  Teams:
    Type: CommaDelimitedList
    Default: Orders,Payments
Resources:
  Fn::ForEach::Topics:
    - Team
    - Ref: Teams
    - Topic\${Team}:
        Type: AWS::SNS::Topic
        Properties:
          TopicName:
            Fn::Sub: events-\${Team}
          DisplayName: Events
`;
/** Lines of the loop's fragment (`Topic${Team}:` to its last line) in the head below, which adds a line to it. */
const FRAGMENT = { start: 11, end: 17 };

const arn = (team: string) => `arn:aws:sns:us-east-1:123456789012:events-${team}`;
const RESOURCES: ResourceFixture[] = [
  { logicalId: 'TopicOrders', physicalId: arn('Orders'), type: 'AWS::SNS::Topic', drift: 'IN_SYNC' },
  { logicalId: 'TopicPayments', physicalId: arn('Payments'), type: 'AWS::SNS::Topic', drift: 'MODIFIED' },
];

function awsWithHotfixedTopic(deployed = TEMPLATE): void {
  const timestamp = new Date(Date.now() - 60_000).toISOString();
  const drifts: DriftFixture[] = [
    { logicalId: 'TopicOrders', physicalId: arn('Orders'), type: 'AWS::SNS::Topic', status: 'IN_SYNC', expected: { TopicName: 'events-Orders' }, actual: { TopicName: 'events-Orders' }, timestamp },
    {
      logicalId: 'TopicPayments',
      physicalId: arn('Payments'),
      type: 'AWS::SNS::Topic',
      status: 'MODIFIED',
      expected: { TopicName: 'events-Payments', DisplayName: 'Events' },
      actual: { TopicName: 'events-Payments', DisplayName: 'Payments (paged on-call)' },
      differences: [{ path: '/DisplayName', expected: 'Events', actual: 'Payments (paged on-call)' }],
      timestamp,
    },
  ];
  cfn('DescribeStacks').reply(200, cfnOk('DescribeStacks', stackXml({ lastCheck: timestamp })), XML);
  cfn('GetTemplate', (p) => p.get('TemplateStage') === 'Original').reply(200, cfnOk('GetTemplate', templateXml(deployed)), XML);
  cfn('ListStackResources').reply(200, cfnOk('ListStackResources', resourcesXml(RESOURCES)), XML);
  cfn('DescribeStackResourceDrifts').reply(200, cfnOk('DescribeStackResourceDrifts', driftsXml(drifts)), XML);
}

let app: TestApp;
let github: FakeGitHub;

beforeAll(useFakeAwsEnvironment);
afterEach(() => finish(github));

async function startWith2(base: string, head: string): Promise<void> {
  const repo = fakeRepo(head, {
    files: { [BASE_SHA]: { [TEMPLATE_PATH]: base }, [HEAD_SHA]: { [TEMPLATE_PATH]: head } },
    pullFiles: { 2: [{ filename: TEMPLATE_PATH, patch: githubPatch(base, head) }] },
  });
  ({ app, github } = await startWith(repo));
}

describe('a pull request that edits a Fn::ForEach loop', () => {
  it('blocks the edit on the expanded topic whose display name was changed live, at the lines of the fragment', async () => {
    await startWith2(TEMPLATE, edit(TEMPLATE, '          DisplayName: Events\n', '          DisplayName: Events\n          FifoTopic: false\n'));
    awsWithHotfixedTopic();
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));

    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('failure');
    const revert = check.annotations.find((a) => a.title === 'revert: TopicPayments');
    expect(revert, JSON.stringify(check.annotations)).toBeDefined();
    expect([revert!.start_line, revert!.end_line]).toEqual([FRAGMENT.start, FRAGMENT.end]);
    expect(check.annotations.some((a) => String(a.title).includes('TopicOrders'))).toBe(false);
  });

  it('does not pass a loop over a parameter without Default: its change is reported as not checked, with the reason', async () => {
    const noDefault = edit(TEMPLATE, '    Default: Orders,Payments\n', '');
    await startWith2(noDefault, edit(noDefault, '          DisplayName: Events\n', '          DisplayName: Events v2\n'));
    awsWithHotfixedTopic(noDefault);
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));

    const check = github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('neutral');
    const comment = github.comments[0]!.body;
    expect(comment).toContain('Fn::ForEach::Topics');
    expect(comment).toMatch(/parameter Teams has no Default/);
    expect(comment).not.toMatch(/matches what is running/i);
  });
});
