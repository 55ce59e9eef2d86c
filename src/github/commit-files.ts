// One commit through the Git Data API: a blob per file, one tree on top of the parent's, one
// commit whose parent is `parentSha`. No author or committer is given, so GitHub writes the
// commit as the app's bot and marks it verified. The ref is set separately (set-branch.ts).
import type { Octokit, RepoRef } from './octokit.js';

export interface FileWrite {
  path: string;
  text: string;
}

export async function commitFiles(octokit: Octokit, repo: RepoRef, parentSha: string, files: readonly FileWrite[], message: string): Promise<string> {
  const { data: parent } = await octokit.rest.git.getCommit({ ...repo, commit_sha: parentSha });
  const tree = [];
  for (const file of files) {
    const { data: blob } = await octokit.rest.git.createBlob({ ...repo, content: Buffer.from(file.text, 'utf8').toString('base64'), encoding: 'base64' });
    tree.push({ path: file.path, mode: '100644' as const, type: 'blob' as const, sha: blob.sha });
  }
  const { data: newTree } = await octokit.rest.git.createTree({ ...repo, base_tree: parent.tree.sha, tree });
  const { data: commit } = await octokit.rest.git.createCommit({ ...repo, message, tree: newTree.sha, parents: [parentSha] });
  return commit.sha;
}
