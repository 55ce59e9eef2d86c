import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_DIR } from '../../src/report/read-templates.js';
import { renderTemplate } from '../../src/report/render-template.js';

describe('renderTemplate', () => {
  it.each([
    ['escapes {{x}} by default', 'say {{x}}', { x: '<b>@a</b>' }, 'say &lt;b&gt;@\u200ba&lt;/b&gt;'],
    ['inserts {{{x}}} raw', 'say {{{x}}}', { x: '`<b>`' }, 'say `<b>`'],
    ['renders numbers', '{{n}} items', { n: 3 }, '3 items'],
    ['repeats a section per list item', '{{#xs}}[{{.}}]{{/xs}}', { xs: ['a', 'b'] }, '[a][b]'],
    ['looks names up in outer scopes', '{{#xs}}{{name}}={{v}};{{/xs}}', { v: 1, xs: [{ name: 'a' }, { name: 'b', v: 2 }] }, 'a=1;b=2;'],
    ['skips a section for false, 0, empty and absent', '{{#a}}A{{/a}}{{#b}}B{{/b}}{{#c}}C{{/c}}{{#d}}D{{/d}}', { a: false, b: 0, c: [] }, ''],
    ['renders an inverted section when falsy', '{{^xs}}none{{/xs}}', { xs: [] }, 'none'],
    ['drops comments', 'a{{! note }}b', {}, 'ab'],
    ['removes lines holding only a section tag', 'top\n{{#on}}\nin\n{{/on}}\n{{! c }}\nend\n', { on: true }, 'top\nin\nend\n'],
  ])('%s', (_title, source, data, expected) => {
    expect(renderTemplate(source, data)).toBe(expected);
  });

  it('refuses a variable with no value', () => {
    expect(() => renderTemplate('a\n{{missing}}', {}, 't.md')).toThrow('t.md:2: no value for {{missing}}');
  });

  it('refuses an unclosed or mismatched section', () => {
    expect(() => renderTemplate('{{#a}}x', {})).toThrow('{{#a}} is never closed');
    expect(() => renderTemplate('{{#a}}x{{/b}}', {})).toThrow('{{/b}} closes {{#a}}');
  });

  it('loads templates from the repository root, two levels above src/report', () => {
    expect(fileURLToPath(TEMPLATE_DIR)).toBe(`${resolve('templates')}/`);
  });
});
