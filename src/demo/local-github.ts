// A GitHub REST API answered in-process, for the offline demo and the benchmark: a real
// Octokit whose `fetch` is this function, so the pipeline runs exactly as in the app
// (same calls, same pagination, same payloads) with no network at all.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { strToU8, zipSync } from 'fflate';
import { ProbotOctokit } from 'probot';
import { gitBlobSha } from '../github/read-files.js';
import type { Octokit } from '../github/octokit.js';

export interface LocalPullRequest {
  number: number;
  author: string;
  headRef: string;
  headSha: string;
  baseSha: string;
  labels: string[];
  body: string;
  updatedAt: string;
  commits: Array<{ sha: string; message: string; login?: string; email?: string }>;
}

export interface LocalRepository {
  owner: string;
  repo: string;
  defaultBranch: string;
  /** File contents by ref (commit SHA or branch name), then path. */
  files: Record<string, Record<string, string>>;
  pull: LocalPullRequest;
  /** GitHub Actions runs (a Terraform plan workflow), each with its artifacts' files. */
  runs?: LocalWorkflowRun[];
  /** The app that writes here (its comments carry this id, as GitHub's do); default 1. */
  appId?: number;
}

export interface LocalWorkflowRun {
  id: number;
  name: string;
  /** The workflow file: `.github/workflows/terraform-plan.yml`. */
  path: string;
  headSha: string;
  conclusion: 'success' | 'failure' | 'cancelled';
  createdAt: string;
  /** Each artifact's files, zipped on download as upload-artifact stores them. */
  artifacts: Array<{ id: number; name: string; files: Record<string, string> }>;
}

export interface RecordedCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion?: string;
  output?: { title: string; summary: string; text?: string; annotations?: unknown[] };
  annotations: unknown[];
}

type Answer = { status: number; body: unknown; contentType?: string };
type Route = [method: string, pattern: RegExp, handle: (match: RegExpExecArray, url: URL, body: any) => Answer];

export class LocalGitHub {
  readonly calls: Array<{ method: string; path: string }> = [];
  readonly comments: Array<{ id: number; body: string; user: { login: string; type: string }; performed_via_github_app: { id: number; slug: string } }> = [];
  readonly checkRuns: RecordedCheckRun[] = [];
  private nextId = 1;
  private readonly routes: Route[];
  private readonly apiBase: string;

  constructor(readonly repository: LocalRepository) {
    const base = `/repos/${repository.owner}/${repository.repo}`;
    this.apiBase = `https://api.github.com${base}`;
    const pr = repository.pull;
    const ok = (body: unknown, status = 200): Answer => ({ status, body });
    const notFound = (): Answer => ({ status: 404, body: { message: 'Not Found' } });
    const table: Route[] = [
      ['GET', /\/pulls\/(\d+)\/files$/, () => ok(changedFiles(repository))],
      ['GET', /\/pulls\/(\d+)\/commits$/, () => ok(pr.commits.map((c) => commitJson(c)))],
      ['GET', /\/pulls\/(\d+)$/, () => ok(pullJson(repository))],
      [
        'GET',
        /\/contents\/(.+)$/,
        (m, url) => {
          const text = repository.files[url.searchParams.get('ref') ?? repository.defaultBranch]?.[decodeURIComponent(m[1]!)];
          return text === undefined ? notFound() : ok(text);
        },
      ],
      ['GET', /\/issues\/(\d+)\/comments$/, () => ok(this.comments)],
      // Git database: a commit's tree (recursive: every path below it), and blobs by id.
      [
        'GET',
        /\/git\/trees\/([0-9a-zA-Z_.-]+)$/,
        (m, url) => {
          const files = repository.files[m[1]!];
          if (!files) return notFound();
          if (url.searchParams.get('recursive') === null) return { status: 501, body: { message: 'the local GitHub lists trees recursively only' } };
          return ok(treeJson(this.apiBase, files));
        },
      ],
      [
        'GET',
        /\/git\/blobs\/([0-9a-f]{40})$/,
        (m) => {
          const text = this.blobs().get(m[1]!);
          if (text === undefined) return notFound();
          const bytes = Buffer.from(text, 'utf8');
          // GitHub wraps the base64 content at 60 characters, with a final newline.
          const content = `${(bytes.toString('base64').match(/.{1,60}/g) ?? []).join('\n')}\n`;
          return ok({ sha: m[1], node_id: Buffer.from(`04:Blob1:${m[1]}`).toString('base64'), size: bytes.length, url: `${this.apiBase}/git/blobs/${m[1]}`, content, encoding: 'base64' });
        },
      ],
      // GitHub Actions: runs for a head SHA (of one workflow file, or any), a run, its artifacts, an artifact's zip.
      ['GET', /\/actions\/workflows\/([^/]+)\/runs$/, (m, url) => ok(runsJson(this.apiBase, repository, url, decodeURIComponent(m[1]!)))],
      ['GET', /\/actions\/runs$/, (_m, url) => ok(runsJson(this.apiBase, repository, url))],
      [
        'GET',
        /\/actions\/runs\/(\d+)$/,
        (m) => {
          const run = repository.runs?.find((r) => r.id === Number(m[1]));
          return run ? ok(runJson(this.apiBase, repository, run)) : notFound();
        },
      ],
      [
        'GET',
        /\/actions\/runs\/(\d+)\/artifacts$/,
        (m) => {
          const run = repository.runs?.find((r) => r.id === Number(m[1]));
          if (!run) return notFound();
          const artifacts = run.artifacts.map((a) => artifactJson(this.apiBase, run, a, zipOf(a.files).length));
          return ok({ total_count: artifacts.length, artifacts });
        },
      ],
      [
        'GET',
        /\/actions\/artifacts\/(\d+)\/zip$/,
        (m) => {
          const artifact = repository.runs?.flatMap((r) => r.artifacts).find((a) => a.id === Number(m[1]));
          // GitHub answers with a 302 to blob storage; the reader also takes the zip served
          // directly (200), which keeps the demo free of a second host.
          return artifact ? { status: 200, body: zipOf(artifact.files), contentType: 'application/zip' } : notFound();
        },
      ],
      ['GET', /\/compare\/([0-9a-f]+)\.\.\.([0-9a-f]+)$/, (m) => ok({ merge_base_commit: { sha: m[1] }, commits: [], files: [] })],
      [
        'GET',
        /\/commits\/([0-9a-f]+)\/check-runs$/,
        (m, url) => {
          const name = url.searchParams.get('check_name');
          const runs = this.checkRuns.filter((c) => c.head_sha === m[1] && (!name || c.name === name)).reverse();
          return ok({ total_count: runs.length, check_runs: runs });
        },
      ],
      [
        'POST',
        /\/issues\/(\d+)\/comments$/,
        (_m, _u, body) => {
          // As GitHub records a comment an app writes: its bot user, and the app itself.
          const comment = {
            id: this.nextId++,
            body: String(body.body),
            user: { login: 'realitycheck[bot]', type: 'Bot' },
            performed_via_github_app: { id: this.repository.appId ?? 1, slug: 'realitycheck' },
          };
          this.comments.push(comment);
          return ok(comment, 201);
        },
      ],
      [
        'PATCH',
        /\/issues\/comments\/(\d+)$/,
        (m, _u, body) => {
          const comment = this.comments.find((c) => c.id === Number(m[1]));
          if (!comment) return notFound();
          comment.body = String(body.body);
          return ok(comment);
        },
      ],
      [
        'POST',
        /\/check-runs$/,
        (_m, _u, body) => {
          const run: RecordedCheckRun = { ...body, id: this.nextId++, annotations: [...(body.output?.annotations ?? [])] };
          this.checkRuns.push(run);
          return ok(run, 201);
        },
      ],
      [
        'PATCH',
        /\/check-runs\/(\d+)$/,
        (m, _u, body) => {
          const run = this.checkRuns.find((c) => c.id === Number(m[1]));
          if (!run) return notFound();
          run.annotations.push(...(body.output?.annotations ?? []));
          Object.assign(run, { ...body, annotations: run.annotations });
          return ok(run);
        },
      ],
    ];
    this.routes = table.map(([method, pattern, handle]): Route => [method, new RegExp(`^${escapeRegExp(base)}${pattern.source}`), handle]);
  }

  /** The `fetch` Octokit calls. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const method = (init?.method ?? 'GET').toUpperCase();
    this.calls.push({ method, path: url.pathname });
    const body = typeof init?.body === 'string' && init.body !== '' ? JSON.parse(init.body) : undefined;
    if (method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(url.pathname)) {
      const token = { token: 'ghs_local', expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {} };
      return new Response(JSON.stringify(token), { status: 201, headers: { 'content-type': 'application/json; charset=utf-8' } });
    }
    for (const [routeMethod, pattern, handle] of this.routes) {
      const match = routeMethod === method ? pattern.exec(url.pathname) : null;
      if (!match) continue;
      const answer = handle(match, url, body);
      if (answer.body instanceof Uint8Array) {
        return new Response(answer.body, { status: answer.status, headers: { 'content-type': answer.contentType ?? 'application/octet-stream', 'content-length': String(answer.body.length) } });
      }
      const raw = typeof answer.body === 'string';
      return new Response(raw ? (answer.body as string) : JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'content-type': raw ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8' },
      });
    }
    return new Response(JSON.stringify({ message: `the local GitHub does not serve ${method} ${url.pathname}` }), {
      status: 501,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
  };

  octokit(): Octokit {
    const LocalOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      retry: { enabled: false },
      throttle: { ...(options.throttle as object), enabled: false },
    }));
    return new LocalOctokit({ auth: { token: 'local' }, request: { fetch: this.fetch } }) as Octokit;
  }

  /** Every file's text by its git blob id, over all refs (files change between runs of the benchmark). */
  private blobs(): Map<string, string> {
    const blobs = new Map<string, string>();
    for (const files of Object.values(this.repository.files)) for (const [sha, text] of blobsOf(files)) blobs.set(sha, text);
    return blobs;
  }

  /** Calls that change something on GitHub. */
  writes(): number {
    return this.calls.filter((c) => c.method !== 'GET').length;
  }
}

/** What GitHub lists: each changed file with its status and patch (a diff without file headers). */
function changedFiles(repository: LocalRepository) {
  const { headSha, baseSha } = repository.pull;
  const head = repository.files[headSha] ?? {};
  const base = repository.files[baseSha] ?? {};
  const paths = [...new Set([...Object.keys(head), ...Object.keys(base)])].filter((path) => head[path] !== base[path]).sort();
  return paths.map((filename) => {
    const status = base[filename] === undefined ? 'added' : head[filename] === undefined ? 'removed' : 'modified';
    const full = createTwoFilesPatch(filename, filename, base[filename] ?? '', head[filename] ?? '', '', '', { context: 3 });
    const text = head[filename];
    return { filename, status, patch: full.slice(full.indexOf('@@')).replace(/\n$/, ''), ...(text !== undefined ? { sha: gitBlobSha(text) } : {}) };
  });
}

function pullJson(repository: LocalRepository) {
  const pr = repository.pull;
  const repo = { name: repository.repo, owner: { login: repository.owner }, default_branch: repository.defaultBranch };
  return {
    number: pr.number,
    state: 'open',
    body: pr.body,
    updated_at: pr.updatedAt,
    user: { login: pr.author, type: pr.author.endsWith('[bot]') ? 'Bot' : 'User' },
    labels: pr.labels.map((name) => ({ name })),
    head: { sha: pr.headSha, ref: pr.headRef, repo },
    base: { sha: pr.baseSha, ref: repository.defaultBranch, repo },
  };
}

function commitJson(c: LocalPullRequest['commits'][number]) {
  return {
    sha: c.sha,
    commit: { message: c.message, author: { name: c.login ?? 'someone', email: c.email ?? 'someone@example.com' } },
    author: c.login ? { login: c.login } : null,
    committer: null,
  };
}

/** A ref's files by blob id, computed once per files object (replace the object to change a ref). */
const blobIds = new WeakMap<Record<string, string>, Map<string, string>>();
function blobsOf(files: Record<string, string>): Map<string, string> {
  let found = blobIds.get(files);
  if (!found) {
    found = new Map(Object.values(files).map((text) => [gitBlobSha(text), text]));
    blobIds.set(files, found);
  }
  return found;
}

/** A recursive tree as GitHub lists it: directories first-class, each file with its blob id and size. */
function treeJson(apiBase: string, files: Record<string, string>) {
  const dirs = new Map<string, string[]>();
  for (const path of Object.keys(files)) {
    for (let dir = posix.dirname(path); dir !== '.'; dir = posix.dirname(dir)) {
      const list = dirs.get(dir) ?? [];
      list.push(path);
      dirs.set(dir, list);
    }
  }
  // A directory's id stands in for its git tree id: equal exactly when its contents are.
  const treeSha = (paths: string[]) => createHash('sha1').update(paths.sort().map((p) => `${p}\0${gitBlobSha(files[p]!)}`).join('\n')).digest('hex');
  const tree = [
    ...[...dirs].map(([path, paths]) => ({ path, mode: '040000', type: 'tree', sha: treeSha(paths), url: `${apiBase}/git/trees/${treeSha(paths)}` })),
    ...Object.entries(files).map(([path, text]) => {
      const sha = gitBlobSha(text);
      return { path, mode: '100644', type: 'blob', sha, size: Buffer.byteLength(text), url: `${apiBase}/git/blobs/${sha}` };
    }),
  ].sort((a, b) => a.path.localeCompare(b.path));
  const sha = treeSha(Object.keys(files));
  return { sha, url: `${apiBase}/git/trees/${sha}`, tree, truncated: false };
}

function runsJson(apiBase: string, repository: LocalRepository, url: URL, workflowFile?: string) {
  const headSha = url.searchParams.get('head_sha');
  const runs = (repository.runs ?? [])
    .filter((r) => (!headSha || r.headSha === headSha) && (!workflowFile || posix.basename(r.path) === workflowFile))
    .map((r) => runJson(apiBase, repository, r));
  return { total_count: runs.length, workflow_runs: runs };
}

function runJson(apiBase: string, repository: LocalRepository, run: LocalWorkflowRun) {
  const pr = repository.pull;
  return {
    id: run.id,
    name: run.name,
    path: run.path,
    head_branch: pr.headRef,
    head_sha: run.headSha,
    event: 'pull_request',
    status: 'completed',
    conclusion: run.conclusion,
    run_number: run.id % 1000,
    run_attempt: 1,
    created_at: run.createdAt,
    updated_at: run.createdAt,
    url: `${apiBase}/actions/runs/${run.id}`,
    html_url: `https://github.com/${repository.owner}/${repository.repo}/actions/runs/${run.id}`,
    artifacts_url: `${apiBase}/actions/runs/${run.id}/artifacts`,
    pull_requests: [{ number: pr.number, head: { ref: pr.headRef, sha: run.headSha }, base: { ref: repository.defaultBranch, sha: pr.baseSha } }],
  };
}

function artifactJson(apiBase: string, run: LocalWorkflowRun, artifact: LocalWorkflowRun['artifacts'][number], size: number) {
  return {
    id: artifact.id,
    node_id: Buffer.from(`Artifact${artifact.id}`).toString('base64'),
    name: artifact.name,
    size_in_bytes: size,
    url: `${apiBase}/actions/artifacts/${artifact.id}`,
    archive_download_url: `${apiBase}/actions/artifacts/${artifact.id}/zip`,
    expired: false,
    created_at: run.createdAt,
    expires_at: new Date(Date.parse(run.createdAt) + 90 * 86_400_000).toISOString(),
    updated_at: run.createdAt,
    workflow_run: { id: run.id, head_sha: run.headSha },
  };
}

/** The zip upload-artifact stores (deflated entries); the same bytes every time for the same files. */
const zips = new WeakMap<Record<string, string>, Uint8Array>();
function zipOf(files: Record<string, string>): Uint8Array {
  let zip = zips.get(files);
  if (!zip) {
    zip = zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, [strToU8(text), { mtime: new Date('2026-12-01T09:14:10Z') }]])), { level: 6 });
    zips.set(files, zip);
  }
  return zip;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
