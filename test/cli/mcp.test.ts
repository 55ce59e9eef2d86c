// `realitycheck mcp` as a coding agent meets it: a client on the official MCP SDK spawns the
// command over stdio, in a checkout of the example repository on its default branch (live
// state from the example's snapshot), and calls the four tools.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_SOURCE, git, makeExampleRepo, TSX_LOADER, type ExampleRepo } from './example-repo.js';

let repo: ExampleRepo;
let client: Client;

beforeAll(async () => {
  repo = makeExampleRepo('orders');
  // The agent works on the default branch: no AI-authorship signal, the policy as for anyone.
  git(repo.dir, ['checkout', '--quiet', 'main']);
  client = new Client({ name: 'realitycheck-test-agent', version: '1.0.0' });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', TSX_LOADER, CLI_SOURCE, 'mcp', '--repo', repo.dir],
    cwd: repo.dir,
    // No AWS: the example's target reads a snapshot; nothing may try the network for credentials.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stderr: 'pipe',
  });
  await client.connect(transport);
}, 60_000);

afterAll(async () => {
  await client?.close();
  repo?.remove();
});

type ToolResult = { isError?: boolean; content: Array<{ type: string; text?: string }>; structuredContent?: any };
const call = (name: string, args: Record<string, unknown> = {}) => client.callTool({ name, arguments: args }) as Promise<ToolResult>;
const textOf = (result: ToolResult) => result.content.map((c) => c.text ?? '').join('\n');

describe('realitycheck mcp', () => {
  it('lists the four read-only tools', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['check_change', 'get_drift', 'get_live_resource', 'list_targets']);
    for (const tool of tools) expect(tool.annotations?.readOnlyHint).toBe(true);
    const checkChange = tools.find((t) => t.name === 'check_change')!;
    expect(checkChange.inputSchema.required).toEqual(['target', 'path', 'content']);
  });

  it('lists the configured targets with their live source', async () => {
    const result = await call('list_targets');
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent.targets).toEqual([
      { name: 'orders', kind: 'cloudformation', stack: 'orders-prod', template: 'infra/orders.yaml', region: 'us-east-1', liveSource: 'snapshot live/orders-prod.json (default branch)' },
    ]);
    expect(textOf(result)).toContain('orders (cloudformation, stack orders-prod)');
  });

  it('get_drift names the drifted queue property with its declared and live values, and redacts the rotated key', async () => {
    const result = await call('get_drift', { target: 'orders' });
    expect(result.isError).toBeFalsy();
    const queue = result.structuredContent.drifted.find((r: { resource: string }) => r.resource === 'OrdersQueue');
    expect(queue).toMatchObject({ type: 'AWS::SQS::Queue', status: 'MODIFIED', properties: [{ property: 'VisibilityTimeout', declared: 30, live: 120 }] });
    expect(result.structuredContent.live).toMatchObject({ source: 'snapshot', checkedAt: '2026-11-27T09:30:00.000Z', unreadable: [] });
    expect(textOf(result)).toContain('OrdersQueue (AWS::SQS::Queue) MODIFIED: VisibilityTimeout declared 30, live 120');
    const fn = result.structuredContent.drifted.find((r: { resource: string }) => r.resource === 'OrdersFunction');
    expect(fn.properties).toContainEqual(expect.objectContaining({ property: 'Environment.Variables.PAYMENTS_API_KEY', live: '***', redacted: true }));
    expect(JSON.stringify(result)).not.toContain('pk_live');
  });

  it('get_live_resource gives one resource declared and live, and a tool error naming the resources for an unknown one', async () => {
    const result = await call('get_live_resource', { target: 'orders', resource: 'OrdersQueue' });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      resource: 'OrdersQueue',
      status: 'MODIFIED',
      declared: { head: { type: 'AWS::SQS::Queue', properties: { VisibilityTimeout: 30 } } },
      live: [{ instance: 'OrdersQueue', status: 'MODIFIED', differences: [{ property: 'VisibilityTimeout', declared: 30, live: 120 }] }],
    });
    const missing = await call('get_live_resource', { target: 'orders', resource: 'PaymentsQueue' });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/orders has no resource "PaymentsQueue"; its resources: .*OrdersQueue/);
  });

  it('check_change blocks a template that edits the hotfixed queue: deploying it reverts the live VisibilityTimeout', async () => {
    const template = readFileSync(join(repo.dir, 'infra/orders.yaml'), 'utf8');
    const edited = template.replace('MessageRetentionPeriod: 345600', 'MessageRetentionPeriod: 1209600');
    expect(edited).not.toBe(template);
    const result = await call('check_change', { target: 'orders', path: 'infra/orders.yaml', content: edited });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ schemaVersion: 1, verdict: { conclusion: 'failure', aiAuthored: false } });
    const revert = result.structuredContent.findings.find((f: { rule: string }) => f.rule === 'revert');
    expect(revert).toMatchObject({ severity: 'block', resource: 'OrdersQueue', property: 'VisibilityTimeout', evidence: [{ property: 'VisibilityTimeout', base: 30, head: 30, live: 120 }] });
    expect(textOf(result)).toMatch(/failure\nblock revert OrdersQueue/);
    // The checkout itself is untouched.
    expect(readFileSync(join(repo.dir, 'infra/orders.yaml'), 'utf8')).toBe(template);
  });

  it('check_change with the template unchanged passes what it can verify, and refuses a path outside the repository', async () => {
    const template = readFileSync(join(repo.dir, 'infra/orders.yaml'), 'utf8');
    const same = await call('check_change', { target: 'orders', path: 'infra/orders.yaml', content: template });
    expect(same.isError).toBeFalsy();
    expect(same.structuredContent.findings.some((f: { rule: string }) => f.rule === 'revert')).toBe(false);
    const outside = await call('check_change', { target: 'orders', path: '../etc/passwd', content: 'x' });
    expect(outside.isError).toBe(true);
    expect(textOf(outside)).toContain('is not a file path inside the repository');
    const unknown = await call('get_drift', { target: 'payments' });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toContain('--target payments: no such target; the configured targets are orders');
  });
});
