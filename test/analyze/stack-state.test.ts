import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import type { LiveState, Unreadable } from '../../src/types.js';
import { READ_AT, input, live, liveState, resource } from './builders.js';

const queue = (n: number) => resource('OrdersQueue', { DelaySeconds: n });
const run = (state: LiveState) => analyze(input([queue(0)], [queue(5)], state));
const withStatus = (status: string, statusReason?: string) =>
  liveState([live('OrdersQueue', 'IN_SYNC')], {
    stack: { name: 'orders-prod', status, region: 'us-east-1', noEchoParameters: [], ...(statusReason ? { statusReason } : {}) },
  });

describe('stack status', () => {
  it.each([
    ['CREATE_IN_PROGRESS', /another operation is running.*Wait for it to finish/],
    ['UPDATE_IN_PROGRESS', /another operation is running/],
    ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', /another operation is running/],
    ['UPDATE_ROLLBACK_IN_PROGRESS', /another operation is running/],
    ['UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', /another operation is running/],
    ['ROLLBACK_IN_PROGRESS', /another operation is running/],
    ['DELETE_IN_PROGRESS', /another operation is running/],
    ['IMPORT_IN_PROGRESS', /another operation is running/],
    ['IMPORT_ROLLBACK_IN_PROGRESS', /another operation is running/],
    ['REVIEW_IN_PROGRESS', /change set that was never executed/],
    ['UPDATE_ROLLBACK_FAILED', /continue-update-rollback/],
    ['CREATE_FAILED', /last operation failed/],
    ['ROLLBACK_FAILED', /last operation failed/],
    ['UPDATE_FAILED', /last operation failed/],
    ['IMPORT_ROLLBACK_FAILED', /last operation failed/],
    ['DELETE_FAILED', /delete stopped half-way/],
    ['ROLLBACK_COMPLETE', /can only be deleted/],
    ['DELETE_COMPLETE', /has been deleted/],
    ['SOMETHING_NEW', /does not know this status to be safe/],
  ])('blocks the merge while the stack is %s and says what to do', (status, advice) => {
    const findings = run(withStatus(status)).findings.filter((f) => f.rule === 'unsafe-state');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'block', target: 'orders', liveReadAt: READ_AT });
    expect(findings[0]!.message).toContain(`Stack orders-prod is ${status}`);
    expect(findings[0]!.message).toMatch(advice);
  });

  it.each(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE'])(
    'lets a deploy go ahead when the stack is %s',
    (status) => {
      expect(run(withStatus(status)).findings).toEqual([]);
    },
  );

  it('quotes AWS status reason', () => {
    const [finding] = run(withStatus('UPDATE_ROLLBACK_FAILED', 'Resource OrdersQueue failed to stabilize')).findings;
    expect(finding!.message).toContain('(Resource OrdersQueue failed to stabilize)');
  });
});

describe('unreadable live state', () => {
  const denied: Unreadable = {
    api: 'cloudformation:DetectStackDrift',
    code: 'AccessDenied',
    message: 'User is not authorized to perform cloudformation:DetectStackDrift.',
    retryable: false,
  };
  const throttled: Unreadable = { api: 'cloudformation:DescribeStackResourceDrifts', code: 'Throttling', message: 'Rate exceeded', retryable: true };

  it.each<[string, Partial<LiveState>, RegExp[]]>([
    [
      'names the API and the reason when drift detection is denied',
      { drift: undefined, unreadable: [denied] },
      [/^Could not read live state: cloudformation:DetectStackDrift failed with AccessDenied: User is not authorized.*Allow cloudformation:DetectStackDrift for the role/],
    ],
    [
      'says a throttled read may pass on a recheck',
      { drift: undefined, unreadable: [throttled] },
      [/DescribeStackResourceDrifts failed with Throttling: Rate exceeded\. This may pass on a recheck\./],
    ],
    ['reports one finding per failed call', { drift: undefined, unreadable: [denied, throttled] }, [/Throttling/, /AccessDenied/]],
    ['never stays silent when drift is missing without a reason', { drift: undefined, unreadable: [] }, [/Drift was not read for orders-prod/]],
    [
      'says when drift detection only finished partially',
      {
        drift: { reused: false, checkedAt: READ_AT, status: 'DETECTION_FAILED', statusReason: 'Failed to detect drift on resource [Fn]', resources: [] },
      },
      [
        /ended DETECTION_FAILED \(Failed to detect drift on resource \[Fn\]\)/,
        /^Drift detection has no result for OrdersQueue \(drift detection ended DETECTION_FAILED without checking it\), so this change could not be verified/,
      ],
    ],
  ])('%s', (_name, extra, messages) => {
    const findings = run(liveState([], extra)).findings;
    expect(findings.every((f) => f.rule === 'unreadable' && f.severity === 'warn')).toBe(true);
    expect(findings.map((f) => f.message)).toEqual(messages.map((m) => expect.stringMatching(m)));
  });

  it('does not claim anything is in sync when drift was not read', () => {
    const result = run(liveState([], { drift: undefined, unreadable: [denied] }));
    expect(result.coverage).toBeUndefined();
    expect(result.findings.some((f) => f.rule === 'drift-elsewhere' || f.rule === 'revert')).toBe(false);
  });
});
