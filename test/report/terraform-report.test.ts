import { describe, expect, it } from 'vitest';
import { analyzeTarget } from '../../src/analyze/analyze-target.js';
import { judgeTargets } from '../../src/analyze/verdict.js';
import { loadHclGrammar } from '../../src/iac/terraform/load-hcl-grammar.js';
import { buildReport } from '../../src/report/build-report.js';
import {
  BASE,
  GROUP,
  MODULE_FILE,
  QUEUE,
  declared,
  diff,
  evidence,
  plan,
  queueTf,
  queueValues,
  stateLive,
  tfLive,
} from '../analyze/terraform/builders.js';
import { run } from './fixtures.js';

await loadHclGrammar();

const RAISES_RETENTION = { ...BASE, [MODULE_FILE]: queueTf({ retention: 1209600 }) };

function report(e: ReturnType<typeof evidence>) {
  const { results } = judgeTargets([analyzeTarget(e, [])], { unreadable: 'warn' });
  return buildReport(run(results));
}

describe('buildReport: a Terraform target', () => {
  it('names the plan run it read live state from and when, the address, the attribute and both values', () => {
    const { comment, check } = report(
      evidence({
        declared: declared(BASE, RAISES_RETENTION),
        ...plan(
          [{ address: QUEUE, actions: ['update'], before: queueValues(30, 345600), after: queueValues(120, 345600) }],
          [{ address: QUEUE, actions: ['update'], before: queueValues(120, 345600), after: queueValues(30, 1209600) }],
        ),
      }),
    );
    expect(comment).toContain('Live state from the Terraform plan (workflow run 4242 of terraform-plan.yml, artifact tfplan-app), read 2026-11-30 09:14 UTC.');
    expect(comment).toContain(`**revert** · \`${QUEUE}\` (\`aws_sqs_queue\`)`);
    expect(comment).toContain('| `visibility_timeout_seconds` | `30` | `30` | **`120`** |');
    expect(check.annotations).toEqual([
      expect.objectContaining({ path: MODULE_FILE, start_line: 2, end_line: 6, annotation_level: 'failure', title: `revert: ${QUEUE}` }),
    ]);
  });

  it('names the state file, Cloud Control and how many resources were compared, not checked or left out by the bound', () => {
    const { comment } = report(
      evidence({
        declared: declared(BASE, RAISES_RETENTION),
        live: stateLive([
          tfLive(QUEUE, 'IN_SYNC'),
          tfLive(GROUP, 'MODIFIED', [diff('ingress.0.cidr_blocks', ['10.0.0.0/16'], ['0.0.0.0/0'])]),
          tfLive('aws_sns_topic.alerts', 'NOT_CHECKED', [], { notCheckedReason: 'no Cloud Control mapping for aws_sns_topic' }),
          tfLive('aws_s3_bucket.logs', 'NOT_CHECKED', [], { notCheckedReason: 'left out: only 2 resources are read' }),
        ]),
        counts: { compared: 2, notChecked: 1, leftOut: 1, bound: 2 },
        origin: { state: { location: 's3://acme-tf-state/app/terraform.tfstate' } },
      }),
    );
    expect(comment).toContain(
      'Live state from the Terraform state and AWS Cloud Control (s3://acme-tf-state/app/terraform.tfstate; 2 compared, 1 not checked, 1 left out by the bound of 2), read 2026-11-30 09:14 UTC.',
    );
    expect(comment).toContain('| 1 | 1 | 0 | 1 | 0 |');
    expect(comment).toContain('Not checked (1): no Cloud Control mapping for their type, or their read failed');
    expect(comment).toContain('Left out (1)');
    expect(comment).toContain(`**drift-elsewhere** · \`${GROUP}\``);
  });
});
