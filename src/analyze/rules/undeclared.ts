// undeclared: a resource the pull request changes has a property set live that the template
// never declares (base, head or deployed) and that differs from the type's default: a
// redrive policy added in the console, a policy attached by hand. CloudFormation's drift
// detection compares declared properties only, so it calls such a resource IN_SYNC.
//
// Never reported: read-only and write-only properties (the type's schema), properties
// CloudFormation or the service fills in itself, parts other resources of the stack manage,
// the `aws:` tags and the stack's own tags CloudFormation copies onto resources
// (undeclared-defaults.ts). A resource whose model could not be read is "not checked"
// (`unreadable`, with the call and the reason), never clean.
import type { DeclaredResource, Evidence, Finding, IgnoredDrift, TypeSchemaFacts, UndeclaredResource, Unreadable } from '../../types.js';
import { redactEvidence } from '../../values/redact.js';
import { isRecord, sameValue } from '../../values/cloudformation-value.js';
import { matchesIgnoreRule } from '../apply-ignore.js';
import { type RuleContext, baseResource, deployedResource, headResource, resourceFinding, stackFinding } from '../context.js';
import { formatValue, listWords } from '../values.js';
import { TYPE_DEFAULTS, type DefaultContext } from './undeclared-defaults.js';

export interface UndeclaredInput {
  logicalId: string;
  type: string;
  /** Cloud Control's model of the resource. */
  live: Record<string, unknown>;
  schema: Pick<TypeSchemaFacts, 'readOnly' | 'writeOnly' | 'defaults' | 'primaryIdentifier'>;
  /** Top-level properties any version of the template declares for the resource. */
  declared: ReadonlySet<string>;
  stackTags: Record<string, string>;
  /** Every resource of the head and deployed templates. */
  resources: DeclaredResource[];
  physicalIds: ReadonlyMap<string, string>;
}

/** The properties set live that the template never declares, each with its live value (not yet redacted). */
export function computeUndeclared(input: UndeclaredInput): Array<{ property: string; live: unknown }> {
  const rules = TYPE_DEFAULTS[input.type] ?? {};
  const skipped = new Set([
    ...topLevel(input.schema.readOnly),
    ...topLevel(input.schema.writeOnly),
    ...input.schema.primaryIdentifier,
    ...(rules.filledIn ?? []),
  ]);
  const context: DefaultContext = { live: input.live, logicalId: input.logicalId, resources: input.resources, physicalIds: input.physicalIds };
  const found: Array<{ property: string; live: unknown }> = [];
  for (const [property, raw] of Object.entries(input.live)) {
    if (skipped.has(property) || input.declared.has(property)) continue;
    if ((rules.aliases?.[property] ?? []).some((alias) => input.declared.has(alias))) continue;
    let value = withoutPaths(raw, nested(property, [...input.schema.readOnly, ...input.schema.writeOnly]));
    if (property === 'Tags') value = withoutInheritedTags(value, input.stackTags);
    const elsewhere = rules.managedElsewhere?.[property];
    if (elsewhere) value = elsewhere(value, context);
    if (isEmpty(value)) continue;
    if (property in input.schema.defaults && sameValue(value, input.schema.defaults[property])) continue;
    if (rules.defaults?.[property]?.(value, context)) continue;
    found.push({ property, live: value });
  }
  return found;
}

export function undeclaredFindings(ctx: RuleContext): { findings: Finding[]; ignored: IgnoredDrift[] } {
  const read = ctx.input.live.undeclared;
  if (!read) return { findings: [], ignored: [] };
  const findings: Finding[] = read.unreadable.map((entry) =>
    stackFinding(ctx, { rule: 'unreadable', severity: 'warn', message: notChecked('the resources this pull request changes', entry) }),
  );
  const ignored: IgnoredDrift[] = [];
  const resources = [...(ctx.input.head?.resources ?? []), ...(ctx.input.deployed?.resources ?? [])];
  const physicalIds = new Map(read.resources.flatMap((r) => (r.physicalId ? [[r.logicalId, r.physicalId] as const] : [])));
  for (const resource of ctx.input.live.drift?.resources ?? []) if (resource.physicalId) physicalIds.set(resource.logicalId, resource.physicalId);

  for (const resource of read.resources) {
    const id = resource.logicalId;
    if (resource.status !== 'read') {
      const finding = resourceFinding(ctx, { rule: 'unreadable', severity: 'warn', resource: id, message: notChecked(`${id} (${resource.type})`, resource.unreadable), evidence: [] });
      findings.push({ ...finding, liveReadAt: read.readAt });
      continue;
    }
    const found = computeUndeclared({
      logicalId: id,
      type: resource.type,
      live: resource.properties,
      schema: resource.schema,
      declared: declaredNames(ctx, id),
      stackTags: read.stackTags,
      resources,
      physicalIds,
    });
    const kept = found.filter(({ property }) => {
      const rule = ctx.input.ignore.find((r) => matchesIgnoreRule(r, resource, property));
      if (rule) ignored.push({ resource: id, path: property, reason: rule.reason });
      return rule === undefined;
    });
    if (kept.length === 0) continue;
    findings.push(undeclaredFinding(ctx, resource, kept, read.readAt));
  }
  return { findings, ignored };
}

function undeclaredFinding(ctx: RuleContext, resource: Extract<UndeclaredResource, { status: 'read' }>, found: Array<{ property: string; live: unknown }>, readAt: string): Finding {
  const id = resource.logicalId;
  const rows: Evidence[] = found.map(({ property, live }) => redactEvidence({ path: property, live }, ctx.noEcho));
  const what = listWords(rows.map((row) => `${row.path} (${formatValue(row.live)})`));
  const them = rows.length === 1 ? 'it' : 'them';
  const finding = resourceFinding(ctx, {
    rule: 'undeclared',
    severity: 'warn',
    resource: id,
    message:
      `${id} has ${what} set live, which the template never declares, so drift detection does not see ${them}. ` +
      `This pull request deploys ${id} without saying what ${them} should be: declare ${them} with the live value, or remove ${them} live.`,
    evidence: rows,
  });
  return { ...finding, resourceType: resource.type, physicalId: resource.physicalId, liveReadAt: readAt };
}

function notChecked(what: string, entry: Unreadable): string {
  const detail = entry.message ? `: ${entry.message.trim().replace(/\.$/, '')}` : '';
  const hint = /AccessDenied|Unauthorized|Forbidden|InvalidCredentials/i.test(entry.code) ? ` Allow ${entry.api} for the role realitycheck uses.` : entry.retryable ? ' This may pass on a recheck.' : '';
  // NotAvailable: no call was made (a snapshot target); the reason is all there is to say
  const cause = entry.code === 'NotAvailable' ? entry.message.trim().replace(/\.$/, '') : `${entry.api} failed with ${entry.code}${detail}`;
  return `Undeclared properties of ${what} were not checked: ${cause}.${hint}`;
}

function declaredNames(ctx: RuleContext, logicalId: string): Set<string> {
  const names = new Set<string>();
  for (const resource of [baseResource(ctx, logicalId), headResource(ctx, logicalId), deployedResource(ctx, logicalId)]) {
    addNames(resource?.properties, names);
  }
  return names;
}

/** Property names, through a whole-`Properties` `Fn::If` (either branch declares them). */
function addNames(properties: unknown, names: Set<string>): void {
  if (!isRecord(properties)) return;
  const condition = properties['Fn::If'];
  if (Array.isArray(condition) && Object.keys(properties).length === 1) {
    for (const branch of condition.slice(1)) addNames(branch, names);
    return;
  }
  for (const name of Object.keys(properties)) names.add(name);
}

function topLevel(paths: string[]): string[] {
  return paths.filter((p) => !p.includes('.'));
}

/** The sub-paths under `property` (`Code.ZipFile` -> `['ZipFile']`), split. */
function nested(property: string, paths: string[]): string[][] {
  return paths.filter((p) => p.startsWith(`${property}.`)).map((p) => p.slice(property.length + 1).split('.'));
}

/** `value` without the parts at `paths` (`*` is any list item or key). */
function withoutPaths(value: unknown, paths: string[][]): unknown {
  if (paths.length === 0) return value;
  if (Array.isArray(value)) {
    const inner = paths.filter((p) => p[0] === '*').map((p) => p.slice(1));
    return inner.length === 0 ? value : value.map((item) => withoutPaths(item, inner));
  }
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const matching = paths.filter((p) => p[0] === key || p[0] === '*');
    if (matching.some((p) => p.length === 1)) continue;
    out[key] = withoutPaths(item, matching.map((p) => p.slice(1)));
  }
  return out;
}

/** Tags CloudFormation puts on every resource: `aws:`-prefixed ones and the stack's own. */
function withoutInheritedTags(value: unknown, stackTags: Record<string, string>): unknown {
  const inherited = (key: unknown, tagValue: unknown) =>
    typeof key === 'string' && (key.startsWith('aws:') || (Object.hasOwn(stackTags, key) && sameValue(stackTags[key], tagValue)));
  if (Array.isArray(value)) return value.filter((tag) => !(isRecord(tag) && inherited(tag.Key ?? tag.key, tag.Value ?? tag.value)));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).filter(([key, tagValue]) => !inherited(key, tagValue)));
  return value;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isRecord(value)) return Object.values(value).every((v) => v === undefined);
  return false;
}
