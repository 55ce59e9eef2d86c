// Signed payloads that are not what they should be get a 400 naming the field (never a 500
// TypeError), nothing is asked of GitHub for them, and the app goes on serving. Each starts
// from a real example in @octokit/webhooks-examples and is damaged in one place.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub } from '../helpers/fake-github.js';
import { example, pullRequestEvent } from '../helpers/probot.js';
import { startWebhookServer, type WebhookServer } from '../helpers/webhook-server.js';
import { awsWithRecentDrift, fakeRepo, finish, useFakeAwsEnvironment } from './harness.js';
import { BASE_SHA, BASE_TEMPLATE, edit, HEAD_SHA } from './fixtures.js';

let server: WebhookServer | undefined;
let github: FakeGitHub;

beforeAll(useFakeAwsEnvironment);
afterEach(async () => {
  await server?.close();
  finish(github);
});

type Payload = Record<string, any>;

const pullRequest = () => pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA });
const comment = () => {
  const payload = example('issue_comment', 'created');
  payload.comment.body = '/realitycheck recheck';
  return payload;
};
const checkRun = () => {
  const payload = example('check_run', 'rerequested');
  payload.check_run.name = 'Reality check';
  return payload;
};

const cases: Array<[string, string, () => Payload, (p: Payload) => void]> = [
  ['pull_request', 'pull_request.labels must be an array, not a string', pullRequest, (p) => (p.pull_request.labels = 'bug')],
  ['pull_request', 'pull_request.labels[0] must be an object, not null', pullRequest, (p) => (p.pull_request.labels = [null])],
  ['pull_request', 'pull_request.head.sha is missing', pullRequest, (p) => delete p.pull_request.head.sha],
  ['pull_request', 'pull_request.head.sha: not a commit SHA', pullRequest, (p) => (p.pull_request.head.sha = '../../../../user')],
  ['pull_request', 'pull_request.number must be a number, not a string', pullRequest, (p) => (p.pull_request.number = '7')],
  ['pull_request', 'pull_request.user must be an object, not null', pullRequest, (p) => (p.pull_request.user = null)],
  ['pull_request', 'repository.default_branch is missing', pullRequest, (p) => delete p.repository.default_branch],
  ['pull_request', 'installation is missing', pullRequest, (p) => delete p.installation],
  ['issue_comment', 'comment.body must be a string, not null', comment, (p) => (p.comment.body = null)],
  ['issue_comment', 'issue.number must be a number, not an object', comment, (p) => (p.issue.number = { n: 2 })],
  ['check_run', 'check_run.pull_requests must be an array, not a string', checkRun, (p) => (p.check_run.pull_requests = 'all')],
  ['check_run', 'check_run.head_sha is missing', checkRun, (p) => delete p.check_run.head_sha],
];

describe('odd payloads', () => {
  it.each(cases)('answers a signed %s event where %s with 400 naming the field, then serves the next event', async (event, problem, make, damage) => {
    github = new FakeGitHub(fakeRepo(edit(BASE_TEMPLATE, 'VisibilityTimeout: 30', 'VisibilityTimeout: 60')));
    server = await startWebhookServer({ cloudformation: { sleep: async () => {}, aws: { maxAttempts: 1 } } });
    const payload = make();
    damage(payload);

    const refused = await server.deliver(event, payload);
    await server.queue.idle();

    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toEqual({ error: `PayloadError: ${event} webhook payload: ${problem}` });
    expect(github.calls).toEqual([]);

    awsWithRecentDrift();
    const served = await server.deliver('pull_request', pullRequest());
    await server.queue.idle();
    expect(served.status).toBe(200);
    expect(github.checkFor(HEAD_SHA)?.status).toBe('completed');
  });
});
