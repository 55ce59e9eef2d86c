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
import { FakeGitWrites } from './fake-github-writes.js';

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
  /** Symbolic links by commit SHA, then path: the link's target (git mode 120000). */
  symlinks?: Record<string, Record<string, string>>;
  /** Submodules by commit SHA, then path: the commit they pin (git mode 160000). */
  submodules?: Record<string, Record<string, string>>;
  /** Recursive trees listing more entries than this are cut short (`truncated: true`), as GitHub does past 100,000 entries / 7 MB. */
  treeEntryLimit?: number;
  /** Branches (name -> commit) for the Git Data API and pull requests the app opens (fake-github-writes.ts). */
  branches?: Record<string, string>;
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
  'GET tree',
  'GET blob',
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
  /** The write side: refs, commits, pull requests the app opens, reviews (fake-github-writes.ts). */
  readonly git: FakeGitWrites;

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
    const getTree = route('GET tree');
    const getBlob = route('GET blob');
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
      // Git database: a tree by commit SHA or tree SHA (`recursive` lists every path below it),
      // a blob by its id, as GitHub answers them; an id the repository does not have is 404.
      .get(new RegExp(`^${escape(base)}/git/trees/[^/?]+(\\?.*)?$`))
      .reply((uri) => {
        getTree(uri);
        const url = new URL(uri, API);
        const sha = decodeURIComponent(url.pathname.slice(`${base}/git/trees/`.length));
        const found = findTree(repo, sha);
        if (!found) return [404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/git/trees#get-a-tree', status: '404' }, json];
        const recursive = url.searchParams.has('recursive');
        const entries = recursive ? flatten(found.objects, found.sha, '') : found.objects.trees.get(found.sha)!.map((e) => ({ ...e, path: e.name }));
        const limit = recursive ? (repo.treeEntryLimit ?? 100_000) : Infinity;
        const tree = entries.slice(0, limit).map(({ name: _name, ...e }) => ({ ...e, ...(e.type === 'commit' ? {} : { url: `${API}${base}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}` }) }));
        return [200, { sha: found.sha, url: `${API}${base}/git/trees/${found.sha}`, tree, truncated: entries.length > limit }, json];
      })
      .get(new RegExp(`^${escape(base)}/git/blobs/[^/?]+$`))
      .reply((uri) => {
        getBlob(uri);
        const sha = decodeURIComponent(uri.slice(`${base}/git/blobs/`.length));
        const body = findBlob(repo, sha);
        if (body === undefined) return [404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/git/blobs#get-a-blob', status: '404' }, json];
        const bytes = Buffer.from(body, 'utf8');
        const content = (bytes.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n';
        const node_id = Buffer.from(`04:Blob1296269:${sha}`).toString('base64');
        return [200, { sha, node_id, size: bytes.length, url: `${API}${base}/git/blobs/${sha}`, content, encoding: 'base64' }, json];
      })
      .get(new RegExp(`^${escape(base)}/commits/[0-9a-f]+/pulls$`))
      .reply((uri) => {
        commitPulls(uri);
        const sha = /commits\/([0-9a-f]+)\/pulls/.exec(uri)![1];
        const found = Object.entries(repo.pulls ?? {}).filter(([, pr]) => pr.headSha === sha);
        return [200, found.map(([n, pr]) => pullJson(repo, Number(n), pr)), json];
      });
    this.git = new FakeGitWrites(this, { ...(repo.branches ?? {}) });
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

interface GitEntry {
  name: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  size?: number;
}

interface GitObjects {
  root: string;
  /** Tree id -> its entries, in git's order. */
  trees: Map<string, GitEntry[]>;
  /** Blob id -> text. */
  blobs: Map<string, string>;
}

/**
 * The git objects of one commit's files, with git's real ids: a blob is sha1 of
 * `blob <size>\0<bytes>`, a tree sha1 of `tree <size>\0` and its entries (`<mode> <name>\0`
 * and the 20-byte id, sorted by name, a tree's name compared as if it ended in `/`).
 */
export function gitObjects(files: Record<string, string>, symlinks: Record<string, string> = {}, submodules: Record<string, string> = {}): GitObjects {
  const trees = new Map<string, GitEntry[]>();
  const blobs = new Map<string, string>();
  const leaves = new Map<string, GitEntry>();
  for (const [path, text] of Object.entries(files)) {
    const sha = blobSha(text);
    blobs.set(sha, text);
    leaves.set(path, { name: path.split('/').pop()!, mode: '100644', type: 'blob', sha, size: Buffer.byteLength(text) });
  }
  for (const [path, target] of Object.entries(symlinks)) {
    const sha = blobSha(target);
    blobs.set(sha, target);
    leaves.set(path, { name: path.split('/').pop()!, mode: '120000', type: 'blob', sha, size: Buffer.byteLength(target) });
  }
  for (const [path, commit] of Object.entries(submodules)) leaves.set(path, { name: path.split('/').pop()!, mode: '160000', type: 'commit', sha: commit });
  const build = (dir: string): string => {
    const prefix = dir === '' ? '' : `${dir}/`;
    const entries = new Map<string, GitEntry>();
    for (const [path, leaf] of leaves) {
      if (!path.startsWith(prefix)) continue;
      const name = path.slice(prefix.length).split('/')[0]!;
      if (path.slice(prefix.length) === name) entries.set(name, leaf);
      else if (!entries.has(name)) entries.set(name, { name, mode: '040000', type: 'tree', sha: build(`${prefix}${name}`) });
    }
    const key = (e: GitEntry) => (e.type === 'tree' ? `${e.name}/` : e.name);
    const sorted = [...entries.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const body = Buffer.concat(sorted.flatMap((e) => [Buffer.from(`${e.mode.replace(/^0/, '')} ${e.name}\0`), Buffer.from(e.sha, 'hex')]));
    const sha = createHash('sha1').update(`tree ${body.length}\0`).update(body).digest('hex');
    trees.set(sha, sorted);
    return sha;
  };
  return { root: build(''), trees, blobs };
}

function commitObjects(repo: FakeRepo, commit: string): GitObjects | undefined {
  const files = repo.files[commit];
  return files ? gitObjects(files, repo.symlinks?.[commit], repo.submodules?.[commit]) : undefined;
}

/** A commit's root tree, or a tree some commit holds, by id. */
function findTree(repo: FakeRepo, sha: string): { objects: GitObjects; sha: string } | undefined {
  const own = commitObjects(repo, sha);
  if (own) return { objects: own, sha: own.root };
  for (const commit of Object.keys(repo.files)) {
    const objects = commitObjects(repo, commit)!;
    if (objects.trees.has(sha)) return { objects, sha };
  }
  return undefined;
}

function findBlob(repo: FakeRepo, sha: string): string | undefined {
  for (const commit of Object.keys(repo.files)) {
    const text = commitObjects(repo, commit)!.blobs.get(sha);
    if (text !== undefined) return text;
  }
  return undefined;
}

/** Every path under a tree as `git ls-tree -r -t` lists it: a tree before what it holds. */
function flatten(objects: GitObjects, sha: string, prefix: string): Array<GitEntry & { path: string }> {
  return objects.trees.get(sha)!.flatMap((e) => {
    const path = `${prefix}${e.name}`;
    return e.type === 'tree' ? [{ ...e, path }, ...flatten(objects, e.sha, `${path}/`)] : [{ ...e, path }];
  });
}
