// `realitycheck scan` over a real git checkout of the example repository, with the example's
// live-state snapshot: the same findings as the demo (the app's pipeline over the same
// pull request), exit codes 0 / 1 / 2, and nothing secret in any format.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { runDemo } from '../../src/demo/run-demo.js';
import { CLI_SOURCE, EXAMPLES, git, makeExampleRepo, TSX_LOADER, type ExampleRepo } from './example-repo.js';

let repo: ExampleRepo;
beforeAll(() => {
  nock.disableNetConnect();
  repo = makeExampleRepo('orders');
});
afterAll(() => {
  nock.enableNetConnect();
  repo.remove();
});

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** The demo's check-run annotations: `failure infra/orders.yaml:20-28  revert: OrdersQueue`. */
async function demoFindings() {
  const lines: string[] = [];
  await runDemo(join(EXAMPLES, 'orders'), (t) => lines.push(t));
  return lines
    .join('\n')
    .split('\n')
    .flatMap((line) => {
      const m = /^\s+(failure|warning|notice)\s+(\S+):(\d+)-(\d+)\s+([a-z-]+): (\S+)/.exec(line);
      return m ? [{ severity: { failure: 'block', warning: 'warn', notice: 'info' }[m[1]!], file: m[2], lines: { start: Number(m[3]), end: Number(m[4]) }, rule: m[5], resource: m[6] }] : [];
    });
}

describe('realitycheck scan', () => {
  it('prints the same findings as the demo as JSON and exits 1, run as `npx realitycheck scan --format json` inside the checkout', async () => {
    // The one spawn: the command as a user types it, from the checkout's directory.
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', TSX_LOADER, CLI_SOURCE, 'scan', '--format', 'json'], { cwd: repo.dir, env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
      );
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const scan = JSON.parse(run.stdout);
    expect(scan.schemaVersion).toBe(1);
    expect(scan.verdict).toMatchObject({ conclusion: 'failure', failOn: 'block', fails: true, aiAuthored: true });
    const expected = await demoFindings();
    expect(expected.length).toBeGreaterThan(0);
    const found = scan.findings.map((f: Record<string, unknown>) => ({ severity: f.severity, file: f.file, lines: f.lines, rule: f.rule, resource: f.resource }));
    expect(found).toEqual(expected);
    const revert = scan.findings.find((f: { rule: string }) => f.rule === 'revert');
    expect(revert).toMatchObject({ resource: 'OrdersQueue', property: 'VisibilityTimeout', evidence: [{ property: 'VisibilityTimeout', base: 30, head: 30, live: 120 }] });
    expect(scan.targets[0]).toMatchObject({ name: 'orders', kind: 'cloudformation', stack: 'orders-prod', live: { source: 'snapshot' }, coverage: { drifted: 2, deleted: 1 } });
    expect(scan.targets[0].ignored).toEqual([expect.objectContaining({ resource: 'OrdersFunction', property: 'ReservedConcurrentExecutions' })]);
    expect(run.stdout).not.toContain('pk_live'); // the rotated key the snapshot holds
  });

  it('passes with --fail-on never, and prints text and markdown without the secret', async () => {
    const text = await cli(['scan', '--repo', repo.dir, '--fail-on', 'never']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('BLOCK revert OrdersQueue infra/orders.yaml:20-28');
    expect(text.stdout).toContain('VisibilityTimeout: base 30, head 30, deployed 30, live 120');
    const markdown = await cli(['scan', '--repo', repo.dir, '--format', 'markdown']);
    expect(markdown.code).toBe(1);
    expect(markdown.stdout).toMatch(/\| `VisibilityTimeout` \| `30` \| `30` \| \*\*`120`\*\* \|/);
    for (const out of [text.stdout, markdown.stdout]) expect(out).not.toContain('pk_live');
  });

  it('passes a change that touches no configured target', async () => {
    const result = await cli(['scan', '--repo', repo.dir, '--base', 'main', '--head', 'main', '--format', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ verdict: { conclusion: 'success', fails: false }, targets: [], findings: [] });
  });

  it('exits 2 with the reason on stderr when it cannot run: arguments, git, configuration', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['scan', '--format', 'xml'], /--format "xml" is not allowed; use "text", "markdown", "json", "sarif"/],
      [['scan', '--fail-on', 'sometimes'], /--fail-on "sometimes" is not allowed/],
      [['scan', '--colour'], /Unknown option '--colour'/],
      [['scan', '--repo', repo.dir, '--base', 'no-such-branch'], /--base no-such-branch names no commit/],
      [['scan', '--repo', '/'], /is not inside a git repository/],
      [['scan', '--repo', repo.dir, '--target', 'payments'], /--target payments: no such target; the configured targets are orders/],
      [['scan', '--repo', repo.dir, '--config', join(repo.dir, 'missing.yml')], /--config .*missing\.yml: no such file/],
      [['deploy'], /unknown command "deploy"/],
    ];
    for (const [args, reason] of cases) {
      const result = await cli(args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toMatch(reason);
      expect(result.stdout).toBe('');
    }
  });

  it('exits 2 naming the key when the configuration is invalid, and when there is none', async () => {
    const bad = join(repo.dir, 'bad-config.yml');
    writeFileSync(bad, 'targets:\n  - name: orders\n    cloudformation:\n      stack: orders-prod\npolicy:\n  unreadable: ignore\n');
    const invalid = await cli(['scan', '--repo', repo.dir, '--config', bad]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('policy.unreadable: must be one of "warn", "block"');
    const empty = join(repo.dir, '..', `${repo.dir.split('/').at(-1)}-bare`);
    mkdirSync(empty);
    git(empty, ['init', '--quiet', '--initial-branch=main']);
    writeFileSync(join(empty, 'README.md'), 'nothing here\n');
    git(empty, ['add', 'README.md']);
    git(empty, ['-c', 'user.name=a', '-c', 'user.email=a@example.com', 'commit', '--quiet', '-m', 'first']);
    const none = await cli(['scan', '--repo', empty]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no configuration: \.github\/realitycheck\.yml at main \([0-9a-f]{7}\) does not exist; commit one there or pass --config FILE/);
  });

  it('writes the report to --output and the SARIF of the same run to --sarif-output', async () => {
    const out = join(repo.dir, '..', `${repo.dir.split('/').at(-1)}-out.json`);
    const sarif = `${out}.sarif`;
    const result = await cli(['scan', '--repo', repo.dir, '--format', 'json', '--output', out, '--sarif-output', sarif]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(JSON.parse(readFileSync(out, 'utf8')).findings).toHaveLength(3);
    expect(JSON.parse(readFileSync(sarif, 'utf8')).runs[0].results).toHaveLength(3);
  });

  it('reads a Terraform target\'s live state from --plan (terraform show -json), and cannot run without it', async () => {
    const network = makeExampleRepo('network');
    try {
      const plan = join(EXAMPLES, 'network', 'plan', 'tfplan.json');
      const result = await cli(['scan', '--repo', network.dir, '--plan', plan, '--format', 'json']);
      expect(result.code).toBe(1);
      const scan = JSON.parse(result.stdout);
      expect(scan.targets[0]).toMatchObject({ name: 'network', kind: 'terraform', live: { source: 'terraform-plan', detail: `plan file ${plan}` } });
      expect(scan.findings[0]).toMatchObject({ rule: 'revert', severity: 'block', resource: 'module.queues.aws_sqs_queue.jobs', file: 'modules/queues/main.tf', evidence: [{ property: 'visibility_timeout_seconds', base: 30, head: 30, live: 120 }] });
      const without = await cli(['scan', '--repo', network.dir]);
      expect(without.code).toBe(2);
      expect(without.stderr).toContain('network reads its live state from a Terraform plan: pass it with --plan FILE');
    } finally {
      network.remove();
    }
  });
});
