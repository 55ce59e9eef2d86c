// Turns an AWS SDK failure into an Unreadable: which call (IAM action form), which code,
// what AWS said, and whether trying again later may help. Never throws.
import type { Unreadable } from '../types.js';

export type Attempt<T> = { ok: true; value: T } | { ok: false; unreadable: Unreadable };

export interface ErrorContext {
  stack?: string;
  region?: string;
}

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'TimeoutError']);

interface SdkErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

export function toUnreadable(api: string, error: unknown, context: ErrorContext = {}): Unreadable {
  if (!(error instanceof Error)) {
    return { api, code: 'Unknown', message: String(error), retryable: false };
  }
  const e = error as Error & SdkErrorLike;
  const name = e.name || 'Error';
  const message = e.message || name;

  if (name === 'CredentialsProviderError') {
    return {
      api,
      code: 'NoCredentials',
      message: `no AWS credentials found (${message}); configure the default credential chain: environment variables, a shared config profile, web identity, or an instance/container role`,
      retryable: false,
    };
  }
  // No typed signal to use: the SDK (@smithy/core config-resolver: resolveRegionConfig,
  // checkRegion) throws a plain `Error` with no name or code, "Region is missing" or
  // "Region not accepted: region=... is not a valid hostname component", so its text is all
  // there is.
  if (/region is missing|region not accepted/i.test(message)) {
    return { api, code: 'NoRegion', message: `no usable AWS region (${message}); set \`region\` on the target or AWS_REGION`, retryable: false };
  }
  // CloudFormation answers a missing stack with the same code as every other bad request
  // (`ValidationError`, HTTP 400: "Stack with id orders-prod does not exist"); only its text
  // tells them apart, so the code is checked first and the text second.
  if (name === 'ValidationError' && /does not exist/i.test(message)) {
    const where = context.region ? ` in ${context.region}` : '';
    const subject = context.stack ? `stack "${context.stack}"` : 'the stack';
    return { api, code: name, message: `${subject} does not exist${where} (AWS: ${message})`, retryable: false };
  }
  if (THROTTLING_CODES.has(name)) {
    return { api, code: name, message: `${message} (still throttled after the SDK's retries)`, retryable: true };
  }
  const code = NETWORK_CODES.has(e.code ?? '') ? e.code! : name;
  const status = e.$metadata?.httpStatusCode;
  const retryable =
    e.$fault === 'server' || (status !== undefined && status >= 500) || Boolean(e.$retryable) || NETWORK_CODES.has(code);
  return { api, code, message, retryable };
}

/**
 * How one AWS call is bounded: the run's abort signal (superseded, or past its deadline)
 * and a timeout of its own, so one hung connection cannot hold a run.
 */
export interface CallLimits {
  signal?: AbortSignal;
  /** Milliseconds for the call, the SDK's own retries included. */
  timeoutMs: number;
}

export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

/** The signal one call passes to the SDK (`abortSignal`): the run's signal or the call's timeout. */
export function callSignal(limits: CallLimits): AbortSignal {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  return limits.signal ? AbortSignal.any([limits.signal, timeout]) : timeout;
}

/**
 * The run was aborted: rethrow its reason. Cancellation is not a cloud error; it must not
 * become an Unreadable that the run would then report as if AWS had answered.
 */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}

/**
 * Runs one AWS call, counting it, and returns its value or an Unreadable. `call` gets the
 * signal to hand to the SDK. A call past its own timeout is a retryable `Timeout`; a call
 * the run aborted rejects with the run's reason.
 */
export async function attempt<T>(
  api: string,
  count: () => void,
  call: (abortSignal: AbortSignal) => Promise<T>,
  context: ErrorContext = {},
  limits: CallLimits = { timeoutMs: DEFAULT_CALL_TIMEOUT_MS },
): Promise<Attempt<T>> {
  throwIfAborted(limits.signal);
  count();
  const signal = callSignal(limits);
  try {
    return { ok: true, value: await call(signal) };
  } catch (error) {
    throwIfAborted(limits.signal);
    if (signal.aborted) return { ok: false, unreadable: timedOut(api, limits.timeoutMs) };
    return { ok: false, unreadable: toUnreadable(api, error, context) };
  }
}

function timedOut(api: string, ms: number): Unreadable {
  return { api, code: 'Timeout', message: `AWS did not answer within ${Math.round(ms / 1000)} s`, retryable: true };
}

/**
 * A paginated call read to the end through the SDK's paginator (`paginateListStackResources`
 * and friends): `pages(signal)` starts it. The first failed page fails the whole read (a
 * partial list is never returned), and so does a list that never ends: a NextToken seen
 * before, or more than `maxPages` pages.
 */
export async function attemptAllPages<P extends { NextToken?: string | undefined }, T>(
  api: string,
  count: () => void,
  pages: (abortSignal: AbortSignal) => AsyncIterable<P>,
  items: (page: P) => T[] | undefined,
  context: ErrorContext = {},
  limits: CallLimits & { maxPages?: number } = { timeoutMs: DEFAULT_CALL_TIMEOUT_MS },
): Promise<Attempt<T[]>> {
  const maxPages = limits.maxPages ?? MAX_PAGES;
  const all: T[] = [];
  const tokens = new Set<string>();
  const read = await attempt(
    api,
    () => {},
    async (signal) => {
      for await (const page of pages(signal)) {
        count();
        all.push(...(items(page) ?? []));
        const token = page.NextToken;
        if (!token) return 'complete' as const;
        if (tokens.has(token)) return 'repeated' as const;
        if (tokens.size + 1 >= maxPages) return 'too-many' as const;
        tokens.add(token);
      }
      return 'complete' as const;
    },
    context,
    // The paginator hands one signal to every page: the whole list gets a few calls' time.
    { ...limits, timeoutMs: limits.timeoutMs * PAGED_TIMEOUT_FACTOR },
  );
  if (!read.ok) return read;
  if (read.value === 'repeated') return { ok: false, unreadable: endless(api, `AWS returned the same NextToken twice after ${tokens.size} pages`) };
  if (read.value === 'too-many') return { ok: false, unreadable: endless(api, `more than ${maxPages} pages`) };
  return { ok: true, value: all };
}

const PAGED_TIMEOUT_FACTOR = 4;

/** Far beyond any stack: 500 resources are 5 pages of ListStackResources or of drift records. */
const MAX_PAGES = 100;

function endless(api: string, why: string): Unreadable {
  return { api, code: 'InvalidResponse', message: `the list did not end (${why}), so it was not used`, retryable: true };
}
