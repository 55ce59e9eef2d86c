// AWS::LanguageExtensions applied to a parsed template: the resources its Fn::ForEach loops
// declare, under the logical ids CloudFormation gives them, and its Conditions' loops
// expanded, so drift and changes match resource by resource. Pure.
//
// The parser keeps each `Fn::ForEach::` entry of Resources as written (`template.loops`);
// this adds the resources it declares, each with the lines of its fragment in the loop (or
// the loop's own lines). A loop whose collection cannot be known before deploy (a parameter
// without Default, ...) is never dropped: it stays one resource standing for the whole loop
// (`loop.unexpanded` says why), which computeChanges compares as written and analyze reports
// as not checked. A loop CloudFormation refuses gives a located error instead.
import type { DeclaredResource, DeclaredTemplate, ForEachLoop, ParseError, SourceSpan } from '../../types.js';
import { isRecord } from '../../values/cloudformation-value.js';
import { computeReferences } from './compute-references.js';
import { expandLoop, expandMapping, isForEachKey, LoopProblem, LoopUnresolved, MAX_VALUES, type LoopScope } from './expand-for-each.js';

export type Applied = { ok: true; template: DeclaredTemplate } | { ok: false; error: ParseError };

export function applyLanguageExtensions(template: DeclaredTemplate): Applied {
  const loops = template.loops ?? [];
  const conditions = template.sections?.Conditions;
  const conditionLoops = isRecord(conditions) && Object.keys(conditions).some(isForEachKey);
  const propertyLoops = template.resources.some((resource) => hasLoop(resource.properties, 0));
  if (loops.length === 0 && !conditionLoops && !propertyLoops) return { ok: true, template };

  const scope: LoopScope = {
    identifiers: new Map(),
    parameters: asRecord(template.sections?.Parameters),
    mappings: asRecord(template.sections?.Mappings),
    budget: { values: MAX_VALUES },
  };
  const ids = new Set(template.resources.map((resource) => resource.logicalId));
  const resources: DeclaredResource[] = [];
  for (const resource of template.resources) {
    if (!hasLoop(resource.properties, 0)) {
      resources.push(resource);
      continue;
    }
    try {
      const properties = expandMapping(resource.properties, scope);
      resources.push({ ...resource, properties, references: computeReferences(properties, resource.dependsOn) });
    } catch (error) {
      // Properties a loop would write cannot be known: compared as written.
      if (error instanceof LoopUnresolved) resources.push(resource);
      else if (error instanceof LoopProblem) return problem(template, resource.span, error.message);
      else throw error;
    }
  }
  for (const loop of loops) {
    try {
      for (const resource of loopResources(loop, scope)) {
        if (ids.has(resource.logicalId)) return problem(template, loop.span, `${loop.key} declares ${resource.logicalId}, which the template already has`);
        ids.add(resource.logicalId);
        resources.push(resource);
      }
    } catch (error) {
      if (error instanceof LoopUnresolved) resources.push(unexpanded(loop, error.message));
      else if (error instanceof LoopProblem) return problem(template, loop.span, error.message);
      else throw error;
    }
  }

  const sections = { ...template.sections };
  if (conditionLoops) {
    try {
      sections.Conditions = expandMapping(conditions as Record<string, unknown>, scope);
    } catch (error) {
      // Condition names a loop would declare cannot be known: kept as written. A resource
      // using one of them then finds no definition, as before expansion.
      if (!(error instanceof LoopUnresolved)) return problem(template, { startLine: 1, endLine: 1 }, (error as Error).message);
    }
  }
  return { ok: true, template: { ...template, resources, sections } };
}

function loopResources(loop: ForEachLoop, scope: LoopScope): DeclaredResource[] {
  const located = fragmentSpans(loop);
  return expandLoop(loop.key, loop.value, scope).map(([logicalId, body]) => {
    if (!/^[A-Za-z0-9]+$/.test(logicalId)) {
      throw new LoopProblem(`${loop.key} declares the logical id ${logicalId}, which is not alphanumeric (&{Identifier} drops the other characters of an item)`);
    }
    const where = located.get(logicalId);
    return buildResource(logicalId, body, loop, where?.span ?? loop.span, where?.propertySpans ?? {});
  });
}

/**
 * Output key as written -> lines, matched to the generated logical ids by trying the loop's
 * items: a generated id is matched to the fragment whose written key, with every
 * `${X}`/`&{X}` read as "anything", matches it. Cheap: fragments are few.
 */
function fragmentSpans(loop: ForEachLoop): { get(id: string): { span: SourceSpan; propertySpans: Record<string, SourceSpan> } | undefined } {
  const patterns = Object.entries(loop.fragments ?? {}).map(([written, where]) => ({ parts: written.split(/[$&]\{[^{}]*\}/), where }));
  return { get: (id) => patterns.find(({ parts }) => matchesWritten(parts, id))?.where };
}

/**
 * Whether an alphanumeric logical id can come from a key written as `parts` joined by
 * placeholders (each standing for any alphanumeric text): the parts in order, the first at the
 * start, the last at the end. No RegExp per loop: compiling one for each of 6,000 loops was a
 * tenth of reading them (`npm run bench`).
 */
function matchesWritten(parts: readonly string[], id: string): boolean {
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (parts.length === 1) return id === first;
  if (!id.startsWith(first) || id.length < first.length + last.length || !id.endsWith(last)) return false;
  const limit = id.length - last.length;
  let at = first.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = id.indexOf(parts[i]!, at);
    if (found === -1 || found + parts[i]!.length > limit) return false;
    at = found + parts[i]!.length;
  }
  return true;
}

function buildResource(
  logicalId: string,
  body: unknown,
  loop: ForEachLoop,
  span: SourceSpan,
  propertySpans: Record<string, SourceSpan>,
): DeclaredResource {
  if (!isRecord(body)) throw new LoopProblem(`resource ${logicalId} (from ${loop.key}) must be a mapping with a Type`);
  const { Properties: rawProperties, ...attributes } = body;
  if (typeof body.Type !== 'string' || body.Type === '') throw new LoopProblem(`resource ${logicalId} (from ${loop.key}) has no Type`);
  const properties = rawProperties ?? {};
  if (!isRecord(properties)) throw new LoopProblem(`the Properties of resource ${logicalId} (from ${loop.key}) must be a mapping`);
  const dependsOn = body.DependsOn === undefined || body.DependsOn === null ? [] : typeof body.DependsOn === 'string' ? [body.DependsOn] : body.DependsOn;
  if (!Array.isArray(dependsOn) || !dependsOn.every((id) => typeof id === 'string')) {
    throw new LoopProblem(`DependsOn of resource ${logicalId} (from ${loop.key}) must be a logical id or a list of logical ids`);
  }
  return {
    logicalId,
    type: body.Type,
    properties,
    dependsOn,
    references: computeReferences(properties, dependsOn),
    span,
    propertySpans,
    attributes,
    loop: { key: loop.key },
  };
}

/** The whole loop as one resource: compared as written, never matched to a live resource. */
export function unexpanded(loop: ForEachLoop, reason: string): DeclaredResource {
  const fragment = Array.isArray(loop.value) && isRecord(loop.value[2]) ? loop.value[2] : {};
  const types = Object.values(fragment).flatMap((body) => (isRecord(body) && typeof body.Type === 'string' ? [body.Type] : []));
  const properties = { [loop.key]: loop.value };
  return {
    logicalId: loop.key,
    type: [...new Set(types)].join(', ') || 'Fn::ForEach',
    properties,
    dependsOn: [],
    references: computeReferences(properties, []),
    span: loop.span,
    propertySpans: {},
    attributes: {},
    loop: { key: loop.key, unexpanded: reason },
  };
}

/** Whether a `Fn::ForEach::` key is anywhere in a value (loops inside Properties). */
function hasLoop(value: unknown, depth: number): boolean {
  if (depth > 100) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (hasLoop(value[i], depth + 1)) return true;
    return false;
  }
  if (!isRecord(value)) return false;
  for (const key in value) if (isForEachKey(key) || hasLoop(value[key], depth + 1)) return true;
  return false;
}

function problem(template: DeclaredTemplate, span: SourceSpan, message: string): Applied {
  return { ok: false, error: { file: template.file, line: span.startLine, message } };
}

function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/**
 * The resources of two versions to compare, with every loop that one version could not
 * expand collapsed on the other side too into the one resource standing for it: what the
 * expanded side declares cannot be matched with what the other does, so neither is reported
 * added or removed, and the loop is compared as written.
 */
export function alignLoops(base: DeclaredTemplate | undefined, head: DeclaredTemplate | undefined): [DeclaredResource[], DeclaredResource[]] {
  const unresolved = new Set(
    [...(base?.resources ?? []), ...(head?.resources ?? [])].flatMap((resource) => (resource.loop?.unexpanded !== undefined ? [resource.loop.key] : [])),
  );
  const collapse = (template: DeclaredTemplate | undefined): DeclaredResource[] => {
    if (!template) return [];
    if (unresolved.size === 0) return template.resources;
    const kept = template.resources.filter((resource) => !resource.loop || resource.loop.unexpanded !== undefined || !unresolved.has(resource.loop.key));
    const collapsed = new Set(kept.flatMap((resource) => (resource.loop ? [resource.loop.key] : [])));
    for (const loop of template.loops ?? []) {
      if (unresolved.has(loop.key) && !collapsed.has(loop.key)) kept.push(unexpanded(loop, 'the other version of the template could not expand it'));
    }
    return kept;
  };
  return [collapse(base), collapse(head)];
}
