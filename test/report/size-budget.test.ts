import { describe, expect, it } from 'vitest';
import { buildReport, COMMENT_CHARS, MAX_BODY_CHARS } from '../../src/report/build-report.js';
import type { Finding, Severity } from '../../src/types.js';
import { finding, run, target } from './fixtures.js';

function many(count: number, severity: (i: number) => Severity): Finding[] {
  return Array.from({ length: count }, (_, i) =>
    finding({
      severity: severity(i),
      rule: severity(i) === 'block' ? 'revert' : 'drift-elsewhere',
      resource: `Queue${i}`,
      span: { startLine: i + 1, endLine: i + 3 },
      message: `Queue${i} was changed live; deploying this pull request sets VisibilityTimeout back to 30. `.repeat(3),
      evidence: [
        { path: 'VisibilityTimeout', base: 30, head: 30, live: 120 },
        { path: 'Policy', base: { Statement: 'x'.repeat(500) }, head: { Statement: 'y'.repeat(500) }, live: 'z'.repeat(5_000) },
      ],
    }),
  );
}

describe('the 65,535-byte budget', () => {
  it('holds for a run of 3,000 findings and keeps the verdict and the blocking headlines', () => {
    const findings = many(3_000, (i) => (i < 30 ? 'block' : i % 2 ? 'warn' : 'info'));
    const report = buildReport(run([target({ findings })]));
    expect(MAX_BODY_CHARS).toBe(65_535);
    expect(Buffer.byteLength(report.comment)).toBeLessThanOrEqual(COMMENT_CHARS);
    expect(Buffer.byteLength(report.check.summary)).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(Buffer.byteLength(report.check.text!)).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(report.comment).toContain('## ❌ Reality check: 30 blocking, 1,485 warnings');
    expect(report.comment).toContain('### ❌ `orders` — 30 blocking, 1,485 warnings, 1,485 notes');
    for (const i of [0, 29]) expect(report.comment).toContain(`**revert** · \`Queue${i}\``);
    expect(report.comment).toContain("Some details were left out to stay within GitHub's 65,535-character limit");
    expect(report.check.summary).toContain('Every finding is listed below');
    expect(report.check.text).toContain('## Every finding');
    expect(report.check.text).toMatch(/…and [\d,]+ more, not listed/);
    expect(report.check.annotations).toHaveLength(3_000);
    // As many warnings as fit are still listed; the rest are counted.
    expect(report.comment).toMatch(/<details><summary><b>Warnings<\/b> \(1,485\)<\/summary>\n\n\*\*drift-elsewhere\*\*/);
    expect(report.comment).toMatch(/…and [\d,]+ more, listed in the \*\*Reality check\*\* check run/);
  });

  it('counts the blocking findings it cannot list, rather than cutting the verdict', () => {
    const report = buildReport(run([target({ findings: many(3_000, () => 'block') })]));
    expect(Buffer.byteLength(report.comment)).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(report.comment).toContain('## ❌ Reality check: 3,000 blocking');
    expect(report.comment).toMatch(/…and [\d,]+ more, listed in the \*\*Reality check\*\* check run/);
    expect(report.comment).toContain('**What to do next**');
    expect(report.comment.trimEnd().endsWith('</sub>')).toBe(true);
  });

  it('truncates a long value with an ellipsis', () => {
    const { comment } = buildReport(run([target({ findings: many(1, () => 'block') })]));
    expect(comment).toMatch(/`z{119}…`/);
    expect(comment).not.toContain('z'.repeat(121));
  });
});
