// `realitycheck mcp`: the server on standard input and output. Standard output carries the
// protocol only; anything else goes to standard error.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { LiveProviders } from '../live/registry.js';
import type { McpArgs } from '../cli/parse-args.js';
import { createServer } from './create-server.js';

export async function serveMcp(args: McpArgs, deps: { providers: LiveProviders; version: string; log: (text: string) => void }): Promise<number> {
  const server = createServer({
    repoDir: args.repo,
    ...(args.base ? { base: args.base } : {}),
    ...(args.config ? { config: args.config } : {}),
    plans: args.plans,
    providers: deps.providers,
    version: deps.version,
  });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  deps.log(`realitycheck mcp: serving ${args.repo} over stdio\n`);
  await closed;
  await server.close().catch(() => undefined);
  return 0;
}
