// The live layer for references: does the named resource exist? One look-up per distinct
// resource (type, account, region, identifier), in the pull request's order, at most
// `maxLookups` per pull request (the rest `skipped`), answers kept per account and region for
// `policy.maxDriftAge`. Never throws for a cloud error (an answer says "not checked", naming
// the call and the reason); rejects only when the run is aborted.
//
// How each type is looked up:
// - AWS Cloud Control `GetResource` (type + primary identifier): queues by URL, topics by
//   ARN, tables, functions, parameters and roles by name, secrets by ARN or name (the
//   handler reads with DescribeSecret, whose SecretId takes either).
// - Stack exports: CloudFormation `ListExports`, every page (one look-up per account and
//   region, whatever the number of exports named).
// - Buckets: S3 `HeadBucket`, where Cloud Control has no answer for us: it reads only the
//   caller's own buckets, and bucket names are global. S3 answers 404 for a bucket that
//   exists nowhere and 403 for one that exists but is not ours to read.
//
// Accounts: a reference that names an account is looked up there only with credentials for
// it: the app's own (STS GetCallerIdentity says which account that is) or
// `references.accounts.<id>.roleArn` (STS AssumeRole). Any other account is "not checked",
// never "fine". A reference without an account is looked up in the app's own.
import { CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import { paginateListExports, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { Unreadable } from '../types.js';
import { RoleCredentialCache } from '../live/assume-role.js';
import { ClientPool, createCloudFormationClient, createStsClient, type AwsClientSettings } from '../live/aws-clients.js';
import { attempt, attemptAllPages, DEFAULT_CALL_TIMEOUT_MS, throwIfAborted, toUnreadable, type Attempt, type CallLimits } from '../live/aws-errors.js';
import { createCloudControlClient, createS3Client } from '../live/terraform-state/clients.js';
import { readCloudControlResource } from '../live/terraform-state/read-cloud-control.js';
import type { LiveAnswer, ReferenceType } from './types.js';

export const GET_RESOURCE = 'cloudcontrol:GetResource';
export const LIST_EXPORTS = 'cloudformation:ListExports';
export const HEAD_BUCKET = 's3:HeadBucket';
export const GET_CALLER_IDENTITY = 'sts:GetCallerIdentity';
export const ASSUME_ROLE = 'sts:AssumeRole';

export interface LookupRequest {
  type: ReferenceType;
  name: string;
  /** The text as written (a secret's ARN is looked up as written). */
  text: string;
  account?: string;
  region?: string;
}

export interface LookupSettings {
  maxLookups: number;
  /** Answers newer than this are reused (policy.maxDriftAge). */
  maxAgeMs: number;
  accounts: Record<string, { roleArn: string }>;
  signal?: AbortSignal;
}

export interface LookupReport {
  /** One answer per request, in order. */
  answers: LiveAnswer[];
  /** Live look-ups made (what `maxLookups` bounds). */
  lookups: number;
  /** Distinct resources left unlooked-up by the bound. */
  skipped: number;
  /** Every AWS call, STS included. */
  calls: number;
}

export interface ReferenceSourceOptions {
  aws?: AwsClientSettings;
  callTimeoutMs?: number;
  now?: () => number;
}

type Settled = Extract<LiveAnswer, { kind: 'found' | 'absent' }>;

interface Where {
  account?: string;
  region?: string;
  roleArn?: string;
}

export class ReferenceSource {
  private readonly now: () => number;
  private readonly cache = new Map<string, { answer: Settled; at: number }>();
  private readonly exportsCache = new Map<string, { names: Set<string>; at: number; readAt: string }>();
  private readonly roles: RoleCredentialCache;
  private readonly stsClients = new ClientPool<STSClient>((region) => createStsClient({ ...(region ? { region } : {}), ...this.settings() }));
  private readonly ccClients = new ClientPool<CloudControlClient>((region, roleArn) => createCloudControlClient(this.clientOptions(region, roleArn)));
  private readonly cfnClients = new ClientPool<CloudFormationClient>((region, roleArn) => createCloudFormationClient(this.clientOptions(region, roleArn)));
  private readonly s3Clients = new ClientPool<S3Client>((region, roleArn) => {
    const client = createS3Client(this.clientOptions(region, roleArn));
    return client;
  });

  constructor(private readonly options: ReferenceSourceOptions = {}) {
    this.now = options.now ?? Date.now;
    this.roles = new RoleCredentialCache((region) => this.stsClients.get(region), this.now);
  }

  async lookUp(requests: readonly LookupRequest[], settings: LookupSettings): Promise<LookupReport> {
    const report: LookupReport = { answers: [], lookups: 0, skipped: 0, calls: 0 };
    const count = () => {
      report.calls += 1;
    };
    const limits: CallLimits = { timeoutMs: this.options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, ...(settings.signal ? { signal: settings.signal } : {}) };
    const defaultRegion = await this.defaultRegion();
    let identity: Promise<Attempt<string>> | undefined;
    const ownAccount = () => (identity ??= this.callerAccount(count, limits));
    /** Answers of this run, by lookup key: a resource named on ten lines is looked up once. */
    const settledHere = new Map<string, LiveAnswer>();
    const skippedKeys = new Set<string>();

    for (const request of requests) {
      throwIfAborted(settings.signal);
      const where = await this.where(request, settings, defaultRegion, ownAccount);
      if ('answer' in where) {
        report.answers.push(where.answer);
        continue;
      }
      const key = lookupKey(request, where);
      const known = settledHere.get(key) ?? this.cached(key, settings.maxAgeMs) ?? this.listedExport(request, where, settings.maxAgeMs);
      if (known) {
        settledHere.set(key, known);
        report.answers.push(known);
        continue;
      }
      if (report.lookups >= settings.maxLookups) {
        if (!skippedKeys.has(key)) {
          skippedKeys.add(key);
          report.skipped += 1;
        }
        report.answers.push({ kind: 'skipped' });
        continue;
      }
      report.lookups += 1;
      const answer = await this.lookUpOne(request, where, count, limits);
      settledHere.set(key, answer);
      if (answer.kind === 'found' || answer.kind === 'absent') this.cache.set(key, { answer, at: this.now() });
      report.answers.push(answer);
    }
    return report;
  }

  /** Where to look (account, region, role), or why not to look at all. */
  private async where(
    request: LookupRequest,
    settings: LookupSettings,
    defaultRegion: string | undefined,
    ownAccount: () => Promise<Attempt<string>>,
  ): Promise<Where | { answer: LiveAnswer }> {
    const region = request.region ?? defaultRegion;
    const base = { ...(request.account ? { account: request.account } : {}), ...(region ? { region } : {}) };
    if (request.type === 'AWS::S3::Bucket') return base; // global names: any account's credentials answer
    if (!region) {
      return { answer: { kind: 'not-checked', code: 'NoRegion', reason: 'the reference names no region and the app has none (set AWS_REGION)', ...base } };
    }
    const needsOwn = request.account !== undefined || request.type === 'AWS::SQS::Queue' || request.type === 'AWS::SNS::Topic' || request.type === 'export';
    if (!needsOwn) return base;
    const own = await ownAccount();
    if (request.account === undefined) {
      if (!own.ok) return { answer: notChecked(own.unreadable, base) };
      return { ...base, account: own.value };
    }
    if (own.ok && own.value === request.account) return base;
    const role = settings.accounts[request.account]?.roleArn;
    if (role) return { ...base, roleArn: role };
    if (!own.ok) return { answer: notChecked(own.unreadable, base) };
    return {
      answer: {
        kind: 'not-checked',
        code: 'NoCredentials',
        reason: `no credentials for account ${request.account}: the app reads account ${own.value}; add \`references.accounts."${request.account}".roleArn\` to read it`,
        ...base,
      },
    };
  }

  private async lookUpOne(request: LookupRequest, where: Where, count: () => void, limits: CallLimits): Promise<LiveAnswer> {
    const region = where.region;
    const context = { ...(where.account ? { account: where.account } : {}), ...(region ? { region } : {}) };
    if (where.roleArn) {
      try {
        count();
        await this.roles.get(where.roleArn, region);
      } catch (error) {
        return notChecked(toUnreadable(ASSUME_ROLE, error, region ? { region } : {}), context, `assuming ${where.roleArn}`);
      }
    }
    const readAt = new Date(this.now()).toISOString();
    if (request.type === 'export') return this.lookUpExport(request, where, context, count, limits, readAt);
    if (request.type === 'AWS::S3::Bucket') return this.lookUpBucket(request, where, count, limits, readAt);

    const identifier = cloudControlIdentifier(request, where);
    const how = `${request.type} ${identifier}`;
    const client = this.ccClients.get(region, where.roleArn);
    const read = await readCloudControlResource(client, request.type, identifier, count, limits, region);
    if (read.kind === 'found') return { kind: 'found', api: GET_RESOURCE, how, readAt, cached: false, ...context };
    if (read.kind === 'not-found') return { kind: 'absent', api: GET_RESOURCE, how, code: 'ResourceNotFoundException', readAt, cached: false, ...context };
    return notChecked(read.unreadable, context, how);
  }

  private async lookUpExport(request: LookupRequest, where: Where, context: Where, count: () => void, limits: CallLimits, readAt: string): Promise<LiveAnswer> {
    const how = `export ${request.name}`;
    const listKey = `${where.account ?? ''}|${where.region ?? ''}`;
    const client = this.cfnClients.get(where.region, where.roleArn);
    const read = await attemptAllPages(
      LIST_EXPORTS,
      count,
      (abortSignal) => paginateListExports({ client }, {}, { abortSignal }),
      (page) => page.Exports?.flatMap((e) => (e.Name ? [e.Name] : [])),
      where.region ? { region: where.region } : {},
      limits,
    );
    if (!read.ok) return notChecked(read.unreadable, context, how);
    const list = { names: new Set(read.value), at: this.now(), readAt };
    this.exportsCache.set(listKey, list);
    const base = { api: LIST_EXPORTS, how, readAt: list.readAt, cached: false, ...context };
    return list.names.has(request.name) ? { kind: 'found', ...base } : { kind: 'absent', code: 'not among the exports', ...base };
  }

  private async lookUpBucket(request: LookupRequest, where: Where, count: () => void, limits: CallLimits, readAt: string): Promise<LiveAnswer> {
    const how = `bucket ${request.name}`;
    const context = where.region ? { region: where.region } : {};
    const client = this.s3Clients.get(where.region, where.roleArn);
    // HeadBucket has no body: the status is all S3 says. 404: no such bucket anywhere. 403:
    // it exists, in an account these credentials may not read. 301: it exists, in another
    // region. Anything else is not an answer.
    const read = await attempt(
      HEAD_BUCKET,
      count,
      async (abortSignal) => {
        try {
          await client.send(new HeadBucketCommand({ Bucket: request.name }), { abortSignal });
          return 200;
        } catch (error) {
          const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
          if (status === 404 || status === 403 || status === 301) return status;
          throw error;
        }
      },
      context,
      limits,
    );
    if (!read.ok) return notChecked(read.unreadable, context, how);
    if (read.value === 404) return { kind: 'absent', api: HEAD_BUCKET, how, code: 'NotFound (404)', readAt, cached: false, ...context };
    const note = read.value === 403 ? ' (403: exists, not readable with the app\'s credentials)' : read.value === 301 ? ' (301: exists, in another region)' : '';
    return { kind: 'found', api: HEAD_BUCKET, how: `${how}${note}`, readAt, cached: false, ...context };
  }

  /** An export answered from the list already read for its account and region (no look-up). */
  private listedExport(request: LookupRequest, where: Where, maxAgeMs: number): LiveAnswer | undefined {
    if (request.type !== 'export') return undefined;
    const list = this.exportsCache.get(`${where.account ?? ''}|${where.region ?? ''}`);
    if (!list || this.now() - list.at > maxAgeMs) return undefined;
    const context = { ...(where.account ? { account: where.account } : {}), ...(where.region ? { region: where.region } : {}) };
    const base = { api: LIST_EXPORTS, how: `export ${request.name}`, readAt: list.readAt, cached: true, ...context };
    return list.names.has(request.name) ? { kind: 'found', ...base } : { kind: 'absent', code: 'not among the exports', ...base };
  }

  private cached(key: string, maxAgeMs: number): LiveAnswer | undefined {
    const entry = this.cache.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.at > maxAgeMs) {
      this.cache.delete(key);
      return undefined;
    }
    return { ...entry.answer, cached: true };
  }

  private async defaultRegion(): Promise<string | undefined> {
    try {
      const region = await this.stsClients.get(undefined).config.region();
      return region || undefined;
    } catch {
      return undefined; // no region configured: references without one are "not checked"
    }
  }

  private async callerAccount(count: () => void, limits: CallLimits): Promise<Attempt<string>> {
    const read = await attempt(GET_CALLER_IDENTITY, count, (abortSignal) => this.stsClients.get(undefined).send(new GetCallerIdentityCommand({}), { abortSignal }), {}, limits);
    if (!read.ok) return read;
    const account = read.value.Account;
    if (!account) return { ok: false, unreadable: { api: GET_CALLER_IDENTITY, code: 'InvalidResponse', message: 'GetCallerIdentity answered without an account', retryable: true } };
    return { ok: true, value: account };
  }

  private settings() {
    return this.options.aws ? { settings: this.options.aws } : {};
  }

  private clientOptions(region: string | undefined, roleArn: string | undefined) {
    return {
      ...(region ? { region } : {}),
      ...(roleArn ? { credentials: () => this.roles.get(roleArn, region) } : {}),
      ...this.settings(),
    };
  }
}

function notChecked(unreadable: Unreadable, where: Where, how?: string): LiveAnswer {
  return {
    kind: 'not-checked',
    api: unreadable.api,
    code: unreadable.code,
    reason: unreadable.message,
    ...(how ? { how } : {}),
    ...(where.account ? { account: where.account } : {}),
    ...(where.region ? { region: where.region } : {}),
  };
}

/** The primary identifier Cloud Control reads each type by. */
export function cloudControlIdentifier(request: LookupRequest, where: Where): string {
  const partition = where.region?.startsWith('cn-') ? 'aws-cn' : where.region?.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  switch (request.type) {
    case 'AWS::SQS::Queue':
      return `https://sqs.${where.region}.amazonaws.com${partition === 'aws-cn' ? '.cn' : ''}/${where.account}/${request.name}`;
    case 'AWS::SNS::Topic':
      return `arn:${partition}:sns:${where.region}:${where.account}:${request.name}`;
    case 'AWS::SecretsManager::Secret':
      return request.text.startsWith('arn:') ? request.text : request.name;
    default:
      return request.name;
  }
}

function lookupKey(request: LookupRequest, where: Where): string {
  const identifier = request.type === 'export' || request.type === 'AWS::S3::Bucket' ? request.name : cloudControlIdentifier(request, where);
  const scope = request.type === 'AWS::S3::Bucket' ? 'global' : `${where.account ?? 'own'}|${where.region ?? ''}`;
  return `${request.type}|${scope}|${identifier}`;
}
