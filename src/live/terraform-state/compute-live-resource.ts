// One state instance and what Cloud Control answered for it, as a LiveResource. Pure. Every
// value that leaves here is redacted (see redact-state): the comparison sees raw values so a
// drifted secret is still found, the output never shows it.
import type { LiveResource, Unreadable } from '../../types.js';
import { computeDifferences } from './compute-differences.js';
import { redactDifference } from './redact-state.js';
import type { TypeMapping } from './type-mappings.js';
import type { StateInstance } from './types.js';

export type CloudControlAnswer =
  | { kind: 'found'; properties: Record<string, unknown> }
  | { kind: 'not-found' }
  | { kind: 'failed'; unreadable: Unreadable };

export function toLiveResource(instance: StateInstance, mapping: TypeMapping, identifier: string, answer: CloudControlAnswer, checkedAt: string): LiveResource {
  const base = { logicalId: instance.address, physicalId: identifier, type: instance.type, checkedAt };
  if (answer.kind === 'not-found') {
    return { ...base, status: 'DELETED', differences: [], normalizedAway: 0 };
  }
  if (answer.kind === 'failed') {
    return { ...base, status: 'NOT_CHECKED', differences: [], normalizedAway: 0, notCheckedReason: failureReason(answer.unreadable, mapping) };
  }
  const compared = computeDifferences(mapping.attributes, instance.attributes, answer.properties);
  const differences = compared.differences.map((d) => redactDifference(d, instance.sensitivePaths));
  return { ...base, status: differences.length > 0 ? 'MODIFIED' : 'IN_SYNC', differences, normalizedAway: compared.normalizedAway };
}

/** A resource that was not read, with the reason (unmapped type, no identifier, left out by the bound). */
export function notChecked(instance: StateInstance, reason: string, physicalId?: string): LiveResource {
  return {
    logicalId: instance.address,
    ...(physicalId ? { physicalId } : {}),
    type: instance.type,
    status: 'NOT_CHECKED',
    differences: [],
    normalizedAway: 0,
    notCheckedReason: reason,
  };
}

export function unmappedReason(type: string): string {
  return `no Cloud Control mapping for ${type}`;
}

function failureReason(unreadable: Unreadable, mapping: TypeMapping): string {
  if (isAccessDenied(unreadable)) {
    return (
      `AccessDenied on cloudcontrol:GetResource for ${mapping.cloudControlType}: the role needs cloudcontrol:GetResource ` +
      `and the read permissions of the ${mapping.cloudControlType} handler (AWS: ${unreadable.message})`
    );
  }
  return `${unreadable.api} failed for ${mapping.cloudControlType} (${unreadable.code}): ${unreadable.message}`;
}

export function isAccessDenied(unreadable: Unreadable): boolean {
  // Cloud Control passes the resource handler's own failure on as HandlerFailureException or
  // InvalidCredentialsException, with the handler's error (an IAM denial among others) only
  // in the message: GetResource has no error code for "the handler was denied", so for those
  // two codes the text decides.
  return (
    /^AccessDenied(Exception)?$/.test(unreadable.code) ||
    ((unreadable.code === 'HandlerFailureException' || unreadable.code === 'InvalidCredentialsException') &&
      /not authorized|access ?denied/i.test(unreadable.message))
  );
}
