// One Cloud Control GetResource call: the live properties of one resource, or "not found",
// or the failure. Never throws for a cloud error; rejects only when the run is aborted.
import { GetResourceCommand, type CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import { attempt, type CallLimits } from '../aws-errors.js';
import type { CloudControlAnswer } from './compute-live-resource.js';
import { parseResourceProperties } from '../parse-resource-properties.js';

export const GET_RESOURCE = 'cloudcontrol:GetResource';

export async function readCloudControlResource(
  client: CloudControlClient,
  typeName: string,
  identifier: string,
  count: () => void,
  limits: CallLimits,
  region?: string,
): Promise<CloudControlAnswer> {
  const read = await attempt(
    GET_RESOURCE,
    count,
    (abortSignal) => client.send(new GetResourceCommand({ TypeName: typeName, Identifier: identifier }), { abortSignal }),
    region ? { region } : {},
    limits,
  );
  if (!read.ok) {
    return read.unreadable.code === 'ResourceNotFoundException' ? { kind: 'not-found' } : { kind: 'failed', unreadable: read.unreadable };
  }
  const properties = parseResourceProperties(read.value.ResourceDescription?.Properties);
  if (!properties) {
    return {
      kind: 'failed',
      unreadable: { api: GET_RESOURCE, code: 'InvalidResponse', message: `GetResource answered for ${typeName} without a JSON object of properties`, retryable: true },
    };
  }
  return { kind: 'found', properties };
}
