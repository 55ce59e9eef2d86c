// The references check in the comment: a name a pull request adds is untrusted text, shown
// only in code spans, in the finding, the look-ups table and the next steps.
import { describe, expect, it } from 'vitest';
import { judgeTargets } from '../../src/analyze/verdict.js';
import { computeReferenceAnalysis } from '../../src/references/compute-reference-result.js';
import { buildReport } from '../../src/report/build-report.js';
import type { CodeReference } from '../../src/references/types.js';
import { countCellPipes, run, splitCodeSpans } from './fixtures.js';

// What the `sdk-table-name` row accepts as a value: no quotes, spaces or `$`, anything else.
const NASTY = '@octocat|**bold**<b>x</b>[l](https://evil.example)';

function report(cut: Array<{ file: string; why: string }> = [], exists = false) {
  const reference: CodeReference = { file: 'src/a.ts', line: 3, column: 20, text: NASTY, service: 'dynamodb', type: 'AWS::DynamoDB::Table', name: NASTY, pattern: 'sdk-table-name' };
  const analysis = computeReferenceAnalysis({
    resolved: [
      exists
        ? { reference, declared: [{ type: 'AWS::DynamoDB::Table', name: NASTY, target: 'orders', file: 'infra/orders.yaml', line: 9 }], createdByPullRequest: false, live: { kind: 'found', api: 'cloudcontrol:GetResource', how: 'x', readAt: '2026-12-01T12:00:00.000Z', cached: false } }
        : { reference, declared: [], createdByPullRequest: false, live: { kind: 'absent', api: 'cloudcontrol:GetResource', how: `AWS::DynamoDB::Table ${NASTY}`, code: 'ResourceNotFoundException', region: 'us-east-1', readAt: '2026-12-01T12:00:00.000Z', cached: false } },
    ],
    aiAuthored: true,
    lookups: 1,
    skipped: 0,
    maxLookups: 50,
    declaredProblems: [],
    limits: { scanned: 100, cut },
    readAt: '2026-12-01T12:00:00.000Z',
  });
  const verdict = judgeTargets([analysis], { unreadable: 'warn', aiStrict: true });
  return buildReport({ ...run(verdict.results), conclusion: verdict.conclusion });
}

describe('references in the report', () => {
  it('shows the reference, the look-up and the answer in code spans only', () => {
    const { comment, check } = report();
    const { outside } = splitCodeSpans(comment);
    expect(outside).not.toContain('@octocat');
    expect(outside).not.toContain('<b>');
    expect(outside).not.toContain('](https://evil');
    expect(comment).toContain('cloudcontrol:GetResource');
    expect(comment).toContain('ResourceNotFoundException');
    const lines = comment.split('\n');
    const lookup = lines.filter((l) => l.includes('| `src/a.ts:3` |'));
    const evidence = lines.filter((l) => l.startsWith('| `cloudcontrol:GetResource` |'));
    expect(lookup.map(countCellPipes)).toEqual([6]); // reference | where | type | looked up | answer
    expect(evidence.map(countCellPipes)).toEqual([5]); // property | base | pull request | live
    expect(check.annotations).toEqual([expect.objectContaining({ path: 'src/a.ts', start_line: 3, annotation_level: 'failure', title: `stale-reference: ${NASTY}` })]);
  });

  it('says which added lines were not read, also when every reference checked out', () => {
    const { comment } = report([{ file: 'dist/app.js', why: '1 line is longer than 4,000 characters; only its start was read' }], true);
    expect(comment).toContain('✅');
    expect(comment).toContain('Not read in full');
    expect(comment).toContain('`dist/app.js`');
  });
});
