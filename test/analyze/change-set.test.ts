// conflict and revert from a drift-aware change set: plain data in, findings out.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import type { ChangeSetOverwrite, ChangeSetRead, LiveResource } from '../../src/types.js';
import { change, diff, FILE, live, liveState, resource, template } from './builders.js';

const base = resource('OrdersQueue', { VisibilityTimeout: 30, MessageRetentionPeriod: 345600 });
const head = { ...base, properties: { ...base.properties, MessageRetentionPeriod: 1209600 } };
const other = resource('OtherQueue', { VisibilityTimeout: 30 });

function overwrite(path: string, liveValue: unknown, previous: unknown, after: unknown, logicalId = 'OrdersQueue'): ChangeSetOverwrite {
  return { logicalId, type: 'AWS::SQS::Queue', path, live: liveValue, previous, after, changeType: 'Modify' };
}

function run(overwrites: ChangeSetOverwrite[], resources: LiveResource[] = [live('OrdersQueue', 'IN_SYNC'), live('OtherQueue', 'IN_SYNC')], extra: Partial<ChangeSetRead> = {}, ignore: Array<{ property: string; reason: string }> = []) {
  const changeSet: ChangeSetRead = { name: 'realitycheck-7-abc1234', status: 'complete', readAt: '2026-01-10T12:00:09.000Z', overwrites, driftStatus: {}, unreadable: [], ...extra };
  return analyze({
    target: { name: 'orders', file: FILE },
    base: template([base, other]),
    head: template([head, other]),
    changes: [change(base, head)],
    live: liveState(resources, { changeSet }),
    ignore,
  });
}

describe('a drift-aware change set as evidence', () => {
  it('is a revert when it would overwrite a live change drift detection did not report', () => {
    const { findings } = run([overwrite('VisibilityTimeout', 120, 30, 30)]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'revert', severity: 'block', resource: 'OrdersQueue', file: FILE, liveReadAt: '2026-01-10T12:00:09.000Z' });
    expect(findings[0]!.evidence).toEqual([{ path: 'VisibilityTimeout', base: 30, head: 30, expected: 30, live: 120 }]);
  });

  it('is a conflict when the live change is to a property the pull request edits', () => {
    const { findings } = run([overwrite('MessageRetentionPeriod', 86400, 345600, 1209600)]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'conflict', severity: 'block', resource: 'OrdersQueue' });
    expect(findings[0]!.message).toContain('changed live to 86400');
  });

  it('adds nothing where drift detection already reported the same property', () => {
    const { findings } = run([overwrite('VisibilityTimeout', 120, 30, 30)], [live('OrdersQueue', 'MODIFIED', [diff('VisibilityTimeout', 30, 120)])]);
    expect(findings.filter((f) => f.message.includes('change set'))).toEqual([]);
    expect(findings.filter((f) => f.rule === 'revert')).toHaveLength(1); // the drift rule's own
  });

  it('says nothing of resources the pull request does not update (a plain deploy leaves them alone)', () => {
    const { findings } = run([overwrite('VisibilityTimeout', 120, 30, 30, 'OtherQueue')]);
    expect(findings).toEqual([]);
  });

  it('counts an overwrite an ignore rule expects as ignored', () => {
    const result = run([overwrite('VisibilityTimeout', 120, 30, 30)], undefined, {}, [{ property: 'VisibilityTimeout', reason: 'tuned by on-call' }]);
    expect(result.findings).toEqual([]);
    expect(result.ignored).toContainEqual({ resource: 'OrdersQueue', path: 'VisibilityTimeout', reason: 'tuned by on-call', reverted: true });
  });

  it('redacts a secret-looking property it would overwrite', () => {
    const { findings } = run([overwrite('ApiToken', 'tok_live_123', 'tok_old', 'tok_new')]);
    expect(JSON.stringify(findings)).not.toMatch(/tok_(live|old|new)/);
  });

  it('says the change set was not checked, with the call and the reason, when it could not be made', () => {
    const { findings } = run([], undefined, {
      status: 'not-checked',
      unreadable: [{ api: 'cloudformation:CreateChangeSet', code: 'AccessDenied', message: 'not authorized to perform: cloudformation:CreateChangeSet', retryable: false }],
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'unreadable', severity: 'warn' });
    expect(findings[0]!.message).toBe(
      'The drift-aware change set realitycheck-7-abc1234 was not checked: cloudformation:CreateChangeSet failed with AccessDenied: not authorized to perform: cloudformation:CreateChangeSet. Allow cloudformation:CreateChangeSet for the role realitycheck uses.',
    );
  });
});
