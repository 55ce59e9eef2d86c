// A shared rate for AWS calls (with Redis): before each HTTP attempt an SDK client takes a
// token from `rate:<region>|<who>` (see queue/redis-token-bucket.ts), so all workers
// together stay under REALITYCHECK_AWS_RATE per account and region. Without Redis no
// limiter is set and the middleware passes every call through.
//
// Who: the role ARN when the target names one (it contains the account, and every worker
// assuming it shares the bucket); else the access key id the request is signed with. The
// account itself is not known before a first call (it would cost an sts:GetCallerIdentity),
// and one key id belongs to one account, so this never merges two accounts' buckets. With
// short-lived keys (instance profiles, IRSA) each process's session has its own id, so those
// processes do not share a bucket: name a role in the target to share one.
//
// The middleware sits at the `deserialize` step, inside the SDK's retry loop and after
// signing: each attempt takes a token (retries are calls AWS counts too), and the signed
// Authorization header names the key id and region. A wait is bounded (30 s) and ends when
// the call's `abortSignal` aborts.

export interface AwsRateLimiter {
  take(key: string, signal?: AbortSignal): Promise<void>;
}

let shared: AwsRateLimiter | undefined;

/** Sets the limiter of every AWS client of this process (`createApp` does, with Redis); undefined removes it. */
export function useAwsRateLimiter(limiter: AwsRateLimiter | undefined): void {
  shared = limiter;
}

interface WithMiddleware {
  middlewareStack: { add(middleware: unknown, options: { step: 'deserialize'; priority: 'low'; name: string; override?: boolean }): void };
}

interface SignedArgs {
  request?: { headers?: Record<string, string | undefined> };
}

const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\//;

/** Adds the rate-limit middleware to an SDK client; `limiter` defaults to the one `useAwsRateLimiter` set (read at each call). */
export function limitAwsRate(client: unknown, scope: { roleArn?: string | undefined }, limiter: () => AwsRateLimiter | undefined = () => shared): void {
  const stack = (client as Partial<WithMiddleware> | null)?.middlewareStack;
  if (!stack || typeof stack.add !== 'function') return;
  const middleware = (next: (args: unknown) => Promise<unknown>, context: Record<string, unknown>) => async (args: SignedArgs) => {
    const bucket = limiter();
    if (bucket) {
      const authorization = args.request?.headers?.authorization ?? args.request?.headers?.Authorization ?? '';
      const [, keyId = 'unsigned', region = 'unknown'] = CREDENTIAL.exec(authorization) ?? [];
      const smithy = context.__smithy_context as { abortSignal?: AbortSignal } | undefined;
      await bucket.take(`${region}|${scope.roleArn ?? keyId}`, smithy?.abortSignal);
    }
    return next(args);
  };
  stack.add(middleware, { step: 'deserialize', priority: 'low', name: 'realitycheckLimitRate', override: true });
}
