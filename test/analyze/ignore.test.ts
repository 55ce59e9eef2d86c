import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import { matchesIgnoreRule } from '../../src/analyze/apply-ignore.js';
import type { IgnoreRule } from '../../src/config-types.js';
import { computeConclusion } from '../../src/analyze/verdict.js';
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
    expect(result.ignored).toEqual([{ resource: 'OrdersQueue', path: 'VisibilityTimeout', reason: 'tuned by on-call', reverted: true }]);
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

describe('ignore rules never hide what the pull request overwrites', () => {
  // OrdersService: the PR edits TaskDefinition; DesiredCount is autoscaled (and ignored).
  const service = (taskDefinition: string) =>
    resource('OrdersService', { TaskDefinition: taskDefinition, DesiredCount: 2 }, { type: 'AWS::ECS::Service' });
  const ecs = (differences: ReturnType<typeof diff>[]) => liveState([live('OrdersService', differences.length ? 'MODIFIED' : 'IN_SYNC', differences, 'AWS::ECS::Service'), live('Audit', 'MODIFIED', [diff('DelaySeconds', 0, 9)])]);
  const autoscaled: IgnoreRule = { resource: 'OrdersService', property: 'DesiredCount', reason: 'autoscaled' };
  const anyDrift: IgnoreRule = { resource: 'OrdersService', reason: 'managed by the platform team' };
  const auditIgnored: IgnoreRule = { resource: 'Audit', reason: 'audit queue is tuned live' };

  it.each<[string, { base: string; head: string; drift: ReturnType<typeof diff>[]; ignore: IgnoreRule[] }, { findings: string[]; ignored: string[] }]>([
    [
      'an ignore rule on the very property the PR edits: still a conflict, nothing ignored there',
      { base: 'td:1', head: 'td:2', drift: [diff('TaskDefinition', 'td:1', 'td:9')], ignore: [anyDrift] },
      { findings: ['conflict OrdersService', 'drift-elsewhere Audit'], ignored: [] },
    ],
    [
      'a revert of an untouched ignored property: ignored, counted as reset by the deploy',
      { base: 'td:1', head: 'td:2', drift: [diff('DesiredCount', 2, 7)], ignore: [autoscaled] },
      { findings: ['drift-elsewhere Audit'], ignored: ['OrdersService DesiredCount reverted'] },
    ],
    [
      'both: the edited property conflicts, the untouched one is ignored',
      { base: 'td:1', head: 'td:2', drift: [diff('TaskDefinition', 'td:1', 'td:9'), diff('DesiredCount', 2, 7)], ignore: [anyDrift] },
      { findings: ['conflict OrdersService', 'drift-elsewhere Audit'], ignored: ['OrdersService DesiredCount reverted'] },
    ],
    [
      'drift elsewhere matching a rule: ignored, not reset by this deploy',
      { base: 'td:1', head: 'td:2', drift: [], ignore: [auditIgnored] },
      { findings: [], ignored: ['Audit DelaySeconds'] },
    ],
    [
      'a rule for an untouched property does not cover the edited one',
      { base: 'td:1', head: 'td:2', drift: [diff('TaskDefinition', 'td:1', 'td:9'), diff('DesiredCount', 2, 7)], ignore: [autoscaled] },
      { findings: ['conflict OrdersService', 'drift-elsewhere Audit'], ignored: ['OrdersService DesiredCount reverted'] },
    ],
  ])('%s', (_name, { base, head, drift, ignore }, expected) => {
    const result = analyze(input([service(base)], [service(head)], ecs(drift), { ignore }));
    expect(result.findings.map((f) => `${f.rule} ${f.resource}`)).toEqual(expected.findings);
    expect(result.ignored.map((i) => `${i.resource} ${i.path}${i.reverted ? ' reverted' : ''}`)).toEqual(expected.ignored);
  });

  it('blocks, and says the ignore rule does not apply, when the PR overwrites an ignored live value', () => {
    const result = analyze(input([service('td:1')], [service('td:2')], ecs([diff('TaskDefinition', 'td:1', 'td:9')]), { ignore: [anyDrift] }));
    const conflict = result.findings.find((f) => f.rule === 'conflict')!;
    expect(conflict.message).toContain('The ignore rule for it ("managed by the platform team") does not apply to a property this pull request edits.');
    expect(computeConclusion(result.findings, true)).toBe('failure');
  });
});
