// The state file from S3 (GetObject), bounded in size while it streams in. Never throws for
// a cloud error: NoSuchKey, AccessDenied, a bucket in another region and the rest become an
// Unreadable naming `s3:GetObject`, the object and what to do. Rejects only when the run is
// aborted.
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Unreadable } from '../../types.js';
import { attempt, type Attempt, type CallLimits } from '../aws-errors.js';
import type { StateLocation } from './types.js';

/** Far above real roots (a 1,000-resource state is a few MB) and small enough to hold in memory. */
export const DEFAULT_MAX_STATE_BYTES = 50 * 1024 * 1024;

export const GET_OBJECT = 's3:GetObject';

export function stateUrl(location: StateLocation): string {
  return `s3://${location.s3.bucket}/${location.s3.key}`;
}

export async function readStateObject(
  client: S3Client,
  location: StateLocation,
  count: () => void,
  limits: CallLimits,
  maxBytes = DEFAULT_MAX_STATE_BYTES,
): Promise<Attempt<string>> {
  const url = stateUrl(location);
  let bucketRegion: string | undefined;
  let redirected = false;
  const read = await attempt(
    GET_OBJECT,
    count,
    async (abortSignal) => {
      const out = await client.send(new GetObjectCommand({ Bucket: location.s3.bucket, Key: location.s3.key }), { abortSignal }).catch((error: unknown) => {
        bucketRegion = regionS3Names(error);
        redirected = isRedirect(error);
        throw error;
      });
      if (out.ContentLength !== undefined && out.ContentLength > maxBytes) {
        destroy(out.Body);
        throw tooLarge(url, maxBytes, `${out.ContentLength} bytes`);
      }
      return readBounded(out.Body, url, maxBytes);
    },
    location.s3.region ? { region: location.s3.region } : {},
    limits,
  );
  if (read.ok) return read;
  return { ok: false, unreadable: explain(read.unreadable, location, { bucketRegion, redirected }) };
}

/** S3 sends a request for a bucket in another region elsewhere (301, or 307 while a new bucket's DNS settles). */
function isRedirect(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return status === 301 || status === 307;
}

/**
 * The bucket's real region, when S3 says it: the `x-amz-bucket-region` header of a 301, the
 * `<Region>` of AuthorizationHeaderMalformed, or the region in a redirect's `<Endpoint>`.
 */
function regionS3Names(error: unknown): string | undefined {
  const e = error as { $response?: { headers?: Record<string, string> }; Region?: unknown; Endpoint?: unknown };
  const header = e?.$response?.headers?.['x-amz-bucket-region'];
  if (typeof header === 'string' && header) return header;
  if (typeof e?.Region === 'string' && e.Region) return e.Region;
  const endpoint = typeof e?.Endpoint === 'string' ? /\.s3[.-]([a-z0-9-]+)\.amazonaws\.com/.exec(e.Endpoint) : null;
  return endpoint?.[1];
}

/** Reads the body to the end, stopping as soon as it passes `maxBytes` (a wrong Content-Length cannot get past). */
async function readBounded(body: unknown, url: string, maxBytes: number): Promise<string> {
  if (!body || typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') {
    throw Object.assign(new Error(`S3 answered GetObject for ${url} without a body`), { name: 'InvalidResponse' });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    size += buffer.byteLength;
    if (size > maxBytes) {
      destroy(body);
      throw tooLarge(url, maxBytes, `more than that`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function destroy(body: unknown): void {
  const stream = body as { destroy?: () => void } | undefined;
  stream?.destroy?.();
}

function tooLarge(url: string, maxBytes: number, found: string): Error {
  return Object.assign(new Error(`${url} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB (${found}); it was not read`), { name: 'StateTooLarge' });
}

const WRONG_REGION = new Set(['PermanentRedirect', 'AuthorizationHeaderMalformed', 'IllegalLocationConstraintException', 'Redirect', 'TemporaryRedirect']);

/** AWS's terse codes as sentences that say which object, which permission, and what to change. */
function explain(unreadable: Unreadable, location: StateLocation, answer: { bucketRegion: string | undefined; redirected: boolean }): Unreadable {
  const { bucketRegion } = answer;
  const url = stateUrl(location);
  const region = location.s3.region ? ` in ${location.s3.region}` : '';
  switch (unreadable.code) {
    case 'NoSuchKey':
      return { ...unreadable, message: `the state file ${url} does not exist (NoSuchKey); check \`state.s3.key\` or the \`backend "s3"\` block` };
    case 'NoSuchBucket':
      return { ...unreadable, message: `the bucket ${location.s3.bucket} does not exist${region} (NoSuchBucket); check \`state.s3.bucket\`` };
    case 'AccessDenied':
    case 'Forbidden':
      return {
        ...unreadable,
        code: 'AccessDenied',
        message:
          `AccessDenied on ${GET_OBJECT} for ${url}: the app's role needs s3:GetObject on arn:aws:s3:::${location.s3.bucket}/${location.s3.key}` +
          ` (and kms:Decrypt when the bucket uses SSE-KMS; without s3:ListBucket, S3 also answers AccessDenied for a key that does not exist)`,
      };
    default:
      // S3's codes for a bucket in another region (PermanentRedirect "must be addressed using
      // the specified endpoint", AuthorizationHeaderMalformed "the region 'us-east-1' is
      // wrong", ...), or a redirect whose body had no code: the HTTP status says it.
      if (WRONG_REGION.has(unreadable.code) || answer.redirected) {
        return {
          ...unreadable,
          code: 'WrongRegion',
          message:
            `the bucket ${location.s3.bucket} is not in ${location.s3.region ?? 'the configured region'}` +
            (bucketRegion ? `; S3 says it is in ${bucketRegion}` : '') +
            ` (S3: ${unreadable.code}); set \`state.s3.region\` to the bucket's region`,
          retryable: false,
        };
      }
      return { ...unreadable, message: `${unreadable.message} (reading ${url})` };
  }
}
