#!/usr/bin/env node
// `realitycheck scan | snapshot | mcp`: the app's pipeline outside the app (DESIGN.md, the
// public contract). Wires the command line to src/cli/*; nothing else happens here.
import { readFileSync } from 'node:fs';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCommandLine, USAGE, UsageError } from './cli/parse-args.js';
import { EXIT, type CliIo } from './cli/cli-io.js';

/** The package's version (package.json sits one directory up from src/ and from dist/). */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  let command;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`realitycheck: ${error.message}\n`);
    return EXIT.couldNotRun;
  }
  const version = packageVersion();
  switch (command.kind) {
    case 'help':
      io.stdout(USAGE);
      return EXIT.pass;
    case 'version':
      io.stdout(`${version}\n`);
      return EXIT.pass;
    case 'scan': {
      // The app's providers (AWS, snapshots, Terraform state), loaded only when a command needs them.
      const [{ runScanCommand }, { defaultProviders }] = await Promise.all([import('./cli/run-scan.js'), import('./app.js')]);
      return runScanCommand(command, io, { providers: defaultProviders(), version });
    }
    case 'snapshot': {
      const { runSnapshotCommand } = await import('./cli/run-snapshot.js');
      return runSnapshotCommand(command, io);
    }
    case 'mcp': {
      const [{ serveMcp }, { defaultProviders }] = await Promise.all([import('./mcp/serve-mcp.js'), import('./app.js')]);
      return serveMcp(command, { providers: defaultProviders(), version, log: (text) => io.stderr(text) });
    }
  }
}

const entry = process.argv[1] ? safeRealpath(process.argv[1]) : '';
if (entry === safeRealpath(fileURLToPath(import.meta.url))) {
  const io: CliIo = { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) };
  main(process.argv.slice(2), io).then(
    (code) => {
      // The MCP server keeps the process alive on its own; the others end here.
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`realitycheck: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = EXIT.couldNotRun;
    },
  );
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
