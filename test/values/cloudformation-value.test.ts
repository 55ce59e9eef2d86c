import { describe, expect, it } from 'vitest';
import { sameValue } from '../../src/values/cloudformation-value.js';

describe('sameValue: one value as CloudFormation deploys it', () => {
  it.each([
    [30, '30', true],
    [true, 'true', true],
    [false, 'false', true],
    [8, '8', true],
    ['1.0', 1, false], // a YAML 1.1 double deploys as "1.0", the integer as "1"
    [true, 'yes', false], // `yes` was read as true; quoted "yes" stays text
    [true, 'True', false],
    ['030', 30, false],
    [null, null, true],
    [null, undefined, false],
    [undefined, undefined, true],
    [null, 'null', false],
    [{ a: 1, b: [1, 2] }, { b: ['1', 2], a: '1' }, true],
    [{ a: 1, b: undefined }, { a: 1 }, true],
    [{ a: 1 }, { a: 1, b: null }, false],
    [[1, 2], [2, 1], false],
    [[1, 2], [1, 2, 3], false],
    [{ 0: 'a' }, ['a'], false],
    [{ Ref: 'X' }, 'X', false],
  ])('%j and %j: %s', (a, b, same) => {
    expect(sameValue(a, b)).toBe(same);
    expect(sameValue(b, a)).toBe(same);
  });

  it('compares values nested far deeper than a recursive comparison could', () => {
    const deep = (leaf: unknown) => {
      let value: unknown = leaf;
      for (let i = 0; i < 100_000; i++) value = [value];
      return value;
    };
    expect(sameValue(deep(1), deep('1'))).toBe(true);
    expect(sameValue(deep(1), deep(2))).toBe(false);
  });
});
