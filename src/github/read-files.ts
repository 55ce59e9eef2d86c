import type { Octokit, RepoRef } from './octokit.js';

/**
 * Every path the pull request touches, all pages (GitHub caps the list at 3,000 files).
 * Renamed files count under both their old and new paths.
 */
export async function listChangedFiles(octokit: Octokit, repo: RepoRef, pullNumber: number): Promise<string[]> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, { ...repo, pull_number: pullNumber, per_page: 100 });
  const paths = new Set<string>();
  for (const file of files) {
    paths.add(file.filename);
    if (file.previous_filename) paths.add(file.previous_filename);
  }
  return [...paths];
}

/** A file's text at a commit, or `undefined` when it does not exist there. */
export async function readFileAt(octokit: Octokit, repo: RepoRef, path: string, ref: string): Promise<string | undefined> {
  try {
    const response = await octokit.rest.repos.getContent({ ...repo, path, ref, mediaType: { format: 'raw' } });
    const data: unknown = response.data;
    if (typeof data === 'string') return data;
    if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
    throw new Error(`${path} at ${ref.slice(0, 7)} is a directory or a submodule, not a template file`);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}
