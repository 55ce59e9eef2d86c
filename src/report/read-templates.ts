// Loads templates/*.md once and renders them with typed data. The directory is resolved
// from this module: src/report/ (vitest) and dist/report/ (after the build) both sit two
// levels below the repository root.
import { readFileSync } from 'node:fs';
import { compileTemplate, renderCompiled, type CompiledTemplate } from './render-template.js';
import type { TemplateData, TemplateName } from './template-data.js';

export const TEMPLATE_DIR = new URL('../../templates/', import.meta.url);

const cache = new Map<TemplateName, CompiledTemplate>();

export function render<K extends TemplateName>(name: K, data: TemplateData[K]): string {
  let template = cache.get(name);
  if (!template) {
    const source = readFileSync(new URL(`${name}.md`, TEMPLATE_DIR), 'utf8');
    template = compileTemplate(source, `templates/${name}.md`);
    cache.set(name, template);
  }
  return renderCompiled(template, data);
}
