// Secrets in `name=value` connection strings that are not URLs (ADO.NET, ODBC, JDBC
// properties, Azure storage and Service Bus), found anywhere in a string and replaced by
// `***`, whatever the property holding the string is called:
//   Server=db;User Id=app;Password=Ab"c;Encrypt=true  ->  ...;Password=***;Encrypt=true
//   DRIVER={ODBC Driver 18};UID=app;PWD={Ab;c}        ->  ...;PWD=***
//   DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=k+/9==;EndpointSuffix=...
import { REDACTED, isSecretName } from './secret-name.js';

/**
 * A name holds a secret when it passes `isSecretName` (`Password`, `PWD`, `pwd`,
 * `SharedAccessKey`, `AccountKey`, `--db-password`, `DB_PASSWORD`) or names a signature
 * (`SharedAccessSignature=sv=...&sig=...`, a SAS token's `sig`).
 */
const SECRET_KEY = /^(?:sig|\w*signature)$/;
/** Characters of a name (the last word of `Jet OLEDB:Database Password`). */
const NAME_CHAR = /[A-Za-z0-9_.-]/;
/** What may stand before a name: the start, whitespace, a separator or an opening quote. */
const NAME_BEFORE = /[\s;,&?:"'{([]/;
const MAX_NAME = 64;

/** `text` with the value of every secret `name=value` pair replaced by `***`; `text` itself when there is none. */
export function redactConnectionStrings(text: string): string {
  let eq = text.indexOf('=');
  if (eq === -1) return text;
  const parts: string[] = [];
  let copied = 0;
  while (eq !== -1) {
    const valueStart = eq + 1;
    if (!isSecretKey(nameBefore(text, eq, copied))) {
      eq = text.indexOf('=', valueStart);
      continue;
    }
    const valueEnd = endOfValue(text, valueStart);
    if (valueEnd > valueStart) {
      parts.push(text.slice(copied, valueStart), REDACTED);
      copied = valueEnd;
    }
    eq = text.indexOf('=', Math.max(valueEnd, valueStart));
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

function isSecretKey(name: string | undefined): boolean {
  if (name === undefined || name === '') return false;
  return isSecretName(name) || SECRET_KEY.test(name.toLowerCase().replace(/[^a-z0-9_]/g, ''));
}

/** The name before the `=` at `eq` (spaces around `=` allowed, as ADO.NET does), when a separator or the start stands before it. */
function nameBefore(text: string, eq: number, floor: number): string | undefined {
  let end = eq;
  while (end > floor && eq - end < 4 && text[end - 1] === ' ') end--;
  let i = end;
  while (i > floor && end - i <= MAX_NAME && NAME_CHAR.test(text[i - 1]!)) i--;
  if (end - i > MAX_NAME) return undefined;
  if (i > 0 && !NAME_BEFORE.test(text[i - 1]!)) return undefined;
  return text.slice(i, end);
}

/**
 * Where the value starting at `start` ends. The rule (fail closed: a value read too long
 * costs evidence, never a secret):
 * - `"..."` or `'...'` (ADO.NET; a doubled quote is a quote) and `{...}` (ODBC; `}}` is a
 *   brace): up to the closing one; unclosed, up to the end of the line;
 * - `***` followed by a separator, whitespace, a quote or the end is already blanked (the
 *   report and messages redact a second time), and stays as it is;
 * - otherwise up to `;`, the end of the line or of the value: spaces and quotes belong to
 *   it (`Password=Ab"c d;`), except a quote, after any backslashes, followed by `, } ]`:
 *   that closes the JSON string the pair is written in (`{"db":"Server=h;Password=p","x":1}`).
 */
function endOfValue(text: string, start: number): number {
  let i = start;
  while (text[i] === ' ') i++;
  const first = text[i];
  if (first === '"' || first === "'" || first === '{') {
    const close = first === '{' ? '}' : first;
    let j = i + 1;
    for (; j < text.length && text[j] !== '\n' && text[j] !== '\r'; j++) {
      if (text[j] !== close) continue;
      if (text[j + 1] === close) j++;
      else return j + 1;
    }
    return j;
  }
  if (text.startsWith(REDACTED, i) && (i + REDACTED.length === text.length || /[\s;,&"')}\]]/.test(text[i + REDACTED.length]!))) return start;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === ';' || c === '\n' || c === '\r') return j;
    if ((c === '"' || c === "'") && /[,}\]]/.test(text[j + 1] ?? '')) {
      let k = j;
      while (k > i && text[k - 1] === '\\') k--;
      return k;
    }
  }
  return text.length;
}

