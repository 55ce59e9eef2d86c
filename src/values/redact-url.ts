// Secrets inside URLs, found anywhere in a string (a connection string in an environment
// variable, a signed URL inside a JSON policy) and replaced by `***`. Scheme, host, port,
// path and the other parameters stay exactly as written, so the evidence stays useful.
import { REDACTED, isSecretName } from './secret-name.js';

/*
 * Why a scanner and not `new URL(...)`: the WHATWG parser is used as the reference for
 * where the user-info ends (the last `@` of the authority), but it cannot be the tool:
 * - it rejects or misreads the very shapes that leak: `postgres://u:pa/ss@db` and
 *   `redis://:p/w@h` throw (Node 20: ERR_INVALID_URL), and `postgres://u:12/34@db` parses
 *   as host `u`, port 12, path `/34@db`, with no password at all;
 * - serialising it rewrites the text (lower-cased host, added `/`, percent-encoding), so
 *   the evidence would no longer show what is deployed, and the report's second pass
 *   (`safeEvidence`) would see a different string;
 * - it needs the URL cut out of the surrounding text first, which is this scanner's job.
 * So the scanner finds each `scheme://`, decides where the URL ends (see `urlExtent`), and
 * blanks three kinds of parts in place (see `redactUrl`).
 *
 * Bounded work: every character is looked at a constant number of times (one pass for
 * `://`, one for the whitespace after each URL, one over each URL's own text, which ends
 * before the next URL's scheme; a scheme is at most 32 characters, a run of backslashes
 * before a quote is counted once), so a 1 MB value costs linear time whatever its shape.
 */

const MAX_SCHEME = 32;
const WHITESPACE = /\s/g;
const QUOTES = '"\'`<';

/** `text` with the secret parts of every URL in it replaced by `***`; `text` itself when there is none. */
export function redactUrls(text: string): string {
  let sep = text.indexOf('://');
  if (sep === -1) return text;
  const parts: string[] = [];
  let copied = 0;
  let space = -1;
  const spaceAfter = (from: number): number => {
    if (space < from) {
      WHITESPACE.lastIndex = from;
      space = WHITESPACE.exec(text)?.index ?? text.length;
    }
    return space;
  };
  while (sep !== -1) {
    const start = schemeStart(text, sep, copied);
    if (start === undefined) {
      sep = text.indexOf('://', sep + 3);
      continue;
    }
    const body = sep + 3;
    // A URL inside this one (`?next=https://u:p@h`, `redis://:a@h1,redis://:b@h2`) is its own URL:
    // the next scheme bounds this one.
    const bound = start === 0 ? text.length : spaceAfter(body);
    let next = text.indexOf('://', body);
    let nextStart: number | undefined;
    while (next !== -1 && next < bound && (nextStart = schemeStart(text, next, body)) === undefined) next = text.indexOf('://', next + 3);
    const limit = next !== -1 && next < bound && nextStart !== undefined ? nextStart : bound;
    const { at, stop } = urlExtent(text, start, body, limit, spaceAfter);
    parts.push(text.slice(copied, body), redactUrl(text.slice(start, sep).toLowerCase(), text.slice(body, stop), at === -1 ? -1 : at - body));
    copied = stop;
    sep = next !== -1 && next >= stop ? next : text.indexOf('://', stop);
  }
  parts.push(text.slice(copied));
  const out = parts.join('');
  return out === text ? text : out;
}

/**
 * Where the URL whose text starts at `body` ends (`stop`), and the `@` that ends its
 * user-info (`at`, or -1). `limit` is the next URL's scheme, or the first whitespace after
 * `body`, or the end of the value when the URL starts the value. The rule:
 * - A URL opened by a quote (`"`, `'`, a backtick, or `<`, itself escaped by any number of
 *   backslashes: `\"` in JSON inside JSON) ends at the matching close: the same quote (`>`
 *   for `<`) escaped by the same number of backslashes, followed by the end of the value,
 *   whitespace or `, ; ) ] } >`. So `"url":"postgres://u:p@h/db","x":"a@b"` ends after
 *   `db`, while in `'redis://:p"w@h'` the `"` is part of the password, and so are JSON's
 *   `\"` in `"postgres://u:Ab\"c@h"` and a raw `"` followed by a letter in
 *   `"postgres://u:Ab"c@h"`. Without such a close before `limit`, it is read as unquoted.
 * - Otherwise quotes, `<`, `>` and backticks do not end it: generated passwords hold them
 *   (Secrets Manager's default alphabet has all five). The user-info (`user:password@`) is
 *   looked for up to `limit` (so a password holds no whitespace unless the URL is the whole
 *   value), and the rest of the URL ends at the whitespace after the user-info.
 * A quote that ends the URL too late costs evidence (more text blanked as a password or a
 * parameter), never a secret.
 */
function urlExtent(text: string, start: number, body: number, limit: number, spaceAfter: (from: number) => number): { at: number; stop: number } {
  const close = quotedEnd(text, start, body, limit);
  if (close !== undefined) {
    const at = userInfoEnd(text.slice(body, close.at));
    return { at: at === -1 ? -1 : body + at, stop: close.stop };
  }
  const end = Math.min(limit, spaceAfter(body));
  const at = userInfoEnd(text.slice(body, USER.test(text.slice(body, body + MAX_USER)) ? limit : end));
  if (at === -1) return { at: -1, stop: end };
  const after = body + at + 1;
  return { at: body + at, stop: Math.max(after, Math.min(limit, spaceAfter(after))) };
}

const CLOSE_FOLLOWERS = /[\s,;)\]}>]/;

/** For a URL opened by a quote: where its text ends (`at`) and where the close starts (`stop`, before its backslashes). */
function quotedEnd(text: string, start: number, body: number, limit: number): { at: number; stop: number } | undefined {
  const open = text[start - 1];
  if (open === undefined || !QUOTES.includes(open)) return undefined;
  const escapes = backslashesBefore(text, start - 1, 0);
  const close = open === '<' ? '>' : open;
  for (let i = body; i < limit; i++) {
    if (text[i] !== close) continue;
    const follower = text[i + 1];
    if (follower !== undefined && !CLOSE_FOLLOWERS.test(follower)) continue;
    const before = backslashesBefore(text, i, body);
    if (before === escapes) return { at: i - before, stop: i - before };
  }
  return undefined;
}

/** How many backslashes stand right before `i`, not looking before `floor`. */
function backslashesBefore(text: string, i: number, floor: number): number {
  let j = i;
  while (j > floor && text.charCodeAt(j - 1) === 92) j--;
  return i - j;
}

function isSchemeChar(code: number): boolean {
  return isLetter(code) || (code >= 48 && code <= 57) || code === 43 || code === 45 || code === 46; // 0-9 + - .
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** Where the scheme before the `://` at `sep` starts (a letter, then letters, digits, `+-.`), not before `floor`. */
function schemeStart(text: string, sep: number, floor: number): number | undefined {
  let i = sep;
  while (i > floor && sep - i < MAX_SCHEME && isSchemeChar(text.charCodeAt(i - 1))) i--;
  while (i < sep && !isLetter(text.charCodeAt(i))) i++;
  return i < sep ? i : undefined;
}

/**
 * The text after `scheme://`, with
 * 1. the user-info password blanked (`u:***@h`), or a lone user-info that is a token
 *    (`https://***@o1.ingest.sentry.io/2`, see `isTokenLike`);
 * 2. the values of secret-like parameters blanked (`?sig=***`, see `isSecretParameter`),
 *    in the query, the fragment (OAuth's `#access_token=`) and `;` parameters (JDBC's
 *    `;password=`, a path's `;jsessionid=`);
 * 3. the secret path segments of known webhook URLs blanked (see `WEBHOOKS`).
 */
function redactUrl(scheme: string, rest: string, at: number): string {
  let out = '';
  let remainder = rest;
  if (at !== -1) {
    const userInfo = rest.slice(0, at);
    const colon = userInfo.indexOf(':');
    if (colon === -1) out = isTokenLike(scheme, userInfo) ? REDACTED : userInfo;
    else out = colon === userInfo.length - 1 ? userInfo : `${userInfo.slice(0, colon + 1)}${REDACTED}`;
    out += '@';
    remainder = rest.slice(at + 1);
  }
  const paramsAt = remainder.search(/[?#;]/);
  const location = paramsAt === -1 ? remainder : remainder.slice(0, paramsAt);
  const params = paramsAt === -1 ? '' : remainder.slice(paramsAt);
  return out + redactWebhookPath(location) + redactParameters(params);
}

/**
 * The index of the `@` that ends the user-info, or -1.
 * - `user:password@` (user without `/?#@:[]`): the LAST `@` of the whole URL, so a password
 *   may hold `@`, `/`, `?`, `#` or `:`, as generated passwords do (Secrets Manager's default
 *   alphabet has them all). When a path or query after it holds an `@` too, more than the
 *   password is blanked: that costs evidence, never a secret. The one exception is a
 *   host and port, `db.example.com:8080/x@y` (digits after the colon, then `/?#` or the end,
 *   and a host before it: a dot, or `localhost`): a password like `12/34` after a
 *   dotted user name is read as a port there, as WHATWG reads it.
 * - otherwise WHATWG's rule: the last `@` before the first `/`, `?` or `#` (`TOKEN@host`).
 */
const PORT = /\d*(?:[/?#\s]|$)/y;
/** A user name and its colon (`app:`, `:`); only these URLs may hold a password with `/@?#` or quotes. */
const USER = /^[^/?#@:[\]\s"'`<>]*:/;
/** Longer user names are read as no user-info when deciding how far to look (bounded work). */
const MAX_USER = 256;

function userInfoEnd(rest: string): number {
  const user = USER.exec(rest);
  if (user) {
    const at = rest.lastIndexOf('@');
    const name = user[0].slice(0, -1);
    PORT.lastIndex = user[0].length;
    const port = PORT.test(rest) && (name.includes('.') || name.toLowerCase() === 'localhost');
    if (at >= user[0].length && !port) return at;
  }
  const authorityEnd = rest.search(/[/?#]/);
  return (authorityEnd === -1 ? rest : rest.slice(0, authorityEnd)).lastIndexOf('@');
}

/**
 * A user-info without a password is a token, not a login name, when
 * - the URL is http(s) or ws(s): there the user-info slot carries tokens (a Sentry DSN's
 *   key, `https://TOKEN@github.com`) far more often than names;
 * - or it is 16 characters or more: API tokens are (Sentry 32 hex, GitHub 40), login names
 *   rarely are (`git`, `ec2-user`, `postgres`). A longer database role name
 *   (`orders_service_readonly`) is blanked too: that costs evidence, never a secret.
 */
function isTokenLike(scheme: string, user: string): boolean {
  if (user === '') return false;
  return /^(?:https?|wss?)$/.test(scheme) || user.length >= 16;
}

/**
 * A query (or fragment, or `;`) parameter holds a secret when its name, percent-decoded and
 * reduced like a property name (`X-Amz-Signature` -> `xamzsignature`), passes `isSecretName`
 * (`password`, `access_token`, `client_secret`, `api_key`, `X-Amz-Security-Token`; also
 * `X-Amz-Credential`, an access key id: not secret on its own, but hidden like the
 * `AccessKeyId` property is) or is one of the names services use for secrets in URLs:
 * - `sig`, `signature`, `*signature`: signed URLs (Azure SAS `sig`, S3 `X-Amz-Signature`,
 *   GCS `X-Goog-Signature`, CloudFront `Signature`, Logic Apps `sig`): whoever has it can use it;
 * - `key`: Google APIs and Google Chat webhooks (`?key=AIza...`); a bare `key` property name
 *   stays readable (see `isSecretName`), but as a URL parameter it is almost always a key;
 * - `code`: an OAuth authorization code, exchangeable for a token;
 * - `auth`, `authorization`, `jwt`, `otp`, `passcode`, `hmac`;
 * - `session`, `sessionid`, `jsessionid`, `phpsessid`: a session id is a bearer credential.
 * Paging and filters (`page`, `keyword`, `region`, `Action`, `X-Amz-Date`, `sv`) stay.
 */
const SECRET_PARAMETER = /^(?:key|code|auth|authorization|jwt|otp|passcode|hmac|sig)$|signature$|session(?:id)?$|sessid$/;

function isSecretParameter(name: string): boolean {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    // a malformed escape: judge the name as written
  }
  return isSecretName(decoded) || SECRET_PARAMETER.test(decoded.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/** `?a=1&sig=x#access_token=y` -> `?a=1&sig=***#access_token=***`: pieces between `& ; #` (a value may hold `?`). */
function redactParameters(params: string): string {
  if (params === '') return params;
  return params[0] + params.slice(1).split(/([&;#])/).map(redactParameter).join('');
}

function redactParameter(piece: string): string {
  const eq = piece.indexOf('=');
  if (eq <= 0 || eq === piece.length - 1 || !isSecretParameter(piece.slice(0, eq))) return piece;
  return `${piece.slice(0, eq + 1)}${REDACTED}`;
}

/**
 * Webhook URLs whose path is the secret (anyone holding it can post), and which segments
 * to blank. `segments` is the path split on `/` (the first is `''`); ids that only name the
 * workspace, team or channel stay, so the evidence still says where the hook posts.
 */
const WEBHOOKS: Array<{ host: RegExp; redact: (segments: string[]) => void }> = [
  // https://hooks.slack.com/services/T000/B000/<secret>, /workflows/T/A/id/<secret>, /triggers/T/id/<secret>
  { host: /^hooks\.slack(?:-gov)?\.com$/, redact: (s) => blankLast(s, 4) },
  // https://discord.com/api/webhooks/<id>/<token>, also /api/v10/webhooks/..., discordapp.com, ptb., canary.
  { host: /(?:^|\.)discord(?:app)?\.com$/, redact: (s) => blankAfter(s, 'webhooks', 2, 1) },
  // https://acme.webhook.office.com/webhookb2/<group>@<tenant>/IncomingWebhook/<id>/<owner>[/<signature>]
  { host: /(?:^|\.)webhook\.office\.com$|^outlook\.office(?:365)?\.com$/, redact: (s) => blankAfter(s, 'incomingwebhook', 1, Infinity) },
  // https://hooks.zapier.com/hooks/catch/<account>/<hook>/
  { host: /^hooks\.zapier\.com$/, redact: (s) => blankLast(s, 4) },
  // https://maker.ifttt.com/trigger/<event>/with/key/<key>
  { host: /^maker\.ifttt\.com$/, redact: (s) => blankAfter(s, 'key', 1, 1) },
  // https://api.telegram.org/bot<id>:<token>/sendMessage, /file/bot<id>:<token>/<path>
  { host: /^api\.telegram\.org$/, redact: (s) => s.forEach((segment, i) => /^bot\d+:/.test(segment) && (s[i] = `bot${REDACTED}`)) },
];

/** Blank the last non-empty segment when there are at least `min` non-empty ones. */
function blankLast(segments: string[], min: number): void {
  const filled = segments.filter((segment) => segment !== '').length;
  const last = segments.findLastIndex((segment) => segment !== '');
  if (filled >= min && last !== -1) segments[last] = REDACTED;
}

/** Blank `count` non-empty segments starting `offset` after the first segment named `marker`. */
function blankAfter(segments: string[], marker: string, offset: number, count: number): void {
  const at = segments.findIndex((segment) => segment.toLowerCase() === marker);
  if (at === -1) return;
  for (let i = at + offset; i < segments.length && i < at + offset + count; i++) if (segments[i] !== '') segments[i] = REDACTED;
}

/** `host[:port]/path` with the secret segments of a known webhook blanked. */
function redactWebhookPath(location: string): string {
  const slash = location.indexOf('/');
  if (slash === -1) return location;
  const host = location.slice(0, slash).toLowerCase().replace(/:\d*$/, '').replace(/\.$/, '');
  const webhook = WEBHOOKS.find((w) => w.host.test(host));
  if (!webhook) return location;
  const segments = location.slice(slash).split('/');
  webhook.redact(segments);
  return location.slice(0, slash) + segments.join('/');
}
