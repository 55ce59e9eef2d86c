// Review comments from findings (pure): suggested changes come from the editors and sit only
// on lines of the diff; conflicts carry the three values and no suggestion.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadHclGrammar } from '../../src/iac/terraform/load-hcl-grammar.js';
import { computeCommentableLines } from '../../src/reconcile/compute-commentable-lines.js';
import { computeSuggestions } from '../../src/reconcile/compute-suggestions.js';
import { EDITORS } from '../../src/reconcile/editors.js';
import type { Finding } from '../../src/types.js';
import { githubPatch } from '../helpers/fake-github.js';

beforeAll(loadHclGrammar);

const TF_BASE = `resource "aws_sqs_queue" "jobs" {
  name                       = "jobs"
  visibility_timeout_seconds = 30
  message_retention_seconds  = 345600

  tags = {
    team = "orders"
  }
}
`;
const TF_HEAD = TF_BASE.replace('= 345600', '= 1209600');

const revert = (resource: string, file: string, span: { startLine: number; endLine: number }, rows: Finding['evidence']): Finding => ({ rule: 'revert', severity: 'block', target: 't', resource, file, span, message: 'reverts', evidence: rows });

describe('suggested changes', () => {
  it('keeps a live Terraform attribute in a module file, by the block its address names', () => {
    const file = { text: TF_HEAD, commentable: computeCommentableLines(githubPatch(TF_BASE, TF_HEAD)), format: 'hcl' as const };
    const findings = [revert('module.queues.aws_sqs_queue.jobs', 'modules/queues/main.tf', { startLine: 1, endLine: 9 }, [{ path: 'visibility_timeout_seconds', base: 30, head: 30, live: 120 }])];
    const [comment, ...rest] = computeSuggestions(findings, new Map([['modules/queues/main.tf', file]]), EDITORS);
    expect(rest).toEqual([]);
    expect(comment!.line).toBe(3);
    expect(comment!.body).toContain('````suggestion\n  visibility_timeout_seconds = 120\n````');
  });

  it('adds a live tag with the line above repeated, so accepting it keeps that line', () => {
    const file = { text: TF_HEAD, commentable: computeCommentableLines(githubPatch(TF_BASE, TF_HEAD)), format: 'hcl' as const };
    const findings = [revert('aws_sqs_queue.jobs', 'main.tf', { startLine: 1, endLine: 9 }, [{ path: 'tags.owner', live: 'payments' }])];
    const [comment] = computeSuggestions(findings, new Map([['main.tf', file]]), EDITORS);
    expect(comment!.line).toBe(7);
    expect(comment!.body).toContain('````suggestion\n    team = "orders"\n\n    owner = "payments"\n````');
  });

  it('suggests nothing for an instance of a repeated block, a secret, or a line outside the diff', () => {
    const head = TF_BASE.replace('"jobs"\n', '"jobs-v2"\n'); // line 2: lines 1-5 are in the diff
    const file = { text: head, commentable: computeCommentableLines(githubPatch(TF_BASE, head)), format: 'hcl' as const };
    const findings = [
      revert('aws_sqs_queue.jobs[0]', 'main.tf', { startLine: 1, endLine: 9 }, [{ path: 'visibility_timeout_seconds', live: 120 }]),
      revert('aws_sqs_queue.jobs', 'main.tf', { startLine: 1, endLine: 9 }, [{ path: 'name', live: '***', redacted: true }]),
      revert('aws_sqs_queue.jobs', 'main.tf', { startLine: 1, endLine: 9 }, [{ path: 'tags.owner', live: 'payments' }]), // lands after line 7: outside the diff
    ];
    expect(computeSuggestions(findings, new Map([['main.tf', file]]), EDITORS)).toEqual([]);
  });

  it('puts a conflict on the first line of the property that is in the diff, without a suggestion', () => {
    const head = TF_BASE.replace('= 30\n', '= 60\n');
    const file = { text: head, commentable: computeCommentableLines(githubPatch(TF_BASE, head)), format: 'hcl' as const };
    const conflict: Finding = { rule: 'conflict', severity: 'block', target: 't', resource: 'aws_sqs_queue.jobs', file: 'main.tf', span: { startLine: 3, endLine: 3 }, message: 'm', evidence: [{ path: 'visibility_timeout_seconds', base: 30, head: 60, live: 120 }] };
    const [comment] = computeSuggestions([conflict], new Map([['main.tf', file]]), EDITORS);
    expect(comment!.line).toBe(3);
    expect(comment!.body).toContain('| `visibility_timeout_seconds` | `30` | `120` | `60` |');
    expect(comment!.body).not.toContain('```suggestion');
  });

  it('reads no line as commentable from a patch that does not parse', () => {
    expect(computeCommentableLines('@@ -1,2 +1,2 @@\n-a\n+b\n@@ broken')).toEqual(new Set());
    expect(computeCommentableLines(undefined)).toEqual(new Set());
  });
});
