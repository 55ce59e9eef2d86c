// A pull request that sets a property to its live value adopts live: no conflict, nothing reverted.
import { describe, expect, it } from 'vitest';
import { analyze, type AnalyzeInput } from '../../src/analyze/analyze.js';
import type { PropertyDifference } from '../../src/types.js';
import { diff, input, live, liveState, resource } from './builders.js';

const queue = (props: Record<string, unknown> = {}) => resource('OrdersQueue', { VisibilityTimeout: 30, MessageRetentionPeriod: 345600, ...props });
const TAGS = [{ Key: 'team', Value: 'orders' }];
const added = (path: string, actual: unknown): PropertyDifference => ({ path, expected: null, actual, kind: 'ADD' });
const summary = (i: AnalyzeInput) => analyze(i).findings.map((f) => `${f.severity} ${f.rule} ${f.resource ?? '-'}`);

describe('a change to the live value adopts it', () => {
  it.each<[string, AnalyzeInput, string[]]>([
    ['sets VisibilityTimeout to the value set live', input([queue()], [queue({ VisibilityTimeout: 120 })], liveState([live('OrdersQueue', 'MODIFIED', [diff('VisibilityTimeout', 30, 120)])])), []],
    ['AWS reports the live number as text', input([queue()], [queue({ VisibilityTimeout: 120 })], liveState([live('OrdersQueue', 'MODIFIED', [diff('VisibilityTimeout', '30', '120')])])), []],
    ['still a conflict when the PR picks another value', input([queue()], [queue({ VisibilityTimeout: 60 })], liveState([live('OrdersQueue', 'MODIFIED', [diff('VisibilityTimeout', 30, 120)])])), ['block conflict OrdersQueue']],
    [
      'adds the tag added live next to the others (AWS numbers it its own way)',
      input([queue({ Tags: TAGS })], [queue({ Tags: [...TAGS, { Key: 'owner', Value: 'payments' }] })], liveState([live('OrdersQueue', 'MODIFIED', [added('Tags.0', { Key: 'owner', Value: 'payments' })])])),
      [],
    ],
    [
      'a whole Tags list in another order',
      input([queue({ Tags: TAGS })], [queue({ Tags: [...TAGS, { Key: 'owner', Value: 'payments' }] })], liveState([live('OrdersQueue', 'MODIFIED', [diff('Tags', TAGS, [{ Key: 'owner', Value: 'payments' }, ...TAGS])])])),
      [],
    ],
    [
      'a tag with another value is a conflict',
      input([queue({ Tags: TAGS })], [queue({ Tags: [...TAGS, { Key: 'owner', Value: 'billing' }] })], liveState([live('OrdersQueue', 'MODIFIED', [added('Tags.1', { Key: 'owner', Value: 'payments' })])])),
      ['block conflict OrdersQueue'],
    ],
    [
      'adopting one live change still reports the other as reverted',
      input([queue()], [queue({ VisibilityTimeout: 120 })], liveState([live('OrdersQueue', 'MODIFIED', [diff('VisibilityTimeout', 30, 120), diff('DelaySeconds', 0, 5)])])),
      ['block revert OrdersQueue'],
    ],
    [
      'a property removed live is not adopted by keeping it',
      input([queue({ DelaySeconds: 5 })], [queue({ DelaySeconds: 6 })], liveState([live('OrdersQueue', 'MODIFIED', [{ path: 'DelaySeconds', expected: 5, actual: undefined, kind: 'REMOVE' }])])),
      ['block conflict OrdersQueue'],
    ],
  ])('%s', (_name, given, expected) => {
    expect(summary(given)).toEqual(expected);
  });
});
