// Parsed HCL files, kept by path and content. The base and the head of a pull request share
// most files of a root, and every push of the same pull request shares them again, so most
// parseRoot calls parse only the files the pull request changed (the tree-sitter parse is
// most of parseRoot's time: `npm run bench`). Entries are frozen: a consumer that tried to
// change a parsed file would throw, not leak into the next run. Bounded by total text size,
// least recently used out first.
import { createHash } from 'node:crypto';
import { parseHclFile, type HclFile } from './parse-hcl-file.js';

const MAX_BYTES = 8 * 1024 * 1024;

const cache = new Map<string, { file: HclFile; size: number }>();
let bytes = 0;

export function parseHclFileCached(path: string, content: string): HclFile {
  const key = `${path}\0${createHash('sha256').update(content).digest('base64')}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key); // re-insert: most recently used last
    cache.set(key, hit);
    return hit.file;
  }
  const file = deepFreeze(parseHclFile(path, content));
  const size = content.length;
  if (size <= MAX_BYTES / 4) {
    cache.set(key, { file, size });
    bytes += size;
    for (const [oldest, entry] of cache) {
      if (bytes <= MAX_BYTES) break;
      cache.delete(oldest);
      bytes -= entry.size;
    }
  }
  return file;
}

function deepFreeze<T>(value: T): T {
  const stack: object[] = [value as object];
  while (stack.length > 0) {
    const item = stack.pop()!;
    Object.freeze(item);
    // plain objects and arrays only (what parseHclFile builds); for-in allocates nothing
    for (const key in item) {
      const child = (item as Record<string, unknown>)[key];
      if (child !== null && typeof child === 'object' && !Object.isFrozen(child)) stack.push(child);
    }
  }
  return value;
}
