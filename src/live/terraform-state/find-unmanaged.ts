// `unmanaged` lookups: for each resource a pull request creates with an explicit name, Cloud
// Control GetResource by that name. Found: the name is taken live, outside this root (the pull
// request creates the resource, so the state does not hold it). ResourceNotFoundException: free.
// Anything else: the lookup is unreadable, never "free". Bounded; never throws for a cloud
// error; rejects only when the run is aborted.
import type { CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import type { Unreadable } from '../../types.js';
import { isAccessDenied } from './compute-live-resource.js';
import type { CreatedName } from './compute-created-names.js';
import { UNMANAGED_TYPES } from './compute-created-names.js';
import { GET_RESOURCE, readCloudControlResource } from './read-cloud-control.js';
import type { Attempt, CallLimits } from '../aws-errors.js';

/** GetResource calls for existing names per root and read, at most. */
export const MAX_NAME_LOOKUPS = 20;

export const NO_AWS_ACCESS = 'not checked for existing names: no AWS access';

export interface UnmanagedFound {
  address: string;
  type: string;
  /** The attribute that names it (`bucket`, `name`, `function_name`). */
  attribute: string;
  name: string;
  /** What Cloud Control found it by (the queue URL for SQS, else the name). */
  identifier: string;
}

export interface UnmanagedLookup {
  found: UnmanagedFound[];
  unreadable: Unreadable[];
  /** Set when nothing was looked up because the app has no AWS credentials for the target. */
  skipped?: string;
}

export interface NameLookupIo {
  cloudControl(region: string | undefined): CloudControlClient;
  /** The account the credentials act in (for SQS queue URLs). */
  accountId(region: string | undefined, count: () => void, limits: CallLimits): Promise<Attempt<string>>;
  /** `true` when the default credential chain is used (no role): then "no credentials" is a skip, not a failure. */
  defaultChain: boolean;
}

export async function findUnmanaged(io: NameLookupIo, created: readonly CreatedName[], limits: CallLimits, count: () => void = () => {}, max = MAX_NAME_LOOKUPS): Promise<UnmanagedLookup> {
  const result: UnmanagedLookup = { found: [], unreadable: [] };
  const noAccess = (u: Unreadable) => io.defaultChain && u.code === 'NoCredentials';
  const accounts = new Map<string, Attempt<string>>();
  for (const [i, candidate] of created.entries()) {
    if (i >= max) {
      const left = created.length - max;
      result.unreadable.push({ api: GET_RESOURCE, code: 'LookupBound', message: `${left} created ${left === 1 ? 'resource was' : 'resources were'} not checked for an existing name (only ${max} are looked up per run): ${created.slice(max).map((c) => c.address).join(', ')}`, retryable: false });
      break;
    }
    const type = UNMANAGED_TYPES[candidate.type]!;
    let identifier = candidate.name;
    if (candidate.type === 'aws_sqs_queue') {
      // Cloud Control finds a queue by its URL only: https://sqs.<region>.amazonaws.com/<account>/<name>
      const key = candidate.region ?? '';
      if (!accounts.has(key)) accounts.set(key, await io.accountId(candidate.region, count, limits));
      const account = accounts.get(key)!;
      if (!account.ok) {
        if (noAccess(account.unreadable)) return { found: [], unreadable: [], skipped: NO_AWS_ACCESS };
        result.unreadable.push({ ...account.unreadable, message: `the account for ${candidate.address}'s queue URL is unknown, so whether the queue name "${candidate.name}" is taken was not checked (${account.unreadable.message})` });
        continue;
      }
      const region = candidate.region ?? (await io.cloudControl(undefined).config.region());
      identifier = `https://sqs.${region}.amazonaws.com/${account.value}/${candidate.name}`;
    }
    const answer = await readCloudControlResource(io.cloudControl(candidate.region), type.cloudControlType, identifier, count, limits, candidate.region);
    if (answer.kind === 'found') {
      result.found.push({ address: candidate.address, type: candidate.type, attribute: type.attribute, name: candidate.name, identifier });
    } else if (answer.kind === 'failed') {
      if (noAccess(answer.unreadable)) return { found: [], unreadable: [], skipped: NO_AWS_ACCESS };
      const why = isAccessDenied(answer.unreadable) ? `AccessDenied on ${GET_RESOURCE} for ${type.cloudControlType}` : `${GET_RESOURCE} for ${type.cloudControlType} failed with ${answer.unreadable.code}`;
      result.unreadable.push({
        ...answer.unreadable,
        message: `${why}, so whether the name "${candidate.name}" of ${candidate.address} already exists outside this state is unknown (AWS: ${answer.unreadable.message})`,
      });
    }
  }
  return result;
}
