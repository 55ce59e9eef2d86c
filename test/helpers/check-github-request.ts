// What GitHub's REST API refuses in the writes the app makes, answered the way GitHub
// answers it, so the in-test GitHub (fake-github.ts) refuses it too and a batching or
// size bug fails a test instead of passing against a lenient fake.
//
// GitHub validates a request twice, and the answers look different:
// 1. its JSON schema: 422 `{ message: "Invalid request.\n\n<one line per problem>" }`, e.g.
//    `"head_sha" wasn't supplied.` (github-community-projects/safe-settings#1015),
//    `"annotation_level", "path" weren't supplied.` once per bad annotation
//    (humanmade/linter-bot#71), `No more than 50 items are allowed; 143 were supplied.`
//    (qiniu/reviewbot#258), `Only 65535 characters are allowed; 70292 were supplied.`
//    (reviewdog/action-rubocop#67);
// 2. then the model: 422 `{ message: "Validation Failed", errors: [...] }`, e.g.
//    `summary exceeds a maximum bytesize of 65535` (github/docs#35252: characters pass
//    the schema, bytes fail here), `{ resource: "CheckRun", code: "invalid", field:
//    "annotations" }` for columns on a multi-line annotation (octokit/octokit.js#1170), and
//    `Body is too long (maximum is 65536 characters)` for an issue comment
//    (vebr/jest-lcov-reporter#14, reg-viz/reg-actions#123).
// Limits and required fields are the ones in GitHub's REST reference (checks/create,
// checks/update, issues/create-comment; see @octokit/openapi-types).

export interface Refusal {
  status: 422;
  body: { message: string; errors?: Array<Record<string, string>>; documentation_url: string; status?: string };
}

const DOCS = {
  createCheck: 'https://docs.github.com/rest/checks/runs#create-a-check-run',
  updateCheck: 'https://docs.github.com/rest/checks/runs#update-a-check-run',
  createComment: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
  updateComment: 'https://docs.github.com/rest/issues/comments#update-an-issue-comment',
};

export const ANNOTATIONS_PER_REQUEST = 50;
export const OUTPUT_LIMIT = 65_535;
export const COMMENT_LIMIT = 65_536;
const ANNOTATION_REQUIRED = ['path', 'start_line', 'end_line', 'annotation_level', 'message'] as const;
const ACTION_LIMITS = { label: 20, description: 40, identifier: 20 } as const;
const MAX_ACTIONS = 3;
const ANNOTATION_TITLE_LIMIT = 255;

type Json = Record<string, unknown>;

/** What GitHub answers to a check-run create (`POST`) or update (`PATCH`) body; `undefined` when it accepts it. */
export function checkRunRefusal(body: unknown, operation: 'create' | 'update'): Refusal | undefined {
  const docs = operation === 'create' ? DOCS.createCheck : DOCS.updateCheck;
  const run = (body ?? {}) as Json;
  const problems: string[] = [];

  if (operation === 'create') problems.push(...missing(run, ['name', 'head_sha']));
  const output = run.output as Json | undefined;
  if (output !== undefined) {
    // checks/update marks output.title "**Required**." in prose; both need it.
    problems.push(...missing(output, ['title', 'summary']));
    for (const field of ['summary', 'text'] as const) {
      if (typeof output[field] === 'string') problems.push(...tooManyCharacters(output[field], OUTPUT_LIMIT));
    }
    const annotations = (output.annotations ?? []) as Json[];
    if (annotations.length > ANNOTATIONS_PER_REQUEST) problems.push(`No more than ${ANNOTATIONS_PER_REQUEST} items are allowed; ${annotations.length} were supplied.`);
    for (const annotation of annotations) {
      problems.push(...missing(annotation, ANNOTATION_REQUIRED));
      if (typeof annotation.title === 'string') problems.push(...tooManyCharacters(annotation.title, ANNOTATION_TITLE_LIMIT));
    }
  }
  const actions = (run.actions ?? []) as Json[];
  if (actions.length > MAX_ACTIONS) problems.push(`No more than ${MAX_ACTIONS} items are allowed; ${actions.length} were supplied.`);
  for (const action of actions) {
    problems.push(...missing(action, ['label', 'description', 'identifier']));
    for (const [field, limit] of Object.entries(ACTION_LIMITS)) {
      if (typeof action[field] === 'string') problems.push(...tooManyCharacters(action[field], limit));
    }
  }
  if (problems.length > 0) return invalidRequest(problems, docs);

  const errors: Array<Record<string, string>> = [];
  for (const field of ['summary', 'text'] as const) {
    const value = output?.[field];
    if (typeof value === 'string' && Buffer.byteLength(value, 'utf8') > OUTPUT_LIMIT) {
      errors.push({ resource: 'CheckRun', code: 'custom', field, message: `${field} exceeds a maximum bytesize of ${OUTPUT_LIMIT}` });
    }
  }
  const annotations = (output?.annotations ?? []) as Json[];
  const columnsAcrossLines = annotations.some(
    (a) => (a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line,
  );
  if (columnsAcrossLines) errors.push({ resource: 'CheckRun', code: 'invalid', field: 'annotations' });
  // "Required if you provide completed_at or a status of completed" (REST reference); the
  // exact answer is not documented, so this error entry is our own wording of it.
  if ((run.status === 'completed' || run.completed_at !== undefined) && run.conclusion === undefined) {
    errors.push({ resource: 'CheckRun', code: 'missing_field', field: 'conclusion' });
  }
  if (errors.length > 0) return validationFailed(errors, docs);
  return undefined;
}

/** What GitHub answers to an issue (or pull request) comment create or update body. */
export function commentRefusal(body: unknown, operation: 'create' | 'update'): Refusal | undefined {
  const docs = operation === 'create' ? DOCS.createComment : DOCS.updateComment;
  const comment = (body ?? {}) as Json;
  const problems = missing(comment, ['body']);
  if (problems.length > 0) return invalidRequest(problems, docs);
  // "Characters" as GitHub's Ruby counts them: code points (an emoji is one, not two
  // UTF-16 units). The app measures in UTF-8 bytes, which is never fewer.
  if (codePoints(String(comment.body)) > COMMENT_LIMIT) {
    return validationFailed([{ resource: 'IssueComment', code: 'unprocessable', field: 'data', message: `Body is too long (maximum is ${COMMENT_LIMIT} characters)` }], docs);
  }
  return undefined;
}

function missing(object: Json, fields: readonly string[]): string[] {
  const absent = fields.filter((f) => object[f] === undefined || object[f] === null);
  if (absent.length === 0) return [];
  const names = absent.map((f) => `"${f}"`).join(', ');
  return [`${names} ${absent.length === 1 ? "wasn't" : "weren't"} supplied.`];
}

function tooManyCharacters(text: string, limit: number): string[] {
  const length = codePoints(text);
  return length > limit ? [`Only ${limit} characters are allowed; ${length} were supplied.`] : [];
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

function invalidRequest(problems: string[], docs: string): Refusal {
  return { status: 422, body: { message: `Invalid request.\n\n${problems.join('\n')}`, documentation_url: docs } };
}

function validationFailed(errors: Array<Record<string, string>>, docs: string): Refusal {
  return { status: 422, body: { message: 'Validation Failed', errors, documentation_url: docs, status: '422' } };
}
