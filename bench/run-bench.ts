// `npm run bench`: times the real pipeline on a pull request that touches a template of
// 500 resources, with GitHub answered in-process (LocalGitHub, a real Octokit) and AWS
// answered by a loopback HTTP server in the CloudFormation Query/XML wire format (reached
// through the SDK's own AWS_ENDPOINT_URL_CLOUDFORMATION override). Then measures how fast
// the webhook endpoint answers while 50+ runs wait in the queue. Prints figures; asserts
// nothing (timed assertions are flaky on shared machines).
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Probot } from 'probot';
import { createApp, defaultProviders } from '../src/app.js';
import { detectAiAuthorship, type AuthorshipInput } from '../src/analyze/ai-authorship.js';
import { redactText } from '../src/values/redact-text.js';
import { redactEvidence } from '../src/values/redact.js';
import { runPipeline } from '../src/pipeline.js';
import type { Phase } from '../src/phase-timer.js';
import { InProcessQueue } from '../src/queue/queue.js';
import { codeSpan } from '../src/report/escape-markdown.js';
import { readPullRequest } from '../src/github/read-pull-request.js';
import { LocalGitHub, type LocalRepository } from '../src/demo/local-github.js';
import { BASE, head, HEAD, PAGE, RESOURCES } from './stack.js';
import { benchTerraformPipeline } from './terraform-pipeline.js';
import { benchTerraformPlan } from './terraform-plan.js';
import { benchTargetedDetection } from './targeted-detection.js';
import { benchReconcileEdits } from './reconcile-edits.js';
import { benchReferences } from './references.js';
import { benchTemplates } from './templates.js';
import { benchReconcilePlan } from './reconcile-plan.js';

const ITERATIONS = 30;
const WEBHOOKS = 120;
const CONFIG = 'targets:\n  - name: stack\n    cloudformation: { stack: orders-prod, template: infra/stack.yaml, region: us-east-1 }\n';
const BASE_SHA = 'b'.repeat(40);
const HEAD_SHA = 'c'.repeat(40);

process.env.AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

function repository(): LocalRepository {
  return {
    owner: 'bench',
    repo: 'stack',
    defaultBranch: 'main',
    files: {
      main: { '.github/realitycheck.yml': CONFIG },
      [BASE_SHA]: { 'infra/stack.yaml': BASE },
      [HEAD_SHA]: { 'infra/stack.yaml': HEAD },
    },
    pull: { number: 7, author: 'octocat', headRef: 'tune-timeouts', headSha: HEAD_SHA, baseSha: BASE_SHA, labels: [], body: '', updatedAt: '2026-11-27T12:00:00Z', commits: [{ sha: HEAD_SHA, message: 'Tune timeouts' }] },
  };
}


// ---------------------------------------------------------------- 1. the pipeline

interface RunFigures {
  phases: Partial<Record<Phase, number>>;
  total: number;
  /** Wall time from scope to report (the run less reading config and publishing). */
  scopeToReport: number;
  github: number;
  githubWrites: number;
  aws: number;
  conclusion: string;
}

async function runOnce(github: LocalGitHub, awsCalls: () => Promise<number>, reuseCheck = false): Promise<RunFigures> {
  const octokit = github.octokit();
  const pr = await readPullRequest(octokit, { owner: 'bench', repo: 'stack' }, 7);
  const phases: Partial<Record<Phase, number>> = {};
  const callsBefore = github.calls.length;
  const writesBefore = github.writes();
  const awsBefore = await awsCalls();
  const start = performance.now();
  const outcome = await runPipeline(
    {
      octokit,
      // what Probot's context.config does, through the same GitHub
      loadConfig: async () => (await octokit.config.get({ owner: 'bench', repo: 'stack', path: '.github/realitycheck.yml' })).config,
      providers: { ...defaultProviders(), snapshot: () => { throw new Error('no snapshot in the benchmark'); } },
      log: { info() {}, warn() {}, error(o: object) { console.error(o); } },
      onPhase: (phase, ms) => (phases[phase] = (phases[phase] ?? 0) + ms),
    },
    pr,
    { signal: new AbortController().signal, reuseCheck },
  );
  const total = performance.now() - start;
  return {
    phases,
    total,
    scopeToReport: total - (phases.config ?? 0) - (phases.publish ?? 0),
    github: github.calls.length - callsBefore,
    githubWrites: github.writes() - writesBefore,
    aws: (await awsCalls()) - awsBefore,
    conclusion: outcome.conclusion ?? outcome.status,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** Starts bench/aws-server.ts in a child process; `calls()` asks it how many calls it answered. */
async function startAws(delayMs = 0): Promise<{ stop: () => void; calls: () => Promise<number>; url: string }> {
  const child = fork(new URL('./aws-server.ts', import.meta.url).pathname, [String(delayMs)], { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('error', reject);
  });
  const url = `http://127.0.0.1:${port}`;
  return { url, stop: () => child.kill(), calls: async () => Number(await (await fetch(`${url}/calls`)).text()) };
}

async function benchPipeline(): Promise<void> {
  const aws = await startAws();
  process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = aws.url;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);

  const github = new LocalGitHub(repository());
  const first = await runOnce(github, aws.calls);
  const pushes: RunFigures[] = [];
  for (let i = 1; i <= ITERATIONS; i++) {
    const sha = i.toString(16).padStart(40, 'a');
    github.repository.files[sha] = { 'infra/stack.yaml': head(i) };
    github.repository.pull = { ...github.repository.pull, headSha: sha, updatedAt: new Date(Date.parse('2026-11-27T12:00:00Z') + i * 1000).toISOString() };
    pushes.push(await runOnce(github, aws.calls));
  }
  // the same head again, as for a reopened pull request or a redelivered webhook
  const unchanged = await runOnce(github, aws.calls, true);
  clearInterval(sampler);
  aws.stop();
  delete process.env.AWS_ENDPOINT_URL_CLOUDFORMATION;

  const order: Phase[] = ['config', 'scope', 'declared', 'live', 'analyze', 'verdict', 'report', 'publish'];
  const cpuOnly: Phase[] = ['declared', 'analyze', 'verdict', 'report'];
  const sum = (r: RunFigures, phases: Phase[]) => phases.reduce((a, p) => a + (r.phases[p] ?? 0), 0);

  console.log(`Pipeline: a pull request touching 1 template of ${RESOURCES} resources (${Math.round(BASE.length / 1024)} KB YAML); a first run with nothing cached, then ${ITERATIONS} pushes (each a new head), then one unchanged re-run`);
  console.log(`  conclusion: ${first.conclusion}`);
  console.log('  phase       push median  push p95   first run');
  for (const phase of order) {
    const xs = pushes.map((r) => r.phases[phase] ?? 0);
    console.log(`  ${phase.padEnd(10)} ${ms(median(xs)).padStart(11)} ${ms(percentile(xs, 95)).padStart(9)} ${ms(first.phases[phase] ?? 0).padStart(11)}`);
  }
  const s2r = pushes.map((r) => r.scopeToReport);
  console.log(`  scope → report (wall): push median ${ms(median(s2r))}, p95 ${ms(percentile(s2r, 95))}; first run ${ms(first.scopeToReport)}; unchanged re-run ${ms(unchanged.scopeToReport)}`);
  console.log(`  CPU-only phases (declared + analyze + verdict + report): push median ${ms(median(pushes.map((r) => sum(r, cpuOnly))))}; first run ${ms(sum(first, cpuOnly))}`);
  console.log(`  GitHub calls per event (budget 5 + 2 × 1 template = 7): first run ${first.github} (${first.githubWrites} writes), push ${pushes[0]!.github} (${pushes[0]!.githubWrites} writes), unchanged re-run ${unchanged.github} (${unchanged.githubWrites} writes)`);
  console.log(`  AWS calls per event: ${first.aws} (DescribeStacks, GetTemplate, ListStackResources × ${RESOURCES / PAGE} pages, DescribeStackResourceDrifts × ${RESOURCES / PAGE} pages; recent drift detection reused)`);
  console.log(`  peak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MB (process.resourceUsage maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB)`);
}

// ---------------------------------------------------------------- 3. templates (bench/templates.ts)

async function benchTemplateSection(): Promise<void> {
  await benchTemplates();
  benchHostileText();
}

// ---------------------------------------------------------------- 2. the webhook endpoint

async function benchWebhook(): Promise<void> {
  const aws = await startAws(250); // slow AWS: runs pile up in the queue
  process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = aws.url;
  const github = new LocalGitHub(repository());
  const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const queue = new InProcessQueue(1, { info() {}, error() {} });
  const probot = new Probot({ appId: 1, privateKey, secret: 'bench-secret', logLevel: 'fatal', request: { fetch: github.fetch } });
  await probot.load(createApp({ queue }));
  const middleware = await probot.getNodeMiddleware();
  const server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;

  const times: number[] = [];
  let maxQueued = 0;
  for (let i = 0; i < WEBHOOKS; i++) {
    const payload = {
      action: 'synchronize',
      number: 1000 + i,
      pull_request: { number: 1000 + i, updated_at: '2026-11-27T12:00:00Z', head: { sha: HEAD_SHA, ref: 'x' }, base: { sha: BASE_SHA, ref: 'main' }, user: { login: 'octocat', type: 'User' }, labels: [], body: '' },
      repository: { name: 'stack', owner: { login: 'bench' }, default_branch: 'main' },
      installation: { id: 1 },
    };
    const body = JSON.stringify(payload);
    const start = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': `bench-${i}`,
        'x-hub-signature-256': `sha256=${createHmac('sha256', 'bench-secret').update(body).digest('hex')}`,
      },
      body,
    });
    await response.arrayBuffer();
    times.push(performance.now() - start);
    if (response.status >= 300) throw new Error(`webhook answered ${response.status}`);
    maxQueued = Math.max(maxQueued, i + 1 - finishedRuns(github));
  }
  console.log(`Webhook: ${WEBHOOKS} signed pull_request deliveries to /api/github/webhooks while runs wait on a slow AWS (250 ms a call, 1 run at a time)`);
  console.log(`  runs waiting at the last delivery: ${maxQueued}`);
  console.log(`  acknowledged in: median ${ms(median(times))}, p99 ${ms(percentile(times, 99))}, max ${ms(Math.max(...times))}`);
  server.close();
  aws.stop();
  process.exit(0); // queued runs are abandoned: the figures are taken
}

/** Runs that got as far as completing their check run. */
function finishedRuns(github: LocalGitHub): number {
  return github.checkRuns.filter((c) => c.status === 'completed').length;
}

// ---------------------------------------------------------------- AI-authorship detection

/**
 * detectAiAuthorship on what an attacker controls (description, branch, commit messages):
 * hostile text built to look like trailers and markers, and a pull request of 250 long
 * commits (GitHub lists at most 250). Pure CPU; the whole run's budget is about 1 s.
 */
function benchAuthorship(): void {
  const hostile = `${'Co-authored-by: ' + ' '.repeat(100_000)}\n\n${'a:'.repeat(200_000)}\n${'<'.repeat(100_000)}`;
  const inputs: Array<[string, AuthorshipInput]> = [
    [
      `hostile text (${Math.round((hostile.length * 2 + 100_000) / 1024)} KB in description, branch and one commit)`,
      { author: 'octocat', headRef: 'x'.repeat(100_000), labels: [], body: hostile, commits: [{ sha: 'a'.repeat(40), message: hostile }] },
    ],
    [
      '250 commits of 20 KB, each ending in trailers',
      {
        author: 'octocat',
        headRef: 'tune-timeouts',
        labels: [],
        body: '## Summary\nRaise the timeout.\n'.repeat(200),
        commits: Array.from({ length: 250 }, (_, i) => ({
          sha: i.toString(16).padStart(40, '0'),
          message: `Tune ${i}\n\n${'* a change line with words in it\n'.repeat(600)}\nSigned-off-by: Ana <ana@example.com>\nCo-authored-by: Bo <bo@example.com>`,
        })),
      },
    ],
  ];
  console.log('AI-authorship detection (detectAiAuthorship), 20 runs each after one warm-up');
  for (const [name, input] of inputs) {
    detectAiAuthorship(input);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const start = performance.now();
      detectAiAuthorship(input);
      times.push(performance.now() - start);
    }
    console.log(`  ${name}: median ${ms(median(times))}, max ${ms(Math.max(...times))}`);
  }
}

/** Redaction of free text (URLs and connection strings) on hostile 1 MB values: must stay linear. */
function benchRedaction(): void {
  const values: Array<[string, string]> = [
    ['quoted URLs with a user and no close', '"a://u:'.repeat(150_000)],
    ['URLs with a user and quotes, no whitespace, no @', 'a://u:"'.repeat(150_000)],
    ['quotes escaped by backslashes', '\\\\"a://u:\\"'.repeat(100_000)],
    ['schemes without hosts', 'a://'.repeat(250_000)],
    ['URLs with passwords', 'redis://:pw@cache:6379 '.repeat(40_000)],
    ['connection strings with passwords', 'Server=db;Password=Ab"c;'.repeat(40_000)],
    ['= without names', '=;'.repeat(500_000)],
  ];
  console.log('Redaction of free text (redactText), 1 MB values, 5 runs each after one warm-up');
  for (const [name, value] of values) {
    const line = (bytes: number) => {
      const text = value.slice(0, bytes);
      redactText(text);
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        redactText(text);
        times.push(performance.now() - start);
      }
      return median(times);
    };
    console.log(`  ${name}: 0.5 MB median ${ms(line(value.length / 2))}, 1 MB median ${ms(line(value.length))}`);
  }
}

// ---------------------------------------------------------------- 3. Terraform: HCL parse speed

/** A generated root of about `bytes` UTF-8 bytes in 50 KB files: queues, security groups, policy documents, as real roots write them. */
function generateTerraformRoot(bytes: number): Map<string, string> {
  const files = new Map<string, string>([['tf/big/variables.tf', 'variable "message_retention_seconds" {\n  type    = number\n  default = 345600\n}\n\nlocals {\n  name_prefix = "prod-app"\n}\n']]);
  let total = 0;
  let text = '';
  for (let i = 0; total + text.length < bytes; i++) {
    text += `# queue ${i} (owned by the jobs team)
resource "aws_sqs_queue" "jobs_${i}" {
  name                       = "\${local.name_prefix}-jobs-${i}"
  visibility_timeout_seconds = ${30 + (i % 7)}
  message_retention_seconds  = var.message_retention_seconds
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = 5
  })
  tags = {
    Team  = "platform"
    Index = "${i}"
  }
}

resource "aws_security_group" "workers_${i}" {
  name        = "workers-${i}"
  description = "Queue workers"
  vpc_id      = module.vpc.vpc_id

  ingress {
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }

  lifecycle {
    create_before_destroy = true
  }
}

data "aws_iam_policy_document" "consume_${i}" {
  statement {
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage"]
    resources = [aws_sqs_queue.jobs_${i}.arn]
  }
}

`;
    if (text.length > 50_000) {
      files.set(`tf/big/queues_${files.size}.tf`, text);
      total += text.length;
      text = '';
    }
  }
  if (text) files.set(`tf/big/queues_${files.size}.tf`, text);
  return files;
}

async function benchHclParse(): Promise<void> {
  const { loadHclGrammar, parseRoot } = await import('../src/iac/terraform/index.js');
  const { parseHclSyntax } = await import('../src/iac/terraform/load-hcl-grammar.js');
  const loadStart = performance.now();
  await loadHclGrammar();
  const loadMs = performance.now() - loadStart;
  const files = generateTerraformRoot(1024 * 1024);
  const mb = [...files.values()].reduce((sum, text) => sum + Buffer.byteLength(text), 0) / (1024 * 1024);
  const cpuMs = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  const RUNS = 9;
  const rows: Record<'syntax' | 'root' | 'push', { wall: number[]; cpu: number[] }> = { syntax: { wall: [], cpu: [] }, root: { wall: [], cpu: [] }, push: { wall: [], cpu: [] } };
  const time = (row: keyof typeof rows, work: () => void) => {
    const wall = performance.now();
    const cpu = cpuMs();
    work();
    rows[row].wall.push(performance.now() - wall);
    rows[row].cpu.push(cpuMs() - cpu);
  };
  let blocks = 0;
  let previous = files;
  for (let run = 0; run < RUNS; run++) {
    // a comment of its own in every file: no run finds another run's files in the parse cache
    const fresh = new Map([...files].map(([path, text]) => [path, `# run ${run}\n${text}`]));
    time('syntax', () => {
      for (const text of fresh.values()) parseHclSyntax(text).delete();
    });
    time('root', () => (blocks = parseRoot('tf/big', fresh).blocks.length));
    // the next push of a pull request: base as before, head with one file changed
    const [path, text] = [...previous][1]!;
    const head = new Map(previous).set(path, text.replace('visibility_timeout_seconds = 3', 'visibility_timeout_seconds = 9'));
    time('push', () => {
      parseRoot('tf/big', previous);
      parseRoot('tf/big', head);
    });
    previous = fresh;
  }
  const rate = (xs: number[]) => `${(mb / (median(xs) / 1000)).toFixed(2)} MB/s`;
  const line = (row: keyof typeof rows) => `${ms(median(rows[row].wall))} wall = ${rate(rows[row].wall)}; ${ms(median(rows[row].cpu))} CPU = ${rate(rows[row].cpu)}`;
  console.log(`Terraform HCL parse: a generated root of ${mb.toFixed(2)} MB in ${files.size} files, ${blocks} blocks; median of ${RUNS} runs (target ≥ 3 MB/s for parseRoot)`);
  console.log(`  grammar load (once per process): ${ms(loadMs)}`);
  console.log(`  tree-sitter parse only: ${line('syntax')}`);
  console.log(`  parseRoot, nothing cached (parse + addresses, spans, values, references): ${line('root')}`);
  console.log(`  a push: parseRoot of base and of head, 1 of ${files.size} files changed, the rest in the parse cache: ${ms(median(rows.push.wall))} wall, ${ms(median(rows.push.cpu))} CPU`);
}

/** Rendering and redaction of hostile text, outside template parsing. */
function benchHostileText(): void {
  const cpu = (run: () => unknown): string => {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    return ms((used.user + used.system) / 1000);
  };
  const slashes = '\\'.repeat(1_000_000);
  console.log(`  codeSpan of 1,000,000 backslashes and a pipe, in a table cell: CPU ${cpu(() => codeSpan(`${slashes}|`, true))}`);
  const sub = { 'Fn::Sub': '${'.repeat(500_000) };
  console.log(`  redaction of a 1 MB unclosed Fn::Sub '\${\${\${…': CPU ${cpu(() => redactEvidence({ path: 'V', base: sub, head: sub, expected: 'a', live: 'b' }, new Set(['P'])))}`);
}

if (process.argv.includes('--templates-only')) {
  await benchTemplateSection();
  process.exit(0);
}
if (process.argv.includes('--targeted-only')) {
  await benchTargetedDetection();
  process.exit(0);
}
await benchPipeline();
console.log('');
await benchTemplateSection();
console.log('');
benchAuthorship();
console.log('');
benchRedaction();
console.log('');
benchTerraformPlan();
benchReferences();
console.log('');
await benchHclParse();
console.log('');
await benchTerraformPipeline();
console.log('');
await benchTargetedDetection();
console.log('');
await benchReconcileEdits();
benchReconcilePlan();
console.log('');
await benchWebhook();
