// `npm run bench` section: the real pipeline on a pull request that touches a Terraform root
// of 300 resources (200 in the root, 100 in a local module with `count = 8`), whose plan
// has 1,000 resource_changes entries and 50 resource_drift entries. GitHub is answered
// in-process by LocalGitHub, as in the demo: git trees and blobs, the plan workflow's run
// for the head, its artifact and the zip. A first run with nothing cached (grammar loaded
// before), then pushes, each a new head with its own plan. Prints figures; asserts nothing.
import { defaultProviders } from '../src/app.js';
import { LocalGitHub, type LocalRepository, type LocalWorkflowRun } from '../src/demo/local-github.js';
import { readPullRequest } from '../src/github/read-pull-request.js';
import { loadHclGrammar } from '../src/iac/terraform/index.js';
import type { Phase } from '../src/phase-timer.js';
import { runPipeline } from '../src/pipeline.js';

const ROOT_RESOURCES = 200;
const MODULE_BLOCKS = 100;
const COUNT = 8;
const PUSHES = 10;
const DRIFT_EVERY = 20;
const CONFIG = 'targets:\n  - name: big\n    terraform:\n      dir: tf/big\n      plan: { workflow: terraform-plan.yml, artifact: tfplan-big }\n';
const BASE_SHA = 'd'.repeat(40);
const PROVIDER = 'registry.terraform.io/hashicorp/aws';

/** Retention per resource: the base has 345600 everywhere; a push sets 1209600 on `edited`. */
function rootFile(edited?: number): string {
  let text = 'module "queues" {\n  source = "../../modules/queues"\n}\n\n';
  for (let i = 0; i < ROOT_RESOURCES; i++) {
    text +=
      i % 2 === 0
        ? `resource "aws_security_group" "sg_${i}" {\n  name        = "sg-${i}"\n  description = "workers ${i}"\n  vpc_id      = "vpc-0a1b2c3d"\n  tags = {\n    Team = "platform"\n  }\n}\n\n`
        : `resource "aws_sqs_queue" "r_${i}" {\n  name                       = "r-${i}"\n  visibility_timeout_seconds = 30\n  message_retention_seconds  = ${i === edited ? 1209600 : 345600}\n}\n\n`;
  }
  return text;
}

function moduleFile(edited?: number): string {
  let text = '';
  for (let i = 0; i < MODULE_BLOCKS; i++) {
    text += `resource "aws_sqs_queue" "q_${i}" {\n  count                      = ${COUNT}\n  name                       = "q-${i}-\${count.index}"\n  visibility_timeout_seconds = 30\n  message_retention_seconds  = ${i === edited ? 1209600 : 345600}\n}\n\n`;
  }
  return text;
}

const queue = (name: string, visibility: number, retention: number) => ({
  arn: `arn:aws:sqs:us-east-1:123456789012:${name}`,
  content_based_deduplication: false,
  delay_seconds: 0,
  fifo_queue: false,
  id: `https://sqs.us-east-1.amazonaws.com/123456789012/${name}`,
  kms_data_key_reuse_period_seconds: 300,
  max_message_size: 262144,
  message_retention_seconds: retention,
  name,
  policy: '',
  receive_wait_time_seconds: 0,
  redrive_policy: '',
  sqs_managed_sse_enabled: true,
  tags: {},
  tags_all: {},
  url: `https://sqs.us-east-1.amazonaws.com/123456789012/${name}`,
  visibility_timeout_seconds: visibility,
});
const securityGroup = (i: number, tags: Record<string, string>) => ({
  arn: `arn:aws:ec2:us-east-1:123456789012:security-group/sg-${i.toString(16).padStart(17, '0')}`,
  description: `workers ${i}`,
  egress: [],
  id: `sg-${i.toString(16).padStart(17, '0')}`,
  ingress: [],
  name: `sg-${i}`,
  owner_id: '123456789012',
  revoke_rules_on_delete: false,
  tags,
  tags_all: tags,
  vpc_id: 'vpc-0a1b2c3d',
});

function entry(address: string, type: string, name: string, actions: string[], before: object, after: object, index?: number): object {
  const module = address.startsWith('module.') ? { module_address: 'module.queues' } : {};
  return {
    address,
    ...module,
    mode: 'managed',
    type,
    name,
    ...(index !== undefined ? { index } : {}),
    provider_name: PROVIDER,
    change: { actions, before, after, after_unknown: {}, before_sensitive: { tags: {}, tags_all: {} }, after_sensitive: { tags: {}, tags_all: {} } },
  };
}

/** The plan `terraform show -json` prints for a head that edits root queue `rootEdited` and module queue `moduleEdited`. */
function planJson(rootEdited: number, moduleEdited: number): string {
  const changes: object[] = [];
  const drift: object[] = [];
  let n = 0;
  const add = (address: string, type: string, name: string, state: object, live: object, planned: object, index?: number) => {
    const drifted = n++ % DRIFT_EVERY === 0;
    const before = drifted ? live : state;
    if (drifted) drift.push(entry(address, type, name, ['update'], state, live, index));
    const changed = JSON.stringify(before) !== JSON.stringify(planned);
    changes.push(entry(address, type, name, [changed ? 'update' : 'no-op'], before, planned, index));
  };
  for (let i = 0; i < ROOT_RESOURCES; i++) {
    if (i % 2 === 0) {
      const sg = securityGroup(i, { Team: 'platform' });
      add(`aws_security_group.sg_${i}`, 'aws_security_group', `sg_${i}`, sg, securityGroup(i, { Team: 'platform', Incident: 'INC-4711' }), sg);
    } else {
      const name = `r-${i}`;
      add(`aws_sqs_queue.r_${i}`, 'aws_sqs_queue', `r_${i}`, queue(name, 30, 345600), queue(name, 120, 345600), queue(name, 30, i === rootEdited ? 1209600 : 345600));
    }
  }
  for (let i = 0; i < MODULE_BLOCKS; i++) {
    for (let k = 0; k < COUNT; k++) {
      const name = `q-${i}-${k}`;
      add(`module.queues.aws_sqs_queue.q_${i}[${k}]`, 'aws_sqs_queue', `q_${i}`, queue(name, 30, 345600), queue(name, 120, 345600), queue(name, 30, i === moduleEdited ? 1209600 : 345600), k);
    }
  }
  return JSON.stringify({
    format_version: '1.2',
    terraform_version: '1.9.8',
    planned_values: { root_module: {} },
    resource_drift: drift,
    resource_changes: changes,
    configuration: { provider_config: { aws: { name: 'aws', full_name: PROVIDER } }, root_module: {} },
    timestamp: '2026-12-01T09:14:03Z',
    applyable: true,
    complete: true,
    errored: false,
  });
}

function headSha(push: number): string {
  return push.toString(16).padStart(40, 'e');
}

/** Head `push` edits root queue r_(2·push+1) and module queue q_push; its plan workflow has finished. */
function addHead(repository: LocalRepository, push: number): void {
  const sha = headSha(push);
  const rootEdited = 2 * push + 1;
  repository.files[sha] = { 'tf/big/main.tf': rootFile(rootEdited), 'modules/queues/main.tf': moduleFile(push) };
  const run: LocalWorkflowRun = {
    id: 5_000_000 + push,
    name: 'Terraform plan',
    path: '.github/workflows/terraform-plan.yml',
    headSha: sha,
    conclusion: 'success',
    createdAt: new Date(Date.parse('2026-12-01T09:00:00Z') + push * 60_000).toISOString(),
    artifacts: [{ id: 6_000_000 + push, name: 'tfplan-big', files: { 'tfplan.json': planJson(rootEdited, push) } }],
  };
  repository.runs = [...(repository.runs ?? []), run];
  repository.pull = { ...repository.pull, headSha: sha, updatedAt: run.createdAt, commits: [{ sha, message: `Keep r-${rootEdited} and q-${push} longer` }] };
}

interface Figures {
  phases: Partial<Record<Phase, number>>;
  /** Process CPU between the end of the previous phase and the end of this one (calls between phases, such as opening the check run, count for the next). */
  cpuPhases: Partial<Record<Phase, number>>;
  wall: number;
  cpu: number;
  github: number;
  conclusion: string;
}

/**
 * The fake's own work, done before the clock starts: zipping the head's plan (as the
 * artifact store holds it already) and hashing the files into blob ids.
 */
async function prepare(github: LocalGitHub): Promise<void> {
  const api = `https://api.github.com/repos/${github.repository.owner}/${github.repository.repo}`;
  const run = github.repository.runs!.at(-1)!;
  await github.fetch(`${api}/actions/runs/${run.id}/artifacts`);
  await github.fetch(`${api}/git/blobs/${'0'.repeat(40)}`);
}

async function runOnce(github: LocalGitHub): Promise<Figures> {
  await prepare(github);
  const octokit = github.octokit();
  const repo = { owner: github.repository.owner, repo: github.repository.repo };
  const pr = await readPullRequest(octokit, repo, github.repository.pull.number);
  const phases: Partial<Record<Phase, number>> = {};
  const cpuPhases: Partial<Record<Phase, number>> = {};
  const calls = github.calls.length;
  const cpu = process.cpuUsage();
  let mark = cpu;
  const start = performance.now();
  const outcome = await runPipeline(
    {
      octokit,
      loadConfig: async () => (await octokit.config.get({ ...repo, path: '.github/realitycheck.yml' })).config,
      providers: defaultProviders(),
      log: { info() {}, warn() {}, error(o: object) { console.error(o); } },
      onPhase: (phase, ms) => {
        phases[phase] = (phases[phase] ?? 0) + ms;
        const used = process.cpuUsage(mark);
        cpuPhases[phase] = (cpuPhases[phase] ?? 0) + (used.user + used.system) / 1000;
        mark = process.cpuUsage();
      },
    },
    pr,
    { signal: new AbortController().signal },
  );
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { phases, cpuPhases, wall, cpu: (used.user + used.system) / 1000, github: github.calls.length - calls, conclusion: outcome.conclusion ?? outcome.status };
}

export async function benchTerraformPipeline(): Promise<void> {
  const grammarStart = performance.now();
  await loadHclGrammar();
  const grammarMs = performance.now() - grammarStart;
  const repository: LocalRepository = {
    owner: 'bench',
    repo: 'network',
    defaultBranch: 'main',
    files: { main: { '.github/realitycheck.yml': CONFIG }, [BASE_SHA]: { 'tf/big/main.tf': rootFile(), 'modules/queues/main.tf': moduleFile() } },
    pull: { number: 8, author: 'octocat', headRef: 'keep-longer', headSha: '', baseSha: BASE_SHA, labels: [], body: '', updatedAt: '', commits: [] },
  };
  addHead(repository, 0);
  const github = new LocalGitHub(repository);
  const plan = repository.runs![0]!.artifacts[0]!.files['tfplan.json']!;
  const parsed = JSON.parse(plan) as { resource_changes: unknown[]; resource_drift: unknown[] };
  const kb = (Buffer.byteLength(rootFile()) + Buffer.byteLength(moduleFile())) / 1024;

  const first = await runOnce(github);
  const pushes: Figures[] = [];
  for (let push = 1; push <= PUSHES; push++) {
    addHead(repository, push);
    pushes.push(await runOnce(github));
  }

  const order: Phase[] = ['config', 'scope', 'declared', 'live', 'analyze', 'verdict', 'report', 'publish'];
  const between = order.filter((p) => p !== 'config' && p !== 'publish');
  const scopeToReport = (values: Partial<Record<Phase, number>>) => between.reduce((a, p) => a + (values[p] ?? 0), 0);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  console.log(
    `Terraform pipeline: a pull request on a root of ${ROOT_RESOURCES + MODULE_BLOCKS} resources (${ROOT_RESOURCES} in the root, ${MODULE_BLOCKS} in a local module with count = ${COUNT}; ${kb.toFixed(0)} KB of HCL), ` +
      `its plan ${parsed.resource_changes.length} resource_changes and ${parsed.resource_drift.length} resource_drift entries (${(plan.length / 1024 / 1024).toFixed(1)} MB of JSON) from the workflow's artifact; ` +
      `a first run (grammar loaded before: ${ms(grammarMs)}), then ${PUSHES} pushes (each a new head and plan); target < 200 ms CPU scope → report`,
  );
  const conclusions = new Map<string, number>();
  for (const f of pushes) conclusions.set(f.conclusion, (conclusions.get(f.conclusion) ?? 0) + 1);
  console.log(`  conclusion: first run ${first.conclusion}; pushes ${[...conclusions].map(([c, n]) => `${n} ${c}`).join(', ')} (a push blocks when its module queue has a drifted instance)`);
  console.log('  phase        CPU: push median  first run   wall: push median  first run');
  const row = (label: string, cpu: (f: Figures) => number, wall: (f: Figures) => number) =>
    console.log(`  ${label.padEnd(14)} ${ms(median(pushes.map(cpu))).padStart(14)} ${ms(cpu(first)).padStart(10)} ${ms(median(pushes.map(wall))).padStart(19)} ${ms(wall(first)).padStart(10)}`);
  for (const phase of order) row(phase, (f) => f.cpuPhases[phase] ?? 0, (f) => f.phases[phase] ?? 0);
  row('scope → report', (f) => scopeToReport(f.cpuPhases), (f) => scopeToReport(f.phases));
  console.log(`  whole run, process CPU (user + system, config and publish included): push median ${ms(median(pushes.map((f) => f.cpu)))}; first run ${ms(first.cpu)}`);
  console.log(`  GitHub calls per event: first run ${first.github}, push ${pushes[0]!.github}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchTerraformPipeline();
