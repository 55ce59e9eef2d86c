// What every rule needs, computed once: lookups by logical id, where a resource is in
// the files, when live was read, and evidence rows that are already redacted.
import type { DeclaredResource, Evidence, Finding, LiveResource, PropertyDifference, ResourceChange, SourceSpan } from '../types.js';
import type { AnalyzeInput } from './analyze.js';
import { entryPathOfValue, redactEvidence } from '../values/redact.js';
import { getPath } from './values.js';

export interface RuleContext {
  input: AnalyzeInput;
  /** Live resources after ignore rules, by logical id. */
  live: Map<string, LiveResource>;
  changes: Map<string, ResourceChange>;
  /** NoEcho parameter names from base, head, the deployed template and the stack. */
  noEcho: ReadonlySet<string>;
  /** Stack name for messages, else the target's name. */
  stackName: string;
}

export function createContext(input: AnalyzeInput, live: LiveResource[]): RuleContext {
  const noEcho = new Set(input.live.stack?.noEchoParameters ?? []);
  for (const template of [input.base, input.head, input.deployed]) {
    for (const parameter of template?.parameters ?? []) if (parameter.noEcho) noEcho.add(parameter.name);
  }
  return {
    input,
    live: new Map(live.map((resource) => [resource.logicalId, resource])),
    changes: new Map(input.changes.map((change) => [change.logicalId, change])),
    noEcho,
    stackName: input.live.stack?.name ?? input.target.name,
  };
}

export function headResource(ctx: RuleContext, logicalId: string): DeclaredResource | undefined {
  return ctx.changes.get(logicalId)?.head ?? ctx.input.head?.resources.find((r) => r.logicalId === logicalId);
}

export function baseResource(ctx: RuleContext, logicalId: string): DeclaredResource | undefined {
  return ctx.changes.get(logicalId)?.base ?? ctx.input.base?.resources.find((r) => r.logicalId === logicalId);
}

export function deployedResource(ctx: RuleContext, logicalId: string): DeclaredResource | undefined {
  return ctx.input.deployed?.resources.find((r) => r.logicalId === logicalId);
}

/**
 * The head file's lines when the resource is in head, the property's lines when known.
 * A resource the head does not declare (the PR removes it, or the head does not parse)
 * gets its file and no lines: annotations and links are shown on the head commit, where
 * the base's line numbers point at something else, and GitHub's check-run API takes no
 * annotation without `start_line` / `end_line`, so such a finding is not annotated.
 */
export function locate(ctx: RuleContext, logicalId: string, property?: string): { file?: string; span?: SourceSpan } {
  // A resource SAM generates has no lines of its own: the lines of what generates it.
  const generatedBy = ctx.changes.get(logicalId)?.generatedBy;
  if (generatedBy && generatedBy.logicalId !== logicalId) {
    const source = headResource(ctx, generatedBy.logicalId);
    return locate(ctx, generatedBy.logicalId, generatedBy.properties.find((name) => source?.propertySpans[name] !== undefined));
  }
  const head = headResource(ctx, logicalId);
  if (!head) return baseResource(ctx, logicalId) ? { file: ctx.input.base?.file ?? ctx.input.target.file } : {};
  const span = (property !== undefined ? head.propertySpans[property] : undefined) ?? head.span;
  return { file: ctx.input.head?.file ?? ctx.input.target.file, span };
}

/** When AWS checked this resource, else when the detection finished, else when the read started. */
export function liveReadAt(ctx: RuleContext, logicalId?: string): string {
  const checkedAt = logicalId === undefined ? undefined : ctx.live.get(logicalId)?.checkedAt;
  return checkedAt ?? ctx.input.live.drift?.checkedAt ?? ctx.input.live.readAt;
}

/**
 * A redacted row for one live difference: base and head values at the same path, AWS's
 * expected and actual. When the path is an entry's `Value` (`Environment.0.Value`), the
 * entry's name is looked up beside it, as base, head and the deployed template have it
 * and as AWS reports it in the resource's other differences (`Environment.0.Name`), so a
 * `{ Name: DB_PASSWORD, Value: ... }` entry is redacted whole. Each of these is judged by
 * `isSecretEntry`, the test `redactValue` applies to whole entries: an intrinsic name
 * (`{ 'Fn::Join': ['_', ['DB', 'PASSWORD']] }`), `ParameterKey` / `ParameterValue` and
 * `Secure: true` count here exactly as they do there.
 */
export function driftEvidence(ctx: RuleContext, logicalId: string, difference: PropertyDifference): Evidence {
  const row: Evidence = {
    path: difference.path,
    base: getPath(baseResource(ctx, logicalId)?.properties, difference.path),
    head: getPath(headResource(ctx, logicalId)?.properties, difference.path),
    expected: difference.expected,
    live: difference.actual,
  };
  const deployed = getPath(deployedResource(ctx, logicalId)?.properties, difference.path);
  return redactEvidence(row, ctx.noEcho, [deployed], entriesBeside(ctx, logicalId, difference.path));
}

/** The entry holding the value at `path`, as every side has it; `[]` when `path` is not an entry's `Value`. */
function entriesBeside(ctx: RuleContext, logicalId: string, path: string): unknown[] {
  const entryPath = entryPathOfValue(path);
  if (entryPath === undefined) return [];
  const declared = [baseResource(ctx, logicalId), headResource(ctx, logicalId), deployedResource(ctx, logicalId)];
  const entries: unknown[] = declared.map((resource) => getPath(resource?.properties, entryPath));
  // AWS's own view, from the resource's differences (all of them, ignored ones too)
  const differences = [
    ...(ctx.live.get(logicalId)?.differences ?? []),
    ...(ctx.input.live.drift?.resources.find((r) => r.logicalId === logicalId)?.differences ?? []),
  ];
  const prefix = entryPath === '' ? '' : `${entryPath}.`;
  for (const difference of differences) {
    if (difference.path === entryPath) {
      entries.push(difference.expected, difference.actual);
    } else if (difference.path.startsWith(prefix) && !difference.path.slice(prefix.length).includes('.')) {
      const key = difference.path.slice(prefix.length);
      entries.push({ [key]: difference.expected }, { [key]: difference.actual });
    }
  }
  return entries;
}

type ResourceFindingFields = Pick<Finding, 'rule' | 'severity' | 'message' | 'evidence'> & { resource: string; property?: string };

/** A finding about one resource: target, type, physical id, file, lines and read time filled in. */
export function resourceFinding(ctx: RuleContext, fields: ResourceFindingFields): Finding {
  const { property, ...rest } = fields;
  const live = ctx.live.get(fields.resource);
  const declared = headResource(ctx, fields.resource) ?? baseResource(ctx, fields.resource);
  const finding: Finding = { ...rest, target: ctx.input.target.name, ...locate(ctx, fields.resource, property) };
  const resourceType = live?.type ?? declared?.type;
  if (resourceType !== undefined) finding.resourceType = resourceType;
  if (live?.physicalId !== undefined) finding.physicalId = live.physicalId;
  if (live) finding.liveReadAt = liveReadAt(ctx, fields.resource);
  return finding;
}

/** A stack-wide finding (status, unreadable): no resource, no lines. */
export function stackFinding(ctx: RuleContext, fields: Pick<Finding, 'rule' | 'severity' | 'message'>): Finding {
  return { ...fields, target: ctx.input.target.name, evidence: [], liveReadAt: ctx.input.live.readAt };
}
