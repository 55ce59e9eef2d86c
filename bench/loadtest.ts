// `npm run loadtest`: the distributed engine under load, on loopback only. Starts its own
// redis-server, a GitHub (LocalGitHub behind HTTP, as a GitHub Enterprise host, 20 ms a
// call) and CloudFormation (bench/aws-server.ts, 30 ms a call), one web process
// (`probot run dist/index.js`, REALITYCHECK_WORKER=off) and two workers (`dist/worker.js`).
// Sends 50 signed `pull_request` deliveries a second for 60 s over 20 pull requests in 20
// repositories (each its own installation), then waits (at most 3 min) for the queue to
// drain. Prints: webhook answer times (p50/p99), final check runs and comments per pull
// request, jobs by outcome, and each process's peak RSS (VmHWM). Stops everything it
// started, also on failure. Asserts nothing; the figures are for the notes.
//   LOADTEST_RATE=50 LOADTEST_SECONDS=60 npm run loadtest
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { LocalGitHub, type LocalRepository } from '../src/demo/local-github.js';
import { BASE, HEAD } from './stack.js';

const RATE = Number(process.env.LOADTEST_RATE ?? 50);
const SECONDS = Number(process.env.LOADTEST_SECONDS ?? 60);
const PULLS = 20;
const GITHUB_LATENCY_MS = 20;
const AWS_LATENCY_MS = 30;
const SECRET = 'loadtest-secret';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BASE_SHA = 'b'.repeat(40);
const HEAD_SHA = 'c'.repeat(40);
const CONFIG = 'targets:\n  - name: stack\n    cloudformation: { stack: orders-prod, template: infra/stack.yaml, region: us-east-1 }\n';

const children: ChildProcess[] = [];
const stopAll = () => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL'));
process.on('exit', stopAll);
const overall = setTimeout(() => {
  console.error('loadtest: stopped after its 8-minute bound');
  process.exit(2);
}, 8 * 60_000);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function repository(i: number): LocalRepository {
  return {
    owner: 'load',
    repo: `repo-${i}`,
    defaultBranch: 'main',
    files: { main: { '.github/realitycheck.yml': CONFIG }, [BASE_SHA]: { 'infra/stack.yaml': BASE }, [HEAD_SHA]: { 'infra/stack.yaml': HEAD } },
    pull: { number: 1, author: 'octocat', headRef: 'tune', headSha: HEAD_SHA, baseSha: BASE_SHA, labels: [], body: '', updatedAt: '2026-12-01T12:00:00Z', commits: [{ sha: HEAD_SHA, message: 'Tune timeouts' }] },
  };
}

/** LocalGitHub for each repository, behind HTTP at /api/v3 (how Probot reaches a GHE_HOST). */
async function startGitHub(repos: LocalGitHub[]): Promise<number> {
  const byRepo = new Map(repos.map((g) => [`/repos/${g.repository.owner}/${g.repository.repo}`, g]));
  const body = (req: IncomingMessage) => new Promise<string>((resolve) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => resolve(raw));
  });
  const server = createServer((req, res) => {
    void (async () => {
      const raw = await body(req);
      await new Promise((r) => setTimeout(r, GITHUB_LATENCY_MS));
      const path = (req.url ?? '/').replace(/^\/api\/v3/, '');
      if (req.method === 'GET' && path === '/app') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 1, slug: 'realitycheck', name: 'realitycheck' }));
        return;
      }
      const repo = byRepo.get(/^\/repos\/[^/]+\/[^/]+/.exec(path)?.[0] ?? '') ?? repos[0]!;
      const answer = await repo.fetch(`https://api.github.com${path}`, { method: req.method ?? 'GET', ...(raw ? { body: raw } : {}) });
      const headers: Record<string, string> = { 'x-ratelimit-remaining': '4999' };
      answer.headers.forEach((v, k) => (headers[k] = v));
      res.writeHead(answer.status, headers).end(Buffer.from(await answer.arrayBuffer()));
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

function startAws(): Promise<number> {
  // Detection mode: the stack's last check is a day old, so the first runs need a new
  // detection (5 s; DetectStackResourceDrift 300 ms); once it ran, its records are fresh.
  const child = fork(fileURLToPath(new URL('./aws-server.ts', import.meta.url)), [String(AWS_LATENCY_MS), '5000', '300'], { execArgv: ['--import', 'tsx'], stdio: 'ignore' });
  children.push(child);
  return new Promise((resolve) => child.on('message', (m) => resolve((m as { port: number }).port)));
}

async function waitFor(url: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function peakRssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

function payload(i: number, push: number) {
  return {
    action: 'synchronize',
    number: 1,
    pull_request: {
      number: 1,
      state: 'open',
      updated_at: new Date(Date.UTC(2026, 11, 1, 12, 0, 0) + push * 1000).toISOString(),
      head: { sha: HEAD_SHA, ref: 'tune' },
      base: { sha: BASE_SHA, ref: 'main' },
      user: { login: 'octocat', type: 'User' },
      body: '',
      labels: [],
      changed_files: 1,
    },
    repository: { id: 1000 + i, name: `repo-${i}`, full_name: `load/repo-${i}`, default_branch: 'main', owner: { login: 'load' } },
    installation: { id: 5000 + i },
    sender: { login: 'octocat', type: 'User' },
  };
}

async function main(): Promise<void> {
  const redisPort = await freePort();
  const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  children.push(redis);
  const repos = Array.from({ length: PULLS }, (_, i) => new LocalGitHub(repository(i)));
  const [githubPort, awsPort, webPort, m1, m2] = await Promise.all([startGitHub(repos), startAws(), freePort(), freePort(), freePort()]);
  const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const env = {
    ...process.env,
    APP_ID: '1',
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: SECRET,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    GHE_HOST: `127.0.0.1:${githubPort}`,
    GHE_PROTOCOL: 'http',
    LOG_LEVEL: 'warn' as const,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_CLOUDFORMATION: `http://127.0.0.1:${awsPort}`,
    NODE_ENV: 'production',
  };
  const probotBin = fileURLToPath(new URL('../node_modules/probot/lib/bin/probot.js', import.meta.url));
  const web = spawn(process.execPath, [probotBin, 'run', './dist/index.js'], { cwd: ROOT, env: { ...env, PORT: String(webPort), REALITYCHECK_WORKER: 'off' }, stdio: ['ignore', 'ignore', 'inherit'] });
  const workers = [m1, m2].map((port) => spawn(process.execPath, ['dist/worker.js'], { cwd: ROOT, env: { ...env, METRICS_PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] }));
  children.push(web, ...workers);
  await Promise.all([waitFor(`http://127.0.0.1:${webPort}/readyz`), waitFor(`http://127.0.0.1:${m1}/readyz`), waitFor(`http://127.0.0.1:${m2}/readyz`)]);
  console.log(`loadtest: ${RATE} deliveries/s for ${SECONDS} s over ${PULLS} pull requests; one web process, two workers, Redis on :${redisPort}`);

  const acks: number[] = [];
  const statuses = new Map<number, number>();
  const sends: Promise<void>[] = [];
  const total = RATE * SECONDS;
  const start = Date.now();
  // Half-way through, worker 2 is killed (SIGKILL, as an OOM kill would): its runs must
  // complete on worker 1, with no check run left in progress and no comment twice.
  const kill = setTimeout(() => workers[1]!.kill('SIGKILL'), (SECONDS * 1000) / 2);
  let killedPeakMb = NaN;
  const watchPeak = setInterval(() => {
    try {
      const peak = peakRssMb(workers[1]!.pid);
      if (Number.isFinite(peak)) killedPeakMb = peak; // a killed process not yet reaped has no VmHWM
    } catch {
      clearInterval(watchPeak);
    }
  }, 500);
  for (let n = 0; n < total; n++) {
    const due = start + (n * 1000) / RATE;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const i = n % PULLS;
    const body = JSON.stringify(payload(i, Math.floor(n / PULLS)));
    const t0 = performance.now();
    sends.push(
      fetch(`http://127.0.0.1:${webPort}/api/github/webhooks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'pull_request',
          'x-github-delivery': `load-${n}`,
          'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
        },
        body,
      }).then(
        async (r) => {
          await r.arrayBuffer();
          acks.push(performance.now() - t0);
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        },
        () => void statuses.set(0, (statuses.get(0) ?? 0) + 1),
      ),
    );
  }
  await Promise.all(sends);
  clearTimeout(kill);
  clearInterval(watchPeak);
  const sentIn = (Date.now() - start) / 1000;

  // Drain: every pull request's newest run has published.
  const drainStart = Date.now();
  const settled = () => repos.every((g) => g.checkRuns.some((c) => c.status === 'completed' && c.conclusion !== 'cancelled') && g.checkRuns.every((c) => c.status === 'completed'));
  const queued = async () => {
    const text = await fetch(`http://127.0.0.1:${m1}/metrics`).then((r) => r.text());
    return ['waiting', 'active', 'delayed'].reduce((n, state) => n + Number(new RegExp(`realitycheck_jobs\\{state="${state}"\\} (\\d+)`).exec(text)?.[1] ?? 0), 0);
  };
  while (!(settled() && (await queued()) === 0) && Date.now() - drainStart < 180_000) await new Promise((r) => setTimeout(r, 250));
  const drainS = (Date.now() - drainStart) / 1000;

  acks.sort((a, b) => a - b);
  const q = (p: number) => acks[Math.min(acks.length - 1, Math.floor(p * acks.length))]!.toFixed(1);
  const finals = repos.map((g) => g.checkRuns.filter((c) => c.status === 'completed' && c.conclusion !== 'cancelled').length);
  const comments = repos.map((g) => g.comments.length);
  const inProgress = repos.reduce((n, g) => n + g.checkRuns.filter((c) => c.status !== 'completed').length, 0);
  const metrics = await Promise.all([m1].map((p) => fetch(`http://127.0.0.1:${p}/metrics`).then((r) => r.text())));
  const detections = await fetch(`http://127.0.0.1:${awsPort}/detections`).then((r) => r.text());
  const jobs = (outcome: string) => metrics.reduce((n, text) => n + Number(new RegExp(`realitycheck_jobs_total\\{outcome="${outcome}"\\} (\\d+)`).exec(text)?.[1] ?? 0), 0);

  console.log(`sent ${total} deliveries in ${sentIn.toFixed(1)} s; answers: ${[...statuses].map(([s, n]) => `${s || 'error'}×${n}`).join(', ')}`);
  console.log(`webhook answered: p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${acks.at(-1)!.toFixed(1)} ms`);
  console.log(`drained ${drainS.toFixed(1)} s after the last delivery; jobs on the surviving worker: ${jobs('completed')} completed, ${jobs('superseded')} superseded, ${jobs('failed')} failed; worker 2 killed at ${SECONDS / 2} s`);
  console.log(`DetectStackDrift calls for the one stack all 20 repositories deploy to: ${detections} (want 1)`);
  console.log(`final check runs per pull request: ${[...new Set(finals)].join('/')} (want 1); comments per pull request: ${[...new Set(comments)].join('/')} (want 1); check runs left in progress: ${inProgress}`);
  repos.forEach((g, i) => {
    if (finals[i] === 1 && comments[i] === 1) return;
    const runs = g.checkRuns.map((c) => `${c.status}/${c.conclusion ?? '-'}/${c.output?.title ?? ''}`).join('; ');
    const writes = g.calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path.replace(/^\/repos\/[^/]+\/[^/]+/, '')}`).join(', ');
    console.log(`  ${g.repository.repo}: check runs [${runs}]; ${comments[i]} comments; writes: ${writes}`);
  });
  console.log(`peak RSS: web ${peakRssMb(web.pid).toFixed(0)} MB, worker 1 ${peakRssMb(workers[0]!.pid).toFixed(0)} MB, worker 2 ${killedPeakMb.toFixed(0)} MB (until killed)`);
}

main()
  .catch((error: unknown) => {
    console.error(`loadtest failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => {
    clearTimeout(overall);
    stopAll();
    process.exit();
  });
