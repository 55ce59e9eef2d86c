// The hand-written YAML reader against the `yaml` package path it replaces for speed: the
// same parse result (values, lines of every resource and property, warnings, errors and
// their lines) on every YAML fixture and example, on the shapes in yaml-shapes.ts and on
// generated ones. The second half checks the reader really reads them (else the comparison
// would compare the yaml path with itself), and leaves the rare forms to that path.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../src/iac/cloudformation/parse-template.js';
import { parseYamlNodes, Unhandled } from '../../src/iac/cloudformation/parse-yaml-nodes.js';
import { BASE } from '../../bench/stack.js';
import { BROKEN_TEMPLATES, brokenShapes, FALLBACK_TEMPLATES, generatedTemplates, READ_TEMPLATES, READ_VALUES, UNCLOSED_TEMPLATES, withProperties } from './yaml-shapes.js';

const root = new URL('../../', import.meta.url).pathname;

function yamlFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) && !path.includes('.github') ? [path] : [];
  });
}

const files = [...yamlFiles('test/fixtures'), ...yamlFiles('examples')];
const valueTemplates = READ_VALUES.map((value) => withProperties(`      Value: ${value}\n      After: 1\n`));

function sameAsYamlPackage(text: string): void {
  expect(parseTemplate('t.yaml', text)).toEqual(parseTemplate('t.yaml', text, { yamlPackageOnly: true }));
}

function readsItself(text: string): boolean {
  try {
    parseYamlNodes(text, new LineCounter());
    return true;
  } catch (error) {
    if (error instanceof Unhandled) return false;
    throw error;
  }
}

describe('the hand-written YAML reader gives what the yaml package path gives', () => {
  it('has fixtures to compare', () => {
    expect(files).toEqual(expect.arrayContaining(['test/fixtures/cloudformation/orders-stack.yaml', 'examples/orders/head/infra/orders.yaml']));
  });

  it.each(files)('on %s', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    expect(parseTemplate(file, text)).toEqual(parseTemplate(file, text, { yamlPackageOnly: true }));
  });

  it.each(valueTemplates)('on the value in %s', sameAsYamlPackage);
  it.each(READ_TEMPLATES)('on the template %j', sameAsYamlPackage);
  it.each(FALLBACK_TEMPLATES)('on the template %j, left to the yaml package', sameAsYamlPackage);
  it.each(BROKEN_TEMPLATES)('on the broken template %j', sameAsYamlPackage);

  it.each(UNCLOSED_TEMPLATES)('on %j, never closed: both refuse it, the reader at the line where it opens', (text) => {
    const reader = parseTemplate('t.yaml', text);
    const yaml = parseTemplate('t.yaml', text, { yamlPackageOnly: true });
    expect(reader).toMatchObject({ ok: false, error: { line: 5, message: expect.stringMatching(/never closed/) } });
    expect(yaml).toMatchObject({ ok: false, error: { line: expect.any(Number) } });
    if (!yaml.ok) expect(yaml.error.line).toBeGreaterThanOrEqual(5);
  });

  it.each(brokenShapes(''))('on the broken template %j', sameAsYamlPackage);

  it('on large broken templates, which the reader reports itself: the same line as the yaml package', () => {
    // 4,000 resources (> 64 KB) before the broken part: the reader's own error, not a second parse
    const padding = Array.from({ length: 4_000 }, (_, i) => `  R${i}:\n    Type: AWS::SQS::Queue\n`).join('');
    for (const text of brokenShapes(padding)) {
      const reader = parseTemplate('t.yaml', text);
      const yaml = parseTemplate('t.yaml', text, { yamlPackageOnly: true });
      expect(reader.ok).toBe(false);
      expect(yaml.ok).toBe(false);
      if (!reader.ok && !yaml.ok) expect([reader.error.line, reader.error.message.slice(0, 12)]).toEqual([yaml.error.line, yaml.error.message.slice(0, 12)]);
    }
  });

  it('on templates up to 64 KB with a form left to the yaml package: read, not refused by the reader', () => {
    const padding = Array.from({ length: 1_800 }, (_, i) => `  R${i}:\n    Type: AWS::SQS::Queue\n`).join('');
    for (const tail of ['    Properties:\n      V: !!str 010\n', '    Properties:\n      V: !!int 010\n', '    Properties:\n      V: !<tag:yaml.org,2002:str> x\n', '    Properties:\n      V: [a\n        b # c\n        ]\n']) {
      const text = `Resources:\n${padding}  Q:\n    Type: AWS::SQS::Queue\n${tail}`;
      const reader = parseTemplate('t.yaml', text);
      expect(reader.ok).toBe(true);
      expect(reader).toEqual(parseTemplate('t.yaml', text, { yamlPackageOnly: true }));
    }
  });

  it('past 64 KB, refuses a form left to the yaml package at its line, naming the limit, instead of spending ~1 s on it', () => {
    // 8,000 resources: 288 KB. The yaml package reads ~1 MB/s once warm, and ~0.15 MB/s the first time in a process.
    const resources = (count: number) => Array.from({ length: count }, (_, i) => `  R${i}:\n    Type: AWS::SQS::Queue\n`).join('');
    const padding = resources(8_000);
    const line = 1 + 8_000 * 2 + 5; // `        b # c`
    for (const [text, at] of [
      [`Resources:\n${padding}  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: [a\n        b # c\n        ]\n`, line],
      [`%TAG ! tag:example.com,2000:\n---\nResources:\n${padding}`, 1],
    ] as const) {
      const result = parseTemplate('t.yaml', text);
      expect(result).toMatchObject({ ok: false, error: { line: at, message: expect.stringMatching(/reads only in templates under 64 KB, and this one is 2\d\d KB/) } });
      // The same form is read in a template under the limit
      expect(parseTemplate('t.yaml', text.replace(padding, resources(1_500))).ok).toBe(true);
    }
  });

  it('past 64 KB, still says what is wrong with a broken template, at its line', () => {
    const padding = Array.from({ length: 8_000 }, (_, i) => `  R${i}:\n    Type: AWS::SQS::Queue\n`).join('');
    expect(parseTemplate('t.yaml', `Resources:\n${padding}[[[[[[[[[[[[`)).toMatchObject({ ok: false, error: { line: 16_002, message: 'invalid YAML: mapping keys must be plain strings' } });
    expect(parseTemplate('t.yaml', `Resources:\n${padding}  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: ${'['.repeat(120)}\n`)).toMatchObject({
      ok: false,
      error: { line: 16_005, message: expect.stringMatching(/nested more than 100 levels deep/) },
    });
    expect(parseTemplate('t.yaml', `Resources:\n${padding}  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: 1${'0'.repeat(200)}\n`)).toMatchObject({
      ok: false,
      error: { line: 16_005, message: expect.stringMatching(/unquoted number of 201 characters/) },
    });
  });

  it('on the benchmark stack (500 resources) and its Windows line endings', () => {
    sameAsYamlPackage(BASE);
    sameAsYamlPackage(BASE.replace(/\n/g, '\r\n'));
  });

  it('on 1,500 generated shapes of nested block and flow collections', () => {
    for (const text of generatedTemplates(1_500)) sameAsYamlPackage(text);
  });
});

describe('what the hand-written reader reads itself', () => {
  it('reads the fixtures, the examples and the common shapes without the yaml package', () => {
    const texts = [...files.filter((f) => !/broken|unknown-tag/.test(f)).map((f) => readFileSync(join(root, f), 'utf8')), ...valueTemplates, ...READ_TEMPLATES, BASE];
    expect(texts.filter((text) => !readsItself(text))).toEqual([]);
    expect(generatedTemplates(300).every(readsItself)).toBe(true);
  });

  it('leaves directives, complex keys, !! tags, second documents and the like to the yaml package', () => {
    expect(FALLBACK_TEMPLATES.filter(readsItself)).toEqual([]);
  });
});
