import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import { isSecretPath, redactEvidence, redactValue } from '../../src/analyze/redact.js';
import type { AnalyzeInput } from '../../src/analyze/analyze.js';
import type { PropertyDifference } from '../../src/types.js';
import { diff, input, live, liveState, noEchoParameter, resource, template } from './builders.js';


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
