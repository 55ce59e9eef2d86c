// Live state from a JSON snapshot file instead of AWS: for teams that do not give the app
// cloud credentials, and for an offline demo. The format is ours and versioned
// (`format_version`); docs/snapshot-format.md describes it. Parsing is pure and names the
// JSON path and line of every problem; the provider never throws and never turns a missing
// or broken file into a clean state: it returns an Unreadable (`snapshot:read`).
import { LineCounter, isMap, isScalar, isSeq, type Node } from 'yaml';
import { z } from 'zod';
import type { CloudFormationTarget } from '../config-types.js';
import { lineOf, locateJsonError } from '../iac/cloudformation/locate-json-error.js';
import { parseJsonNodes } from '../iac/cloudformation/parse-json-nodes.js';
import { TemplateProblem } from '../iac/cloudformation/to-value.js';
import type { LiveResource, LiveState, PropertyDifference, StackInfo, Unreadable } from '../types.js';
import { pointerToPath } from './map-resource-drift.js';
import { normalizeResourceDrift } from './normalize-drift.js';
import type { LiveProvider, ReadOptions } from './provider.js';

export const SNAPSHOT_FORMAT_VERSION = '1';
export const SNAPSHOT_STATUSES = ['IN_SYNC', 'MODIFIED', 'DELETED', 'NOT_CHECKED'] as const;
/** A snapshot older than this is still used, with a `Stale` warning (see docs/snapshot-format.md). */
export const DEFAULT_SNAPSHOT_MAX_AGE_MS = 7 * 86_400_000;
/** A `read_at` further than this in the future is reported as clock skew. */
const CLOCK_SKEW_MS = 5 * 60_000;

// ---------------------------------------------------------------- the format

const timestamp = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time with a time zone, such as 2026-11-27T12:00:00Z',
});

const propertiesDocument = z.union([z.record(z.string(), z.unknown()), z.string()], {
  error: 'must be an object of property values (or that object as a JSON string)',
});

const differenceSchema = z
  .strictObject({
    path: z.string().min(1, 'must name a property, as a dot path (Tags.0.Value) or a JSON pointer (/Tags/0/Value)'),
    expected: z.unknown().optional(),
    actual: z.unknown().optional(),
    kind: z.enum(['ADD', 'REMOVE', 'NOT_EQUAL']).default('NOT_EQUAL'),
  })
  .superRefine((d, ctx) => {
    if (d.path.length > 0 && toDotPath(d.path) === '') {
      ctx.addIssue({ code: 'custom', path: ['path'], message: `"${d.path}" names no property` });
    }
    const need = (key: 'expected' | 'actual', present: boolean, why: string) => {
      if ((d[key] !== undefined) !== present) ctx.addIssue({ code: 'custom', path: [key], message: why });
    };
    if (d.kind === 'NOT_EQUAL') {
      need('expected', true, 'is required for a NOT_EQUAL difference (what the template says)');
      need('actual', true, 'is required for a NOT_EQUAL difference (what runs)');
    } else if (d.kind === 'ADD') {
      need('expected', false, 'must be absent for an ADD difference (the property is not in the template)');
      need('actual', true, 'is required for an ADD difference (the value that was added live)');
    } else {
      need('expected', true, 'is required for a REMOVE difference (the value the template has)');
      need('actual', false, 'must be absent for a REMOVE difference (the property was removed live)');
    }
  });

const resourceSchema = z
  .strictObject({
    logical_id: z.string().min(1, 'must not be empty'),
    physical_id: z.string().min(1, 'must not be empty').optional(),
    type: z.string().min(1, 'must not be empty'),
    status: z.enum(SNAPSHOT_STATUSES),
    checked_at: timestamp.optional(),
    differences: z.array(differenceSchema).optional(),
    expected_properties: propertiesDocument.optional(),
    actual_properties: propertiesDocument.optional(),
  })
  .superRefine((r, ctx) => {
    const count = r.differences?.length ?? 0;
    if (r.status === 'MODIFIED' && count === 0) {
      ctx.addIssue({ code: 'custom', path: ['differences'], message: 'a MODIFIED resource needs at least one difference (path, expected, actual)' });
    }
    if (r.status !== 'MODIFIED' && r.status !== 'NOT_CHECKED' && count > 0) {
      ctx.addIssue({ code: 'custom', path: ['differences'], message: `a resource with status ${r.status} has no differences; use status MODIFIED` });
    }
  });

const stackSchema = z.strictObject({
  name: z.string().min(1, 'must not be empty'),
  id: z.string().min(1).optional(),
  status: z.string().min(1, 'must not be empty'),
  status_reason: z.string().optional(),
  region: z.string().min(1).optional(),
  no_echo_parameters: z.array(z.string()).default([]),
});

const snapshotSchema = z
  .strictObject({
    format_version: z.string(),
    source: z.string().optional(),
    read_at: timestamp,
    stack: stackSchema,
    deployed_template: z.string().optional(),
    resources: z.array(resourceSchema),
  })
  .superRefine((s, ctx) => {
    if (s.format_version !== SNAPSHOT_FORMAT_VERSION) {
      ctx.addIssue({
        code: 'custom',
        path: ['format_version'],
        message: `"${s.format_version}" is not a format this version of realitycheck reads; use "${SNAPSHOT_FORMAT_VERSION}"`,
      });
    }
    const seen = new Set<string>();
    s.resources.forEach((r, i) => {
      if (seen.has(r.logical_id)) {
        ctx.addIssue({ code: 'custom', path: ['resources', i, 'logical_id'], message: `"${r.logical_id}" appears twice; each resource once` });
      }
      seen.add(r.logical_id);
    });
  });

/** A validated snapshot, in the file's own (snake_case) field names. */
export type Snapshot = z.output<typeof snapshotSchema>;
export type SnapshotResource = Snapshot['resources'][number];
/** What a producer writes (`kind` and `no_echo_parameters` may be left out). */
export type SnapshotInput = z.input<typeof snapshotSchema>;

export interface SnapshotError {
  file: string;
  /** 1-based line of the offending value (or of its nearest enclosing object when it is missing). */
  line?: number;
  /** JSON path of the problem, `resources[0].status`; absent for syntax errors. */
  path?: string;
  message: string;
}

export type SnapshotParseResult = { ok: true; snapshot: Snapshot } | { ok: false; error: SnapshotError };

// ---------------------------------------------------------------- parse (pure)

export function parseSnapshot(file: string, text: string): SnapshotParseResult {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let raw: unknown;
  try {
    raw = JSON.parse(body) as unknown;
  } catch {
    const problem = locateJsonError(body) ?? { offset: 0, message: 'not valid JSON' };
    return { ok: false, error: { file, line: lineOf(body, problem.offset), message: `invalid JSON: ${problem.message}` } };
  }
  const lines = new LineCounter();
  let root: Node;
  try {
    root = parseJsonNodes(body, lines);
  } catch (error) {
    if (!(error instanceof TemplateProblem)) throw error;
    return { ok: false, error: { file, line: lineOf(body, error.offset), message: error.message } };
  }
  const parsed = snapshotSchema.safeParse(raw, { reportInput: true });
  if (parsed.success) return { ok: true, snapshot: parsed.data };

  const problems = parsed.error.issues.map((issue) => toProblem(issue, root, lines));
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const first = problems[0]!;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return {
    ok: false,
    error: { file, ...(first.line ? { line: first.line } : {}), path: first.path, message: `${first.path}: ${first.message}${more}` },
  };
}

/** `orders-prod.json line 12: resources[0].status: must be one of …`, for messages. */
export function formatSnapshotError(error: SnapshotError): string {
  return `${error.file}${error.line ? ` line ${error.line}` : ''}: ${error.message}`;
}

type Segment = string | number;

function toProblem(issue: z.core.$ZodIssue, root: Node, lines: LineCounter): { path: string; line?: number; message: string } {
  let segments = issue.path.filter((s): s is Segment => typeof s !== 'symbol');
  let message: string;
  if (issue.code === 'unrecognized_keys') {
    // Point at the unknown key itself, and say what is allowed there.
    const allowed = allowedKeys(segments);
    message = `unknown key${allowed ? `; allowed here: ${allowed.join(', ')}` : ''}`;
    segments = [...segments, issue.keys[0]!];
    if (issue.keys.length > 1) message += ` (also unknown: ${issue.keys.slice(1).join(', ')})`;
  } else if (issue.code === 'invalid_type' && issue.input === undefined) {
    message = 'is required';
  } else if (issue.code === 'invalid_type') {
    message = `must be ${article(issue.expected)} (found ${describeValue(issue.input)})`;
  } else if (issue.code === 'invalid_value') {
    message = `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')} (found ${describeValue(issue.input)})`;
  } else if (issue.code === 'invalid_format' || issue.code === 'invalid_union') {
    message = `${issue.message} (found ${describeValue(issue.input)})`;
  } else {
    message = issue.message;
  }
  const offset = offsetOf(root, segments);
  return { path: formatPath(segments), ...(offset !== undefined ? { line: lines.linePos(offset).line } : {}), message };
}

function allowedKeys(segments: Segment[]): string[] | undefined {
  const shape = (schema: { shape: Record<string, unknown> }) => Object.keys(schema.shape);
  const names = segments.filter((s) => typeof s === 'string');
  const where = names.join('.');
  if (where === '') return shape(snapshotSchema);
  if (where === 'stack') return shape(stackSchema);
  if (where === 'resources') return shape(resourceSchema);
  if (where === 'resources.differences') return shape(differenceSchema);
  return undefined;
}

/** Start offset of the node at `segments` (of its key, in an object), or of the nearest ancestor that exists. */
function offsetOf(root: Node, segments: Segment[]): number | undefined {
  let node: unknown = root;
  let offset = root.range?.[0];
  for (const segment of segments) {
    let next: unknown;
    let at: number | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === segment);
      next = pair?.value;
      at = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
      at = (next as Node | undefined)?.range?.[0];
    }
    if (at === undefined) break;
    offset = at;
    node = next;
  }
  return offset;
}

function formatPath(segments: Segment[]): string {
  if (segments.length === 0) return '(top level)';
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function article(expected: string): string {
  if (expected === 'array') return 'a list';
  if (expected === 'object' || expected === 'record') return 'an object';
  return `a ${expected}`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

// ---------------------------------------------------------------- to LiveState (pure)

/**
 * The snapshot as the pipeline's LiveState. Differences go through the same normalization as
 * AWS drift records, so a reordered Tags list is not reported as drift here either.
 * `readAt` is when this read happened (defaults to the snapshot's `read_at`).
 */
export function snapshotToLiveState(target: string, snapshot: Snapshot, readAt?: string): LiveState {
  const checkedAt = new Date(snapshot.read_at).toISOString();
  const state: LiveState = {
    target,
    source: 'snapshot',
    readAt: readAt ?? checkedAt,
    stack: toStackInfo(snapshot.stack),
    drift: {
      reused: true,
      checkedAt,
      status: 'DETECTION_COMPLETE',
      resources: snapshot.resources.map(toLiveResource),
    },
    unreadable: [],
    calls: 0,
  };
  if (snapshot.deployed_template !== undefined) state.deployedTemplate = snapshot.deployed_template;
  return state;
}

function toStackInfo(stack: Snapshot['stack']): StackInfo {
  return {
    name: stack.name,
    ...(stack.id ? { id: stack.id } : {}),
    status: stack.status,
    ...(stack.status_reason ? { statusReason: stack.status_reason } : {}),
    region: stack.region ?? 'unknown',
    noEchoParameters: stack.no_echo_parameters,
  };
}

function toLiveResource(resource: SnapshotResource): LiveResource {
  const differences = (resource.differences ?? []).map(
    (d): PropertyDifference => ({ path: toDotPath(d.path), expected: d.expected, actual: d.actual, kind: d.kind }),
  );
  const normalized = normalizeResourceDrift({
    status: resource.status,
    differences,
    ...(resource.expected_properties !== undefined ? { expectedProperties: resource.expected_properties } : {}),
    ...(resource.actual_properties !== undefined ? { actualProperties: resource.actual_properties } : {}),
  });
  return {
    logicalId: resource.logical_id,
    ...(resource.physical_id ? { physicalId: resource.physical_id } : {}),
    type: resource.type,
    ...normalized,
    ...(resource.checked_at ? { checkedAt: new Date(resource.checked_at).toISOString() } : {}),
  };
}

/** `/Tags/0/Value` (JSON pointer) and `Tags.0.Value` (dot path) both become `Tags.0.Value`. */
function toDotPath(path: string): string {
  return path.startsWith('/') ? pointerToPath(path) : path;
}

// ---------------------------------------------------------------- provider (I/O injected)

/**
 * A CloudFormation target whose live state comes from a snapshot file in the repository
 * (read from the default branch, like the config) instead of AWS. `stack` is checked against
 * the snapshot's stack, so a target cannot be fed another stack's snapshot.
 */
export type SnapshotTarget = CloudFormationTarget & {
  /** Path of the snapshot file. */
  snapshot: string;
  /** Older snapshots are used with a `Stale` warning; default 7 days. */
  snapshotMaxAgeMs?: number;
};

/** Text of a file, or `undefined` when it does not exist; throws for any other failure. */
export type ReadSnapshotFile = (path: string) => Promise<string | undefined>;

export interface SnapshotProviderOptions {
  readFile: ReadSnapshotFile;
  /** Default for targets that do not set `snapshotMaxAgeMs`. */
  maxAgeMs?: number;
  now?: () => number;
}

export class SnapshotProvider implements LiveProvider<SnapshotTarget> {
  readonly source = 'snapshot';

  constructor(private readonly options: SnapshotProviderOptions) {}

  // ReadOptions do not apply: a snapshot cannot be refreshed from here, and its own age
  // limit (snapshotMaxAgeMs) is not the drift-reuse window.
  async read(target: SnapshotTarget, _options?: ReadOptions): Promise<LiveState> {
    const now = (this.options.now ?? Date.now)();
    const readAt = new Date(now).toISOString();
    const failed = (unreadable: Unreadable): LiveState => ({ target: target.name, source: this.source, readAt, unreadable: [unreadable], calls: 0 });

    let text: string | undefined;
    try {
      text = await this.options.readFile(target.snapshot);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return failed({ api: 'snapshot:read', code: 'ReadFailed', message: `could not read ${target.snapshot}: ${reason}`, retryable: true });
    }
    if (text === undefined) {
      return failed({
        api: 'snapshot:read',
        code: 'NotFound',
        message: `${target.snapshot} does not exist on the default branch; commit a snapshot there (see docs/snapshot-format.md)`,
        retryable: false,
      });
    }
    const parsed = parseSnapshot(target.snapshot, text);
    if (!parsed.ok) {
      return failed({ api: 'snapshot:read', code: 'InvalidSnapshot', message: formatSnapshotError(parsed.error), retryable: false });
    }
    const { snapshot } = parsed;
    if (!sameStack(target.stack, snapshot.stack)) {
      return failed({
        api: 'snapshot:read',
        code: 'InvalidSnapshot',
        message: `${target.snapshot} is a snapshot of stack "${snapshot.stack.name}", not of "${target.stack}"`,
        retryable: false,
      });
    }

    const state = snapshotToLiveState(target.name, snapshot, readAt);
    const age = now - Date.parse(snapshot.read_at);
    const maxAge = target.snapshotMaxAgeMs ?? this.options.maxAgeMs ?? DEFAULT_SNAPSHOT_MAX_AGE_MS;
    if (age > maxAge) {
      state.unreadable.push({
        api: 'snapshot:read',
        code: 'Stale',
        message: `${target.snapshot} was read ${formatAge(age)} ago (${state.drift!.checkedAt}), more than the ${formatAge(maxAge)} allowed; what runs may have changed since. Produce a new snapshot`,
        retryable: false,
      });
    } else if (age < -CLOCK_SKEW_MS) {
      state.unreadable.push({
        api: 'snapshot:read',
        code: 'ClockSkew',
        message: `${target.snapshot} says it was read at ${state.drift!.checkedAt}, ${formatAge(-age)} in the future; check the clock of whatever produced it`,
        retryable: false,
      });
    }
    return state;
  }
}

function sameStack(wanted: string, stack: Snapshot['stack']): boolean {
  if (wanted === stack.name || (stack.id !== undefined && wanted === stack.id)) return true;
  // An ARN: arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>
  return /^arn:aws[a-z-]*:cloudformation:/.test(wanted) && wanted.split(':stack/')[1]?.split('/')[0] === stack.name;
}

/** `3 days`, `5 hours`, `12 minutes`, `40 seconds`: the largest whole unit. */
export function formatAge(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
  ];
  for (const [size, name] of units) {
    const n = Math.floor(ms / size);
    if (n >= 1) return `${n} ${name}${n === 1 ? '' : 's'}`;
  }
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${s} second${s === 1 ? '' : 's'}`;
}
