// What a reconcile writes back into a CloudFormation template, and what it leaves to a person.
import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../src/iac/cloudformation/parse-template.js';
import { applyPlan } from '../../src/reconcile/apply-plan.js';
import { computeCloudFormationPlan } from '../../src/reconcile/compute-cloudformation-plan.js';
import { EDITORS } from '../../src/reconcile/editors.js';
import { parseMarker, planDigest, predictNotClean, reconcileBranch, renderBody, renderCommitMessage } from '../../src/reconcile/render-reconcile-pr.js';
import type { LiveResource, LiveState, PropertyDifference } from '../../src/types.js';

const TEMPLATE = `Parameters:
  DbPassword:
    Type: String
    NoEcho: true
  QueueTimeout:
    Type: Number
Resources:
  OrdersQueue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: !Ref QueueTimeout
      DelaySeconds: 0
  OrdersDb:
    Type: AWS::RDS::DBInstance
    Properties:
      MasterUserPassword: !Ref DbPassword
      AllocatedStorage: '20'
      DBInstanceClass: db.t4g.micro
  OrdersTopic:
    Type: AWS::SNS::Topic
  OrdersFunction:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          API_TOKEN: tok_live_8f3a9c2e7d
          LOG_LEVEL: info
`;

const template = () => {
  const parsed = parseTemplate('infra/orders.yaml', TEMPLATE);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.template;
};
const d = (path: string, expected: unknown, actual: unknown, kind: PropertyDifference['kind'] = 'NOT_EQUAL'): PropertyDifference => ({ path, expected, actual, kind });
const resource = (logicalId: string, status: LiveResource['status'], differences: PropertyDifference[] = []): LiveResource => ({ logicalId, type: 'AWS::X::Y', status, differences, normalizedAway: 0 });
const state = (resources: LiveResource[]): LiveState => ({
  target: 'orders',
  source: 'cloudformation',
  readAt: '2026-11-28T10:00:00Z',
  drift: { reused: true, checkedAt: '2026-11-28T09:59:00Z', status: 'DETECTION_COMPLETE', resources },
  unreadable: [],
  calls: 4,
});
const plan = (resources: LiveResource[]) => computeCloudFormationPlan({ target: 'orders', template: template(), live: state(resources), ignore: [] });
const reasons = (resources: LiveResource[]) => plan(resources).followUps.map((f) => `${f.resource} ${f.path ?? '-'} ${f.reason}`);

describe('what is written back and what is left to a person', () => {
  it.each<[string, LiveResource[], string[]]>([
    ['a value set by an intrinsic (!Ref a parameter)', [resource('OrdersQueue', 'MODIFIED', [d('VisibilityTimeout', 30, 120)])], ['OrdersQueue VisibilityTimeout expression']],
    ['a NoEcho password', [resource('OrdersDb', 'MODIFIED', [d('MasterUserPassword', 'old', 'new-secret')])], ['OrdersDb MasterUserPassword secret']],
    ['a secret-looking name', [resource('OrdersFunction', 'MODIFIED', [d('Environment.Variables.API_TOKEN', 'a', 'tok_rotated')])], ['OrdersFunction Environment.Variables.API_TOKEN secret']],
    ['a resource deleted live', [resource('OrdersTopic', 'DELETED')], ['OrdersTopic - deleted']],
    ['a property removed live', [resource('OrdersQueue', 'MODIFIED', [d('DelaySeconds', 0, undefined, 'REMOVE')])], ['OrdersQueue DelaySeconds removed']],
    ['a literal: written back, nothing left', [resource('OrdersDb', 'MODIFIED', [d('DBInstanceClass', 'db.t4g.micro', 'db.t4g.large')])], []],
  ])('%s', (_name, resources, expected) => {
    expect(reasons(resources)).toEqual(expected);
  });

  it('never carries a secret: not in the edits, the follow-ups, the body or the commit message', () => {
    const p = plan([resource('OrdersDb', 'MODIFIED', [d('MasterUserPassword', 'old', 'new-secret')]), resource('OrdersFunction', 'MODIFIED', [d('Environment.Variables.API_TOKEN', 'a', 'tok_rotated')])]);
    const body = renderBody(p, { digest: planDigest(p) });
    const all = JSON.stringify([p, body, renderCommitMessage(p)]);
    expect(all).not.toContain('new-secret');
    expect(all).not.toContain('tok_rotated');
    expect(all).not.toContain('tok_live_8f3a9c2e7d');
    expect(p.files).toEqual([]);
    expect(body).toContain('🔒 Secret values are redacted');
  });

  it('keeps the type the template writes: text stays text, numbers become numbers', () => {
    const p = plan([resource('OrdersDb', 'MODIFIED', [d('AllocatedStorage', '20', '50')]), resource('OrdersQueue', 'MODIFIED', [d('DelaySeconds', '0', '5')])]);
    expect(p.files[0]!.edits.map((e) => e.op)).toEqual([{ kind: 'set', value: '50' }, { kind: 'set', value: 5 }]);
    const applied = applyPlan(p, new Map([['infra/orders.yaml', TEMPLATE]]), EDITORS);
    expect(applied.changed[0]!.text).toContain("AllocatedStorage: '50'");
    expect(applied.changed[0]!.text).toContain('DelaySeconds: 5');
  });

  it('writes nothing the default branch already says (a merged reconcile not yet deployed)', () => {
    expect(plan([resource('OrdersDb', 'MODIFIED', [d('DBInstanceClass', 'db.t4g.large', 'db.t4g.micro')])]).files).toEqual([]);
  });

  it('leaves drift an ignore rule expects', () => {
    const p = computeCloudFormationPlan({ target: 'orders', template: template(), live: state([resource('OrdersDb', 'MODIFIED', [d('DBInstanceClass', 'a', 'db.t4g.large')])]), ignore: [{ resource: 'OrdersDb', property: 'DBInstanceClass', reason: 'scaled by hand' }] });
    expect(p.files).toEqual([]);
    expect(p.evidence).toEqual([]);
  });
});

describe('the pull request body', () => {
  it('carries a marker with the target and a digest that does not change with the time of the read', () => {
    const drift = [resource('OrdersDb', 'MODIFIED', [d('DBInstanceClass', 'db.t4g.micro', 'db.t4g.large')])];
    const a = plan(drift);
    const b = computeCloudFormationPlan({ target: 'orders', template: template(), live: { ...state(drift), readAt: '2026-11-29T10:00:00Z' }, ignore: [] });
    expect(planDigest(a)).toBe(planDigest(b));
    expect(parseMarker(renderBody(a, { digest: planDigest(a) }))).toEqual({ target: 'orders', digest: planDigest(a) });
    expect(planDigest(plan([resource('OrdersDb', 'MODIFIED', [d('DBInstanceClass', 'db.t4g.micro', 'db.t4g.xlarge')])]))).not.toBe(planDigest(a));
  });

  it('shows live values from the cloud as code, so they cannot mention people or break the table', () => {
    const p = plan([resource('OrdersDb', 'MODIFIED', [d('DBInstanceClass', 'x', '@octocat | <b>big</b> <!-- realitycheck:reconcile')])]);
    const body = renderBody(p, { digest: planDigest(p) });
    expect(body).toContain('`@octocat \\| <b>big</b> <!\u200b-- realitycheck:reconcile`');
    expect(body.match(/<!-- realitycheck:reconcile/g)).toHaveLength(1);
  });

  it("says when the pull request's own check will not be clean: a live change left to a person on a resource it edits", () => {
    const mixed = plan([resource('OrdersQueue', 'MODIFIED', [d('VisibilityTimeout', 30, 120), d('DelaySeconds', 0, 5)])]);
    const body = renderBody(mixed, { digest: planDigest(mixed), ...(predictNotClean(mixed) ? { notClean: predictNotClean(mixed)! } : {}) });
    expect(body).toContain('will not be clean for orders');
    expect(body).toContain('VisibilityTimeout of OrdersQueue');
    const clean = plan([resource('OrdersQueue', 'MODIFIED', [d('DelaySeconds', 0, 5)])]);
    expect(predictNotClean(clean)).toBeUndefined();
  });

  it('stays within GitHub\'s 65,536 characters however many rows there are', () => {
    const many = Array.from({ length: 3000 }, (_, i) => d(`Environment.Variables.VAR_${i}`, 'a', 'x'.repeat(100)));
    const p = plan([resource('OrdersFunction', 'MODIFIED', many)]);
    const body = renderBody(p, { digest: planDigest(p) });
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(/…and [\d,]+ more\./);
    expect(parseMarker(body)).toBeDefined();
  });

  it.each([
    ['orders', 'realitycheck/reconcile/orders'],
    ['orders prod..eu', 'realitycheck/reconcile/orders-prod.eu'],
    ['../main', 'realitycheck/reconcile/main'],
  ])('names the branch of %s %s', (name, branch) => {
    expect(reconcileBranch(name)).toBe(branch);
  });
});
