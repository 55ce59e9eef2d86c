// Untrusted text (anything from the cloud or the pull request) reaches markdown only
// through these functions.
//
// - Values, names, paths: `codeSpan`. Inside a code span GitHub renders no HTML, no
//   links, no emphasis and no @mentions. The fence is one backtick longer than the
//   longest backtick run in the text (CommonMark), newlines become `⏎`, other control
//   and bidi characters are replaced, and `<!--` gets a zero-width space so the raw body
//   can never contain a second copy of our hidden markers. In table cells (`inTable`) a
//   `|` is escaped as `\|` (GFM splits cells before parsing code spans).
// - Sentences (finding messages, ignore reasons, config messages): `escapeText`. `& < >`
//   become entities, markdown punctuation `\ ` * _ [ ] | ~` is backslash-escaped, `@`
//   and `#` before a digit get a zero-width space (no mention, no cross-reference), and
//   newlines become spaces. Templates never put such text at the start of a line, so
//   line-start syntax (`#`, `-`, `1.`, `>`) cannot take effect either. Bare URLs may
//   still be autolinked by GitHub; that is accepted.
const ZWSP = '\u200b';
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;
const NEWLINE = /\r\n|\r|\n/g;

export function escapeText(text: string): string {
  return text
    .replace(NEWLINE, ' ')
    .replace(CONTROL, '\ufffd')
    .replace(BIDI, '')
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, `@${ZWSP}`)
    .replace(/#(?=\d)/g, `#${ZWSP}`);
}

export function codeSpan(text: string, inTable = false): string {
  let body = text.replace(NEWLINE, '⏎').replace(CONTROL, '\ufffd').replace(BIDI, '').replace(/<!--/g, `<!${ZWSP}--`);
  if (body === '') return '*(empty)*';
  if (inTable) body = escapePipes(body);
  const longestRun = Math.max(0, ...Array.from(body.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = /^[` ]|[` ]$/.test(body) ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * GFM keeps a `|` inside a cell when an odd number of backslashes precede it, and then
 * drops one backslash. Adding one (or two) keeps every pipe inside the cell; a value
 * with an odd backslash run before a pipe shows one extra backslash (rare, harmless).
 */
function escapePipes(text: string): string {
  // A loop, not `/(\\*)\|/g`: that regex rescans every run of backslashes from each of its
  // positions (quadratic: 40,000 backslashes took 1.3 s).
  let out = '';
  let run = 0;
  for (const char of text) {
    if (char === '|') out += run % 2 === 0 ? '\\|' : '\\\\|';
    else out += char;
    run = char === '\\' ? run + 1 : 0;
  }
  return out;
}

/** A markdown link whose text is a code span; the URL is built by the caller from encoded parts. */
export function codeLink(text: string, url: string | undefined): string {
  return url ? `[${codeSpan(text)}](${url})` : codeSpan(text);
}

/** Encodes a repository path for a URL, segment by segment (parentheses too, for markdown). */
export function encodePath(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}
