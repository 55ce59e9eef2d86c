import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import { isSecretPath, redactEvidence, redactValue } from '../../src/values/redact.js';
import type { AnalyzeInput } from '../../src/analyze/analyze.js';
import type { PropertyDifference } from '../../src/types.js';
import { diff, input, live, liveState, noEchoParameter, resource, template } from '../analyze/builders.js';


/** The analysis reports something, redacts it, and no secret string appears anywhere in it. */
function expectFindingsWithoutSecrets(analyzeInput: Parameters<typeof analyze>[0], secrets: string[]): void {
  const { findings } = analyze(analyzeInput);
  expect(findings.length).toBeGreaterThan(0);
  expect(findings.some((f) => f.evidence.some((e) => e.redacted))).toBe(true);
  const text = JSON.stringify(findings);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('secret-looking property paths', () => {
  it.each([
    ['MasterUserPassword', true],
    ['Environment.Variables.DB_PASSWORD', true],
    ['Environment.Variables.STRIPE_API_KEY', true],
    ['SecretString', true],
    ['AuthToken', true],
    ['Credentials.0.Value', true],
    ['SshPrivateKey', true],
    ['AccessKeyId', true],
    ['Passphrase', true],
    ['Environment.Variables.DB_PASS', true],
    ['Environment.Variables.ADMIN_PWD', true],
    ['DatabaseConnectionString', true],
    ['VpnTunnelOptionsSpecifications.0.PreSharedKey', true],
    ['Source.SshKey', true],
    ['Environment.Variables.AZURE_STORAGE_ACCOUNT_KEY', true],
    ['Environment.Variables.SERVICEBUS_SHARED_ACCESS_KEY_NAME', false],
    ['DefaultSshKeyName', false],
    ['KeyName', false],
    ['KmsKeyId', false],
    ['KeySchema.0.AttributeName', false],
    ['PartitionKey', false],
    ['VisibilityTimeout', false],
  ])('%s is redacted: %s', (path, expected) => {
    expect(isSecretPath(path)).toBe(expected);
  });

  it('redacts nested secret keys and leaves the rest readable', () => {
    const value = { Variables: { DB_PASSWORD: 'hunter2', LOG_LEVEL: 'debug' } };
    expect(redactValue('Environment', value)).toEqual({ Variables: { DB_PASSWORD: '***', LOG_LEVEL: 'debug' } });
    expect(redactValue('Environment', { Variables: { LOG_LEVEL: 'debug' } })).toEqual({ Variables: { LOG_LEVEL: 'debug' } });
  });

  it('keeps a URL readable but hides the password inside it', () => {
    expect(redactValue('Environment.Variables.DATABASE_URL', 'postgres://app:hunter2@db.internal:5432/orders')).toBe('postgres://app:***@db.internal:5432/orders');
    expect(redactValue('Endpoint', 'https://example.com/path')).toBe('https://example.com/path');
  });

  it.each([
    ['a Ref to a NoEcho parameter', { Ref: 'DbPassword' }],
    ['a Sub naming a NoEcho parameter', { 'Fn::Sub': 'postgres://admin:${DbPassword}@db' }],
    ['a Sub naming it in its variable map', { 'Fn::Sub': ['x${P}', { P: { Ref: 'DbPassword' } }] }],
    ['a Secrets Manager dynamic reference', '{{resolve:secretsmanager:prod/db:SecretString:password}}'],
  ])('hides the resolved values of a property set from %s', (_name, templateValue) => {
    const row = redactEvidence({ path: 'ConnectionString', base: templateValue, head: templateValue, expected: 'resolved-secret', live: 'other-secret' }, new Set(['DbPassword']));
    expect(row).toEqual({ path: 'ConnectionString', base: '***', head: '***', expected: '***', live: '***', redacted: true });
  });

  it('reads a Sub with 900 KB of unclosed ${${${… and hides only what names a secret', () => {
    const noEcho = new Set(['DbPassword']);
    const plain = { 'Fn::Sub': `\${Env}${'${'.repeat(450_000)}` };
    const row = { path: 'QueueName', base: plain, head: plain, expected: 'prod', live: 'prod-x' };
    expect(redactEvidence(row, noEcho)).toEqual(row);
    const secret = { 'Fn::Sub': `${'${'.repeat(450_000)}\${DbPassword}` };
    expect(redactEvidence({ ...row, base: secret, head: secret }, noEcho)).toMatchObject({ expected: '***', live: '***', redacted: true });
  });

  it('does not hide a Ref to an ordinary parameter, nor an escaped ${!Literal}', () => {
    const noEcho = new Set(['DbPassword']);
    const row = { path: 'QueueName', base: { Ref: 'Env' }, head: { 'Fn::Sub': '${!DbPassword}-x' }, expected: 'prod', live: 'prod-x' };
    expect(redactEvidence(row, noEcho)).toEqual(row);
  });
});

describe('secrets inside URLs', () => {
  const presigned =
    'https://orders.s3.amazonaws.com/report.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260110%2Fus-east-1%2Fs3%2Faws4_request' +
    '&X-Amz-Date=20260110T120000Z&X-Amz-Expires=900&X-Amz-Security-Token=FwoGZXIvYXdzEJr&X-Amz-SignedHeaders=host&X-Amz-Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7';
  const presignedShown =
    'https://orders.s3.amazonaws.com/report.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=***' +
    '&X-Amz-Date=20260110T120000Z&X-Amz-Expires=900&X-Amz-Security-Token=***&X-Amz-SignedHeaders=host&X-Amz-Signature=***';

  it.each([
    ['a password with an empty user (Redis AUTH)', 'redis://:s3cr3t-pw@cache.internal:6379/0', 'redis://:***@cache.internal:6379/0'],
    ['a password holding /', 'postgres://app:pa/ss+w0rd@db.internal/orders', 'postgres://app:***@db.internal/orders'],
    ['a password holding @', 'postgres://app:p@ss@db.internal/orders', 'postgres://app:***@db.internal/orders'],
    ['a generated password holding # ? / : and @', 'mysql://admin:Ab#1?x/y:z@q@db.internal:3306/app', 'mysql://admin:***@db.internal:3306/app'],
    ['a password of digits and /, which WHATWG reads as a port', 'postgres://app:12/34@db.internal/orders', 'postgres://app:***@db.internal/orders'],
    ['a password in a multi-host MongoDB URL', 'mongodb://app:pw-7@h1.internal:27017,h2.internal:27017/orders?replicaSet=rs0', 'mongodb://app:***@h1.internal:27017,h2.internal:27017/orders?replicaSet=rs0'],
    ['a Sentry DSN key', 'https://0123456789abcdef0123456789abcdef@o123.ingest.sentry.io/456', 'https://***@o123.ingest.sentry.io/456'],
    ['a legacy Sentry DSN key and secret', 'https://pubkey:secretkey@sentry.io/42', 'https://pubkey:***@sentry.io/42'],
    ['a GitHub token as the user', 'https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/acme/orders.git', 'https://***@github.com/acme/orders.git'],
    ['the same in capitals', 'HTTPS://GHP_16C7E42F292C6912E7710C838347AE178B4A@GITHUB.COM/acme', 'HTTPS://***@GITHUB.COM/acme'],
    ['a long token as the user of an AMQP URL', 'amqps://b8f3c0a1d2e4f5a6b7c8@mq.internal:5671/orders', 'amqps://***@mq.internal:5671/orders'],
    ['an S3 presigned URL (signature, session token and credential)', presigned, presignedShown],
    [
      'an Azure SAS signature',
      'https://acct.blob.core.windows.net/c/b.txt?sv=2022-11-02&sp=r&se=2026-01-11T00:00:00Z&sig=AbC%2Bd3EfG%3D',
      'https://acct.blob.core.windows.net/c/b.txt?sv=2022-11-02&sp=r&se=2026-01-11T00:00:00Z&sig=***',
    ],
    ['an access_token parameter', 'https://api.example.com/v1/items?page=2&access_token=ya29.a0AfH6SM', 'https://api.example.com/v1/items?page=2&access_token=***'],
    ['a Google API key', 'https://chat.googleapis.com/v1/spaces/AAAA/messages?key=AIzaSyDdI0hCZtE6vySjMm&token=tok-61', 'https://chat.googleapis.com/v1/spaces/AAAA/messages?key=***&token=***'],
    ['api_key, apikey, client_secret and password parameters', 'https://x.example.com/?api_key=a1&apikey=a2&client_secret=a3&password=a4&user=ops', 'https://x.example.com/?api_key=***&apikey=***&client_secret=***&password=***&user=ops'],
    ['an OAuth code', 'https://app.example.com/callback?code=4%2F0AX4XfWh&state=xyz', 'https://app.example.com/callback?code=***&state=xyz'],
    ['a percent-encoded parameter name', 'https://x.example.com/f?X%2DAmz%2DSignature=abc123', 'https://x.example.com/f?X%2DAmz%2DSignature=***'],
    ['a token in the fragment (OAuth implicit flow)', 'https://app.example.com/cb#access_token=tok-62&expires_in=3600', 'https://app.example.com/cb#access_token=***&expires_in=3600'],
    ['a JDBC ;password= property', 'jdbc:sqlserver://db.internal:1433;databaseName=orders;user=app;password=hunter2', 'jdbc:sqlserver://db.internal:1433;databaseName=orders;user=app;password=***'],
    ['a session id path parameter', 'https://shop.example.com/cart;jsessionid=8A3F1C2B/items', 'https://shop.example.com/cart;jsessionid=***'],
    ['a Slack webhook', 'https://hooks.slack.com/services/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', 'https://hooks.slack.com/services/T0123ABCD/B0456EFGH/***'],
    ['a Slack workflow webhook', 'https://hooks.slack.com/workflows/T0123ABCD/A0456EFGH/123456789/XkZ9pQr2sT4u', 'https://hooks.slack.com/workflows/T0123ABCD/A0456EFGH/123456789/***'],
    ['a Discord webhook', 'https://discord.com/api/webhooks/123456789012345678/AbCdEf-ghij_KLMNop', 'https://discord.com/api/webhooks/123456789012345678/***'],
    ['a versioned Discord webhook', 'https://discordapp.com/api/v10/webhooks/1234567890/AbCdEf-ghij/messages/42', 'https://discordapp.com/api/v10/webhooks/1234567890/***/messages/42'],
    [
      'a Microsoft Teams webhook',
      'https://acme.webhook.office.com/webhookb2/a1b2-c3@d4e5-f6/IncomingWebhook/0f1e2d3c4b5a/a7b8-c9d0',
      'https://acme.webhook.office.com/webhookb2/a1b2-c3@d4e5-f6/IncomingWebhook/***/***',
    ],
    ['a Telegram bot token', 'https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage', 'https://api.telegram.org/bot***/sendMessage'],
    ['a Zapier hook', 'https://hooks.zapier.com/hooks/catch/123456/abcdef7/', 'https://hooks.zapier.com/hooks/catch/123456/***/'],
    ['an IFTTT key', 'https://maker.ifttt.com/trigger/deploy/with/key/dNa8Kx1Yz', 'https://maker.ifttt.com/trigger/deploy/with/key/***'],
    ['a URL inside an environment line', 'DATABASE_URL=postgres://app:hunter2@db/orders LOG_LEVEL=debug', 'DATABASE_URL=postgres://app:***@db/orders LOG_LEVEL=debug'],
    [
      'a URL inside a JSON string',
      '{"Endpoint":"https://hooks.slack.com/services/T1/B2/sekret-63","Retries":3}',
      '{"Endpoint":"https://hooks.slack.com/services/T1/B2/***","Retries":3}',
    ],
    ['a URL inside JSON that is itself escaped', '{\\"url\\":\\"redis://:pw-64@cache:6379\\"}', '{\\"url\\":\\"redis://:***@cache:6379\\"}'],
    ['a URL inside another URL', 'https://app.example.com/login?next=https://ops:pw-65@admin.example.com/', 'https://app.example.com/login?next=https://ops:***@admin.example.com/'],
    ['two URLs separated by a comma', 'redis://:pw-66@h1:6379,redis://:pw-67@h2:6379', 'redis://:***@h1:6379,redis://:***@h2:6379'],
  ])('hides %s', (_name, value, expected) => {
    expect(redactValue('Endpoint', value)).toBe(expected);
    // The report redacts again: a second pass changes nothing.
    expect(redactValue('Endpoint', expected)).toBe(expected);
  });

  it.each([
    ['an https URL with paging', 'https://example.com/orders?page=2&sort=asc&keyword=secret-rotation'],
    ['an S3 ARN', 'arn:aws:s3:::orders-bucket/reports/*'],
    ['an SQS queue URL', 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-queue'],
    ['a Query API URL', 'https://sqs.us-east-1.amazonaws.com/?Action=SendMessage&Version=2012-11-05&MessageBody=hello'],
    ['an S3 URL with partition keys', 's3://orders-bucket/year=2026/month=01/part-0.parquet'],
    ['an @ in a path', 'https://medium.com/@acme/post-1'],
    ['a port with an @ in the path and query', 'https://api.example.com:8443/users/@me?email=ops@example.com'],
    ['localhost with an @ in the path', 'http://localhost:8080/@me'],
    ['an SSH login name', 'ssh://git@github.com/acme/orders.git'],
    ['a database login name without password', 'postgres://orders_ro@db.internal:5432/orders'],
    ['a scp-style git remote', 'git@github.com:acme/orders.git'],
    ['a mailto address', 'mailto:ops@example.com'],
    ['a Slack URL that is not a webhook', 'https://acme.slack.com/archives/C0123ABCD'],
    ['a dynamic reference', '{{resolve:ssm:/prod/db/url}}'],
    ['a URL in a JSON string next to an e-mail address', '{"url":"postgres://orders_ro@db.internal:5432/orders","owner":"ops@example.com"}'],
    ['a host and port in a JSON string next to an e-mail address', '{"url":"redis://cache:6379","owner":"ops@example.com"}'],
    ['a quoted URL followed by an e-mail address', "'https://example.com/x' by ops@example.com"],
    ['a URL in a markdown link', '[docs](https://example.com/a?page=2) by ops@example.com'],
    ['a connection string without a password', 'Server=db.internal;Database=orders;User Id=app;Integrated Security=SSPI;Encrypt=true'],
    ['Active Directory authentication', 'Server=db;Authentication=Active Directory Password;Database=orders'],
    ['a Service Bus policy name', 'SharedAccessKeyName=RootManageSharedAccessKey'],
    ['an Azure account name', 'DefaultEndpointsProtocol=https;AccountName=acmeorders;EndpointSuffix=core.windows.net'],
    ['CLI tag shorthand', 'Key=Name,Value=web Key=KeyName,Value=prod-keypair'],
    ['a key pair name', 'KeyName=prod-keypair;InstanceType=t3.micro'],
    ['an empty password', 'Server=db;Password=;Database=orders'],
  ])('keeps %s readable', (_name, value) => {
    expect(redactValue('Endpoint', value)).toBe(value);
  });

  it.each([
    ['an unclosed IPv6 host', 'http://[::1'],
    ['malformed escapes', 'http://%zz@host?%E0%A4%A=1&%ZZ=2'],
    ['a bare separator', '://'],
    ['a scheme only', 'https://'],
    ['separators only', ':// :// ://@'],
    ['an empty password', 'redis://:@cache:6379'],
  ])('never throws on %s', (_name, value) => {
    expect(typeof redactValue('Endpoint', value)).toBe('string');
  });

  it('hides a password in a 1 MB value', () => {
    expect(redactValue('Endpoint', `https://app:${'x'.repeat(1_000_000)}@db.internal/orders`)).toBe('https://app:***@db.internal/orders');
  });

  it.each([
    ['an unclosed quoted password', `Server=db;Password="${'a;'.repeat(500_000)}`, 'Server=db;Password=***'],
    ['names without a value', 'Password='.repeat(110_000), 'Password=***'],
    ['quoted passwords', 'Password="a;'.repeat(90_000), 'Password=***a;'.repeat(45_000)],
    ['a whole-value URL with 1 MB of quotes in its password', `redis://:${'"\'<>`'.repeat(200_000)}@cache:6379`, 'redis://:***@cache:6379'],
  ])('hides a password in a 1 MB value of %s', (_name, value, expected) => {
    expect(redactValue('Endpoint', value)).toBe(expected);
  });

  it('hides every password in a value of 1 MB of URLs', () => {
    const value = 'redis://:pw-71@cache:6379 '.repeat(40_000);
    const shown = redactValue('Endpoint', value) as string;
    expect(shown).not.toContain('pw-71');
    expect(shown.split('redis://:***@cache:6379').length).toBe(40_001);
  });

  it.each([
    ['schemes without hosts', 'a://'.repeat(250_000)],
    ['scheme characters without a separator', 'a.'.repeat(500_000)],
    ['separators without schemes', '/://'.repeat(250_000)],
    ['quoted URLs with a user and no close', '"a://u:'.repeat(150_000)],
    ['quoted URLs with backslashes and no @', '\\\\"a://u:\\"'.repeat(100_000)],
    ['URLs with a user and quotes, no whitespace and no @', 'a://u:"'.repeat(150_000)],
    ['= without names', '=;'.repeat(500_000)],
    ['long names', `${'x'.repeat(500_000)}=${'y'.repeat(500_000)}`],
  ])('handles 1 MB of %s unchanged', (_name, value) => {
    expect(redactValue('Endpoint', value)).toBe(value);
  });

  const fn = (url: string, memory: number) =>
    resource('Fn', { Environment: { Variables: { REDIS_URL: url } }, MemorySize: memory }, { type: 'AWS::Lambda::Function' });
  const lambda = (base: string, head: string, memory: number, differences: PropertyDifference[]) =>
    input([fn(base, 128)], [fn(head, memory)], liveState([live('Fn', 'MODIFIED', differences, 'AWS::Lambda::Function')]));

  it.each<[string, AnalyzeInput, string[], string]>([
    [
      'a URL whose password was set only live (revert)',
      lambda('redis://cache:6379', 'redis://cache:6379', 256, [diff('Environment.Variables.REDIS_URL', 'redis://cache:6379', 'redis://:live-pw-51@cache:6379')]),
      ['live-pw-51'],
      'redis://:***@cache:6379',
    ],
    [
      'a Slack webhook added live as a new variable',
      lambda('redis://cache:6379', 'redis://cache:6379', 256, [
        { path: 'Environment.Variables.ALERT_HOOK', expected: undefined, actual: 'https://hooks.slack.com/services/T1/B2/live-hook-52', kind: 'ADD' },
      ]),
      ['live-hook-52'],
      'hooks.slack.com/services/T1/B2/***',
    ],
    [
      'a signed URL inside a live object value',
      lambda('redis://cache:6379', 'redis://cache:6379', 256, [
        { path: 'Environment.Variables', expected: { REDIS_URL: 'redis://cache:6379' }, actual: { REDIS_URL: 'redis://cache:6379', EXPORT: presigned }, kind: 'NOT_EQUAL' },
      ]),
      ['5d672d79c15b', 'FwoGZXIvYXdzEJr'],
      'X-Amz-Date=20260110T120000Z',
    ],
    [
      'a URL password the PR edits and that was changed live (conflict)',
      lambda('redis://:base-pw-53@cache:6379', 'redis://:head-pw-54@cache:6380', 128, [
        diff('Environment.Variables.REDIS_URL', 'redis://:base-pw-53@cache:6379', 'redis://:live-pw-55@cache:6379'),
      ]),
      ['base-pw-53', 'head-pw-54', 'live-pw-55'],
      'redis://:***@cache:6380',
    ],
  ])('never shows %s, and keeps the rest of the URL', (_name, analyzeInput, secrets, kept) => {
    expectFindingsWithoutSecrets(analyzeInput, secrets);
    expect(JSON.stringify(analyze(analyzeInput).findings)).toContain(kept);
  });

  it('never shows a URL secret that AWS quotes in a stack status reason', () => {
    const state = liveState([]);
    state.stack = {
      ...state.stack!,
      status: 'UPDATE_ROLLBACK_FAILED',
      statusReason: 'Resource handler returned message: "Endpoint https://hooks.slack.com/services/T1/B2/reason-hook-81 is unreachable" (HandlerErrorCode: InvalidRequest)',
    };
    const [finding] = analyze(input([], [], state)).findings;
    expect(finding!.rule).toBe('unsafe-state');
    expect(finding!.message).toContain('https://hooks.slack.com/services/T1/B2/*** is unreachable');
    expect(JSON.stringify(finding)).not.toContain('reason-hook-81');
  });

  it('says which live URL it saw, without its password', () => {
    const analyzeInput = lambda('redis://:base-pw-56@cache:6379', 'redis://:head-pw-57@cache:6380', 128, [
      diff('Environment.Variables.REDIS_URL', 'redis://:base-pw-56@cache:6379', 'redis://:live-pw-58@cache:6379'),
    ]);
    const [finding] = analyze(analyzeInput).findings;
    expect(finding!.rule).toBe('conflict');
    expect(finding!.message).toContain('changed live to redis://:***@cache:6379');
    expect(finding!.evidence[0]).toMatchObject({ live: 'redis://:***@cache:6379', head: 'redis://:***@cache:6380', redacted: true });
  });
});

describe('redaction in findings', () => {
  it('never shows a hotfixed MasterUserPassword, in evidence or message', () => {
    const db = (n: number) => resource('Db', { MasterUserPassword: 'template-pw', AllocatedStorage: n }, { type: 'AWS::RDS::DBInstance' });
    const state = liveState([live('Db', 'MODIFIED', [diff('MasterUserPassword', 'template-pw', 'live-pw')], 'AWS::RDS::DBInstance')]);
    const [finding] = analyze(input([db(20)], [db(30)], state)).findings;
    expect(finding!.rule).toBe('revert');
    expect(finding!.evidence).toEqual([{ path: 'MasterUserPassword', base: '***', head: '***', expected: '***', live: '***', redacted: true }]);
    expect(JSON.stringify(finding)).not.toMatch(/template-pw|live-pw/);
  });

  it.each([
    ['declared NoEcho in the template', [noEchoParameter('DbPassword')], []],
    ['reported NoEcho by the stack', [], ['DbPassword']],
  ])('never shows a value that comes from a parameter %s', (_name, parameters, stackNoEcho) => {
    const fn = (n: number) =>
      resource('Fn', { Environment: { Variables: { DB: { Ref: 'DbPassword' } } }, MemorySize: n }, { type: 'AWS::Lambda::Function' });
    const base = fn(128);
    const head = fn(256);
    const state = liveState([live('Fn', 'MODIFIED', [diff('Environment.Variables.DB', 's3cret-a', 's3cret-b')], 'AWS::Lambda::Function')]);
    state.stack!.noEchoParameters = stackNoEcho;
    const analyzeInput = { ...input([base], [head], state), base: template([base], parameters), head: template([head], parameters) };
    const [finding] = analyze(analyzeInput).findings;
    expect(finding!.evidence[0]).toMatchObject({ path: 'Environment.Variables.DB', expected: '***', live: '***', redacted: true });
    expect(JSON.stringify(finding)).not.toContain('s3cret');
  });
});

describe('secrets named in a sibling Name or Key field', () => {
  it.each<[string, unknown, unknown]>([
    [
      'an ECS environment entry named DB_PASSWORD',
      [{ Name: 'DB_PASSWORD', Value: 'hunter2' }, { Name: 'LOG_LEVEL', Value: 'debug' }],
      [{ Name: 'DB_PASSWORD', Value: '***' }, { Name: 'LOG_LEVEL', Value: 'debug' }],
    ],
    ['a CodeBuild variable named API_TOKEN', [{ Name: 'API_TOKEN', Type: 'PLAINTEXT', Value: 'tok-1' }], [{ Name: 'API_TOKEN', Type: 'PLAINTEXT', Value: '***' }]],
    ['a Key/Value entry', [{ Key: 'stripe-secret-key', Value: 'sk_live_1' }], [{ Key: 'stripe-secret-key', Value: '***' }]],
    [
      'an Elastic Beanstalk option',
      [{ Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'DB_PASS', Value: 'pw' }],
      [{ Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'DB_PASS', Value: '***' }],
    ],
    ['a Value set from an intrinsic', [{ Name: 'DB_PASSWORD', Value: { 'Fn::GetAtt': ['Db', 'Pw'] } }], [{ Name: 'DB_PASSWORD', Value: '***' }]],
    [
      'an ECS secret by ARN (ValueFrom points at the secret, it is not the secret)',
      [{ Name: 'DB_PASSWORD', ValueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/db' }],
      [{ Name: 'DB_PASSWORD', ValueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/db' }],
    ],
    ['an entry whose name is no secret', [{ Name: 'LOG_LEVEL', Value: 'debug' }], [{ Name: 'LOG_LEVEL', Value: 'debug' }]],
  ])('hides the value of %s', (_name, value, expected) => {
    expect(redactValue('ContainerDefinitions.0.Environment', value)).toEqual(expected);
  });

  const container = (env: Array<Record<string, string>>, memory: number) =>
    resource('OrdersTask', { ContainerDefinitions: [{ Name: 'app', Image: 'orders:1', Environment: env }], Memory: memory }, { type: 'AWS::ECS::TaskDefinition' });
  const env = [{ Name: 'DB_PASSWORD', Value: 'template-hunter2' }, { Name: 'LOG_LEVEL', Value: 'info' }];
  const ecs = (differences: PropertyDifference[], headEnv = env): AnalyzeInput =>
    input([container(env, 512)], [container(headEnv, 1024)], liveState([live('OrdersTask', 'MODIFIED', differences, 'AWS::ECS::TaskDefinition')]));
  const build = (variables: unknown[]) => resource('Build', { Environment: { Image: 'img', EnvironmentVariables: variables } }, { type: 'AWS::CodeBuild::Project' });
  const param = (value: string, tier: string) => resource('DbParam', { Name: '/prod/db/password', Type: 'String', Value: value, Tier: tier }, { type: 'AWS::SSM::Parameter' });

  it.each<[string, AnalyzeInput, string[]]>([
    [
      'a hotfixed ECS variable named DB_PASSWORD never reaches the comment',
      ecs([diff('ContainerDefinitions.0.Environment.0.Value', 'template-hunter2', 'live-hunter3')]),
      ['template-hunter2', 'live-hunter3'],
    ],
    [
      'the same when the PR edits that very variable (a conflict)',
      ecs([diff('ContainerDefinitions.0.Environment.0.Value', 'template-hunter2', 'live-hunter3')], [{ Name: 'DB_PASSWORD', Value: 'head-hunter4' }, env[1]!]),
      ['template-hunter2', 'live-hunter3', 'head-hunter4'],
    ],
    [
      'a variable added live as { Name: API_TOKEN, Value } never reaches the comment',
      ecs([{ path: 'ContainerDefinitions.0.Environment.2', expected: undefined, actual: { Name: 'API_TOKEN', Value: 'tok-live-123' }, kind: 'ADD' }]),
      ['tok-live-123'],
    ],
    [
      'a variable renamed live to DB_PASSWORD, named only in AWS differences',
      ecs([
        diff('ContainerDefinitions.0.Environment.1.Name', 'LOG_LEVEL', 'DB_PASSWORD'),
        diff('ContainerDefinitions.0.Environment.1.Value', 'info', 'live-hunter5'),
      ]),
      ['live-hunter5'],
    ],
    [
      'a CodeBuild variable the PR edits',
      input(
        [build([{ Name: 'NPM_TOKEN', Value: 'npm-base-1' }])],
        [build([{ Name: 'NPM_TOKEN', Value: 'npm-head-2' }])],
        liveState([live('Build', 'MODIFIED', [diff('Environment.EnvironmentVariables.0.Value', 'npm-base-1', 'npm-live-3')], 'AWS::CodeBuild::Project')]),
      ),
      ['npm-base-1', 'npm-head-2', 'npm-live-3'],
    ],
    [
      'an SSM parameter named /prod/db/password, drifted and diverged',
      {
        ...input([param('base-pw-1', 'Standard')], [param('base-pw-1', 'Advanced')], liveState([live('DbParam', 'MODIFIED', [diff('Value', 'deployed-pw-2', 'live-pw-3')], 'AWS::SSM::Parameter')])),
        deployed: template([param('deployed-pw-2', 'Standard')]),
      },
      ['base-pw-1', 'deployed-pw-2', 'live-pw-3'],
    ],
  ])('%s', (_name, analyzeInput, secrets) => expectFindingsWithoutSecrets(analyzeInput, secrets));

  it('keeps the neighbouring, non-secret variables readable', () => {
    const [finding] = analyze(ecs([diff('ContainerDefinitions.0.Environment.1.Value', 'info', 'debug')])).findings;
    expect(finding!.evidence).toEqual([{ path: 'ContainerDefinitions.0.Environment.1.Value', base: 'info', head: 'info', expected: 'info', live: 'debug' }]);
    expect(finding!.message).toContain('live debug');
  });
});

describe('secrets in entries whose name is built by an intrinsic, in parameter lists, or marked Secure', () => {
  it.each<[string, unknown, unknown]>([
    [
      'an SSM-style entry named by Fn::Sub /${Env}/db/password',
      [{ Name: { 'Fn::Sub': '/${Env}/db/password' }, Value: 'pw-1' }],
      [{ Name: { 'Fn::Sub': '/${Env}/db/password' }, Value: '***' }],
    ],
    [
      'an ECS variable named by Fn::Join of DB and PASSWORD',
      [{ Name: { 'Fn::Join': ['_', ['DB', 'PASSWORD']] }, Value: 'pw-2' }],
      [{ Name: { 'Fn::Join': ['_', ['DB', 'PASSWORD']] }, Value: '***' }],
    ],
    [
      'a variable named by Fn::Sub with its variable map (${Prefix}_${Kind}, Kind: TOKEN)',
      [{ Name: { 'Fn::Sub': ['${Prefix}_${Kind}', { Prefix: 'NPM', Kind: 'TOKEN' }] }, Value: 'tok-3' }],
      [{ Name: { 'Fn::Sub': ['${Prefix}_${Kind}', { Prefix: 'NPM', Kind: 'TOKEN' }] }, Value: '***' }],
    ],
    [
      'a StackSet parameter { ParameterKey: DbPassword, ParameterValue }',
      [{ ParameterKey: 'DbPassword', ParameterValue: 'pw-4' }, { ParameterKey: 'Env', ParameterValue: 'prod' }],
      [{ ParameterKey: 'DbPassword', ParameterValue: '***' }, { ParameterKey: 'Env', ParameterValue: 'prod' }],
    ],
    ['an OpsWorks variable marked Secure: true', [{ Key: 'BILLING_DSN', Value: 'dsn-5', Secure: true }], [{ Key: 'BILLING_DSN', Value: '***', Secure: true }]],
    ['an OpsWorks variable marked Secure: "true"', [{ Key: 'BILLING_DSN', Value: 'dsn-6', Secure: 'true' }], [{ Key: 'BILLING_DSN', Value: '***', Secure: 'true' }]],
    [
      'an OpsWorks variable whose Secure flag comes from a parameter (it may be true)',
      [{ Key: 'BILLING_DSN', Value: 'dsn-7', Secure: { Ref: 'SecureEnv' } }],
      [{ Key: 'BILLING_DSN', Value: '***', Secure: { Ref: 'SecureEnv' } }],
    ],
  ])('hides the value of %s', (_name, value, expected) => {
    expect(redactValue('Environment', value)).toEqual(expected);
  });

  it.each<[string, unknown]>([
    ['a variable named by Fn::Join of LOG and LEVEL', [{ Name: { 'Fn::Join': ['_', ['LOG', 'LEVEL']] }, Value: 'debug' }]],
    ['a parameter { ParameterKey: Env }', [{ ParameterKey: 'Env', ParameterValue: 'prod' }]],
    ['an OpsWorks variable marked Secure: false', [{ Key: 'LOG_LEVEL', Value: 'debug', Secure: false }]],
    ['an OpsWorks variable marked Secure: "false"', [{ Key: 'LOG_LEVEL', Value: 'debug', Secure: 'false' }]],
  ])('keeps readable %s', (_name, value) => {
    expect(redactValue('Environment', value)).toBe(value);
  });

  const ssm = (name: unknown, value: string, tier: string) =>
    resource('DbParam', { Name: name, Type: 'String', Value: value, Tier: tier }, { type: 'AWS::SSM::Parameter' });
  const subName = { 'Fn::Sub': '/${Env}/db/password' };
  const task = (name: unknown, value: string, memory: number) =>
    resource('OrdersTask', { ContainerDefinitions: [{ Name: 'app', Environment: [{ Name: name, Value: value }] }], Memory: memory }, { type: 'AWS::ECS::TaskDefinition' });
  const joinName = { 'Fn::Join': ['_', ['DB', 'PASSWORD']] };
  const stackSet = (parameters: unknown[], description: string) =>
    resource('Orders', { StackSetName: 'orders', Parameters: parameters, Description: description }, { type: 'AWS::CloudFormation::StackSet' });
  const opsApp = (environment: unknown[], description: string) =>
    resource('App', { StackId: 'stack-1', Environment: environment, Description: description }, { type: 'AWS::OpsWorks::App' });
  const modified = (id: string, type: string, differences: PropertyDifference[]) => liveState([live(id, 'MODIFIED', differences, type)]);

  it.each<[string, AnalyzeInput, string[]]>([
    [
      'a hotfixed SSM parameter named /${Env}/db/password never reaches the comment',
      input([ssm(subName, 'base-pw-11', 'Standard')], [ssm(subName, 'base-pw-11', 'Advanced')], modified('DbParam', 'AWS::SSM::Parameter', [diff('Value', 'base-pw-11', 'live-pw-12')])),
      ['base-pw-11', 'live-pw-12'],
    ],
    [
      'the same parameter, drifted and diverged from the deployed template',
      {
        ...input([ssm(subName, 'base-pw-13', 'Standard')], [ssm(subName, 'base-pw-13', 'Advanced')], modified('DbParam', 'AWS::SSM::Parameter', [diff('Value', 'deployed-pw-14', 'live-pw-15')])),
        deployed: template([ssm(subName, 'deployed-pw-14', 'Standard')]),
      },
      ['base-pw-13', 'deployed-pw-14', 'live-pw-15'],
    ],
    [
      'an ECS variable named by Fn::Join [DB, PASSWORD] that the PR edits and was hotfixed live',
      input(
        [task(joinName, 'base-pw-21', 512)],
        [task(joinName, 'head-pw-22', 512)],
        modified('OrdersTask', 'AWS::ECS::TaskDefinition', [diff('ContainerDefinitions.0.Environment.0.Value', 'base-pw-21', 'live-pw-23')]),
      ),
      ['base-pw-21', 'head-pw-22', 'live-pw-23'],
    ],
    [
      'a StackSet DbPassword parameter (ParameterKey / ParameterValue) that the PR edits and was hotfixed live',
      input(
        [stackSet([{ ParameterKey: 'DbPassword', ParameterValue: 'base-pw-31' }], 'v1')],
        [stackSet([{ ParameterKey: 'DbPassword', ParameterValue: 'head-pw-32' }], 'v1')],
        modified('Orders', 'AWS::CloudFormation::StackSet', [diff('Parameters.0.ParameterValue', 'base-pw-31', 'live-pw-33')]),
      ),
      ['base-pw-31', 'head-pw-32', 'live-pw-33'],
    ],
    [
      'a StackSet parameter renamed live to DbPassword, named only in AWS differences',
      input(
        [stackSet([{ ParameterKey: 'Env', ParameterValue: 'prod' }], 'v1')],
        [stackSet([{ ParameterKey: 'Env', ParameterValue: 'prod' }], 'v2')],
        modified('Orders', 'AWS::CloudFormation::StackSet', [
          diff('Parameters.0.ParameterKey', 'Env', 'DbPassword'),
          diff('Parameters.0.ParameterValue', 'prod', 'live-pw-34'),
        ]),
      ),
      ['live-pw-34'],
    ],
    [
      'a StackSet parameter added live as { ParameterKey: DbPassword, ParameterValue }',
      input(
        [stackSet([], 'v1')],
        [stackSet([], 'v2')],
        modified('Orders', 'AWS::CloudFormation::StackSet', [
          { path: 'Parameters.0', expected: undefined, actual: { ParameterKey: 'DbPassword', ParameterValue: 'live-pw-35' }, kind: 'ADD' },
        ]),
      ),
      ['live-pw-35'],
    ],
    [
      'an OpsWorks Secure variable whose name says nothing, edited by the PR and hotfixed live',
      input(
        [opsApp([{ Key: 'BILLING_DSN', Value: 'base-dsn-41', Secure: true }], 'v1')],
        [opsApp([{ Key: 'BILLING_DSN', Value: 'head-dsn-42', Secure: 'true' }], 'v1')],
        modified('App', 'AWS::OpsWorks::App', [diff('Environment.0.Value', 'base-dsn-41', 'live-dsn-43')]),
      ),
      ['base-dsn-41', 'head-dsn-42', 'live-dsn-43'],
    ],
    [
      'an OpsWorks variable made Secure live, known only from AWS differences',
      input(
        [opsApp([{ Key: 'BILLING_DSN', Value: 'dsn' }], 'v1')],
        [opsApp([{ Key: 'BILLING_DSN', Value: 'dsn' }], 'v2')],
        modified('App', 'AWS::OpsWorks::App', [diff('Environment.0.Secure', false, true), diff('Environment.0.Value', 'dsn', 'live-dsn-44')]),
      ),
      ['live-dsn-44'],
    ],
  ])('%s', (_name, analyzeInput, secrets) => expectFindingsWithoutSecrets(analyzeInput, secrets));

  it('keeps a StackSet parameter that is no secret readable', () => {
    const state = modified('Orders', 'AWS::CloudFormation::StackSet', [diff('Parameters.0.ParameterValue', 'prod', 'staging')]);
    const analyzeInput = input([stackSet([{ ParameterKey: 'Env', ParameterValue: 'prod' }], 'v1')], [stackSet([{ ParameterKey: 'Env', ParameterValue: 'prod' }], 'v2')], state);
    const rows = analyze(analyzeInput).findings.flatMap((f) => f.evidence);
    expect(rows).toContainEqual({ path: 'Parameters.0.ParameterValue', base: 'prod', head: 'prod', expected: 'prod', live: 'staging' });
  });
});

describe('passwords holding quotes, < > or a backtick', () => {
  // Secrets Manager's default password alphabet holds all five; each used to end the URL
  // before the `@`, so the password was printed in full.
  const chars = ['"', "'", '`', '<', '>'];

  it.each(chars.flatMap((c) => [
    [`${c} in a whole-value URL`, `postgres://app:Ab${c}cD9@db.internal:5432/orders`, 'postgres://app:***@db.internal:5432/orders'],
    [`${c} in a URL inside an environment line`, `DATABASE_URL=postgres://app:Ab${c}cD9@db.internal/orders LOG_LEVEL=debug`, 'DATABASE_URL=postgres://app:***@db.internal/orders LOG_LEVEL=debug'],
    [`${c} with an empty user`, `REDIS=redis://:p${c}w-1@cache:6379/0`, 'REDIS=redis://:***@cache:6379/0'],
    [`${c} and @ in the password`, `mysql://admin:A@b${c}c@db.internal:3306/app`, 'mysql://admin:***@db.internal:3306/app'],
    [`${c} in a ?password= parameter`, `jdbc:mysql://db.internal:3306/orders?user=app&password=Ab${c}cD9 next`, 'jdbc:mysql://db.internal:3306/orders?user=app&password=*** next'],
  ]))('hides a password with %s', (_name, value, expected) => {
    expect(redactValue('Endpoint', value)).toBe(expected);
    expect(redactValue('Endpoint', expected)).toBe(expected);
  });

  it.each([
    ['a " inside a single-quoted URL', `export URL='redis://:p"w-2@cache:6379'`, `export URL='redis://:***@cache:6379'`],
    ['a \' inside a double-quoted URL', `URL="redis://:p'w-3@cache:6379" next`, 'URL="redis://:***@cache:6379" next'],
    ['a JSON-escaped " in a URL inside a JSON string', '{"url":"postgres://u:Ab\\"cD9@db/x","retries":3}', '{"url":"postgres://u:***@db/x","retries":3}'],
    ['a raw " followed by a letter in a double-quoted URL', 'URL="postgres://u:Ab"cD9@db/x"', 'URL="postgres://u:***@db/x"'],
    ['a > inside a <URL>', 'see <redis://:p>w-4@cache:6379>', 'see <redis://:***@cache:6379>'],
    ['a ` inside a `URL`', 'use `redis://:p`w-5@cache:6379` here', 'use `redis://:***@cache:6379` here'],
    ['a space, when the URL is the whole value', 'redis://:correct horse@cache:6379', 'redis://:***@cache:6379'],
  ])('hides %s', (_name, value, expected) => {
    expect(redactValue('Endpoint', value)).toBe(expected);
    expect(redactValue('Endpoint', expected)).toBe(expected);
  });

  const fn = (url: string, memory: number) =>
    resource('Fn', { Environment: { Variables: { STORE: url } }, MemorySize: memory }, { type: 'AWS::Lambda::Function' });
  const lambda = (base: string, head: string, memory: number, differences: PropertyDifference[]) =>
    input([fn(base, 128)], [fn(head, memory)], liveState([live('Fn', 'MODIFIED', differences, 'AWS::Lambda::Function')]));
  const url = (pw: string, port = 5432) => `postgres://app:${pw}@db.internal:${port}/orders`;

  it.each(chars.flatMap((c): Array<[string, AnalyzeInput, string[], string]> => [
    [
      `a password with ${c} set only live (revert)`,
      lambda(url('plain'), url('plain'), 256, [diff('Environment.Variables.STORE', url('plain'), url(`lv${c}pw-91`))]),
      [`lv${c}pw-91`, 'pw-91'],
      'postgres://app:***@db.internal:5432/orders',
    ],
    [
      `a password with ${c} changed live under a PR that edits it (conflict, and its message)`,
      lambda(url(`bs${c}pw-92`), url(`hd${c}pw-93`, 5433), 128, [diff('Environment.Variables.STORE', url(`bs${c}pw-92`), url(`lv${c}pw-94`))]),
      ['pw-92', 'pw-93', 'pw-94'],
      'changed live to postgres://app:***@db.internal:5432/orders',
    ],
    [
      `a password with ${c} in the template (base and head)`,
      lambda(url(`bs${c}pw-95`), url(`hd${c}pw-96`), 256, [diff('Environment.Variables.STORE', url(`bs${c}pw-95`), url('plain'))]),
      ['pw-95', 'pw-96'],
      'postgres://app:***@db.internal:5432/orders',
    ],
    [
      `a connection string with Password=...${c} set only live`,
      lambda('Server=db.internal;Database=orders', 'Server=db.internal;Database=orders', 256, [
        diff('Environment.Variables.STORE', 'Server=db.internal;Database=orders', `Server=db.internal;Database=orders;User Id=app;Password=lv${c}pw-97;Encrypt=true`),
      ]),
      ['pw-97'],
      'Server=db.internal;Database=orders;User Id=app;Password=***;Encrypt=true',
    ],
    [
      `a connection string with PWD=...${c} the PR edits, changed live (conflict)`,
      lambda(`Driver={ODBC Driver 18};Server=db;UID=app;PWD=bs${c}pw-98`, `Driver={ODBC Driver 18};Server=db2;UID=app;PWD=hd${c}pw-99`, 128, [
        diff('Environment.Variables.STORE', `Driver={ODBC Driver 18};Server=db;UID=app;PWD=bs${c}pw-98`, `Driver={ODBC Driver 18};Server=db;UID=app;PWD=lv${c}pw-90`),
      ]),
      ['pw-98', 'pw-99', 'pw-90'],
      'changed live to Driver={ODBC Driver 18};Server=db;UID=app;PWD=***',
    ],
  ]))('never shows %s, and keeps the rest readable', (_name, analyzeInput, secrets, kept) => {
    expectFindingsWithoutSecrets(analyzeInput, secrets);
    expect(JSON.stringify(analyze(analyzeInput).findings)).toContain(JSON.stringify(kept).slice(1, -1));
  });

  it('never shows such a password quoted by AWS in a stack status reason', () => {
    const state = liveState([]);
    state.stack = {
      ...state.stack!,
      status: 'UPDATE_ROLLBACK_FAILED',
      statusReason: 'Resource handler returned message: "could not connect to postgres://app:Ab"cD9-reason@db.internal:5432/orders" (HandlerErrorCode: InvalidRequest)',
    };
    const [finding] = analyze(input([], [], state)).findings;
    expect(finding!.message).toContain('postgres://app:***@db.internal:5432/orders');
    expect(JSON.stringify(finding)).not.toContain('cD9-reason');
  });
});

describe('secrets in connection strings that are not URLs', () => {
  const chars = ['"', "'", '`', '<', '>'];

  it.each([
    ...chars.map((c) => [`an ADO.NET Password with ${c}`, `Server=db.internal;Database=orders;User Id=app;Password=Ab${c}cD9;Encrypt=true`, 'Server=db.internal;Database=orders;User Id=app;Password=***;Encrypt=true']),
    ...chars.map((c) => [`an ODBC PWD with ${c}`, `DRIVER={ODBC Driver 18 for SQL Server};SERVER=db;UID=app;PWD=Ab${c}cD9`, 'DRIVER={ODBC Driver 18 for SQL Server};SERVER=db;UID=app;PWD=***']),
    ...chars.map((c) => [`a lower-case pwd with ${c}`, `host=db;uid=app;pwd=Ab${c}cD9;port=3306`, 'host=db;uid=app;pwd=***;port=3306']),
    ['a quoted ADO.NET password holding ; and a doubled quote', 'Server=db;Password="Ab;c""d";Database=orders', 'Server=db;Password=***;Database=orders'],
    ["a single-quoted password", "Server=db;Password='Ab;c';Database=orders", 'Server=db;Password=***;Database=orders'],
    ['an ODBC braced password holding ; and }}', 'Driver={SQL Server};Server=db;Pwd={Ab;c}}d};Database=orders', 'Driver={SQL Server};Server=db;Pwd=***;Database=orders'],
    ['spaces around =', 'Data Source=db;User ID=app;Password = Ab c;Pooling=true', 'Data Source=db;User ID=app;Password =***;Pooling=true'],
    ['a Jet OLEDB database password', 'Provider=Microsoft.Jet.OLEDB.4.0;Jet OLEDB:Database Password=Ab"c;Mode=Share', 'Provider=Microsoft.Jet.OLEDB.4.0;Jet OLEDB:Database Password=***;Mode=Share'],
    [
      'an Azure storage AccountKey',
      'DefaultEndpointsProtocol=https;AccountName=acmeorders;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;EndpointSuffix=core.windows.net',
      'DefaultEndpointsProtocol=https;AccountName=acmeorders;AccountKey=***;EndpointSuffix=core.windows.net',
    ],
    ['a SharedAccessSignature with no endpoint URL', 'SharedAccessSignature=sv=2022-11-02&ss=b&sig=AbCd%2Bef%3D;QueueEndpoint=x', 'SharedAccessSignature=***;QueueEndpoint=x'],
    [
      'a Service Bus SharedAccessKey, keeping the policy name',
      'Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=Ab"cD9+efGh=',
      'Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=***',
    ],
    ['a JDBC property list', 'jdbc:sqlserver://db.internal:1433;databaseName=orders;user=app;password=Ab"c;encrypt=true', 'jdbc:sqlserver://db.internal:1433;databaseName=orders;user=app;password=***;encrypt=true'],
    ['a connection string inside a JSON string', '{"db":"Server=h;Password=Ab<c","retries":3}', '{"db":"Server=h;Password=***","retries":3}'],
    ['a password on one line of a script', 'export DB_PASSWORD=Ab`c\necho ready', 'export DB_PASSWORD=***\necho ready'],
    ['a command-line --password=', 'mysql --password=Ab\'c', 'mysql --password=***'],
  ])('hides %s', (_name, value, expected) => {
    expect(redactValue('Environment.Variables.DB', value)).toBe(expected);
    expect(redactValue('Environment.Variables.DB', expected)).toBe(expected);
  });

  it('hides every password in 1 MB of connection strings', () => {
    const value = 'Server=db;Password=Ab"c-73;'.repeat(40_000);
    const shown = redactValue('Endpoint', value) as string;
    expect(shown).not.toContain('c-73');
    expect(shown.split('Password=***;').length).toBe(40_001);
  });
});
