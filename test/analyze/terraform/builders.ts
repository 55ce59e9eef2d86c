// Small builders for Terraform analyze tests: roots parsed by the real (pure) parser from a few
// .tf texts, live resources as the plan and state sources hand them over, and plans in the
// `terraform show -json` format read by the real plan reader.
import type { TerraformEvidence } from '../../../src/analyze/terraform/analyze-terraform-target.js';
import { computeTerraformChanges } from '../../../src/iac/terraform/compute-terraform-changes.js';
import { parseRoot } from '../../../src/iac/terraform/parse-root.js';
import { computePlanLiveState } from '../../../src/live/terraform-plan/compute-plan-live-state.js';
import { parsePlanJson } from '../../../src/live/terraform-plan/parse-plan-json.js';
import type { LiveResource, LiveState, PropertyDifference } from '../../../src/types.js';

export const ROOT = 'infra/app';
export const MODULE_FILE = 'infra/modules/queues/main.tf';
export const ROOT_FILE = 'infra/app/main.tf';
export const READ_AT = '2026-11-30T09:14:03Z';
export const QUEUE = 'module.queues.aws_sqs_queue.jobs';
export const GROUP = 'aws_security_group.workers';

/** The root: a local module holding the queue, a security group beside it. */
export const ROOT_TF = `module "queues" {
  source = "../modules/queues"
}

resource "aws_security_group" "workers" {
  name = "workers"

  ingress {
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}
`;

export function queueTf(fields: { visibility?: number | string; retention?: number | string } = {}): string {
  return `# the job queue
resource "aws_sqs_queue" "jobs" {
  name                       = "jobs"
  visibility_timeout_seconds = ${fields.visibility ?? 30}
  message_retention_seconds  = ${fields.retention ?? 345600}
}
`;
}

export type Files = Record<string, string>;

export const BASE: Files = { [ROOT_FILE]: ROOT_TF, [MODULE_FILE]: queueTf() };

/** The declared layer as the wiring builds it: both sides parsed, then compared. */
export function declared(base: Files, head: Files): TerraformEvidence['declared'] {
  const baseRoot = parseRoot(ROOT, new Map(Object.entries(base)));
  const headRoot = parseRoot(ROOT, new Map(Object.entries(head)));
  return { base: baseRoot, head: headRoot, changes: computeTerraformChanges(baseRoot, headRoot, Object.keys(head)) };
}

export function diff(path: string, expected: unknown, actual: unknown): PropertyDifference {
  return { path, expected, actual, kind: 'NOT_EQUAL' };
}

export function tfLive(address: string, status: LiveResource['status'], differences: PropertyDifference[] = [], extra: Partial<LiveResource> = {}): LiveResource {
  const type = /(?:^|\.)(aws_[a-z0-9_]+)\./.exec(address)?.[1] ?? 'aws_sqs_queue';
  return { logicalId: address, type, status, differences, normalizedAway: 0, checkedAt: READ_AT, ...extra };
}

/** Live state from the state source (S3 + Cloud Control). */
export function stateLive(resources: LiveResource[], extra: Partial<LiveState> = {}): LiveState {
  return {
    target: 'app',
    source: 'terraform-state',
    readAt: READ_AT,
    drift: { reused: false, checkedAt: READ_AT, status: 'DETECTION_COMPLETE', resources },
    unreadable: [],
    calls: resources.length + 1,
    ...extra,
  };
}

export const target = { name: 'app', kind: 'terraform' as const, file: ROOT };

export function evidence(fields: Omit<TerraformEvidence, 'target' | 'notes'> & Partial<Pick<TerraformEvidence, 'notes'>>): TerraformEvidence & { kind: 'terraform' } {
  return { kind: 'terraform', target, notes: [], ...fields };
}

// ---------------------------------------------------------------- plans

interface PlanEntry {
  address: string;
  actions: string[];
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  beforeSensitive?: unknown;
  afterSensitive?: unknown;
}

function entry(e: PlanEntry) {
  const parts = /^(?:(module\.[a-z_]+)\.)?([a-z0-9_]+)\.([a-z0-9_]+)(?:\[(\d+)\])?$/.exec(e.address)!;
  return {
    address: e.address,
    ...(parts[1] ? { module_address: parts[1] } : {}),
    mode: 'managed',
    type: parts[2],
    name: parts[3],
    ...(parts[4] !== undefined ? { index: Number(parts[4]) } : {}),
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change: {
      actions: e.actions,
      before: e.before,
      after: e.after,
      after_unknown: {},
      before_sensitive: e.beforeSensitive ?? {},
      after_sensitive: e.afterSensitive ?? {},
    },
  };
}

/** A plan as `terraform show -json` prints it, read by the real plan reader, as the wiring hands it over. */
export function plan(drift: PlanEntry[], changes: PlanEntry[]): Pick<TerraformEvidence, 'planned' | 'live' | 'origin'> {
  const document = {
    format_version: '1.2',
    terraform_version: '1.9.8',
    resource_drift: drift.map(entry),
    resource_changes: changes.map(entry),
    timestamp: READ_AT,
    applyable: true,
    complete: true,
    errored: false,
  };
  return planDocument(document);
}

/** Any plan document (also one without `resource_changes`), read by the real plan reader. */
export function planDocument(document: Record<string, unknown>): Pick<TerraformEvidence, 'planned' | 'live' | 'origin'> {
  const parsed = parsePlanJson(JSON.stringify(document), 'tfplan-app/plan.json');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const run = { id: 4242, name: 'Terraform plan', htmlUrl: 'https://github.com/acme/shop/actions/runs/4242', headSha: 'abc', status: 'completed', conclusion: 'success', createdAt: READ_AT };
  return {
    planned: parsed.plan.changes,
    live: computePlanLiveState('app', parsed.plan, run),
    origin: { plan: { runId: 4242, workflow: 'terraform-plan.yml', artifact: 'tfplan-app' } },
  };
}

export const queueValues = (visibility: number, retention: number) => ({
  name: 'jobs',
  url: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs',
  id: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs',
  visibility_timeout_seconds: visibility,
  message_retention_seconds: retention,
});

export const groupValues = (cidrs: string[]) => ({
  id: 'sg-0a1b2c3d4e5f60718',
  name: 'workers',
  ingress: [{ from_port: 8080, to_port: 8080, protocol: 'tcp', cidr_blocks: cidrs, description: '' }],
});
