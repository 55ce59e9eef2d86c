// What a pull request does to a template's resources, base -> head, by logical id.
// Pure. Unchanged resources are left out.
//
// A resource changes when its entry changes (values compared as CloudFormation sees them:
// `30` and `"30"` are the same, see values/cloudformation-value.ts) or when something outside Resources that
// it uses changes: a parameter, mapping, condition, SAM Globals or Transform (see
// section-changes.ts). Both kinds are merged into one list of property names.
import type { DeclaredResource, DeclaredTemplate, ResourceChange } from '../../types.js';
import { sameValue } from '../../values/cloudformation-value.js';
import { COMPARED_ATTRIBUTES, readAttribute } from './resource-attributes.js';
import { indirectChange, sectionChanges, type SectionChanges } from './section-changes.js';

export function computeChanges(base: DeclaredTemplate | undefined, head: DeclaredTemplate | undefined): ResourceChange[] {
  const baseById = new Map((base?.resources ?? []).map((resource) => [resource.logicalId, resource]));
  const headIds = new Set((head?.resources ?? []).map((resource) => resource.logicalId));
  const sections = sectionChanges(base, head);
  const changes: ResourceChange[] = [];
  for (const after of head?.resources ?? []) {
    const before = baseById.get(after.logicalId);
    const change = before ? compareResource(before, after, sections) : whole('add', after);
    if (change) changes.push(change);
  }
  for (const before of base?.resources ?? []) {
    if (!headIds.has(before.logicalId)) changes.push(whole('remove', before));
  }
  return changes;
}

function compareResource(base: DeclaredResource, head: DeclaredResource, sections: SectionChanges | undefined): ResourceChange | undefined {
  const names = [...new Set([...Object.keys(head.properties), ...Object.keys(base.properties)])];
  const properties = new Set(names.filter((name) => !sameValue(own(base.properties, name), own(head.properties, name))));
  const attributes = new Set<string>(
    COMPARED_ATTRIBUTES.filter((name) => !sameValue(readAttribute(base, name), readAttribute(head, name))),
  );
  const indirect = sections ? indirectChange(head, sections) : undefined;
  for (const name of indirect?.properties ?? []) properties.add(name);
  for (const name of indirect?.attributes ?? []) attributes.add(name);
  if (properties.size === 0 && attributes.size === 0 && !indirect?.whole) return undefined;
  // Template order first; names only SAM Globals gives the resource come last.
  const changedProperties = [...new Set([...names, ...properties])].filter((name) => properties.has(name));
  const changedAttributes = COMPARED_ATTRIBUTES.filter((name) => attributes.has(name));
  return { logicalId: head.logicalId, type: head.type, action: 'change', changedProperties, changedAttributes, base, head };
}

/** An added or removed resource: every property and every attribute it has counts as changed. */
function whole(action: 'add' | 'remove', resource: DeclaredResource): ResourceChange {
  return {
    logicalId: resource.logicalId,
    type: resource.type,
    action,
    changedProperties: Object.keys(resource.properties),
    changedAttributes: COMPARED_ATTRIBUTES.filter((name) => readAttribute(resource, name) !== undefined),
    ...(action === 'add' ? { head: resource } : { base: resource }),
  };
}

/** An own property only: a property named like an Object.prototype member must not read it. */
function own(record: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}
