// Which changes deploy over the live resource: shared by the ignore rules and the rules.
import type { ResourceChange } from '../types.js';

/**
 * CloudFormation updates a resource when its properties or its Type change. DependsOn,
 * DeletionPolicy, UpdateReplacePolicy, Metadata and Condition edits alone leave the live
 * resource alone, so they revert nothing. A removal deletes the resource with its live
 * changes, which is what the PR asks for: no finding either. A resource SAM generates for a
 * changed one (`generatedBy`) is updated with it.
 */
export function updatesResource(change: ResourceChange): boolean {
  return change.action !== 'remove' && (change.changedProperties.length > 0 || change.changedAttributes.includes('Type') || change.generatedBy !== undefined);
}
