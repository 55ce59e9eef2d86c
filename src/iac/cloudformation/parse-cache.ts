// Parsed templates, kept by content. Across the pushes of one pull request the base
// version (and the deployed template, usually the same text) stays the same, and pull
// requests on one stack share it, so most runs parse only the new head. Entries are
// frozen: a consumer that tried to change a cached template would throw, not leak into
// the next run. Bounded by total text size, least recently used out first: a parsed
// template takes about 7 times its text in memory (0.65 MB for a 97 KB, 500-resource
// template), so 8 MB of text is about 55 MB of heap.
import { createHash } from 'node:crypto';
import type { ParseResult } from '../../types.js';
import { applyLanguageExtensions } from './apply-language-extensions.js';
import { parseTemplate } from './parse-template.js';

const MAX_BYTES = 8 * 1024 * 1024;

const cache = new Map<string, { result: ParseResult; bytes: number }>();
let bytes = 0;

export function parseTemplateCached(file: string, content: string): ParseResult {
  const key = `${file}\0${createHash('sha256').update(content).digest('base64')}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key); // re-insert: most recently used last
    cache.set(key, hit);
    return hit.result;
  }
  const result = deepFreeze(parseDeclared(file, content));
  const size = content.length;
  if (size <= MAX_BYTES / 4) {
    cache.set(key, { result, bytes: size });
    bytes += size;
    for (const [oldest, entry] of cache) {
      if (bytes <= MAX_BYTES) break;
      cache.delete(oldest);
      bytes -= entry.bytes;
    }
  }
  return result;
}

/** The template as CloudFormation deploys it: parsed, then its Fn::ForEach loops expanded. */
export function parseDeclared(file: string, content: string): ParseResult {
  const parsed = parseTemplate(file, content);
  if (!parsed.ok) return parsed;
  const expanded = applyLanguageExtensions(parsed.template);
  // the parser's warnings (a key written twice) stay with the template they were read from
  return expanded.ok && parsed.warnings ? { ...expanded, warnings: parsed.warnings } : expanded;
}

// No array of values per object (Object.values): a template of 12,000 resources spent a
// tenth of its parse here (`npm run bench`).
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
    } else {
      const record = value as Record<string, unknown>;
      for (const key in record) deepFreeze(record[key]);
    }
  }
  return value;
}
