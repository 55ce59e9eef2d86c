// The GitHub REST API a pull request run reads, answered from a local git repository: a real
// Octokit whose `fetch` is this class, so `realitycheck scan` runs the app's own readers
// (scope, templates, Terraform roots, snapshots, plans) with the same calls, the same
// pagination and the same payloads, and the demo's in-process GitHub (src/demo) answers
// what git has no part in (the Actions run that carries a `--plan` file). Git is asked
// lazily, one object at a time, so a large repository is not read whole.
//
// The head may be a commit with one file replaced (`overlay`, the MCP server's
// `check_change`): it gets an id of its own, so the in-process tree and blob caches of the
// readers (keyed by commit and blob id) never mix it up with the real commit.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { ProbotOctokit } from 'probot';
import { gitBlobSha } from '../github/read-files.js';
import type { Octokit } from '../github/octokit.js';
import { LocalGitHub } from '../demo/local-github.js';
import { checkObjectId, GitError, OBJECT_ID, runGit } from './run-git.js';

export interface LocalChange {
  /** The repository's top-level directory. */
  dir: string;
  owner: string;
  repo: string;
  /** Where configuration and snapshots are read (the tip of `--base`: the app's default branch). */
  baseSha: string;
  /** Where the change starts (merge base of `--base` and `--head`). */
  mergeBase: string;
  /** The commit checked out as head. */
  headCommit: string;
  /** One file of the head replaced (`check_change`); its text and git blob id. */
  overlay?: { path: string; text: string };
  /** The pull request number the readers ask for (any; there is no pull request). */
  number: number;
}

type Answer = { status: number; body: unknown };

export class GitGitHub {
  readonly calls: Array<{ method: string; path: string }> = [];
  /** The head as the readers see it: the commit, or an id of its own when a file is replaced. */
  readonly headSha: string;
  private readonly overlayBlob: string | undefined;
  private readonly actions: LocalGitHub;
  private readonly prefix: string;

  constructor(readonly change: LocalChange) {
    checkObjectId(change.baseSha);
    checkObjectId(change.mergeBase);
    checkObjectId(change.headCommit);
    this.prefix = `/repos/${change.owner}/${change.repo}`;
    this.overlayBlob = change.overlay ? gitBlobSha(change.overlay.text) : undefined;
    this.headSha = change.overlay
      ? createHash('sha1').update(`realitycheck overlay\0${change.headCommit}\0${change.overlay.path}\0${this.overlayBlob}`).digest('hex')
      : change.headCommit;
    this.actions = new LocalGitHub({
      owner: change.owner,
      repo: change.repo,
      defaultBranch: change.baseSha,
      files: {},
      runs: [],
      pull: { number: change.number, author: 'local', headRef: 'local', headSha: this.headSha, baseSha: change.baseSha, labels: [], body: '', updatedAt: new Date(0).toISOString(), commits: [] },
    });
  }

  /**
   * Serves a Terraform plan file as the app finds one: the artifact of a finished run of the
   * plan workflow for the head (`<artifact>.json` inside, zipped on download).
   */
  servePlan(plan: { artifact: string; workflow: string; file: string; text: string }): void {
    const runs = (this.actions.repository.runs ??= []);
    const id = 4_200_000_001 + runs.length;
    runs.push({
      id,
      name: `--plan ${plan.file}`,
      path: `.github/workflows/${plan.workflow}`,
      headSha: this.headSha,
      conclusion: 'success',
      createdAt: new Date().toISOString(),
      artifacts: [{ id: 900_001 + runs.length, name: plan.artifact, files: { [`${plan.artifact}.json`]: plan.text } }],
    });
  }

  octokit(): Octokit {
    const Local = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      retry: { enabled: false },
      throttle: { ...(options.throttle as object), enabled: false },
    }));
    return new Local({ auth: { token: 'local' }, request: { fetch: this.fetch } }) as Octokit;
  }

  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const method = (init?.method ?? 'GET').toUpperCase();
    this.calls.push({ method, path: url.pathname });
    if (method !== 'GET' || !url.pathname.startsWith(`${this.prefix}/`)) return this.actions.fetch(input, init);
    const path = url.pathname.slice(this.prefix.length);
    let answer: Answer | undefined;
    try {
      answer = await this.route(path, url);
    } catch (error) {
      // A git failure is GitHub's 500 to the readers (they fail the run); never a 404 ("absent").
      const message = error instanceof GitError ? error.message : String(error);
      answer = { status: 500, body: { message } };
    }
    if (!answer) return this.actions.fetch(input, init);
    if (typeof answer.body === 'string' || answer.body instanceof Buffer) {
      const bytes = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : answer.body;
      return new Response(new Uint8Array(bytes), { status: answer.status, headers: { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(bytes.length) } });
    }
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json; charset=utf-8' } });
  };

  private async route(path: string, url: URL): Promise<Answer | undefined> {
    let m: RegExpExecArray | null;
    if ((m = /^\/pulls\/\d+\/files$/.exec(path))) return ok(await this.changedFiles());
    if ((m = /^\/pulls\/\d+\/commits$/.exec(path))) return ok(await this.commits());
    if ((m = /^\/contents\/?(.*)$/.exec(path))) return this.contents(decodeURIComponent(m[1]!), url.searchParams.get('ref') ?? this.change.baseSha);
    if ((m = /^\/git\/trees\/([0-9a-f]+)$/.exec(path))) return this.tree(m[1]!, url.searchParams.get('recursive') !== null);
    if ((m = /^\/git\/blobs\/([0-9a-f]+)$/.exec(path))) return this.blob(m[1]!);
    if ((m = /^\/compare\/([0-9a-f]+)\.\.\.([0-9a-f]+)$/.exec(path))) return this.compare(m[1]!, m[2]!);
    return undefined;
  }

  /** The real commit behind an id the readers use; `undefined` for anything else (a branch name). */
  private commitOf(ref: string): string | undefined {
    if (ref === this.headSha) return this.change.headCommit;
    return OBJECT_ID.test(ref) ? ref : undefined;
  }

  private async changedFiles() {
    const { dir, mergeBase, headCommit, overlay } = this.change;
    const raw = await runGit(dir, ['diff-tree', '-r', '-z', '-M', '--no-commit-id', mergeBase, headCommit]);
    const files = parseRawDiff(raw!.toString('utf8'));
    if (!overlay || !this.overlayBlob) return files;
    const at = files.findIndex((f) => f.filename === overlay.path);
    const listed = at === -1 ? undefined : files.splice(at, 1)[0];
    const before = await this.entry(mergeBase, listed?.previous_filename ?? overlay.path);
    if (before?.sha === this.overlayBlob && !listed?.previous_filename) return files;
    const status = listed?.previous_filename ? 'renamed' : before ? 'modified' : 'added';
    files.push({ filename: overlay.path, status, sha: this.overlayBlob, ...(listed?.previous_filename ? { previous_filename: listed.previous_filename } : {}) });
    return files.sort((a, b) => a.filename.localeCompare(b.filename));
  }

  private async commits() {
    const { dir, mergeBase, headCommit } = this.change;
    // GitHub lists at most 250 commits of a pull request.
    const raw = await runGit(dir, ['log', '--max-count=250', '--reverse', '--format=%H%x1f%an%x1f%ae%x1f%B%x1e', `${mergeBase}..${headCommit}`]);
    return raw!
      .toString('utf8')
      .split('\x1e')
      .map((s) => s.replace(/^\n/, ''))
      .filter((s) => s.includes('\x1f'))
      .map((record) => {
        const [sha = '', name = '', email = '', message = ''] = record.split('\x1f');
        const login = loginOf(name, email);
        return { sha, commit: { message: message.replace(/\n+$/, ''), author: { name, email } }, author: login ? { login } : null, committer: null };
      });
  }

  private async contents(path: string, ref: string): Promise<Answer> {
    const commit = this.commitOf(ref);
    if (!commit) return notFound();
    const clean = path.replace(/^\/+|\/+$/g, '');
    if (ref === this.headSha && this.change.overlay && clean === this.change.overlay.path) return ok(this.change.overlay.text);
    if (clean === '') return ok(await this.listing(commit));
    const found = await this.entry(commit, clean);
    if (!found) return notFound();
    if (found.type === 'tree') return ok(await this.listing(found.sha, clean));
    if (found.type !== 'blob') return notFound();
    const bytes = await runGit(this.change.dir, ['cat-file', 'blob', found.sha]);
    return { status: 200, body: bytes! };
  }

  /** A directory as the contents API lists it (name, path, sha, type). */
  private async listing(treeish: string, dir = '') {
    const raw = await runGit(this.change.dir, ['ls-tree', '-z', '-l', treeish]);
    return parseLsTree(raw!.toString('utf8')).map((e) => {
      const full = dir === '' ? e.path : `${dir}/${e.path}`;
      const type = e.type === 'tree' ? 'dir' : e.type === 'commit' ? 'submodule' : e.mode === '120000' ? 'symlink' : 'file';
      return { name: posix.basename(full), path: full, sha: e.sha, size: e.size ?? 0, type };
    });
  }

  private async entry(commit: string, path: string) {
    const raw = await runGit(this.change.dir, ['ls-tree', '-z', '-l', '--full-tree', commit, '--', path], { missingOk: true });
    return parseLsTree(raw?.toString('utf8') ?? '').find((e) => e.path === path);
  }

  private async tree(sha: string, recursive: boolean): Promise<Answer> {
    const { dir, overlay } = this.change;
    const commit = this.commitOf(sha);
    if (!commit) return notFound();
    const rootTree = await runGit(dir, ['rev-parse', '--verify', '--quiet', `${commit}^{tree}`], { missingOk: true });
    if (!rootTree) return notFound();
    const raw = await runGit(dir, ['ls-tree', '-z', '-l', ...(recursive ? ['-r', '-t'] : []), commit]);
    let entries = parseLsTree(raw!.toString('utf8'));
    let treeSha = rootTree.toString('utf8').trim();
    if (sha === this.headSha && overlay && this.overlayBlob && recursive) {
      entries = withOverlay(entries, overlay.path, this.overlayBlob, Buffer.byteLength(overlay.text));
      treeSha = this.headSha;
    }
    const api = `https://api.github.com${this.prefix}`;
    const tree = entries.map((e) => ({
      path: e.path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      ...(e.size !== undefined ? { size: e.size } : {}),
      url: `${api}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`,
    }));
    return ok({ sha: treeSha, url: `${api}/git/trees/${treeSha}`, tree, truncated: false });
  }

  private async blob(sha: string): Promise<Answer> {
    const overlay = this.change.overlay;
    const bytes = sha === this.overlayBlob && overlay ? Buffer.from(overlay.text, 'utf8') : await runGit(this.change.dir, ['cat-file', 'blob', sha], { missingOk: true });
    if (!bytes) return notFound();
    // GitHub wraps the base64 content at 60 characters, with a final newline.
    const content = `${(bytes.toString('base64').match(/.{1,60}/g) ?? []).join('\n')}\n`;
    return ok({ sha, size: bytes.length, url: `https://api.github.com${this.prefix}/git/blobs/${sha}`, content, encoding: 'base64' });
  }

  private async compare(base: string, head: string): Promise<Answer> {
    const a = this.commitOf(base);
    const b = this.commitOf(head);
    if (!a || !b) return notFound();
    const out = await runGit(this.change.dir, ['merge-base', a, b], { missingOk: true });
    const sha = out?.toString('utf8').trim();
    // GitHub answers 404 when the two share no history.
    if (!sha) return { status: 404, body: { message: 'Not Found' } };
    return ok({ merge_base_commit: { sha }, commits: [], files: [] });
  }
}

function ok(body: unknown): Answer {
  return { status: 200, body };
}

function notFound(): Answer {
  return { status: 404, body: { message: 'Not Found' } };
}

interface LsTreeEntry {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  size?: number;
  path: string;
}

/** `git ls-tree -z -l`: `<mode> SP <type> SP <object> SP+ <size> TAB <path> NUL`. */
export function parseLsTree(raw: string): LsTreeEntry[] {
  return raw
    .split('\0')
    .filter(Boolean)
    .flatMap((line) => {
      const tab = line.indexOf('\t');
      const [mode, type, sha, size] = line.slice(0, tab).split(/ +/);
      if (tab === -1 || !mode || !sha || (type !== 'blob' && type !== 'tree' && type !== 'commit')) return [];
      return [{ mode, type, sha, path: line.slice(tab + 1), ...(size && size !== '-' ? { size: Number(size) } : {}) }];
    });
}

/** `git diff-tree -r -z -M`: each `:<modes> <ids> <status>` NUL `<path>` NUL (`<from>` NUL `<to>` NUL for renames and copies). */
export function parseRawDiff(raw: string) {
  const fields = raw.split('\0');
  const files: Array<{ filename: string; status: string; sha?: string; previous_filename?: string }> = [];
  const STATUS: Record<string, string> = { A: 'added', D: 'removed', M: 'modified', T: 'changed', R: 'renamed', C: 'copied' };
  for (let i = 0; i < fields.length; i++) {
    const header = fields[i]!;
    if (!header.startsWith(':')) continue;
    const [, , , after, status = ''] = header.slice(1).split(' ');
    const letter = status.charAt(0);
    const two = letter === 'R' || letter === 'C';
    const from = fields[++i] ?? '';
    const to = two ? (fields[++i] ?? '') : from;
    const sha = letter !== 'D' && after && !/^0+$/.test(after) ? after : undefined;
    files.push({ filename: to, status: STATUS[letter] ?? 'modified', ...(sha ? { sha } : {}), ...(two ? { previous_filename: from } : {}) });
  }
  return files.sort((a, b) => a.filename.localeCompare(b.filename));
}

/** A recursive listing with one file's blob replaced (or added, with its directories); directories above it get ids of their own. */
function withOverlay(entries: LsTreeEntry[], path: string, blob: string, size: number): LsTreeEntry[] {
  const dirs: string[] = [];
  for (let d = posix.dirname(path); d !== '.'; d = posix.dirname(d)) dirs.push(d);
  const out = entries.filter((e) => e.path !== path);
  for (const dir of dirs) {
    const existing = out.find((e) => e.path === dir && e.type === 'tree');
    const id = createHash('sha1').update(`realitycheck overlay tree\0${existing?.sha ?? ''}\0${blob}`).digest('hex');
    if (existing) existing.sha = id;
    else out.push({ mode: '040000', type: 'tree', sha: id, path: dir });
  }
  out.push({ mode: '100644', type: 'blob', sha: blob, size, path });
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** A GitHub login from a commit's author: `<id>+<login>@users.noreply.github.com`, or a `[bot]` name. */
function loginOf(name: string, email: string): string | undefined {
  const noreply = /^(?:\d+\+)?([A-Za-z0-9-]+(?:\[bot\])?)@users\.noreply\.github\.com$/i.exec(email);
  if (noreply) return noreply[1];
  return /\[bot\]$/.test(name) ? name : undefined;
}
