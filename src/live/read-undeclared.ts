// Undeclared drift, the read: for each resource the pull request changes, its type's schema
// (DescribeType, cached) and its full live model (Cloud Control GetResource), a few at a time.
// What is read comes back raw; which properties count as undeclared is decided in
// analyze/rules/undeclared.ts. A resource that cannot be read is "not checked", with the call
// and the reason. Never throws for a cloud error; rejects only when the run is aborted.
import { GetResourceCommand, type CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { UndeclaredResource, Unreadable } from '../types.js';
import { attempt, throwIfAborted, type CallLimits, type ErrorContext } from './aws-errors.js';
import { computeIdentifier } from './compute-identifier.js';
import type { TypeSchemaCache } from './read-type-schema.js';
import { parseResourceProperties } from './parse-resource-properties.js';

export const GET_RESOURCE = 'cloudcontrol:GetResource';

/** At most this many resources are read per run; the rest are "not checked" (left out). */
export const MAX_UNDECLARED_READS = 25;
/** GetResource calls in flight at once (Cloud Control throttles per account and region). */
const CONCURRENCY = 4;

export interface UndeclaredTarget {
  logicalId: string;
  type: string;
  physicalId?: string;
  /** The head template's properties of the resource (for compound identifiers). */
  declared?: Record<string, unknown>;
  /** The type the template declares, when it is not the deployed one (SAM's `AWS::Serverless::Function`). */
  declaredType?: string;
}

export interface UndeclaredCalls {
  cloudFormation: CloudFormationClient;
  cloudControl: CloudControlClient;
  schemas: TypeSchemaCache;
  region: string;
  count: () => void;
  context: ErrorContext;
  limits: CallLimits;
  physicalIds: ReadonlyMap<string, string>;
  stackArn?: string;
}

export async function readUndeclaredResources(calls: UndeclaredCalls, targets: UndeclaredTarget[]): Promise<UndeclaredResource[]> {
  const results: UndeclaredResource[] = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      const target = targets[i]!;
      results[i] = i < MAX_UNDECLARED_READS ? await readOne(calls, target) : notChecked(target, leftOut());
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, targets.length) }, worker));
  return results;
}

async function readOne(calls: UndeclaredCalls, target: UndeclaredTarget): Promise<UndeclaredResource> {
  if (target.declaredType !== undefined && target.declaredType !== target.type) {
    // The template's properties are the macro's (SAM: CodeUri, Events, Policies), not the
    // deployed type's: nothing tells which of the live ones the template declares.
    return notChecked(target, {
      api: GET_RESOURCE,
      code: 'TransformedType',
      message: `the template declares ${target.declaredType}, which a transform deploys as ${target.type}; its properties cannot be matched with the live ones`,
      retryable: false,
    });
  }
  if (!target.physicalId) {
    return notChecked(target, {
      api: GET_RESOURCE,
      code: 'NoPhysicalId',
      message: `the stack's resource list did not give ${target.logicalId}'s physical id, so there was nothing to ask Cloud Control for`,
      retryable: true,
    });
  }
  const schema = await calls.schemas.read(calls.cloudFormation, target.type, calls.region, calls.count, calls.context, calls.limits);
  throwIfAborted(calls.limits.signal);
  if (!schema.ok) return notChecked(target, schema.unreadable);
  const facts = schema.value;
  if (!facts.readable) {
    return notChecked(target, {
      api: GET_RESOURCE,
      code: 'UnsupportedType',
      message: `${target.type} has no read handler, so Cloud Control cannot read it`,
      retryable: false,
    });
  }
  const id = computeIdentifier({
    type: target.type,
    physicalId: target.physicalId,
    primaryIdentifier: facts.primaryIdentifier,
    declared: target.declared,
    physicalIds: calls.physicalIds,
    ...(calls.stackArn ? { stackArn: calls.stackArn } : {}),
  });
  if (!id.ok) return notChecked(target, { api: GET_RESOURCE, code: 'NoIdentifier', message: id.reason, retryable: false });

  const read = await attempt(
    GET_RESOURCE,
    calls.count,
    (abortSignal) => calls.cloudControl.send(new GetResourceCommand({ TypeName: target.type, Identifier: id.identifier }), { abortSignal }),
    calls.context,
    calls.limits,
  );
  if (!read.ok) return notChecked(target, withReadPermissions(read.unreadable, target.type, facts.readPermissions));
  const properties = parseResourceProperties(read.value.ResourceDescription?.Properties);
  if (!properties) {
    return notChecked(target, { api: GET_RESOURCE, code: 'InvalidResponse', message: `GetResource answered for ${target.type} without a JSON object of properties`, retryable: true });
  }
  return { logicalId: target.logicalId, type: target.type, physicalId: target.physicalId, status: 'read', properties, schema: facts };
}

/**
 * Cloud Control reads with the caller's own permissions, the type's read permissions included:
 * an AccessDenied names them, from the schema, so the fix is in the message.
 */
function withReadPermissions(unreadable: Unreadable, type: string, permissions: string[]): Unreadable {
  if (!/AccessDenied|Unauthorized|Forbidden|InvalidCredentials/i.test(unreadable.code) || permissions.length === 0) return unreadable;
  return { ...unreadable, message: `${unreadable.message.replace(/\.$/, '')}; reading ${type} needs ${permissions.join(', ')}` };
}

function leftOut(): Unreadable {
  return {
    api: GET_RESOURCE,
    code: 'LeftOut',
    message: `the pull request changes more than ${MAX_UNDECLARED_READS} resources of this stack; the first ${MAX_UNDECLARED_READS} were read`,
    retryable: false,
  };
}

function notChecked(target: UndeclaredTarget, unreadable: Unreadable): UndeclaredResource {
  return { logicalId: target.logicalId, type: target.type, ...(target.physicalId ? { physicalId: target.physicalId } : {}), status: 'not-checked', unreadable };
}
