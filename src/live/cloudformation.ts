// The live layer for CloudFormation: DescribeStacks, GetTemplate, ListStackResources and
// drift detection, with the real AWS SDK v3. Never throws for a cloud error: each failed
// call becomes an Unreadable naming the IAM action and AWS's reason.
import {
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  type CloudFormationClient,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import type { STSClient } from '@aws-sdk/client-sts';
import type { CloudFormationTarget } from '../config.js';
import type { LiveState, StackInfo } from '../types.js';
import { RoleCredentialCache } from './assume-role.js';
import { attempt, attemptAllPages, toUnreadable, type ErrorContext } from './aws-errors.js';
import { createCloudFormationClient, createStsClient, type AwsClientSettings } from './aws-clients.js';
import { toLiveResources } from './map-resource-drift.js';
import type { LiveProvider, ReadOptions } from './provider.js';
import { DEFAULT_POLLING, reuseDetection, runDetection, type Clock, type DriftCall, type DriftOutcome, type PollingOptions } from './read-drift.js';

export { createCloudFormationClient, createStsClient, type AwsClientSettings } from './aws-clients.js';
export { DEFAULT_POLLING, type PollingOptions } from './read-drift.js';

export interface CloudFormationProviderOptions {
  /** SDK transport and retry settings (tests, benchmark). The default is the plain SDK. */
  aws?: AwsClientSettings;
  /** Drift detection polling; defaults 1 s first wait, 10 s longest wait, 5 min overall. */
  polling?: Partial<PollingOptions>;
  /** Injectable clock, so tests do not wait. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Assume the role again when its credentials expire within this many milliseconds (default 5 min). */
  roleRefreshMarginMs?: number;
}

const NO_ECHO_MASK = '****';

export class CloudFormationProvider implements LiveProvider<CloudFormationTarget> {
  readonly source = 'cloudformation';
  private readonly polling: PollingOptions;
  private readonly clock: Clock;
  private readonly roles: RoleCredentialCache;
  private readonly clients = new Map<string, CloudFormationClient>();
  private readonly stsClients = new Map<string, STSClient>();
  /** In-flight detections, by region + stack id + role: concurrent reads share one. */
  private readonly detections = new Map<string, Promise<DriftOutcome>>();

  constructor(private readonly options: CloudFormationProviderOptions = {}) {
    this.polling = { ...DEFAULT_POLLING, ...options.polling };
    this.clock = {
      now: options.now ?? Date.now,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    };
    this.roles = new RoleCredentialCache((region) => this.sts(region), this.clock.now, options.roleRefreshMarginMs);
  }

  async read(target: CloudFormationTarget, options: ReadOptions): Promise<LiveState> {
    const state: LiveState = {
      target: target.name,
      source: this.source,
      readAt: new Date(this.clock.now()).toISOString(),
      unreadable: [],
      calls: 0,
    };
    const count = () => {
      state.calls += 1;
    };
    try {
      await this.readInto(state, target, options, count);
    } catch (error) {
      // A bug or an SDK surprise: still never a clean result.
      state.unreadable.push({ ...toUnreadable('cloudformation', error, { stack: target.stack }), retryable: true });
    }
    return state;
  }

  private async readInto(state: LiveState, target: CloudFormationTarget, options: ReadOptions, count: () => void): Promise<void> {
    // 1. credentials: an assumed role fails here, named as such
    if (target.roleArn) {
      try {
        await this.roles.get(target.roleArn, target.region, count);
      } catch (error) {
        state.unreadable.push(toUnreadable('sts:AssumeRole', error, { region: target.region }));
        return;
      }
    }
    const client = this.client(target);
    const region = await client.config.region().catch(() => target.region);
    const context: ErrorContext = { stack: target.stack, ...(region ? { region } : {}) };

    // 2. the stack; nothing else makes sense without it
    const described = await attempt(
      'cloudformation:DescribeStacks',
      count,
      () => client.send(new DescribeStacksCommand({ StackName: target.stack })),
      context,
    );
    if (!described.ok) {
      state.unreadable.push(described.unreadable);
      return;
    }
    const stack = described.value.Stacks?.[0];
    if (!stack?.StackName) {
      state.unreadable.push({
        api: 'cloudformation:DescribeStacks',
        code: 'ValidationError',
        message: `stack "${target.stack}" does not exist${region ? ` in ${region}` : ''} (DescribeStacks returned no stack)`,
        retryable: false,
      });
      return;
    }
    state.stack = toStackInfo(stack, region ?? 'unknown');
    const stackRef = stack.StackId ?? target.stack;
    const call: DriftCall = { client, stack: stackRef, count, context };

    // 3. template, resources and drift, side by side
    const [template, summaries, drift] = await Promise.all([
      attempt('cloudformation:GetTemplate', count, () =>
        client.send(new GetTemplateCommand({ StackName: stackRef, TemplateStage: 'Original' })),
      context),
      this.listResources(call),
      this.drift(call, stack, `${region ?? ''}|${stackRef}|${target.roleArn ?? ''}`, options),
    ]);
    if (template.ok) {
      if (template.value.TemplateBody !== undefined) state.deployedTemplate = template.value.TemplateBody;
    } else {
      state.unreadable.push(template.unreadable);
    }
    if (!summaries.ok) state.unreadable.push(summaries.unreadable);
    state.unreadable.push(...drift.unreadable);
    if (drift.detection) {
      state.drift = { ...drift.detection, resources: toLiveResources(summaries.ok ? summaries.value : undefined, drift.records) };
    }
  }

  private listResources(call: DriftCall) {
    return attemptAllPages(
      'cloudformation:ListStackResources',
      call.count,
      (nextToken) => call.client.send(new ListStackResourcesCommand({ StackName: call.stack, ...(nextToken ? { NextToken: nextToken } : {}) })),
      (page) => page.StackResourceSummaries,
      call.context,
    );
  }

  private drift(call: DriftCall, stack: Stack, key: string, options: ReadOptions): Promise<DriftOutcome> {
    const last = stack.DriftInformation?.LastCheckTimestamp;
    const lastStatus = stack.DriftInformation?.StackDriftStatus;
    // A detection older than the stack's last deploy describes resources that may have
    // changed since (or not exist yet): it is stale whatever its age.
    const deployedAt = stack.LastUpdatedTime ?? stack.CreationTime;
    const fresh =
      !options.forceDetection &&
      last !== undefined &&
      (lastStatus === 'DRIFTED' || lastStatus === 'IN_SYNC') &&
      (deployedAt === undefined || deployedAt.getTime() < last.getTime()) &&
      this.clock.now() - last.getTime() < options.maxDriftAgeMs;
    if (fresh) return reuseDetection(call, last);

    const inFlight = this.detections.get(key);
    if (inFlight) return inFlight; // its calls are counted by the read that started it
    const started = runDetection(call, this.polling, this.clock).finally(() => this.detections.delete(key));
    this.detections.set(key, started);
    return started;
  }

  private client(target: CloudFormationTarget): CloudFormationClient {
    const key = `${target.region ?? ''}|${target.roleArn ?? ''}`;
    let client = this.clients.get(key);
    if (!client) {
      const roleArn = target.roleArn;
      client = createCloudFormationClient({
        ...(target.region ? { region: target.region } : {}),
        ...(roleArn ? { credentials: () => this.roles.get(roleArn, target.region) } : {}),
        ...(this.options.aws ? { settings: this.options.aws } : {}),
      });
      this.clients.set(key, client);
    }
    return client;
  }

  private sts(region: string | undefined): STSClient {
    const key = region ?? '';
    let client = this.stsClients.get(key);
    if (!client) {
      client = createStsClient({ ...(region ? { region } : {}), ...(this.options.aws ? { settings: this.options.aws } : {}) });
      this.stsClients.set(key, client);
    }
    return client;
  }
}

function toStackInfo(stack: Stack, region: string): StackInfo {
  return {
    name: stack.StackName!,
    ...(stack.StackId ? { id: stack.StackId } : {}),
    status: stack.StackStatus ?? 'UNKNOWN',
    ...(stack.StackStatusReason ? { statusReason: stack.StackStatusReason } : {}),
    region,
    noEchoParameters: (stack.Parameters ?? []).filter((p) => p.ParameterValue === NO_ECHO_MASK && p.ParameterKey).map((p) => p.ParameterKey!),
  };
}
