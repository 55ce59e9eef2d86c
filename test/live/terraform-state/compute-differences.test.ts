import { describe, expect, it } from 'vitest';
import { computeDifferences, type AttributeMapping } from '../../../src/live/terraform-state/compute-differences.js';
import { redactDifference } from '../../../src/live/terraform-state/redact-state.js';
import { stateTags, tagList } from '../../../src/live/terraform-state/transforms.js';

const tags: AttributeMapping = { attribute: 'tags', property: 'Tags', expected: stateTags, actual: tagList(), compare: 'map' };

describe('computeDifferences: the known noise is not drift', () => {
  it.each<[string, AttributeMapping, Record<string, unknown>, Record<string, unknown>]>([
    ['a number and its string', { attribute: 'allocated_storage', property: 'AllocatedStorage' }, { allocated_storage: 20 }, { AllocatedStorage: '20' }],
    ['empty and absent', { attribute: 'description', property: 'Description' }, { description: '' }, {}],
    ['an empty list and absent', { attribute: 'layers', property: 'Layers' }, { layers: [] }, {}],
    ['a set in another order', { attribute: 'ids', property: 'Ids', compare: 'set' }, { ids: ['b', 'a'] }, { Ids: ['a', 'b'] }],
    [
      'a policy string and the same policy as an object, keys reordered, one item as a list',
      { attribute: 'policy', property: 'Policy', compare: 'json' },
      { policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}' },
      { Policy: { Statement: { Resource: ['*'], Action: ['s3:GetObject'], Effect: 'Allow' }, Version: '2012-10-17' } },
    ],
    ['a default AWS leaves out', { attribute: 'path', property: 'Path', liveDefault: '/' }, { path: '/' }, {}],
    ['a default the code leaves out', { attribute: 'fifo', property: 'Fifo', liveDefault: false }, {}, { Fifo: false }],
    ['default tags, in tags_all and live', tags, { tags: { team: 'a' }, tags_all: { team: 'a', env: 'prod' } }, { Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'a' }] }],
    ['tags AWS sets itself (aws:*)', tags, { tags: { team: 'a' } }, { Tags: [{ Key: 'team', Value: 'a' }, { Key: 'aws:cloudformation:stack-name', Value: 'x' }] }],
  ])('%s', (_name, mapping, attributes, properties) => {
    expect(computeDifferences([mapping], attributes, properties).differences).toEqual([]);
  });

  it('counts what normalization made equal', () => {
    expect(computeDifferences([{ attribute: 'size', property: 'Size' }], { size: 20 }, { Size: '20' }).normalizedAway).toBe(1);
  });

  it('reports tag drift one key at a time', () => {
    const compared = computeDifferences([tags], { tags_all: { team: 'a', owner: 'x' } }, { Tags: [{ Key: 'team', Value: 'b' }, { Key: 'cost', Value: '1' }] });

    expect(compared.differences).toEqual([
      { path: 'tags.cost', expected: undefined, actual: '1', kind: 'ADD' },
      { path: 'tags.owner', expected: 'x', actual: undefined, kind: 'REMOVE' },
      { path: 'tags.team', expected: 'a', actual: 'b', kind: 'NOT_EQUAL' },
    ]);
  });
});

describe('redactDifference', () => {
  it.each([
    ['the sensitive path itself', 'value', ['value']],
    ['a value inside a sensitive one', 'environment.0.variables.X', ['environment']],
    ['a value holding a sensitive one', 'environment.0.variables', ['environment.0.variables.DB_PASSWORD']],
    ['a secret-looking name the state does not mark', 'environment.0.variables.API_TOKEN', []],
    ['a whole-instance marker', 'description', ['']],
  ])('hides both values for %s', (_name, path, sensitive) => {
    const out = redactDifference({ path, expected: 'old-secret', actual: 'new-secret', kind: 'NOT_EQUAL' }, sensitive);

    expect(out).toEqual({ path, expected: '***', actual: '***', kind: 'NOT_EQUAL' });
  });

  it('keeps values that are not sensitive', () => {
    const d = { path: 'visibility_timeout_seconds', expected: 30, actual: 120, kind: 'NOT_EQUAL' as const };

    expect(redactDifference(d, ['value'])).toEqual(d);
  });
});
