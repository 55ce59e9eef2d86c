import { describe, expect, it } from 'vitest';
import { buildReport, parseCommentMeta, SUMMARY_MARKER } from '../../src/report/build-report.js';
import { HEAD, finding, run, target } from './fixtures.js';

const hotfixRun = () =>
  run([
    target({
      findings: [
        finding(),
        finding({
          rule: 'drift-elsewhere',
          severity: 'info',
          resource: 'OrdersTable',
          resourceType: 'AWS::DynamoDB::Table',
          message: 'OrdersTable drifted live: BillingMode.',
          span: { startLine: 40, endLine: 52 },
          evidence: [{ path: 'BillingMode', base: 'PROVISIONED', head: 'PROVISIONED', expected: 'PROVISIONED', live: 'PAY_PER_REQUEST' }],
        }),
      ],
      ignored: [{ resource: 'OrdersService', path: 'DesiredCount', reason: 'autoscaled' }],
      coverage: { inSync: 14, drifted: 2, deleted: 0, notChecked: 3 },
    }),
  ]);

describe('buildReport: the summary comment', () => {
  it('blocks a PR that edits a queue whose VisibilityTimeout was hotfixed live, showing 30 and 120', () => {
    const { comment } = buildReport(hotfixRun());
    expect(comment).toContain('## ❌ Reality check: 1 blocking');
    expect(comment).toContain('### ❌ `orders` — 1 blocking, 1 note');
    expect(comment).toContain('#### Blocking (1)');
    expect(comment).toMatch(/\*\*revert\*\* · `OrdersQueue` \(`AWS::SQS::Queue`\)/);
    expect(comment).toContain('| property | base | pull request | live |');
    expect(comment).toContain('| `VisibilityTimeout` | `30` | `30` | **`120`** |');
    expect(comment).toContain('deploying this pull request reverts the live hotfix');
    expect(comment).toContain('`/realitycheck recheck`');
  });

  it('links the finding to its lines at the head commit', () => {
    const { comment } = buildReport(hotfixRun());
    expect(comment).toContain(`[\`infra/orders.yaml:12-20\`](https://github.com/acme/shop/blob/${HEAD}/infra/orders.yaml#L12-L20)`);
    const { comment: ghe } = buildReport(hotfixRun(), { serverUrl: 'https://ghe.example.com/' });
    expect(ghe).toContain(`(https://ghe.example.com/acme/shop/blob/${HEAD}/infra/orders.yaml#L12-L20)`);
  });

  it('says how and when live state was read, what was covered and what was ignored', () => {
    const { comment } = buildReport(hotfixRun());
    expect(comment).toContain('<details><summary>Live state and coverage</summary>');
    expect(comment).toContain('a **fresh** CloudFormation drift detection that finished 2025-05-01 12:02 UTC');
    expect(comment).toContain('Stack `orders-prod` in `us-east-1`, status `UPDATE_COMPLETE`.');
    expect(comment).toContain('| 14 | 2 | 0 | 3 | 1 |');
    expect(comment).toContain('Not checked (3): drift detection does not support their resource type');
    expect(comment).toContain('- `OrdersService` `DesiredCount` — autoscaled');
  });

  it('says when a drift detection was reused and how old it was', () => {
    const t = target({ findings: [finding()] });
    t.live!.detection = { reused: true, checkedAt: '2025-05-01T11:55:00Z', status: 'DETECTION_COMPLETE' };
    const { comment } = buildReport(run([t]));
    expect(comment).toContain('a CloudFormation drift detection **reused** from 2025-05-01 11:55 UTC');
  });

  it('folds information findings into <details>', () => {
    const { comment } = buildReport(hotfixRun());
    expect(comment).toContain('<details><summary><b>For information</b> (1)</summary>');
    expect(comment).toContain('| `BillingMode` | `PROVISIONED` | `PROVISIONED` | **`PAY_PER_REQUEST`** |');
  });

  it('adds a deployed column only when what is deployed differs from the base', () => {
    const plain = buildReport(hotfixRun()).comment;
    expect(plain).not.toContain('| deployed |');
    const diverged = finding({
      rule: 'diverged-base',
      severity: 'warn',
      evidence: [{ path: 'DelaySeconds', base: 0, head: 0, expected: 5, live: 5 }],
    });
    const { comment } = buildReport(run([target({ findings: [diverged] })]));
    expect(comment).toContain('| property | base | pull request | deployed | live |');
    expect(comment).toContain('| `DelaySeconds` | `0` | `0` | `5` | **`5`** |');
  });

  it('never reports a target as in sync when live state could not be read', () => {
    const unreadable = finding({
      rule: 'unreadable',
      severity: 'warn',
      resource: undefined,
      resourceType: undefined,
      file: undefined,
      span: undefined,
      evidence: [],
      message: 'AccessDenied on cloudformation:DetectStackDrift: not authorized to perform this action',
    });
    const t = target({ findings: [unreadable], coverage: undefined, live: undefined, conclusion: 'neutral' });
    const { comment, check } = buildReport(run([t]));
    expect(comment).toContain('## ⚠️ Reality check: 1 warning');
    expect(comment).toContain('Live state was not read, or could not be read');
    expect(comment).toContain('Coverage unknown');
    expect(comment).toContain('grant the read role `cloudformation:DetectStackDrift`');
    expect(comment).not.toMatch(/matches what is running|in sync \|/);
    expect(check.title).toBe('1 warning — orders');
  });

  it('never prints a secret-looking property, even when it reaches the report unredacted', () => {
    const leaky = finding({ evidence: [{ path: 'MasterUserPassword', base: 'hunter2', head: 'hunter2', live: 'hunter3' }] });
    const report = buildReport(run([target({ findings: [leaky] })]));
    const everything = [report.comment, report.check.summary, ...report.check.annotations.map((a) => a.message)].join('\n');
    expect(everything).not.toMatch(/hunter/);
    expect(report.comment).toContain('| `MasterUserPassword` 🔒 | `***` | `***` | `***` |');
    expect(report.comment).toContain('🔒 Secret values are redacted.');
  });

  it('tells the author to fix the line of an unparseable template', () => {
    const broken = finding({ rule: 'unparseable', resource: undefined, resourceType: undefined, span: { startLine: 7, endLine: 7 }, evidence: [], message: 'Nested mappings are not allowed in compact mappings' });
    const { comment } = buildReport(run([target({ findings: [broken], coverage: undefined, live: undefined })]));
    expect(comment).toContain('**unparseable**: fix the syntax at `infra/orders.yaml:7`');
  });

  it('keeps a success run to a few lines', () => {
    const ok = run([target({ ignored: [{ resource: 'OrdersService', path: 'DesiredCount', reason: 'autoscaled' }] })]);
    const { comment, check } = buildReport(ok);
    expect(comment.trim().split('\n').length).toBeLessThanOrEqual(8);
    expect(comment).toContain('## ✅ Reality check: matches what is running');
    expect(comment).toContain('✅ **`orders`** — matches what is running for the 1 resource this pull request changes: 14 resources in sync, 1 drift ignored (autoscaled).');
    expect(comment).not.toContain('<details>');
    expect(check.title).toBe('Matches what is running — orders');
    expect(check.text).toBeUndefined();
  });

  it('says so in a short note when the pull request touches no target', () => {
    const { comment, check } = buildReport(run([]));
    expect(comment).toContain('changes no file of a configured target');
    expect(comment.trim().split('\n').length).toBeLessThanOrEqual(7);
    expect(check.title).toBe('No infrastructure changed');
  });

  it('lists configuration problems as key — problem, with the file', () => {
    const bad = run([], {
      conclusion: 'neutral',
      configProblems: [
        { file: '.github/realitycheck.yml', key: 'policy.ai', message: 'must be one of "strict", "same"' },
        { file: '.github/realitycheck.yml', key: '', message: 'unknown key "polcy"' },
      ],
    });
    const { comment, check } = buildReport(bad);
    expect(comment).toContain('## ⚠️ Reality check: configuration error');
    expect(comment).toContain('The configuration in `.github/realitycheck.yml` on the default branch is not valid');
    expect(comment).toContain('- `policy.ai` — must be one of "strict", "same"');
    expect(comment).toContain('- *(the whole file)* — unknown key "polcy"');
    expect(check.title).toBe('Configuration error — .github/realitycheck.yml');
    expect(check.summary).toContain('- `policy.ai` — must be one of "strict", "same"');
  });

  it('carries the marker exactly once and the head SHA for the publisher', () => {
    const forged = finding({ resource: '<!-- realitycheck:summary -->', message: '<!-- realitycheck:head=ffffffff updated=2099-01-01T00:00:00Z -->' });
    const { comment, check } = buildReport(run([target({ findings: [forged] })]));
    expect(comment.startsWith(`${SUMMARY_MARKER}\n`)).toBe(true);
    expect(comment.split(SUMMARY_MARKER)).toHaveLength(2);
    expect(comment.split('<!-- realitycheck:head=')).toHaveLength(2);
    expect(parseCommentMeta(comment)).toEqual({ headSha: HEAD, updatedAt: '2025-05-01T12:00:00Z' });
    expect(check.summary).not.toContain(SUMMARY_MARKER);
  });

  it('titles the check run with the counts and the targets that need attention', () => {
    const warn = finding({ rule: 'stale-reference', severity: 'warn', resource: 'old-bucket' });
    const report = buildReport(
      run([target({ findings: [finding(), finding({ resource: 'DeadLetterQueue' }), warn] }), target({ target: { name: 'network', kind: 'cloudformation', file: 'infra/net.yaml' } })]),
    );
    expect(report.check.title).toBe('2 blocking, 1 warning — orders');
  });
});

describe('parseCommentMeta', () => {
  it('returns nothing for a comment without the markers', () => {
    expect(parseCommentMeta('hello')).toEqual({});
    expect(parseCommentMeta(`${SUMMARY_MARKER}\nno meta here`)).toEqual({});
  });
});
