import { describe, expect, it } from 'vitest';
import { analyzeTarget } from '../../../src/analyze/analyze-target.js';
import type { TerraformEvidence } from '../../../src/analyze/terraform/analyze-terraform-target.js';
import { judgeTargets } from '../../../src/analyze/verdict.js';
import type { IgnoreRule } from '../../../src/config-types.js';
import { loadHclGrammar } from '../../../src/iac/terraform/load-hcl-grammar.js';
import type { Conclusion } from '../../../src/types.js';
import {
  BASE,
  GROUP,
  MODULE_FILE,
  QUEUE,
  READ_AT,
  ROOT_FILE,
  ROOT_TF,
  declared,
  diff,
  evidence,
  groupValues,
  plan,
  queueTf,
  queueValues,
  stateLive,
  tfLive,
} from './builders.js';

// the secret table below builds its roots while tests are collected
await loadHclGrammar();

type Evidence = TerraformEvidence & { kind: 'terraform' };

/** The pull request raises the queue's retention (in the module's own file). */
const RAISES_RETENTION = { ...BASE, [MODULE_FILE]: queueTf({ retention: 1209600 }) };

/** Source A: the issue's scenario. The plan writes visibility back (120 -> 30) and raises retention. */
function hotfixedQueuePlan(): Evidence {
  return evidence({
    declared: declared(BASE, RAISES_RETENTION),
    ...plan(
      [{ address: QUEUE, actions: ['update'], before: queueValues(30, 345600), after: queueValues(120, 345600) }],
      [
        { address: QUEUE, actions: ['update'], before: queueValues(120, 345600), after: queueValues(30, 1209600) },
        { address: GROUP, actions: ['no-op'], before: groupValues(['10.0.0.0/16']), after: groupValues(['10.0.0.0/16']) },
      ],
    ),
  });
}

/** Source A: the pull request edits the queue; a security group elsewhere was opened live. */
function groupOpenedElsewhere(): Evidence {
  return evidence({
    declared: declared(BASE, RAISES_RETENTION),
    ...plan(
      [{ address: GROUP, actions: ['update'], before: groupValues(['10.0.0.0/16']), after: groupValues(['10.0.0.0/16', '0.0.0.0/0']) }],
      [
        { address: QUEUE, actions: ['update'], before: queueValues(30, 345600), after: queueValues(30, 1209600) },
        { address: GROUP, actions: ['update'], before: groupValues(['10.0.0.0/16', '0.0.0.0/0']), after: groupValues(['10.0.0.0/16']) },
      ],
    ),
  });
}

/** Source A: the queue's visibility changed live 30 -> 120, and the pull request sets it to `visibility`. */
function visibilityPlan(visibility: number): Evidence {
  return evidence({
    declared: declared(BASE, { ...BASE, [MODULE_FILE]: queueTf({ visibility }) }),
    ...plan(
      [{ address: QUEUE, actions: ['update'], before: queueValues(30, 345600), after: queueValues(120, 345600) }],
      [{ address: QUEUE, actions: [visibility === 120 ? 'no-op' : 'update'], before: queueValues(120, 345600), after: queueValues(visibility, 345600) }],
    ),
  });
}

/** Source B: the state and Cloud Control, the queue's visibility changed live 30 -> 120. */
function stateSourced(head: typeof BASE, queue = tfLive(QUEUE, 'MODIFIED', [diff('visibility_timeout_seconds', 30, 120)]), extra: Partial<TerraformEvidence> = {}): Evidence {
  return evidence({
    declared: declared(BASE, head),
    live: stateLive([queue, tfLive(GROUP, 'IN_SYNC')]),
    counts: { compared: 2, notChecked: 0, leftOut: 0, bound: 100 },
    origin: { state: { location: 's3://acme-tf-state/app/terraform.tfstate' } },
    ...extra,
  });
}

function analyzed(e: Evidence, options: { ignore?: IgnoreRule[]; unreadable?: 'warn' | 'block'; aiStrict?: boolean } = {}) {
  const analysis = analyzeTarget(e, options.ignore ?? []);
  const verdict = judgeTargets([analysis], { unreadable: options.unreadable ?? 'warn', aiStrict: options.aiStrict ?? false });
  return { analysis, result: verdict.results[0]!, conclusion: verdict.conclusion };
}

const brief = (e: Evidence, options?: Parameters<typeof analyzed>[1]) =>
  analyzed(e, options).result.findings.map((f) => `${f.severity} ${f.rule}${f.resource ? ` ${f.resource}` : ''}`);

describe('Terraform verdicts: conflict, revert, deleted and drift elsewhere on addresses', () => {
  it('blocks a PR that raises the retention of a queue in a local module whose visibility timeout was changed live 30 -> 120', () => {
    const { result, conclusion } = analyzed(hotfixedQueuePlan());
    expect(conclusion).toBe('failure');
    expect(result.findings).toHaveLength(1);
    const [finding] = result.findings;
    expect(finding).toMatchObject({
      rule: 'revert',
      severity: 'block',
      resource: QUEUE,
      resourceType: 'aws_sqs_queue',
      // annotated on the queue's block in the module's own file (line 1 is a comment)
      file: MODULE_FILE,
      span: { startLine: 2, endLine: 6 },
      liveReadAt: READ_AT,
    });
    expect(finding!.message).toBe(`Applying this change to ${QUEUE} reverts live changes to visibility_timeout_seconds (code 30, live 120).`);
    expect(finding!.evidence).toEqual([{ path: 'visibility_timeout_seconds', base: 30, head: 30, expected: 30, live: 120 }]);
    expect(result.changes).toEqual([{ logicalId: QUEUE, type: 'aws_sqs_queue', action: 'change', changedProperties: ['message_retention_seconds'], changedAttributes: [] }]);
  });

  it.each<[string, () => Evidence, Parameters<typeof analyzed>[1], string[], Conclusion]>([
    ['a security group opened live elsewhere in the root is a warning, not success nor failure', groupOpenedElsewhere, {}, [`warn drift-elsewhere ${GROUP}`], 'neutral'],
    ['the same drift elsewhere blocks an AI-authored PR under policy.ai: strict', groupOpenedElsewhere, { aiStrict: true }, [`block drift-elsewhere ${GROUP}`], 'failure'],
    [
      'an ignore rule on the drifted group is counted, not reported',
      () => groupOpenedElsewhere(),
      { ignore: [{ resource: 'aws_security_group.*', property: 'ingress', reason: 'opened by the on-call runbook' }] },
      [],
      'success',
    ],
    [
      'an ignore rule written for a resource address covers its instances (`[0]`, `["b.c"]`)',
      () =>
        evidence({
          declared: declared(BASE, RAISES_RETENTION),
          live: stateLive([
            tfLive(QUEUE, 'IN_SYNC'),
            tfLive(`${GROUP}[0]`, 'MODIFIED', [diff('ingress.0.cidr_blocks', ['10.0.0.0/16'], ['0.0.0.0/0'])]),
            tfLive(`${GROUP}["b.c"]`, 'MODIFIED', [diff('ingress.0.cidr_blocks', ['10.0.0.0/16'], ['0.0.0.0/0'])]),
          ]),
        }),
      { ignore: [{ resource: GROUP, property: 'ingress', reason: 'opened by the on-call runbook' }] },
      [],
      'success',
    ],
    ['a PR that sets the live value adopts it: no conflict (plan)', () => visibilityPlan(120), {}, [], 'success'],
    ['a PR that sets another value than live conflicts (plan)', () => visibilityPlan(60), {}, [`block conflict ${QUEUE}`], 'failure'],
    [
      'a PR that sets the live value adopts it: no conflict (state source)',
      () => stateSourced({ ...BASE, [MODULE_FILE]: queueTf({ visibility: 120 }) }),
      {},
      [],
      'success',
    ],
    [
      'a PR that sets another value than live conflicts (state source)',
      () => stateSourced({ ...BASE, [MODULE_FILE]: queueTf({ visibility: 60 }) }),
      {},
      [`block conflict ${QUEUE}`],
      'failure',
    ],
    [
      'a PR that edits another attribute reverts the live change (state source)',
      () => stateSourced(RAISES_RETENTION),
      {},
      [`block revert ${QUEUE}`],
      'failure',
    ],
    [
      'drift on an attribute the code lists in lifecycle ignore_changes is left alone, as apply leaves it (state source)',
      () =>
        stateSourced({
          ...BASE,
          [MODULE_FILE]: queueTf({ retention: 1209600 }).replace(/\n}\n$/, '\n\n  lifecycle {\n    ignore_changes = [visibility_timeout_seconds]\n  }\n}\n'),
        }),
      {},
      [],
      'success',
    ],
    [
      'a PR that changes a queue deleted live is blocked',
      () => stateSourced(RAISES_RETENTION, tfLive(QUEUE, 'DELETED')),
      {},
      [`block deleted ${QUEUE}`],
      'failure',
    ],
    [
      'a touched resource the live source did not check is not success',
      () => stateSourced(RAISES_RETENTION, tfLive(QUEUE, 'NOT_CHECKED', [], { notCheckedReason: 'no Cloud Control mapping for aws_sqs_queue' })),
      {},
      [`warn unreadable ${QUEUE}`],
      'neutral',
    ],
    [
      'the same under policy.unreadable: block fails',
      () => stateSourced(RAISES_RETENTION, tfLive(QUEUE, 'NOT_CHECKED', [], { notCheckedReason: 'no Cloud Control mapping for aws_sqs_queue' })),
      { unreadable: 'block' },
      [`block unreadable ${QUEUE}`],
      'failure',
    ],
    [
      'resources left out by the Cloud Control bound are said once and keep it from success',
      () => stateSourced(RAISES_RETENTION, tfLive(QUEUE, 'IN_SYNC'), { counts: { compared: 2, notChecked: 0, leftOut: 3, bound: 2 } }),
      {},
      ['warn unreadable'],
      'neutral',
    ],
  ])('%s', (_name, build, options, expected, conclusion) => {
    expect(brief(build(), options)).toEqual(expected);
    expect(analyzed(build(), options).conclusion).toBe(conclusion);
  });

  it('names the security group, its attribute and both values in the drift-elsewhere warning', () => {
    const [finding] = analyzed(groupOpenedElsewhere()).result.findings;
    expect(finding!.message).toBe(
      `${GROUP} was changed live outside this PR: ingress.0.cidr_blocks (code ["10.0.0.0/16"], live ["10.0.0.0/16","0.0.0.0/0"]). terraform apply writes the code values back over them.`,
    );
    expect(finding).toMatchObject({ file: ROOT_FILE, span: { startLine: 5, endLine: 14 } });
  });

  it('counts the drift an ignore rule sets aside, with its reason', () => {
    const { result } = analyzed(groupOpenedElsewhere(), { ignore: [{ resource: GROUP, property: 'ingress', reason: 'opened by the on-call runbook' }] });
    expect(result.ignored).toEqual([{ resource: GROUP, path: 'ingress.0.cidr_blocks', reason: 'opened by the on-call runbook' }]);
    expect(result.coverage).toEqual({ inSync: 2, drifted: 0, deleted: 0, notChecked: 0 });
  });

  it('never lets an ignore rule hide a conflict', () => {
    const e = stateSourced({ ...BASE, [MODULE_FILE]: queueTf({ visibility: 60 }) });
    const { result } = analyzed(e, { ignore: [{ resource: 'module.queues.**', reason: 'tuned live' }] });
    expect(result.findings.map((f) => f.rule)).toEqual(['conflict']);
    expect(result.findings[0]!.message).toContain('The ignore rule for it ("tuned live") does not apply');
    expect(result.findings[0]).toMatchObject({ file: MODULE_FILE, span: { startLine: 4, endLine: 4 } });
    expect(result.findings[0]!.evidence).toEqual([{ path: 'visibility_timeout_seconds', base: 30, head: 60, expected: 30, live: 120 }]);
  });

  it('ties a variable default the PR changes to the attributes that use it: a drifted other attribute is a revert, not a conflict', () => {
    const withVariable = (retention: number) => ({
      [ROOT_FILE]: `${ROOT_TF}\nvariable "retention" {\n  default = ${retention}\n}\n`.replace('source = "../modules/queues"', 'source = "../modules/queues"\n  retention = var.retention'),
      [MODULE_FILE]: `variable "retention" {}\n\n${queueTf({ retention: 'var.retention' })}`,
    });
    const e = evidence({
      declared: declared(withVariable(345600), withVariable(1209600)),
      live: stateLive([tfLive(QUEUE, 'MODIFIED', [diff('visibility_timeout_seconds', 30, 120)])]),
    });
    const { result } = analyzed(e);
    expect(result.changes[0]).toMatchObject({ logicalId: QUEUE, changedProperties: ['message_retention_seconds'] });
    expect(result.findings.map((f) => `${f.rule} ${f.resource}`)).toEqual([`revert ${QUEUE}`]);
  });

  it('matches live instances (count, for_each keys) to the block the PR changes', () => {
    const e = stateSourced(RAISES_RETENTION, tfLive(`${QUEUE}[1]`, 'MODIFIED', [diff('visibility_timeout_seconds', 30, 120)]));
    const [finding] = analyzed(e).result.findings;
    expect(finding).toMatchObject({ rule: 'revert', resource: `${QUEUE}[1]`, file: MODULE_FILE, span: { startLine: 2, endLine: 6 } });
  });
});

describe('Terraform verdicts: what could not be parsed or read', () => {
  const MISSING_BRACE = queueTf({ retention: 1209600 }).replace('"jobs" {', '"jobs"');
  const planFailed = stateLive([], {
    source: 'terraform-plan',
    unreadable: [{ api: 'actions:workflow_run', code: 'PlanFailed', message: 'workflow run 4242 of terraform-plan.yml ended failure and left no artifact tfplan-app', retryable: false }],
  });
  delete planFailed.drift;

  it('fails a .tf file with a missing `{` with an annotation near the line, also when the plan workflow failed because of it', () => {
    const e = evidence({ declared: declared(BASE, { ...BASE, [MODULE_FILE]: MISSING_BRACE }), live: planFailed });
    const { result, conclusion } = analyzed(e);
    expect(conclusion).toBe('failure');
    const unparseable = result.findings.find((f) => f.rule === 'unparseable');
    expect(unparseable).toMatchObject({ severity: 'block', file: MODULE_FILE });
    // the header is on line 2 of the module file
    expect(Math.abs(unparseable!.span!.startLine - 2)).toBeLessThanOrEqual(3);
    expect(result.findings.map((f) => `${f.severity} ${f.rule}`)).toEqual(['block unparseable', 'warn unreadable']);
  });

  it('warns on a file that does not parse on the base branch only', () => {
    const e = evidence({ declared: declared({ ...BASE, [MODULE_FILE]: MISSING_BRACE }, RAISES_RETENTION), live: stateLive([tfLive(QUEUE, 'IN_SYNC')]) });
    expect(brief(e)).toEqual(['warn unparseable']);
  });

  it('reports a failed plan workflow as unreadable, naming the run, never as in sync', () => {
    const e = evidence({ declared: declared(BASE, RAISES_RETENTION), live: planFailed });
    const { result, conclusion } = analyzed(e);
    expect(conclusion).toBe('neutral');
    expect(result.coverage).toBeUndefined();
    expect(result.findings.map((f) => f.message)).toEqual([
      'Could not read live state: actions:workflow_run failed with PlanFailed: workflow run 4242 of terraform-plan.yml ended failure and left no artifact tfplan-app.',
    ]);
    expect(analyzed(e, { unreadable: 'block' }).conclusion).toBe('failure');
  });

  it('reports a local module that could not be followed as unreadable, naming its directory', () => {
    const head = { [ROOT_FILE]: ROOT_TF.replace('../modules/queues', '../modules/gone') };
    const e = evidence({ declared: declared(BASE, head), live: stateLive([tfLive(GROUP, 'IN_SYNC')]) });
    const { result, conclusion } = analyzed(e);
    expect(conclusion).toBe('neutral');
    expect(result.findings.find((f) => f.rule === 'unreadable')!.message).toContain('infra/modules/gone');
  });
});

describe('Terraform verdicts never show a secret', () => {
  const SECRETS = ['hunter2-default-secret', 'rotated-default-secret', 'literal-db-passw0rd', 'tag-token-abc123'];
  const rootWith = (defaultValue: string) => `${ROOT_TF}
variable "db_password" {
  type      = string
  sensitive = true
  default   = "${defaultValue}"
}

resource "aws_ssm_parameter" "conn" {
  name        = "/prod/db/conn"
  type        = "SecureString"
  value       = var.db_password
  description = "${defaultValue}"
}

resource "aws_ssm_parameter" "db" {
  name  = "/prod/db/password"
  type  = "SecureString"
  value = "literal-db-passw0rd"
  tags  = { Token = "tag-token-abc123", Team = "data" }
}
`;

  it.each<[string, Evidence]>([
    [
      "a sensitive variable's default, used by a resource and copied into another attribute, as a live source may hand it over",
      evidence({
        declared: declared({ [ROOT_FILE]: rootWith(SECRETS[0]!) }, { [ROOT_FILE]: rootWith(SECRETS[1]!) }),
        live: stateLive([tfLive('aws_ssm_parameter.conn', 'MODIFIED', [diff('value', SECRETS[0], 'changed-live'), diff('description', SECRETS[0], 'hotfix')])]),
      }),
    ],
    [
      'a literal value of a parameter named like a password, and a tag named like a token, drifted elsewhere',
      evidence({
        declared: declared({ [ROOT_FILE]: rootWith(SECRETS[0]!) }, { [ROOT_FILE]: rootWith(SECRETS[0]!).replace('"workers"', '"workers-2"') }),
        live: stateLive([tfLive('aws_ssm_parameter.db', 'MODIFIED', [diff('value', SECRETS[2], 'x-live-value'), diff('tags.Token', SECRETS[3], 'live-token-zz')])]),
      }),
    ],
  ])('%s', (_name, e) => {
    const { result } = analyzed(e);
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.findings.some((f) => f.evidence.some((row) => row.redacted))).toBe(true);
    const text = JSON.stringify(result);
    for (const secret of [...SECRETS, 'live-token-zz', 'x-live-value']) expect(text).not.toContain(secret);
  });
});
