import { describe, expect, it } from 'vitest';
import {
  checkAiPattern,
  CONFIGURED_AGENT,
  detectAiAuthorship,
  parseTrailers,
  type AuthorshipExtra,
  type AuthorshipInput,
} from '../../src/analyze/ai-authorship.js';
import signals from '../../src/analyze/ai-signals.json' with { type: 'json' };

const SHA = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';
const SHA2 = '9f8e7d6c5b4a39281706f5e4d3c2b1a098f7e6d5';

function pr(over: Partial<AuthorshipInput> = {}): AuthorshipInput {
  return { author: 'octocat', authorType: 'User', headRef: 'fix-queue-timeout', labels: [], body: 'Raise the timeout.', commits: [], ...over };
}

function commit(message: string, over: Partial<AuthorshipInput['commits'][number]> = {}): AuthorshipInput['commits'][number] {
  return { sha: SHA, message, authorLogin: 'octocat', committerLogin: 'web-flow', authorEmail: 'octocat@example.com', ...over };
}

const withTrailer = (trailer: string) => pr({ commits: [commit(`Raise the queue timeout\n\nThe consumer needs longer.\n\n${trailer}\n`)] });
const withMessage = (message: string) => pr({ commits: [commit(message)] });

describe('an AI-authored pull request is recognised', () => {
  it.each<[string, AuthorshipInput, string, string]>([
    // pull request author
    ['opened by the Copilot coding agent', pr({ author: 'Copilot', authorType: 'Bot' }), 'GitHub Copilot coding agent', 'pull request opened by Copilot (bot account)'],
    ['opened by copilot-swe-agent[bot]', pr({ author: 'copilot-swe-agent[bot]', authorType: 'Bot' }), 'GitHub Copilot coding agent', 'copilot-swe-agent[bot]'],
    ['opened by Devin', pr({ author: 'devin-ai-integration[bot]', authorType: 'Bot' }), 'Devin', 'devin-ai-integration[bot]'],
    ['opened by the Claude GitHub app', pr({ author: 'claude[bot]', authorType: 'Bot' }), 'Claude', 'claude[bot]'],
    ['opened by the Codex connector', pr({ author: 'chatgpt-codex-connector[bot]', authorType: 'Bot' }), 'OpenAI Codex', 'chatgpt-codex-connector[bot]'],
    ['opened by Jules', pr({ author: 'google-labs-jules[bot]', authorType: 'Bot' }), 'Jules', 'google-labs-jules[bot]'],
    ['opened by a Cursor cloud agent', pr({ author: 'cursor[bot]', authorType: 'Bot' }), 'Cursor', 'cursor[bot]'],
    ['opened by Amazon Q Developer', pr({ author: 'amazon-q-developer[bot]', authorType: 'Bot' }), 'Amazon Q Developer', 'amazon-q-developer[bot]'],
    ['opened by the OpenHands agent account', pr({ author: 'openhands-agent' }), 'OpenHands', 'pull request opened by openhands-agent (account)'],
    ['opened by Sweep', pr({ author: 'sweep-ai[bot]', authorType: 'Bot' }), 'Sweep', 'sweep-ai[bot]'],
    ['whose author login differs only in case', pr({ author: 'COPILOT' }), 'GitHub Copilot coding agent', 'COPILOT'],
    // commit author
    ['with a commit authored by Copilot', pr({ commits: [commit('Fix', { authorLogin: 'Copilot', authorEmail: '198982749+Copilot@users.noreply.github.com' })] }), 'GitHub Copilot coding agent', 'commit author Copilot (commit 1a2b3c4)'],
    ['with a commit whose author e-mail is claude[bot]', pr({ commits: [commit('Fix', { authorLogin: undefined, authorEmail: '209825114+claude[bot]@users.noreply.github.com' })] }), 'Claude', 'commit author e-mail 209825114+claude[bot]@users.noreply.github.com (commit 1a2b3c4)'],
    ['with a commit whose author e-mail is Cursor Agent', pr({ commits: [commit('Fix', { authorLogin: undefined, authorEmail: 'cursoragent@cursor.com' })] }), 'Cursor', 'cursoragent@cursor.com'],
    // Co-authored-by trailers
    ['co-authored by Claude Code', withTrailer('Co-Authored-By: Claude <noreply@anthropic.com>'), 'Claude Code', 'Co-Authored-By: Claude <noreply@anthropic.com> (commit 1a2b3c4)'],
    ['co-authored by a named Claude model', withTrailer('Co-authored-by: Claude Opus 4.5 <noreply@anthropic.com>'), 'Claude Code', 'Claude Opus 4.5'],
    ['co-authored by the Claude app', withTrailer('Co-authored-by: claude[bot] <209825114+claude[bot]@users.noreply.github.com>'), 'Claude', 'claude[bot]'],
    ['co-authored by Copilot', withTrailer('Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>'), 'GitHub Copilot coding agent', '+Copilot@users.noreply.github.com'],
    ['co-authored by Cursor Agent', withTrailer('Co-authored-by: Cursor Agent <cursoragent@cursor.com>'), 'Cursor', 'Cursor Agent'],
    ['co-authored by Codex', withTrailer('Co-authored-by: Codex <noreply@openai.com>'), 'OpenAI Codex', 'noreply@openai.com'],
    ['co-authored by Devin', withTrailer('Co-Authored-By: Devin <158243242+devin-ai-integration[bot]@users.noreply.github.com>'), 'Devin', 'devin-ai-integration[bot]'],
    ['co-authored by Jules', withTrailer('Co-authored-by: google-labs-jules[bot] <161369871+google-labs-jules[bot]@users.noreply.github.com>'), 'Jules', 'google-labs-jules[bot]'],
    ['co-authored by aider', withTrailer('Co-authored-by: aider (gpt-4o) <noreply@aider.chat>'), 'Aider', 'aider (gpt-4o)'],
    ['co-authored by aider with its older address', withTrailer('Co-authored-by: aider (claude-sonnet-4) <aider@aider.chat>'), 'Aider', 'aider@aider.chat'],
    ['co-authored by OpenHands', withTrailer('Co-authored-by: openhands <openhands@all-hands.dev>'), 'OpenHands', 'openhands@all-hands.dev'],
    ['co-authored in lower-case trailer spelling', withTrailer('co-authored-by: Claude <NOREPLY@ANTHROPIC.COM>'), 'Claude Code', 'co-authored-by:'],
    ['made with Cursor', withTrailer('Made-with: Cursor'), 'Cursor', 'Made-with: Cursor'],
    ['co-authored by an agent among other trailers', withTrailer('Signed-off-by: Ana Silva <ana@example.com>\nCo-authored-by: Codex <noreply@openai.com>\nReviewed-by: Bo <bo@example.com>'), 'OpenAI Codex', 'Codex'],
    ['co-authored with the Claude Code footer in the same paragraph', withMessage('Fix\n\nBody.\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\nCo-Authored-By: Claude <noreply@anthropic.com>'), 'Claude Code', 'Co-Authored-By: Claude'],
    ['co-authored in a GitHub squash commit', withMessage('Add queue (#12)\n\n* Add queue\n\n* Tune timeout\n\nCo-authored-by: triqbit <2428334+triqbit@users.noreply.github.com>\n\n---------\n\nCo-authored-by: google-labs-jules[bot] <161369871+google-labs-jules[bot]@users.noreply.github.com>\nCo-authored-by: triqbit <2428334+triqbit@users.noreply.github.com>'), 'Jules', 'google-labs-jules[bot]'],
    ['co-authored in a commit with Windows line endings', withMessage('Fix\r\n\r\nBody.\r\n\r\nCo-Authored-By: Claude <noreply@anthropic.com>\r\n'), 'Claude Code', 'noreply@anthropic.com'],
    // markers
    ['whose commit carries the Claude Code footer', withMessage('Fix\n\n🤖 Generated with [Claude Code](https://claude.ai/code)\n\nSigned-off-by: Ana <ana@example.com>'), 'Claude Code', '"🤖 Generated with [Claude Code](https://claude.ai/code)" (commit 1a2b3c4)'],
    ['whose description carries the Claude Code footer', pr({ body: '## Summary\nRaise it.\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)' }), 'Claude Code', 'pull request description: "🤖 Generated with [Claude Code](https://claude.com/claude-code)"'],
    ['whose description links the Devin run', pr({ body: 'Raise it.\n\nLink to Devin run: https://app.devin.ai/sessions/98463f85a4214ec2a343a24c9b4b432a\nRequested by: @nishio' }), 'Devin', 'Link to Devin run'],
    ['whose commit carries the Devin footer', withMessage('Fix\n\nGenerated with [Devin](https://devin.ai)\n\nCo-Authored-By: Ana <ana@example.com>'), 'Devin', 'Generated with [Devin]'],
    ['whose description ends with the Codex task link', pr({ body: '## Summary\n- raise timeout\n\n------\nhttps://chatgpt.com/codex/tasks/task_e_68d363c50e808324a80ee63f59ed68ab' }), 'OpenAI Codex', 'chatgpt.com/codex/tasks/task_e_68d363c50e808324a80ee63f59ed68ab'],
    ['whose description has the Jules footer', pr({ body: 'Fixes #897\n\n---\n*PR created automatically by Jules for task [10568282859807385424](https://jules.google.com/task/10568282859807385424) started by @arii*' }), 'Jules', 'PR created automatically by Jules'],
    ['whose description links the Cursor cloud agent', pr({ body: 'Add badge.\n\n---\n<a href="https://cursor.com/background-agent?bcId=bc-bb0e74c1-8ac8-471a-ad1e-b7c066d3a85a">' }), 'Cursor', 'bc-bb0e74c1'],
    ['whose description says it was made with Cursor', pr({ body: 'Update docs.\n\nMade with [Cursor](https://cursor.com)' }), 'Cursor', 'Made with [Cursor]'],
    // branches and labels
    ['on a copilot/ branch', pr({ headRef: 'copilot/fix-queue-timeout' }), 'GitHub Copilot coding agent', 'branch "copilot/fix-queue-timeout"'],
    ['on a codex/ branch', pr({ headRef: 'codex/raise-timeout' }), 'OpenAI Codex', 'codex/raise-timeout'],
    ['on a cursor/ branch', pr({ headRef: 'cursor/raise-timeout-1a2b' }), 'Cursor', 'cursor/raise-timeout-1a2b'],
    ['on a Devin branch', pr({ headRef: 'devin/1762172553-pr-audit-report' }), 'Devin', 'devin/1762172553'],
    ['on a claude-code-action branch', pr({ headRef: 'claude/issue-42-20250611-1432' }), 'Claude', 'claude/issue-42'],
    ['on a Claude Code web session branch', pr({ headRef: 'claude/create-ace-context-md-011CUUG1B8WM9uWwRvgYRZK6' }), 'Claude Code', '011CUUG1B8WM9uWwRvgYRZK6'],
    ['labelled ai-generated', pr({ labels: ['infra', 'AI-Generated'] }), 'AI agent', 'label "AI-Generated"'],
  ])('%s', (_name, input, agent, detail) => {
    const result = detectAiAuthorship(input);
    expect(result.aiAuthored).toBe(true);
    expect(result.signals.map((s) => s.agent)).toContain(agent);
    expect(result.signals.find((s) => s.agent === agent)!.detail).toContain(detail);
  });

  it('names the commit a trailer came from and counts the others carrying it', () => {
    const trailer = '\n\nCo-Authored-By: Claude <noreply@anthropic.com>';
    const result = detectAiAuthorship(pr({ commits: [commit(`One${trailer}`), commit(`Two${trailer}`, { sha: SHA2 }), commit(`Three${trailer}`, { sha: SHA2 })] }));
    expect(result.signals).toEqual([
      { kind: 'trailer', agent: 'Claude Code', commit: SHA, detail: 'Co-Authored-By: Claude <noreply@anthropic.com> (commit 1a2b3c4 and 1 more commit)' },
    ]);
  });

  it('lists every kind of evidence a Copilot pull request leaves', () => {
    const result = detectAiAuthorship(
      pr({
        author: 'Copilot',
        authorType: 'Bot',
        headRef: 'copilot/raise-timeout',
        commits: [commit('Raise timeout\n\nCo-authored-by: octocat <583231+octocat@users.noreply.github.com>', { authorLogin: 'Copilot', authorEmail: '198982749+Copilot@users.noreply.github.com' })],
      }),
    );
    expect(result.signals.map((s) => s.kind)).toEqual(['author', 'branch', 'commit-author', 'commit-author']);
  });
});

describe('a repository can name its own agents', () => {
  const extra: AuthorshipExtra = { authors: ['acme-coder[bot]'], trailers: ['<coder@ai\\.acme\\.example>$'], labels: ['written-by-bot'] };

  it.each<[string, AuthorshipInput, AuthorshipExtra, string]>([
    ['its agent account opens the pull request', pr({ author: 'Acme-Coder[bot]' }), extra, 'pull request opened by Acme-Coder[bot]'],
    ['its agent account authors a commit', pr({ commits: [commit('Fix', { authorLogin: 'acme-coder[bot]' })] }), extra, 'commit author acme-coder[bot]'],
    ['its agent account co-authors through a GitHub noreply address', withTrailer('Co-authored-by: Coder <99+acme-coder[bot]@users.noreply.github.com>'), extra, 'Co-authored-by: Coder'],
    ['its trailer pattern matches a co-author', withTrailer('Co-authored-by: Acme Coder <coder@ai.acme.example>'), extra, 'Co-authored-by: Acme Coder <coder@ai.acme.example>'],
    ['its label is on the pull request', pr({ labels: ['Written-By-Bot'] }), extra, 'label "Written-By-Bot"'],
  ])('flags a pull request when %s', (_name, input, config, detail) => {
    const result = detectAiAuthorship(input, config);
    expect(result.aiAuthored).toBe(true);
    expect(result.signals).toHaveLength(1);
    expect(result.signals[0]!.agent).toBe(CONFIGURED_AGENT);
    expect(result.signals[0]!.detail).toContain(detail);
  });

  it('keeps the built-in agent name when config repeats a known login', () => {
    expect(detectAiAuthorship(pr({ author: 'Copilot' }), { authors: ['copilot'] }).signals[0]!.agent).toBe('GitHub Copilot coding agent');
  });

  it('does not flag anything without the extra config', () => {
    expect(detectAiAuthorship(pr({ author: 'acme-coder[bot]', labels: ['written-by-bot'] })).aiAuthored).toBe(false);
  });

  it('explains a trailer pattern that does not compile', () => {
    expect(checkAiPattern('<coder@(ai')).toMatch(/^"<coder@\(ai" is not a valid regular expression: /);
    expect(checkAiPattern('<coder@ai\\.acme\\.example>$')).toBeUndefined();
    expect(() => detectAiAuthorship(pr(), { trailers: ['(unclosed'] })).toThrow(/AI trailer pattern from config/);
  });
});

describe("a person's pull request is not flagged", () => {
  it.each<[string, AuthorshipInput]>([
    ['a human author with ordinary commits', pr({ commits: [commit('Raise the queue timeout\n\nSigned-off-by: Ana Silva <ana@example.com>')] })],
    ['a human co-author called Claude', withTrailer('Co-authored-by: Claude Dupont <claude@example.com>')],
    ['a human co-author called Devin on GitHub noreply', withTrailer('Co-authored-by: Devin Lee <4242+devin@users.noreply.github.com>')],
    ['a human whose login is claude', pr({ author: 'claude', commits: [commit('Fix', { authorLogin: 'claude', authorEmail: '77+claude@users.noreply.github.com' })] })],
    ['a person at Anthropic co-authoring with their own address', withTrailer('Co-authored-by: Claude Martin <claude.martin@anthropic.com>')],
    ['a commit message that mentions Copilot in prose', withMessage('Raise the timeout Copilot suggested\n\nCopilot pointed out that the consumer needs longer.\nThanks to Claude <noreply@anthropic.com> for the idea, and to Codex too.')],
    ['a one-line commit that is shaped like a trailer', withMessage('Co-authored-by: Claude <noreply@anthropic.com>')],
    ['a trailer quoted in the middle of a commit body', withMessage('Strip AI trailers\n\nRemove lines like\nCo-authored-by: Claude <noreply@anthropic.com>\nfrom our commits.\n\nSigned-off-by: Ana <ana@example.com>')],
    ['a trailer quoted among prose in the last paragraph', withMessage('Strip AI trailers\n\nOur hook now removes lines like\nCo-authored-by: Claude <noreply@anthropic.com>\nbefore the commit is written, so\nhistory stays clean.\nSee the hook for details.')],
    ['a description that quotes the Claude Code footer in a code block', pr({ body: 'Strip the footer:\n\n```\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\n```' })],
    ['a description that mentions Claude Code in a sentence', pr({ body: 'The footer "Generated with [Claude Code](https://claude.com/claude-code)" is stripped by our hook.' })],
    ["a description with the Devin Review badge, which Devin adds to anyone's PR", pr({ body: 'Fix.\n\n<a href="https://app.devin.ai/review/git-ai-project/git-ai/pull/1203" target="_blank">Open in Devin Review</a>' })],
    ['dependabot', pr({ author: 'dependabot[bot]', authorType: 'Bot', headRef: 'dependabot/npm_and_yarn/yaml-2.9.1', labels: ['dependencies'] })],
    ['renovate', pr({ author: 'renovate[bot]', authorType: 'Bot', headRef: 'renovate/aws-sdk-monorepo' })],
    ['a branch that only starts with the letters copilot', pr({ headRef: 'copilotage-fix' })],
    ['a branch named for a person called Claude', pr({ headRef: 'claude/fix-queue-timeout' })],
    ['a branch named for a person called Devin', pr({ headRef: 'devin/raise-timeout' })],
    ['a branch with an agent name further along', pr({ headRef: 'fix/copilot/queue' })],
    ['a label that only mentions AI', pr({ labels: ['ai', 'not-ai-generated', 'copilot'] })],
    ['an unknown bot', pr({ author: 'acme-release[bot]', authorType: 'Bot' })],
  ])('%s', (_name, input) => {
    expect(detectAiAuthorship(input)).toEqual({ aiAuthored: false, signals: [] });
  });

  // The Cursor cloud-agent link is the one marker not anchored at the start of its line, so
  // it is the one a `>` quote would match if quoted lines were read: the same line
  // unquoted is flagged, quoted it is not.
  const cursorLink = '<a href="https://cursor.com/background-agent?bcId=bc-bb0e74c1-8ac8-471a-ad1e-b7c066d3a85a">';
  it.each<[string, (line: string) => AuthorshipInput]>([
    ['a description', (line) => pr({ body: `We now strip agent links such as:\n${line}\nfrom pull requests.` })],
    ['a commit message', (line) => withMessage(`Strip agent links\n\nSuch as:\n${line}\n\nSigned-off-by: Ana <ana@example.com>`)],
  ])('%s that quotes an agent link in a > quote', (_where, make) => {
    expect(detectAiAuthorship(make(cursorLink)).signals.map((s) => [s.kind, s.agent])).toEqual([['marker', 'Cursor']]);
    for (const quoted of [`> ${cursorLink}`, `>> ${cursorLink}`, `   >${cursorLink}`]) {
      expect(detectAiAuthorship(make(quoted)), quoted).toEqual({ aiAuthored: false, signals: [] });
    }
  });

  it.each(signals.notAgents.map((n) => [n.login, n.reason]))('%s (%s) matches no agent login', (login) => {
    expect(detectAiAuthorship(pr({ author: login, authorType: 'Bot', commits: [commit('Bump', { authorLogin: login, authorEmail: `1+${login}@users.noreply.github.com` })] })).aiAuthored).toBe(false);
  });
});

describe('trailers are read from the end of the message', () => {
  it.each<[string, string, Array<[string, string]>]>([
    ['the last paragraph', 'Fix\n\nBody\n\nSigned-off-by: A <a@x>\nCo-Authored-By: B <b@x>', [['Signed-off-by', 'A <a@x>'], ['Co-Authored-By', 'B <b@x>']]],
    ['continuation lines', 'Fix\n\nNote: one\n  two', [['Note', 'one two']]],
    ['nothing from a subject-only message', 'Fix: the thing', []],
    ['nothing from a prose paragraph', 'Fix\n\nThis explains: why.\nAnd more.\nAnd more.\nAnd more.\nAnd more.', []],
    ['nothing when trailer-shaped lines are under a quarter of the paragraph', 'Fix\n\nWe looked at it.\nNote: the queue\nwas slow.\nIt is not now.\nDone.', []],
    ['trailing blank lines', 'Fix\n\nSigned-off-by: A <a@x>\n\n\n', [['Signed-off-by', 'A <a@x>']]],
  ])('%s', (_name, message, expected) => {
    expect(parseTrailers(message).map((t) => [t.key, t.value])).toEqual(expected);
  });

  it('finds the trailer after a very long body', () => {
    const message = `Squash\n\n${'* a change line\n'.repeat(50_000)}\nCo-Authored-By: Claude <noreply@anthropic.com>`;
    expect(detectAiAuthorship(withMessage(message)).signals.map((s) => s.kind)).toEqual(['trailer']);
  });

  // How long it takes is measured by `npm run bench` (benchAuthorship), never asserted here.
  it('flags nothing in hostile input built to look like trailers and markers', () => {
    const hostile = `${'Co-authored-by: ' + ' '.repeat(100_000)}\n\n${'a:'.repeat(200_000)}\n${'<'.repeat(100_000)}`;
    expect(detectAiAuthorship(pr({ body: hostile, headRef: 'x'.repeat(100_000), commits: [commit(hostile)] }))).toEqual({ aiAuthored: false, signals: [] });
  });
});

describe('the signal list', () => {
  it('says where every entry comes from', () => {
    const entries = [...signals.logins, ...signals.emails, ...signals.trailers, ...signals.markers, ...signals.branches, ...signals.labels];
    for (const entry of entries) {
      expect(entry.agent).not.toBe('');
      expect(entry.source.length).toBeGreaterThan(10);
    }
  });

  it('anchors every branch pattern at the start of the name', () => {
    for (const branch of signals.branches) expect(branch.pattern.startsWith('^')).toBe(true);
  });
});
