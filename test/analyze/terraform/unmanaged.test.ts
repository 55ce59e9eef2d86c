import { describe, expect, it } from 'vitest';
import { analyzeTarget } from '../../../src/analyze/analyze-target.js';
import type { TerraformEvidence } from '../../../src/analyze/terraform/analyze-terraform-target.js';
import { judgeTargets } from '../../../src/analyze/verdict.js';
import { loadHclGrammar } from '../../../src/iac/terraform/load-hcl-grammar.js';
import { computeCreatedNames } from '../../../src/live/terraform-state/compute-created-names.js';
import type { Conclusion } from '../../../src/types.js';
import { BASE, GROUP, QUEUE, ROOT_FILE, ROOT_TF, declared, evidence, stateLive, tfLive } from './builders.js';

await loadHclGrammar();

const ASSETS = 'aws_s3_bucket.assets';
const ASSETS_TF = `
resource "aws_s3_bucket" "assets" {
  bucket = "acme-assets"
}
`;
const HEAD = { ...BASE, [ROOT_FILE]: ROOT_TF + ASSETS_TF };
const found = { address: ASSETS, type: 'aws_s3_bucket', attribute: 'bucket', name: 'acme-assets', identifier: 'acme-assets' };
const denied = { api: 'cloudcontrol:GetResource', code: 'AccessDeniedException', message: `AccessDenied on cloudcontrol:GetResource for AWS::S3::Bucket, so whether the name "acme-assets" of ${ASSETS} already exists outside this state is unknown`, retryable: false };

function withLookup(unmanaged: TerraformEvidence['unmanaged'], others = [tfLive(QUEUE, 'IN_SYNC'), tfLive(GROUP, 'IN_SYNC')]) {
  return evidence({
    declared: declared(BASE, HEAD),
    live: stateLive(others),
    counts: { compared: 2, notChecked: 0, leftOut: 0, bound: 100 },
    ...(unmanaged ? { unmanaged } : {}),
  });
}

function run(e: TerraformEvidence & { kind: 'terraform' }) {
  const analysis = analyzeTarget(e, []);
  return judgeTargets([analysis], { unreadable: 'warn', aiStrict: false }).results[0]!;
}

describe('unmanaged: a pull request that creates a name already taken live', () => {
  it.each<[string, TerraformEvidence['unmanaged'], string | undefined, Conclusion]>([
    ['blocks a bucket Cloud Control found by its name', { found: [found], unreadable: [] }, 'unmanaged', 'failure'],
    ['passes a bucket Cloud Control did not find', { found: [], unreadable: [] }, undefined, 'success'],
    ['says a lookup denied is not checked, never free', { found: [], unreadable: [denied] }, 'unreadable', 'neutral'],
    // fail closed: an unchecked name is never an all clear; policy.unreadable decides (warn here)
    ['says that names were not checked for a target without AWS access, and does not pass it', { found: [], unreadable: [], skipped: 'not checked for existing names: no AWS access' }, 'unreadable', 'neutral'],
  ])('%s', (_name, unmanaged, rule, conclusion) => {
    const result = run(withLookup(unmanaged));
    expect(result.conclusion, JSON.stringify(result.findings)).toBe(conclusion);
    const mine = result.findings.filter((f) => f.rule === 'unmanaged' || f.rule === 'unreadable');
    expect(mine.map((f) => f.rule)).toEqual(rule ? [rule] : []);
  });

  it('names the address and the name on the bucket line, and says to import it or pick another name', () => {
    const finding = run(withLookup({ found: [found], unreadable: [] })).findings.find((f) => f.rule === 'unmanaged')!;
    expect(finding.severity).toBe('block');
    expect(finding.message).toContain(ASSETS);
    expect(finding.message).toContain('"acme-assets"');
    expect(finding.message).toMatch(/outside this Terraform state/);
    expect(finding.message).toMatch(/Import it, or pick another name/);
    expect(finding.file).toBe(ROOT_FILE);
    const line = HEAD[ROOT_FILE]!.split('\n').findIndex((l) => l.includes('bucket = "acme-assets"')) + 1;
    expect(finding.span).toEqual({ startLine: line, endLine: line });
  });

  it('does not call a name unmanaged when another address of this same state holds it', () => {
    const old = tfLive('aws_s3_bucket.old_assets', 'IN_SYNC', [], { physicalId: 'acme-assets' });
    const result = run(withLookup({ found: [found], unreadable: [] }, [tfLive(QUEUE, 'IN_SYNC'), tfLive(GROUP, 'IN_SYNC'), old]));
    expect(result.findings.filter((f) => f.rule === 'unmanaged')).toEqual([]);
  });
});

describe('which created names are looked up', () => {
  const changes = declared(BASE, HEAD).changes.changes;
  it.each<[string, Parameters<typeof computeCreatedNames>[0], string[]]>([
    ['a bucket the head adds with a literal name', { changes, known: new Set() }, ['aws_s3_bucket.assets=acme-assets']],
    ['not one the state already holds', { changes, known: new Set([ASSETS]) }, []],
    [
      'from a plan: the create with a known name, not an update nor an unknown name',
      {
        changes,
        known: new Set(),
        planned: [
          { address: 'aws_sqs_queue.jobs', mode: 'managed', type: 'aws_sqs_queue', name: 'jobs', action: 'create', actions: ['create'], changes: [{ path: 'name', after: 'jobs' }], revertsDrift: [], replacePaths: [], importing: false },
          { address: 'aws_iam_role.worker', mode: 'managed', type: 'aws_iam_role', name: 'worker', action: 'create', actions: ['create'], changes: [{ path: 'name', unknown: true }], revertsDrift: [], replacePaths: [], importing: false },
          { address: 'aws_dynamodb_table.t', mode: 'managed', type: 'aws_dynamodb_table', name: 't', action: 'update', actions: ['update'], changes: [{ path: 'name', after: 't' }], revertsDrift: [], replacePaths: [], importing: false },
          { address: 'aws_lambda_function.f', mode: 'managed', type: 'aws_lambda_function', name: 'f', action: 'create', actions: ['create'], changes: [{ path: 'function_name', after: 'f' }], revertsDrift: [], replacePaths: [], importing: true },
        ],
      },
      ['aws_sqs_queue.jobs=jobs'],
    ],
  ])('%s', (_name, input, expected) => {
    expect(computeCreatedNames(input).map((c) => `${c.address}=${c.name}`)).toEqual(expected);
  });
});
