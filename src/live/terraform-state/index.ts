// Live source B for Terraform roots: the state in S3 and AWS Cloud Control. What the pipeline uses.
export { TerraformStateSource, DEFAULT_CONCURRENCY, DEFAULT_MAX_RESOURCES, SOURCE, isTouched, resourceRegion } from './read-terraform-state-live.js';
export type { TerraformStateReadOptions, TerraformStateSourceOptions, TerraformStateTarget } from './read-terraform-state-live.js';
export { parseState } from './parse-state.js';
export { redactInstance } from './redact-state.js';
export { DEFAULT_MAX_STATE_BYTES, stateUrl } from './read-state.js';
export { TYPE_MAPPINGS, findMapping, type TypeMapping } from './type-mappings.js';
export type { CloudControlCounts, StateInstance, StateLocation, TerraformState, TerraformStateLive } from './types.js';
export { computeCreatedNames, UNMANAGED_TYPES, type CreatedName } from './compute-created-names.js';
export { MAX_NAME_LOOKUPS, NO_AWS_ACCESS, type UnmanagedFound, type UnmanagedLookup } from './find-unmanaged.js';
