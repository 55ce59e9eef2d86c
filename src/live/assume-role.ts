// Credentials for a target's `roleArn`: STS AssumeRole (session name `realitycheck`) with the
// default credential chain, cached until shortly before they expire. Concurrent callers for
// the same role share one request.
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';

export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export const SESSION_NAME = 'realitycheck';
const ASSUME_ROLE_TIMEOUT_MS = 30_000;

export class RoleCredentialCache {
  private readonly entries = new Map<string, { pending: Promise<RoleCredentials>; credentials?: RoleCredentials }>();

  constructor(
    private readonly stsFor: (region: string | undefined) => STSClient,
    private readonly now: () => number,
    /** Assume again when the cached credentials expire within this many milliseconds. */
    private readonly refreshMarginMs = 5 * 60_000,
  ) {}

  /** Cached credentials, or a new AssumeRole call (then `onCall` is told). Rejects with the SDK's error. */
  get(roleArn: string, region: string | undefined, onCall: () => void = () => {}): Promise<RoleCredentials> {
    const key = `${region ?? ''}|${roleArn}`;
    const entry = this.entries.get(key);
    if (entry && !entry.credentials) return entry.pending;
    if (entry?.credentials && entry.credentials.expiration.getTime() - this.now() > this.refreshMarginMs) {
      return Promise.resolve(entry.credentials);
    }
    onCall();
    const fresh: { pending: Promise<RoleCredentials>; credentials?: RoleCredentials } = { pending: this.assume(roleArn, region) };
    this.entries.set(key, fresh);
    fresh.pending.then(
      (credentials) => {
        fresh.credentials = credentials;
      },
      () => {
        if (this.entries.get(key) === fresh) this.entries.delete(key);
      },
    );
    return fresh.pending;
  }

  private async assume(roleArn: string, region: string | undefined): Promise<RoleCredentials> {
    // Shared by every read that needs the role, so bound by its own timeout, not one run's signal.
    const out = await this.stsFor(region).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: SESSION_NAME }), {
      abortSignal: AbortSignal.timeout(ASSUME_ROLE_TIMEOUT_MS),
    });
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
      throw Object.assign(new Error('AssumeRole answered without complete credentials'), { name: 'InvalidResponse' });
    }
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  }
}
