// A file's bytes by git blob id (`GET git/blobs/{sha}`: JSON, content in base64). A blob id is
// the sha1 of the content, so a blob read once is the same everywhere: base and head of one
// pull request, every later push, and other repositories. Kept in a small in-process cache
// (bounded in bytes and entries, least recently used out first), in flight included, so a
// file identical at base and head is fetched once even when both sides are read at once.
// The bytes are checked against the id before they are trusted.
import { createHash } from 'node:crypto';
import type { RequestCounter } from './read-git-tree.js';
import type { Octokit, RepoRef } from './octokit.js';

const CACHE_MAX_BYTES = 32 * 1024 * 1024;
const CACHE_MAX_ENTRIES = 20_000;

const cache = new Map<string, Promise<Buffer>>();
const sizes = new Map<string, number>();
let cachedBytes = 0;

export async function readGitBlob(octokit: Octokit, repo: RepoRef, sha: string, counter: RequestCounter): Promise<Buffer> {
  const hit = cache.get(sha);
  if (hit) {
    cache.delete(sha); // most recently used last
    cache.set(sha, hit);
    // Another run's request in flight carries that run's abort signal: when it fails (that run
    // was superseded, say), this run asks on its own rather than inherit the failure.
    return hit.catch(() => readGitBlob(octokit, repo, sha, counter));
  }
  const reading = fetchBlob(octokit, repo, sha, counter);
  cache.set(sha, reading);
  try {
    const bytes = await reading;
    if (cache.get(sha) === reading && !sizes.has(sha)) {
      sizes.set(sha, bytes.length);
      cachedBytes += bytes.length;
      evict();
    }
    return bytes;
  } catch (error) {
    if (cache.get(sha) === reading) cache.delete(sha); // an error is not cached: the next run asks again
    throw error;
  }
}

/** Empties the cache (tests that count requests start from nothing). */
export function clearBlobCache(): void {
  cache.clear();
  sizes.clear();
  cachedBytes = 0;
}

async function fetchBlob(octokit: Octokit, repo: RepoRef, sha: string, counter: RequestCounter): Promise<Buffer> {
  counter.requests += 1;
  const { data } = await octokit.rest.git.getBlob({ ...repo, file_sha: sha });
  if (data.encoding !== 'base64' || typeof data.content !== 'string') throw new Error(`git blob ${sha.slice(0, 7)}: GitHub answered with encoding ${JSON.stringify(data.encoding)}, not base64`);
  const bytes = Buffer.from(data.content, 'base64');
  const id = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
  if (id !== sha.toLowerCase()) throw new Error(`git blob ${sha.slice(0, 7)}: the content GitHub sent has id ${id.slice(0, 7)}`);
  return bytes;
}

function evict(): void {
  for (const sha of cache.keys()) {
    if (cachedBytes <= CACHE_MAX_BYTES && cache.size <= CACHE_MAX_ENTRIES) return;
    const size = sizes.get(sha);
    if (size === undefined) continue; // still in flight
    cache.delete(sha);
    sizes.delete(sha);
    cachedBytes -= size;
  }
}
