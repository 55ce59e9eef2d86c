// The declared layer at the pull request's head, as names: every configured target's
// template or Terraform root, read from GitHub at the head commit (so resources the pull
// request adds count), whether or not the pull request touches it. A file that cannot be
// read or parsed is said (`problems`), never taken for "declares nothing" silently.
import type { Target } from '../config-types.js';
import { MAX_TEMPLATE_BYTES } from '../iac/cloudformation/parse-template.js';
import { parseTemplateCached } from '../iac/cloudformation/parse-cache.js';
import { FileTooLargeError, readFileAt } from '../github/read-files.js';
import type { Octokit } from '../github/octokit.js';
import type { PullRequestRef } from '../github/pull-request.js';
import { readTerraformRoots } from '../github/read-terraform-root.js';
import { normalizePath } from '../scope.js';
import { cloudFormationNames, exportNames, terraformNames } from './compute-declared-names.js';
import type { DeclaredName } from './types.js';

export interface DeclaredNames {
  names: DeclaredName[];
  /** Targets whose names could not be read, and why (plain text). */
  problems: string[];
}

export async function readDeclaredNames(octokit: Octokit, pr: PullRequestRef, targets: readonly Target[]): Promise<DeclaredNames> {
  const repo = { owner: pr.owner, repo: pr.repo };
  const out: DeclaredNames = { names: [], problems: [] };
  for (const target of targets) {
    if (target.kind === 'cloudformation') {
      const file = normalizePath(target.template);
      let text: string | undefined;
      try {
        text = await readFileAt(octokit, repo, file, pr.headSha, MAX_TEMPLATE_BYTES);
      } catch (error) {
        if (!(error instanceof FileTooLargeError)) throw error;
        out.problems.push(`${target.name}: ${error.message}`);
        continue;
      }
      if (text === undefined) continue; // not in the head: it declares nothing there
      const parsed = parseTemplateCached(file, text);
      if (!parsed.ok) {
        out.problems.push(`${target.name}: ${parsed.error.file}:${parsed.error.line}: ${parsed.error.message}`);
        continue;
      }
      out.names.push(...cloudFormationNames(target.name, parsed.template), ...exportNames(target.name, file, text));
      continue;
    }
    const dir = normalizePath(target.dir).replace(/\/$/, '');
    const roots = await readTerraformRoots(octokit, repo, { mergeBase: pr.headSha, headSha: pr.headSha }, dir);
    if (!roots.head) continue;
    out.names.push(...terraformNames(target.name, roots.head));
    const syntax = roots.head.problems.filter((p) => p.kind === 'syntax' || p.kind === 'unread-file');
    if (syntax.length > 0) out.problems.push(`${target.name}: ${syntax.length === 1 ? 'a file' : `${syntax.length} files`} not read in full (${syntax[0]!.file}:${syntax[0]!.line}: ${syntax[0]!.message})`);
  }
  return out;
}
