// The MCP tools on a Terraform root (examples/network), the server in this process on the
// SDK's in-memory transport: the agent's edit of a module file is overlaid on HEAD (trees
// and blobs as git would list them), and the plan handed to `mcp --plan` is its live state.
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProviders } from '../../src/app.js';
import { createServer } from '../../src/mcp/create-server.js';
import { EXAMPLES, git, makeExampleRepo, type ExampleRepo } from './example-repo.js';

let repo: ExampleRepo;
let client: Client;
type ToolResult = { isError?: boolean; content: Array<{ type: string; text?: string }>; structuredContent?: any };

async function connect(plans: Array<{ file: string }>): Promise<Client> {
  const server = createServer({ repoDir: repo.dir, plans, providers: defaultProviders(), version: 'test' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const c = new Client({ name: 'test-agent', version: '1.0.0' });
  await c.connect(clientSide);
  return c;
}

beforeAll(async () => {
  nock.disableNetConnect();
  repo = makeExampleRepo('network');
  git(repo.dir, ['checkout', '--quiet', 'main']);
  client = await connect([{ file: join(EXAMPLES, 'network', 'plan', 'tfplan.json') }]);
});
afterAll(async () => {
  await client.close();
  repo.remove();
  nock.enableNetConnect();
});

describe('realitycheck mcp on a Terraform root', () => {
  it('check_change blocks an edit of the module queue whose visibility timeout was hotfixed live', async () => {
    const file = 'modules/queues/main.tf';
    const content = `resource "aws_sqs_queue" "jobs" {\n  name                       = "jobs"\n  visibility_timeout_seconds = 30\n  message_retention_seconds  = 1209600\n}\n\nresource "aws_sqs_queue" "dlq" {\n  name = "jobs-dlq"\n}\n`;
    const result = (await client.callTool({ name: 'check_change', arguments: { target: 'network', path: file, content } })) as ToolResult;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent.verdict.conclusion).toBe('failure');
    expect(result.structuredContent.targets[0].changes).toEqual([{ resource: 'module.queues.aws_sqs_queue.jobs', type: 'aws_sqs_queue', action: 'change', properties: ['message_retention_seconds'] }]);
    expect(result.structuredContent.findings[0]).toMatchObject({ rule: 'revert', severity: 'block', resource: 'module.queues.aws_sqs_queue.jobs', file, evidence: [{ property: 'visibility_timeout_seconds', live: 120 }] });
  });

  it('get_live_resource shows the module queue as declared and as the plan saw it', async () => {
    const result = (await client.callTool({ name: 'get_live_resource', arguments: { target: 'network', resource: 'module.queues.aws_sqs_queue.jobs' } })) as ToolResult;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      status: 'MODIFIED',
      declared: { head: { type: 'aws_sqs_queue', file: 'modules/queues/main.tf', attributes: { visibility_timeout_seconds: 30 } } },
      live: [{ differences: [expect.objectContaining({ property: 'visibility_timeout_seconds', declared: 30, live: 120 })] }],
    });
  });

  it('without a plan, says how to give one, as a tool error', async () => {
    const bare = await connect([]);
    try {
      const result = (await bare.callTool({ name: 'get_drift', arguments: { target: 'network' } })) as ToolResult;
      expect(result.isError).toBe(true);
      expect(result.content[0]!.text).toContain('network reads its live state from a Terraform plan: pass it with --plan FILE');
    } finally {
      await bare.close();
    }
  });
});
