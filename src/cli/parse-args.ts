// The command line, parsed: which command, with which options. Pure; anything it cannot
// make sense of is a UsageError (exit 2) naming the option and what is allowed.
import { parseArgs } from 'node:util';
import type { FailOn } from './render-scan-json.js';
import type { PlanFile } from './scan-repository.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const FORMATS = ['text', 'markdown', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];
const FAIL_ON = ['block', 'warn', 'never'] as const;

export interface ScanArgs {
  kind: 'scan';
  repo: string;
  base?: string;
  head?: string;
  config?: string;
  targets: string[];
  format: Format;
  output?: string;
  failOn: FailOn;
  plans: PlanFile[];
  /** Extra outputs of the same run (the GitHub Action writes the job summary and SARIF from one scan). */
  markdownOutput?: string;
  sarifOutput?: string;
}

export interface SnapshotArgs {
  kind: 'snapshot';
  stack: string;
  region?: string;
  roleArn?: string;
  output?: string;
}

export interface McpArgs {
  kind: 'mcp';
  repo: string;
  base?: string;
  config?: string;
  plans: PlanFile[];
}

export type Command = ScanArgs | SnapshotArgs | McpArgs | { kind: 'help'; topic?: string } | { kind: 'version' };

export const USAGE = `Usage: realitycheck <command> [options]

Commands:
  scan       check a local git checkout's change against what is running
  snapshot   write a live-state snapshot of a CloudFormation stack (fresh drift detection)
  mcp        serve the checks to coding agents (Model Context Protocol over stdio)

realitycheck scan [--repo DIR] [--base REF] [--head REF] [--config FILE] [--target NAME]
                  [--format text|markdown|json|sarif] [--output FILE]
                  [--fail-on block|warn|never] [--plan [TARGET=]FILE]
  --repo DIR        the git checkout (default: the current directory)
  --base REF        where the change starts from: the merge base of REF and --head
                    (default: the remote's default branch, origin/HEAD, else main);
                    the configuration and snapshots are read at REF
  --head REF        the change's last commit (default: HEAD)
  --config FILE     use this configuration instead of .github/realitycheck.yml at --base
  --target NAME     check only this target, also when the change does not touch it (repeatable)
  --format F        text (default), markdown (the pull request comment), json, sarif
  --output FILE     write the report to FILE instead of standard output
  --fail-on LEVEL   exit 1 when the verdict reaches LEVEL: block (default: a failing check),
                    warn (anything short of success, also live state not read), never
  --plan FILE       a Terraform plan (terraform show -json) as the live state of the
                    Terraform target the change touches; TARGET=FILE names it (repeatable)
  --markdown-output FILE, --sarif-output FILE   also write those formats from the same run
  Exit codes: 0 nothing reaches --fail-on, 1 something does, 2 the scan could not run.

realitycheck snapshot --stack NAME [--region R] [--role-arn ARN] [--output FILE]
  Runs a fresh CloudFormation drift detection (AWS default credential chain, AWS_ENDPOINT_URL)
  and writes the snapshot format of docs/snapshot-format.md (standard output by default).

realitycheck mcp [--repo DIR] [--base REF] [--config FILE] [--plan [TARGET=]FILE]
  A read-only MCP server over stdio with the tools list_targets, get_drift,
  get_live_resource and check_change.
`;

export function parseCommandLine(argv: string[]): Command {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { kind: 'help', ...(rest[0] ? { topic: rest[0] } : {}) };
  if (command === '--version' || command === '-v' || command === 'version') return { kind: 'version' };
  if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help', topic: command };
  switch (command) {
    case 'scan':
      return parseScan(rest);
    case 'snapshot':
      return parseSnapshot(rest);
    case 'mcp':
      return parseMcp(rest);
    default:
      throw new UsageError(`unknown command "${command}"; the commands are scan, snapshot and mcp (realitycheck --help)`);
  }
}

function parse(args: string[], options: Record<string, { type: 'string'; multiple?: boolean }>, command: string) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Record<string, string | string[] | undefined>;
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(`${command}: ${message}`);
  }
}

function one(values: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.at(-1)! : value;
  if (text.trim() === '') throw new UsageError(`--${name} needs a value`);
  return text;
}

function choice<T extends string>(value: string | undefined, name: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} "${value}" is not allowed; use ${allowed.map((a) => `"${a}"`).join(', ')}`);
}

function plans(values: Record<string, string | string[] | undefined>): PlanFile[] {
  const given = (values.plan as string[] | undefined) ?? [];
  return given.map((spec) => {
    // TARGET=FILE; a bare FILE may contain `=` only after a path separator.
    const m = /^([^=/\\]+)=(.+)$/.exec(spec);
    if (m) return { target: m[1]!, file: m[2]! };
    if (spec.trim() === '') throw new UsageError('--plan needs a file');
    return { file: spec };
  });
}

function parseScan(args: string[]): ScanArgs {
  const values = parse(
    args,
    {
      repo: { type: 'string' },
      base: { type: 'string' },
      head: { type: 'string' },
      config: { type: 'string' },
      target: { type: 'string', multiple: true },
      format: { type: 'string' },
      output: { type: 'string' },
      'fail-on': { type: 'string' },
      plan: { type: 'string', multiple: true },
      'markdown-output': { type: 'string' },
      'sarif-output': { type: 'string' },
    },
    'scan',
  );
  const optional = (name: string, key: keyof ScanArgs) => {
    const v = one(values, name);
    return v === undefined ? {} : { [key]: v };
  };
  return {
    kind: 'scan',
    repo: one(values, 'repo') ?? '.',
    ...optional('base', 'base'),
    ...optional('head', 'head'),
    ...optional('config', 'config'),
    targets: ((values.target as string[] | undefined) ?? []).map((t) => {
      if (t.trim() === '') throw new UsageError('--target needs a name');
      return t;
    }),
    format: choice(one(values, 'format'), 'format', FORMATS, 'text'),
    ...optional('output', 'output'),
    failOn: choice(one(values, 'fail-on'), 'fail-on', FAIL_ON, 'block'),
    plans: plans(values),
    ...optional('markdown-output', 'markdownOutput'),
    ...optional('sarif-output', 'sarifOutput'),
  } as ScanArgs;
}

function parseSnapshot(args: string[]): SnapshotArgs {
  const values = parse(args, { stack: { type: 'string' }, region: { type: 'string' }, 'role-arn': { type: 'string' }, output: { type: 'string' } }, 'snapshot');
  const stack = one(values, 'stack');
  if (!stack) throw new UsageError('snapshot: --stack NAME is required (a stack name or ARN)');
  const roleArn = one(values, 'role-arn');
  if (roleArn !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(roleArn)) throw new UsageError(`--role-arn "${roleArn}" is not an IAM role ARN (arn:aws:iam::123456789012:role/name)`);
  const region = one(values, 'region');
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new UsageError(`--region "${region}" is not an AWS region (us-east-1)`);
  const output = one(values, 'output');
  return { kind: 'snapshot', stack, ...(region ? { region } : {}), ...(roleArn ? { roleArn } : {}), ...(output ? { output } : {}) };
}

function parseMcp(args: string[]): McpArgs {
  const values = parse(args, { repo: { type: 'string' }, base: { type: 'string' }, config: { type: 'string' }, plan: { type: 'string', multiple: true } }, 'mcp');
  const base = one(values, 'base');
  const config = one(values, 'config');
  return { kind: 'mcp', repo: one(values, 'repo') ?? '.', ...(base ? { base } : {}), ...(config ? { config } : {}), plans: plans(values) };
}
