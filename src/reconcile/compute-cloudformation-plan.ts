// What to write back into a CloudFormation template (as the default branch has it) from the
// stack's drift: one ValueEdit per drifted property the code states literally, a `tag` edit
// per tag changed live, and a follow-up for everything a person must decide. Pure.
//
// Only what drift detection reports is written: it compares the deployed template with the
// running resource, so a value in it was changed live. Defaults AWS fills in that the
// template never declared are not differences and are never added.
import type { IgnoreRule } from '../config-types.js';
import type { DeclaredResource, DeclaredTemplate, LiveResource, LiveState, PropertyDifference } from '../types.js';
import { matchesIgnoreRule } from '../analyze/apply-ignore.js';
import { getPath } from '../values/get-path.js';
import { isRecord, sameValue } from '../values/cloudformation-value.js';
import { REDACTED, isSecretEntry, isSecretPath, redactValue, referencesSecret } from '../values/redact.js';
import type { ValueEdit } from './types.js';
import { groupEdits, inDeclaredType, toPathSegments, type EvidenceRow, type FollowUp, type ReconcilePlan } from './reconcile-plan.js';

export interface CloudFormationPlanInput {
  target: string;
  template: DeclaredTemplate;
  live: LiveState;
  ignore: readonly IgnoreRule[];
}

export function computeCloudFormationPlan(input: CloudFormationPlanInput): ReconcilePlan {
  const { template, live } = input;
  const noEcho = new Set([...(live.stack?.noEchoParameters ?? []), ...template.parameters.filter((p) => p.noEcho).map((p) => p.name)]);
  const format = template.format;
  const edits: Array<{ file: string; format: typeof format; edit: ValueEdit }> = [];
  const evidence: EvidenceRow[] = [];
  const followUps: FollowUp[] = [];
  const source = live.source === 'snapshot' ? 'live-state snapshot' : 'CloudFormation drift detection';

  for (const resource of live.drift?.resources ?? []) {
    const declared = template.resources.find((r) => r.logicalId === resource.logicalId);
    const readAt = resource.checkedAt ?? live.drift?.checkedAt ?? live.readAt;
    if (resource.status === 'DELETED') {
      if (declared) followUps.push({ resource: resource.logicalId, reason: 'deleted', detail: `${resource.logicalId} was deleted live: recreate it (a deploy does), import it again, or remove it from the template.`, file: template.file });
      continue;
    }
    if (resource.status !== 'MODIFIED') continue;
    const differences = resource.differences.filter((d) => !input.ignore.some((rule) => matchesIgnoreRule(rule, resource, d.path)));
    if (!declared) {
      if (differences.length > 0) followUps.push({ resource: resource.logicalId, reason: 'not-found', detail: `${resource.logicalId} is not in ${template.file} on the default branch.` });
      continue;
    }
    for (const difference of differences) {
      // the code on the default branch already says what runs (a merged reconcile, not yet deployed)
      if (statesLive(declared, difference)) continue;
      const row = planDifference(declared, resource, difference, noEcho);
      evidence.push({ resource: resource.logicalId, property: difference.path, declared: row.declared, live: row.live, readAt, source });
      if (row.edit) edits.push({ file: template.file, format, edit: row.edit });
      if (row.followUp) followUps.push({ ...row.followUp, file: template.file });
    }
  }
  return { target: input.target, kind: 'cloudformation', files: groupEdits(edits), evidence, followUps };
}

interface PlannedDifference {
  declared: unknown;
  live: unknown;
  edit?: ValueEdit;
  followUp?: FollowUp;
}

const INTRINSIC = /^(Ref|Condition|Fn::[A-Za-z]+)$/;

/** An intrinsic function (`{ Ref: X }`, `{ 'Fn::Sub': ... }`) anywhere on the way to `path`, or at it. */
function expressionOnPath(properties: Record<string, unknown>, path: string): unknown {
  const segments = path.split('.');
  for (let n = 1; n <= segments.length; n++) {
    const value = getPath(properties, segments.slice(0, n).join('.'));
    if (isRecord(value) && Object.keys(value).length === 1 && INTRINSIC.test(Object.keys(value)[0]!)) return value;
  }
  return undefined;
}

function planDifference(declared: DeclaredResource, resource: LiveResource, difference: PropertyDifference, noEcho: ReadonlySet<string>): PlannedDifference {
  const id = resource.logicalId;
  const { path } = difference;
  const declaredValue = getPath(declared.properties, path);
  const expression = expressionOnPath(declared.properties, path);
  // secrets: a NoEcho parameter, a secret-looking name, or a name/value entry naming a secret
  const entry = /^(.*)\.\d+\.(Value|value)$/.exec(path);
  const entryValue = entry ? getPath(declared.properties, path.replace(/\.(Value|value)$/, '')) : undefined;
  if (isSecretPath(path) || referencesSecret(expression ?? declaredValue, noEcho) || (entryValue !== undefined && isSecretEntry(entryValue))) {
    return {
      declared: declaredValue === undefined ? undefined : REDACTED,
      live: REDACTED,
      followUp: { resource: id, path, reason: 'secret', live: REDACTED, detail: `${path} of ${id} holds a secret and was changed live: rotate it where it is stored (parameter, secret store); it is never written into code.` },
    };
  }
  const shown = { declared: redactValue(path, declaredValue, noEcho), live: redactValue(path, difference.actual, noEcho) };
  if (expression !== undefined) {
    return { ...shown, followUp: { resource: id, path, reason: 'expression', live: shown.live, detail: `${path} of ${id} comes from ${describeIntrinsic(expression)}; change what it refers to so it gives the live value.` } };
  }
  if (difference.kind === 'REMOVE') {
    return { ...shown, followUp: { resource: id, path, reason: 'removed', live: undefined, detail: `${path} of ${id} was removed live: remove it from the template, or deploy to set it again.` } };
  }
  const tag = tagEdit(declared, id, path, difference.actual);
  if (tag) return { ...shown, ...tag };
  return { ...shown, edit: { resource: id, path: toPathSegments(path), op: { kind: 'set', value: inDeclaredType(difference.actual, declaredValue) } } };
}

/**
 * `Tags` changed live, as AWS reports it: the whole list (`Tags`), one entry (`Tags.2`, with
 * the live `{ Key, Value }`), or one entry's value (`Tags.2.Value`, the key beside it in the
 * template). Each becomes a `tag` edit, merged into the list by `Key`.
 */
function tagEdit(declared: DeclaredResource, id: string, path: string, actual: unknown): Pick<PlannedDifference, 'edit' | 'followUp'> | undefined {
  const match = /^(Tags)(?:\.(\d+)(?:\.(Value))?)?$/.exec(path);
  if (!match) return undefined;
  const list = match[1]!;
  const edit = (key: string, value: unknown): ValueEdit => ({ resource: id, path: [list], op: { kind: 'tag', key, value: String(value) } });
  if (match[3]) {
    const key = getPath(declared.properties, `${list}.${match[2]}.Key`);
    return typeof key === 'string' ? { edit: edit(key, actual) } : undefined;
  }
  if (match[2]) return isRecord(actual) && typeof actual.Key === 'string' ? { edit: edit(actual.Key, actual.Value) } : undefined;
  // the whole list: the entries live has that the template lacks or states otherwise
  if (!Array.isArray(actual)) return undefined;
  const declaredTags = getPath(declared.properties, list);
  const have = Array.isArray(declaredTags) ? declaredTags : [];
  const changed = actual.filter((t) => isRecord(t) && typeof t.Key === 'string' && !have.some((d) => isRecord(d) && d.Key === t.Key && String(d.Value) === String(t.Value)));
  if (changed.length !== 1) return undefined; // several: one edit per entry does not fit one difference; set the list
  const only = changed[0] as { Key: string; Value: unknown };
  return { edit: edit(only.Key, only.Value) };
}

function describeIntrinsic(value: unknown): string {
  const [name, argument] = Object.entries(value as Record<string, unknown>)[0]!;
  if (name === 'Ref' && typeof argument === 'string') return `the parameter or resource ${argument} (Ref)`;
  return `an intrinsic function (${name})`;
}

/** The template already declares the live value (a tag compared by its `Key`). */
function statesLive(declared: DeclaredResource, difference: PropertyDifference): boolean {
  if (difference.kind === 'REMOVE') return getPath(declared.properties, difference.path) === undefined;
  if (sameValue(getPath(declared.properties, difference.path), difference.actual)) return true;
  const entry = /^(.*)\.\d+$/.exec(difference.path);
  const list = entry ? getPath(declared.properties, entry[1]!) : undefined;
  const actual = difference.actual;
  return Array.isArray(list) && isRecord(actual) && typeof actual.Key === 'string' && list.some((item) => isRecord(item) && item.Key === actual.Key && sameValue(item, actual));
}
