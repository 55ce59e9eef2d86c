// GitHub I/O. Downloads an Actions artifact's zip. GitHub answers
// `GET /repos/{owner}/{repo}/actions/artifacts/{id}/zip` with `302 Found` and a short-lived
// signed `Location` on blob storage. That URL carries its own authorization, so it is
// fetched with no headers of ours: the installation token must never reach the blob host.
// The redirect is taken by hand: left to Octokit, Node's fetch drops Authorization on the
// cross-origin hop (as the Fetch standard says) but forwards Octokit's other headers, and a
// fetch a deployment plugs into Probot (`request.fetch`) need not drop anything. The body
// is counted while it streams and the download stops as soon as it passes the cap.
import type { Octokit } from '../../github/octokit.js';
import type { Unreadable } from '../../types.js';
import { mb } from './parse-plan-zip.js';

export interface ZipDownload {
  owner: string;
  repo: string;
  artifactId: number;
  /** Stop reading past this many bytes. */
  maxBytes: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The fetch for the blob host (tests and the demo pass their own); default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
}

export type ZipRead = { ok: true; zip: Uint8Array } | { ok: false; unreadable: Unreadable; tooLarge?: boolean };

const API = 'actions:GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/zip';

export async function readArtifactZip(octokit: Octokit, input: ZipDownload): Promise<ZipRead> {
  const signal = input.signal ? AbortSignal.any([input.signal, AbortSignal.timeout(input.timeoutMs)]) : AbortSignal.timeout(input.timeoutMs);
  let response: { status: number; headers: Record<string, unknown>; data: unknown };
  try {
    response = await octokit.request('GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}', {
      owner: input.owner,
      repo: input.repo,
      artifact_id: input.artifactId,
      archive_format: 'zip',
      // Take the redirect ourselves; hand back the body as a stream so a direct answer is capped too.
      request: { redirect: 'manual', parseSuccessResponseBody: false, signal },
    });
  } catch (error) {
    input.signal?.throwIfAborted();
    return { ok: false, unreadable: gitHubUnreadable(API, error, signal) };
  }
  if (response.status >= 300 && response.status < 400) {
    await cancel(response.data);
    const location = header(response.headers, 'location');
    if (!location) return failed('InvalidResponse', `GitHub answered ${response.status} without a Location to download from`);
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      return failed('InvalidResponse', 'GitHub redirected the download to an address that is not a URL');
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && apiIsHttp(octokit))) {
      return failed('InvalidResponse', `GitHub redirected the download to a ${url.protocol} address; only https is followed`);
    }
    return fetchBlob(url, input, signal);
  }
  return readCapped(response.data, input.maxBytes, signal, 'GitHub');
}

/** The blob host: no Authorization, no GitHub headers, and a cap on what is read. */
async function fetchBlob(url: URL, input: ZipDownload, signal: AbortSignal): Promise<ZipRead> {
  const fetch = input.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await fetch(url, { signal, redirect: 'follow' });
  } catch (error) {
    input.signal?.throwIfAborted();
    if (signal.aborted) return failed('Timeout', `the artifact download did not finish within ${Math.round(input.timeoutMs / 1000)} s`, true);
    return failed('NetworkError', `the artifact download from ${url.host} failed (${(error as Error).message})`, true);
  }
  if (!response.ok) {
    await cancel(response.body);
    // The signed URL expires within minutes; asking GitHub again gives a fresh one.
    return failed(`HTTP ${response.status}`, `the artifact download from ${url.host} answered ${response.status}`, response.status >= 500 || response.status === 403);
  }
  const length = Number(response.headers.get('content-length'));
  if (Number.isFinite(length) && length > input.maxBytes) {
    await cancel(response.body);
    return tooLarge(input.maxBytes, length);
  }
  return readCapped(response.body, input.maxBytes, signal, url.host);
}

async function readCapped(body: unknown, maxBytes: number, signal: AbortSignal, from: string): Promise<ZipRead> {
  if (body instanceof ArrayBuffer || body instanceof Uint8Array) {
    const bytes = body instanceof ArrayBuffer ? new Uint8Array(body) : body;
    return bytes.length > maxBytes ? tooLarge(maxBytes) : { ok: true, zip: bytes };
  }
  if (!(body instanceof ReadableStream)) return failed('InvalidResponse', `the artifact download from ${from} had no body`);
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel();
        return tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (signal.aborted) throw signal.reason ?? error;
    return failed('NetworkError', `the artifact download from ${from} broke off (${(error as Error).message})`, true);
  }
  const zip = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    zip.set(c, at);
    at += c.length;
  }
  return { ok: true, zip };
}

function tooLarge(maxBytes: number, declared?: number): ZipRead {
  const size = declared !== undefined ? ` (${mb(declared)})` : '';
  return { ok: false, tooLarge: true, unreadable: { api: API, code: 'TooLarge', message: `the artifact${size} is larger than ${mb(maxBytes)}; refused`, retryable: false } };
}

function failed(code: string, message: string, retryable = false): ZipRead {
  return { ok: false, unreadable: { api: API, code, message, retryable } };
}

async function cancel(body: unknown): Promise<void> {
  if (body instanceof ReadableStream) await body.cancel().catch(() => {});
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function apiIsHttp(octokit: Octokit): boolean {
  const base = (octokit.request.endpoint.DEFAULTS as { baseUrl?: string }).baseUrl ?? '';
  return base.startsWith('http:');
}

/**
 * A failed GitHub call as an Unreadable: which endpoint, the HTTP status and GitHub's
 * message, and what permission to check when GitHub refuses.
 */
export function gitHubUnreadable(api: string, error: unknown, signal?: AbortSignal): Unreadable {
  if (signal?.aborted) return { api, code: 'Timeout', message: 'GitHub did not answer in time', retryable: true };
  const e = error as { status?: unknown; message?: unknown; response?: { headers?: Record<string, unknown> } };
  const status = typeof e.status === 'number' ? e.status : undefined;
  const said = typeof e.message === 'string' ? e.message : String(error);
  if (status === 403 || status === 404) {
    const limited = status === 403 && e.response?.headers?.['x-ratelimit-remaining'] === '0';
    if (limited) return { api, code: 'RateLimited', message: `GitHub's rate limit is used up (${said})`, retryable: true };
    return {
      api,
      code: `HTTP ${status}`,
      message: `GitHub answered ${status} (${said}); the app needs the "Actions: read" permission on this repository`,
      retryable: false,
    };
  }
  if (status === 410) return { api, code: 'HTTP 410', message: `GitHub answered 410 Gone (${said}): the artifact has expired or was deleted`, retryable: false };
  const retryable = status === undefined || status >= 500 || status === 429;
  return { api, code: status !== undefined ? `HTTP ${status}` : 'NetworkError', message: said, retryable };
}
