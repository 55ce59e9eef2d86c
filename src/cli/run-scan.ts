// `realitycheck scan`: the scan, its report in the format asked for, and the exit code
// (0 nothing reaches --fail-on, 1 something does, 2 the scan could not run).
import { writeFile } from 'node:fs/promises';
import { buildReport } from '../report/build-report.js';
import type { LiveProviders } from '../live/registry.js';
import type { Format, ScanArgs } from './parse-args.js';
import { UsageError } from './parse-args.js';
import { renderSarif } from './render-sarif.js';
import { renderScanJson, type ScanJson } from './render-scan-json.js';
import { renderScanText } from './render-scan-text.js';
import { GitError } from './run-git.js';
import { scanRepository, ScanSetupError, type ScanResult } from './scan-repository.js';
import { EXIT, type CliIo } from './cli-io.js';

export { EXIT, type CliIo } from './cli-io.js';

export interface ScanDeps {
  providers: LiveProviders;
  version: string;
}

export async function runScanCommand(args: ScanArgs, io: CliIo, deps: ScanDeps): Promise<number> {
  let result: ScanResult;
  try {
    result = await scanRepository({
      repoDir: args.repo,
      ...(args.base ? { base: args.base } : {}),
      ...(args.head ? { head: args.head } : {}),
      ...(args.config ? { configFile: args.config } : {}),
      targets: args.targets,
      plans: args.plans,
      providers: deps.providers,
    });
  } catch (error) {
    io.stderr(`realitycheck scan: could not run: ${describeError(error)}\n`);
    return EXIT.couldNotRun;
  }
  const json = renderScanJson({ run: result.run, refs: result.refs, configSource: result.configSource, failOn: args.failOn, version: deps.version });
  try {
    const main = renderFormat(args.format, result, json, deps.version);
    if (args.output) await writeFile(args.output, main);
    else io.stdout(main);
    if (args.markdownOutput) await writeFile(args.markdownOutput, renderFormat('markdown', result, json, deps.version));
    if (args.sarifOutput) await writeFile(args.sarifOutput, renderFormat('sarif', result, json, deps.version));
  } catch (error) {
    // The verdict was reached but could not be written: not a pass.
    io.stderr(`realitycheck scan: could not write the report: ${describeError(error)}\n`);
    return EXIT.couldNotRun;
  }
  return json.verdict.fails ? EXIT.fails : EXIT.pass;
}

export function renderFormat(format: Format, result: ScanResult, json: ScanJson, version: string): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(json, null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(renderSarif(result.run, version), null, 2)}\n`;
    case 'markdown':
      // The pull request comment the app would post; links to the files on GitHub when the
      // repository is known (GITHUB_SERVER_URL in Actions, else github.com).
      // A directory that is no GitHub repository gets no links (a head id that is no commit id is not linked).
      return buildReport(result.refs.onGitHub ? result.run : { ...result.run, headSha: 'local' }, { serverUrl: process.env.GITHUB_SERVER_URL || 'https://github.com' }).comment;
    case 'text':
      return renderScanText(json);
  }
}

/** The reason, without a stack for what the user can fix. */
export function describeError(error: unknown): string {
  if (error instanceof ScanSetupError || error instanceof UsageError || error instanceof GitError) return error.message;
  if (error instanceof Error) return `${error.message}${(error as { status?: number }).status ? '' : `\n${error.stack?.split('\n').slice(1, 4).join('\n') ?? ''}`}`;
  return String(error);
}
