// `npm run demo` runs the real pipeline over examples/orders and examples/network, offline.
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

  it('blocks the Terraform example from its plan artifact: the queue hotfix in the module, on the module\'s lines, and warns about the security group', async () => {
    const lines: string[] = [];
    const conclusion = await runDemo(new URL('../examples/network', import.meta.url).pathname, (text) => lines.push(text));
    const output = lines.join('\n');
    expect(conclusion).toBe('failure');
    expect(output).toContain('Check run "Reality check": failure');
    expect(output).toContain('module.queues.aws_sqs_queue.jobs');
    expect(output).toMatch(/\| `visibility_timeout_seconds` \| `30` \| `30` \| \*\*`120`\*\* \|/);
    expect(output).toMatch(/failure\s+modules\/queues\/main\.tf:\d+-\d+\s+revert: module\.queues\.aws_sqs_queue\.jobs/);
    expect(output).toMatch(/warning\s+tf\/network\/main\.tf:\d+-\d+\s+drift-elsewhere: aws_security_group\.web/);
    expect(output).toContain('Live state from the Terraform plan');
  });
});
