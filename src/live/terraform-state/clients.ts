// The S3 and Cloud Control clients of live source B, built like the others (live/aws-clients):
// default credential chain or an assumed role, region from the target or the SDK's own
// resolution, endpoint from the SDK, so AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3 and
// AWS_ENDPOINT_URL_CLOUDCONTROL keep working. Never an endpoint of our own.
import { CloudControlClient, type CloudControlClientConfig } from '@aws-sdk/client-cloudcontrol';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { AwsClientSettings, CredentialsOption } from '../aws-clients.js';

/** The same socket bounds as live/aws-clients (not exported there): 5 s to connect, 20 s without an answer. */
const DEFAULT_HANDLER = { connectionTimeout: 5_000, requestTimeout: 20_000 };

export interface ClientOptions {
  region?: string;
  credentials?: CredentialsOption;
  settings?: AwsClientSettings;
}

export function createS3Client(options: ClientOptions = {}): S3Client {
  // The region is the bucket's: a wrong one is reported (read-state), not silently followed.
  const config: S3ClientConfig = { requestHandler: DEFAULT_HANDLER, ...(options.settings as S3ClientConfig | undefined) };
  if (options.region) config.region = options.region;
  if (options.credentials) config.credentials = options.credentials as S3ClientConfig['credentials'];
  return new S3Client(config);
}

export function createCloudControlClient(options: ClientOptions = {}): CloudControlClient {
  const config: CloudControlClientConfig = { requestHandler: DEFAULT_HANDLER, ...(options.settings as CloudControlClientConfig | undefined) };
  if (options.region) config.region = options.region;
  if (options.credentials) config.credentials = options.credentials as CloudControlClientConfig['credentials'];
  return new CloudControlClient(config);
}
