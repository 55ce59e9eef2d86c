// The Terraform fixtures as the pipeline hands them to parseRoot: repository path -> text,
// under `infra/` (as if the repository kept its Terraform there).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../../fixtures/terraform/', import.meta.url));

export function readFixtureTree(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(`infra/${relative(FIXTURES, path).replaceAll('\\', '/')}`, readFileSync(path, 'utf8'));
    }
  };
  walk(FIXTURES);
  return files;
}

/** The fixture tree with one exact text edit in one file (fails loudly when the text is not there). */
export function edited(files: Map<string, string>, path: string, from: string, to: string): Map<string, string> {
  const text = files.get(path);
  if (text === undefined) throw new Error(`no fixture ${path}`);
  if (!text.includes(from)) throw new Error(`${path} has no ${JSON.stringify(from)}`);
  return new Map(files).set(path, text.replace(from, to));
}
