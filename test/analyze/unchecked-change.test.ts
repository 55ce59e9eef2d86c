import { describe, expect, it } from 'vitest';
import { type AnalyzeInput, analyze } from '../../src/analyze/analyze.js';
import { applyPolicy, computeConclusion, isLiveRead } from '../../src/analyze/verdict.js';
import type { Conclusion, DeclaredResource, LiveResource } from '../../src/types.js';
import { CHECKED_AT, FILE, diff, input, live, liveState, resource, template } from './builders.js';

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
      'a resource the provider says why it did not check',
      edit([{ ...unchecked, notCheckedReason: 'its drift record predates the last deploy' }]),
      'Drift detection did not check OrdersMapping (its drift record predates the last deploy), so this change could not be verified against live state.',
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

describe('a changed resource that is not deployed in this stack (its Condition is false here)', () => {
  const withCondition = (r: DeclaredResource, condition: string | undefined): DeclaredResource =>
    condition === undefined ? r : Object.assign(r, { attributes: { Condition: condition } });
  const prodOnly = (batchSize: number, condition: string | undefined) => withCondition(mapping(batchSize), condition);
  const staging = (resources: LiveResource[], extra: Parameters<typeof liveState>[1] = {}) => {
    const state = liveState(resources, extra);
    state.stack!.name = 'orders-staging';
    return state;
  };
  /** The PR raises BatchSize on a mapping whose base and head conditions are given; `resources` is what drift detection returned. */
  const conditional = (base: string | undefined, head: string | undefined, resources: LiveResource[], extra: Parameters<typeof liveState>[1] = {}) =>
    input([prodOnly(10, base)], [prodOnly(20, head)], staging(resources, extra));

  it.each<[string, AnalyzeInput, string[]]>([
    ['is only a note when a prod-only resource (Condition: IsProd) is missing from staging', conditional('IsProd', 'IsProd', [inSync]), ['info unreadable OrdersMapping']],
    ['is only a note when this PR changes or drops the Condition too', conditional('IsProd', undefined, [inSync]), ['info unreadable OrdersMapping']],
    [
      'is only a note when the deployed template has the Condition',
      { ...conditional(undefined, undefined, [inSync]), deployed: template([prodOnly(10, 'IsProd')]) },
      ['info unreadable OrdersMapping'],
    ],
    [
      'still warns when the deployed template declares it without a Condition',
      { ...conditional('IsProd', 'IsProd', [inSync]), deployed: template([prodOnly(10, undefined)]) },
      ['warn unreadable OrdersMapping'],
    ],
    [
      'still warns when the deployed template does not declare it at all',
      { ...conditional('IsProd', 'IsProd', [inSync]), deployed: template([]) },
      ['warn diverged-base OrdersMapping', 'warn unreadable OrdersMapping'],
    ],
    ['still warns when only this PR adds the Condition (the base says it is deployed)', conditional(undefined, 'IsProd', [inSync]), ['warn unreadable OrdersMapping']],
    [
      'still warns when a reused detection may predate it',
      conditional('IsProd', 'IsProd', [inSync], { drift: { reused: true, checkedAt: CHECKED_AT, status: 'DETECTION_COMPLETE', resources: [inSync] } }),
      ['warn unreadable OrdersMapping'],
    ],
    [
      'still warns when drift detection did not finish',
      conditional('IsProd', 'IsProd', [inSync], { drift: { reused: false, checkedAt: CHECKED_AT, status: 'DETECTION_FAILED', resources: [inSync] } }),
      ['warn unreadable -', 'warn unreadable OrdersMapping'],
    ],
    ['still warns when it is deployed but drift detection did not check it', conditional('IsProd', 'IsProd', [unchecked, inSync]), ['warn unreadable OrdersMapping']],
  ])('%s', (_name, analyzeInput, expected) => {
    expect(summary(analyzeInput)).toEqual(expected);
  });

  it.each<[string, AnalyzeInput, string]>([
    [
      'the same Condition on both sides',
      conditional('IsProd', 'IsProd', [inSync]),
      'OrdersMapping is not deployed in this stack (orders-staging): it has Condition IsProd, and drift detection found no such resource here, as expected where that condition is false, so there is no live state to compare this change with.',
    ],
    [
      'a Condition this PR changes',
      conditional('IsProd', 'IsProdOrStaging', [inSync]),
      'OrdersMapping is not deployed in this stack (orders-staging): it has Condition IsProd (this PR changes it to IsProdOrStaging), and drift detection found no such resource here, as expected where that condition is false, so there is no live state to compare this change with.',
    ],
    [
      'a Condition this PR removes',
      conditional('IsProd', undefined, [inSync]),
      'OrdersMapping is not deployed in this stack (orders-staging): it has Condition IsProd (this PR removes it), and drift detection found no such resource here, as expected where that condition is false, so there is no live state to compare this change with.',
    ],
  ])('says it is not deployed here and names the condition: %s', (_name, analyzeInput, message) => {
    const finding = analyze(analyzeInput).findings.find((f) => f.resource === 'OrdersMapping');
    expect(finding).toMatchObject({ rule: 'unreadable', severity: 'info', notDeployed: true, file: FILE, evidence: [], message });
  });

  it.each<[string, AnalyzeInput, 'warn' | 'block', Conclusion]>([
    ['passes when a prod-only resource is missing from staging (policy.unreadable: warn)', conditional('IsProd', 'IsProd', [inSync]), 'warn', 'success'],
    ['passes when a prod-only resource is missing from staging (policy.unreadable: block)', conditional('IsProd', 'IsProd', [inSync]), 'block', 'success'],
    ['is never a green check when that resource is deployed but NOT_CHECKED (policy.unreadable: warn)', conditional('IsProd', 'IsProd', [unchecked, inSync]), 'warn', 'neutral'],
    ['fails when that resource is deployed but NOT_CHECKED (policy.unreadable: block)', conditional('IsProd', 'IsProd', [unchecked, inSync]), 'block', 'failure'],
    ['is never a green check when a resource without a Condition is missing live', conditional(undefined, undefined, [inSync]), 'warn', 'neutral'],
  ])('a PR whose only change is to a conditional resource %s', (_name, analyzeInput, unreadable, expected) => {
    expect(isLiveRead(analyzeInput.live)).toBe(true);
    const findings = applyPolicy(analyze(analyzeInput).findings, { unreadable });
    expect(computeConclusion(findings, true)).toBe(expected);
  });
});
