// A resource the pull request removes has no lines on the head commit, where annotations
// are shown: its findings name the file but are not annotated at the base's lines.
import { describe, expect, it } from 'vitest';
import { analyze, type AnalyzeInput } from '../../src/analyze/analyze.js';
import { buildAnnotations } from '../../src/report/build-annotations.js';
import { diff, input, live, liveState, resource, template } from '../analyze/builders.js';
import { run, target } from './fixtures.js';

const orders = resource('OrdersQueue', { VisibilityTimeout: 30 });
const audit = resource('AuditQueue', { DelaySeconds: 0 }); // base lines 11-20; the head has other things there
const subscription = resource('AuditSubscription', { Queue: { Ref: 'AuditQueue' } }, { references: ['AuditQueue'] });

function headless(i: AnalyzeInput): AnalyzeInput {
  const { head: _head, ...rest } = i;
  return { ...rest, changes: [] };
}

const annotationsOf = (i: AnalyzeInput) => {
  const { findings } = analyze(i);
  return { findings, annotations: buildAnnotations(run([target({ findings })])) };
};

describe('findings about resources the head does not declare', () => {
  it.each<[string, AnalyzeInput, string]>([
    [
      'a removed queue whose deployed definition differs from the base (diverged-base)',
      input([orders, audit], [orders], liveState([live('AuditQueue', 'IN_SYNC')]), { deployed: template([orders, { ...audit, properties: { DelaySeconds: 9 } }]) }),
      'diverged-base',
    ],
    ['a removed queue that a new subscription still references, gone live (deleted)', input([orders, audit], [orders, subscription], liveState([live('AuditQueue', 'DELETED')])), 'deleted'],
    ['drift on a queue when the head template does not parse (drift-elsewhere)', headless(input([orders, audit], [orders], liveState([live('AuditQueue', 'MODIFIED', [diff('DelaySeconds', 0, 5)])]))), 'drift-elsewhere'],
  ])('names the file of %s, with no lines and no annotation', (_name, analyzeInput, rule) => {
    const { findings, annotations } = annotationsOf(analyzeInput);

    const about = findings.filter((f) => f.resource === 'AuditQueue');
    expect(about.map((f) => [f.rule, f.file, f.span])).toEqual([[rule, 'infra/orders.yaml', undefined]]);
    expect(annotations.filter((a) => a.title.includes('AuditQueue'))).toEqual([]);
  });

  it('still annotates a resource the head declares, at its head lines', () => {
    const moved = resource('OrdersQueue', { VisibilityTimeout: 60 }); // a later line in head than in base
    const { annotations } = annotationsOf(input([orders], [audit, moved], liveState([live('OrdersQueue', 'MODIFIED', [diff('VisibilityTimeout', 30, 120)])])));
    expect(annotations.map((a) => [a.title, a.start_line])).toEqual([['conflict: OrdersQueue', moved.propertySpans.VisibilityTimeout!.startLine]]);
  });
});
