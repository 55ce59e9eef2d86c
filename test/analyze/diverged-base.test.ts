import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import type { DeclaredResource } from '../../src/types.js';
import { input, live, liveState, resource, template } from './builders.js';

const baseQueue = () =>
  resource('OrdersQueue', { VisibilityTimeout: 30, RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, maxReceiveCount: 3 }, FifoQueue: true }, { dependsOn: ['Dlq', 'Key'] });
const headQueue = () => ({ ...baseQueue(), properties: { ...baseQueue().properties, DelaySeconds: 5 } });

function withDeployed(deployed: DeclaredResource[]) {
  const base = baseQueue();
  const head = headQueue();
  return analyze({ ...input([base], [head], liveState([live('OrdersQueue', 'IN_SYNC')])), deployed: template(deployed) });
}

describe('the deployed template against the base branch', () => {
  it.each<[string, DeclaredResource[], string[]]>([
    ['stays quiet when the deployed template is the base', [baseQueue()], []],
    [
      'stays quiet when they differ only in key order, number-vs-string scalars and DependsOn order',
      [
        resource('OrdersQueue', { FifoQueue: 'true', RedrivePolicy: { maxReceiveCount: '3', deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } }, VisibilityTimeout: '30' }, { dependsOn: ['Key', 'Dlq'] }),
      ],
      [],
    ],
    ['warns when a property runs with another value than the base says', [resource('OrdersQueue', { ...baseQueue().properties, VisibilityTimeout: 60 }, { dependsOn: ['Dlq', 'Key'] })], ['VisibilityTimeout']],
    ['warns when a nested value differs', [resource('OrdersQueue', { ...baseQueue().properties, RedrivePolicy: { maxReceiveCount: 5 } }, { dependsOn: ['Dlq', 'Key'] })], ['RedrivePolicy']],
    ['warns when the deployed DependsOn differs', [resource('OrdersQueue', baseQueue().properties, { dependsOn: ['Dlq'] })], ['DependsOn']],
    ['warns when the deployed type differs', [resource('OrdersQueue', baseQueue().properties, { dependsOn: ['Dlq', 'Key'], type: 'AWS::SNS::Topic' })], ['Type']],
  ])('%s', (_name, deployed, paths) => {
    const findings = withDeployed(deployed).findings;
    expect(findings.map((f) => f.evidence.map((e) => e.path))).toEqual(paths.length ? [paths] : []);
    for (const finding of findings) {
      expect(finding).toMatchObject({ rule: 'diverged-base', severity: 'warn', resource: 'OrdersQueue' });
      expect(finding.message).toContain('the base is not what runs');
    }
  });

  it('shows base, head and deployed values side by side', () => {
    const [finding] = withDeployed([resource('OrdersQueue', { ...baseQueue().properties, VisibilityTimeout: 60 }, { dependsOn: ['Dlq', 'Key'] })]).findings;
    expect(finding!.evidence).toEqual([{ path: 'VisibilityTimeout', base: 30, head: 30, expected: 60 }]);
  });

  it('warns when the resource the PR edits is not in the deployed template at all', () => {
    const [finding] = withDeployed([]).findings;
    expect(finding!.message).toBe('OrdersQueue is on the base branch but not in the deployed template: the base is not what runs.');
  });

  it('does nothing when the deployed template could not be read', () => {
    expect(analyze(input([baseQueue()], [headQueue()], liveState([live('OrdersQueue', 'IN_SYNC')]))).findings).toEqual([]);
  });

  it('redacts a password that differs between base and deployed', () => {
    const db = (pw: string) => resource('Db', { MasterUserPassword: pw, AllocatedStorage: 20 });
    const head = resource('Db', { MasterUserPassword: 'base-pw', AllocatedStorage: 30 });
    const result = analyze({ ...input([db('base-pw')], [head], liveState([])), deployed: template([db('deployed-pw')]) });
    expect(result.findings[0]!.evidence).toEqual([{ path: 'MasterUserPassword', base: '***', head: '***', expected: '***', redacted: true }]);
  });
});
