// Pure. The JSON that `terraform show -json <planfile>` prints, read into what the pipeline
// needs: live state (`resource_drift`: before = the state, after = what the refresh read)
// and what the pull request does (`resource_changes`). Shapes follow Terraform's
// internal/command/jsonplan (format_version "1.x") and its show-json test data.
//
// Sensitive values never leave this module: every value is passed through a Redactor with
// Terraform's own before_sensitive / after_sensitive masks (and the values of sensitive
// variables and outputs) before it is put in the result.
import { lineOf, locateJsonError } from '../../iac/cloudformation/locate-json-error.js';
import { computeDifferences, maskAt, redactDifference, type RawDifference } from './compute-plan-differences.js';
import { isRecord, Redactor, sensitiveTexts, unionMask } from './redact-plan-values.js';
import type {
  PlanAction,
  PlanLiveResource,
  PlanParseError,
  PlanParseResult,
  PlannedAttributeChange,
  PlannedChange,
  PlanPropertyDifference,
  TerraformPlan,
} from './types.js';

/** Terraform promises to raise the major version for changes a consumer must handle (jsonplan FormatVersion). */
const SUPPORTED_MAJOR = 1;

/**
 * Most objects and arrays a plan may hold. JSON.parse is synchronous and its cost grows
 * with the number of containers, not bytes: `{"configuration":[{},{},…]}` at 127 MB took
 * 94 s and 3 GB of heap, while 5,000,000 empty objects (14 MB) take ~2 s and ~300 MB.
 * Measured with bench/terraform-plan.ts's plan: 1,000 resource changes hold 41,767
 * containers (2 MB), 10,000 hold 416,167 (20 MB); this is over 10x the latter.
 */
export const MAX_PLAN_CONTAINERS = 5_000_000;

/** Thrown inside this module for a document of the wrong shape; becomes a located PlanParseError. */
class ShapeError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

export function parsePlanJson(text: string, file: string, maxContainers = MAX_PLAN_CONTAINERS): PlanParseResult {
  const tooMany = findContainerOverflow(text, maxContainers);
  if (tooMany !== undefined) {
    const lineStart = text.lastIndexOf('\n', tooMany - 1) + 1;
    return {
      ok: false,
      error: {
        file,
        line: lineOf(text, tooMany),
        column: tooMany - lineStart + 1,
        message: `the plan holds more than ${count(maxContainers)} objects and arrays; realitycheck reads plans of up to ${count(maxContainers)} (a plan of 10,000 resource changes holds about 420,000)`,
      },
    };
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: jsonError(text, file, error) };
  }
  try {
    return { ok: true, plan: readPlan(document) };
  } catch (error) {
    if (error instanceof ShapeError) {
      return { ok: false, error: { file, path: error.path || undefined, message: error.message } };
    }
    throw error;
  }
}

/**
 * One linear pass before JSON.parse: the offset of the `{` or `[` (outside strings) that
 * passes `max`, or undefined. Cheap next to the parse (~14 ms for a 2 MB plan).
 */
function findContainerOverflow(text: string, max: number): number | undefined {
  let containers = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped, even a quote
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if ((c === 0x7b || c === 0x5b) && ++containers > max) {
      return i;
    }
  }
  return undefined;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function jsonError(text: string, file: string, error: unknown): PlanParseError {
  if (text.trim().length === 0) return { file, line: 1, column: 1, message: 'the file is empty' };
  const problem = locateJsonError(text);
  if (!problem) return { file, message: `not valid JSON (${(error as Error).message})` };
  // The document stops inside a string or with braces open: an upload or a download cut short.
  const cutShort = /ends before/.test(problem.message) || (/string is never closed/.test(problem.message) && !text.includes('\n', problem.offset));
  const offset = cutShort ? Math.max(0, text.trimEnd().length - 1) : problem.offset;
  const line = lineOf(text, offset);
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const message = cutShort ? `not valid JSON: it ends early (${problem.message}); the file looks cut short` : `not valid JSON: ${problem.message}`;
  return { file, line, column: offset - lineStart + 1, message };
}

function readPlan(document: unknown): TerraformPlan {
  if (!isRecord(document)) throw new ShapeError('', 'expected a JSON object as `terraform show -json <planfile>` prints it');
  const formatVersion = document.format_version;
  if (typeof formatVersion !== 'string') {
    throw new ShapeError('format_version', 'no format_version: this is not the output of `terraform show -json <planfile>`');
  }
  const major = Number(formatVersion.split('.')[0]);
  if (major !== SUPPORTED_MAJOR) {
    throw new ShapeError(
      'format_version',
      `plan JSON format_version "${formatVersion}" is not supported (realitycheck reads format 1.x, which Terraform 1.x prints)`,
    );
  }
  if (!('resource_changes' in document) && !('planned_values' in document) && 'values' in document) {
    throw new ShapeError('', 'this is a state (`terraform show -json` without a plan file), not a plan: run `terraform show -json <planfile>`');
  }
  if (document.errored === true) {
    throw new ShapeError('errored', 'the plan errored part-way (`errored: true`), so its drift and changes are incomplete; fix the plan run first');
  }
  const redactor = new Redactor(sensitiveTexts(document));
  const timestamp = optionalString(document, 'timestamp', '');
  const drift = list(document, 'resource_drift').map((entry, i) => readEntry(entry, `resource_drift[${i}]`));
  const changes = list(document, 'resource_changes').map((entry, i) => readEntry(entry, `resource_changes[${i}]`));

  let normalizedAway = 0;
  const live = new Map<string, PlanLiveResource>();
  for (const entry of drift) {
    if (entry.mode !== 'managed' || entry.deposed !== undefined) continue; // data sources do not drift; a deposed object is deleted by apply anyway
    const resource = driftResource(entry, redactor, timestamp);
    normalizedAway += resource.normalizedAway;
    live.set(entry.address, resource);
  }
  const planned: PlannedChange[] = [];
  for (const entry of changes) {
    const change = plannedChange(entry, redactor, live.get(entry.address));
    normalizedAway += change.normalizedAway;
    planned.push(change.change);
    // Refreshed and without drift: in sync, as far as this plan can tell.
    if (entry.mode === 'managed' && entry.deposed === undefined && entry.before !== null && !live.has(entry.address)) {
      live.set(entry.address, inSync(entry, redactor, timestamp));
    }
  }
  return {
    formatVersion,
    terraformVersion: optionalString(document, 'terraform_version', ''),
    timestamp,
    applyable: optionalBoolean(document, 'applyable'),
    complete: optionalBoolean(document, 'complete'),
    live: [...live.values()],
    changes: planned,
    normalizedAway,
    redacted: redactor.count,
  };
}

/** One entry of resource_drift or resource_changes, shape-checked. */
interface Entry {
  at: string;
  address: string;
  previousAddress?: string;
  moduleAddress?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  deposed?: string;
  actions: string[];
  actionReason?: string;
  before: unknown;
  after: unknown;
  afterUnknown: unknown;
  beforeSensitive: unknown;
  afterSensitive: unknown;
  replacePaths: Array<Array<string | number>>;
  importing: boolean;
}

const KNOWN_ACTIONS = new Set(['no-op', 'create', 'read', 'update', 'delete', 'forget']);

function readEntry(raw: unknown, at: string): Entry {
  if (!isRecord(raw)) throw new ShapeError(at, 'expected an object with address, mode, type, name and change');
  const address = requiredString(raw, 'address', at);
  const mode = requiredString(raw, 'mode', at);
  if (mode !== 'managed' && mode !== 'data') throw new ShapeError(`${at}.mode`, `mode "${mode}" is neither "managed" nor "data"`);
  const change = raw.change;
  if (!isRecord(change)) throw new ShapeError(`${at}.change`, 'expected an object with actions, before and after');
  const actions = change.actions;
  if (!Array.isArray(actions) || actions.length === 0 || !actions.every((a) => typeof a === 'string')) {
    throw new ShapeError(`${at}.change.actions`, 'expected a list of actions such as ["update"]');
  }
  const unknownAction = actions.find((a) => !KNOWN_ACTIONS.has(a as string));
  if (unknownAction !== undefined) {
    throw new ShapeError(`${at}.change.actions`, `unknown action "${String(unknownAction)}" (known: ${[...KNOWN_ACTIONS].join(', ')})`);
  }
  const index = raw.index;
  const replacePaths = change.replace_paths;
  if (replacePaths !== undefined && !(Array.isArray(replacePaths) && replacePaths.every(Array.isArray))) {
    throw new ShapeError(`${at}.change.replace_paths`, 'expected a list of paths (lists of names and indexes)');
  }
  return {
    at,
    address,
    previousAddress: optionalString(raw, 'previous_address', at),
    moduleAddress: optionalString(raw, 'module_address', at),
    mode,
    type: requiredString(raw, 'type', at),
    name: requiredString(raw, 'name', at),
    index: typeof index === 'string' || typeof index === 'number' ? index : undefined,
    deposed: optionalString(raw, 'deposed', at),
    actions: actions as string[],
    actionReason: optionalString(raw, 'action_reason', at),
    // Terraform omits before for create and after for delete; both mean "no object".
    before: change.before ?? null,
    after: change.after ?? null,
    afterUnknown: change.after_unknown,
    beforeSensitive: change.before_sensitive,
    afterSensitive: change.after_sensitive,
    replacePaths: (replacePaths ?? []) as Array<Array<string | number>>,
    importing: isRecord(change.importing),
  };
}

function driftResource(entry: Entry, redactor: Redactor, checkedAt: string | undefined): PlanLiveResource {
  const base = liveBase(entry, redactor, checkedAt);
  if (entry.actions.includes('delete') && entry.after === null) {
    return { ...base, status: 'DELETED', differences: [], normalizedAway: 0 };
  }
  const { differences, normalizedAway } = computeDifferences({ before: entry.before, after: entry.after });
  const redacted = differences.map((d) => driftDifference(d, entry, redactor));
  return { ...base, status: redacted.length > 0 ? 'MODIFIED' : 'IN_SYNC', differences: redacted, normalizedAway };
}

function inSync(entry: Entry, redactor: Redactor, checkedAt: string | undefined): PlanLiveResource {
  return { ...liveBase(entry, redactor, checkedAt), status: 'IN_SYNC', differences: [], normalizedAway: 0 };
}

function liveBase(entry: Entry, redactor: Redactor, checkedAt: string | undefined) {
  const id = isRecord(entry.before) ? entry.before.id : undefined;
  const physicalId = typeof id === 'string' && id !== '' ? redactor.apply(id, unionMask(maskAt(entry.beforeSensitive, ['id']), maskAt(entry.afterSensitive, ['id']))) : undefined;
  return {
    logicalId: entry.address,
    address: entry.address,
    ...(entry.moduleAddress ? { moduleAddress: entry.moduleAddress } : {}),
    type: entry.type,
    ...(typeof physicalId === 'string' ? { physicalId } : {}),
    ...(checkedAt ? { checkedAt } : {}),
  };
}

function driftDifference(d: RawDifference, entry: Entry, redactor: Redactor): PlanPropertyDifference {
  const r = redactDifference(d, entry.beforeSensitive, entry.afterSensitive, redactor);
  return {
    path: r.path,
    expected: r.before,
    actual: r.after,
    kind: r.kind,
    ...(r.sensitive ? { sensitive: true as const } : {}),
  };
}

function plannedChange(entry: Entry, redactor: Redactor, drift: PlanLiveResource | undefined): { change: PlannedChange; normalizedAway: number } {
  const action = planAction(entry.actions);
  // Nothing changes for no-op and read; a delete (or forget) changes the whole object, not attributes.
  const compare = action === 'create' || action === 'update' || action === 'replace';
  const { differences, normalizedAway } = compare
    ? computeDifferences({ before: entry.before, after: entry.after, afterUnknown: entry.afterUnknown })
    : { differences: [], normalizedAway: 0 };
  const changes = differences.map((d): PlannedAttributeChange => {
    const r = redactDifference(d, entry.beforeSensitive, entry.afterSensitive, redactor);
    return {
      path: r.path,
      ...(r.before !== undefined ? { before: r.before } : {}),
      ...(r.after !== undefined && !r.unknown ? { after: r.after } : {}),
      ...(r.unknown ? { unknown: true as const } : {}),
      ...(r.sensitive ? { sensitive: true as const } : {}),
    };
  });
  const change: PlannedChange = {
    address: entry.address,
    ...(entry.previousAddress ? { previousAddress: entry.previousAddress } : {}),
    ...(entry.moduleAddress ? { moduleAddress: entry.moduleAddress } : {}),
    mode: entry.mode,
    type: entry.type,
    name: entry.name,
    ...(entry.index !== undefined ? { index: entry.index } : {}),
    ...(entry.deposed !== undefined ? { deposed: entry.deposed } : {}),
    action,
    actions: entry.actions,
    ...(action === 'replace' ? { replaceOrder: entry.actions[0] === 'delete' ? ('delete-first' as const) : ('create-first' as const) } : {}),
    ...(entry.actionReason ? { actionReason: entry.actionReason } : {}),
    changes,
    revertsDrift: changes.map((c) => c.path).filter((path) => drift?.differences.some((d) => overlaps(path, d.path)) ?? false),
    replacePaths: entry.replacePaths.map((p) => p.join('.')),
    importing: entry.importing,
  };
  return { change, normalizedAway };
}

/** One path is the other or lies inside it (`ingress` and `ingress.0.cidr_blocks.1`). */
function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/** Terraform's action lists (jsonplan.Change.Actions) as one word. */
function planAction(actions: string[]): PlanAction {
  if (actions.length === 2 && actions.includes('create') && (actions.includes('delete') || actions.includes('forget'))) return 'replace';
  return actions[0] as PlanAction;
}

function list(document: Record<string, unknown>, key: string): unknown[] {
  const value = document[key];
  if (value === undefined || value === null) return []; // omitted when empty (omitempty)
  if (!Array.isArray(value)) throw new ShapeError(key, `expected a list, found ${describe(value)}`);
  return value;
}

function requiredString(raw: Record<string, unknown>, key: string, at: string): string {
  const value = raw[key];
  if (typeof value !== 'string' || value === '') throw new ShapeError(`${at}.${key}`, `expected a string, found ${describe(value)}`);
  return value;
}

function optionalString(raw: Record<string, unknown>, key: string, at: string): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new ShapeError(at ? `${at}.${key}` : key, `expected a string, found ${describe(value)}`);
  return value;
}

function optionalBoolean(raw: Record<string, unknown>, key: string): boolean | undefined {
  return typeof raw[key] === 'boolean' ? (raw[key] as boolean) : undefined;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}
