// `.github/realitycheck.yml`: one zod schema gives the defaults, the types and the
// messages. Unknown keys are errors (a typo must not silently disable a check).
import { z } from 'zod';
import { checkAiPattern } from './analyze/ai-authorship.js';
import type { IgnoreRule as PlainIgnoreRule, PolicySettings, ReconcileSettings, ReferenceSettings, ReportSettings, Target } from './config-types.js';

export type { CloudFormationTarget, ReconcileSettings, ReferenceSettings, ReportSettings, Target, TerraformTarget } from './config-types.js';

export const CONFIG_PATH = '.github/realitycheck.yml';
/** The same file as Probot's `context.config` names it (relative to `.github/`). */
export const CONFIG_NAME = CONFIG_PATH.replace(/^\.github\//, '');

const duration = z
  .union([z.string(), z.number()])
  .transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `"${String(value)}" is not a duration; use a number of seconds or a number with s, m, h or d (for example 15m)`,
      });
      return z.NEVER;
    }
    return ms;
  });

const cloudformationTarget = z.strictObject({
  stack: z.string().min(1, 'the stack name or ARN is required'),
  template: z.string().min(1, 'the template path is required'),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-east-1').optional(),
  roleArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/realitycheck-read')
    .optional(),
  /** Live state from this JSON snapshot on the default branch instead of AWS (docs/snapshot-format.md). */
  snapshot: z.string().min(1, 'the snapshot path is required').optional(),
  /** A snapshot older than this is still used, with a warning; default 7d. */
  snapshotMaxAge: duration.optional(),
  /** Opt-in: live properties the template never declares, read with Cloud Control (README, IAM). */
  undeclared: z.boolean().default(false),
  /** Opt-in: a drift-aware change set (REVERT_DRIFT) as evidence; created, never executed, always deleted. */
  changeSet: z.boolean().default(false),
}).superRefine((t, ctx) => {
  if (t.snapshot && t.roleArn) {
    ctx.addIssue({ code: 'custom', path: ['roleArn'], message: 'roleArn is not used with snapshot: live state comes from the file, not AWS' });
  }
});

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-east-1');
const roleArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/realitycheck-read');

const terraformTarget = z
  .strictObject({
    dir: z.string().min(1, 'the root module directory is required'),
    plan: z
      .strictObject({
        workflow: z.string().regex(/^[^/]+\.ya?ml$/, 'must be a workflow file name such as terraform-plan.yml').optional(),
        artifact: z.string().min(1, 'the artifact name is required'),
        timeout: duration.default(30 * 60_000), // milliseconds: a default is the output
      })
      .optional(),
    state: z
      .strictObject({
        s3: z.strictObject({
          bucket: z.string().min(3, 'the bucket name is required'),
          key: z.string().min(1, 'the object key is required'),
          region: region.optional(),
        }),
        roleArn: roleArn.optional(),
      })
      .optional(),
  })
  .superRefine((t, ctx) => {
    if (t.plan && t.state) {
      ctx.addIssue({ code: 'custom', path: ['state'], message: 'a target reads live state from its plan or from state, not both' });
    }
  });

const target = z
  .strictObject({
    name: z.string().min(1).optional(),
    cloudformation: cloudformationTarget.optional(),
    terraform: terraformTarget.optional(),
  })
  .superRefine((t, ctx) => {
    const kinds = [t.cloudformation, t.terraform].filter(Boolean).length;
    if (kinds !== 1) {
      ctx.addIssue({ code: 'custom', message: 'a target needs exactly one of cloudformation or terraform' });
    }
  });

const ignoreRule = z
  .strictObject({
    resource: z.string().min(1).optional(),
    type: z.string().min(1).optional(),
    property: z.string().min(1).optional(),
    reason: z.string().min(1, 'say why this drift is expected'),
  })
  .refine((r) => r.resource !== undefined || r.type !== undefined || r.property !== undefined, {
    message: 'an ignore rule needs at least one of resource, type or property',
  });

const aiPattern = z.string().superRefine((source, ctx) => {
  const problem = checkAiPattern(source);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const configSchema = z.strictObject({
  targets: z.array(target).default([]),
  policy: z
    .strictObject({
      ai: z.enum(['strict', 'same']).default('strict'),
      unreadable: z.enum(['warn', 'block']).default('warn'),
      maxDriftAge: duration.default(15 * 60_000),
    })
    .prefault({}),
  reconcile: z
    .strictObject({
      mode: z.enum(['on-request', 'auto', 'off']).default('on-request'),
      /** auto: how often the default branch is checked against live (milliseconds). */
      schedule: duration.default(24 * 3_600_000),
    })
    .prefault({}),
  report: z
    .strictObject({
      /** One review with suggested changes on `revert` lines and notes on `conflict` lines. */
      suggestions: z.boolean().default(true),
    })
    .prefault({}),
  /** Infrastructure named in application code the pull request adds. */
  references: z
    .strictObject({
      enabled: z.enum(['ai', 'all', 'off']).default('ai'),
      maxLookups: z.number().int('must be a whole number').min(0).max(1000).default(50),
      accounts: z
        .record(
          z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
          z.strictObject({ roleArn }),
        )
        .default({}),
    })
    .prefault({}),
  ignore: z.array(ignoreRule).default([]),
  /** Additions to the built-in AI-agent signals (src/analyze/ai-signals.json). */
  ai: z
    .strictObject({
      authors: z.array(z.string().min(1)).default([]),
      trailers: z.array(aiPattern).default([]),
      labels: z.array(z.string().min(1)).default([]),
    })
    .prefault({}),
});

export type Config = z.output<typeof configSchema>;
export type Policy = Config['policy'];
export type IgnoreRule = Config['ignore'][number];

/** Fails to compile when the schema's output no longer fits the plain types in config-types.ts. */
type Fits<A extends B, B> = A;
export type SchemaFitsPlainTypes = [
  Fits<IgnoreRule, PlainIgnoreRule>,
  Fits<Policy, PolicySettings>,
  Fits<Config['reconcile'], ReconcileSettings>,
  Fits<Config['report'], ReportSettings>,
  Fits<Config['references'], ReferenceSettings>,
];

export interface ConfigProblem {
  /** Dotted key, e.g. `targets.0.cloudformation.stack`; empty for the whole file. */
  key: string;
  message: string;
}

export type ConfigResult = { ok: true; config: Config; targets: Target[] } | { ok: false; problems: ConfigProblem[] };

/** Validates an already-parsed config object (Probot's `context.config` parses the YAML). */
export function parseConfig(raw: unknown): ConfigResult {
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({ key: issue.path.join('.'), message: describeIssue(issue) })),
    };
  }
  return { ok: true, config: parsed.data, targets: toTargets(parsed.data) };
}

function toTargets(config: Config): Target[] {
  return config.targets.map((t): Target => {
    if (t.cloudformation) {
      const { snapshotMaxAge, ...rest } = t.cloudformation;
      return {
        kind: 'cloudformation',
        name: t.name ?? rest.stack,
        ...rest,
        ...(snapshotMaxAge !== undefined ? { snapshotMaxAgeMs: snapshotMaxAge } : {}),
      };
    }
    const { dir, plan, state } = t.terraform!;
    return {
      kind: 'terraform',
      name: t.name ?? dir,
      dir,
      ...(plan ? { plan: { artifact: plan.artifact, timeoutMs: plan.timeout, ...(plan.workflow ? { workflow: plan.workflow } : {}) } } : {}),
      ...(state ? { state: { s3: { bucket: state.s3.bucket, key: state.s3.key, ...(state.s3.region ? { region: state.s3.region } : {}) }, ...(state.roleArn ? { roleArn: state.roleArn } : {}) } } : {}),
    };
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_key':
      return `"${String(issue.input)}": ${issue.issues.map((inner) => inner.message).join('; ')}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => `"${String(v)}"`).join(', ')}`;
    case 'invalid_type':
      return `must be ${article(issue.expected)}`;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  if (expected === 'array') return 'a list';
  if (expected === 'object') return 'a mapping';
  return `a ${expected}`;
}

/** `15m` -> 900000. Plain numbers are seconds. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value);
  if (!match) return undefined;
  const n = Number(match[1]);
  const unit = match[2] ?? 's';
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit]!;
  return n * factor;
}
