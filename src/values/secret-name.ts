// Which names hold a secret, and the marker that replaces one. Depends on nothing, so every
// layer may ask: live/ redacts before a value leaves a provider, values/redact.ts (property
// paths, name/value entries) and values/redact-url.ts (query parameter names) build on it.

export const REDACTED = '***';

/**
 * A path segment names a secret when, lowercased with everything but letters and digits
 * removed (`DB_PASSWORD` -> `dbpassword`, `x-api-key` -> `xapikey`), it contains one of:
 *
 *   passw  passphrase  secret  token  credential  privatekey  apikey  accesskey  signingkey  authkey
 *   pwd  connectionstring  sharedkey  sshkey  accountkey
 *
 * (`sharedkey`: a VPN tunnel's `PreSharedKey`; `sshkey`: OpsWorks' `SshKey`, but not
 * `DefaultSshKeyName`, which names a key pair like `KeyName` below; `accountkey`: an Azure
 * storage account's key, `AccountKey=` in its connection string; `accesskey` but not
 * `SharedAccessKeyName`, which names the Service Bus policy whose key `SharedAccessKey` is)
 * or ends in `pass` (`DB_PASS`, `adminPass`). Values are checked too: secrets inside URLs
 * (`postgres://app:hunter2@db/orders`, `?sig=...`) and in connection strings
 * (`Password=...;`) are blanked by values/redact-text.ts `redactText`, which keeps
 * everything else.
 *
 * A bare `key` is not in the list on purpose: `KeyName` (an EC2 key pair's name),
 * `KmsKeyId` (a key's id or ARN) and `PartitionKey` (a schema attribute) name or point at
 * keys without holding key material, and redacting them would hide the evidence people
 * need. Over-matching is accepted where it is safe (`SecretArn`, `AccessTokenValidity`
 * are redacted too).
 */
const SECRET_SEGMENT =
  /passw|passphrase|secret|token|credential|privatekey|apikey|accesskey(?!name)|signingkey|authkey|pwd|connectionstring|sharedkey|sshkey(?!name)|accountkey|pass$/;

export function isSecretName(name: string): boolean {
  return SECRET_SEGMENT.test(name.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/** `true` when any segment of the dot path names a secret (`MasterUserPassword`, `Environment.Variables.API_KEY`). */
export function isSecretPath(path: string): boolean {
  return path.split('.').some(isSecretName);
}
