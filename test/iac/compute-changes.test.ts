import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeChanges } from '../../src/iac/cloudformation/compute-changes.js';
import { parseTemplate } from '../../src/iac/cloudformation/parse-template.js';
import type { DeclaredResource, DeclaredTemplate } from '../../src/types.js';

const stackYaml = readFileSync(new URL('../fixtures/cloudformation/orders-stack.yaml', import.meta.url), 'utf8');
const stackJson = readFileSync(new URL('../fixtures/cloudformation/orders-stack.json', import.meta.url), 'utf8');

function parsed(content: string, file = 'orders-stack.yaml'): DeclaredTemplate {
  const result = parseTemplate(file, content);
  if (!result.ok) throw new Error(`line ${result.error.line}: ${result.error.message}`);
  return result.template;
}

/** The orders stack with one text edit, as a pull request would make it. */
function edited(from: string, to: string): DeclaredTemplate {
  if (!stackYaml.includes(from)) throw new Error(`fixture has no "${from}"`);
  return parsed(stackYaml.replace(from, to));
}

const base = parsed(stackYaml);

describe('computeChanges', () => {
  it('reports nothing when the template is unchanged', () => {
    expect(computeChanges(base, parsed(stackYaml))).toEqual([]);
  });

  it('reports nothing when a YAML template is rewritten as its JSON twin', () => {
    expect(computeChanges(base, parsed(stackJson, 'orders-stack.json'))).toEqual([]);
  });

  it('reports nothing when only key order and comments change', () => {
    const head = edited(
      "      VisibilityTimeout: 60\n      RedrivePolicy:\n        deadLetterTargetArn: !GetAtt OrdersDlq.Arn\n        maxReceiveCount: 5\n",
      "      RedrivePolicy:\n        maxReceiveCount: 5 # was 3 in 2023\n        deadLetterTargetArn: !GetAtt OrdersDlq.Arn\n      VisibilityTimeout: 60\n",
    );
    expect(computeChanges(base, head)).toEqual([]);
  });

  it.each([
    ['a top-level value', 'VisibilityTimeout: 60', 'VisibilityTimeout: 120', 'OrdersQueue', ['VisibilityTimeout']],
    ['a nested value', 'maxReceiveCount: 5', 'maxReceiveCount: 3', 'OrdersQueue', ['RedrivePolicy']],
    ['a list item', ', sqs:GetQueueAttributes]', ']', 'WorkerRole', ['Policies']],
    ['an intrinsic function', 'Timeout: !If [IsProd, 30, 10]', 'Timeout: !If [IsProd, 60, 10]', 'OrdersWorker', ['Timeout']],
    ['a removed property', '      BatchSize: 10\n', '', 'OrdersMapping', ['BatchSize']],
    ['an added property', '      BatchSize: 10\n', '      BatchSize: 10\n      Enabled: false\n', 'OrdersMapping', ['Enabled']],
  ])('names the property when a PR changes %s', (_case, from, to, logicalId, changedProperties) => {
    const changes = computeChanges(base, edited(from, to));
    expect(changes.map((c) => [c.logicalId, c.action, c.changedProperties, c.changedAttributes])).toEqual([
      [logicalId, 'change', changedProperties, []],
    ]);
  });

  it('shows an edit to an anchor on every resource that uses it', () => {
    const changes = computeChanges(base, edited('Value: orders\n', 'Value: payments\n'));
    expect(changes.map((c) => [c.logicalId, c.changedProperties])).toEqual([
      ['OrdersQueue', ['Tags']],
      ['OrdersDlq', ['Tags']],
    ]);
  });

  it.each([
    ['DeletionPolicy', '    DeletionPolicy: Retain\n    Properties:\n      QueueName', '    DeletionPolicy: Delete\n    Properties:\n      QueueName', 'OrdersQueue'],
    ['Condition', '    Condition: IsProd\n', '    Condition: IsDev\n', 'OrdersMapping'],
    ['DependsOn', '    DependsOn: WorkerRole\n', '    DependsOn: [WorkerRole, OrdersTable]\n', 'OrdersWorker'],
    ['UpdateReplacePolicy', '    UpdateReplacePolicy: Retain\n', '    UpdateReplacePolicy: Snapshot\n', 'OrdersTable'],
    ['Metadata', 'Location: s3://orders-docs/table.yaml', 'Location: s3://orders-docs/table-v2.yaml', 'OrdersTable'],
    ['Type', '    Type: AWS::Lambda::EventSourceMapping\n', '    Type: Custom::EventSourceMapping\n', 'OrdersMapping'],
  ])('names the %s attribute when a PR changes it', (attribute, from, to, logicalId) => {
    const changes = computeChanges(base, edited(from, to));
    expect(changes.map((c) => [c.logicalId, c.action, c.changedProperties, c.changedAttributes])).toEqual([
      [logicalId, 'change', [], [attribute]],
    ]);
  });

  it('does not count DependsOn written as a list instead of a string, or reordered, as a change', () => {
    const asList = edited('    DependsOn: WorkerRole\n', '    DependsOn: [WorkerRole]\n');
    const reordered = edited('    DependsOn: [OrdersWorker, OrdersQueue]\n', '    DependsOn: [OrdersQueue, OrdersWorker]\n');
    expect(computeChanges(base, asList)).toEqual([]);
    expect(computeChanges(base, reordered)).toEqual([]);
  });

  it('reports an added resource with every property and attribute it declares', () => {
    const withAlarm = parsed(
      stackYaml.replace(
        '\nOutputs:\n',
        '\n  DlqAlarm:\n    Type: AWS::CloudWatch::Alarm\n    DependsOn: OrdersDlq\n    Properties:\n      Namespace: AWS/SQS\n      MetricName: ApproximateNumberOfMessagesVisible\n      Threshold: 1\nOutputs:\n',
      ),
    );
    const [change, ...rest] = computeChanges(base, withAlarm);
    expect(rest).toEqual([]);
    expect(change).toMatchObject({
      logicalId: 'DlqAlarm',
      type: 'AWS::CloudWatch::Alarm',
      action: 'add',
      changedProperties: ['Namespace', 'MetricName', 'Threshold'],
      changedAttributes: ['Type', 'DependsOn'],
      head: { logicalId: 'DlqAlarm', span: { startLine: 115, endLine: 121 } },
    });
    expect(change?.base).toBeUndefined();
  });

  it('reports a removed resource with the base version for its lines', () => {
    const mappingBlock = stackYaml.slice(stackYaml.indexOf('  OrdersMapping:'), stackYaml.indexOf('  OrdersTable:'));
    const [change, ...rest] = computeChanges(base, parsed(stackYaml.replace(mappingBlock, '')));
    expect(rest).toEqual([]);
    expect(change).toMatchObject({
      logicalId: 'OrdersMapping',
      type: 'AWS::Lambda::EventSourceMapping',
      action: 'remove',
      changedProperties: ['EventSourceArn', 'FunctionName', 'BatchSize'],
      changedAttributes: ['Type', 'DependsOn', 'Condition'],
      base: { span: { startLine: 88, endLine: 95 } },
    });
    expect(change?.head).toBeUndefined();
  });

  it('treats a renamed logical id as one removal and one addition', () => {
    const renamed = edited('  OrdersDlq:\n', '  OrdersDeadLetters:\n');
    expect(computeChanges(base, renamed).map((c) => [c.logicalId, c.action])).toEqual([
      // OrdersQueue's !GetAtt OrdersDlq.Arn is unchanged text, so only the rename shows.
      ['OrdersDeadLetters', 'add'],
      ['OrdersDlq', 'remove'],
    ]);
  });

  it('reports every resource as added for a new template and as removed for a deleted one', () => {
    const ids = base.resources.map((r) => r.logicalId);
    expect(computeChanges(undefined, base).map((c) => [c.logicalId, c.action])).toEqual(ids.map((id) => [id, 'add']));
    expect(computeChanges(base, undefined).map((c) => [c.logicalId, c.action])).toEqual(ids.map((id) => [id, 'remove']));
    expect(computeChanges(undefined, undefined)).toEqual([]);
  });

  it('still compares Type and DependsOn for resources built without raw attributes', () => {
    const plain = (type: string, dependsOn: string[]): DeclaredResource => ({
      logicalId: 'Queue',
      type,
      properties: { DelaySeconds: 1 },
      dependsOn,
      references: dependsOn,
      span: { startLine: 1, endLine: 3 },
      propertySpans: {},
    });
    const template = (resource: DeclaredResource): DeclaredTemplate => ({ file: 't.yaml', format: 'yaml', resources: [resource], parameters: [] });
    const changes = computeChanges(template(plain('AWS::SQS::Queue', [])), template(plain('AWS::SNS::Topic', ['Key'])));
    expect(changes.map((c) => [c.action, c.changedProperties, c.changedAttributes])).toEqual([['change', [], ['Type', 'DependsOn']]]);
  });
});
