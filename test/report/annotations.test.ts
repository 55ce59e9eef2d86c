import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build-report.js';
import { finding, run, target } from './fixtures.js';

describe('check-run annotations', () => {
  it('annotates each finding with a file and lines, at a level matching its severity', () => {
    const report = buildReport(
      run([
        target({
          findings: [
            finding({ severity: 'info', rule: 'drift-elsewhere', resource: 'OrdersTable', span: { startLine: 40, endLine: 41 } }),
            finding({ severity: 'warn', rule: 'diverged-base', resource: 'DeadLetters', span: { startLine: 30, endLine: 30 } }),
            finding(),
            finding({ rule: 'unreadable', severity: 'warn', resource: undefined, file: undefined, span: undefined }),
          ],
        }),
      ]),
    );
    const annotations = report.check.annotations;
    expect(annotations.map((a) => [a.annotation_level, a.title, a.start_line, a.end_line])).toEqual([
      ['failure', 'revert: OrdersQueue', 12, 20],
      ['warning', 'diverged-base: DeadLetters', 30, 30],
      ['notice', 'drift-elsewhere: OrdersTable', 40, 41],
    ]);
    expect(annotations[0]!.path).toBe('infra/orders.yaml');
  });

  it('writes the message as plain text with the evidence values', () => {
    const [annotation] = buildReport(run([target({ findings: [finding({ message: 'Changed **live**.' })] })])).check.annotations;
    expect(annotation!.message).toBe(
      [
        'Changed **live**.',
        'VisibilityTimeout: base 30, pull request 30, deployed 30, live 120',
        'MessageRetentionPeriod: base 345600, pull request 1209600, deployed 345600, live 345600',
      ].join('\n'),
    );
  });
});
