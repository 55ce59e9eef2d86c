// The one place the command line runs `git`: execFile (no shell), arguments checked, no
// program a repository's own config could start (no pager, no external diff, no textconv,
// no fsmonitor; plumbing commands only), and git's own message in the error.
import { execFile } from 'node:child_process';

/** Git could not answer: not a repository, an unknown ref, git missing. The user's to fix (exit 2). */
export class GitError extends Error {
  override readonly name = 'GitError';
}

const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;
/** A full commit id (SHA-1 or SHA-256 repositories). */
export const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * Runs `git -C dir ...args` and returns its standard output. `missingOk`: exit code 1 or 128
 * with nothing on standard output is "not there" (`undefined`), not an error.
 */
export async function runGit(dir: string, args: string[], options: { missingOk?: boolean } = {}): Promise<Buffer | undefined> {
  for (const arg of args) {
    if (arg.includes('\0')) throw new GitError('a git argument contains a NUL character');
  }
  const safety = ['-c', 'core.fsmonitor=false', '-c', 'core.pager=cat', '-c', 'diff.external=', '--no-pager'];
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...safety, '-C', dir, ...args],
      {
        encoding: 'buffer',
        maxBuffer: MAX_OUTPUT_BYTES,
        windowsHide: true,
        // No prompt for credentials, English messages to pass on, no replacement objects.
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', GIT_NO_REPLACE_OBJECTS: '1', GIT_OPTIONAL_LOCKS: '0', GIT_LITERAL_PATHSPECS: '1' },
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const code = (error as { code?: unknown }).code;
        if (code === 'ENOENT') return reject(new GitError('git is not installed or not on PATH'));
        if (options.missingOk && (code === 1 || code === 128)) return resolve(undefined);
        const reason = stderr.toString('utf8').trim().split('\n').filter(Boolean).at(-1) ?? error.message;
        reject(new GitError(`git ${args[0] ?? ''} failed in ${dir}: ${reason}`));
      },
    );
  });
}

/** Standard output as text, without the final newline. */
export async function gitText(dir: string, args: string[]): Promise<string> {
  return (await runGit(dir, args))!.toString('utf8').replace(/\n$/, '');
}

/**
 * The commit a ref names (`main`, `origin/main`, `HEAD~2`, a SHA), or `undefined` when it names
 * none. A ref that looks like an option is refused before git sees it.
 */
export async function resolveCommit(dir: string, ref: string): Promise<string | undefined> {
  if (ref === '' || ref.startsWith('-') || /[\s\0]/.test(ref)) throw new GitError(`"${ref}" is not a git ref`);
  const out = await runGit(dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { missingOk: true });
  const sha = out?.toString('utf8').trim();
  return sha && OBJECT_ID.test(sha) ? sha : undefined;
}

/** Refuses anything but a full object id (everything below takes ids, never refs). */
export function checkObjectId(id: string): string {
  if (!OBJECT_ID.test(id)) throw new GitError(`"${id.slice(0, 80)}" is not a git object id`);
  return id;
}
