// The repository's configuration, from the default branch: absent, invalid (the user's to
// fix, shown on the check run), or valid. Anything else (GitHub down) is thrown: it is not
// a config problem, and the run concludes that it could not verify.
import { CONFIG_PATH, parseConfig, type Config } from '../config.js';
import type { Target } from '../config-types.js';
import type { ConfigProblemReport } from '../types.js';

export type LoadedConfig =
  | { kind: 'absent' }
  | { kind: 'invalid'; problems: ConfigProblemReport[] }
  | { kind: 'valid'; config: Config; targets: Target[] };

export async function readConfig(loadConfig: () => Promise<unknown>): Promise<LoadedConfig> {
  let raw: unknown;
  try {
    raw = await loadConfig();
  } catch (error) {
    if (!isConfigFileProblem(error)) throw error;
    return { kind: 'invalid', problems: [{ file: CONFIG_PATH, key: '', message: describeConfigReadError(error) }] };
  }
  if (raw === null || raw === undefined) return { kind: 'absent' };
  const parsed = parseConfig(raw);
  if (!parsed.ok) return { kind: 'invalid', problems: parsed.problems.map((p) => ({ file: CONFIG_PATH, ...p })) };
  return { kind: 'valid', config: parsed.config, targets: parsed.targets };
}

/**
 * A problem with the file itself, told apart by the error's type, not its text. Probot's
 * config loader (@probot/octokit-plugin-config 4.1, `util/get-config-file.js` and
 * `extends-to-get-content-params.js`) throws a plain `Error` for everything that is wrong
 * with the file (YAML that does not parse, with the YAML error as `cause`; a directory; a
 * bad `_extends`), and rethrows GitHub's `RequestError` (name `HttpError`, with a `status`)
 * for anything the API answered, 404 aside (that is "no config"). So: a plain `Error` is the
 * user's to fix; an `HttpError`, a `TypeError` (a bug), an abort are not.
 */
export function isConfigFileProblem(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const plain = error.constructor === Error && error.name === 'Error' && !('status' in error);
  // A loader that parses the YAML itself (the demo) throws the yaml package's own error.
  return plain || error.name === 'YAMLParseError';
}

/** Probot's config plugin wraps YAML errors; the cause carries the line. */
function describeConfigReadError(error: Error): string {
  const yamlError = error.name === 'YAMLParseError' ? error : error.cause;
  const cause = yamlError as { message?: string; linePos?: Array<{ line: number; col: number }> } | undefined;
  const pos = cause?.linePos?.[0];
  if (cause?.message) return `${pos ? `line ${pos.line}: ` : ''}${cause.message.split('\n')[0]}`;
  return error.message.replace(/^\[@probot\/octokit-plugin-config\]\s*/, '');
}
