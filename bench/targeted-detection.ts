// Targeted detection, timed: the 500-resource stack of bench/stack.ts whose last drift
// detection is a day old, so a new one must run, and a stack-wide detection that takes
// 60 s on the loopback CloudFormation (bench/aws-server.ts, Query/XML wire format). The pull
// request edits 10 queues, two of them hotfixed live (R0, R25): deploying reverts those
// hotfixes. Measured from the run's start: when the check run concludes `failure`, and when
// the same check run and comment gain drift elsewhere. The real pipeline, GitHub answered
// in-process (LocalGitHub). Prints figures, asserts nothing.
import { fork } from 'node:child_process';
import { defaultProviders } from '../src/app.js';
import { LocalGitHub, type LocalRepository } from '../src/demo/local-github.js';
import { readPullRequest } from '../src/github/read-pull-request.js';
import { runPipeline } from '../src/pipeline.js';
import { BASE } from './stack.js';

/** How long the stack-wide detection takes (`BENCH_DETECTION_MS` shortens it to look at the output). */
const DETECTION_MS = Number(process.env.BENCH_DETECTION_MS ?? 60_000);
/** How long one DetectStackResourceDrift takes here: an assumption (AWS reads the one resource through its service's API). */
const RESOURCE_DRIFT_MS = 1_000;
const EDITED = Array.from({ length: 10 }, (_, i) => i * 5); // queues R0, R5, ..., R45
const CONFIG = 'targets:\n  - name: stack\n    cloudformation: { stack: orders-prod, template: infra/stack.yaml, region: us-east-1 }\n';
const BASE_SHA = 'b'.repeat(40);

/** The base template with a new MessageRetentionPeriod on each edited queue. */
function headTemplate(): string {
  const lines = BASE.split('\n');
  let current = -1;
  return lines
    .map((line) => {
      const id = /^ {2}R(\d+):$/.exec(line);
      if (id) current = Number(id[1]);
      return EDITED.includes(current) && line.trim() === 'MessageRetentionPeriod: 345600' ? line.replace('345600', '1209600') : line;
    })
    .join('\n');
}

function repository(headSha: string): LocalRepository {
  return {
    owner: 'bench',
    repo: 'stack',
    defaultBranch: 'main',
    files: { main: { '.github/realitycheck.yml': CONFIG }, [BASE_SHA]: { 'infra/stack.yaml': BASE }, [headSha]: { 'infra/stack.yaml': headTemplate() } },
    pull: { number: 7, author: 'octocat', headRef: 'retention', headSha, baseSha: BASE_SHA, labels: [], body: '', updatedAt: '2026-11-27T12:00:00Z', commits: [{ sha: headSha, message: 'Keep messages 14 days' }] },
  };
}

async function startAws(args: string[]): Promise<{ url: string; get: (path: string) => Promise<number>; stop: () => void }> {
  const child = fork(new URL('./aws-server.ts', import.meta.url).pathname, args, { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('error', reject);
  });
  const url = `http://127.0.0.1:${port}`;
  return { url, get: async (path) => Number(await (await fetch(`${url}${path}`)).text()), stop: () => child.kill() };
}

interface Timeline {
  failureAt?: number;
  /** The same check run updated again, with drift elsewhere in its output. */
  elsewhereAt?: number;
  doneAt: number;
  conclusion: string;
  checkRuns: number;
  comments: number;
  earlyComment?: string;
}

async function runOnce(github: LocalGitHub): Promise<Timeline> {
  const octokit = github.octokit();
  const pr = await readPullRequest(octokit, { owner: 'bench', repo: 'stack' }, 7);
  const start = performance.now();
  const timeline: Partial<Timeline> = {};
  const watch = setInterval(() => {
    const check = github.checkRuns.find((c) => c.head_sha === pr.headSha);
    if (check?.conclusion === 'failure' && timeline.failureAt === undefined) {
      timeline.failureAt = performance.now() - start;
      timeline.earlyComment = github.comments[0]?.body;
    }
    if (timeline.elsewhereAt === undefined && check?.output?.summary.includes('drift-elsewhere')) timeline.elsewhereAt = performance.now() - start;
  }, 2);
  const outcome = await runPipeline(
    {
      octokit,
      loadConfig: async () => (await octokit.config.get({ owner: 'bench', repo: 'stack', path: '.github/realitycheck.yml' })).config,
      providers: { ...defaultProviders(), snapshot: () => { throw new Error('no snapshot in the benchmark'); } },
      log: { info() {}, warn() {}, error(o: object) { console.error(o); } },
    },
    pr,
    { signal: new AbortController().signal },
  );
  clearInterval(watch);
  const check = github.checkRuns.find((c) => c.head_sha === pr.headSha);
  if (timeline.elsewhereAt === undefined && check?.output?.summary.includes('drift-elsewhere')) timeline.elsewhereAt = performance.now() - start;
  return {
    ...timeline,
    doneAt: performance.now() - start,
    conclusion: outcome.conclusion ?? outcome.status,
    checkRuns: github.checkRuns.filter((c) => c.head_sha === pr.headSha).length,
    comments: github.comments.length,
  };
}

export async function benchTargetedDetection(): Promise<void> {
  // warm-up: the same pipeline on the same stack with a recent detection to reuse, so the
  // measured run is a warm process as a running app is (the cold figure is printed too)
  const recent = await startAws(['0']);
  process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = recent.url;
  const warm = await runOnce(new LocalGitHub(repository('a'.repeat(40))));
  recent.stop();

  const aws = await startAws(['0', String(DETECTION_MS), String(RESOURCE_DRIFT_MS)]);
  process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = aws.url;
  const github = new LocalGitHub(repository('c'.repeat(40)));
  const t = await runOnce(github);
  const calls = await aws.get('/calls');
  const inFlight = await aws.get('/in-flight');
  aws.stop();
  delete process.env.AWS_ENDPOINT_URL_CLOUDFORMATION;

  const s = (x: number | undefined) => (x === undefined ? 'never' : `${(x / 1000).toFixed(2)} s`);
  console.log(
    `Targeted detection: a pull request editing ${EDITED.length} queues (2 hotfixed live) of the 500-resource stack, whose drift must be detected anew; the stack-wide detection takes ${DETECTION_MS / 1000} s, each DetectStackResourceDrift ${RESOURCE_DRIFT_MS / 1000} s (5 at once)`,
  );
  console.log(`  check run concluded failure (revert) after ${s(t.failureAt)} (target ≤ 3 s); the comment then: ${t.earlyComment?.includes('still running') ? 'written, saying drift elsewhere is still to come' : 'not written yet'}`);
  console.log(`  drift elsewhere on the same check run after ${s(t.elsewhereAt)}; run done after ${s(t.doneAt)} (the detection ends at ${DETECTION_MS / 1000} s; polling backs off to 10 s between looks)`);
  console.log(`  final conclusion ${t.conclusion}; check runs on the head ${t.checkRuns}, comments ${t.comments}; AWS calls ${calls} (DetectStackResourceDrift at most ${inFlight} at once)`);
  console.log(`  (measured in a warm process, as a running app is: the first run in this process, a recent detection reused, took ${s(warm.doneAt)})`);
}
