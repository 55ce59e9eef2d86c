// `reconcile.mode: auto`, end to end: a push to the default branch that touches a target opens
// its reconcile pull request; once live matches the code again, it is closed with a comment.
// The reconcile pull request then goes through the app's own check, clean for its target.
import webhooks from '@octokit/webhooks-examples';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { blobSha, FakeGitHub, githubPatch } from '../helpers/fake-github.js';
import type { FakeGitWrites } from '../helpers/fake-github-writes.js';
import { pullRequestEvent, startApp, type TestApp } from '../helpers/probot.js';
import { ReconcileSchedule } from '../../src/reconcile/schedule-reconcile.js';
import { finish, useFakeAwsEnvironment } from './harness.js';
import { BASE_SHA } from './fixtures.js';
import { awsReads, BASE, inSync, RECONCILED, reconcileRepo, TEMPLATE } from './reconcile-fixtures.js';

const BRANCH = 'realitycheck/reconcile/orders';

/** Records the schedule's timers instead of starting them, so a test can fire one. */
class ManualSchedule extends ReconcileSchedule {
  readonly ticks = new Map<string, { everyMs: number; tick: () => void }>();
  override arm(key: string, everyMs: number, tick: () => void): void {
    this.ticks.set(key, { everyMs, tick });
  }
  override disarm(key: string): void {
    this.ticks.delete(key);
  }
}

let app: TestApp;
let github: FakeGitHub;
let git: FakeGitWrites;
let schedule: ManualSchedule;

beforeAll(useFakeAwsEnvironment);
afterEach(() => finish(github));

async function start(mode = 'auto') {
  github = new FakeGitHub(reconcileRepo({}, mode));
  git = github.git;
  git.branches.master = BASE_SHA;
  schedule = new ManualSchedule();
  app = await startApp({ cloudformation: { sleep: async () => {}, aws: { maxAttempts: 1 } }, reconcileSchedule: schedule });
}

type Example = { name: string; examples: Array<Record<string, any>> };

/** The real push example (to master, with an installation), touching `files`. */
function pushEvent(files: string[], ref = 'refs/heads/master') {
  const all = (webhooks as unknown as { default?: Example[] }).default ?? (webhooks as unknown as Example[]);
  const payload = structuredClone(all.find((e) => e.name === 'push')!.examples.find((e) => e.installation && e.ref === 'refs/heads/master')!);
  payload.ref = ref;
  payload.after = BASE_SHA;
  payload.commits[0].added = [];
  payload.commits[0].modified = files;
  return payload;
}

describe('reconcile.mode: auto', () => {
  it('opens the reconcile pull request after a push to the default branch, and closes it once live matches the code', async () => {
    await start();
    awsReads();
    await app.deliver('push', pushEvent([TEMPLATE]));
    expect(git.openPulls()).toHaveLength(1);
    expect(git.filesOn(BRANCH)[TEMPLATE]).toBe(RECONCILED);
    expect(git.openPulls()[0]!.body).toContain('after a push to master');

    // someone deploys it by hand from the console: live matches the code on master again
    awsReads(inSync());
    await app.deliver('push', pushEvent([TEMPLATE]));
    expect(git.openPulls()).toEqual([]);
    expect(git.pulls).toHaveLength(1);
    const closing = github.comments.at(-1)!;
    expect(closing.body).toContain('matches the code on the default branch again');
    expect(git.branches.master).toBe(BASE_SHA);
  });

  it('runs on the schedule of reconcile.schedule too', async () => {
    await start();
    awsReads();
    await app.deliver('push', pushEvent([TEMPLATE]));
    const timer = schedule.ticks.get('Codertocat/Hello-World')!;
    expect(timer.everyMs).toBe(24 * 3_600_000);
    awsReads(inSync());
    timer.tick();
    await app.queue.idle();
    expect(git.openPulls()).toEqual([]);
  });

  it('starts nothing for a push that touches no target, or to another branch, or in on-request mode', async () => {
    await start();
    await app.deliver('push', pushEvent(['README.md']));
    await app.deliver('push', pushEvent([TEMPLATE], `refs/heads/${BRANCH}`));
    expect(git.pulls).toEqual([]);
    github.done();
    await start('on-request');
    await app.deliver('push', pushEvent([TEMPLATE]));
    expect(git.pulls).toEqual([]);
    expect(schedule.ticks.size).toBe(0);
  });

  it('the reconcile pull request passes its own check for the target', async () => {
    await start();
    awsReads();
    await app.deliver('push', pushEvent([TEMPLATE]));
    const pull = git.openPulls()[0]!;
    const head = git.branches[BRANCH]!;
    github.repo.pullFiles[pull.number] = [{ filename: TEMPLATE, patch: githubPatch(BASE, RECONCILED), sha: blobSha(RECONCILED) }];
    awsReads(); // nothing deployed yet: live still differs from the deployed template
    await app.deliver('pull_request', pullRequestEvent({ action: 'opened', number: pull.number, headSha: head, baseSha: BASE_SHA }));
    expect(github.checkFor(head)?.conclusion).toBe('success');
  });
});
