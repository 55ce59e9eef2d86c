// Pure. The plan JSON out of an Actions artifact zip, with fflate's streaming unzip, so
// every inflated byte is counted as it comes out: the zip's own size fields are not
// trusted (a zip bomb declares small sizes, or none at all with data descriptors, which is
// how upload-artifact writes its zips). Over a bound, reading stops at once.
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { parsePlanJson } from './parse-plan-json.js';
import type { PlanParseError, TerraformPlan } from './types.js';

export type PlanZipResult = { ok: true; plan: TerraformPlan; entry: string } | { ok: false; error: PlanParseError };

export interface ZipLimits {
  maxUncompressedBytes: number;
  maxEntries: number;
}

/** Pushed in slices this size: deflate expands at most ~1032:1, so one slice inflates to at most ~16 MB. */
const SLICE = 16 * 1024;

class ZipRefused extends Error {}

/**
 * The one `*.json` entry of the artifact, parsed as a plan. Several JSON entries: the one
 * named like the artifact (`tfplan-network.json`), else an error naming them all.
 */
export function parsePlanZip(zip: Uint8Array, artifact: string, limits: ZipLimits): PlanZipResult {
  const read = readJsonEntries(zip, limits);
  if ('error' in read) return { ok: false, error: { file: `${artifact}.zip`, message: read.error } };
  const entries = read.entries;
  const json = entries.filter((e) => isJson(e.name));
  const others = entries.filter((e) => !isJson(e.name)).map((e) => e.name);
  if (json.length === 0) {
    const listed = others.length > 0 ? `it holds ${others.slice(0, 10).map((n) => `\`${n}\``).join(', ')}` : 'it is empty';
    return {
      ok: false,
      error: { file: `${artifact}.zip`, message: `the artifact has no *.json file (${listed}); upload the output of \`terraform show -json <planfile>\`` },
    };
  }
  let chosen = json[0]!;
  if (json.length > 1) {
    const named = json.filter((e) => baseName(e.name).toLowerCase() === `${artifact.toLowerCase()}.json`);
    if (named.length !== 1) {
      return {
        ok: false,
        error: {
          file: `${artifact}.zip`,
          message: `the artifact has ${json.length} JSON files (${json.map((e) => `\`${e.name}\``).join(', ')}) and none is named \`${artifact}.json\`; upload one plan per artifact`,
        },
      };
    }
    chosen = named[0]!;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(chosen.data);
  } catch {
    return { ok: false, error: { file: `${artifact}/${chosen.name}`, message: 'not UTF-8 text: upload the output of `terraform show -json <planfile>`' } };
  }
  const parsed = parsePlanJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, `${artifact}/${chosen.name}`);
  return parsed.ok ? { ok: true, plan: parsed.plan, entry: chosen.name } : parsed;
}

interface Entry {
  name: string;
  data: Uint8Array;
}

function readJsonEntries(zip: Uint8Array, limits: ZipLimits): { entries: Entry[] } | { error: string } {
  if (zip.length < 4 || zip[0] !== 0x50 || zip[1] !== 0x4b) return { error: 'the artifact download is not a zip file' };
  const entries: Array<{ name: string; chunks: Uint8Array[]; done: boolean }> = [];
  let total = 0;
  let failure: string | undefined;
  // fflate catches what ondata throws and hands it back as the entry's error; keep our own.
  let refused: string | undefined;
  const unzip = new Unzip((file: UnzipFile) => {
    if (entries.length + 1 > limits.maxEntries) throw new ZipRefused(`the zip has more than ${limits.maxEntries} entries; refused`);
    const entry = { name: file.name, chunks: [] as Uint8Array[], done: false };
    entries.push(entry);
    // Directories and other files are listed, not inflated.
    if (!isJson(file.name)) return;
    file.ondata = (error, chunk, final) => {
      if (error) {
        failure = refused ?? `\`${file.name}\` cannot be unzipped (${error.message})`;
        return;
      }
      if (refused) return;
      total += chunk.length;
      if (total > limits.maxUncompressedBytes) {
        refused = `the zip inflates to more than ${mb(limits.maxUncompressedBytes)}; refused (a plan of 1,000 resources is about 2 MB)`;
        throw new ZipRefused(refused);
      }
      entry.chunks.push(chunk);
      if (final) entry.done = true;
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let offset = 0; offset < zip.length; offset += SLICE) {
      const end = Math.min(offset + SLICE, zip.length);
      unzip.push(zip.subarray(offset, end), end === zip.length);
      if (failure) return { error: failure };
    }
  } catch (error) {
    if (refused || error instanceof ZipRefused) return { error: refused ?? (error as Error).message };
    return { error: `the zip cannot be read (${(error as Error).message})` };
  }
  if (failure || refused) return { error: (refused ?? failure)! };
  const unfinished = entries.find((e) => isJson(e.name) && !e.done);
  if (unfinished) return { error: `\`${unfinished.name}\` in the zip ends early (the download was cut short?)` };
  return { entries: entries.filter((e) => !e.name.endsWith('/')).map((e) => ({ name: e.name, data: concat(e.chunks) })) };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * A `*.json` file, not a directory and not the `__MACOSX/._plan.json` resource fork that
 * a zip made by macOS Finder carries next to each file.
 */
function isJson(name: string): boolean {
  return name.toLowerCase().endsWith('.json') && !name.startsWith('__MACOSX/') && !baseName(name).startsWith('._');
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function mb(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}
