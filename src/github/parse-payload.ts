// Webhook payloads are checked at the edge, in the handler, once @octokit/webhooks has
// verified their signature: a payload that lacks a field we read, or holds another type
// there, is refused with a PayloadError naming the field. The handler's error decides the
// HTTP answer: @octokit/webhooks' middleware answers `err.status ?? 500` with
// `{"error":"<name>: <message>"}` (middleware/create-middleware.js), so a signed but
// malformed delivery gets a 400 that says what is wrong instead of a 500 TypeError.
// Messages name fields and expected types, never the values a payload holds.
import { z } from 'zod';

export class PayloadError extends Error {
  override name = 'PayloadError';
  /** The HTTP status @octokit/webhooks answers the delivery with. */
  readonly status = 400;
}

export function parsePayload<T extends z.ZodType>(schema: T, payload: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 3).map((issue) => describeIssue(issue, payload));
  const more = parsed.error.issues.length > 3 ? ` (and ${parsed.error.issues.length - 3} more)` : '';
  throw new PayloadError(`${what}: ${problems.join('; ')}${more}`);
}

/** A non-empty string. */
export const text = z.string().min(1);
/** A commit SHA as GitHub writes it: 40 (SHA-1) or 64 (SHA-256) lowercase hex digits. */
export const commitSha = z.string().regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/, 'not a commit SHA');
export const positiveInt = z.number().int().positive();

/** Probot builds each event's Octokit from the installation; every run needs one. */
export const installation = z.object({ id: positiveInt });
export const repository = z.object({ name: text, owner: z.object({ login: text }) });

function describeIssue(issue: z.core.$ZodIssue, payload: unknown): string {
  const path = issue.path.reduce<string>((at, key) => (typeof key === 'number' ? `${at}[${key}]` : at === '' ? String(key) : `${at}.${String(key)}`), '');
  const where = path === '' ? 'the payload' : path;
  if (issue.code === 'invalid_type') {
    const found = valueAt(payload, issue.path);
    if (found === undefined) return `${where} is missing`;
    return `${where} must be ${article(issue.expected)}, not ${describe(found)}`;
  }
  return `${where}: ${issue.message}`;
}

function valueAt(payload: unknown, path: PropertyKey[]): unknown {
  let at: unknown = payload;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return article(typeof value);
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
