// Drift on what SAM generates for a changed serverless function, as the rules see it.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import { computeChanges } from '../../src/iac/cloudformation/compute-changes.js';
import { parseTemplate } from '../../src/iac/cloudformation/parse-template.js';
import type { DeclaredTemplate, LiveResource } from '../../src/types.js';
import { diff, live, liveState } from './builders.js';

const BASE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      InlineCode: exports.handler = async () => 1
      Events:
        Nightly:
          Type: Schedule
          Properties:
            Schedule: cron(0 2 * * ? *)
`;

function parsed(text: string): DeclaredTemplate {
  const result = parseTemplate('template.yaml', text);
  if (!result.ok) throw new Error(result.error.message);
  return result.template;
}

function findings(headText: string, resources: LiveResource[]) {
  const base = parsed(BASE);
  const head = parsed(headText);
  const result = analyze({ target: { name: 'jobs', file: 'template.yaml' }, base, head, changes: computeChanges(base, head), live: liveState(resources), ignore: [] });
  return result.findings.map((f) => [f.severity, f.rule, f.resource, f.span?.startLine]);
}

const SCHEDULE_EDIT = BASE.replace('cron(0 2 * * ? *)', 'cron(0 3 * * ? *)');

describe('what SAM generates for an edited event', () => {
  it.each<[string, LiveResource[], unknown[][]]>([
    [
      'reverts drift on the generated rule, at the lines of the event',
      [live('Worker', 'IN_SYNC', [], 'AWS::Lambda::Function'), live('WorkerNightly', 'MODIFIED', [diff('State', 'ENABLED', 'DISABLED')], 'AWS::Events::Rule')],
      [['block', 'revert', 'WorkerNightly', 10]],
    ],
    [
      'says the generated permission could not be checked (drift detection does not support it)',
      [live('Worker', 'IN_SYNC', [], 'AWS::Lambda::Function'), live('WorkerNightly', 'IN_SYNC', [], 'AWS::Events::Rule'), live('WorkerNightlyPermission', 'NOT_CHECKED', [], 'AWS::Lambda::Permission')],
      [['warn', 'unreadable', 'WorkerNightlyPermission', 10]],
    ],
    [
      'blocks when the generated rule was deleted live',
      [live('Worker', 'IN_SYNC', [], 'AWS::Lambda::Function'), live('WorkerNightly', 'DELETED', [], 'AWS::Events::Rule')],
      [['block', 'deleted', 'WorkerNightly', 10]],
    ],
  ])('%s', (_case, resources, expected) => {
    expect(findings(SCHEDULE_EDIT, resources)).toEqual(expected);
  });

  it('does not call drift on the Lambda function reverted when the edit only reaches what SAM generates', () => {
    const resources = [
      live('Worker', 'MODIFIED', [diff('Timeout', 3, 30)], 'AWS::Lambda::Function'),
      live('WorkerNightly', 'MODIFIED', [diff('State', 'ENABLED', 'DISABLED')], 'AWS::Events::Rule'),
    ];
    expect(findings(SCHEDULE_EDIT, resources)).toEqual([
      ['block', 'revert', 'WorkerNightly', 10],
      ['info', 'drift-elsewhere', 'Worker', 3],
    ]);
  });

  it('leaves drift on the rule as drift elsewhere when the edit does not reach the event', () => {
    const head = BASE.replace('Runtime: nodejs20.x', 'Runtime: nodejs22.x');
    const resources = [live('Worker', 'IN_SYNC', [], 'AWS::Lambda::Function'), live('WorkerNightly', 'MODIFIED', [diff('State', 'ENABLED', 'DISABLED')], 'AWS::Events::Rule')];
    expect(findings(head, resources)).toEqual([['info', 'drift-elsewhere', 'WorkerNightly', undefined]]);
  });
});
