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
  if (/region is missing|region not accepted/i.test(message)) {
    return { api, code: 'NoRegion', message: `no usable AWS region (${message}); set \`region\` on the target or AWS_REGION`, retryable: false };
  }
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

/** Runs one AWS call, counting it, and returns its value or an Unreadable. */
export async function attempt<T>(
  api: string,
  count: () => void,
  call: () => Promise<T>,
  context?: ErrorContext,
): Promise<Attempt<T>> {
  count();
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, unreadable: toUnreadable(api, error, context) };
  }
}

/**
 * Every page of a paginated call: `call(nextToken)` fetches one page, `items` picks its
 * entries. The first failed page fails the whole read (a partial list is never returned).
 */
export async function attemptAllPages<P extends { NextToken?: string | undefined }, T>(
  api: string,
  count: () => void,
  call: (nextToken: string | undefined) => Promise<P>,
  items: (page: P) => T[] | undefined,
  context?: ErrorContext,
): Promise<Attempt<T[]>> {
  const all: T[] = [];
  let nextToken: string | undefined;
  do {
    const page = await attempt(api, count, () => call(nextToken), context);
    if (!page.ok) return page;
    all.push(...(items(page.value) ?? []));
    nextToken = page.value.NextToken;
  } while (nextToken);
  return { ok: true, value: all };
}
