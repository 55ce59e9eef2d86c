import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build-report.js';
import { codeSpan, escapeText } from '../../src/report/escape-markdown.js';
import { countCellPipes, finding, run, splitCodeSpans, target } from './fixtures.js';

const NASTY = 'a ``` b` @octocat <img src=x onerror=alert(1)> | c';

function nastyReport() {
  return buildReport(
    run([
      target({
        target: { name: 'orders @octocat', kind: 'cloudformation', stack: 'orders`prod', file: 'infra/orders (prod).yaml' },
        findings: [
          finding({
            resource: 'Queue`s @octocat <img src=x>',
            file: 'infra/orders (prod).yaml',
            message: 'AWS says: @octocat <img src=x> | **bold** [click](https://evil.example) #12 `tick`\nsecond line',
            evidence: [{ path: 'Tags.0.Value', base: 'ok', head: 'ok', live: NASTY }],
          }),
        ],
        ignored: [{ resource: 'X|Y', path: 'A`B', reason: 'because @octocat said <b>so</b> | ok' }],
      }),
    ]),
  );
}

describe('untrusted text from the cloud or the pull request', () => {
  it('renders a value with backticks, @mentions, HTML and pipes inert', () => {
    const { comment } = nastyReport();
    const { outside, spans } = splitCodeSpans(comment);
    // Outside code spans nothing can mention, inject HTML or link.
    expect(outside).not.toMatch(/@octocat/);
    expect(outside).not.toMatch(/<img|<b>/i);
    expect(outside).not.toMatch(/(^|[^\\])\]\(https:\/\/evil/);
    expect(outside).not.toMatch(/(^|[^\\])\*\*bold/);
    expect(outside).toContain('@\u200boctocat');
    expect(outside).toContain('&lt;img src=x&gt;');
    // The value itself is shown whole, inside one code span (in a table cell GFM reads `\|` as `|`).
    expect(spans.map((span) => span.replace(/\\\|/g, '|'))).toContain(NASTY);
  });

  it('keeps every evidence table row at its column count', () => {
    const { comment } = nastyReport();
    const rows = comment.split('\n').filter((line) => line.startsWith('| '));
    expect(rows.length).toBeGreaterThan(2);
    const header = rows.find((r) => r.startsWith('| property'))!;
    const columns = countCellPipes(header);
    for (const row of rows.filter((r) => r.includes('Tags.0.Value'))) expect(countCellPipes(row)).toBe(columns);
  });

  it('keeps a newline in a message from starting a new block', () => {
    const { comment } = nastyReport();
    expect(comment).toContain('\\`tick\\` second line');
  });

  it('uses a code-span fence longer than any backtick run', () => {
    expect(codeSpan('a ``` b')).toBe('````a ``` b````');
    expect(codeSpan('`x`')).toBe('`` `x` ``');
    expect(splitCodeSpans(codeSpan('`x`')).spans).toEqual(['`x`']);
    expect(codeSpan('a|b', true)).toBe('`a\\|b`');
    expect(codeSpan('a\\|b', true)).toBe('`a\\\\\\|b`');
    expect(countCellPipes(codeSpan('a\\|b|c\\\\|d', true))).toBe(0);
    expect(codeSpan('line1\nline2')).toBe('`line1⏎line2`');
  });

  it('keeps a pipe after 150,000 backslashes inside its cell', () => {
    const slashes = '\\'.repeat(150_000);
    expect(codeSpan(`${slashes}|${slashes}`, true)).toBe(`\`${slashes}\\|${slashes}\``);
  });

  it('escapes plain text so it cannot mention, link or inject HTML', () => {
    expect(escapeText('hi @octocat <script>&amp; [x](y) a|b see #12')).toBe(
      'hi @\u200boctocat &lt;script&gt;&amp;amp; \\[x\\](y) a\\|b see #\u200b12',
    );
  });
});
