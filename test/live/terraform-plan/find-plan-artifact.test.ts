import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Octokit } from '../../../src/github/octokit.js';
import { computePlanLiveState } from '../../../src/live/terraform-plan/compute-plan-live-state.js';
import { findPlanArtifact } from '../../../src/live/terraform-plan/find-plan-artifact.js';
import type { PlanLookup, PlanLookupInput } from '../../../src/live/terraform-plan/types.js';
import { TestOctokit } from '../../helpers/probot.js';
import {
  artifact,
  github,
  HEAD,
  listArtifacts,
  listRuns,
  OLD_HEAD,
  OWNER,
  REPO,
  serveZip,
  TOKEN,
  workflowRun,
  zipBomb,
  zipOf,
} from './fake-actions.js';

const PLAN = readFileSync(new URL('../../fixtures/terraform-plan/pr-queue-drift.json', import.meta.url), 'utf8');
/** `terraform show -json` prints one line. */
const COMPACT = JSON.stringify(JSON.parse(PLAN));
const SECRETS = ['s3cr3t-from-state-9f2a', 'hotfix-pa55word-7c1e'];

const INPUT: PlanLookupInput = { owner: OWNER, repo: REPO, headSha: HEAD, workflow: 'terraform-plan.yml', artifact: 'tfplan-network' };

function octokit(): Octokit {
  return new TestOctokit({ auth: { token: TOKEN } }) as Octokit;
}

function expectStatus<S extends PlanLookup['status']>(lookup: PlanLookup, status: S): Extract<PlanLookup, { status: S }> {
  expect(lookup.status, 'message' in lookup ? lookup.message : '').toBe(status);
  return lookup as Extract<PlanLookup, { status: S }>;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending, 'every faked GitHub call is made').toEqual([]);
});

describe('finding the pull request\'s plan', () => {
  it('downloads the plan of the newest run for the head SHA and reads its drift', async () => {
    const scope = github();
    listRuns(scope, [workflowRun({ id: 902, createdAt: '2026-11-30T09:12:00Z' }), workflowRun({ id: 901, createdAt: '2026-11-30T08:00:00Z', conclusion: 'failure' })], 'terraform-plan.yml');
    const zip = zipOf({ 'plan.json': COMPACT });
    listArtifacts(scope, 902, [artifact({ id: 5501, runId: 902, size: zip.length })]);
    serveZip(scope, 5501, zip);

    const found = expectStatus(await findPlanArtifact(octokit(), INPUT), 'found');
    expect(found.run).toMatchObject({ id: 902, name: 'Terraform plan', path: '.github/workflows/terraform-plan.yml', headSha: HEAD });
    expect(found.entry).toBe('plan.json');
    const queue = found.plan.live.find((r) => r.address === 'module.queues.aws_sqs_queue.jobs');
    expect(queue?.differences).toEqual([{ path: 'visibility_timeout_seconds', expected: 30, actual: 120, kind: 'NOT_EQUAL' }]);
    const everything = JSON.stringify(found);
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
  });

  it('follows the redirect to blob storage without the GitHub token or any other GitHub header', async () => {
    const scope = github();
    listRuns(scope, [workflowRun({ id: 902 })], 'terraform-plan.yml');
    const zip = zipOf({ 'plan.json': COMPACT });
    listArtifacts(scope, 902, [artifact({ id: 5501, runId: 902, size: zip.length })]);
    const blob = serveZip(scope, 5501, zip);

    expectStatus(await findPlanArtifact(octokit(), INPUT), 'found');
    expect(blob).toHaveLength(1);
    expect(blob[0]!.headers.authorization).toBeUndefined();
    expect(JSON.stringify(blob[0]!.headers)).not.toContain(TOKEN);
    // Nothing of ours at all: not Octokit's user agent, not GitHub's media type.
    expect(JSON.stringify(blob[0]!.headers)).not.toMatch(/octokit|probot|vnd\.github/i);
  });

  it('becomes the pull request\'s live state, read when the plan was made', async () => {
    const scope = github();
    listRuns(scope, [workflowRun({ id: 902 })], 'terraform-plan.yml');
    const zip = zipOf({ 'plan.json': COMPACT });
    listArtifacts(scope, 902, [artifact({ id: 5501, runId: 902, size: zip.length })]);
    serveZip(scope, 5501, zip);
    const found = expectStatus(await findPlanArtifact(octokit(), INPUT), 'found');

    const state = computePlanLiveState('network', found.plan, found.run);
    expect(state).toMatchObject({ target: 'network', source: 'terraform-plan', readAt: '2026-11-30T09:14:03Z', unreadable: [] });
    expect(state.drift?.status).toBe('DETECTION_COMPLETE');
    expect(state.drift?.resources.filter((r) => r.status === 'MODIFIED').map((r) => r.logicalId)).toEqual([
      'aws_security_group.web',
      'aws_ssm_parameter.db_password',
      'module.queues.aws_sqs_queue.jobs',
    ]);
  });

  it('takes the run a workflow_run event names, when it is for the current head', async () => {
    const scope = github();
    scope.get(`/repos/${OWNER}/${REPO}/actions/runs/903`).reply(200, workflowRun({ id: 903 }));
    const zip = zipOf({ 'tfplan/plan.json': COMPACT });
    listArtifacts(scope, 903, [artifact({ id: 5502, runId: 903, size: zip.length })]);
    serveZip(scope, 5502, zip);

    const found = expectStatus(await findPlanArtifact(octokit(), { ...INPUT, run: { id: 903, headSha: HEAD } }), 'found');
    expect(found.entry).toBe('tfplan/plan.json');
  });

  it('looks past a workflow_run of another workflow to the configured one', async () => {
    const scope = github();
    scope.get(`/repos/${OWNER}/${REPO}/actions/runs/950`).reply(200, workflowRun({ id: 950, name: 'CI', path: '.github/workflows/ci.yml' }));
    listRuns(scope, [workflowRun({ id: 951, status: 'queued', conclusion: null })], 'terraform-plan.yml');
    const pending = expectStatus(
      await findPlanArtifact(octokit(), { ...INPUT, workflow: '.github/workflows/terraform-plan.yml', run: { id: 950, headSha: HEAD } }),
      'pending',
    );
    expect(pending.message).toContain('run 951 is queued');
  });

  it('ignores a workflow_run for an older head without asking GitHub anything', async () => {
    const lookup = expectStatus(await findPlanArtifact(octokit(), { ...INPUT, run: { id: 880, headSha: OLD_HEAD } }), 'older-head');
    expect(lookup.message).toContain('0f9e8d7');
    expect(lookup.message).toContain('a1b2c3d');
  });

  it('searches every run of the head SHA when no workflow file is configured', async () => {
    const scope = github();
    listRuns(scope, [workflowRun({ id: 905, name: 'CI', path: '.github/workflows/ci.yml', createdAt: '2026-11-30T09:13:00Z' }), workflowRun({ id: 904 })]);
    listArtifacts(scope, 905, [artifact({ id: 6001, runId: 905, name: 'coverage' })]);
    const zip = zipOf({ 'plan.json': COMPACT });
    listArtifacts(scope, 904, [artifact({ id: 5503, runId: 904, size: zip.length })]);
    serveZip(scope, 5503, zip);

    const found = expectStatus(await findPlanArtifact(octokit(), { ...INPUT, workflow: undefined }), 'found');
    expect(found.run.id).toBe(904);
  });
});

describe('waiting and failing with a reason', () => {
  it('waits while no run exists for the head SHA', async () => {
    listRuns(github(), [], 'terraform-plan.yml');
    const pending = expectStatus(await findPlanArtifact(octokit(), INPUT), 'pending');
    expect(pending.message).toBe('waiting for the plan from `terraform-plan.yml` (artifact `tfplan-network`): no run for a1b2c3d yet');
  });

  it('waits while the newest run is still in progress', async () => {
    listRuns(github(), [workflowRun({ id: 906, status: 'in_progress', conclusion: null })], 'terraform-plan.yml');
    const pending = expectStatus(await findPlanArtifact(octokit(), INPUT), 'pending');
    expect(pending.message).toContain('workflow "Terraform plan" run 906 is in progress');
  });

  it('names the workflow, the run and its conclusion when the plan run failed', async () => {
    listRuns(github(), [workflowRun({ id: 907, conclusion: 'failure', runAttempt: 2 })], 'terraform-plan.yml');
    const failed = expectStatus(await findPlanArtifact(octokit(), INPUT), 'failed');
    expect(failed.conclusion).toBe('failure');
    expect(failed.message).toBe(
      'workflow "Terraform plan" run 907, attempt 2 concluded `failure` without a plan (https://github.com/acme/infra/actions/runs/907)',
    );
  });

  it('names the failed run when no workflow file is configured and no run has the plan', async () => {
    const scope = github();
    listRuns(scope, [workflowRun({ id: 960, name: 'CI', path: '.github/workflows/ci.yml' }), workflowRun({ id: 961, conclusion: 'cancelled' })]);
    listArtifacts(scope, 960, []);
    const failed = expectStatus(await findPlanArtifact(octokit(), { ...INPUT, workflow: undefined }), 'failed');
    expect(failed.message).toContain('workflow "Terraform plan" run 961 concluded `cancelled`');
  });

  it('names the artifacts the run has when the plan artifact is missing', async () => {
    const scope = github();
    listRuns(scope, [workflowRun({ id: 908 })], 'terraform-plan.yml');
    listArtifacts(scope, 908, [artifact({ id: 6002, runId: 908, name: 'tfplan-data' }), artifact({ id: 6003, runId: 908, name: 'tflint' })]);
    const missing = expectStatus(await findPlanArtifact(octokit(), INPUT), 'missing-artifact');
    expect(missing.listed).toEqual(['tfplan-data', 'tflint']);
    expect(missing.message).toContain('has no artifact named `tfplan-network` (it has `tfplan-data`, `tflint`)');
  });

  it('says the artifact expired instead of downloading it', async () => {
    const scope = github();
    listRuns(scope, [workflowRun({ id: 909 })], 'terraform-plan.yml');
    listArtifacts(scope, 909, [artifact({ id: 5504, runId: 909, expired: true })]);
    const expired = expectStatus(await findPlanArtifact(octokit(), INPUT), 'expired');
    expect(expired.artifact.id).toBe(5504);
    expect(expired.message).toContain('has expired');
  });

  it('says the artifact expired when the download answers 410 Gone', async () => {
    const scope = github();
    listRuns(scope, [workflowRun({ id: 912 })], 'terraform-plan.yml');
    listArtifacts(scope, 912, [artifact({ id: 5507, runId: 912 })]);
    scope.get(`/repos/${OWNER}/${REPO}/actions/artifacts/5507/zip`).reply(410, { message: 'Artifact has expired', documentation_url: 'https://docs.github.com/rest/actions/artifacts#download-an-artifact', status: '410' });
    const expired = expectStatus(await findPlanArtifact(octokit(), INPUT), 'expired');
    expect(expired.message).toContain('has expired or was deleted');
  });

  it('reads a zip GitHub serves directly instead of redirecting', async () => {
    const scope = github();
    listRuns(scope, [workflowRun({ id: 913 })], 'terraform-plan.yml');
    const zip = zipOf({ 'plan.json': COMPACT });
    listArtifacts(scope, 913, [artifact({ id: 5508, runId: 913, size: zip.length })]);
    scope.get(`/repos/${OWNER}/${REPO}/actions/artifacts/5508/zip`).reply(200, Buffer.from(zip), { 'content-type': 'application/zip' });
    expectStatus(await findPlanArtifact(octokit(), INPUT), 'found');
  });

  it('stops, rather than reporting GitHub unreadable, when the run is aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('superseded by a newer head');
    controller.abort(reason);
    await expect(findPlanArtifact(octokit(), { ...INPUT, signal: controller.signal })).rejects.toBe(reason);
  });

  it('names the permission when GitHub refuses to list runs', async () => {
    github()
      .get(`/repos/${OWNER}/${REPO}/actions/workflows/terraform-plan.yml/runs`)
      .query(true)
      .reply(403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow', status: '403' });
    const unreadable = expectStatus(await findPlanArtifact(octokit(), INPUT), 'unreadable');
    expect(unreadable.unreadable).toMatchObject({ code: 'HTTP 403', retryable: false });
    expect(unreadable.unreadable.message).toContain('"Actions: read" permission');
  });

  it('says the workflow file is unknown when GitHub answers 404 for it', async () => {
    github()
      .get(`/repos/${OWNER}/${REPO}/actions/workflows/terraform-plan.yml/runs`)
      .query(true)
      .reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow', status: '404' });
    const unreadable = expectStatus(await findPlanArtifact(octokit(), INPUT), 'unreadable');
    expect(unreadable.unreadable.message).toContain('does not know the workflow `terraform-plan.yml`');
  });
});

describe('artifacts that are refused', () => {
  function serve(zip: Uint8Array, size = zip.length, contentLength = true) {
    const scope = github();
    listRuns(scope, [workflowRun({ id: 910 })], 'terraform-plan.yml');
    listArtifacts(scope, 910, [artifact({ id: 5505, runId: 910, size })]);
    return serveZip(scope, 5505, zip, { contentLength });
  }

  it('refuses a zip bomb, whatever sizes its headers declare', async () => {
    serve(zipBomb(24));
    const invalid = expectStatus(await findPlanArtifact(octokit(), INPUT, { limits: { maxUncompressedBytes: 8 * 1024 * 1024 } }), 'invalid');
    expect(invalid.message).toContain('the zip inflates to more than 8 MB; refused');
  });

  it('refuses, by default, a plan that inflates past 32 MB (a plan of 10,000 resource changes is 20 MB)', async () => {
    serve(zipBomb(40));
    const invalid = expectStatus(await findPlanArtifact(octokit(), INPUT), 'invalid');
    expect(invalid.message).toContain('the zip inflates to more than 32 MB; refused');
  });

  it('refuses a small artifact whose plan holds millions of empty objects, before parsing it', async () => {
    // 14 MB of `{},{},…`: under the size cap, ~10 KB zipped; parsed, it would hold the app's
    // only thread for seconds (minutes at 127 MB).
    const hostile = `{"format_version":"1.2","configuration":[${'{},'.repeat(5_000_000)}{}]}`;
    const zip = zipOf({ 'plan.json': hostile });
    expect(zip.length).toBeLessThan(200_000);
    serve(zip);
    const invalid = expectStatus(await findPlanArtifact(octokit(), INPUT), 'invalid');
    expect(invalid.error).toMatchObject({ file: 'tfplan-network/plan.json', line: 1 });
    expect(invalid.message).toContain('the plan holds more than 5,000,000 objects and arrays; realitycheck reads plans of up to 5,000,000');
  });

  it('refuses an artifact larger than the cap without downloading it', async () => {
    const scope = github();
    listRuns(scope, [workflowRun({ id: 911 })], 'terraform-plan.yml');
    listArtifacts(scope, 911, [artifact({ id: 5506, runId: 911, size: 80 * 1024 * 1024 })]);
    const invalid = expectStatus(await findPlanArtifact(octokit(), INPUT), 'invalid');
    expect(invalid.message).toContain('it is 80 MB, more than the 50 MB realitycheck downloads');
  });

  it.each([
    ['announced by Content-Length', true],
    ['streamed without a length', false],
  ])('stops a download that runs past the artifact\'s size (%s)', async (_name, contentLength) => {
    // Random bytes do not compress: the zip is about 300 KB, far over the 2 KB GitHub listed.
    const big = zipOf({ 'plan.json': COMPACT, 'noise.txt': randomBytes(220_000).toString('base64') });
    expect(big.length).toBeGreaterThan(200_000);
    serve(big, 2_000, contentLength);
    const invalid = expectStatus(await findPlanArtifact(octokit(), INPUT), 'invalid');
    expect(invalid.message).toMatch(/larger than 0\.1 MB; refused/);
  });

  it('locates the break in a plan that was cut short', async () => {
    serve(zipOf({ 'plan.json': COMPACT.slice(0, 12_345) }));
    const invalid = expectStatus(await findPlanArtifact(octokit(), INPUT), 'invalid');
    expect(invalid.error).toMatchObject({ file: 'tfplan-network/plan.json', line: 1, column: 12_345 });
    expect(invalid.message).toContain('tfplan-network/plan.json (line 1, column 12345)');
  });

  it('refuses a plan of format 2.0', async () => {
    serve(zipOf({ 'plan.json': COMPACT.replace('"format_version":"1.2"', '"format_version":"2.0"') }));
    const invalid = expectStatus(await findPlanArtifact(octokit(), INPUT), 'invalid');
    expect(invalid.message).toContain('format_version "2.0" is not supported');
  });

  it('picks the JSON named like the artifact among several', async () => {
    serve(zipOf({ 'other.json': '{}', 'tfplan-network.json': COMPACT }));
    expect(expectStatus(await findPlanArtifact(octokit(), INPUT), 'found').entry).toBe('tfplan-network.json');
  });

  it('skips the resource forks a macOS zip carries', async () => {
    serve(zipOf({ 'plan.json': COMPACT, '__MACOSX/._plan.json': 'Mac OS X resource fork' }));
    expect(expectStatus(await findPlanArtifact(octokit(), INPUT), 'found').entry).toBe('plan.json');
  });

  it('refuses several JSON files when none is named like the artifact', async () => {
    serve(zipOf({ 'a.json': COMPACT, 'b.json': COMPACT }));
    const invalid = expectStatus(await findPlanArtifact(octokit(), INPUT), 'invalid');
    expect(invalid.message).toContain('2 JSON files (`a.json`, `b.json`) and none is named `tfplan-network.json`');
  });

  it('says so when the artifact holds no JSON (the binary plan file was uploaded)', async () => {
    serve(zipOf({ tfplan: 'PK binary plan' }));
    const invalid = expectStatus(await findPlanArtifact(octokit(), INPUT), 'invalid');
    expect(invalid.message).toContain('no *.json file (it holds `tfplan`)');
  });

  it('refuses a zip with too many entries', async () => {
    serve(zipOf(Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`f${i}.txt`, 'x']))));
    const invalid = expectStatus(await findPlanArtifact(octokit(), INPUT), 'invalid');
    expect(invalid.message).toContain('more than 100 entries');
  });

  it('treats a download that is not a zip as invalid', async () => {
    serve(new TextEncoder().encode(COMPACT));
    const invalid = expectStatus(await findPlanArtifact(octokit(), INPUT), 'invalid');
    expect(invalid.message).toContain('not a zip file');
  });
});
