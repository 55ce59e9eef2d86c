import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import { isSecretPath, redactEvidence, redactValue } from '../../src/analyze/redact.js';
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
