// The AWS SDK clients, built one way. The default path is the plain SDK: default credential
// chain, region from the target or the SDK's own resolution (AWS_REGION, profile), endpoint
// from the SDK (so AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_CLOUDFORMATION keep working).
import { CloudFormationClient, type CloudFormationClientConfig } from '@aws-sdk/client-cloudformation';
import { STSClient, type STSClientConfig } from '@aws-sdk/client-sts';

/** Transport and retry settings for tests and the benchmark; never an endpoint. */
export interface AwsClientSettings {
  requestHandler?: CloudFormationClientConfig['requestHandler'];
  maxAttempts?: number;
  retryStrategy?: CloudFormationClientConfig['retryStrategy'];
  logger?: CloudFormationClientConfig['logger'];
}

export type CredentialsOption = CloudFormationClientConfig['credentials'];

export function createCloudFormationClient(
  options: { region?: string; credentials?: CredentialsOption; settings?: AwsClientSettings } = {},
): CloudFormationClient {
  const config: CloudFormationClientConfig = { ...options.settings };
  if (options.region) config.region = options.region;
  if (options.credentials) config.credentials = options.credentials;
  return new CloudFormationClient(config);
}

export function createStsClient(options: { region?: string; settings?: AwsClientSettings } = {}): STSClient {
  const config: STSClientConfig = { ...(options.settings as STSClientConfig | undefined) };
  if (options.region) config.region = options.region;
  return new STSClient(config);
}
