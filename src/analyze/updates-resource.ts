// Which changes deploy over the live resource: shared by the ignore rules and the rules.
import { reachesPrimary } from '../iac/cloudformation/compute-sam-generated.js';
import type { ResourceChange } from '../types.js';

/**
 * CloudFormation updates a resource when its properties or its Type change. DependsOn,
 * DeletionPolicy, UpdateReplacePolicy, Metadata and Condition edits alone leave the live
 * resource alone, so they revert nothing. A removal deletes the resource with its live
 * changes, which is what the PR asks for: no finding either. A resource SAM generates for a
 * changed one (`generatedBy`) is updated with it; a serverless function whose edit SAM writes
 * only into the resources it generates (its `Policies`, `Events`, ...) is not.
 */
export function updatesResource(change: ResourceChange): boolean {
  if (change.action === 'remove') return false;
  if (change.generatedBy !== undefined || change.changedAttributes.includes('Type')) return true;
  return change.changedProperties.length > 0 && reachesPrimary(change);
}
