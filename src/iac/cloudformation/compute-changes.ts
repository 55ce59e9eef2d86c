// What a pull request does to a template's resources, base -> head, by logical id.
// Pure. Unchanged resources are left out.
import type { DeclaredResource, DeclaredTemplate, ResourceChange } from '../../types.js';
import { deepEqual } from './deep-equal.js';
import { COMPARED_ATTRIBUTES, readAttribute } from './resource-attributes.js';

export function computeChanges(base: DeclaredTemplate | undefined, head: DeclaredTemplate | undefined): ResourceChange[] {
  const baseById = new Map((base?.resources ?? []).map((resource) => [resource.logicalId, resource]));
  const headIds = new Set((head?.resources ?? []).map((resource) => resource.logicalId));
  const changes: ResourceChange[] = [];
  for (const after of head?.resources ?? []) {
    const before = baseById.get(after.logicalId);
    const change = before ? compareResource(before, after) : whole('add', after);
    if (change) changes.push(change);
  }
  for (const before of base?.resources ?? []) {
    if (!headIds.has(before.logicalId)) changes.push(whole('remove', before));
  }
  return changes;
}

function compareResource(base: DeclaredResource, head: DeclaredResource): ResourceChange | undefined {
  const names = [...new Set([...Object.keys(head.properties), ...Object.keys(base.properties)])];
  const changedProperties = names.filter((name) => !deepEqual(base.properties[name], head.properties[name]));
  const changedAttributes = COMPARED_ATTRIBUTES.filter(
    (name) => !deepEqual(readAttribute(base, name), readAttribute(head, name)),
  );
  if (changedProperties.length === 0 && changedAttributes.length === 0) return undefined;
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
