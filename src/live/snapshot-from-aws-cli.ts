// Pure. Builds a snapshot (docs/snapshot-format.md) from the JSON the AWS CLI prints, so a
// team can produce one with its own credentials, e.g. in a scheduled CI job:
//   aws cloudformation describe-stacks --stack-name orders-prod > stacks.json
//   aws cloudformation detect-stack-drift --stack-name orders-prod   # then wait for it
//   aws cloudformation describe-stack-resource-drifts --stack-name orders-prod > drifts.json
// The CLI prints every value of a drift record as a string; they are parsed the same way the
// SDK provider parses them (parseAwsValue), so both sources give the same LiveState.
import { z } from 'zod';
import { parseAwsValue } from './map-resource-drift.js';
import { SNAPSHOT_FORMAT_VERSION, type SnapshotInput } from './snapshot.js';

const NO_ECHO_MASK = '****';

const driftsOutput = z.looseObject({
  StackResourceDrifts: z.array(
    z.looseObject({
      LogicalResourceId: z.string().min(1),
      PhysicalResourceId: z.string().optional(),
      ResourceType: z.string().min(1),
      StackResourceDriftStatus: z.string(),
      ExpectedProperties: z.string().optional(),
      ActualProperties: z.string().optional(),
      PropertyDifferences: z
        .array(
          z.looseObject({
            PropertyPath: z.string(),
            ExpectedValue: z.string().optional(),
            ActualValue: z.string().optional(),
            DifferenceType: z.string(),
          }),
        )
        .optional(),
      Timestamp: z.string().optional(),
    }),
  ),
});

const stacksOutput = z.looseObject({
  Stacks: z
    .array(
      z.looseObject({
        StackName: z.string().min(1),
        StackId: z.string().optional(),
        StackStatus: z.string().min(1),
        StackStatusReason: z.string().optional(),
        Parameters: z.array(z.looseObject({ ParameterKey: z.string().optional(), ParameterValue: z.string().optional() })).optional(),
        DriftInformation: z.looseObject({ LastCheckTimestamp: z.string().optional() }).optional(),
      }),
    )
    .min(1, 'describe-stacks returned no stack'),
});

export interface FromAwsCliOptions {
  /** When live state was read; defaults to the newest drift record's Timestamp, else the stack's last drift check. */
  readAt?: string;
  /** Free text for `source`. */
  source?: string;
  /** `aws cloudformation get-template --template-stage Original` TemplateBody, when wanted. */
  deployedTemplate?: string;
}

/**
 * `describe-stack-resource-drifts` output (+ `describe-stacks` output for the stack's status
 * and NoEcho parameters) -> a snapshot document. Throws an Error naming the problem when
 * either input is not what the CLI prints.
 */
export function fromDescribeStackResourceDrifts(drifts: unknown, stacks: unknown, options: FromAwsCliOptions = {}): SnapshotInput {
  const d = driftsOutput.safeParse(drifts);
  if (!d.success) throw new Error(`not describe-stack-resource-drifts output: ${firstIssue(d.error)}`);
  const s = stacksOutput.safeParse(stacks);
  if (!s.success) throw new Error(`not describe-stacks output: ${firstIssue(s.error)}`);
  const stack = s.data.Stacks[0]!;
  const records = d.data.StackResourceDrifts;

  const newest = records
    .map((r) => (r.Timestamp ? Date.parse(r.Timestamp) : NaN))
    .filter((t) => !Number.isNaN(t))
    .reduce<number | undefined>((max, t) => (max === undefined || t > max ? t : max), undefined);
  const lastCheck = stack.DriftInformation?.LastCheckTimestamp;
  const readAt = options.readAt ?? (newest !== undefined ? new Date(newest).toISOString() : lastCheck);
  if (!readAt) throw new Error('no drift record has a Timestamp and the stack was never checked for drift; pass readAt');

  const region = /^arn:aws[a-z-]*:cloudformation:([^:]+):/.exec(stack.StackId ?? '')?.[1];
  return {
    format_version: SNAPSHOT_FORMAT_VERSION,
    source: options.source ?? 'aws cloudformation describe-stack-resource-drifts',
    read_at: readAt,
    stack: {
      name: stack.StackName,
      ...(stack.StackId ? { id: stack.StackId } : {}),
      status: stack.StackStatus,
      ...(stack.StackStatusReason ? { status_reason: stack.StackStatusReason } : {}),
      ...(region ? { region } : {}),
      no_echo_parameters: (stack.Parameters ?? []).filter((p) => p.ParameterValue === NO_ECHO_MASK && p.ParameterKey).map((p) => p.ParameterKey!),
    },
    ...(options.deployedTemplate !== undefined ? { deployed_template: options.deployedTemplate } : {}),
    resources: records.map((r) => {
      const differences = (r.PropertyDifferences ?? []).map((p) => {
        const kind: 'ADD' | 'REMOVE' | 'NOT_EQUAL' = p.DifferenceType === 'ADD' || p.DifferenceType === 'REMOVE' ? p.DifferenceType : 'NOT_EQUAL';
        return {
          path: p.PropertyPath,
          ...(kind !== 'ADD' ? { expected: parseAwsValue(p.ExpectedValue ?? '') } : {}),
          ...(kind !== 'REMOVE' ? { actual: parseAwsValue(p.ActualValue ?? '') } : {}),
          kind,
        };
      });
      const status = toStatus(r.StackResourceDriftStatus, differences.length);
      return {
        logical_id: r.LogicalResourceId,
        ...(r.PhysicalResourceId ? { physical_id: r.PhysicalResourceId } : {}),
        type: r.ResourceType,
        status,
        ...(r.Timestamp && !Number.isNaN(Date.parse(r.Timestamp)) ? { checked_at: new Date(r.Timestamp).toISOString() } : {}),
        ...(status === 'MODIFIED' ? { differences } : {}),
        ...(status === 'MODIFIED' && r.ExpectedProperties !== undefined ? { expected_properties: propertiesOf(r.ExpectedProperties) } : {}),
        ...(status === 'MODIFIED' && r.ActualProperties !== undefined ? { actual_properties: propertiesOf(r.ActualProperties) } : {}),
      };
    }),
  };
}

/** UNKNOWN (and anything new) is NOT_CHECKED; MODIFIED without a single difference cannot be shown, so it is NOT_CHECKED too. */
function toStatus(status: string, differences: number): 'IN_SYNC' | 'MODIFIED' | 'DELETED' | 'NOT_CHECKED' {
  if (status === 'MODIFIED') return differences > 0 ? 'MODIFIED' : 'NOT_CHECKED';
  return status === 'IN_SYNC' || status === 'DELETED' ? status : 'NOT_CHECKED';
}

function propertiesOf(text: string): Record<string, unknown> | string {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : text;
  } catch {
    return text;
  }
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || '(top level)'}: ${issue.message}`;
}
