// AI authorship: did a coding agent write this pull request? Pure; the markers live in
// ai-signals.json (with where each was checked), the rules for reading them live here.
//
// Precision over recall: under `policy.ai: strict` a match blocks the pull request, so a
// signal needs something only an agent produces — an account, an address the vendor owns,
// a branch shape or a whole line the tool writes. A co-author's *name* never counts
// ("Claude Dupont <claude@example.com>" is a person), and neither does prose that mentions
// an agent.
//
// Untrusted text is bounded before any pattern sees it: trailers are read from the last
// 4 KB of a commit message, markers from the last 16 KB of a commit message and the first
// 64 KB of the description, one line (at most 1,000 characters) at a time.
import data from './ai-signals.json' with { type: 'json' };

export interface AuthorshipInput {
  /** `pull_request.user.login`. */
  author: string;
  /** `pull_request.user.type`: `Bot` or `User`. */
  authorType?: string;
  /** Head branch name. */
  headRef: string;
  labels: string[];
  /** Pull request description. */
  body?: string;
  commits: Array<{ sha: string; message: string; authorLogin?: string; committerLogin?: string; authorEmail?: string }>;
}

/**
 * Repository additions (from config) to the built-in lists:
 * - `authors`: logins, compared exactly ignoring case, like the built-in ones: the pull
 *   request author, a commit's author or committer, and the login inside a GitHub noreply
 *   address in a Co-authored-by trailer or commit e-mail.
 * - `trailers`: regular expression sources (case-insensitive) tested against the whole
 *   value of each `Co-authored-by:` trailer, `Name <email>` — anchor the address to match
 *   only it: `<bot@ai\.example\.com>$`. Check them with `checkAiPattern` when loading config.
 * - `labels`: pull request labels, compared exactly ignoring case.
 */
export interface AuthorshipExtra {
  authors?: string[];
  trailers?: string[];
  labels?: string[];
}

export interface AuthorshipSignal {
  kind: 'author' | 'commit-author' | 'trailer' | 'marker' | 'branch' | 'label';
  agent: string;
  /** What matched, in plain text (the report escapes it). */
  detail: string;
  /** Full sha of the first commit that carried the signal. */
  commit?: string;
}

export interface Authorship {
  aiAuthored: boolean;
  signals: AuthorshipSignal[];
}

const TRAILER_WINDOW = 4 * 1024;
const COMMIT_MARKER_WINDOW = 16 * 1024;
const BODY_MARKER_WINDOW = 64 * 1024;
const MAX_LINE = 1000;
const MAX_QUOTE = 200;
const FLAGS = 'iu';

// ---------------------------------------------------------------- the data file

interface Patterned {
  agent: string;
  pattern: RegExp;
}

const LOGINS = new Map<string, string>(data.logins.map((e) => [e.login.toLowerCase(), e.agent]));
const EMAILS: Patterned[] = data.emails.map((e) => ({ agent: e.agent, pattern: new RegExp(e.pattern, FLAGS) }));
const TRAILERS = data.trailers.map((e) => ({ agent: e.agent, key: e.key.toLowerCase(), pattern: new RegExp(e.pattern, FLAGS) }));
const MARKERS: Patterned[] = data.markers.map((e) => ({ agent: e.agent, pattern: new RegExp(e.pattern, FLAGS) }));
const BRANCHES: Patterned[] = data.branches.map((e) => ({ agent: e.agent, pattern: new RegExp(e.pattern, FLAGS) }));
const LABELS = new Map<string, string>(data.labels.map((e) => [e.label.toLowerCase(), e.agent]));

/** Agent name used for matches that come from the repository's config. */
export const CONFIGURED_AGENT = 'AI agent (repository config)';

/** `undefined` when `source` compiles as a case-insensitive pattern, else why not (for config validation). */
export function checkAiPattern(source: string): string | undefined {
  try {
    new RegExp(source, FLAGS);
    return undefined;
  } catch (error) {
    return `"${source}" is not a valid regular expression: ${(error as Error).message}`;
  }
}

// ---------------------------------------------------------------- detection

export function detectAiAuthorship(input: AuthorshipInput, extra: AuthorshipExtra = {}): Authorship {
  const logins = new Map(LOGINS);
  for (const login of extra.authors ?? []) logins.set(login.toLowerCase(), logins.get(login.toLowerCase()) ?? CONFIGURED_AGENT);
  const labels = new Map(LABELS);
  for (const label of extra.labels ?? []) labels.set(label.toLowerCase(), labels.get(label.toLowerCase()) ?? CONFIGURED_AGENT);
  const coAuthorPatterns = (extra.trailers ?? []).map((source) => {
    const problem = checkAiPattern(source);
    if (problem) throw new Error(`AI trailer pattern from config: ${problem}`);
    return new RegExp(source, FLAGS);
  });

  const signals = new SignalList();

  const authorAgent = logins.get(input.author.toLowerCase());
  if (authorAgent) {
    const account = input.authorType === 'Bot' ? 'bot account' : 'account';
    signals.add({ kind: 'author', agent: authorAgent, detail: `pull request opened by ${input.author} (${account})` });
  }

  for (const { agent, pattern } of BRANCHES) {
    if (pattern.test(input.headRef.slice(0, MAX_LINE))) signals.add({ kind: 'branch', agent, detail: `branch ${quote(input.headRef)}` });
  }

  for (const label of input.labels) {
    const agent = labels.get(label.toLowerCase());
    if (agent) signals.add({ kind: 'label', agent, detail: `label ${quote(label)}` });
  }

  for (const line of readableLines(input.body ?? '', 'head', BODY_MARKER_WINDOW)) {
    for (const { agent, pattern } of MARKERS) {
      if (pattern.test(line)) signals.add({ kind: 'marker', agent, detail: `pull request description: ${quote(line.trim())}` });
    }
  }

  for (const commit of input.commits) {
    const short = commit.sha.slice(0, 7);
    const where = { commit: commit.sha, short };

    for (const [role, login] of [['author', commit.authorLogin], ['committer', commit.committerLogin]] as const) {
      const agent = login === undefined ? undefined : logins.get(login.toLowerCase());
      if (agent) signals.add({ kind: 'commit-author', agent, detail: `commit ${role} ${login}` }, where);
    }
    if (commit.authorEmail !== undefined) {
      const agent = agentForEmail(commit.authorEmail, logins);
      if (agent) signals.add({ kind: 'commit-author', agent, detail: `commit author e-mail ${commit.authorEmail.slice(0, MAX_QUOTE)}` }, where);
    }

    for (const trailer of parseTrailers(commit.message)) {
      const text = `${trailer.key}: ${trailer.value}`.slice(0, MAX_QUOTE);
      if (trailer.key.toLowerCase() === 'co-authored-by') {
        const email = /<([^<>\s]+)>\s*$/.exec(trailer.value)?.[1];
        const agent = email === undefined ? undefined : agentForEmail(email, logins);
        if (agent) signals.add({ kind: 'trailer', agent, detail: text }, where);
        else if (coAuthorPatterns.some((p) => p.test(trailer.value))) signals.add({ kind: 'trailer', agent: CONFIGURED_AGENT, detail: text }, where);
        continue;
      }
      for (const { agent, key, pattern } of TRAILERS) {
        if (trailer.key.toLowerCase() === key && pattern.test(trailer.value.trim())) signals.add({ kind: 'trailer', agent, detail: text }, where);
      }
    }

    for (const line of readableLines(commit.message, 'tail', COMMIT_MARKER_WINDOW)) {
      for (const { agent, pattern } of MARKERS) {
        if (pattern.test(line)) signals.add({ kind: 'marker', agent, detail: quote(line.trim()) }, where);
      }
    }
  }

  const list = signals.list();
  return { aiAuthored: list.length > 0, signals: list };
}

/** The agent behind an address: a vendor address, or a GitHub noreply address of an agent's login. */
function agentForEmail(email: string, logins: ReadonlyMap<string, string>): string | undefined {
  const address = email.trim().slice(0, MAX_QUOTE);
  const noreply = /^(?:\d+\+)?([^@\s]+)@users\.noreply\.github\.com$/i.exec(address);
  if (noreply) return logins.get(noreply[1]!.toLowerCase());
  return EMAILS.find((e) => e.pattern.test(address))?.agent;
}

// ---------------------------------------------------------------- text

export interface Trailer {
  key: string;
  value: string;
}

const TRAILER_LINE = /^([A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$/;

/**
 * The trailers of a commit message, read like `git interpret-trailers`: the last paragraph
 * (never the subject paragraph), when every line in it is a `Key: value` trailer or a
 * whitespace-indented continuation, or at least a quarter of its lines are trailers (so a
 * footer line such as "🤖 Generated with ..." directly above `Co-Authored-By:` does not
 * hide it). Keys keep their casing; compare them ignoring case. Only the last 4 KB is read.
 */
export function parseTrailers(message: string): Trailer[] {
  const truncated = message.length > TRAILER_WINDOW;
  let text = message.slice(-TRAILER_WINDOW).replace(/\r\n?/g, '\n');
  if (truncated) text = text.slice(text.indexOf('\n') + 1); // drop the cut first line

  const paragraphs = text.split(/\n[ \t]*\n/).map((p) => p.replace(/^\n+|\s+$/g, '')).filter((p) => p !== '');
  if (paragraphs.length === 0 || (paragraphs.length === 1 && !truncated)) return [];
  const lines = paragraphs[paragraphs.length - 1]!.split('\n');

  const trailers: Trailer[] = [];
  let other = 0;
  for (const line of lines) {
    const match = TRAILER_LINE.exec(line);
    if (match) trailers.push({ key: match[1]!, value: match[2]!.trim() });
    else if (/^[ \t]/.test(line) && trailers.length > 0) trailers[trailers.length - 1]!.value += ` ${line.trim()}`;
    else other += 1;
  }
  if (trailers.length === 0) return [];
  if (other > 0 && trailers.length * 4 < lines.length) return [];
  return trailers;
}

/**
 * Lines a marker may sit on: at most `window` characters from the `head` or `tail` of the
 * text, each line cut at 1,000 characters, skipping fenced code blocks and `>` quotes (a
 * description that quotes an agent's footer is talking about it, not written by it).
 */
function readableLines(text: string, from: 'head' | 'tail', window: number): string[] {
  const part = from === 'head' ? text.slice(0, window) : text.slice(-window);
  const lines: string[] = [];
  let fence: string | undefined;
  for (const raw of part.split(/\r\n?|\n/)) {
    const line = raw.slice(0, MAX_LINE);
    const opener = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (opener !== undefined && opener[0] === fence[0] && opener.length >= fence.length) fence = undefined;
      continue;
    }
    if (opener !== undefined) {
      fence = opener;
      continue;
    }
    if (/^\s{0,3}>/.test(line)) continue;
    lines.push(line);
  }
  return lines;
}

function quote(text: string): string {
  const cut = text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE - 1)}…` : text;
  return `"${cut}"`;
}

// ---------------------------------------------------------------- collecting

/**
 * One signal per kind, agent and matched text: the first commit that carried it is named,
 * later ones are counted ("in commit 1a2b3c4 and 11 more commits").
 */
class SignalList {
  private readonly byKey = new Map<string, { signal: AuthorshipSignal; short?: string; commits: Set<string> }>();

  add(signal: AuthorshipSignal, where?: { commit: string; short: string }): void {
    const key = `${signal.kind}\u0000${signal.agent}\u0000${signal.detail}`;
    const seen = this.byKey.get(key);
    if (seen) {
      if (where) seen.commits.add(where.commit);
      return;
    }
    this.byKey.set(key, {
      signal: where ? { ...signal, commit: where.commit } : signal,
      short: where?.short,
      commits: new Set(where ? [where.commit] : []),
    });
  }

  list(): AuthorshipSignal[] {
    return [...this.byKey.values()].map(({ signal, short, commits }) => {
      if (short === undefined) return signal;
      const more = commits.size - 1;
      const others = more === 0 ? '' : ` and ${more} more commit${more === 1 ? '' : 's'}`;
      return { ...signal, detail: `${signal.detail} (commit ${short}${others})` };
    });
  }
}
