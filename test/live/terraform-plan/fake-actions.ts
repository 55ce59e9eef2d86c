// GitHub Actions on nock, in the REST API's shapes: workflow runs (from the real
// `workflow_run` webhook example, which carries the same run object the REST API returns),
// artifacts as `GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts` lists them, and
// the artifact download: a 302 to blob storage, whose fake refuses a request that carries
// an Authorization header as Azure Blob Storage does when a SAS URL also gets a token.
import { deflateRawSync, constants } from 'node:zlib';
import { zipSync, strToU8 } from 'fflate';
import nock from 'nock';
import { example } from '../../helpers/probot.js';

export const API = 'https://api.github.com';
export const BLOB = 'https://productionresultssa0.blob.core.windows.net';
export const OWNER = 'acme';
export const REPO = 'infra';
export const HEAD = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
export const OLD_HEAD = '0f9e8d7c6b5a49382716a5b4c3d2e1f098765432';
export const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';

export interface RunOptions {
  id: number;
  name?: string;
  path?: string;
  headSha?: string;
  status?: string;
  conclusion?: string | null;
  createdAt?: string;
  runAttempt?: number;
}

/** A workflow run object as the REST API returns it. */
export function workflowRun(o: RunOptions): Record<string, any> {
  const run = example('workflow_run', 'completed', false).workflow_run;
  run.id = o.id;
  run.name = o.name ?? 'Terraform plan';
  run.display_title = 'Raise the jobs queue retention';
  run.path = o.path ?? '.github/workflows/terraform-plan.yml';
  run.head_sha = o.headSha ?? HEAD;
  run.event = 'pull_request';
  run.status = o.status ?? 'completed';
  run.conclusion = o.conclusion === undefined ? 'success' : o.conclusion;
  run.run_attempt = o.runAttempt ?? 1;
  run.created_at = o.createdAt ?? '2026-11-30T09:12:00Z';
  run.updated_at = '2026-11-30T09:15:00Z';
  run.html_url = `https://github.com/${OWNER}/${REPO}/actions/runs/${o.id}`;
  run.url = `${API}/repos/${OWNER}/${REPO}/actions/runs/${o.id}`;
  return run;
}

export interface ArtifactOptions {
  id: number;
  runId: number;
  name?: string;
  size?: number;
  expired?: boolean;
  headSha?: string;
}

export function artifact(o: ArtifactOptions): Record<string, unknown> {
  return {
    id: o.id,
    node_id: 'MDg6QXJ0aWZhY3QxMQ==',
    name: o.name ?? 'tfplan-network',
    size_in_bytes: o.size ?? 1024,
    url: `${API}/repos/${OWNER}/${REPO}/actions/artifacts/${o.id}`,
    archive_download_url: `${API}/repos/${OWNER}/${REPO}/actions/artifacts/${o.id}/zip`,
    expired: o.expired ?? false,
    digest: 'sha256:cfc3236bdad15b5898bca8408945c9e19e1917da8704adc20eaa618444290a8c',
    created_at: '2026-11-30T09:14:10Z',
    expires_at: '2027-02-28T09:14:10Z',
    updated_at: '2026-11-30T09:14:10Z',
    workflow_run: { id: o.runId, repository_id: 1296269, head_repository_id: 1296269, head_branch: 'raise-retention', head_sha: o.headSha ?? HEAD },
  };
}

/** GitHub's API: every request must carry the installation token. */
export function github(): nock.Scope {
  return nock(API, { reqheaders: { authorization: `token ${TOKEN}` } });
}

export function listRuns(scope: nock.Scope, runs: Array<Record<string, any>>, workflow?: string, headSha = HEAD): nock.Scope {
  const path = workflow ? `/repos/${OWNER}/${REPO}/actions/workflows/${workflow}/runs` : `/repos/${OWNER}/${REPO}/actions/runs`;
  return scope.get(path).query({ head_sha: headSha, per_page: '100' }).reply(200, { total_count: runs.length, workflow_runs: runs });
}

export function listArtifacts(scope: nock.Scope, runId: number, artifacts: Array<Record<string, unknown>>): nock.Scope {
  return scope
    .get(`/repos/${OWNER}/${REPO}/actions/runs/${runId}/artifacts`)
    .query({ per_page: '100' })
    .reply(200, { total_count: artifacts.length, artifacts });
}

export interface BlobRequest {
  headers: Record<string, unknown>;
}

/**
 * The zip download: GitHub's 302 to a signed blob URL, and the blob host serving `body`.
 * Returns the headers the blob host saw.
 */
export function serveZip(scope: nock.Scope, artifactId: number, body: Uint8Array, options: { contentLength?: boolean } = {}): BlobRequest[] {
  const seen: BlobRequest[] = [];
  const blobPath = `/actions-results/7d1c/workflow-job-run-9f3e/artifacts/${artifactId}.zip`;
  scope.get(`/repos/${OWNER}/${REPO}/actions/artifacts/${artifactId}/zip`).reply(302, '', {
    location: `${BLOB}${blobPath}?rscd=attachment%3B+filename%3D%22tfplan-network.zip%22&se=2026-11-30T09%3A25%3A00Z&sig=Zm9vYmFy&ske=2026-11-30T11%3A00%3A00Z&sp=r&sr=b&sv=2025-01-05`,
  });
  nock(BLOB)
    .get(blobPath)
    .query(true)
    .reply(function () {
      seen.push({ headers: { ...this.req.headers } });
      if (this.req.headers.authorization !== undefined) {
        return [400, '<?xml version="1.0" encoding="utf-8"?><Error><Code>InvalidAuthenticationInfo</Code><Message>Authentication information is not given in the correct format.</Message></Error>', { 'content-type': 'application/xml' }];
      }
      const headers: Record<string, string> = { 'content-type': 'application/zip' };
      if (options.contentLength !== false) headers['content-length'] = String(body.length);
      return [200, Buffer.from(body), headers];
    });
  return seen;
}

/** A zip as upload-artifact writes it (deflated entries). */
export function zipOf(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])), { level: 6 });
}

/**
 * A zip bomb: one `plan.json` entry that inflates to `megabytes` MB of spaces while its
 * headers declare 1 KB (and, like a streamed zip, sizes only in a data descriptor).
 * Built by hand: fully flushed deflate blocks of 1 MB repeated, then a final empty block.
 */
export function zipBomb(megabytes: number): Uint8Array {
  const block = deflateRawSync(Buffer.alloc(1024 * 1024, 0x20), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const data = Buffer.concat([...Array.from({ length: megabytes }, () => block), Buffer.from([0x03, 0x00])]);
  const name = Buffer.from('plan.json');
  const declared = 1024;
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0x0808, 6); // data descriptor, UTF-8 name
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt16LE(name.length, 26);
  const descriptor = Buffer.alloc(16);
  descriptor.writeUInt32LE(0x08074b50, 0);
  descriptor.writeUInt32LE(0, 4);
  descriptor.writeUInt32LE(data.length, 8);
  descriptor.writeUInt32LE(declared, 12);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x0808, 8);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(name.length, 28);
  const centralOffset = local.length + name.length + data.length + descriptor.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return new Uint8Array(Buffer.concat([local, name, data, descriptor, central, name, end]));
}
