import { createHash } from 'node:crypto';
import { applyPatch, parsePatch, reversePatch } from 'diff';
import type { Octokit, RepoRef } from './octokit.js';

export interface ChangedFile {
  path: string;
  previousPath?: string;
  status: string;
  /** GitHub's header-less unified diff; absent for binary files and very large diffs. */
  patch?: string;
  /** Git blob SHA of the file at the pull request's head, as GitHub listed it. */
  blobSha?: string;
}

/** Every file the pull request touches, all pages (GitHub caps the list at 3,000 files). */
export async function listChangedFiles(octokit: Octokit, repo: RepoRef, pullNumber: number): Promise<ChangedFile[]> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, { ...repo, pull_number: pullNumber, per_page: 100 });
  return files.map((f) => ({
    path: f.filename,
    status: f.status,
    ...(f.previous_filename ? { previousPath: f.previous_filename } : {}),
    ...(f.patch !== undefined ? { patch: f.patch } : {}),
    ...(f.sha ? { blobSha: f.sha } : {}),
  }));
}

/** Paths a change touches: renamed files count under both names. */
export function changedPaths(files: ChangedFile[]): string[] {
  return files.flatMap((f) => (f.previousPath ? [f.path, f.previousPath] : [f.path]));
}

/** A file is larger than the reader accepts; it was not downloaded whole. */
export class FileTooLargeError extends Error {
  constructor(
    readonly path: string,
    /** Its size when GitHub said it (Content-Length), else the bytes read before stopping. */
    readonly bytes: number,
    readonly exact: boolean,
    readonly maxBytes: number,
  ) {
    super(`${path} is ${exact ? '' : 'more than '}${bytes} bytes; at most ${maxBytes} are read`);
  }
}

/**
 * A file's text at a commit, or `undefined` when it does not exist there. With `maxBytes`,
 * the body is streamed and the download stopped past the cap (FileTooLargeError): GitHub
 * serves files up to 100 MB, and the cap used to be checked only after the whole download.
 */
export async function readFileAt(octokit: Octokit, repo: RepoRef, path: string, ref: string, maxBytes?: number): Promise<string | undefined> {
  try {
    const request = maxBytes === undefined ? {} : { request: { parseSuccessResponseBody: false } };
    const response = await octokit.rest.repos.getContent({ ...repo, path, ref, mediaType: { format: 'raw' }, ...request });
    const data: unknown = response.data;
    if (typeof data === 'string') return data;
    if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
    if (data instanceof ReadableStream && maxBytes !== undefined) {
      const length = Number(response.headers['content-length']);
      if (length > maxBytes) {
        await data.cancel();
        throw new FileTooLargeError(path, length, true, maxBytes);
      }
      return await readCapped(data as ReadableStream<Uint8Array>, path, maxBytes);
    }
    throw new Error(`${path} at ${ref.slice(0, 7)} is a directory or a submodule, not a template file`);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

async function readCapped(stream: ReadableStream<Uint8Array>, path: string, maxBytes: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel();
      throw new FileTooLargeError(path, bytes, false, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface Versions {
  base?: string;
  head?: string;
  /** The pull request renames the file: its new path. */
  movedTo?: string;
  /** The file should exist at the head but could not be read there. */
  missingHead?: string;
  /** A version over `maxBytes`, which was not read. */
  tooLarge?: { version: 'base' | 'head'; error: FileTooLargeError };
}

/**
 * The file before and after the pull request, `file` being how GitHub lists it. The base is
 * the version the pull request's diff starts from (its merge base, as GitHub's "Files
 * changed" shows), rebuilt from the head and GitHub's patch, so it costs no request; when
 * there is no patch (large diffs) or it does not apply, it is read at the merge base.
 */
export async function readVersions(
  octokit: Octokit,
  repo: RepoRef,
  file: ChangedFile,
  refs: { baseSha: string; headSha: string },
  maxBytes?: number,
): Promise<Versions> {
  let version: 'base' | 'head' = 'head';
  try {
    return await readBoth(octokit, repo, file, refs, maxBytes, (v) => (version = v));
  } catch (error) {
    if (error instanceof FileTooLargeError) return { tooLarge: { version, error } };
    throw error;
  }
}

async function readBoth(
  octokit: Octokit,
  repo: RepoRef,
  file: ChangedFile,
  refs: { baseSha: string; headSha: string },
  maxBytes: number | undefined,
  reading: (version: 'base' | 'head') => void,
): Promise<Versions> {
  const movedTo = file.previousPath !== undefined && file.previousPath !== file.path ? { movedTo: file.path } : {};
  const head = file.status === 'removed' ? undefined : await readFileAt(octokit, repo, file.path, refs.headSha, maxBytes);
  if (file.status !== 'removed' && head === undefined) return { missingHead: file.path };
  if (file.status === 'added') return { head, ...movedTo };
  // The patch is only taken back out of the head it was made for: a file list that lags a
  // push would otherwise fold the newest changes into the "base" and hide them.
  const patchFits = head === undefined || file.blobSha === undefined || file.blobSha === gitBlobSha(head);
  const rebuilt = file.patch !== undefined && patchFits ? unapplyPatch(head ?? '', file.patch) : undefined;
  reading('base');
  const base = rebuilt ?? (await readFileAt(octokit, repo, file.previousPath ?? file.path, await findMergeBase(octokit, repo, refs), maxBytes));
  return { base, head, ...movedTo };
}

/** Where the pull request's branch left its base branch (the base branch may have moved on since). */
export async function findMergeBase(octokit: Octokit, repo: RepoRef, refs: { baseSha: string; headSha: string }): Promise<string> {
  const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${refs.baseSha}...${refs.headSha}`, per_page: 1 });
  return data.merge_base_commit.sha;
}

/** Git's object id for a file with this text: sha1 of `blob <bytes>\0<text>`. */
export function gitBlobSha(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** `head` with `patch` taken back out, or `undefined` when the patch is malformed or does not fit. */
export function unapplyPatch(head: string, patch: string): string | undefined {
  try {
    if (patch.trim() === '') return head; // a rename without changes
    const parsed = parsePatch(patch);
    // Text with no hunk is not a patch; reading it as "no change" would hide the change.
    if (parsed.length !== 1 || parsed[0]!.hunks.length === 0) return undefined;
    const base = applyPatch(head, reversePatch(parsed[0]!));
    return base === false ? undefined : base;
  } catch {
    return undefined; // a malformed hunk: read the base from GitHub instead
  }
}
