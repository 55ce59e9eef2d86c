// nock answering S3 and Cloud Control in their real wire formats. S3: GetObject is a REST GET
// on the virtual-hosted bucket endpoint, errors are `<Error><Code>…` XML. Cloud Control: the
// AWS JSON 1.0 protocol (POST /, `X-Amz-Target: CloudApiService.GetResource`), properties as
// a JSON string, errors `{"__type": …, "Message": …}` with HTTP 400. Like the real services,
// the fakes refuse a request signed for another region or service, and Cloud Control answers
// ResourceNotFoundException for an identifier it does not hold.
import { Readable } from 'node:stream';
import nock from 'nock';

export const REGION = 'us-east-1';
export const BUCKET = 'acme-tf-state';
export const KEY = 'data/terraform.tfstate';
export const S3_ENDPOINT = `https://${BUCKET}.s3.${REGION}.amazonaws.com`;
export const CC_ENDPOINT = `https://cloudcontrolapi.${REGION}.amazonaws.com`;

let n = 0;
const requestId = () => `4442587FB7D0A2F9${String(++n).padStart(4, '0')}`;

/** `true` when the SigV4 Authorization header is scoped to this region and service. */
function signedFor(headers: Record<string, string | string[] | undefined>, region: string, service: string): boolean {
  const auth = String(headers.authorization ?? '');
  return new RegExp(`^AWS4-HMAC-SHA256 Credential=[^/]+/\\d{8}/${region}/${service}/aws4_request`).test(auth);
}

export function s3ErrorXml(code: string, message: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${extra}<RequestId>${requestId()}</RequestId><HostId>dGhpcyBpcyBhIGhvc3QgaWQ=</HostId></Error>`;
}

/** GetObject of the state: 200 with the body, or S3's error. */
export function s3GetObject(body: string | Buffer, options: { key?: string; endpoint?: string; region?: string; chunked?: boolean } = {}) {
  const region = options.region ?? REGION;
  return nock(options.endpoint ?? S3_ENDPOINT)
    .get(`/${options.key ?? KEY}`)
    .query(true)
    .reply(function () {
      if (!signedFor(this.req.headers, region, 's3')) {
        return [400, s3ErrorXml('AuthorizationHeaderMalformed', `The authorization header is malformed; the region is wrong; expecting '${region}'`, `<Region>${region}</Region>`), { 'Content-Type': 'application/xml' }];
      }
      const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
      return [
        200,
        // chunked: no Content-Length up front, as S3 never does but a proxy in front of it may
        options.chunked ? Readable.from(chunksOf(bytes, 256)) : bytes,
        {
          'Content-Type': 'application/json',
          ...(options.chunked ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': String(bytes.byteLength) }),
          ETag: '"9b2cf535f27731c974343645a3985328"',
          'Last-Modified': 'Tue, 01 Dec 2026 11:58:00 GMT',
          'x-amz-request-id': requestId(),
        },
      ];
    });
}

function* chunksOf(bytes: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < bytes.byteLength; i += size) yield bytes.subarray(i, i + size);
}

export function s3Error(status: number, code: string, message: string, options: { extra?: string; headers?: Record<string, string>; key?: string } = {}) {
  return nock(S3_ENDPOINT)
    .get(`/${options.key ?? KEY}`)
    .query(true)
    .reply(status, s3ErrorXml(code, message, options.extra), { 'Content-Type': 'application/xml', ...options.headers });
}

export interface CloudControlResource {
  typeName: string;
  identifier: string;
  properties?: Record<string, unknown>;
  /** Answer with this error instead (`AccessDeniedException`, `ThrottlingException`, ...). */
  error?: { type: string; message: string };
}

/**
 * A Cloud Control endpoint holding `resources`; each GetResource call is recorded in `calls`
 * (in the order they arrive). Any identifier not held is ResourceNotFoundException.
 */
export function cloudControl(resources: CloudControlResource[], options: { times?: number; region?: string; endpoint?: string } = {}) {
  const region = options.region ?? REGION;
  const calls: Array<{ TypeName: string; Identifier: string }> = [];
  const scope = nock(options.endpoint ?? `https://cloudcontrolapi.${region}.amazonaws.com`)
    .post('/')
    .times(options.times ?? resources.length)
    .reply(function (_uri, body) {
      const headers = this.req.headers;
      if (headers['x-amz-target'] !== 'CloudApiService.GetResource' || headers['content-type'] !== 'application/x-amz-json-1.0') {
        return [400, { __type: 'UnknownOperationException' }, { 'Content-Type': 'application/x-amz-json-1.0' }];
      }
      if (!signedFor(headers, region, 'cloudcontrolapi')) {
        return [400, { __type: 'InvalidSignatureException', message: 'Credential should be scoped to a valid region.' }, { 'Content-Type': 'application/x-amz-json-1.0' }];
      }
      const input = (typeof body === 'string' ? JSON.parse(body) : body) as { TypeName: string; Identifier: string };
      calls.push({ TypeName: input.TypeName, Identifier: input.Identifier });
      const json = { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': `b6c1a2e4-0000-4000-8000-${String(++n).padStart(12, '0')}` };
      const found = resources.find((r) => r.typeName === input.TypeName && r.identifier === input.Identifier);
      if (!found) {
        return [400, { __type: 'ResourceNotFoundException', Message: `Resource of type '${input.TypeName}' with identifier '${input.Identifier}' was not found.` }, json];
      }
      if (found.error) return [400, { __type: found.error.type, Message: found.error.message }, json];
      return [
        200,
        { TypeName: input.TypeName, ResourceDescription: { Identifier: input.Identifier, Properties: JSON.stringify(found.properties ?? {}) } },
        json,
      ];
    });
  return { scope, calls };
}

export function sts(action: string) {
  return nock(`https://sts.${REGION}.amazonaws.com`).post('/', (body) => new URLSearchParams(body as string).get('Action') === action);
}
