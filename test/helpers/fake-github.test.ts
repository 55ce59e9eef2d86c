// The in-test GitHub must refuse what GitHub refuses, or a batching or size bug in the app
// passes every end-to-end test. First the fake itself, then the app's real publish code
// (completeCheckRun, upsertSummaryComment) against it over the wire, through Octokit.
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { completeCheckRun, startCheckRun, type CheckOutcome } from '../../src/github/publish-check-run.js';
import type { Octokit } from '../../src/github/octokit.js';
import { upsertSummaryComment } from '../../src/github/upsert-summary-comment.js';
import { buildReport } from '../../src/report/build-report.js';
import type { Annotation, Finding } from '../../src/types.js';
import { finding, run, target } from '../report/fixtures.js';
import { FakeGitHub } from './fake-github.js';
import { TestOctokit } from './probot.js';

const REPO = { owner: 'Codertocat', repo: 'Hello-World' };
const SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';

let github: FakeGitHub;
let octokit: Octokit;

beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
  github = new FakeGitHub({ ...REPO, files: {}, pullFiles: {} });
  octokit = new TestOctokit({ auth: { token: 'ghs_test' } }) as unknown as Octokit;
});
afterEach(() => github.done());

function annotations(count: number, over: Partial<Annotation> = {}): Annotation[] {
  return Array.from({ length: count }, (_, i) => ({
    path: 'infra/orders.yaml',
    start_line: i + 1,
    end_line: i + 2,
    annotation_level: 'failure',
    title: `revert: Queue${i}`,
    message: `Queue${i} was changed live.`,
    ...over,
  }));
}

const createCheck = (output: object, extra: object = {}) =>
  octokit.rest.checks.create({ ...REPO, name: 'Reality check', head_sha: SHA, ...extra, output } as Parameters<Octokit['rest']['checks']['create']>[0]);

/** The status and body GitHub's answer had, as Octokit's RequestError carries them. */
async function refusal(request: Promise<unknown>): Promise<{ status: number; message: string; errors?: unknown }> {
  const error = (await request.then(
    () => undefined,
    (e: unknown) => e,
  )) as { status?: number; response?: { data?: { message: string; errors?: unknown } } } | undefined;
  expect(error, 'GitHub accepted the request').toBeDefined();
  return { status: error!.status!, message: error!.response!.data!.message, ...(error!.response!.data!.errors ? { errors: error!.response!.data!.errors } : {}) };
}

describe('the in-test GitHub refuses what GitHub refuses', () => {
  it('refuses 51 annotations in one create request, and keeps nothing of it', async () => {
    const answer = await refusal(createCheck({ title: 't', summary: 's', annotations: annotations(51) }));
    expect(answer).toEqual({ status: 422, message: 'Invalid request.\n\nNo more than 50 items are allowed; 51 were supplied.' });
    expect(github.checkRuns).toEqual([]);
    expect(github.refusals.map((r) => r.route)).toEqual(['POST check run']);
  });

  it('refuses 51 annotations in one update request, and accepts 50', async () => {
    const { data } = await createCheck({ title: 't', summary: 's', annotations: annotations(50) });
    const update = octokit.rest.checks.update({ ...REPO, check_run_id: data.id, output: { title: 't', summary: 's', annotations: annotations(51) } });
    expect((await refusal(update)).message).toBe('Invalid request.\n\nNo more than 50 items are allowed; 51 were supplied.');
    expect(github.checkRuns[0]!.annotations).toHaveLength(50);
  });

  it.each(['summary', 'text'] as const)('refuses an output.%s over 65,535 characters, or over 65,535 UTF-8 bytes', async (field) => {
    const output = (value: string) => ({ title: 't', summary: 's', [field]: value });
    expect(await refusal(createCheck(output('a'.repeat(65_536))))).toEqual({ status: 422, message: 'Invalid request.\n\nOnly 65535 characters are allowed; 65536 were supplied.' });
    // 40,000 characters pass GitHub's schema; 80,000 bytes fail its model
    expect(await refusal(createCheck(output('é'.repeat(40_000))))).toEqual({
      status: 422,
      message: 'Validation Failed',
      errors: [{ resource: 'CheckRun', code: 'custom', field, message: `${field} exceeds a maximum bytesize of 65535` }],
    });
    await createCheck(output('a'.repeat(65_535)));
    expect(github.checkRuns).toHaveLength(1);
  });

  it('refuses a check run without a name or a head_sha', async () => {
    const request = octokit.request('POST /repos/{owner}/{repo}/check-runs', { ...REPO, status: 'in_progress' } as never);
    expect((await refusal(request)).message).toBe('Invalid request.\n\n"name", "head_sha" weren\'t supplied.');
  });

  it('refuses a completed check run without a conclusion', async () => {
    const answer = await refusal(createCheck({ title: 't', summary: 's' }, { status: 'completed' }));
    expect(answer.status).toBe(422);
    expect(answer.errors).toEqual([{ resource: 'CheckRun', code: 'missing_field', field: 'conclusion' }]);
  });

  it.each(['path', 'start_line', 'end_line', 'annotation_level', 'message'] as const)('refuses an annotation without %s', async (field) => {
    const [bad] = annotations(1);
    delete (bad as Partial<Annotation>)[field];
    const answer = await refusal(createCheck({ title: 't', summary: 's', annotations: [...annotations(2), bad] }));
    expect(answer.message).toBe(`Invalid request.\n\n"${field}" wasn't supplied.`);
  });

  it('refuses columns on an annotation that spans lines, and accepts them on one line', async () => {
    const answer = await refusal(createCheck({ title: 't', summary: 's', annotations: annotations(1, { start_line: 3, end_line: 5, start_column: 1, end_column: 4 } as Partial<Annotation>) }));
    expect(answer).toEqual({ status: 422, message: 'Validation Failed', errors: [{ resource: 'CheckRun', code: 'invalid', field: 'annotations' }] });
    await createCheck({ title: 't', summary: 's', annotations: annotations(1, { start_line: 3, end_line: 3, start_column: 1, end_column: 4 } as Partial<Annotation>) });
    expect(github.checkRuns).toHaveLength(1);
  });

  it("refuses a comment body over 65,536 characters with GitHub's message, and accepts 65,536", async () => {
    const create = (body: string) => octokit.rest.issues.createComment({ ...REPO, issue_number: 2, body });
    expect(await refusal(create('a'.repeat(65_537)))).toEqual({
      status: 422,
      message: 'Validation Failed',
      errors: [{ resource: 'IssueComment', code: 'unprocessable', field: 'data', message: 'Body is too long (maximum is 65536 characters)' }],
    });
    const { data } = await create('a'.repeat(65_536));
    const edit = octokit.rest.issues.updateComment({ ...REPO, comment_id: data.id, body: 'b'.repeat(70_000) });
    expect((await refusal(edit)).errors).toEqual([expect.objectContaining({ message: 'Body is too long (maximum is 65536 characters)' })]);
    expect(github.comments.map((c) => c.body.length)).toEqual([65_536]);
  });

  it('names every route a test expected but never called', async () => {
    github.expectCalls('POST comment', 'PATCH check run', 'POST check run');
    await createCheck({ title: 't', summary: 's' });
    expect(() => github.assertAllUsed()).toThrow('GitHub routes this test expected but never called: POST comment, PATCH check run');
    expect(() => github.assertAllUsed('GET pull')).toThrow(/PATCH check run, GET pull$/);
  });
});

describe("the app's writes are accepted", () => {
  const outcome = (list: Annotation[], summary = 'Summary'): CheckOutcome => ({ conclusion: 'failure', check: { title: '1 blocking', summary, annotations: list } });

  it('sends 120 annotations as 50 + 50 + 20 on one check run, each request accepted', async () => {
    const id = await completeCheckRun(octokit, REPO, SHA, undefined, outcome(annotations(120)));
    expect(github.refusals).toEqual([]);
    expect(github.checkRuns).toHaveLength(1);
    expect(github.checkRuns[0]!.id).toBe(id);
    expect(github.checkRuns[0]!.annotations.map((a) => a.title)).toEqual(annotations(120).map((a) => a.title));
    expect([github.count('POST check run'), github.count('PATCH check run')]).toEqual([1, 2]);
    expect(github.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
  });

  it('completes a started run with 120 annotations in three further accepted requests', async () => {
    const id = await startCheckRun(octokit, REPO, SHA);
    await completeCheckRun(octokit, REPO, SHA, id, outcome(annotations(120)));
    expect(github.refusals).toEqual([]);
    expect(github.checkRuns[0]!.annotations).toHaveLength(120);
    expect([github.count('POST check run'), github.count('PATCH check run')]).toEqual([1, 3]);
  });

  it('publishes the report of a huge run in accented and emoji-laden values: every body within GitHub\'s limits', async () => {
    const value = 'Ünïcødé ✅🔥 '.repeat(400);
    const findings: Finding[] = Array.from({ length: 400 }, (_, i) =>
      finding({
        severity: i < 50 ? 'block' : 'warn',
        rule: i < 50 ? 'revert' : 'drift-elsewhere',
        resource: `Queue${i}é🔥`,
        span: { startLine: i + 1, endLine: i + 2 },
        message: `Queue${i} — ${value.slice(0, 600)}`,
        evidence: [{ path: 'Description', base: value, head: value, live: `${value}!` }],
      }),
    );
    const report = buildReport(run([target({ findings })]));
    await completeCheckRun(octokit, REPO, SHA, undefined, { conclusion: 'failure', check: report.check });
    await upsertSummaryComment(octokit, REPO, 2, report.comment, { headSha: SHA, updatedAt: '2026-11-27T12:00:00Z' });
    expect(github.refusals).toEqual([]);
    expect(github.checkRuns[0]!.annotations).toHaveLength(400);
    expect(github.count('PATCH check run')).toBe(7); // 400 = 8 requests of 50
    expect(github.comments).toHaveLength(1);
  });
});
