// The resource entry's other parts (Condition, DeletionPolicy, Metadata, ...), as computeChanges
// and the rules compare them. parseTemplate keeps them in `DeclaredResource.attributes`.
import type { DeclaredResource } from '../../types.js';

/** Attributes compared by computeChanges, in the order they are reported. */
export const COMPARED_ATTRIBUTES = [
  'Type',
  'DependsOn',
  'Condition',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'UpdatePolicy',
  'CreationPolicy',
  'Metadata',
  // SAM: a resource's connectors generate policies of their own (compute-sam-generated.ts), and
  // IgnoreGlobals decides which Globals it takes (compute-globals.ts).
  'Connectors',
  'IgnoreGlobals',
] as const;

export type ComparedAttribute = (typeof COMPARED_ATTRIBUTES)[number];

/** An attribute's value in comparable form; `undefined` when absent. */
export function readAttribute(resource: DeclaredResource, name: ComparedAttribute): unknown {
  if (name === 'Type') return resource.type;
  // `DependsOn: A` and `DependsOn: [A]` mean the same, and so does any order of the list.
  if (name === 'DependsOn') return resource.dependsOn.length > 0 ? [...resource.dependsOn].sort() : undefined;
  return resource.attributes && Object.hasOwn(resource.attributes, name) ? resource.attributes[name] : undefined;
}
