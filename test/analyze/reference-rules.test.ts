// What a reference's declared and live answers mean, and how the verdict treats them.
import { describe, expect, it } from 'vitest';
import { referenceFindings } from '../../src/analyze/rules/reference-rules.js';
import { applyPolicy, computeConclusion } from '../../src/analyze/verdict.js';
import { resolveReferences } from '../../src/references/compute-reference-result.js';
import type { CodeReference, DeclaredName, LiveAnswer, ResolvedReference } from '../../src/references/types.js';

const reference: CodeReference = {
  file: 'src/a.ts', line: 7, column: 40, text: 'https://sqs.us-east-1.amazonaws.com/480157929311/orders',
  service: 'sqs', type: 'AWS::SQS::Queue', name: 'orders', account: '480157929311', region: 'us-east-1', pattern: 'sqs-queue-url',
};
const declared: DeclaredName = { type: 'AWS::SQS::Queue', name: 'orders', target: 'orders', file: 'infra/orders.yaml', line: 9 };
const readAt = '2026-12-01T12:00:00.000Z';
const absent: LiveAnswer = { kind: 'absent', api: 'cloudcontrol:GetResource', how: 'AWS::SQS::Queue x', code: 'ResourceNotFoundException', readAt, cached: false };
const found: LiveAnswer = { kind: 'found', api: 'cloudcontrol:GetResource', how: 'AWS::SQS::Queue x', readAt, cached: false };
const denied: LiveAnswer = { kind: 'not-checked', api: 'cloudcontrol:GetResource', code: 'AccessDeniedException', reason: 'not authorized' };

function one(resolved: Omit<ResolvedReference, 'reference'>, aiAuthored: boolean) {
  return referenceFindings({ target: 'references in code', resolved: [{ reference, ...resolved }], aiAuthored, skipped: 0, maxLookups: 50 });
}

describe('reference findings', () => {
  it.each([
    ['absent, not created, AI-authored', { declared: [], createdByPullRequest: false, live: absent }, true, [['stale-reference', 'block']]],
    ['absent, not created, a person', { declared: [], createdByPullRequest: false, live: absent }, false, [['stale-reference', 'warn']]],
    ['absent, declared but not by this pull request', { declared: [declared], createdByPullRequest: false, live: absent }, true, [['stale-reference', 'block']]],
    ['absent, created by this pull request', { declared: [declared], createdByPullRequest: true, live: absent }, true, [['stale-reference', 'info']]],
    ['exists, declared', { declared: [declared], createdByPullRequest: false, live: found }, true, []],
    ['exists, declared by no target', { declared: [], createdByPullRequest: false, live: found }, true, [['unmanaged-reference', 'info']]],
    ['not checked', { declared: [], createdByPullRequest: false, live: denied }, true, [['unreadable', 'warn']]],
  ] as const)('%s', (_name, resolved, ai, want) => {
    const findings = one(resolved as unknown as Omit<ResolvedReference, 'reference'>, ai);
    expect(findings.map((f) => [f.rule, f.severity])).toEqual(want);
    for (const f of findings) expect(f).toMatchObject({ file: 'src/a.ts', span: { startLine: 7, endLine: 7 } });
  });

  it('says how many resources the bound left unlooked-up', () => {
    const findings = referenceFindings({ target: 't', resolved: [{ reference, declared: [], createdByPullRequest: false, live: { kind: 'skipped' } }], aiAuthored: true, skipped: 3, maxLookups: 2 });
    expect(findings).toEqual([expect.objectContaining({ rule: 'unreadable', message: expect.stringContaining('3 referenced resources were not looked up') })]);
  });
});

describe('under policy.ai: strict', () => {
  it('keeps an existing resource no target declares a note, and passes', () => {
    const findings = applyPolicy(one({ declared: [], createdByPullRequest: false, live: found }, true), { unreadable: 'warn', aiStrict: true });
    expect(findings.map((f) => f.severity)).toEqual(['info']);
    expect(computeConclusion(findings, true)).toBe('success');
  });

  it('keeps "declared in this pull request, not deployed yet" a note', () => {
    const findings = applyPolicy(one({ declared: [declared], createdByPullRequest: true, live: absent }, true), { unreadable: 'warn', aiStrict: true });
    expect(findings.map((f) => f.severity)).toEqual(['info']);
  });

  it('blocks on a reference it could not check', () => {
    const findings = applyPolicy(one({ declared: [], createdByPullRequest: false, live: denied }, true), { unreadable: 'warn', aiStrict: true });
    expect(computeConclusion(findings, false)).toBe('failure');
  });
});

describe('created by this pull request', () => {
  it('is when the pull request adds the line that declares the name', () => {
    const added = new Map([['infra/orders.yaml', new Set([9])]]);
    const [adds] = resolveReferences([reference], [declared], added, [absent]);
    const [already] = resolveReferences([reference], [declared], new Map([['infra/orders.yaml', new Set([20])]]), [absent]);
    expect(adds!.createdByPullRequest).toBe(true);
    expect(already!.createdByPullRequest).toBe(false);
  });
});
