import { describe, expect, it } from 'vitest';
import { analyzeTarget, type CloudFormationEvidence, type TargetEvidence } from '../../src/analyze/analyze-target.js';
import { judgeTargets } from '../../src/analyze/verdict.js';
import type { ScopeNote } from '../../src/types.js';
import { computeScope, extendScope } from '../../src/scope.js';
import type { Target } from '../../src/config-types.js';
import { FILE, input, live, liveState, resource } from './builders.js';

const target = { name: 'orders', kind: 'cloudformation' as const, stack: 'orders-prod', file: FILE };

/** A target whose edit was compared with a complete, clean detection. */
function compared(notes: ScopeNote[] = [], extra: Partial<NonNullable<CloudFormationEvidence['compared']>> = {}): TargetEvidence {
  const queue = (n: number) => resource('OrdersQueue', { VisibilityTimeout: n });
  const { target: _t, ignore: _i, ...layers } = input([queue(30)], [queue(60)], liveState([live('OrdersQueue', 'IN_SYNC')]));
  return { target, notes, unparseable: [], compared: { ...layers, ...extra } };
}

const verdictOf = (evidence: TargetEvidence, unreadable: 'warn' | 'block' = 'warn') => judgeTargets([analyzeTarget(evidence, [])], { unreadable }).conclusion;

describe('what scope and the declared step could not check becomes findings in analyze', () => {
  it.each<[string, TargetEvidence, string[], 'success' | 'neutral' | 'failure']>([
    ['a clean comparison passes', compared(), [], 'success'],
    [
      'a Terraform target is not checked, never passed',
      { target: { name: 'network', kind: 'terraform', file: 'tf/network' }, notes: [{ kind: 'unsupported-target', targetKind: 'terraform', dir: 'tf/network' }], unparseable: [] },
      ['warn unreadable Terraform targets are not supported by this version of realitycheck, so tf/network was not checked against live state.'],
      'neutral',
    ],
    [
      'a head file GitHub could not serve is not checked',
      { target, notes: [{ kind: 'missing-head', file: FILE }], unparseable: [] },
      [`warn unreadable ${FILE} could not be read at the head commit although the pull request lists it as changed, so nothing was compared.`],
      'neutral',
    ],
    [
      'a moved template is a note and does not keep a clean comparison from success',
      compared([{ kind: 'template-moved', from: 'infra/old.yaml', to: FILE, configFile: '.github/realitycheck.yml' }]),
      [`info config-error This pull request moves infra/old.yaml to ${FILE}: after merging, point template in .github/realitycheck.yml at the new path, or realitycheck stops checking it.`],
      'success',
    ],
    [
      'a key the head template writes twice is a note with its line, and does not keep a clean comparison from success',
      compared([{ kind: 'template-warning', warning: { file: FILE, line: 7, column: 7, message: 'the key "DelaySeconds" is written twice in one mapping, on lines 7 and 9: line 9 is read (as YAML loaders do) and line 7 is ignored' } }]),
      [`info unparseable ${FILE} line 7: the key "DelaySeconds" is written twice in one mapping, on lines 7 and 9: line 9 is read (as YAML loaders do) and line 7 is ignored.`],
      'success',
    ],
    [
      'a deployed template that does not parse is unreadable',
      compared([], { deployedError: { file: 'deployed template of orders-prod', line: 3, message: 'unexpected end of the stream' } }),
      [
        'warn unreadable Could not read live state: cloudformation:GetTemplate failed with UnparseableTemplate: the deployed template could not be parsed (unexpected end of the stream), so it was not compared with the base branch.',
      ],
      'neutral',
    ],
  ])('%s', (_name, evidence, findings, conclusion) => {
    const { result } = analyzeTarget(evidence, []);
    expect(result.findings.map((f) => `${f.severity} ${f.rule} ${f.message}`)).toEqual(findings);
    expect(verdictOf(evidence)).toBe(conclusion);
  });

  it('blocks on what was not checked under policy.unreadable: block', () => {
    expect(verdictOf({ target, notes: [{ kind: 'missing-head', file: FILE }], unparseable: [] }, 'block')).toBe('failure');
  });

  it('does not change the evidence it was given', () => {
    const evidence = compared([{ kind: 'missing-head', file: FILE }]);
    const before = structuredClone(evidence);
    analyzeTarget(evidence, []);
    expect(evidence).toEqual(before);
  });
});

describe('scope', () => {
  const targets: Target[] = [
    { kind: 'cloudformation', name: 'orders', stack: 'orders-prod', template: 'infra/orders.yaml' },
    { kind: 'cloudformation', name: 'payments', stack: 'payments-prod', template: 'infra/payments.yaml' },
  ];

  it('says when GitHub listed fewer files than the pull request changes', () => {
    const scope = computeScope(targets, ['infra/orders.yaml'], 3000, 3400);
    expect(scope.touched.map((t) => t.target.name)).toEqual(['orders']);
    expect(scope.cutShort).toEqual({ listed: 3000, total: 3400 });
  });

  it('adds the targets found changed past a cut-short list, in the configuration\'s order', () => {
    const scope = computeScope(targets, ['infra/payments.yaml'], 3000, 3400);
    expect(extendScope(targets, scope, [targets[0]!]).touched.map((t) => t.target.name)).toEqual(['orders', 'payments']);
  });

  it('notes nothing when GitHub listed every file', () => {
    expect(computeScope(targets, ['infra/orders.yaml', 'infra/payments.yaml'], 2, 2)).toEqual({
      touched: [
        { target: targets[0], notes: [] },
        { target: targets[1], notes: [] },
      ],
    });
  });
});
