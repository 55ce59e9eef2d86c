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
import { computeChanges } from '../src/iac/cloudformation/compute-changes.js';
import { parseTemplateCached } from '../src/iac/cloudformation/parse-cache.js';
import { MAX_TEMPLATE_BYTES, parseTemplate } from '../src/iac/cloudformation/parse-template.js';
import { runPipeline } from '../src/pipeline.js';
import type { Phase } from '../src/phase-timer.js';
import { InProcessQueue } from '../src/queue/queue.js';
import { codeSpan } from '../src/report/escape-markdown.js';
import { readPullRequest } from '../src/github/read-pull-request.js';
import { LocalGitHub, type LocalRepository } from '../src/demo/local-github.js';
import { BASE, head, HEAD, PAGE, RESOURCES } from './stack.js';
import { benchTerraformPipeline } from './terraform-pipeline.js';
import { benchTerraformPlan } from './terraform-plan.js';
import { benchReconcileEdits } from './reconcile-edits.js';
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

// ---------------------------------------------------------------- 3. hostile templates
// What one template costs to read and compare (parse base and head, computeChanges), in a
// child process per template so that CPU time and peak RSS are its own. The limit to hold:
// about 1 s of CPU and 300 MB for any template under the 1 MB cap, and an `unparseable`
// with its line, never a crash, for one that cannot be read fully.

const yamlQueue = (properties: string) => `Resources:\n  Q:\n    Type: Custom::Thing\n    Properties:\n${properties}`;

const TEMPLATE_CASES: Record<string, { file: string; text: () => string }> = {
  '8,000 aliases of one anchor': { file: 't.yaml', text: () => yamlQueue(`      Tags: &t [a]\n      X: [${Array(8_000).fill('*t').join(', ')}]\n`) },
  '16,000 aliases of one anchor': { file: 't.yaml', text: () => yamlQueue(`      Tags: &t [a]\n      X: [${Array(16_000).fill('*t').join(', ')}]\n`) },
  'alias string bomb (100 KB file, 1 GB of text)': {
    file: 't.yaml',
    text: () =>
      yamlQueue(
        [
          `      S: &s "${'x'.repeat(100_000)}"`,
          `      L1: &l1 [${Array(100).fill('*s').join(', ')}]`,
          `      L2: &l2 [${Array(100).fill('*l1').join(', ')}]`,
          '      L3: [*l2]',
        ].join('\n') + '\n',
      ),
  },
  'JSON nested 2,000 deep': { file: 't.json', text: () => `{"Resources":{"Q":{"Type":"Custom::Thing","Properties":{"V":${'['.repeat(2_000)}1${']'.repeat(2_000)}}}}}` },
  'YAML nested 2,000 deep (- - - ...)': { file: 't.yaml', text: () => yamlQueue(`      V:\n        ${'- '.repeat(2_000)}1\n`) },
  'YAML nested 2,000 deep ([[[ ...)': { file: 't.yaml', text: () => yamlQueue(`      V: ${'['.repeat(2_000)}1${']'.repeat(2_000)}\n`) },
  'plain YAML template of 1 MB (4,000 queues)': { file: 't.yaml', text: () => plainTemplate(MAX_TEMPLATE_BYTES - 1024) },
  "!Sub '${${${…' (878 KB, unclosed)": { file: 't.yaml', text: () => yamlQueue(`      V: !Sub '${'${'.repeat(450_000)}'\n`) },
  "!Sub '${!${!…' (976 KB, unclosed)": { file: 't.yaml', text: () => yamlQueue(`      V: !Sub '${'${!'.repeat(333_000)}'\n`) },
  "!Sub '}}}…' (1 MB)": { file: 't.yaml', text: () => yamlQueue(`      V: !Sub '${'}'.repeat(1_000_000)}'\n`) },
  'unquoted base-60 integer 1:00:00:… (966 KB)': { file: 't.yaml', text: () => yamlQueue(`      V: 1${':00'.repeat(322_000)}\n`) },
  'unquoted decimal of 1 MB': { file: 't.yaml', text: () => yamlQueue(`      V: ${'9'.repeat(1_000_000)}\n`) },
  'one flow map of 70,000 keys': { file: 't.yaml', text: () => yamlQueue(`      V: {${Array.from({ length: 70_000 }, (_, i) => `k${i}: ${i}`).join(', ')}}\n`) },
  '70,000 anchors': { file: 't.yaml', text: () => yamlQueue(`      V: [${Array.from({ length: 70_000 }, (_, i) => `&a${i} x`).join(', ')}]\n`) },
  '500,000 comment lines': { file: 't.yaml', text: () => yamlQueue(`${'#\n'.repeat(500_000)}      V: 1\n`) },
  '20,000 resources in 536 KB': {
    file: 't.yaml',
    text: () => `Resources:\n  Q:\n    Type: Custom::Thing\n${Array.from({ length: 20_000 }, (_, i) => `  R${i}:\n    Type: AWS::SQS::Queue`).join('\n')}\n`,
  },
};

function plainTemplate(bytes: number): string {
  const out = ['Resources:'];
  for (let i = 0, size = 11; size < bytes - 300; i++) {
    const entry = `  Queue${i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub '\${AWS::StackName}-q${i}'\n      VisibilityTimeout: ${30 + (i % 300)}\n      Tags:\n        - Key: team\n          Value: !Ref Team`;
    out.push(entry);
    size += entry.length + 1;
  }
  return `${out.join('\n')}\n`;
}

interface TemplateFigures {
  kb: number;
  cpuMs: number;
  /** The head parse and the comparison alone. */
  headCpuMs: number;
  peakRssMb: number;
  outcome: string;
}

/** In the child: read one case as base and head (one character apart), compare them, report. */
function measureTemplateCase(name: string): TemplateFigures {
  const { file, text } = TEMPLATE_CASES[name]!;
  // warm up first: a stack overflow that a cold process survives can hit a warm one
  for (let i = 0; i < 5; i++) parseTemplate('warm.yaml', plainTemplate(50_000));
  const head = text();
  const base = head.replace('Custom::Thing', 'Custom::Thinx').replace('AWS::SQS::Queue', 'AWS::SQS::Queux');
  const start = process.cpuUsage();
  let outcome: string;
  let headCpuMs = 0;
  try {
    const b = parseTemplateCached(file, base);
    // A push: the base (the default branch's text) is usually parsed and cached already; the
    // pull request controls only the head.
    const headStart = process.cpuUsage();
    const h = parseTemplateCached(file, head);
    const changes = b.ok && h.ok ? computeChanges(b.template, h.template).length : 0;
    const headCpu = process.cpuUsage(headStart);
    headCpuMs = (headCpu.user + headCpu.system) / 1000;
    if (b.ok && h.ok) outcome = `read; ${changes} change(s)`;
    else {
      const error = (h.ok ? b : h) as Extract<typeof h, { ok: false }>;
      outcome = `unparseable, line ${error.error.line}: ${error.error.message.slice(0, 70)}`;
    }
  } catch (error) {
    outcome = `THREW ${String(error).slice(0, 80)}`;
  }
  const cpu = process.cpuUsage(start);
  return { kb: Buffer.byteLength(head) / 1024, cpuMs: (cpu.user + cpu.system) / 1000, headCpuMs, peakRssMb: process.resourceUsage().maxRSS / 1024, outcome };
}

async function runTemplateCase(name: string): Promise<TemplateFigures> {
  const child = fork(new URL(import.meta.url).pathname, ['--template-case', name], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const timer = setTimeout(() => child.kill(), 180_000);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as TemplateFigures));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const last = stderr.trim().split('\n').find((line) => /error|overflow|memory/i.test(line)) ?? '';
      resolve({ kb: 0, cpuMs: NaN, headCpuMs: NaN, peakRssMb: NaN, outcome: `process died (${signal ?? `exit ${code}`}) ${last.slice(0, 80)}` });
    });
  });
}

/** Best of five, after a warm-up, in milliseconds (what test/iac used to assert). */
function fastestParse(file: string, content: string): number {
  parseTemplate(file, content);
  return Math.min(
    ...Array.from({ length: 5 }, () => {
      const start = performance.now();
      parseTemplate(file, content);
      return performance.now() - start;
    }),
  );
}

async function benchTemplates(): Promise<void> {
  console.log('Templates: CPU and peak RSS of reading one template as base and head and comparing them, and CPU of the head and the comparison alone (a push: base cached); one child process each; RSS includes ~90 MB of Node and tsx');
  for (const name of Object.keys(TEMPLATE_CASES)) {
    const f = await runTemplateCase(name);
    console.log(`  ${name.padEnd(48)} ${f.kb.toFixed(0).padStart(5)} KB  CPU ${ms(f.cpuMs).padStart(10)} (head ${ms(f.headCpuMs).padStart(10)})  peak RSS ${f.peakRssMb.toFixed(0).padStart(5)} MB  ${f.outcome}`);
  }
  const parsed = parseTemplate('infra/stack.yaml', BASE);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const json = JSON.stringify({ Resources: Object.fromEntries(parsed.template.resources.map((r) => [r.logicalId, { Type: r.type, Properties: r.properties }])) }, null, 2);
  benchHostileText();
  console.log(`  parse ${RESOURCES} resources, best of 5: YAML ${Math.round(BASE.length / 1024)} KB ${ms(fastestParse('stack.yaml', BASE))}; pretty-printed JSON ${Math.round(json.length / 1024)} KB ${ms(fastestParse('stack.json', json))}`);
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

const templateCase = process.argv.indexOf('--template-case');
if (templateCase !== -1) {
  process.send!(measureTemplateCase(process.argv[templateCase + 1]!), () => process.exit(0));
  await new Promise(() => {}); // until the figures are sent
}
if (process.argv.includes('--templates-only')) {
  await benchTemplates();
  process.exit(0);
}
await benchPipeline();
console.log('');
await benchTemplates();
console.log('');
benchAuthorship();
console.log('');
benchRedaction();
console.log('');
benchTerraformPlan();
console.log('');
await benchHclParse();
console.log('');
await benchTerraformPipeline();
console.log('');
await benchReconcileEdits();
benchReconcilePlan();
console.log('');
await benchWebhook();
