import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import { matchesIgnoreRule } from '../../src/analyze/apply-ignore.js';
import type { IgnoreRule } from '../../src/config.js';
import { diff, input, live, liveState, resource } from './builders.js';

describe('ignore rule globs', () => {
  const service = { logicalId: 'OrdersService', type: 'AWS::ECS::Service' };
  it.each<[IgnoreRule, string, boolean]>([
    [{ resource: 'OrdersService', property: 'DesiredCount', reason: 'autoscaled' }, 'DesiredCount', true],
    [{ resource: 'OrdersService', property: 'DesiredCount', reason: 'r' }, 'TaskDefinition', false],
    [{ resource: 'Orders*', reason: 'r' }, 'DesiredCount', true],
    [{ resource: 'Payments*', reason: 'r' }, 'DesiredCount', false],
    [{ type: 'AWS::ECS::*', reason: 'r' }, 'DesiredCount', true],
    [{ type: 'AWS::SQS::*', reason: 'r' }, 'DesiredCount', false],
    [{ property: 'Tags.*.Value', reason: 'r' }, 'Tags.0.Value', true],
    [{ property: 'Tags.*', reason: 'r' }, 'Tags.0.Value', true], // ancestor Tags.0 matches
    [{ property: 'Tags', reason: 'r' }, 'Tags.0.Value', true],
    [{ property: '*.Value', reason: 'r' }, 'Tags.0.Value', false], // * stays within one segment
    [{ property: '**.Value', reason: 'r' }, 'Tags.0.Value', true],
    [{ property: 'Tag', reason: 'r' }, 'Tags.0.Value', false],
    [{ property: 'Desired.Count', reason: 'r' }, 'DesiredXCount', false], // dot is literal
    [{ resource: 'OrdersService', type: 'AWS::SQS::Queue', reason: 'r' }, 'DesiredCount', false], // all fields must match
  ])('%j on path %s matches: %s', (rule, path, expected) => {
    expect(matchesIgnoreRule(rule, service, path)).toBe(expected);
  });
});

describe('ignored drift', () => {
  const queue = (n: number) => resource('OrdersQueue', { VisibilityTimeout: 30, DelaySeconds: n });
  const state = () => liveState([live('OrdersQueue', 'MODIFIED', [diff('VisibilityTimeout', 30, 120)]), live('Audit', 'MODIFIED', [diff('DelaySeconds', 0, 9)])]);

  it('drops expected drift from the verdict but counts it, with the reason', () => {
    const ignore: IgnoreRule[] = [{ resource: 'OrdersQueue', property: 'VisibilityTimeout', reason: 'tuned by on-call' }];
    const result = analyze(input([queue(0)], [queue(5)], state(), { ignore }));
    expect(result.findings.map((f) => `${f.rule} ${f.resource}`)).toEqual(['drift-elsewhere Audit']);
    expect(result.ignored).toEqual([{ resource: 'OrdersQueue', path: 'VisibilityTimeout', reason: 'tuned by on-call' }]);
    expect(result.coverage).toEqual({ inSync: 1, drifted: 1, deleted: 0, notChecked: 0 });
  });

  it('still blocks on drift the rule does not cover', () => {
    const ignore: IgnoreRule[] = [{ resource: 'OrdersQueue', property: 'MessageRetentionPeriod', reason: 'x' }];
    const result = analyze(input([queue(0)], [queue(5)], state(), { ignore }));
    expect(result.findings[0]).toMatchObject({ rule: 'revert', resource: 'OrdersQueue' });
    expect(result.ignored).toEqual([]);
  });

  it('never ignores a deletion', () => {
    const ignore: IgnoreRule[] = [{ resource: 'OrdersQueue', reason: 'x' }];
    const result = analyze(input([queue(0)], [queue(5)], liveState([live('OrdersQueue', 'DELETED')]), { ignore }));
    expect(result.findings.map((f) => f.rule)).toEqual(['deleted']);
  });
});
