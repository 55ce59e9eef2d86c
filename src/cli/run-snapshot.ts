// `realitycheck snapshot --stack NAME`: a fresh drift detection, written in the snapshot
// format (docs/snapshot-format.md) for teams that keep the AWS credentials in a scheduled
// workflow and commit or upload the file. Exit 0 written, 2 not (the reason on stderr).
import { writeFile } from 'node:fs/promises';
import { CloudFormationProvider } from '../live/cloudformation.js';
import type { LiveProvider } from '../live/provider.js';
import { formatSnapshotError, parseSnapshot } from '../live/snapshot.js';
import type { CloudFormationTarget } from '../config-types.js';
import { computeSnapshot } from './compute-snapshot.js';
import type { SnapshotArgs } from './parse-args.js';
import { EXIT, type CliIo } from './run-scan.js';

export async function runSnapshotCommand(args: SnapshotArgs, io: CliIo, provider: LiveProvider<CloudFormationTarget> = new CloudFormationProvider()): Promise<number> {
  const target: CloudFormationTarget = {
    kind: 'cloudformation',
    name: args.stack,
    stack: args.stack,
    template: '',
    ...(args.region ? { region: args.region } : {}),
    ...(args.roleArn ? { roleArn: args.roleArn } : {}),
  };
  let live;
  try {
    live = await provider.read(target, { maxDriftAgeMs: 0, forceDetection: true });
  } catch (error) {
    io.stderr(`realitycheck snapshot: could not read ${args.stack}: ${(error as Error)?.message ?? String(error)}\n`);
    return EXIT.couldNotRun;
  }
  const outcome = computeSnapshot(live, 'realitycheck snapshot');
  if (!outcome.ok) {
    io.stderr(`realitycheck snapshot: no snapshot written; live state of ${args.stack} could not be read in full:\n${outcome.reasons.map((r) => `  ${r}`).join('\n')}\n`);
    return EXIT.couldNotRun;
  }
  const text = `${JSON.stringify(outcome.snapshot, null, 2)}\n`;
  // What is written must read back: the same parser as the app's.
  const check = parseSnapshot(args.output ?? 'snapshot.json', text);
  if (!check.ok) {
    io.stderr(`realitycheck snapshot: the snapshot does not read back: ${formatSnapshotError(check.error)}\n`);
    return EXIT.couldNotRun;
  }
  for (const note of outcome.notes) io.stderr(`realitycheck snapshot: ${note}\n`);
  try {
    if (args.output) await writeFile(args.output, text);
    else io.stdout(text);
  } catch (error) {
    io.stderr(`realitycheck snapshot: could not write ${args.output}: ${(error as Error).message}\n`);
    return EXIT.couldNotRun;
  }
  return EXIT.pass;
}
