// The GitHub Action's entry point (action.yml runs `node dist/cli/action-main.js`): inputs
// as the runner passes them (`INPUT_<NAME>`, upper case, spaces as underscores, as
// @actions/core reads them), one scan, the markdown report appended to the job summary
// (`GITHUB_STEP_SUMMARY`), the SARIF file written for github/codeql-action/upload-sarif,
// outputs in `GITHUB_OUTPUT`, and the exit code of `realitycheck scan` (0 pass, 1 fails
// `fail-on`, 2 could not run, with an `::error::` line the runner shows as an annotation).
import { appendFile, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultProviders } from '../app.js';
import type { LiveProviders } from '../live/registry.js';
import { UsageError } from './parse-args.js';
import { renderScanJson, type FailOn } from './render-scan-json.js';
import { describeError, EXIT, renderFormat } from './run-scan.js';
import { scanRepository, type PlanFile } from './scan-repository.js';

type Env = Record<string, string | undefined>;

/**
 * `core.getInput`: `INPUT_` + the name in upper case, spaces as underscores, hyphens kept
 * (`INPUT_FAIL-ON`), trimmed. action.yml, a composite action, passes them itself, as
 * `INPUT_FAIL_ON` (a name every shell takes), which is read too.
 */
export function getInput(env: Env, name: string): string {
  const key = `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
  return (env[key] ?? env[key.replace(/-/g, '_')] ?? '').trim();
}

export async function runAction(env: Env, log: (line: string) => void, providers: LiveProviders = defaultProviders(), version = '0.0.0'): Promise<number> {
  const fail = (message: string) => {
    // Workflow commands: `%`, CR and LF escaped as the runner expects.
    log(`::error title=realitycheck could not run::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}`);
    return EXIT.couldNotRun;
  };
  let failOn: FailOn;
  let plans: PlanFile[];
  try {
    const wanted = getInput(env, 'fail-on') || 'block';
    if (wanted !== 'block' && wanted !== 'warn' && wanted !== 'never') throw new UsageError(`input fail-on "${wanted}" is not allowed; use "block", "warn" or "never"`);
    failOn = wanted;
    plans = lines(getInput(env, 'plan')).map((spec) => {
      const m = /^([^=/\\]+)=(.+)$/.exec(spec);
      return m ? { target: m[1]!, file: m[2]! } : { file: spec };
    });
  } catch (error) {
    return fail(describeError(error));
  }

  const base = getInput(env, 'base');
  const head = getInput(env, 'head');
  const config = getInput(env, 'config');
  let result;
  try {
    result = await scanRepository({
      repoDir: getInput(env, 'repo') || env.GITHUB_WORKSPACE || '.',
      ...(base ? { base } : {}),
      ...(head ? { head } : {}),
      ...(config ? { configFile: config } : {}),
      targets: lines(getInput(env, 'target')),
      plans,
      providers,
    });
  } catch (error) {
    return fail(describeError(error));
  }

  const json = renderScanJson({ run: result.run, refs: result.refs, configSource: result.configSource, failOn, version });
  const sarifFile = getInput(env, 'sarif-file');
  const outputs: Record<string, string> = {
    conclusion: json.verdict.conclusion,
    blocking: String(json.verdict.counts.block),
    warnings: String(json.verdict.counts.warn),
    fails: String(json.verdict.fails),
    'sarif-file': sarifFile.replace(/[\r\n]/g, ''),
  };
  try {
    if (getInput(env, 'summary') !== 'false' && env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, renderFormat('markdown', result, json, version));
    if (sarifFile) await writeFile(sarifFile, renderFormat('sarif', result, json, version));
    const jsonFile = getInput(env, 'json-file');
    if (jsonFile) await writeFile(jsonFile, renderFormat('json', result, json, version));
    if (env.GITHUB_OUTPUT) await appendFile(env.GITHUB_OUTPUT, Object.entries(outputs).map(([k, v]) => `${k}=${v}\n`).join(''));
  } catch (error) {
    return fail(`the verdict (${json.verdict.conclusion}) could not be written: ${describeError(error)}`);
  }
  log(renderFormat('text', result, json, version).trimEnd());
  if (json.verdict.fails) log(`::error title=Reality check::${json.verdict.conclusion}: ${json.verdict.counts.block} blocking, ${json.verdict.counts.warn} warnings (fail-on: ${failOn}); see the job summary`);
  return json.verdict.fails ? EXIT.fails : EXIT.pass;
}

/** A multi-line input: one value a line, blank lines and surrounding spaces dropped. */
function lines(value: string): string[] {
  return value.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
}

const entry = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (entry === realpathSync(fileURLToPath(import.meta.url))) {
  const { packageVersion } = await import('../cli.js');
  runAction(process.env, (line) => process.stdout.write(`${line}\n`), defaultProviders(), packageVersion()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stdout.write(`::error title=realitycheck could not run::${String((error as Error)?.message ?? error)}\n`);
      process.exitCode = EXIT.couldNotRun;
    },
  );
}
