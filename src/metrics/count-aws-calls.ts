// Counts an AWS SDK v3 client's calls by service, operation and outcome (`ok`, or the
// error's name: `AccessDenied`, `Throttling`, `TimeoutError`), for `/metrics`. A middleware
// at the `initialize` step sees each call once, after the SDK's own retries.
import { metrics as processMetrics, type Metrics } from './metrics.js';

interface WithMiddleware {
  middlewareStack: { add(middleware: unknown, options: { step: 'initialize'; name: string; override?: boolean }): void };
}

interface CallContext {
  clientName?: string;
  commandName?: string;
}

export function countAwsCalls(client: unknown, metrics: Metrics = processMetrics): void {
  const stack = (client as Partial<WithMiddleware> | null)?.middlewareStack;
  if (!stack || typeof stack.add !== 'function') return;
  const middleware = (next: (args: unknown) => Promise<unknown>, context: CallContext) => async (args: unknown) => {
    const labels = { service: (context.clientName ?? 'unknown').replace(/Client$/, ''), operation: (context.commandName ?? 'unknown').replace(/Command$/, '') };
    try {
      const output = await next(args);
      metrics.aws.inc({ ...labels, outcome: 'ok' });
      return output;
    } catch (error) {
      metrics.aws.inc({ ...labels, outcome: error instanceof Error ? error.name : 'error' });
      throw error;
    }
  };
  stack.add(middleware, { step: 'initialize', name: 'realitycheckCountCalls', override: true });
}
