import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import { isSecretPath, redactEvidence, redactValue } from '../../src/analyze/redact.js';
import type { AnalyzeInput } from '../../src/analyze/analyze.js';
import type { PropertyDifference } from '../../src/types.js';
import { diff, input, live, liveState, noEchoParameter, resource, template } from './builders.js';

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

  it('does not hide a Ref to an ordinary parameter, nor an escaped ${!Literal}', () => {
    const noEcho = new Set(['DbPassword']);
    const row = { path: 'QueueName', base: { Ref: 'Env' }, head: { 'Fn::Sub': '${!DbPassword}-x' }, expected: 'prod', live: 'prod-x' };
    expect(redactEvidence(row, noEcho)).toEqual(row);
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
  ])('%s', (_name, analyzeInput, secrets) => {
    const { findings } = analyze(analyzeInput);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.some((f) => f.evidence.some((e) => e.redacted))).toBe(true);
    const text = JSON.stringify(findings);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('keeps the neighbouring, non-secret variables readable', () => {
    const [finding] = analyze(ecs([diff('ContainerDefinitions.0.Environment.1.Value', 'info', 'debug')])).findings;
    expect(finding!.evidence).toEqual([{ path: 'ContainerDefinitions.0.Environment.1.Value', base: 'info', head: 'info', expected: 'info', live: 'debug' }]);
    expect(finding!.message).toContain('live debug');
  });
});
