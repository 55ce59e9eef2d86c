// The resource entry's other parts (Condition, DeletionPolicy, Metadata, ...). DeclaredResource
// in src/types.ts has no field for them, so parseTemplate adds `attributes` to each resource
// it returns and computeChanges reads it when present.
import type { DeclaredResource } from '../../types.js';

/** The raw resource entry in JSON form, minus `Properties`. */
export type ResourceAttributes = Record<string, unknown>;

export interface CloudFormationResource extends DeclaredResource {
  attributes: ResourceAttributes;
}

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
] as const;

export type ComparedAttribute = (typeof COMPARED_ATTRIBUTES)[number];

/** An attribute's value in comparable form; `undefined` when absent. */
export function readAttribute(resource: DeclaredResource, name: ComparedAttribute): unknown {
  if (name === 'Type') return resource.type;
  // `DependsOn: A` and `DependsOn: [A]` mean the same, and so does any order of the list.
  if (name === 'DependsOn') return resource.dependsOn.length > 0 ? [...resource.dependsOn].sort() : undefined;
  const attributes = (resource as Partial<CloudFormationResource>).attributes;
  return attributes?.[name];
}
