import { describe, expect, it } from 'vitest';
import { unparseableFinding } from '../../src/analyze/findings.js';
import { applyPolicy, computeConclusion, isLiveRead } from '../../src/analyze/verdict.js';
import type { Conclusion, Finding, RuleId, Severity } from '../../src/types.js';
import { liveState } from './builders.js';

const f = (rule: RuleId, severity: Severity): Finding => ({ rule, severity, target: 'orders', message: `${rule} ${severity}`, evidence: [] });
/** The note that a changed resource is not deployed in this stack (its Condition is false here). */
const notDeployed = (): Finding => ({ ...f('unreadable', 'info'), notDeployed: true });

describe('conclusion', () => {
  it.each<[string, Finding[], boolean, Conclusion]>([
    ['passes when live was read and nothing is stale', [], true, 'success'],
    ['passes with informational notes only', [f('drift-elsewhere', 'info')], true, 'success'],
    ['is neutral on a warning', [f('diverged-base', 'warn'), f('drift-elsewhere', 'info')], true, 'neutral'],
    ['fails on any block', [f('revert', 'block'), f('diverged-base', 'warn')], true, 'failure'],
    ['never passes when live state was not read', [], false, 'neutral'],
    ['never passes with info only when live state was not read', [f('drift-elsewhere', 'info')], false, 'neutral'],
    ['never passes when something was unreadable', [f('unreadable', 'warn')], true, 'neutral'],
    [
      'passes with a note that a changed resource is not deployed in this stack',
      [notDeployed(), f('drift-elsewhere', 'info')],
      true,
      'success',
    ],
    ['never passes with that note when live state was not read', [notDeployed()], false, 'neutral'],
    ['never passes on an unreadable finding at info that is not the not-deployed note', [f('unreadable', 'info')], true, 'neutral'],
    ['still fails on a block when live state was not read', [f('unparseable', 'block')], false, 'failure'],
  ])('%s', (_name, findings, liveRead, expected) => {
    expect(computeConclusion(findings, liveRead)).toBe(expected);
  });
});

describe('policy', () => {
  it.each<[string, Finding, Parameters<typeof applyPolicy>[1], Severity]>([
    ['unreadable blocks under policy.unreadable: block', f('unreadable', 'warn'), { unreadable: 'block' }, 'block'],
    ['unreadable warns under policy.unreadable: warn', f('unreadable', 'warn'), { unreadable: 'warn' }, 'warn'],
    ['a diverged base warns for a human PR', f('diverged-base', 'warn'), { unreadable: 'warn' }, 'warn'],
    ['a diverged base blocks an AI PR under strict', f('diverged-base', 'warn'), { unreadable: 'warn', aiStrict: true }, 'block'],
    ['drift elsewhere blocks an AI PR under strict', f('drift-elsewhere', 'info'), { unreadable: 'warn', aiStrict: true }, 'block'],
    ['unreadable blocks an AI PR under strict', f('unreadable', 'warn'), { unreadable: 'warn', aiStrict: true }, 'block'],
    ['a broken config stays neutral even for an AI PR', f('config-error', 'warn'), { unreadable: 'block', aiStrict: true }, 'warn'],
    ['drift elsewhere stays informational for a human PR', f('drift-elsewhere', 'info'), { unreadable: 'block', aiStrict: false }, 'info'],
    ['a resource not deployed in this stack stays a note under policy.unreadable: block', notDeployed(), { unreadable: 'block' }, 'info'],
    ['a resource not deployed in this stack stays a note for an AI PR under strict: nothing live to be stale against', notDeployed(), { unreadable: 'warn', aiStrict: true }, 'info'],
    ['any other unreadable finding takes policy.unreadable: block, whatever its severity', f('unreadable', 'info'), { unreadable: 'block' }, 'block'],
  ])('%s', (_name, finding, policy, expected) => {
    expect(applyPolicy([finding], policy)[0]!.severity).toBe(expected);
  });

  it('re-sorts findings whose severity the policy raised', () => {
    const out = applyPolicy([f('revert', 'block'), f('drift-elsewhere', 'info'), f('unreadable', 'warn')], { unreadable: 'block' });
    expect(out.map((x) => `${x.severity} ${x.rule}`)).toEqual(['block revert', 'block unreadable', 'info drift-elsewhere']);
  });

  it('does not change the findings it was given', () => {
    const input = [f('unreadable', 'warn')];
    applyPolicy(input, { unreadable: 'block' });
    expect(input[0]!.severity).toBe('warn');
  });
});

describe('live read', () => {
  it.each<[string, Parameters<typeof liveState>[1], boolean]>([
    ['a complete detection with no failed call', {}, true],
    ['no drift result', { drift: undefined }, false],
    ['a failed call', { unreadable: [{ api: 'cloudformation:GetTemplate', code: 'AccessDenied', message: '', retryable: false }] }, false],
    ['a partial detection', { drift: { reused: true, checkedAt: 'x', status: 'DETECTION_FAILED', resources: [] } }, false],
  ])('%s counts as read: %s', (_name, extra, expected) => {
    expect(isLiveRead(liveState([], extra))).toBe(expected);
  });
});

describe('findings raised outside analyze', () => {
  it('blocks on a template that does not parse, at its line', () => {
    expect(unparseableFinding({ name: 'orders' }, { file: 'infra/orders.yaml', line: 12, column: 3, message: 'bad indentation' })).toEqual({
      rule: 'unparseable',
      severity: 'block',
      target: 'orders',
      message: 'infra/orders.yaml does not parse (line 12, column 3): bad indentation',
      file: 'infra/orders.yaml',
      span: { startLine: 12, endLine: 12 },
      evidence: [],
    });
  });

  it('says which side of the PR does not parse', () => {
    const finding = unparseableFinding('orders', { file: 'infra/orders.yaml', line: 4, message: 'unknown tag !Reff' }, 'head');
    expect(finding.message).toBe('infra/orders.yaml does not parse on the head commit (line 4): unknown tag !Reff');
  });

});
