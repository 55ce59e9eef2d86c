// The webhook endpoint refuses a body over GitHub's own cap before holding it in memory.
// GitHub does not deliver payloads over 25 MB ("Payloads are capped at 25 MB. If an event
// generates a larger payload, GitHub will not deliver a payload for that webhook event",
// https://docs.github.com/en/webhooks/webhook-events-and-payloads#payload-cap), so a
// larger body is never a delivery from GitHub (the cap is read as 25 MiB, the larger
// reading). @octokit/webhooks' middleware reads the whole body before it checks the
// signature: measured with `probot run`, an unsigned 26 MB body raised the process's peak
// memory by ~300 MB, a 100 MB chunked one by ~690 MB. This guard answers 413 on a
// Content-Length over the cap at once, and counts the bytes of a chunked body as they
// arrive, answering 413 as soon as the count passes the cap.
import type { IncomingMessage, ServerResponse } from 'node:http';

export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

export type NodeMiddleware = (request: IncomingMessage, response: ServerResponse, next?: () => void) => Promise<boolean> | boolean;

/**
 * `webhooks` (the @octokit/webhooks node middleware) gets the body, read and capped, as a
 * string in `request.body`: its `getPayload` takes a string body as the payload as is,
 * the way it does behind frameworks that read the body first.
 */
export function limitWebhookBody(webhookPath: string, webhooks: NodeMiddleware, maxBytes = MAX_WEBHOOK_BYTES): NodeMiddleware {
  const path = trimTrailingSlashes(webhookPath);
  return async (request, response, next) => {
    if (request.method !== 'POST' || pathnameOf(request.url) !== path) return webhooks(request, response, next);
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) return refuse(request, response, maxBytes);
    const body = await readUpTo(request, maxBytes);
    if (body === 'too-large') return refuse(request, response, maxBytes);
    if (body === 'aborted') return true; // the sender went away: nobody to answer
    (request as IncomingMessage & { body?: string }).body = decoder.decode(body);
    return webhooks(request, response, next);
  };
}

// As @octokit/webhooks decodes the body it reads itself (non-fatal UTF-8), so the
// signature is checked over the same text.
const decoder = new TextDecoder('utf-8', { fatal: false });

function readUpTo(request: IncomingMessage, maxBytes: number): Promise<Uint8Array | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (result: Uint8Array | 'too-large' | 'aborted') => {
      request.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        settle('too-large');
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => settle(Buffer.concat(chunks, size));
    const onAbort = () => settle('aborted');
    const onClose = () => {
      if (!request.complete) settle('aborted');
    };
    request.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onClose);
  });
}

/**
 * After the 413 the rest of the body is read and dropped, up to LINGER_BYTES, then the
 * connection is closed (RFC 9110 §15.5.14 lets a server close it). Closing at once made
 * the sender's next write fail (EPIPE) before it had read the answer; Node's own default
 * (reading and dropping whatever Content-Length announces) has no bound.
 */
const LINGER_BYTES = 4 * 1024 * 1024;

function refuse(request: IncomingMessage, response: ServerResponse, maxBytes: number): true {
  const body = JSON.stringify({ error: `webhook payload over ${maxBytes / 1024 / 1024} MB: GitHub delivers no payload larger than that` });
  response.writeHead(413, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  let dropped = 0;
  request.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_BYTES) request.socket.destroy();
  });
  request.resume();
  return true;
}

/** The request's path as @octokit/webhooks compares it (query dropped, trailing slashes trimmed). */
function pathnameOf(url: string | undefined): string | undefined {
  try {
    return new URL(trimTrailingSlashes(url ?? ''), 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

function trimTrailingSlashes(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}
