// A stateful GitHub REST API on nock: comments and check runs persist across runs, so a
// test can push three times and count comments. It refuses what GitHub refuses (more than
// 50 annotations in one request, an output over 65,535 bytes, a comment over 65,536
// characters, missing required fields: check-github-request.ts), answering 422 as GitHub
// does, and records each refusal in `refusals` so a test fails even when the app swallows
// the error. A test names the routes it relies on (`expectCalls`); `assertAllUsed` (the
// e2e harness calls it after each test) fails when one of them was never called. Anything
// it does not serve fails, since tests run with `nock.disableNetConnect()`.
import { createHash } from 'node:crypto';
import { createTwoFilesPatch } from 'diff';
import nock from 'nock';
import { checkRunRefusal, commentRefusal, type Refusal } from './check-github-request.js';

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: string };
  /** The app that wrote it (our test app is id 1). */
  performed_via_github_app?: { id: number } | null;
}

/** The app id the test Probot runs as. */
export const TEST_APP_ID = 1;

export interface FakeCheckRun {
  id: number;
  head_sha: string;
  name: string;
  status: string;
  conclusion?: string;
  output?: { title: string; summary: string; text?: string; annotations?: Array<Record<string, unknown>> };
  /** Every annotation sent to this run, across updates. */
  annotations: Array<Record<string, unknown>>;
  app?: { id: number };
  updates: number;
}

export interface FakeRepo {
  owner: string;
  repo: string;
  /** `.github/realitycheck.yml` on the default branch; `undefined` answers 404. */
  config?: string;
  /** The same file in the owner's `.github` repository (Probot falls back to it); `undefined` answers 404. */
  orgConfig?: string;
  /** Files by commit SHA, then path. */
  files: Record<string, Record<string, string>>;
  /** Changed files of each pull request by number: a path, or what GitHub lists (with its patch). */
  pullFiles: Record<number, Array<string | { filename: string; previous_filename?: string; status?: string; patch?: string; sha?: string }>>;
  /** Repository permission of users (for commands); others are not collaborators (404). */
  permissions?: Record<string, 'admin' | 'maintain' | 'write' | 'triage' | 'read'>;
  /** Commits of each pull request (`GET /pulls/{number}/commits`); default: one commit by a person. */
  commits?: Record<number, Array<{ sha: string; message: string; login?: string; email?: string }>>;
  /** The merge base the compare API reports; default: the base of the comparison. */
  mergeBase?: string;
  /** Answer comment writes with this HTTP status (an outage, a permission problem). */
  failCommentWrites?: number;
  /** Answer directory listings (contents API, JSON) with this HTTP status. */
  failContentListings?: number;
  /** Open pull requests as `GET /pulls/{number}` returns them (for commands and re-runs). */
  pulls?: Record<number, { headSha: string; baseSha: string; author?: string; updatedAt?: string }>;
}

const API = 'https://api.github.com';

/** The routes the fake serves, by the names `count`, `expectCalls` and `calls` use. */
const ROUTES = [
  'POST access_tokens',
  'GET config',
  'GET pull files',
  'GET contents',
  'GET comments',
  'POST comment',
  'PATCH comment',
  'POST check run',
  'PATCH check run',
  'POST reaction',
  'GET permission',
  'GET pull',
  'GET commit pulls',
  'GET pull commits',
  'GET check runs',
  'GET compare',
] as const;
export type Route = (typeof ROUTES)[number];

export class FakeGitHub {
  readonly comments: FakeComment[] = [];
  readonly checkRuns: FakeCheckRun[] = [];
  readonly reactions: Array<{ commentId: number; content: string }> = [];
  readonly calls: Array<{ method: string; path: string }> = [];
  /** Requests answered 422 because GitHub would refuse them. */
  readonly refusals: Array<{ route: Route; path: string; message: string; errors?: Array<Record<string, string>> }> = [];
  private readonly used = new Map<Route, number>();
  private readonly expected = new Set<Route>();
  private nextId = 1000;
  private readonly scope: nock.Scope;

  constructor(readonly repo: FakeRepo) {
    const base = `/repos/${repo.owner}/${repo.repo}`;
    const route = (name: Route) => {
      this.used.set(name, this.used.get(name) ?? 0);
      return (uri: string) => {
        this.used.set(name, (this.used.get(name) ?? 0) + 1);
        this.calls.push({ method: name.split(' ')[0]!, path: decodeURIComponent(uri) });
      };
    };
    const token = route('POST access_tokens');
    const config = route('GET config');
    const files = route('GET pull files');
    const content = route('GET contents');
    const listComments = route('GET comments');
    const createComment = route('POST comment');
    const updateComment = route('PATCH comment');
    const createCheck = route('POST check run');
    const updateCheck = route('PATCH check run');
    const reaction = route('POST reaction');
    const permission = route('GET permission');
    const getPull = route('GET pull');
    const commitPulls = route('GET commit pulls');
    const pullCommits = route('GET pull commits');
    const listChecks = route('GET check runs');
    const compare = route('GET compare');
    const json = { 'content-type': 'application/json; charset=utf-8' };
    const refuse = (name: Route, uri: string, refusal: Refusal): [number, object, typeof json] => {
      this.refusals.push({ route: name, path: decodeURIComponent(uri), message: refusal.body.message, ...(refusal.body.errors ? { errors: refusal.body.errors } : {}) });
      return [refusal.status, refusal.body, json];
    };
    const text = { 'content-type': 'text/plain; charset=utf-8' };

    this.scope = nock(API)
      .persist()
      .post(/^\/app\/installations\/\d+\/access_tokens$/)
      .reply((uri) => {
        token(uri);
        return [201, { token: 'ghs_test', expires_at: '2099-01-01T00:00:00Z', permissions: { checks: 'write', contents: 'read', issues: 'write', pull_requests: 'write' } }, json];
      })
      .get(new RegExp(`^${escape(base)}/contents/\\.github(%2F|/)realitycheck\\.yml(\\?.*)?$`))
      .reply((uri) => {
        config(uri);
        if (repo.config === undefined) return [404, { message: 'Not Found' }, json];
        return [200, repo.config, text];
      })
      .get(new RegExp(`^/repos/${escape(repo.owner)}/\\.github/contents/\\.github(%2F|/)realitycheck\\.yml(\\?.*)?$`))
      .reply((uri) => {
        config(uri);
        if (repo.orgConfig === undefined) return [404, { message: 'Not Found' }, json];
        return [200, repo.orgConfig, text];
      })
      .get(new RegExp(`^${escape(base)}/pulls/\\d+/files(\\?.*)?$`))
      .reply((uri) => {
        files(uri);
        const number = Number(/pulls\/(\d+)\/files/.exec(uri)![1]);
        const listed = (repo.pullFiles[number] ?? []).map((f) => (typeof f === 'string' ? { filename: f } : f));
        return [200, listed.map((f, i) => ({ sha: `f${i}`, status: 'modified', additions: 1, deletions: 1, changes: 2, ...f })), json];
      })
      .get(new RegExp(`^${escape(base)}/contents(/(?!\\.github(%2F|/)realitycheck)[^?]*)?\\?ref=[^&]+$`))
      .reply(function (uri) {
        content(uri);
        const url = new URL(uri, API);
        const path = decodeURIComponent(url.pathname.slice(`${base}/contents`.length)).replace(/^\/|\/$/g, '');
        const ref = url.searchParams.get('ref')!;
        const files = repo.files[ref] ?? {};
        const body = files[path];
        // A file: raw text (the app asks for `application/vnd.github.raw`); a directory: the
        // JSON listing GitHub gives, one entry per file or subdirectory with its git object id.
        if (body !== undefined && String(this.req.headers.accept).includes('raw')) return [200, body, text];
        if (repo.failContentListings) return [repo.failContentListings, { message: 'Server Error' }, json];
        const listing = directoryListing(files, path);
        if (body !== undefined || listing === undefined) return body === undefined ? [404, { message: 'Not Found' }, json] : [200, { type: 'file', name: path.split('/').pop(), path, sha: blobSha(body) }, json];
        return [200, listing, json];
      })
      .get(new RegExp(`^${escape(base)}/issues/\\d+/comments(\\?.*)?$`))
      .reply((uri) => {
        listComments(uri);
        return [200, this.comments, json];
      })
      .post(new RegExp(`^${escape(base)}/issues/\\d+/comments$`))
      .reply((uri, body) => {
        createComment(uri);
        if (repo.failCommentWrites) return [repo.failCommentWrites, { message: 'Server Error' }, json];
        const refusal = commentRefusal(body, 'create');
        if (refusal) return refuse('POST comment', uri, refusal);
        const comment = { id: this.nextId++, body: (body as { body: string }).body, user: { login: 'realitycheck[bot]', type: 'Bot' }, performed_via_github_app: { id: TEST_APP_ID } };
        this.comments.push(comment);
        return [201, comment, json];
      })
      .patch(new RegExp(`^${escape(base)}/issues/comments/\\d+$`))
      .reply((uri, body) => {
        updateComment(uri);
        const id = Number(/comments\/(\d+)$/.exec(uri)![1]);
        const comment = this.comments.find((c) => c.id === id);
        if (!comment) return [404, { message: 'Not Found' }, json];
        const refusal = commentRefusal(body, 'update');
        if (refusal) return refuse('PATCH comment', uri, refusal);
        comment.body = (body as { body: string }).body;
        return [200, comment, json];
      })
      .post(`${base}/check-runs`)
      .reply((uri, body) => {
        createCheck(uri);
        const refusal = checkRunRefusal(body, 'create');
        if (refusal) return refuse('POST check run', uri, refusal);
        const b = body as Omit<FakeCheckRun, 'id' | 'annotations' | 'updates'>;
        const run: FakeCheckRun = { ...b, id: this.nextId++, app: { id: TEST_APP_ID }, annotations: [...(b.output?.annotations ?? [])], updates: 0 };
        this.checkRuns.push(run);
        return [201, run, json];
      })
      .patch(new RegExp(`^${escape(base)}/check-runs/\\d+$`))
      .reply((uri, body) => {
        updateCheck(uri);
        const id = Number(/check-runs\/(\d+)$/.exec(uri)![1]);
        const run = this.checkRuns.find((c) => c.id === id);
        if (!run) return [404, { message: 'Not Found' }, json];
        const refusal = checkRunRefusal(body, 'update');
        if (refusal) return refuse('PATCH check run', uri, refusal);
        const b = body as Partial<FakeCheckRun>;
        run.annotations.push(...(b.output?.annotations ?? []));
        Object.assign(run, { ...b, annotations: run.annotations, updates: run.updates + 1 });
        return [200, run, json];
      })
      .post(new RegExp(`^${escape(base)}/issues/comments/\\d+/reactions$`))
      .reply((uri, body) => {
        reaction(uri);
        this.reactions.push({ commentId: Number(/comments\/(\d+)\//.exec(uri)![1]), content: (body as { content: string }).content });
        return [201, { id: this.nextId++, content: (body as { content: string }).content }, json];
      })
      .get(new RegExp(`^${escape(base)}/collaborators/[^/]+/permission$`))
      .reply((uri) => {
        permission(uri);
        const user = decodeURIComponent(/collaborators\/([^/]+)\/permission/.exec(uri)![1]!);
        const role = repo.permissions?.[user];
        if (!role) return [404, { message: `${user} is not a user` }, json];
        const legacy = { admin: 'admin', maintain: 'write', write: 'write', triage: 'read', read: 'read' }[role];
        return [200, { permission: legacy, role_name: role, user: { login: user } }, json];
      })
      .get(new RegExp(`^${escape(base)}/pulls/\\d+$`))
      .reply((uri) => {
        getPull(uri);
        const number = Number(/pulls\/(\d+)$/.exec(uri)![1]);
        const pr = repo.pulls?.[number];
        if (!pr) return [404, { message: 'Not Found' }, json];
        return [200, pullJson(repo, number, pr), json];
      })
      .get(new RegExp(`^${escape(base)}/pulls/\\d+/commits(\\?.*)?$`))
      .reply((uri) => {
        pullCommits(uri);
        const number = Number(/pulls\/(\d+)\/commits/.exec(uri)![1]);
        const commits = repo.commits?.[number] ?? [{ sha: 'c0ffee0000000000000000000000000000000000', message: 'Raise message retention' }];
        return [
          200,
          commits.map((c) => ({
            sha: c.sha,
            commit: { message: c.message, author: { name: c.login ?? 'Mona', email: c.email ?? 'mona@example.com' }, committer: { name: 'GitHub', email: 'noreply@github.com' } },
            author: { login: c.login ?? 'Codertocat', type: 'User' },
            committer: { login: 'web-flow', type: 'User' },
          })),
          json,
        ];
      })
      .get(new RegExp(`^${escape(base)}/commits/[0-9a-f]+/check-runs(\\?.*)?$`))
      .reply((uri) => {
        listChecks(uri);
        const url = new URL(uri, API);
        const sha = /commits\/([0-9a-f]+)\/check-runs/.exec(url.pathname)![1];
        const name = url.searchParams.get('check_name');
        const appId = url.searchParams.get('app_id');
        const runs = this.checkRuns.filter((c) => c.head_sha === sha && (!name || c.name === name) && (!appId || String(c.app?.id) === appId)).reverse();
        return [200, { total_count: runs.length, check_runs: runs }, json];
      })
      .get(new RegExp(`^${escape(base)}/compare/[0-9a-f]+\\.\\.\\.[0-9a-f]+(\\?.*)?$`))
      .reply((uri) => {
        compare(uri);
        const [from] = /compare\/([0-9a-f]+)\.\.\./.exec(uri)!.slice(1);
        return [200, { status: 'ahead', merge_base_commit: { sha: repo.mergeBase ?? from }, commits: [], files: [] }, json];
      })
      .get(new RegExp(`^${escape(base)}/commits/[0-9a-f]+/pulls$`))
      .reply((uri) => {
        commitPulls(uri);
        const sha = /commits\/([0-9a-f]+)\/pulls/.exec(uri)![1];
        const found = Object.entries(repo.pulls ?? {}).filter(([, pr]) => pr.headSha === sha);
        return [200, found.map(([n, pr]) => pullJson(repo, Number(n), pr)), json];
      });
  }

  /** The check run GitHub would show for a commit: the newest of that name. */
  checkFor(sha: string): FakeCheckRun | undefined {
    return this.checkRuns.filter((c) => c.head_sha === sha && c.name === 'Reality check').at(-1);
  }

  /**
   * Routes this test relies on: `assertAllUsed` fails when one is never called (a test of
   * what the app does with the commits, say, passes for nothing if it never lists them).
   */
  expectCalls(...routes: Route[]): this {
    for (const route of routes) this.expected.add(route);
    return this;
  }

  /** Fails, naming them, when a route `expectCalls` named (or one given here) was never called. */
  assertAllUsed(...routes: Route[]): void {
    const missing = [...new Set([...this.expected, ...routes])].filter((route) => !this.used.get(route));
    if (missing.length > 0) throw new Error(`GitHub routes this test expected but never called: ${missing.join(', ')}`);
  }

  count(name: Route): number {
    return this.used.get(name) ?? 0;
  }

  done(): void {
    this.scope.persist(false);
    nock.cleanAll();
  }
}

function pullJson(repo: FakeRepo, number: number, pr: NonNullable<FakeRepo['pulls']>[number]) {
  return {
    number,
    state: 'open',
    updated_at: pr.updatedAt ?? '2026-11-27T12:00:00Z',
    user: { login: pr.author ?? 'Codertocat', type: 'User' },
    labels: [],
    head: { sha: pr.headSha, ref: 'changes' },
    base: { sha: pr.baseSha, ref: 'master', repo: { name: repo.repo, owner: { login: repo.owner }, default_branch: 'master' } },
  };
}

/** Git's blob id of a file, as GitHub lists it for a pull request's files (`sha`). */
export function blobSha(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** A patch as GitHub's pull request files API gives it: a unified diff without file headers. */
export function githubPatch(base: string, head: string): string {
  const full = createTwoFilesPatch('a', 'b', base, head, '', '', { context: 3 });
  return full.slice(full.indexOf('@@')).replace(/\n$/, '');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `dir`'s entries as GitHub's contents API lists a directory, or `undefined` when no file
 * lies under it. Files carry their blob SHA; a subdirectory a digest of what it holds (a
 * stand-in for its tree SHA: equal exactly when its contents are).
 */
function directoryListing(files: Record<string, string>, dir: string): Array<{ type: string; name: string; path: string; sha: string }> | undefined {
  const prefix = dir === '' ? '' : `${dir}/`;
  const entries = new Map<string, { type: string; name: string; path: string; sha: string }>();
  for (const [path, body] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const name = rest.split('/')[0]!;
    if (rest === name) {
      entries.set(name, { type: 'file', name, path, sha: blobSha(body) });
    } else if (!entries.has(name)) {
      const sub = Object.entries(files).filter(([p]) => p.startsWith(`${prefix}${name}/`)).sort(([a], [b]) => a.localeCompare(b));
      const sha = createHash('sha1').update(JSON.stringify(sub.map(([p, b]) => [p, blobSha(b)]))).digest('hex');
      entries.set(name, { type: 'dir', name, path: `${prefix}${name}`, sha });
    }
  }
  return entries.size === 0 ? undefined : [...entries.values()];
}
