// The two opt-in reads of a CloudFormation target, with the same credentials, region and call
// bounds as the drift read (live/cloudformation.ts): undeclared properties (CloudFormation
// DescribeType + Cloud Control GetResource) and a drift-aware change set. Each answers with
// data and, for what it could not read, an Unreadable naming the call; it never throws for a
// cloud error and rejects only when the run is aborted.
import { DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import type { STSClient } from '@aws-sdk/client-sts';
import type { CloudFormationTarget } from '../config-types.js';
import type { ChangeSetRead, UndeclaredRead, Unreadable } from '../types.js';
import { RoleCredentialCache } from './assume-role.js';
import { ClientPool, createCloudFormationClient, createStsClient } from './aws-clients.js';
import { attempt, DEFAULT_CALL_TIMEOUT_MS, toUnreadable, type CallLimits, type ErrorContext } from './aws-errors.js';
import type { CloudFormationProviderOptions } from './cloudformation.js';
import { readChangeSet, type ChangeSetRequest } from './read-change-set.js';
import { TypeSchemaCache } from './read-type-schema.js';
import { readUndeclaredResources, type UndeclaredTarget } from './read-undeclared.js';
import { systemClock } from './read-drift.js';
import { createCloudControlClient } from './terraform-state/clients.js';

interface StackFacts {
  id: string;
  tags: Record<string, string>;
  parameters: string[];
}

interface Session {
  cloudFormation: CloudFormationClient;
  region: string;
  context: ErrorContext;
  limits: CallLimits;
}

export class CloudFormationOptInReader {
  private readonly roles: RoleCredentialCache;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly schemas = new TypeSchemaCache();
  private readonly stsClients = new ClientPool<STSClient>((region) => createStsClient({ ...(region ? { region } : {}), ...this.settings() }));
  private readonly cfnClients = new ClientPool<CloudFormationClient>((region, roleArn) =>
    createCloudFormationClient({ ...(region ? { region } : {}), ...this.credentials(region, roleArn), ...this.settings() }),
  );
  private readonly ccClients = new ClientPool<CloudControlClient>((region, roleArn) =>
    createCloudControlClient({ ...(region ? { region } : {}), ...this.credentials(region, roleArn), ...this.settings() }),
  );

  constructor(private readonly options: CloudFormationProviderOptions = {}) {
    this.now = options.now ?? systemClock.now;
    this.sleep = options.sleep ?? systemClock.sleep;
    this.roles = new RoleCredentialCache((region) => this.stsClients.get(region), this.now, options.roleRefreshMarginMs);
  }

  /** Cloud Control's model of each resource in `resources` (the ones the pull request changes), with the stack's tags. */
  async readUndeclared(target: CloudFormationTarget, resources: UndeclaredTarget[], physicalIds: ReadonlyMap<string, string>, signal?: AbortSignal): Promise<UndeclaredRead> {
    const read: UndeclaredRead = { readAt: new Date(this.now()).toISOString(), stackTags: {}, resources: [], unreadable: [] };
    if (resources.length === 0) return read;
    const session = await this.session(target, signal);
    if (!session.ok) return { ...read, unreadable: [session.unreadable] };
    const stack = await this.describeStack(target, session.value);
    if (!stack.ok) return { ...read, unreadable: [stack.unreadable] };
    const count = () => {};
    read.stackTags = stack.value.tags;
    read.resources = await readUndeclaredResources(
      {
        cloudFormation: session.value.cloudFormation,
        cloudControl: this.ccClients.get(target.region, target.roleArn),
        schemas: this.schemas,
        region: session.value.region,
        count,
        context: session.value.context,
        limits: session.value.limits,
        physicalIds,
        stackArn: stack.value.id,
      },
      resources,
    );
    return read;
  }

  /** A drift-aware change set of the head template: created, read, always deleted. */
  async readChangeSet(target: CloudFormationTarget, request: Omit<ChangeSetRequest, 'stackParameters'>, signal?: AbortSignal): Promise<ChangeSetRead> {
    const failed = (unreadable: Unreadable): ChangeSetRead => ({
      name: '',
      status: 'not-checked',
      readAt: new Date(this.now()).toISOString(),
      overwrites: [],
      driftStatus: {},
      unreadable: [unreadable],
    });
    const session = await this.session(target, signal);
    if (!session.ok) return failed(session.unreadable);
    const stack = await this.describeStack(target, session.value);
    if (!stack.ok) return failed(stack.unreadable);
    return readChangeSet(
      {
        client: session.value.cloudFormation,
        stack: stack.value.id,
        count: () => {},
        context: session.value.context,
        limits: session.value.limits,
        now: this.now,
        sleep: this.sleep,
      },
      { ...request, stackParameters: stack.value.parameters },
    );
  }

  private async session(target: CloudFormationTarget, signal: AbortSignal | undefined): Promise<{ ok: true; value: Session } | { ok: false; unreadable: Unreadable }> {
    if (target.roleArn) {
      try {
        await this.roles.get(target.roleArn, target.region);
      } catch (error) {
        return { ok: false, unreadable: toUnreadable('sts:AssumeRole', error, { ...(target.region ? { region: target.region } : {}) }) };
      }
    }
    const cloudFormation = this.cfnClients.get(target.region, target.roleArn);
    const region = await cloudFormation.config.region().catch(() => target.region);
    if (!region) return { ok: false, unreadable: { api: 'cloudformation:DescribeStacks', code: 'NoRegion', message: 'no usable AWS region; set `region` on the target or AWS_REGION', retryable: false } };
    const limits: CallLimits = { timeoutMs: this.options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, ...(signal ? { signal } : {}) };
    return { ok: true, value: { cloudFormation, region, context: { stack: target.stack, region }, limits } };
  }

  private async describeStack(target: CloudFormationTarget, session: Session): Promise<{ ok: true; value: StackFacts } | { ok: false; unreadable: Unreadable }> {
    const described = await attempt(
      'cloudformation:DescribeStacks',
      () => {},
      (abortSignal) => session.cloudFormation.send(new DescribeStacksCommand({ StackName: target.stack }), { abortSignal }),
      session.context,
      session.limits,
    );
    if (!described.ok) return described;
    const stack = described.value.Stacks?.[0];
    if (!stack?.StackId) {
      return { ok: false, unreadable: { api: 'cloudformation:DescribeStacks', code: 'ValidationError', message: `stack "${target.stack}" does not exist in ${session.region}`, retryable: false } };
    }
    const tags: Record<string, string> = {};
    for (const tag of stack.Tags ?? []) if (tag.Key !== undefined && tag.Value !== undefined) tags[tag.Key] = tag.Value;
    return { ok: true, value: { id: stack.StackId, tags, parameters: (stack.Parameters ?? []).flatMap((p) => (p.ParameterKey ? [p.ParameterKey] : [])) } };
  }

  private settings() {
    return this.options.aws ? { settings: this.options.aws } : {};
  }

  private credentials(region: string | undefined, roleArn: string | undefined) {
    return roleArn ? { credentials: () => this.roles.get(roleArn, region) } : {};
  }
}
