import { describe, expect, it } from 'vitest';
import { type AnalyzeInput, analyze } from '../../src/analyze/analyze.js';
import { applyPolicy, computeConclusion, isLiveRead } from '../../src/analyze/verdict.js';
import type { Conclusion, LiveResource } from '../../src/types.js';
import { CHECKED_AT, FILE, diff, input, live, liveState, resource } from './builders.js';

const MAPPING = 'AWS::Lambda::EventSourceMapping';
const mapping = (batchSize: number) => resource('OrdersMapping', { FunctionName: 'orders', BatchSize: batchSize }, { type: MAPPING });
const unchecked = live('OrdersMapping', 'NOT_CHECKED', [], MAPPING);
const inSync = live('AuditQueue', 'IN_SYNC');

/** The PR raises BatchSize 10 -> 20 on the mapping; `resources` is what drift detection returned. */
const edit = (resources: LiveResource[], extra: Parameters<typeof liveState>[1] = {}): AnalyzeInput =>
  input([mapping(10)], [mapping(20)], liveState(resources, extra));

const summary = (i: AnalyzeInput) => analyze(i).findings.map((f) => `${f.severity} ${f.rule} ${f.resource ?? '-'}`);

describe('a changed resource whose live state was never checked', () => {
  it.each<[string, AnalyzeInput, string[]]>([
    ['warns when drift detection does not support the edited resource type', edit([unchecked, inSync]), ['warn unreadable OrdersMapping']],
    ['warns when the edited resource is missing from the drift results', edit([inSync]), ['warn unreadable OrdersMapping']],
    [
      'warns when a reused detection has no result for the edited resource',
      edit([inSync], { drift: { reused: true, checkedAt: CHECKED_AT, status: 'DETECTION_COMPLETE', resources: [inSync] } }),
      ['warn unreadable OrdersMapping'],
    ],
    [
      'warns when normalization could not tell whether a reordered list matters',
      edit([{ ...live('OrdersMapping', 'NOT_CHECKED', [diff('FunctionResponseTypes.0', 'A', 'B')], MAPPING), normalizedAway: 0 }]),
      ['warn unreadable OrdersMapping'],
    ],
    ['stays quiet for a new resource (it does not exist live yet)', input([], [mapping(20)], liveState([unchecked])), []],
    ['stays quiet for a removed resource (removing needs no live check)', input([mapping(10)], [], liveState([unchecked])), []],
    [
      'stays quiet when the edit only touches DependsOn (nothing is deployed to it)',
      {
        ...edit([unchecked]),
        changes: [{ logicalId: 'OrdersMapping', type: MAPPING, action: 'change', changedProperties: [], changedAttributes: ['DependsOn'] }],
      },
      [],
    ],
    ['says nothing more per resource when drift could not be read at all', edit([], { drift: undefined }), ['warn unreadable -']],
    [
      'stays quiet when the differences that made it unverifiable are all ignored by the team',
      {
        ...edit([live('OrdersMapping', 'NOT_CHECKED', [diff('FunctionResponseTypes.0', 'A', 'B')], MAPPING)]),
        ignore: [{ resource: 'OrdersMapping', property: 'FunctionResponseTypes', reason: 'order does not matter' }],
      },
      [],
    ],
    ['stays quiet when the edited resource was checked and is in sync', edit([live('OrdersMapping', 'IN_SYNC', [], MAPPING)]), []],
  ])('%s', (_name, analyzeInput, expected) => {
    expect(summary(analyzeInput)).toEqual(expected);
  });

  it.each<[string, AnalyzeInput, string]>([
    [
      'an unsupported type',
      edit([unchecked]),
      'Drift detection did not check OrdersMapping (AWS::Lambda::EventSourceMapping is not supported by drift detection), so this change could not be verified against live state.',
    ],
    [
      'a missing result',
      edit([inSync]),
      'Drift detection has no result for OrdersMapping (it may not be in the deployed stack), so this change could not be verified against live state.',
    ],
    [
      'a reused detection',
      edit([inSync], { drift: { reused: true, checkedAt: CHECKED_AT, status: 'DETECTION_COMPLETE', resources: [inSync] } }),
      `Drift detection has no result for OrdersMapping (the detection reused from ${CHECKED_AT} may predate it), so this change could not be verified against live state.`,
    ],
    [
      'an unfinished detection',
      edit([unchecked], { drift: { reused: false, checkedAt: CHECKED_AT, status: 'DETECTION_FAILED', resources: [unchecked] } }),
      'Drift detection did not check OrdersMapping (drift detection ended DETECTION_FAILED without checking it), so this change could not be verified against live state.',
    ],
    [
      'an unverifiable reorder',
      edit([live('OrdersMapping', 'NOT_CHECKED', [diff('FunctionResponseTypes.0', 'A', 'B'), diff('FunctionResponseTypes.1', 'B', 'A')], MAPPING)]),
      'Drift detection could not verify OrdersMapping: AWS reports FunctionResponseTypes.0 and FunctionResponseTypes.1 in another order than the template, and whether that order matters to AWS::Lambda::EventSourceMapping cannot be told, so this change could not be verified against live state.',
    ],
  ])('says why the change could not be verified: %s', (_name, analyzeInput, message) => {
    const finding = analyze(analyzeInput).findings.find((f) => f.resource === 'OrdersMapping');
    expect(finding?.message).toBe(message);
  });

  it('points at the edited resource in the head file', () => {
    const head = mapping(20);
    const [finding] = analyze(input([mapping(10)], [head], liveState([unchecked]))).findings;
    expect(finding).toMatchObject({
      rule: 'unreadable',
      severity: 'warn',
      target: 'orders',
      resource: 'OrdersMapping',
      resourceType: MAPPING,
      physicalId: 'phys-OrdersMapping',
      file: FILE,
      span: head.span,
      evidence: [],
    });
  });

  it('shows the reordered values it could not judge, redacted like any drift', () => {
    const state = liveState([live('OrdersMapping', 'NOT_CHECKED', [diff('FunctionResponseTypes.0', 'A', 'B')], MAPPING)]);
    const [finding] = analyze(input([mapping(10)], [mapping(20)], state)).findings;
    expect(finding!.evidence).toEqual([{ path: 'FunctionResponseTypes.0', expected: 'A', live: 'B' }]);
  });

  it.each<[string, 'warn' | 'block', Conclusion]>([
    ['is neutral, never a green check, under policy.unreadable: warn', 'warn', 'neutral'],
    ['fails under policy.unreadable: block', 'block', 'failure'],
  ])('a PR whose only change was never checked %s', (_name, unreadable, expected) => {
    const state = liveState([unchecked, inSync]);
    expect(isLiveRead(state)).toBe(true);
    const findings = applyPolicy(analyze(edit([unchecked, inSync])).findings, { unreadable });
    expect(computeConclusion(findings, true)).toBe(expected);
  });
});
