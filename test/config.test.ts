import { describe, expect, it } from 'vitest';
import { parseConfig, parseDuration } from '../src/config.js';

const cfn = { cloudformation: { stack: 'orders-prod', template: 'infra/orders.yaml' } };

describe('config schema', () => {
  it('fills the defaults a team gets without writing them', () => {
    const result = parseConfig({ targets: [cfn] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.policy).toEqual({ ai: 'strict', unreadable: 'warn', maxDriftAge: 15 * 60_000 });
    expect(result.config.reconcile).toEqual({ mode: 'on-request', schedule: 24 * 3_600_000 });
    expect(result.config.report).toEqual({ suggestions: true });
    expect(result.config.references).toEqual({ enabled: 'ai', maxLookups: 50, accounts: {} });
    expect(result.targets).toEqual([
      { kind: 'cloudformation', name: 'orders-prod', stack: 'orders-prod', template: 'infra/orders.yaml', undeclared: false, changeSet: false },
    ]);
  });

  it('reads the opt-ins and the references accounts, and names a bad account id', () => {
    const ok = parseConfig({
      targets: [{ cloudformation: { ...cfn.cloudformation, undeclared: true, changeSet: true } }],
      reconcile: { mode: 'auto', schedule: '6h' },
      report: { suggestions: false },
      references: { enabled: 'all', maxLookups: 5, accounts: { '210987654321': { roleArn: 'arn:aws:iam::210987654321:role/read' } } },
    });
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    expect(ok.targets[0]).toMatchObject({ undeclared: true, changeSet: true });
    expect(ok.config.reconcile.schedule).toBe(6 * 3_600_000);
    expect(ok.config.references.accounts['210987654321']?.roleArn).toBe('arn:aws:iam::210987654321:role/read');
    const bad = parseConfig({ references: { accounts: { prod: { roleArn: 'arn:aws:iam::210987654321:role/read' } } } });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems.map((p) => p.message).join(' ')).toContain('12-digit');
  });

  it('names a target after its directory when no name is given', () => {
    const result = parseConfig({ targets: [{ terraform: { dir: 'tf/network' } }] });
    expect(result.ok && result.targets[0]).toEqual({ kind: 'terraform', name: 'tf/network', dir: 'tf/network' });
  });

  it.each([
    [{ targets: [{ cloudformation: { stack: 's', template: 't', regio: 'us-east-1' } }] }, 'targets.0.cloudformation', 'unknown key "regio"'],
    [{ policy: { ai: 'lax' } }, 'policy.ai', 'must be one of "strict", "same"'],
    [{ policy: { unreadable: 'ignore' } }, 'policy.unreadable', 'must be one of "warn", "block"'],
    [{ policy: { maxDriftAge: 'soon' } }, 'policy.maxDriftAge', '"soon" is not a duration'],
    [{ reconcile: { mode: 'always' } }, 'reconcile.mode', 'must be one of "on-request", "auto", "off"'],
    [{ targets: [{ name: 'x' }] }, 'targets.0', 'exactly one of cloudformation or terraform'],
    [{ targets: [{ cloudformation: { stack: 's' } }] }, 'targets.0.cloudformation.template', 'must be a string'],
    [{ targets: [{ cloudformation: { stack: 's', template: 't', region: 'virginia' } }] }, 'targets.0.cloudformation.region', 'AWS region'],
    [{ targets: [{ cloudformation: { stack: 's', template: 't', roleArn: 'realitycheck' } }] }, 'targets.0.cloudformation.roleArn', 'IAM role ARN'],
    [{ targets: 'orders' }, 'targets', 'must be a list'],
    [{ ignore: [{ resource: 'Queue' }] }, 'ignore.0.reason', 'must be a string'],
    [{ ignore: [{ reason: 'autoscaled' }] }, 'ignore.0', 'at least one of resource, type or property'],
    [{ polcy: {} }, '', 'unknown key "polcy"'],
  ])('rejects %j at %s with a message that says what is allowed', (raw, key, message) => {
    const result = parseConfig(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const problem = result.problems.find((p) => p.key === key);
    expect(problem, JSON.stringify(result.problems)).toBeDefined();
    expect(problem!.message).toContain(message);
  });

  it.each([
    ['15m', 900_000],
    ['90s', 90_000],
    ['1h', 3_600_000],
    [30, 30_000],
    ['45', 45_000],
    ['2d', 172_800_000],
    ['later', undefined],
    [-1, undefined],
  ] as const)('reads the duration %j as %j ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });
});
