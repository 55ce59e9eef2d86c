// End to end for Terraform targets: a real Probot app receives real webhook payloads
// (pull_request, workflow_run); GitHub (files through git trees and blobs, Actions runs,
// artifacts and the redirect to blob storage) and AWS (S3, Cloud Control) answer over nock
// in their wire formats. The plan is JSON as `terraform show -json` prints it.
import nock from 'nock';
import { Probot } from 'probot';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { InProcessQueue } from '../../src/queue/queue.js';
import { FakeGitHub, type FakeRepo } from '../helpers/fake-github.js';
import { example, pullRequestEvent, testPrivateKey, TestOctokit } from '../helpers/probot.js';
import { zipOf } from '../live/terraform-plan/fake-actions.js';
import { cloudControl, s3GetObject } from '../live/terraform-state/fake-aws.js';
import { useFakeAwsEnvironment } from './harness.js';
import { OWNER, REPO } from './fixtures.js';

const API = 'https://api.github.com';
const BLOB = 'https://productionresultssa1.blob.core.windows.net';
const OLD_HEAD = '0123456789abcdef0123456789abcdef01234567';

const DB_PASSWORD_LIVE = 'rotated-by-hand-5f1c9e';

const CONFIG = `targets:
  - name: network
    terraform:
      dir: tf/network
      plan:
        workflow: terraform-plan.yml
        artifact: tfplan-network
policy:
  unreadable: warn
`;

const ROOT = `terraform {
  backend "s3" {
    bucket = "acme-tf-state"
    key    = "network/terraform.tfstate"
    region = "us-east-1"
  }
}

module "queues" {
  source = "../../modules/queues"
}

resource "aws_security_group" "web" {
  name        = "web"
  description = "web servers"
  vpc_id      = "vpc-0a1b2c3d"
}
`;

const queuesModule = (retention: number) => `resource "aws_sqs_queue" "jobs" {
  name                       = "jobs"
  visibility_timeout_seconds = 30
  message_retention_seconds  = ${retention}
}

resource "aws_sqs_queue" "dlq" {
  name = "jobs-dlq"
}
`;

const MODULE_PATH = 'modules/queues/main.tf';
const ROOT_PATH = 'tf/network/main.tf';

/**
 * Each test gets its own base and head commits: commit SHAs name content, and the app rightly keeps
 * what it read of a commit (its git tree) across runs.
 */
let HEAD_SHA = '';
let BASE_SHA = '';
let testNumber = 0;
beforeEach(() => {
  testNumber += 1;
  HEAD_SHA = `ec26c3e57ca3a959ca5aad62de7213c5${String(testNumber).padStart(8, '0')}`;
  BASE_SHA = `f95f852bd8fca8fcc58a9a2d6c842781${String(testNumber).padStart(8, '0')}`;
});

function repo(head: Record<string, string>, extra: Partial<FakeRepo> = {}): FakeRepo {
  const base = { [ROOT_PATH]: ROOT, [MODULE_PATH]: queuesModule(345600) };
  return {
    owner: OWNER,
    repo: REPO,
    config: CONFIG,
    files: { [BASE_SHA]: base, [HEAD_SHA]: { ...base, ...head } },
    pullFiles: { 2: Object.keys(head) },
    pulls: { 2: { headSha: HEAD_SHA, baseSha: BASE_SHA } },
    ...extra,
  };
}

// ---------------------------------------------------------------- the plan, as `terraform show -json` prints it

interface Entry {
  address: string;
  type: string;
  name: string;
  module?: string;
  actions: string[];
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  sensitive?: Record<string, unknown>;
}

function entry(e: Entry): Record<string, unknown> {
  return {
    address: e.address,
    ...(e.module ? { module_address: e.module } : {}),
    mode: 'managed',
    type: e.type,
    name: e.name,
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change: {
      actions: e.actions,
      before: e.before,
      after: e.after,
      after_unknown: {},
      before_sensitive: e.sensitive ?? {},
      after_sensitive: e.sensitive ?? {},
    },
  };
}

const queue = (visibility: number, retention: number) => ({
  arn: 'arn:aws:sqs:us-east-1:123456789012:jobs',
  id: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs',
  name: 'jobs',
  url: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs',
  visibility_timeout_seconds: visibility,
  message_retention_seconds: retention,
  tags: {},
  tags_all: {},
});
const securityGroup = (description: string) => ({ id: 'sg-0123456789abcdef0', name: 'web', description, vpc_id: 'vpc-0a1b2c3d', tags: {}, tags_all: {} });

interface PlanOptions {
  /** The queue's visibility timeout live (30 in state). */
  liveVisibility?: number;
  /** The security group's description live ("web servers" in state). */
  liveSgDescription?: string;
  /** The database password drifted live (sensitive). */
  passwordDrift?: boolean;
}

function planJson(o: PlanOptions): string {
  const visibility = o.liveVisibility ?? 30;
  const sg = o.liveSgDescription ?? 'web servers';
  const drift = [
    ...(visibility !== 30
      ? [entry({ address: 'module.queues.aws_sqs_queue.jobs', module: 'module.queues', type: 'aws_sqs_queue', name: 'jobs', actions: ['update'], before: queue(30, 345600), after: queue(visibility, 345600) })]
      : []),
    ...(sg !== 'web servers'
      ? [entry({ address: 'aws_security_group.web', type: 'aws_security_group', name: 'web', actions: ['update'], before: securityGroup('web servers'), after: securityGroup(sg) })]
      : []),
    ...(o.passwordDrift
      ? [
          entry({
            address: 'aws_db_instance.main',
            type: 'aws_db_instance',
            name: 'main',
            actions: ['update'],
            before: { id: 'db-main', identifier: 'main', password: 'from-state-3a7d', instance_class: 'db.t4g.micro' },
            after: { id: 'db-main', identifier: 'main', password: DB_PASSWORD_LIVE, instance_class: 'db.t4g.micro' },
            sensitive: { password: true },
          }),
        ]
      : []),
  ];
  const changes = [
    entry({ address: 'module.queues.aws_sqs_queue.jobs', module: 'module.queues', type: 'aws_sqs_queue', name: 'jobs', actions: ['update'], before: queue(visibility, 345600), after: queue(30, 1209600) }),
    entry({ address: 'module.queues.aws_sqs_queue.dlq', module: 'module.queues', type: 'aws_sqs_queue', name: 'dlq', actions: ['no-op'], before: { id: 'dlq', name: 'jobs-dlq' }, after: { id: 'dlq', name: 'jobs-dlq' } }),
    entry({ address: 'aws_security_group.web', type: 'aws_security_group', name: 'web', actions: sg === 'web servers' ? ['no-op'] : ['update'], before: securityGroup(sg), after: securityGroup('web servers') }),
    ...(o.passwordDrift
      ? [
          entry({
            address: 'aws_db_instance.main',
            type: 'aws_db_instance',
            name: 'main',
            actions: ['update'],
            before: { id: 'db-main', identifier: 'main', password: DB_PASSWORD_LIVE, instance_class: 'db.t4g.micro' },
            after: { id: 'db-main', identifier: 'main', password: 'from-state-3a7d', instance_class: 'db.t4g.micro' },
            sensitive: { password: true },
          }),
        ]
      : []),
  ];
  return JSON.stringify({
    format_version: '1.2',
    terraform_version: '1.9.8',
    planned_values: { root_module: {} },
    resource_drift: drift,
    resource_changes: changes,
    configuration: { provider_config: {}, root_module: {} },
    timestamp: '2026-12-01T09:14:03Z',
    applyable: true,
    complete: true,
    errored: false,
  });
}

// ---------------------------------------------------------------- GitHub Actions on nock

function workflowRun(id: number, headSha: string, conclusion: string | null = 'success', createdAt = '2026-12-01T09:12:00Z'): Record<string, any> {
  const run = example('workflow_run', 'completed', false).workflow_run;
  Object.assign(run, {
    id,
    name: 'Terraform plan',
    path: '.github/workflows/terraform-plan.yml',
    head_sha: headSha,
    event: 'pull_request',
    status: conclusion === null ? 'in_progress' : 'completed',
    conclusion,
    run_attempt: 1,
    created_at: createdAt,
    updated_at: createdAt,
    html_url: `https://github.com/${OWNER}/${REPO}/actions/runs/${id}`,
    pull_requests: [{ id: 1, number: 2, url: `${API}/repos/${OWNER}/${REPO}/pulls/2`, head: { ref: 'raise-retention', sha: headSha, repo: { id: 1, url: '', name: REPO } }, base: { ref: 'main', sha: BASE_SHA, repo: { id: 1, url: '', name: REPO } } }],
  });
  return run;
}

type PlanRun = { run: Record<string, any>; plan?: string };

/**
 * Runs of the plan workflow for each head, their artifacts and the zip behind each
 * (persisting: every run may ask). Returns the list, so a test can add runs as they finish.
 */
function actions(runs: PlanRun[]): PlanRun[] {
  const base = `/repos/${OWNER}/${REPO}/actions`;
  const scope = nock(API).persist();
  scope.get(new RegExp(`^${base}/workflows/terraform-plan\\.yml/runs\\?`)).reply((uri) => {
    const headSha = new URL(uri, API).searchParams.get('head_sha');
    const listed = runs.filter((r) => r.run.head_sha === headSha).map((r) => r.run);
    return [200, { total_count: listed.length, workflow_runs: listed }, { 'content-type': 'application/json' }];
  });
  scope.get(new RegExp(`^${base}/runs/\\d+$`)).reply((uri) => {
    const id = Number(/runs\/(\d+)$/.exec(uri)![1]);
    const found = runs.find((r) => r.run.id === id);
    return found ? [200, found.run, { 'content-type': 'application/json' }] : [404, { message: 'Not Found' }, { 'content-type': 'application/json' }];
  });
  scope.get(new RegExp(`^${base}/runs/\\d+/artifacts`)).reply((uri) => {
    const id = Number(/runs\/(\d+)\/artifacts/.exec(uri)![1]);
    const found = runs.find((r) => r.run.id === id);
    const artifacts = found?.plan === undefined ? [] : [artifactJson(id, found.run.head_sha, zipOf({ 'tfplan.json': found.plan }).length)];
    return [200, { total_count: artifacts.length, artifacts }, { 'content-type': 'application/json' }];
  });
  scope.get(new RegExp(`^${base}/artifacts/\\d+/zip$`)).reply((uri) => {
    const id = Number(/artifacts\/(\d+)\/zip/.exec(uri)![1]);
    return [302, '', { location: `${BLOB}/actions-results/run-${id - 7000}/tfplan-network.zip?sig=c2lnbmVk&sv=2025-01-05` }];
  });
  nock(BLOB)
    .persist()
    .get(/\/actions-results\/run-\d+\/tfplan-network\.zip/)
    .reply(function (uri) {
      if (this.req.headers.authorization !== undefined) return [400, '<Error><Code>InvalidAuthenticationInfo</Code></Error>', { 'content-type': 'application/xml' }];
      const id = Number(/run-(\d+)/.exec(uri)![1]);
      const plan = runs.find((r) => r.run.id === id)?.plan ?? '';
      const zip = Buffer.from(zipOf({ 'tfplan.json': plan }));
      return [200, zip, { 'content-type': 'application/zip', 'content-length': String(zip.length) }];
    });
  return runs;
}

function artifactJson(runId: number, headSha: string, size: number): Record<string, unknown> {
  const id = runId + 7000;
  return {
    id,
    node_id: 'MDg6QXJ0aWZhY3QxMQ==',
    name: 'tfplan-network',
    size_in_bytes: size,
    url: `${API}/repos/${OWNER}/${REPO}/actions/artifacts/${id}`,
    archive_download_url: `${API}/repos/${OWNER}/${REPO}/actions/artifacts/${id}/zip`,
    expired: false,
    created_at: '2026-12-01T09:14:10Z',
    expires_at: '2027-03-01T09:14:10Z',
    updated_at: '2026-12-01T09:14:10Z',
    workflow_run: { id: runId, repository_id: 1296269, head_repository_id: 1296269, head_branch: 'raise-retention', head_sha: headSha },
  };
}

// ---------------------------------------------------------------- the app

interface LogLine {
  [key: string]: unknown;
}

function recordingLogger(lines: LogLine[]): any {
  const at = (level: string) => (obj: unknown, msg?: string) => lines.push({ level, obj, msg });
  const logger: any = { level: 'info', trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal') };
  logger.child = () => logger;
  return logger;
}

let github: FakeGitHub | undefined;

async function start(fake: FakeRepo, lines: LogLine[] = []) {
  github = new FakeGitHub(fake);
  const queue = new InProcessQueue(2, { info() {}, error() {} });
  const probot = new Probot({ appId: 1, privateKey: testPrivateKey(), Octokit: TestOctokit, log: recordingLogger(lines) });
  await probot.load(createApp({ queue }));
  return {
    github,
    async deliver(name: string, payload: object) {
      await probot.receive({ id: `delivery-${Math.random()}`, name, payload } as Parameters<Probot['receive']>[0]);
      await queue.idle();
    },
    idle: () => queue.idle(),
  };
}

function workflowRunEvent(run: Record<string, any>): Record<string, any> {
  // The examples of this event carry no installation; an app's deliveries always do.
  const payload = example('workflow_run', 'completed', false);
  payload.installation = { id: 1, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };
  payload.workflow_run = run;
  payload.repository.name = REPO;
  payload.repository.owner.login = OWNER;
  return payload;
}

beforeAll(useFakeAwsEnvironment);
afterEach(() => {
  github?.done();
  github = undefined;
  nock.cleanAll();
});

const RETENTION_EDIT = { [MODULE_PATH]: queuesModule(1209600) };

describe('a pull request that touches a Terraform root', () => {
  it('waits for the plan, then blocks a queue edit in a local module whose visibility timeout was changed live, on the module\'s lines', async () => {
    const app = await start(repo(RETENTION_EDIT));
    const runs = actions([]);
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const waiting = app.github.checkFor(HEAD_SHA)!;
    expect(waiting.status).toBe('in_progress');
    expect(waiting.output?.title).toBe('Waiting for the Terraform plan');
    expect(waiting.output?.summary).toContain('terraform-plan.yml');

    const run = workflowRun(9101, HEAD_SHA);
    runs.push({ run, plan: planJson({ liveVisibility: 120 }) });
    await app.deliver('workflow_run', workflowRunEvent(run));

    const check = app.github.checkFor(HEAD_SHA)!;
    expect(check.status).toBe('completed');
    expect(check.conclusion, JSON.stringify(check.output)).toBe('failure');
    const comment = app.github.comments[0]!.body;
    expect(comment).toContain('module.queues.aws_sqs_queue.jobs');
    expect(comment).toContain('visibility_timeout_seconds');
    expect(comment).toMatch(/`30`/);
    expect(comment).toMatch(/`120`/);
    const annotation = check.annotations.find((a) => a.path === MODULE_PATH);
    expect(annotation, JSON.stringify(check.annotations)).toBeDefined();
    expect(Number(annotation!.start_line)).toBeGreaterThanOrEqual(1);
    expect(Number(annotation!.end_line)).toBeLessThanOrEqual(5);
  });

  it('concludes without the plan once plan.timeout has passed, naming the workflow, and never passes', async () => {
    const app = await start(repo(RETENTION_EDIT, { config: CONFIG.replace('artifact: tfplan-network', 'artifact: tfplan-network\n        timeout: 1s') }));
    actions([]);
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    expect(app.github.checkFor(HEAD_SHA)!.status).toBe('in_progress');
    // the app's own timer starts a last run for this head once the second has passed
    await vi.waitFor(() => expect(app.github.checkFor(HEAD_SHA)!.status).toBe('completed'), { timeout: 15_000, interval: 100 });
    await app.idle();
    const check = app.github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('neutral');
    expect(check.output?.summary).toContain('terraform-plan.yml');
    expect(check.output?.summary).toMatch(/no plan arrived within 1 s/);
  });

  it('closes the waiting check of a commit a newer push replaced as cancelled, never leaving it in progress', async () => {
    const fake = repo(RETENTION_EDIT, { config: CONFIG.replace('artifact: tfplan-network', 'artifact: tfplan-network\n        timeout: 1s') });
    const app = await start(fake);
    actions([]);
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const newer = `${HEAD_SHA.slice(0, 32)}eeeeeeee`;
    fake.files[newer] = fake.files[HEAD_SHA]!;
    fake.pulls = { 2: { headSha: newer, baseSha: BASE_SHA } };
    await app.deliver('pull_request', pullRequestEvent({ headSha: newer, baseSha: BASE_SHA }));
    expect(app.github.checkFor(HEAD_SHA)!.status).toBe('in_progress');

    await vi.waitFor(() => expect(app.github.checkFor(newer)!.status).toBe('completed'), { timeout: 15_000, interval: 100 });
    await vi.waitFor(() => expect(app.github.checkFor(HEAD_SHA)!.status).toBe('completed'), { timeout: 15_000, interval: 100 });
    await app.idle();
    expect(app.github.checkFor(HEAD_SHA)!.conclusion).toBe('cancelled');
    expect(app.github.checkFor(HEAD_SHA)!.output?.title).toBe('Replaced by a newer push');
    expect(app.github.checkFor(newer)!.conclusion).toBe('neutral');
  });

  it('decides by the newest plan run of the head, whatever order the runs finish in', async () => {
    const app = await start(repo(RETENTION_EDIT));
    const older = workflowRun(9201, HEAD_SHA, 'success', '2026-12-01T09:00:00Z');
    const newer = workflowRun(9202, HEAD_SHA, 'success', '2026-12-01T09:30:00Z');
    actions([
      { run: older, plan: planJson({}) },
      { run: newer, plan: planJson({ liveVisibility: 120 }) },
    ]);
    await app.deliver('workflow_run', workflowRunEvent(newer));
    expect(app.github.checkFor(HEAD_SHA)!.conclusion).toBe('failure');
    // the older run's event arrives last: it does not replace the newer plan's verdict
    await app.deliver('workflow_run', workflowRunEvent(older));
    expect(app.github.checkFor(HEAD_SHA)!.conclusion).toBe('failure');
  });

  it('lets another workflow finishing (CI, lint) start nothing and leave the waiting check alone', async () => {
    const app = await start(repo(RETENTION_EDIT));
    actions([]);
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const lint = workflowRun(9301, HEAD_SHA);
    lint.path = '.github/workflows/lint.yml';
    lint.name = 'Lint';
    await app.deliver('workflow_run', workflowRunEvent(lint));
    expect(app.github.count('GET pull')).toBe(0);
    expect(app.github.checkFor(HEAD_SHA)!.output?.title).toBe('Waiting for the Terraform plan');
  });

  it('never lets a late plan for an older head decide the newest head', async () => {
    const app = await start(repo(RETENTION_EDIT));
    const old = workflowRun(9102, OLD_HEAD);
    actions([{ run: old, plan: planJson({}) }]);
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    await app.deliver('workflow_run', workflowRunEvent(old));
    const check = app.github.checkFor(HEAD_SHA)!;
    expect(check.status).toBe('in_progress');
    expect(check.conclusion ?? null).toBeNull();
  });

  it('warns, naming the security group, when a resource the pull request does not touch drifted', async () => {
    const run = workflowRun(9103, HEAD_SHA);
    const app = await start(repo(RETENTION_EDIT));
    actions([{ run, plan: planJson({ liveSgDescription: 'opened by hand during an incident' }) }]);
    // The plan finished before the pull request event came: found by the head commit.
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const check = app.github.checkFor(HEAD_SHA)!;
    expect(check.conclusion).toBe('neutral');
    expect(app.github.comments[0]!.body).toContain('aws_security_group.web');
  });

  it('blocks a .tf file with a missing brace on its line, also when the plan workflow failed on it, and serves the next push', async () => {
    const broken = ROOT.replace('resource "aws_security_group" "web" {', 'resource "aws_security_group" "web"');
    const failed = workflowRun(9104, HEAD_SHA, 'failure');
    const app = await start(repo({ [ROOT_PATH]: broken }));
    const runs = actions([{ run: failed }]);
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    const check = app.github.checkFor(HEAD_SHA)!;
    expect(check.conclusion, JSON.stringify(check.output)).toBe('failure');
    const annotation = check.annotations.find((a) => a.path === ROOT_PATH);
    expect(annotation, JSON.stringify(check.output)).toBeDefined();
    const line = broken.split('\n').findIndex((l) => l.startsWith('resource "aws_security_group" "web"')) + 1;
    expect(Math.abs(Number(annotation!.start_line) - line)).toBeLessThanOrEqual(3);

    // the fix arrives, with its plan
    const NEXT_HEAD = `${HEAD_SHA.slice(0, 32)}ffffffff`;
    app.github.repo.files[NEXT_HEAD] = { ...app.github.repo.files[BASE_SHA]!, ...RETENTION_EDIT };
    app.github.repo.pullFiles[2] = [MODULE_PATH];
    runs.push({ run: workflowRun(9105, NEXT_HEAD), plan: planJson({}) });
    await app.deliver('pull_request', pullRequestEvent({ headSha: NEXT_HEAD, baseSha: BASE_SHA }));
    expect(app.github.checkFor(NEXT_HEAD)!.conclusion).toBe('success');
  });

  it('never sends a drifted password marked sensitive to GitHub or the log', async () => {
    const lines: LogLine[] = [];
    const run = workflowRun(9106, HEAD_SHA);
    const app = await start(repo(RETENTION_EDIT), lines);
    actions([{ run, plan: planJson({ passwordDrift: true }) }]);
    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));
    expect(app.github.checkFor(HEAD_SHA)!.status).toBe('completed');
    const sent = JSON.stringify([app.github.comments, app.github.checkRuns]);
    expect(sent).toContain('aws_db_instance.main');
    expect(sent).not.toContain(DB_PASSWORD_LIVE);
    expect(sent).not.toContain('from-state-3a7d');
    expect(JSON.stringify(lines)).not.toContain(DB_PASSWORD_LIVE);
  });
});

describe('a pull request on a Terraform root read from its state and Cloud Control', () => {
  const STATE_CONFIG = `targets:
  - name: data
    terraform:
      dir: tf/data
      state:
        s3: { bucket: acme-tf-state, key: data/terraform.tfstate, region: us-east-1 }
policy:
  unreadable: warn
`;
  const tf = (deletionProtection: boolean, policy: string) => `resource "aws_dynamodb_table" "orders" {
  name                        = "orders"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "order_id"
  deletion_protection_enabled = ${deletionProtection}

  attribute {
    name = "order_id"
    type = "S"
  }
}

resource "aws_iam_role_policy_attachment" "worker_sqs" {
  role       = "worker"
  policy_arn = "${policy}"
}
`;
  const state = JSON.stringify({
    version: 4,
    terraform_version: '1.9.8',
    serial: 42,
    lineage: '3f9a1c2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b',
    outputs: {},
    resources: [
      {
        mode: 'managed',
        type: 'aws_dynamodb_table',
        name: 'orders',
        provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [
          {
            schema_version: 1,
            attributes: {
              arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders',
              attribute: [{ name: 'order_id', type: 'S' }],
              billing_mode: 'PAY_PER_REQUEST',
              deletion_protection_enabled: false,
              hash_key: 'order_id',
              id: 'orders',
              stream_enabled: false,
              name: 'orders',
              table_class: 'STANDARD',
              tags: {},
              tags_all: {},
            },
            sensitive_attributes: [],
          },
        ],
      },
      {
        mode: 'managed',
        type: 'aws_iam_role_policy_attachment',
        name: 'worker_sqs',
        provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [{ schema_version: 0, attributes: { id: 'worker-20261101120000000000000001', policy_arn: 'arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess', role: 'worker' }, sensitive_attributes: [] }],
      },
    ],
  });

  it('reports a drifted DynamoDB table the pull request touches, and a type it cannot map as not checked', async () => {
    const path = 'tf/data/main.tf';
    const base = { [path]: tf(false, 'arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess') };
    const app = await start({
      owner: OWNER,
      repo: REPO,
      config: STATE_CONFIG,
      files: { [BASE_SHA]: base, [HEAD_SHA]: { [path]: tf(true, 'arn:aws:iam::aws:policy/AmazonSQSFullAccess') } },
      pullFiles: { 2: [path] },
    });
    s3GetObject(state, { key: 'data/terraform.tfstate' });
    const cc = cloudControl([
      {
        typeName: 'AWS::DynamoDB::Table',
        identifier: 'orders',
        properties: {
          TableName: 'orders',
          Arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders',
          AttributeDefinitions: [{ AttributeName: 'order_id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'order_id', KeyType: 'HASH' }],
          BillingMode: 'PROVISIONED',
          ProvisionedThroughput: { ReadCapacityUnits: 50, WriteCapacityUnits: 50 },
          DeletionProtectionEnabled: false,
          TableClass: 'STANDARD',
        },
      },
    ]);

    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));

    expect(cc.calls).toEqual([{ TypeName: 'AWS::DynamoDB::Table', Identifier: 'orders' }]);
    const check = app.github.checkFor(HEAD_SHA)!;
    expect(check.conclusion, JSON.stringify(check.output)).toBe('failure');
    const comment = app.github.comments[0]!.body;
    expect(comment).toContain('aws_dynamodb_table.orders');
    expect(comment).toContain('billing_mode');
    expect(comment).toContain('PROVISIONED');
    expect(comment).toContain('aws_iam_role_policy_attachment.worker_sqs');
    expect(comment).toMatch(/not checked/i);
    expect(comment).toContain('s3://acme-tf-state/data/terraform.tfstate');
  });
  const ASSETS = `
resource "aws_s3_bucket" "assets" {
  bucket = "acme-assets"
}
`;
  const table = {
    typeName: 'AWS::DynamoDB::Table',
    identifier: 'orders',
    properties: {
      TableName: 'orders',
      Arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders',
      AttributeDefinitions: [{ AttributeName: 'order_id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'order_id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      DeletionProtectionEnabled: false,
      TableClass: 'STANDARD',
    },
  };

  async function addBucket() {
    const path = 'tf/data/main.tf';
    const base = { [path]: tf(false, 'arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess') };
    const app = await start({
      owner: OWNER,
      repo: REPO,
      config: STATE_CONFIG,
      files: { [BASE_SHA]: base, [HEAD_SHA]: { [path]: base[path] + ASSETS } },
      pullFiles: { 2: [path] },
    });
    s3GetObject(state, { key: 'data/terraform.tfstate' });
    return { app, path };
  }

  it('blocks a pull request that creates a bucket whose name already exists live outside the state, on its bucket line', async () => {
    const { app, path } = await addBucket();
    const cc = cloudControl([table, { typeName: 'AWS::S3::Bucket', identifier: 'acme-assets', properties: { BucketName: 'acme-assets', Arn: 'arn:aws:s3:::acme-assets' } }]);

    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));

    expect(cc.calls).toContainEqual({ TypeName: 'AWS::S3::Bucket', Identifier: 'acme-assets' });
    const check = app.github.checkFor(HEAD_SHA)!;
    expect(check.conclusion, JSON.stringify(check.output)).toBe('failure');
    const comment = app.github.comments[0]!.body;
    expect(comment).toContain('aws_s3_bucket.assets');
    expect(comment).toContain('acme-assets');
    expect(comment).toMatch(/already exists live/);
    const annotation = check.annotations.find((a) => a.path === path && /aws_s3_bucket\.assets/.test(String(a.message)));
    expect(annotation, JSON.stringify(check.annotations)).toBeDefined();
    const line = (base: string) => base.split('\n').findIndex((l) => l.includes('bucket = "acme-assets"')) + 1;
    const head = app.github.repo.files[HEAD_SHA]![path]!;
    expect(Number(annotation!.start_line)).toBe(line(head));
  });

  it('passes a pull request that creates a bucket whose name Cloud Control does not find', async () => {
    const { app } = await addBucket();
    const cc = cloudControl([table], { times: 2 });

    await app.deliver('pull_request', pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA }));

    expect(cc.calls).toContainEqual({ TypeName: 'AWS::S3::Bucket', Identifier: 'acme-assets' });
    const check = app.github.checkFor(HEAD_SHA)!;
    expect(check.conclusion, JSON.stringify(check.output)).toBe('success');
    expect(JSON.stringify([app.github.comments, check.output])).not.toMatch(/already exists live/);
  });
});
