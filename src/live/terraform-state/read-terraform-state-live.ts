// Live source B for one Terraform root: the state from S3, then Cloud Control GetResource for
// its managed resources — the ones the pull request touches first, then the rest, up to a
// bound — compared attribute by attribute on the mapped paths. Never throws for a cloud error
// (the LiveState's `unreadable` and each resource's `notCheckedReason` say what could not be
// read); rejects only when the run is aborted. Nothing sensitive leaves: see redact-state.
import type { CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import type { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import type { LiveResource, LiveState, Unreadable } from '../../types.js';
import { RoleCredentialCache } from '../assume-role.js';
import { ClientPool, createStsClient, type AwsClientSettings } from '../aws-clients.js';
import { attempt, DEFAULT_CALL_TIMEOUT_MS, throwIfAborted, toUnreadable, type CallLimits } from '../aws-errors.js';
import { createCloudControlClient, createS3Client } from './clients.js';
import { isAccessDenied, notChecked, toLiveResource, unmappedReason } from './compute-live-resource.js';
import { REDACTED } from '../../values/secret-name.js';
import { parseState } from './parse-state.js';
import { isSensitive } from './redact-state.js';
import { GET_RESOURCE, readCloudControlResource } from './read-cloud-control.js';
import { DEFAULT_MAX_STATE_BYTES, GET_OBJECT, readStateObject, stateUrl } from './read-state.js';
import { findMapping, type TypeMapping } from './type-mappings.js';
import type { CreatedName } from './compute-created-names.js';
import { findUnmanaged, type UnmanagedLookup } from './find-unmanaged.js';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { StateInstance, StateLocation, TerraformStateLive } from './types.js';

export const SOURCE = 'terraform-state';
/** GetResource calls per root and read, at most (the touched resources first). */
export const DEFAULT_MAX_RESOURCES = 100;
/** GetResource calls in flight at once: Cloud Control throttles per account (and so do the handlers' own APIs). */
export const DEFAULT_CONCURRENCY = 5;

export interface TerraformStateSourceOptions {
  /** SDK transport and retry settings (tests, benchmark). The default is the plain SDK. */
  aws?: AwsClientSettings;
  /** Bound on each AWS call, the SDK's retries included (default 30 s). */
  callTimeoutMs?: number;
  maxStateBytes?: number;
  now?: () => number;
  roleRefreshMarginMs?: number;
}

export interface TerraformStateReadOptions {
  /**
   * Addresses the pull request touches: instances (`aws_sqs_queue.jobs[0]`), resources
   * (`module.q.aws_sqs_queue.jobs`, all its instances) or modules (`module.q`, all inside).
   * They are read first.
   */
  touched?: readonly string[];
  /** GetResource calls at most (default 100). */
  maxResources?: number;
  /** GetResource calls at once (default 5). */
  concurrency?: number;
  /**
   * Region of resources whose state does not say it (no `region` attribute, no ARN with a
   * region, global services): the provider's region. Default: the SDK's (AWS_REGION).
   */
  region?: string;
  signal?: AbortSignal;
}

export interface TerraformStateTarget {
  name: string;
  state: StateLocation;
}

export class TerraformStateSource {
  readonly source = SOURCE;
  private readonly now: () => number;
  private readonly roles: RoleCredentialCache;
  private readonly s3Clients = new ClientPool<S3Client>((region, roleArn) => createS3Client(this.clientOptions(region, roleArn)));
  private readonly ccClients = new ClientPool<CloudControlClient>((region, roleArn) => createCloudControlClient(this.clientOptions(region, roleArn)));
  private readonly stsClients = new ClientPool<STSClient>((region) =>
    createStsClient({ ...(region ? { region } : {}), ...(this.options.aws ? { settings: this.options.aws } : {}) }),
  );

  constructor(private readonly options: TerraformStateSourceOptions = {}) {
    this.now = options.now ?? Date.now;
    this.roles = new RoleCredentialCache((region) => this.stsClients.get(region), this.now, options.roleRefreshMarginMs);
  }

  async read(target: TerraformStateTarget, options: TerraformStateReadOptions = {}): Promise<TerraformStateLive> {
    const live: LiveState = { target: target.name, source: SOURCE, readAt: new Date(this.now()).toISOString(), unreadable: [], calls: 0 };
    const result: TerraformStateLive = { live, counts: { compared: 0, notChecked: 0, leftOut: 0, bound: options.maxResources ?? DEFAULT_MAX_RESOURCES } };
    const count = () => {
      live.calls += 1;
    };
    try {
      await this.readInto(result, target, options, count);
    } catch (error) {
      throwIfAborted(options.signal);
      // A bug or an SDK surprise: still never a clean result.
      live.unreadable.push({ ...toUnreadable(SOURCE, error), retryable: true });
      delete live.drift;
    }
    return result;
  }

  private async readInto(result: TerraformStateLive, target: TerraformStateTarget, options: TerraformStateReadOptions, count: () => void): Promise<void> {
    const { live, counts } = result;
    const location = target.state;
    const limits: CallLimits = { timeoutMs: this.options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, ...(options.signal ? { signal: options.signal } : {}) };

    // 1. credentials: an assumed role fails here, named as such
    if (location.roleArn) {
      try {
        await this.roles.get(location.roleArn, location.s3.region, count);
      } catch (error) {
        throwIfAborted(options.signal);
        live.unreadable.push(toUnreadable('sts:AssumeRole', error, location.s3.region ? { region: location.s3.region } : {}));
        return;
      }
    }

    // 2. the state; nothing else makes sense without it
    const object = await readStateObject(this.s3Clients.get(location.s3.region, location.roleArn), location, count, limits, this.options.maxStateBytes ?? DEFAULT_MAX_STATE_BYTES);
    if (!object.ok) {
      live.unreadable.push(object.unreadable);
      return;
    }
    const parsed = parseState(object.value, stateUrl(location));
    if (!parsed.ok) {
      live.unreadable.push({ api: GET_OBJECT, code: parsed.code, message: parsed.message, retryable: false });
      return;
    }
    const state = parsed.state;
    result.state = { terraformVersion: state.terraformVersion, serial: state.serial, lineage: state.lineage, location: stateUrl(location) };

    // 3. what to read: touched first, then the rest, up to the bound
    const resources = new Map<StateInstance, LiveResource>();
    const planned: Array<{ instance: StateInstance; mapping: TypeMapping; identifier: string }> = [];
    for (const instance of orderTouchedFirst(state.instances, options.touched ?? [])) {
      const mapping = findMapping(instance.type);
      if (!mapping) {
        resources.set(instance, notChecked(instance, unmappedReason(instance.type)));
        continue;
      }
      if (instance.unusable) {
        resources.set(instance, notChecked(instance, instance.unusable));
        continue;
      }
      const identifier = mapping.identifier(instance.attributes);
      if (!identifier) {
        resources.set(instance, notChecked(instance, `the state has no ${mapping.identifierAttributes} for this ${instance.type}, which Cloud Control needs to find it`));
        continue;
      }
      if (planned.length >= counts.bound) {
        resources.set(instance, notChecked(instance, `left out: only ${counts.bound} resources are read from Cloud Control per run (the ones the pull request touches first)`, shownIdentifier(instance, mapping, identifier)));
        counts.leftOut += 1;
        continue;
      }
      planned.push({ instance, mapping, identifier });
    }

    // 4. Cloud Control, a few at a time
    const failures: Unreadable[] = [];
    const roleArn = location.roleArn;
    await inPool(planned, options.concurrency ?? DEFAULT_CONCURRENCY, async ({ instance, mapping, identifier }) => {
      const region = resourceRegion(instance.attributes) ?? options.region;
      const answer = await readCloudControlResource(this.ccClients.get(region, roleArn), mapping.cloudControlType, identifier, count, limits, region);
      if (answer.kind === 'failed') failures.push(answer.unreadable);
      resources.set(instance, toLiveResource(instance, mapping, shownIdentifier(instance, mapping, identifier), answer, new Date(this.now()).toISOString()));
    });

    // 5. in state order; counts; one Unreadable per kind of failure, so the run says why
    const list = state.instances.map((instance) => resources.get(instance)!);
    for (const resource of list) {
      if (resource.status === 'NOT_CHECKED') {
        if (!resource.notCheckedReason?.startsWith('left out:')) counts.notChecked += 1;
      } else {
        counts.compared += 1;
      }
    }
    live.unreadable.push(...summarizeFailures(failures));
    live.drift = { reused: false, checkedAt: live.readAt, status: failures.length > 0 ? 'DETECTION_FAILED' : 'DETECTION_COMPLETE', resources: list };
  }

  /**
   * Cloud Control GetResource by name for the resources a pull request creates (see
   * find-unmanaged), with the target's role when it has one, else the default credential chain.
   * The account for SQS queue URLs: the role ARN's account (the role is where Cloud Control
   * looks), else STS GetCallerIdentity, which needs no permission, once per read.
   */
  async findUnmanaged(target: { roleArn?: string }, created: readonly CreatedName[], options: { signal?: AbortSignal } = {}): Promise<UnmanagedLookup> {
    if (created.length === 0) return { found: [], unreadable: [] };
    const limits: CallLimits = { timeoutMs: this.options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, ...(options.signal ? { signal: options.signal } : {}) };
    const roleArn = target.roleArn;
    return findUnmanaged(
      {
        defaultChain: roleArn === undefined,
        cloudControl: (region) => this.ccClients.get(region, roleArn),
        accountId: async (region, count, callLimits) => {
          const fromRole = roleArn ? /^arn:aws[\w-]*:iam::(\d{12}):/.exec(roleArn)?.[1] : undefined;
          if (fromRole) return { ok: true, value: fromRole };
          const read = await attempt('sts:GetCallerIdentity', count, (abortSignal) => this.stsClients.get(region).send(new GetCallerIdentityCommand({}), { abortSignal }), region ? { region } : {}, callLimits);
          if (!read.ok) return read;
          return read.value.Account ? { ok: true, value: read.value.Account } : { ok: false, unreadable: { api: 'sts:GetCallerIdentity', code: 'InvalidResponse', message: 'GetCallerIdentity answered without an account', retryable: true } };
        },
      },
      created,
      limits,
    );
  }

  private clientOptions(region: string | undefined, roleArn: string | undefined) {
    return {
      ...(region ? { region } : {}),
      ...(roleArn ? { credentials: () => this.roles.get(roleArn, region) } : {}),
      ...(this.options.aws ? { settings: this.options.aws } : {}),
    };
  }
}

/** The identifier as it may be shown: hidden when the state marks an attribute it comes from sensitive. */
function shownIdentifier(instance: StateInstance, mapping: TypeMapping, identifier: string): string {
  const sources = mapping.identifierAttributes.split(' and ');
  return sources.some((attribute) => isSensitive(attribute, instance.sensitivePaths)) ? REDACTED : identifier;
}

/** `true` when `address` is `touched`, an instance of it (`[0]`, `["a"]`), or inside it (a module). */
export function isTouched(address: string, touched: readonly string[]): boolean {
  return touched.some((t) => address === t || address.startsWith(`${t}[`) || address.startsWith(`${t}.`));
}

export function orderTouchedFirst(instances: readonly StateInstance[], touched: readonly string[]): StateInstance[] {
  const first = new Set(instances.filter((i) => isTouched(i.address, touched)));
  return [...first, ...instances.filter((i) => !first.has(i))];
}

/**
 * The region a resource lives in, from the state: the `region` attribute (AWS provider 6),
 * else the region part of its ARN or of an SQS queue URL. Global resources (IAM) have none.
 */
export function resourceRegion(attributes: Record<string, unknown>): string | undefined {
  if (typeof attributes.region === 'string' && attributes.region) return attributes.region;
  const arn = typeof attributes.arn === 'string' ? attributes.arn.split(':') : [];
  if (arn[0] === 'arn' && arn[3]) return arn[3];
  const url = typeof attributes.url === 'string' ? /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com/.exec(attributes.url) : null;
  return url?.[1];
}

/** Failures by kind: "AccessDenied for 3 resources" once, not three times. */
function summarizeFailures(failures: Unreadable[]): Unreadable[] {
  const byCode = new Map<string, { first: Unreadable; n: number }>();
  for (const f of failures) {
    const code = isAccessDenied(f) ? 'AccessDenied' : f.code;
    const entry = byCode.get(code);
    if (entry) entry.n += 1;
    else byCode.set(code, { first: f, n: 1 });
  }
  return [...byCode.entries()].map(([code, { first, n }]) => ({
    api: GET_RESOURCE,
    code,
    message: `${n} resource${n === 1 ? '' : 's'} could not be read from Cloud Control (first: ${first.message})`,
    retryable: first.retryable,
  }));
}

/** Runs `work` over `items`, at most `size` at a time. The first rejection (an abort) rejects the whole. */
async function inPool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
}
