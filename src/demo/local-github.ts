// A GitHub REST API answered in-process, for the offline demo and the benchmark: a real
// Octokit whose `fetch` is this function, so the pipeline runs exactly as in the app
// (same calls, same pagination, same payloads) with no network at all.
import { createTwoFilesPatch } from 'diff';
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

type Answer = { status: number; body: unknown };
type Route = [method: string, pattern: RegExp, handle: (match: RegExpExecArray, url: URL, body: any) => Answer];

export class LocalGitHub {
  readonly calls: Array<{ method: string; path: string }> = [];
  readonly comments: Array<{ id: number; body: string; user: { login: string; type: string } }> = [];
  readonly checkRuns: RecordedCheckRun[] = [];
  private nextId = 1;
  private readonly routes: Route[];

  constructor(readonly repository: LocalRepository) {
    const base = `/repos/${repository.owner}/${repository.repo}`;
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
          const comment = { id: this.nextId++, body: String(body.body), user: { login: 'realitycheck[bot]', type: 'Bot' } };
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

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
