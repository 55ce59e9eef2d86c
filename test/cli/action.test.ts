// action.yml run the way the Actions runner runs it: the inputs it declares, its defaults and
// the `with:` values substituted into the scan step's `env` (the runner's `${{ inputs.x }}`),
// that step's command (`node "$GITHUB_ACTION_PATH/dist/cli/action-main.js"`, here the source
// under tsx, as nothing is built in a test), a GITHUB_STEP_SUMMARY and a GITHUB_OUTPUT file.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction as runActionInProcess } from '../../src/cli/action-main.js';
import { defaultProviders } from '../../src/app.js';
import { git, makeExampleRepo, TSX_LOADER, type ExampleRepo } from './example-repo.js';

const ROOT = new URL('../../', import.meta.url).pathname;
interface Step { name?: string; id?: string; shell?: string; run?: string; env?: Record<string, string>; 'working-directory'?: string }
const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
};

let repo: ExampleRepo;
beforeAll(() => {
  repo = makeExampleRepo('orders');
});
afterAll(() => repo.remove());

/** `${{ inputs.x }}` and `${{ github.* }}` as the runner evaluates them for this event. */
function evaluate(text: string, inputs: Record<string, string>, github: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expr: string) => {
    if (expr.startsWith('inputs.')) return inputs[expr.slice('inputs.'.length)] ?? '';
    if (expr.startsWith('github.')) return github[expr.slice('github.'.length)] ?? '';
    throw new Error(`the test runner does not evaluate ${expr}`);
  });
}

/** `spawn`: the step's process, as the runner starts it; otherwise the same entry point called in this process (faster). */
async function runAction(withInputs: Record<string, string>, how: 'spawn' | 'in-process' = 'spawn') {
  const base = git(repo.dir, ['rev-parse', 'main']);
  const head = git(repo.dir, ['rev-parse', repo.branch]);
  const github = {
    workspace: repo.dir,
    action_path: ROOT,
    'event.pull_request.base.sha': base,
    'event.pull_request.head.sha': head,
  };
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([name, spec]) => [name, withInputs[name] ?? evaluate(spec.default ?? '', {}, github)]));
  const step = action.runs.steps.find((s) => s.id === 'scan')!;
  const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluate(v, inputs, github)]));
  const summary = join(repo.dir, '..', `${repo.dir.split('/').at(-1)}-summary.md`);
  const output = `${summary}.output`;
  writeFileSync(summary, '# Earlier step\n');
  writeFileSync(output, '');
  // The step's command, with the built file swapped for its source.
  expect(step.run).toBe('node "$GITHUB_ACTION_PATH/dist/cli/action-main.js"');
  const entry = join(ROOT, 'src/cli/action-main.ts');
  const processEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env, GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: repo.dir, GITHUB_ACTION_PATH: ROOT, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, GITHUB_HEAD_REF: repo.branch, GITHUB_REPOSITORY: 'example/orders', GITHUB_SERVER_URL: 'https://github.com', AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  let stdout = '';
  const result = how === 'in-process'
    ? { code: await runActionInProcess(processEnv, (line) => (stdout += `${line}\n`), defaultProviders()), stdout, stderr: '' }
    : await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', TSX_LOADER, entry],
      {
        cwd: repo.dir,
        env: processEnv,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout, stderr }),
    );
  });
  const outputs = Object.fromEntries(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { ...result, summary: readFileSync(summary, 'utf8'), outputs };
}

describe('action.yml', () => {
  it('is a composite action that installs and builds itself, then passes every input to the scan step', () => {
    expect(action.runs.using).toBe('composite');
    const install = action.runs.steps[0]!;
    expect(install.run).toContain('npm ci');
    expect(install.run).toContain('npm run build');
    expect(install['working-directory']).toBe('${{ github.action_path }}');
    const scan = action.runs.steps.find((s) => s.id === 'scan')!;
    for (const name of Object.keys(action.inputs)) {
      expect(scan.env?.[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`], name).toBe(`\${{ inputs.${name} }}`);
    }
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['fail-on', 'sarif-file', 'base', 'head', 'config', 'plan', 'target']));
    for (const [name, out] of Object.entries(action.outputs)) expect(out.value).toBe(`\${{ steps.scan.outputs.${name} }}`);
  });

  it('fails the job on the example pull request, with the report in the job summary, the SARIF file and the outputs', async () => {
    const run = await runAction({});
    expect(run.code).toBe(1);
    expect(run.summary.startsWith('# Earlier step\n')).toBe(true); // appended, never overwritten
    expect(run.summary).toContain('Reality check: 3 blocking');
    expect(run.summary).toMatch(/\| `VisibilityTimeout` \| `30` \| `30` \| \*\*`120`\*\* \|/);
    expect(run.summary).toContain('https://github.com/example/orders/blob/');
    const sarif = JSON.parse(readFileSync(join(repo.dir, 'realitycheck.sarif'), 'utf8'));
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['revert', 'deleted', 'drift-elsewhere']);
    expect(run.outputs).toEqual({ conclusion: 'failure', blocking: '3', warnings: '0', fails: 'true', 'sarif-file': 'realitycheck.sarif' });
    expect(run.stdout).toContain('::error title=Reality check::failure: 3 blocking');
    expect(run.summary + run.stdout).not.toContain('pk_live');
  });

  it('passes with fail-on: never, and writes no SARIF when sarif-file is empty', async () => {
    const sarif = join(repo.dir, 'none.sarif');
    const run = await runAction({ 'fail-on': 'never', 'sarif-file': '' }, 'in-process');
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ conclusion: 'failure', fails: 'false', 'sarif-file': '' });
    expect(existsSync(sarif)).toBe(false);
  });

  it('exits 2 with an error annotation when it cannot run', async () => {
    const run = await runAction({ 'fail-on': 'sometimes' }, 'in-process');
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('::error title=realitycheck could not run::input fail-on "sometimes" is not allowed');
    const noBase = await runAction({ base: 'release/9' }, 'in-process');
    expect(noBase.code).toBe(2);
    expect(noBase.stdout).toContain('--base release/9 names no commit');
  });
});
