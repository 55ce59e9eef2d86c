// The AWS SDK's environment for provider tests, the same in every file: example static
// credentials, one region, no profile or instance metadata, no endpoint overrides (a test
// that wants one stubs it itself); no network but nock's; after each test every nock
// answer must have been asked for.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest';

export function useAwsTestEnvironment(region: string): void {
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  beforeEach(() => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    vi.stubEnv('AWS_SESSION_TOKEN', '');
    vi.stubEnv('AWS_REGION', region);
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/realitycheck-test/config');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/realitycheck-test/credentials');
    vi.stubEnv('AWS_PROFILE', '');
    for (const service of ['', '_CLOUDFORMATION', '_STS', '_S3', '_CLOUDCONTROL']) vi.stubEnv(`AWS_ENDPOINT_URL${service}`, '');
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    vi.unstubAllEnvs();
    expect(pending, 'every faked AWS answer is asked for').toEqual([]);
  });
}
