import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import { computeConclusion } from '../../src/analyze/verdict.js';
import type { AnalyzeInput } from '../../src/analyze/analyze.js';
import { CHECKED_AT, FILE, diff, input, live, liveState, resource } from './builders.js';

const queue = (props: Record<string, unknown> = {}) =>
  resource('OrdersQueue', { VisibilityTimeout: 30, MessageRetentionPeriod: 345600, ...props });
const hotfixed = live('OrdersQueue', 'MODIFIED', [diff('VisibilityTimeout', 30, 120)]);

const summary = (i: AnalyzeInput) => analyze(i).findings.map((f) => `${f.severity} ${f.rule} ${f.resource ?? '-'}`);

describe('drift on what the PR touches', () => {
  it.each<[string, AnalyzeInput, string[]]>([
    [
      'blocks a PR that edits a queue whose VisibilityTimeout was hotfixed live',
      input([queue()], [queue({ MessageRetentionPeriod: 1209600 })], liveState([hotfixed])),
      ['block revert OrdersQueue'],
    ],
    [
      'blocks a PR that edits the very property that was hotfixed live',
      input([queue()], [queue({ VisibilityTimeout: 60 })], liveState([hotfixed])),
      ['block conflict OrdersQueue'],
    ],
    [
      'reports both the conflict and the revert when other properties drifted too',
      input(
        [queue()],
        [queue({ VisibilityTimeout: 60 })],
        liveState([live('OrdersQueue', 'MODIFIED', [diff('VisibilityTimeout', 30, 120), diff('DelaySeconds', 0, 5)])]),
      ),
      ['block conflict OrdersQueue', 'block revert OrdersQueue'],
    ],
    [
      'treats a live change nested under an edited property as a conflict',
      input(
        [queue({ RedrivePolicy: { maxReceiveCount: 3 } })],
        [queue({ RedrivePolicy: { maxReceiveCount: 4 } })],
        liveState([live('OrdersQueue', 'MODIFIED', [diff('RedrivePolicy.maxReceiveCount', 3, 10)])]),
      ),
      ['block conflict OrdersQueue'],
    ],
    [
      'does not block an edit to an in-sync resource and mentions drift elsewhere once',
      input(
        [queue()],
        [queue({ MessageRetentionPeriod: 1209600 })],
        liveState([live('OrdersQueue', 'IN_SYNC'), live('AuditQueue', 'MODIFIED', [diff('DelaySeconds', 0, 5)])]),
      ),
      ['info drift-elsewhere AuditQueue'],
    ],
    [
      'blocks an edit to a queue that was deleted live',
      input([queue()], [queue({ MessageRetentionPeriod: 1209600 })], liveState([live('OrdersQueue', 'DELETED')])),
      ['block deleted OrdersQueue'],
    ],
    [
      'blocks a new subscription that !Refs a queue deleted live',
      input(
        [queue()],
        [queue(), resource('OrdersSubscription', { Endpoint: { 'Fn::GetAtt': ['OrdersQueue', 'Arn'] } }, { type: 'AWS::SNS::Subscription', references: ['OrdersQueue'] })],
        liveState([live('OrdersQueue', 'DELETED')]),
      ),
      ['block deleted OrdersQueue'],
    ],
    [
      'lets a PR remove a resource that is already deleted live',
      input([queue()], [], liveState([live('OrdersQueue', 'DELETED')])),
      [],
    ],
    [
      'does not block a PR that removes a resource that drifted live (removing it is the point)',
      input([queue()], [], liveState([live('OrdersQueue', 'MODIFIED', [diff('DelaySeconds', 0, 5)])])),
      [],
    ],
    [
      'only mentions a deleted resource that nothing in the PR touches or refers to',
      input([queue()], [queue({ MessageRetentionPeriod: 1 })], liveState([live('OrdersQueue', 'IN_SYNC'), live('OldTopic', 'DELETED')])),
      ['info drift-elsewhere OldTopic'],
    ],
    [
      'does not call a DependsOn-only edit a revert (CloudFormation leaves the resource alone)',
      {
        ...input([queue()], [queue()], liveState([hotfixed])),
        changes: [{ logicalId: 'OrdersQueue', type: 'AWS::SQS::Queue', action: 'change', changedProperties: [], changedAttributes: ['DependsOn'] }],
      },
      // the hotfix stays live: said, as drift the PR leaves alone, never dropped
      ['info drift-elsewhere OrdersQueue'],
    ],
    [
      'trusts normalization: MODIFIED whose every difference was normalized away is in sync',
      input([queue()], [queue({ MessageRetentionPeriod: 1 })], liveState([{ ...live('OrdersQueue', 'MODIFIED'), normalizedAway: 2 }])),
      [],
    ],
    [
      'still blocks when AWS says modified without listing what',
      input([queue()], [queue({ MessageRetentionPeriod: 1 })], liveState([live('OrdersQueue', 'MODIFIED')])),
      ['block revert OrdersQueue'],
    ],
    [
      'reports nothing when the touched resource is in sync and nothing else drifted',
      input([queue()], [queue({ MessageRetentionPeriod: 1 })], liveState([live('OrdersQueue', 'IN_SYNC')])),
      [],
    ],
  ])('%s', (_name, analyzeInput, expected) => {
    expect(summary(analyzeInput)).toEqual(expected);
  });

  it('says which live value deploying would revert, with template 30 and live 120', () => {
    const head = queue({ MessageRetentionPeriod: 1209600 });
    const [finding] = analyze(input([queue()], [head], liveState([hotfixed]))).findings;
    expect(finding).toMatchObject({
      rule: 'revert',
      target: 'orders',
      resourceType: 'AWS::SQS::Queue',
      physicalId: 'phys-OrdersQueue',
      file: FILE,
      span: head.span,
      liveReadAt: CHECKED_AT,
      evidence: [{ path: 'VisibilityTimeout', base: 30, head: 30, expected: 30, live: 120 }],
    });
    expect(finding!.message).toBe('Deploying this change to OrdersQueue reverts live changes to VisibilityTimeout (template 30, live 120).');
  });

  it('points the conflict at the edited property line with base, head, deployed and live values', () => {
    const head = queue({ VisibilityTimeout: 60 });
    const [finding] = analyze(input([queue()], [head], liveState([hotfixed]))).findings;
    expect(finding!.span).toEqual(head.propertySpans.VisibilityTimeout);
    expect(finding!.evidence).toEqual([{ path: 'VisibilityTimeout', base: 30, head: 60, expected: 30, live: 120 }]);
    expect(finding!.message).toContain('(30 -> 60)');
    expect(finding!.message).toContain('changed live to 120');
  });

  it('names the new resource that refers to the deleted one', () => {
    const sub = resource('OrdersSubscription', {}, { references: ['OrdersQueue'] });
    const [finding] = analyze(input([queue()], [queue(), sub], liveState([live('OrdersQueue', 'DELETED')]))).findings;
    expect(finding!.message).toMatch(/^OrdersQueue \(phys-OrdersQueue\) was deleted outside CloudFormation, but OrdersSubscription, which this PR adds or changes, refers to it/);
  });

  it('points at the base file, without its lines, when the resource is no longer in head', () => {
    const base = queue();
    const referrer = resource('Other', { A: 2 }, { dependsOn: ['OrdersQueue'] });
    const result = analyze(input([base, resource('Other', { A: 1 })], [referrer], liveState([live('OrdersQueue', 'DELETED')])));
    expect(result.findings[0]).toMatchObject({ rule: 'deleted', resource: 'OrdersQueue', file: FILE });
    expect(result.findings[0]!.span).toBeUndefined(); // base lines mean nothing on the head commit
  });

  it('passes with an informational note when drift is only elsewhere', () => {
    const result = analyze(input([queue()], [queue({ MessageRetentionPeriod: 1 })], liveState([live('OrdersQueue', 'IN_SYNC'), live('AuditQueue', 'MODIFIED', [diff('DelaySeconds', 0, 5)])])));
    expect(computeConclusion(result.findings, true)).toBe('success');
  });
});

describe('coverage', () => {
  it('counts a touched resource drift detection cannot check as not checked, never as in sync', () => {
    const result = analyze(
      input(
        [queue()],
        [queue({ MessageRetentionPeriod: 1 })],
        liveState([live('OrdersQueue', 'NOT_CHECKED'), live('AuditQueue', 'IN_SYNC'), live('B', 'MODIFIED', [diff('X', 1, 2)]), live('C', 'DELETED')]),
      ),
    );
    expect(result.coverage).toEqual({ inSync: 1, drifted: 1, deleted: 1, notChecked: 1 });
    expect(result.findings.filter((f) => f.resource === 'OrdersQueue').map((f) => `${f.severity} ${f.rule}`)).toEqual(['warn unreadable']);
  });

  it('has no coverage when drift could not be read', () => {
    const state = liveState([]);
    delete state.drift;
    expect(analyze(input([queue()], [queue({ MessageRetentionPeriod: 1 })], state)).coverage).toBeUndefined();
  });
});

describe('findings order', () => {
  it('lists blocks first, then warnings, then notes, by rule and resource', () => {
    const result = analyze(
      input(
        [queue(), resource('Zeta', { A: 1 })],
        [queue({ VisibilityTimeout: 60 }), resource('Zeta', { A: 2 })],
        liveState(
          [hotfixed, live('Zeta', 'MODIFIED', [diff('B', 1, 2)]), live('Beta', 'MODIFIED', [diff('B', 1, 2)]), live('Alpha', 'DELETED')],
          { unreadable: [{ api: 'cloudformation:GetTemplate', code: 'AccessDenied', message: 'no', retryable: false }] },
        ),
      ),
    );
    expect(result.findings.map((f) => `${f.severity} ${f.rule} ${f.resource ?? '-'}`)).toEqual([
      'block conflict OrdersQueue',
      'block revert Zeta',
      'warn unreadable -',
      'info drift-elsewhere Alpha',
      'info drift-elsewhere Beta',
    ]);
  });
});
