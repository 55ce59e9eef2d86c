// What a pull request does to a template's resources, base -> head, by logical id.
// Pure. Unchanged resources are left out.
//
// A resource changes when its entry changes (values compared as CloudFormation sees them:
// `30` and `"30"` are the same, see values/cloudformation-value.ts) or when something outside Resources that
// it uses changes: a parameter, mapping, condition, SAM Globals or Transform (see
// section-changes.ts and, for SAM Globals, compute-globals.ts). Both kinds are merged into one
// list of property names. A `Properties` that is one `Fn::If` is read as its branches' property
// names (compute-property-branches.ts).
import type { DeclaredResource, DeclaredTemplate, ResourceChange } from '../../types.js';
import { sameValue } from '../../values/cloudformation-value.js';
import { COMPARED_ATTRIBUTES, readAttribute } from './resource-attributes.js';
import { alignLoops } from './apply-language-extensions.js';
import { globalsChanges } from './compute-globals.js';
import { propertyNames, propertyValue } from './compute-property-branches.js';
import { indirectChange, sectionChanges, usesChangedSection, type SectionChanges } from './section-changes.js';

/** The Globals sections of both versions, as written. */
interface GlobalsSections {
  before: unknown;
  after: unknown;
}

export function computeChanges(base: DeclaredTemplate | undefined, head: DeclaredTemplate | undefined): ResourceChange[] {
  // A Fn::ForEach loop one version could not expand is compared as written on both sides.
  const [baseResources, headResources] = alignLoops(base, head);
  const baseById = new Map(baseResources.map((resource) => [resource.logicalId, resource]));
  const headIds = new Set(headResources.map((resource) => resource.logicalId));
  const sections = sectionChanges(base, head);
  const globals = { before: base?.sections?.Globals, after: head?.sections?.Globals };
  // One function for every resource: compute-globals.ts caches its answers per global value
  const usesChanged = (value: unknown) => sections !== undefined && usesChangedSection(value, sections);
  const changes: ResourceChange[] = [];
  for (const after of headResources) {
    const before = baseById.get(after.logicalId);
    const change = before ? compareResource(before, after, sections, globals, usesChanged) : whole('add', after);
    if (change) changes.push(change);
  }
  for (const before of baseResources) {
    if (!headIds.has(before.logicalId)) changes.push(whole('remove', before));
  }
  return changes;
}

function compareResource(
  base: DeclaredResource,
  head: DeclaredResource,
  sections: SectionChanges | undefined,
  globals: GlobalsSections,
  usesChanged: (value: unknown) => boolean,
): ResourceChange | undefined {
  const names = [...new Set([...propertyNames(head.properties), ...propertyNames(base.properties)])];
  const properties = new Set(names.filter((name) => !sameValue(propertyValue(base.properties, name), propertyValue(head.properties, name))));
  const attributes = new Set<string>(
    COMPARED_ATTRIBUTES.filter((name) => !sameValue(readAttribute(base, name), readAttribute(head, name))),
  );
  const indirect = sections ? indirectChange(head, sections) : undefined;
  for (const name of indirect?.properties ?? []) properties.add(name);
  for (const name of indirect?.attributes ?? []) attributes.add(name);
  const fromGlobals = globalsChanges(globals.before, globals.after, base, head, usesChanged);
  // A Globals section that is not a mapping: what it gives cannot be told, so everything.
  const globalsUnknown = fromGlobals === undefined && !sameValue(globals.before, globals.after);
  if (globalsUnknown) for (const name of names) properties.add(name);
  const fromGlobalsOnly = globalsUnknown ? [] : (fromGlobals ?? []);
  if (properties.size === 0 && fromGlobalsOnly.length === 0 && attributes.size === 0 && !indirect?.whole && !globalsUnknown) return undefined;
  // Template order first; names only SAM Globals gives the resource come last. No Set of the
  // Globals names per resource: 3,000 functions each given 5,000 names took 3 s to merge.
  const own = new Set(names);
  const ownFromGlobals = new Set(fromGlobalsOnly.filter((name) => own.has(name)));
  const ownChanged = names.filter((name) => properties.has(name) || ownFromGlobals.has(name));
  const indirectOnly = [...properties].filter((name) => !own.has(name));
  // The common case, a list of names only Globals gives: appended whole
  if (indirectOnly.length === 0 && ownFromGlobals.size === 0) {
    // globalsChanges gives a new list each call: taken as it is when nothing comes before it
    return changeOf(base, head, ownChanged.length === 0 ? fromGlobalsOnly : ownChanged.concat(fromGlobalsOnly), attributes);
  }
  const changedProperties = ownChanged.concat(indirectOnly);
  const seen = new Set(indirectOnly);
  for (const name of fromGlobalsOnly) if (!own.has(name) && !seen.has(name)) changedProperties.push(name);
  return changeOf(base, head, changedProperties, attributes);
}

function changeOf(base: DeclaredResource, head: DeclaredResource, changedProperties: string[], attributes: ReadonlySet<string>): ResourceChange {
  const changedAttributes = COMPARED_ATTRIBUTES.filter((name) => attributes.has(name));
  return { logicalId: head.logicalId, type: head.type, action: 'change', changedProperties, changedAttributes, base, head };
}

/** An added or removed resource: every property and every attribute it has counts as changed. */
function whole(action: 'add' | 'remove', resource: DeclaredResource): ResourceChange {
  return {
    logicalId: resource.logicalId,
    type: resource.type,
    action,
    changedProperties: propertyNames(resource.properties),
    changedAttributes: COMPARED_ATTRIBUTES.filter((name) => readAttribute(resource, name) !== undefined),
    ...(action === 'add' ? { head: resource } : { base: resource }),
  };
}

