// The write side of the in-test GitHub, next to fake-github.ts and sharing its repository:
// the Git Data API (refs, commits, blobs, trees), pull requests (list by head, create, edit,
// close) and pull request reviews and review comments. State persists across deliveries.
// It refuses what GitHub refuses, answering 422 as GitHub does and recording each refusal in
// the FakeGitHub's `refusals` (so the harness fails the test even when the app swallows it):
// - a ref that exists already (`Reference already exists`), a ref update that is not a fast
//   forward without `force` (`Update is not a fast forward`), a ref or tree naming an object
//   the repository does not have;
// - a second open pull request from the same head (`A pull request already exists for o:b.`),
//   a pull request whose head has no commit over its base (`No commits between b and h`), a
//   body over 65,536 characters;
// - a review comment on a line outside the pull request's diff (`Line could not be resolved`;
//   context lines count, as on github.com), a review body or comment over 65,536 characters.
// A commit it creates becomes readable like the others (contents, trees, blobs): its files
// join `repo.files` under the new commit's id.
import { createHash } from 'node:crypto';
import { parsePatch } from 'diff';
import nock from 'nock';
import { gitObjects, type FakeGitHub } from './fake-github.js';

const API = 'https://api.github.com';
const json = { 'content-type': 'application/json; charset=utf-8' };
const COMMENT_LIMIT = 65_536;

export interface FakePull {
  number: number;
  state: 'open' | 'closed';
  head: string;
  base: string;
  title: string;
  body: string;
  user: { login: string; type: string };
}

export interface FakeReviewComment {
  id: number;
  path: string;
  line: number | null;
  /** The line when the comment was made (GitHub keeps it when a push makes the comment outdated). */
  original_line: number;
  commit_id: string;
  body: string;
  user: { login: string; type: string };
  pull: number;
}

export interface FakeReview {
  id: number;
  pull: number;
  event: string;
  body: string;
  commit_id: string;
  comments: Array<{ path: string; line: number; body: string; start_line?: number }>;
}

export interface FakeCommit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  /** The author the request named; absent when GitHub takes the authenticated app's bot. */
  author?: unknown;
}

export class FakeGitWrites {
  readonly pulls: FakePull[] = [];
  readonly commits = new Map<string, FakeCommit>();
  readonly reviews: FakeReview[] = [];
  readonly reviewComments: FakeReviewComment[] = [];
  /** Every ref write, in order: `create refs/heads/x`, `update heads/x (force)`. */
  readonly refWrites: string[] = [];
  readonly deletedComments: number[] = [];
  /** Tree id -> files. */
  private readonly trees = new Map<string, Record<string, string>>();
  private readonly blobs = new Map<string, string>();
  private nextPull = 100;
  private nextId = 5000;

  constructor(
    private readonly github: FakeGitHub,
    /** Branch name -> commit id; the default branch must be among them. */
    readonly branches: Record<string, string>,
  ) {
    const repo = github.repo;
    const base = `/repos/${repo.owner}/${repo.repo}`;
    const e = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const refuse = (route: string, uri: string, message: string, errors?: Array<Record<string, string>>): [number, object, typeof json] => {
      github.refusals.push({ route: route as never, path: decodeURIComponent(uri), message, ...(errors ? { errors } : {}) });
      return [422, { message, ...(errors ? { errors } : {}), documentation_url: 'https://docs.github.com/rest' }, json];
    };
    const record = (method: string, uri: string) => github.calls.push({ method, path: decodeURIComponent(uri) });

    nock(API)
      .persist()
      // the app itself (its own JWT): the slug its bot comments under
      .get('/app')
      .reply((uri) => {
        record('GET', uri);
        return [200, { id: 1, slug: 'realitycheck', name: 'realitycheck', owner: { login: repo.owner } }, json];
      })
      // Octokit sends `heads/x` as `heads%2Fx`; GitHub takes both
      .get(new RegExp(`^${e(base)}/git/ref/heads(/|%2F).+$`))
      .reply((uri) => {
        record('GET', uri);
        const branch = decodeURIComponent(uri.slice(`${base}/git/ref/`.length)).replace(/^heads\//, '');
        const sha = this.branches[branch];
        if (!sha) return [404, { message: 'Not Found' }, json];
        return [200, { ref: `refs/heads/${branch}`, object: { sha, type: 'commit' } }, json];
      })
      .post(`${base}/git/refs`)
      .reply((uri, body) => {
        record('POST', uri);
        const { ref, sha } = body as { ref: string; sha: string };
        const branch = ref.replace(/^refs\/heads\//, '');
        if (this.branches[branch]) return refuse('POST ref', uri, 'Reference already exists');
        if (!this.hasCommit(sha)) return refuse('POST ref', uri, 'Object does not exist');
        this.branches[branch] = sha;
        this.refWrites.push(`create ${ref}`);
        return [201, { ref, object: { sha, type: 'commit' } }, json];
      })
      .patch(new RegExp(`^${e(base)}/git/refs/heads(/|%2F).+$`))
      .reply((uri, body) => {
        record('PATCH', uri);
        const branch = decodeURIComponent(uri.slice(`${base}/git/refs/`.length)).replace(/^heads\//, '');
        const { sha, force } = body as { sha: string; force?: boolean };
        const current = this.branches[branch];
        if (!current) return refuse('PATCH ref', uri, 'Reference does not exist');
        if (!this.hasCommit(sha)) return refuse('PATCH ref', uri, 'Object does not exist');
        if (!force && !this.ancestors(sha).includes(current)) return refuse('PATCH ref', uri, 'Update is not a fast forward');
        this.branches[branch] = sha;
        this.refWrites.push(`update heads/${branch}${force ? ' (force)' : ''}`);
        return [200, { ref: `refs/heads/${branch}`, object: { sha, type: 'commit' } }, json];
      })
      .get(new RegExp(`^${e(base)}/git/commits/[0-9a-f]{40}$`))
      .reply((uri) => {
        record('GET', uri);
        const sha = uri.slice(-40);
        const commit = this.commitOf(sha);
        if (!commit) return [404, { message: 'Not Found' }, json];
        return [200, { sha, tree: { sha: commit.tree }, parents: commit.parents.map((p) => ({ sha: p })), message: commit.message }, json];
      })
      .post(`${base}/git/blobs`)
      .reply((uri, body) => {
        record('POST', uri);
        const { content, encoding } = body as { content: string; encoding?: string };
        const text = encoding === 'base64' ? Buffer.from(content, 'base64').toString('utf8') : content;
        const sha = gitBlobSha(text);
        this.blobs.set(sha, text);
        return [201, { sha, url: `${API}${base}/git/blobs/${sha}` }, json];
      })
      .post(`${base}/git/trees`)
      .reply((uri, body) => {
        record('POST', uri);
        const { base_tree: baseTree, tree } = body as { base_tree?: string; tree: Array<{ path: string; mode: string; type: string; sha?: string | null }> };
        const files = baseTree ? this.filesOfTree(baseTree) : {};
        if (!files) return refuse('POST tree', uri, 'base_tree is not a valid tree');
        const next = { ...files };
        for (const entry of tree) {
          if (entry.sha === null) {
            delete next[entry.path];
            continue;
          }
          const text = entry.sha ? this.blobs.get(entry.sha) : undefined;
          if (text === undefined) return refuse('POST tree', uri, `tree.sha ${entry.sha} is not a valid blob`);
          next[entry.path] = text;
        }
        const sha = gitObjects(next).root;
        this.trees.set(sha, next);
        return [201, { sha, url: `${API}${base}/git/trees/${sha}`, tree: [] }, json];
      })
      .post(`${base}/git/commits`)
      .reply((uri, body) => {
        record('POST', uri);
        const { message, tree, parents, author } = body as { message: string; tree: string; parents: string[]; author?: unknown };
        const files = this.filesOfTree(tree);
        if (!files) return refuse('POST commit', uri, 'Tree SHA does not exist');
        if (parents.some((p) => !this.hasCommit(p))) return refuse('POST commit', uri, 'Parent SHA does not exist or is not a commit object');
        const sha = createHash('sha1').update(`commit ${tree} ${parents.join(',')} ${message} ${this.nextId++}`).digest('hex');
        this.commits.set(sha, { sha, tree, parents, message, ...(author !== undefined ? { author } : {}) });
        repo.files[sha] = files;
        return [201, { sha, tree: { sha: tree }, parents: parents.map((p) => ({ sha: p })), message }, json];
      })
      .get(new RegExp(`^${e(base)}/pulls\\?.*$`))
      .reply((uri) => {
        record('GET', uri);
        const params = new URL(uri, API).searchParams;
        const state = params.get('state') ?? 'open';
        const head = params.get('head');
        const found = this.pulls.filter((p) => (state === 'all' || p.state === state) && (!head || `${repo.owner}:${p.head}` === head));
        return [200, found.map((p) => this.pullJson(p)), json];
      })
      .post(`${base}/pulls`)
      .reply((uri, body) => {
        record('POST', uri);
        const { head, base: baseRef, title, body: text } = body as { head: string; base: string; title: string; body?: string };
        if ((text ?? '').length > COMMENT_LIMIT) return refuse('POST pull', uri, 'Validation Failed', [{ resource: 'PullRequest', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }]);
        if (!this.branches[head]) return refuse('POST pull', uri, 'Validation Failed', [{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
        if (!this.branches[baseRef]) return refuse('POST pull', uri, 'Validation Failed', [{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
        if (this.pulls.some((p) => p.state === 'open' && p.head === head)) {
          return refuse('POST pull', uri, 'Validation Failed', [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${repo.owner}:${head}.` }]);
        }
        if (this.branches[head] === this.branches[baseRef]) return refuse('POST pull', uri, 'Validation Failed', [{ resource: 'PullRequest', code: 'custom', message: `No commits between ${baseRef} and ${head}` }]);
        const pull: FakePull = { number: this.nextPull++, state: 'open', head, base: baseRef, title, body: text ?? '', user: { login: 'realitycheck[bot]', type: 'Bot' } };
        this.pulls.push(pull);
        return [201, this.pullJson(pull), json];
      })
      .patch(new RegExp(`^${e(base)}/pulls/\\d+$`))
      .reply((uri, body) => {
        record('PATCH', uri);
        const pull = this.pulls.find((p) => p.number === Number(/pulls\/(\d+)$/.exec(uri)![1]));
        if (!pull) return [404, { message: 'Not Found' }, json];
        const change = body as Partial<Pick<FakePull, 'title' | 'body' | 'state'>>;
        if ((change.body ?? '').length > COMMENT_LIMIT) return refuse('PATCH pull', uri, 'Validation Failed', [{ resource: 'PullRequest', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }]);
        Object.assign(pull, change);
        return [200, this.pullJson(pull), json];
      })
      .get(new RegExp(`^${e(base)}/pulls/\\d+/comments(\\?.*)?$`))
      .reply((uri) => {
        record('GET', uri);
        const number = Number(/pulls\/(\d+)\/comments/.exec(uri)![1]);
        return [200, this.reviewComments.filter((c) => c.pull === number), json];
      })
      .post(new RegExp(`^${e(base)}/pulls/\\d+/reviews$`))
      .reply((uri, body) => {
        record('POST', uri);
        const number = Number(/pulls\/(\d+)\/reviews/.exec(uri)![1]);
        const review = body as { commit_id: string; event: string; body?: string; comments?: FakeReview['comments'] };
        if (!['COMMENT', 'APPROVE', 'REQUEST_CHANGES'].includes(review.event)) return refuse('POST review', uri, 'Unprocessable Entity', [{ message: `event ${review.event} is not valid` } as Record<string, string>]);
        if ((review.body ?? '').length > COMMENT_LIMIT) return refuse('POST review', uri, 'Unprocessable Entity', [{ message: 'Body is too long (maximum is 65536 characters)' } as Record<string, string>]);
        for (const comment of review.comments ?? []) {
          if (comment.body.length > COMMENT_LIMIT) return refuse('POST review', uri, 'Unprocessable Entity', [{ message: 'Body is too long (maximum is 65536 characters)' } as Record<string, string>]);
          const lines = this.commentableLines(number, comment.path);
          const span = comment.start_line !== undefined ? range(comment.start_line, comment.line) : [comment.line];
          if (!span.every((l) => lines.has(l))) return refuse('POST review', uri, 'Unprocessable Entity', ['Line could not be resolved'] as unknown as Array<Record<string, string>>);
        }
        const stored: FakeReview = { id: this.nextId++, pull: number, event: review.event, body: review.body ?? '', commit_id: review.commit_id, comments: review.comments ?? [] };
        this.reviews.push(stored);
        for (const comment of stored.comments) {
          this.reviewComments.push({ id: this.nextId++, path: comment.path, line: comment.line, original_line: comment.line, commit_id: review.commit_id, body: comment.body, user: { login: 'realitycheck[bot]', type: 'Bot' }, pull: number });
        }
        return [200, { id: stored.id, state: 'COMMENTED', body: stored.body, commit_id: stored.commit_id }, json];
      })
      .patch(new RegExp(`^${e(base)}/pulls/comments/\\d+$`))
      .reply((uri, body) => {
        record('PATCH', uri);
        const comment = this.reviewComments.find((c) => c.id === Number(/comments\/(\d+)$/.exec(uri)![1]));
        if (!comment) return [404, { message: 'Not Found' }, json];
        comment.body = (body as { body: string }).body;
        return [200, comment, json];
      })
      .delete(new RegExp(`^${e(base)}/pulls/comments/\\d+$`))
      .reply((uri) => {
        record('DELETE', uri);
        const id = Number(/comments\/(\d+)$/.exec(uri)![1]);
        const index = this.reviewComments.findIndex((c) => c.id === id);
        if (index === -1) return [404, { message: 'Not Found' }, json];
        this.reviewComments.splice(index, 1);
        this.deletedComments.push(id);
        return [204, '', json];
      });
  }

  /** A review comment someone else wrote (a person, another app), to check ours never touch it. */
  addReviewComment(comment: Omit<FakeReviewComment, 'id'>): FakeReviewComment {
    const stored = { ...comment, id: this.nextId++ };
    this.reviewComments.push(stored);
    return stored;
  }

  /** A push to a pull request: comments on lines the new diff no longer shows become outdated (`line: null`), as on github.com. */
  outdateComments(pull: number): void {
    for (const comment of this.reviewComments) {
      if (comment.pull === pull && !this.commentableLines(pull, comment.path).has(comment.original_line)) comment.line = null;
    }
  }

  openPulls(): FakePull[] {
    return this.pulls.filter((p) => p.state === 'open');
  }

  /** The files a branch holds now. */
  filesOn(branch: string): Record<string, string> {
    const sha = this.branches[branch];
    const files = sha ? this.github.repo.files[sha] : undefined;
    if (!files) throw new Error(`no files for branch ${branch}`);
    return files;
  }

  /** New-side lines GitHub lets a review comment sit on: added and context lines of the file's patch. */
  commentableLines(pull: number, path: string): Set<number> {
    const listed = (this.github.repo.pullFiles[pull] ?? []).find((f) => typeof f !== 'string' && f.filename === path);
    const patch = listed && typeof listed !== 'string' ? listed.patch : undefined;
    const lines = new Set<number>();
    if (!patch) return lines;
    for (const hunk of parsePatch(patch)[0]?.hunks ?? []) {
      let line = hunk.newStart;
      for (const text of hunk.lines) {
        if (text.startsWith('-') || text.startsWith('\\')) continue;
        lines.add(line++);
      }
    }
    return lines;
  }

  private pullJson(p: FakePull) {
    const repo = this.github.repo;
    return {
      number: p.number,
      state: p.state,
      title: p.title,
      body: p.body,
      html_url: `https://github.com/${repo.owner}/${repo.repo}/pull/${p.number}`,
      user: p.user,
      head: { ref: p.head, sha: this.branches[p.head] ?? '0'.repeat(40), repo: { name: repo.repo, owner: { login: repo.owner } } },
      base: { ref: p.base, sha: this.branches[p.base] ?? '0'.repeat(40), repo: { name: repo.repo, owner: { login: repo.owner }, default_branch: p.base } },
      labels: [],
      merged_at: null,
      updated_at: '2026-11-28T12:00:00Z',
    };
  }

  private hasCommit(sha: string): boolean {
    return this.commits.has(sha) || this.github.repo.files[sha] !== undefined;
  }

  private commitOf(sha: string): FakeCommit | undefined {
    const created = this.commits.get(sha);
    if (created) return created;
    const files = this.github.repo.files[sha];
    return files ? { sha, tree: gitObjects(files).root, parents: [], message: 'fixture' } : undefined;
  }

  private ancestors(sha: string): string[] {
    const out: string[] = [];
    for (let c = this.commits.get(sha); c; c = this.commits.get(c.parents[0] ?? '')) out.push(...c.parents);
    return out;
  }

  private filesOfTree(tree: string): Record<string, string> | undefined {
    const created = this.trees.get(tree);
    if (created) return created;
    for (const files of Object.values(this.github.repo.files)) if (gitObjects(files).root === tree) return files;
    return undefined;
  }
}

function gitBlobSha(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let l = from; l <= to; l++) out.push(l);
  return out;
}
