// Configuration problems as `key — problem`, grouped by file.
import type { RunResult } from '../types.js';
import { codeSpan } from './escape-markdown.js';
import { render } from './read-templates.js';
import { truncate } from './render-value.js';

export function renderConfigError(run: RunResult): string {
  const problems = run.configProblems ?? [];
  const files = [...new Set(problems.map((p) => p.file))];
  return render('config-error', {
    files: files.map((file) => ({
      file: codeSpan(file),
      problems: problems
        .filter((p) => p.file === file)
        .slice(0, 200)
        .map((p) => ({ key: p.key ? codeSpan(truncate(p.key, 200)) : '*(the whole file)*', message: truncate(p.message, 500) })),
    })),
  });
}
