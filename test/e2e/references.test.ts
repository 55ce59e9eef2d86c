// Infrastructure named in application code: a pull request that changes no template still
// gets checked when an AI agent wrote it (or `references.enabled: all`), against the
// repository's declared layer and against AWS (STS, Cloud Control and CloudFormation answer
// in their wire formats through nock).
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub, githubPatch } from '../helpers/fake-github.js';
import { pullRequestEvent, startApp, type TestApp } from '../helpers/probot.js';
import { sts, stsOk, XML } from '../live/fake-aws.js';
import { cloudControl } from '../live/terraform-state/fake-aws.js';
import { finish, useFakeAwsEnvironment } from './harness.js';
import { BASE_SHA, BASE_TEMPLATE, CONFIG, HEAD_SHA, OWNER, REPO, TEMPLATE_PATH } from './fixtures.js';

/** The account the app's credentials act in (not a documentation account: those are never looked up). */
const ACCOUNT = '480157929311';
const QUEUES = `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}`;
const CODE_PATH = 'src/orders/publish.ts';

const BASE_CODE = `import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';

const sqs = new SQSClient({});

export async function publish(order: { id: string }) {
  console.log('publishing', order.id);
}
`;

/** The code with one added line that sends to `queueUrl` (line 7 at the head). */
function codeSending(...queueUrls: string[]): string {
  const sends = queueUrls.map((url) => `  await sqs.send(new SendMessageCommand({ QueueUrl: '${url}', MessageBody: JSON.stringify(order) }));`).join('\n');
  return BASE_CODE.replace("  console.log('publishing', order.id);\n", `  console.log('publishing', order.id);\n${sends}\n`);
}

let app: TestApp;
let github: FakeGitHub;
/** AWS requests nothing answered (with `nock.disableNetConnect()` they fail). */
let unanswered: string[] = [];
const recordUnanswered = (req: { hostname?: string; path?: string }) => {
  if (!String(req.hostname).includes('github.com')) unanswered.push(`${req.hostname}${req.path}`);
};

beforeAll(() => {
  useFakeAwsEnvironment();
  nock.emitter.on('no match', recordUnanswered);
});
afterAll(() => {
  nock.emitter.removeListener('no match', recordUnanswered);
});
afterEach(() => {
  finish(github);
  unanswered = [];
});

interface RunOptions {
  head: string;
  author?: string;
  references?: string;
  /** More configuration (targets), files in both commits, and files the pull request adds. */
  config?: string;
  files?: Record<string, string>;
  added?: Record<string, string>;
  /** `pull_request.changed_files` when GitHub lists fewer. */
  changedFiles?: number;
}

async function run(options: RunOptions) {
  const config = `${options.config ?? CONFIG}${options.references ?? ''}`;
  const both = { [TEMPLATE_PATH]: BASE_TEMPLATE, ...options.files };
  github = new FakeGitHub({
    owner: OWNER,
    repo: REPO,
    config,
    // The template is unchanged: the pull request touches no configured target.
    files: { [BASE_SHA]: { ...both, [CODE_PATH]: BASE_CODE }, [HEAD_SHA]: { ...both, [CODE_PATH]: options.head, ...options.added } },
    pullFiles: {
      2: [
        { filename: CODE_PATH, patch: githubPatch(BASE_CODE, options.head) },
        ...Object.entries(options.added ?? {}).map(([filename, text]) => ({ filename, status: 'added', patch: githubPatch('', text) })),
      ],
    },
  });
  app = await startApp({ cloudformation: { sleep: async () => {}, aws: { maxAttempts: 1 } }, references: { aws: { maxAttempts: 1 } } });
  const payload = pullRequestEvent({ headSha: HEAD_SHA, baseSha: BASE_SHA, ...(options.author ? { author: options.author } : {}) });
  if (options.changedFiles) payload.pull_request.changed_files = options.changedFiles;
  await app.deliver('pull_request', payload);
  const check = github.checkFor(HEAD_SHA)!;
  return { check, comment: github.comments[0]?.body, annotations: check.annotations };
}

function callerIdentity() {
  sts('GetCallerIdentity').reply(
    200,
    stsOk('GetCallerIdentity', `<Arn>arn:aws:iam::${ACCOUNT}:role/realitycheck</Arn><UserId>AROAXAMPLEROLEID:realitycheck</UserId><Account>${ACCOUNT}</Account>`),
    XML,
  );
}

const AGENT = 'copilot-swe-agent[bot]';

describe('an AI-authored pull request that changes only application code', () => {
  it('fails when the added line sends to a queue that does not exist live, annotated on that line with what was looked up', async () => {
    callerIdentity();
    const cc = cloudControl([], { times: 1 });
    const url = `${QUEUES}/orders-prd`;
    const { check, comment, annotations } = await run({ head: codeSending(url), author: AGENT });

    expect(cc.calls).toEqual([{ TypeName: 'AWS::SQS::Queue', Identifier: url }]);
    expect(check.conclusion).toBe('failure');
    expect(annotations).toEqual([
      expect.objectContaining({ path: CODE_PATH, start_line: 7, end_line: 7, annotation_level: 'failure', title: `stale-reference: ${url}` }),
    ]);
    expect(annotations[0]!.message).toContain('cloudcontrol:GetResource');
    expect(comment).toContain(`\`${url}\``);
    expect(comment).toContain('cloudcontrol:GetResource');
    expect(comment).toContain('ResourceNotFoundException');
    expect(comment).toContain(`account ${ACCOUNT}`);
  });

  it('passes when the queue exists live and the orders stack declares it, and writes no comment', async () => {
    callerIdentity();
    const url = `${QUEUES}/orders-prod`; // OrdersQueue: QueueName orders-prod
    const cc = cloudControl([{ typeName: 'AWS::SQS::Queue', identifier: url, properties: { QueueUrl: url, QueueName: 'orders-prod' } }]);
    const { check, comment, annotations } = await run({ head: codeSending(url), author: AGENT });

    expect(cc.calls).toHaveLength(1);
    expect(check.conclusion).toBe('success');
    expect(check.output?.summary).toContain('references in code');
    expect(annotations).toEqual([]);
    expect(comment).toBeUndefined();
  });

  it('says when GitHub listed only part of the files, so references past its list were not read', async () => {
    callerIdentity();
    const url = `${QUEUES}/orders-prod`;
    cloudControl([{ typeName: 'AWS::SQS::Queue', identifier: url, properties: { QueueUrl: url } }]);
    const { check } = await run({ head: codeSending(url), author: AGENT, changedFiles: 3500 });

    expect(check.output?.summary).toContain("GitHub listed 1 of the pull request's 3500 files");
  });

  it('notes a queue that exists live but that no configured target declares, and still passes under policy.ai: strict', async () => {
    callerIdentity();
    const url = `${QUEUES}/legacy-orders`;
    cloudControl([{ typeName: 'AWS::SQS::Queue', identifier: url, properties: { QueueUrl: url } }]);
    const { check, comment, annotations } = await run({ head: codeSending(url), author: AGENT });

    expect(check.conclusion).toBe('success');
    expect(annotations).toEqual([expect.objectContaining({ path: CODE_PATH, start_line: 7, annotation_level: 'notice', title: `unmanaged-reference: ${url}` })]);
    expect(comment).toContain('unmanaged-reference');
    expect(comment).toContain('no configured target declares it');
  });

  it('looks up no more than references.maxLookups resources, and says how many were left unchecked', async () => {
    callerIdentity();
    const cc = cloudControl([], { times: 2 });
    const urls = ['a', 'b', 'c', 'd'].map((q) => `${QUEUES}/orders-${q}`);
    const { check, comment } = await run({ head: codeSending(...urls), author: AGENT, references: 'references:\n  maxLookups: 2\n' });

    expect(cc.calls.map((c) => c.Identifier)).toEqual(urls.slice(0, 2));
    expect(check.conclusion).toBe('failure');
    expect(comment).toContain('2 referenced resources were not looked up');
    expect(comment).toContain('2 not looked up');
  });

  it('says "not checked" for a queue in an account the app has no credentials for, and never passes it', async () => {
    callerIdentity();
    const other = 'https://sqs.us-east-1.amazonaws.com/731902268410/orders-prod';
    const { check, comment } = await run({ head: codeSending(other), author: AGENT, references: 'references:\n  enabled: ai\n' });

    expect(check.conclusion).not.toBe('success');
    expect(comment).toContain('no credentials for account 731902268410');
    expect(unanswered).toEqual([]);
  });
});

describe('other references and declared layers', () => {
  it('finds a table a Terraform root declares and a bucket an .env file names, and blocks on the bucket that is gone', async () => {
    const tfConfig = CONFIG.replace('policy:', `  - name: data\n    terraform:\n      dir: tf/data\npolicy:`);
    const table = `${BASE_CODE}\nexport const ledger = () => ddb.send(new GetItemCommand({ TableName: 'orders-ledger', Key: { id } }));\n`;
    const cc = cloudControl([{ typeName: 'AWS::DynamoDB::Table', identifier: 'orders-ledger', properties: { TableName: 'orders-ledger' } }]);
    nock('https://acme-gone-uploads.s3.us-east-1.amazonaws.com').head('/').reply(404);
    const { check, annotations, comment } = await run({
      head: table,
      author: AGENT,
      config: tfConfig,
      files: { 'tf/data/main.tf': 'resource "aws_dynamodb_table" "ledger" {\n  name     = "orders-ledger"\n  hash_key = "id"\n}\n' },
      added: { '.env.production': 'UPLOAD_BUCKET=acme-gone-uploads\nLOG_LEVEL=info\n' },
    });

    expect(cc.calls).toEqual([{ TypeName: 'AWS::DynamoDB::Table', Identifier: 'orders-ledger' }]);
    expect(check.conclusion).toBe('failure');
    expect(annotations).toEqual([expect.objectContaining({ path: '.env.production', start_line: 1, annotation_level: 'failure', title: 'stale-reference: acme-gone-uploads' })]);
    expect(comment).toContain('s3:HeadBucket');
    expect(comment).not.toContain('unmanaged-reference'); // the table is declared by the Terraform root
  });
});

describe("a person's pull request with the same stale reference", () => {
  it('warns when references.enabled is all', async () => {
    callerIdentity();
    cloudControl([], { times: 1 });
    const { check, annotations } = await run({ head: codeSending(`${QUEUES}/orders-prd`), references: 'references:\n  enabled: all\n' });

    expect(check.conclusion).toBe('neutral');
    expect(annotations).toEqual([expect.objectContaining({ start_line: 7, annotation_level: 'warning' })]);
    github.assertAllUsed('GET pull commits'); // authorship read in full before calling it a person's
  });

  it('looks nothing up for an AI-authored one either with references.enabled: off', async () => {
    const { check, comment } = await run({ head: codeSending(`${QUEUES}/orders-prd`), author: AGENT, references: 'references:\n  enabled: off\n' });

    expect(unanswered).toEqual([]);
    expect(check.conclusion).toBe('success');
    expect(comment).toBeUndefined();
  });

  it('looks nothing up with the default (ai)', async () => {
    const { check, comment } = await run({ head: codeSending(`${QUEUES}/orders-prd`) });

    expect(unanswered).toEqual([]); // no STS, no Cloud Control
    expect(check.conclusion).toBe('success');
    expect(check.output?.title).toBe('No infrastructure changed');
    expect(comment).toBeUndefined();
  });
});
