// The command line as a user types it: the contract's bin, commands, flags and defaults.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/parse-args.js';
import { failsOn } from '../../src/cli/render-scan-json.js';

describe('the command line', () => {
  it('installs as the `realitycheck` bin: the built src/cli.ts, an ES module with a node shebang', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.bin).toEqual({ realitycheck: 'dist/cli.js' });
    expect(pkg.type).toBe('module');
    const tsconfig = JSON.parse(readFileSync(new URL('../../tsconfig.build.json', import.meta.url), 'utf8'));
    expect(tsconfig.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
    expect(readFileSync(new URL('../../src/cli.ts', import.meta.url), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it.each([
    [['scan'], { kind: 'scan', repo: '.', format: 'text', failOn: 'block', targets: [], plans: [] }],
    [
      ['scan', '--repo', 'r', '--base', 'origin/main', '--head', 'feature', '--config', 'c.yml', '--target', 'a', '--target', 'b', '--format', 'sarif', '--output', 'o.sarif', '--fail-on', 'warn', '--plan', 'net=plan.json', '--plan', './dir/p=1.json'],
      { kind: 'scan', repo: 'r', base: 'origin/main', head: 'feature', config: 'c.yml', targets: ['a', 'b'], format: 'sarif', output: 'o.sarif', failOn: 'warn', plans: [{ target: 'net', file: 'plan.json' }, { file: './dir/p=1.json' }] },
    ],
    [['snapshot', '--stack', 'orders-prod', '--region', 'eu-west-1', '--role-arn', 'arn:aws:iam::123456789012:role/read', '--output', 's.json'], { kind: 'snapshot', stack: 'orders-prod', region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/read', output: 's.json' }],
    [['mcp', '--repo', 'x', '--plan', 'p.json'], { kind: 'mcp', repo: 'x', plans: [{ file: 'p.json' }] }],
    [['--version'], { kind: 'version' }],
    [['scan', '--help'], { kind: 'help', topic: 'scan' }],
  ])('parses %j', (argv, expected) => {
    expect(parseCommandLine(argv)).toEqual(expected);
  });

  it.each([
    [['scan', 'extra'], /Unexpected argument 'extra'/],
    [['scan', '--base'], /--base/],
    [['scan', '--base', ''], /--base needs a value/],
    [['snapshot', '--stack', 's', '--region', 'mars'], /--region "mars" is not an AWS region/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(message);
  });

  it.each([
    ['failure', 'block', true],
    ['neutral', 'block', false],
    ['neutral', 'warn', true],
    ['success', 'warn', false],
    ['failure', 'never', false],
  ] as const)('a %s verdict under --fail-on %s fails: %s', (conclusion, failOn, fails) => {
    expect(failsOn(conclusion, failOn)).toBe(fails);
  });
});
