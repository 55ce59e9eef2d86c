// Step 1 of the references check: the references to infrastructure in the lines a pull
// request adds, in any text file. Pure: GitHub's file list (with patches) in, references out,
// with what was left unread said (ScanLimits), never silently dropped.
//
// Bounds (each said in the report when reached): MAX_LINE_CHARS of one line are read, at most
// MAX_SCAN_CHARS of added text per pull request, at most MAX_REFERENCES references. With the
// linear-time patterns (patterns.ts) a scan costs at most MAX_SCAN_CHARS × rows.
import { parseAddedLines, type AddedLine } from './parse-added-lines.js';
import { isDocsAccount, isGeneratedPath, isPlaceholderName, isTestPath } from './is-placeholder.js';
import { PATTERNS, type Found, type PatternRow } from './patterns.js';
import type { CodeReference, ScanLimits } from './types.js';

export const MAX_LINE_CHARS = 4_000;
export const MAX_SCAN_CHARS = 2_000_000;
export const MAX_REFERENCES = 500;

export interface PullRequestFile {
  path: string;
  status: string;
  patch?: string;
}

export interface ScanBounds {
  maxLineChars: number;
  maxScanChars: number;
  maxReferences: number;
}

const DEFAULT_BOUNDS: ScanBounds = { maxLineChars: MAX_LINE_CHARS, maxScanChars: MAX_SCAN_CHARS, maxReferences: MAX_REFERENCES };

export interface FoundReferences {
  references: CodeReference[];
  /** Added line numbers per file (every file with a readable patch, also those not scanned): what the pull request itself adds. */
  addedLines: Map<string, Set<number>>;
  limits: ScanLimits;
}

export function findReferences(files: readonly PullRequestFile[], bounds: Partial<ScanBounds> = {}): FoundReferences {
  const b = { ...DEFAULT_BOUNDS, ...bounds };
  const references: CodeReference[] = [];
  const addedLines = new Map<string, Set<number>>();
  const limits: ScanLimits = { scanned: 0, cut: [] };
  const seen = new Set<string>();
  let full = false;

  for (const file of files) {
    if (file.status === 'removed') continue;
    if (file.patch === undefined) {
      // GitHub leaves the patch out for binary files and very large diffs.
      if (!isTestPath(file.path) && !isGeneratedPath(file.path)) limits.cut.push({ file: file.path, why: 'GitHub gives no diff for it (binary, or too large)' });
      continue;
    }
    const parsed = parseAddedLines(file.patch);
    if (!parsed.ok) {
      limits.cut.push({ file: file.path, why: parsed.why });
      continue;
    }
    addedLines.set(file.path, new Set(parsed.lines.map((l) => l.line)));
    if (isTestPath(file.path) || isGeneratedPath(file.path)) continue;
    if (full) {
      limits.cut.push({ file: file.path, why: `not read: ${b.maxReferences} references were found before it` });
      continue;
    }
    const rows = PATTERNS.filter((row) => !row.files || row.files(file.path));
    let previous: AddedLine | undefined;
    let longLines = 0;
    for (const added of parsed.lines) {
      if (limits.scanned >= b.maxScanChars) {
        limits.cut.push({ file: file.path, why: `not read from line ${added.line} on: ${b.maxScanChars.toLocaleString('en-US')} characters of added lines are read per pull request` });
        break;
      }
      const text = added.text.length > b.maxLineChars ? added.text.slice(0, b.maxLineChars) : added.text;
      if (added.text.length > b.maxLineChars) longLines++;
      limits.scanned += text.length;
      const pairWith = previous && previous.line === added.line - 1 ? previous : undefined;
      for (const row of rows) {
        for (const found of matchRow(row, text, pairWith?.text.slice(0, b.maxLineChars))) {
          if (!lookedUpAtAll(found)) continue;
          const reference: CodeReference = {
            file: file.path,
            line: added.line,
            column: found.index + 1,
            text: found.text,
            service: found.service,
            type: found.type,
            name: found.name,
            ...(found.account ? { account: found.account } : {}),
            ...(found.region ? { region: found.region } : {}),
            pattern: row.id,
          };
          // One reference per place and resource, whichever row found it first.
          const key = `${reference.file}\n${reference.line}\n${reference.type}\n${reference.name}\n${reference.account ?? ''}`;
          if (seen.has(key)) continue;
          seen.add(key);
          references.push(reference);
        }
      }
      previous = { line: added.line, text };
      if (references.length >= b.maxReferences) {
        full = true;
        references.length = b.maxReferences;
        limits.cut.push({ file: file.path, why: `not read past line ${added.line}: at most ${b.maxReferences} references are checked per pull request` });
        break;
      }
    }
    if (longLines > 0) limits.cut.push({ file: file.path, why: `${longLines === 1 ? '1 line is' : `${longLines} lines are`} longer than ${b.maxLineChars.toLocaleString('en-US')} characters; only their start was read` });
  }
  return { references, addedLines, limits };
}

function matchRow(row: PatternRow, line: string, previous: string | undefined): Found[] {
  if (!row.hints.some((hint) => line.includes(hint))) return [];
  if (row.pair) {
    if (previous === undefined) return [];
    const joined = `${previous}\n${line}`;
    const m = exec(row.regex, joined, 0);
    const found = m ? toList(row.read(m)) : [];
    // The reference sits on the second line: its column counts from there.
    return found.filter((f) => f.index > previous.length).map((f) => ({ ...f, index: f.index - previous.length - 1 }));
  }
  if (!row.regex.global) {
    const m = exec(row.regex, line, 0);
    return m ? toList(row.read(m)) : [];
  }
  const out: Found[] = [];
  let from = 0;
  for (let m = exec(row.regex, line, from); m; m = exec(row.regex, line, from)) {
    out.push(...toList(row.read(m)));
    from = m.index + Math.max(1, m[0].length);
  }
  return out;
}

/** `exec` from `from` without sharing `lastIndex` state between callers. */
function exec(regex: RegExp, text: string, from: number): RegExpExecArray | null {
  regex.lastIndex = from;
  const m = regex.exec(text);
  regex.lastIndex = 0;
  return m;
}

function toList(found: Found | Found[] | undefined): Found[] {
  return found === undefined ? [] : Array.isArray(found) ? found : [found];
}

/** Placeholders and documentation accounts are not references to anything running. */
function lookedUpAtAll(found: Found): boolean {
  if (found.account !== undefined && isDocsAccount(found.account)) return false;
  return !isPlaceholderName(found.name) && !isPlaceholderName(found.text);
}
