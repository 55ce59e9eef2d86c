// The AWS SDK clients, built one way. The default path is the plain SDK: default credential
// chain, region from the target or the SDK's own resolution (AWS_REGION, profile), endpoint
// from the SDK (so AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_CLOUDFORMATION keep working).
import { CloudFormationClient, type CloudFormationClientConfig } from '@aws-sdk/client-cloudformation';
import { STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { countAwsCalls } from '../metrics/count-aws-calls.js';
import { limitAwsRate } from './limit-aws-rate.js';

/** Transport and retry settings for tests and the benchmark; never an endpoint. */
export interface AwsClientSettings {
  requestHandler?: CloudFormationClientConfig['requestHandler'];
  maxAttempts?: number;
  retryStrategy?: CloudFormationClientConfig['retryStrategy'];
  logger?: CloudFormationClientConfig['logger'];
}

/**
 * Socket-level bounds for the default HTTP handler (the SDK has none by default: a server
 * that accepts the connection and never answers would hold a run until its deadline).
 * Each call is also bounded as a whole (aws-errors `attempt`).
 */
const DEFAULT_HANDLER = { connectionTimeout: 5_000, requestTimeout: 20_000 };

export type CredentialsOption = CloudFormationClientConfig['credentials'];

export function createCloudFormationClient(
  options: { region?: string; credentials?: CredentialsOption; settings?: AwsClientSettings } = {},
): CloudFormationClient {
  const config: CloudFormationClientConfig = { requestHandler: DEFAULT_HANDLER, ...options.settings };
  if (options.region) config.region = options.region;
  if (options.credentials) config.credentials = options.credentials;
  return new CloudFormationClient(config);
}

export function createStsClient(options: { region?: string; settings?: AwsClientSettings } = {}): STSClient {
  const config: STSClientConfig = { requestHandler: DEFAULT_HANDLER, ...(options.settings as STSClientConfig | undefined) };
  if (options.region) config.region = options.region;
  return new STSClient(config);
}

/**
 * One SDK client per region and role, made on first use and kept: each client holds its
 * own connections and resolved credentials, so making one per call would be wasteful.
 */
export class ClientPool<C> {
  private readonly clients = new Map<string, C>();

  constructor(private readonly make: (region: string | undefined, roleArn: string | undefined) => C) {}

  get(region: string | undefined, roleArn?: string): C {
    const key = `${region ?? ''}|${roleArn ?? ''}`;
    let client = this.clients.get(key);
    if (!client) {
      client = this.make(region, roleArn);
      countAwsCalls(client);
      limitAwsRate(client, { roleArn });
      this.clients.set(key, client);
    }
    return client;
  }
}
