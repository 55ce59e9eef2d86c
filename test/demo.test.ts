// `npm run demo` runs the real pipeline over examples/orders, offline.
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo/run-demo.js';

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

describe('the demo', () => {
  it('blocks the example pull request offline, showing the queue hotfix it would revert and the deleted topic it refers to', async () => {
    const lines: string[] = [];
    const conclusion = await runDemo(new URL('../examples/orders', import.meta.url).pathname, (text) => lines.push(text));
    const output = lines.join('\n');
    expect(conclusion).toBe('failure');
    expect(output).toContain('Check run "Reality check": failure');
    expect(output).toMatch(/revert.*OrdersQueue/);
    expect(output).toMatch(/\| `VisibilityTimeout` \| `30` \| `30` \| \*\*`120`\*\* \|/);
    expect(output).toMatch(/deleted.*OrdersTopic/);
    expect(output).toContain('Judged AI-authored');
    expect(output).toContain('raised by the on-call runbook'); // ignored drift is counted and shown
    expect(output).not.toContain('pk_live'); // the rotated key never reaches the output
  });
});
