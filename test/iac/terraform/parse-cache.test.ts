import { beforeAll, describe, expect, it } from 'vitest';
import { loadHclGrammar } from '../../../src/iac/terraform/load-hcl-grammar.js';
import { parseHclFileCached } from '../../../src/iac/terraform/parse-cache.js';
import { parseRoot } from '../../../src/iac/terraform/parse-root.js';

beforeAll(loadHclGrammar);

const queue = (timeout: number) => `resource "aws_sqs_queue" "jobs" {\n  visibility_timeout_seconds = ${timeout}\n}\n`;

describe('the HCL parse cache', () => {
  it('gives the same parse for the same text, and a new one when the text changes', () => {
    const first = parseHclFileCached('tf/q.tf', queue(30));
    expect(parseHclFileCached('tf/q.tf', queue(30))).toBe(first);
    const changed = parseHclFileCached('tf/q.tf', queue(60));
    expect(changed).not.toBe(first);
    expect(changed.blocks[0]!.attributes.visibility_timeout_seconds?.value).toEqual({ kind: 'literal', value: 60 });
  });

  it('keeps files apart: the same text under another name is parsed for that name', () => {
    expect(parseHclFileCached('tf/other.tf', queue(30)).file).toBe('tf/other.tf');
  });

  it('does not let a run change a parsed root for the next run', () => {
    const root = parseRoot('tf', new Map([['tf/q.tf', queue(30)]]));
    expect(() => {
      root.blocks[0]!.attributes.visibility_timeout_seconds = { name: 'visibility_timeout_seconds', value: { kind: 'literal', value: 999 }, span: root.blocks[0]!.span };
    }).toThrow(TypeError);
    const again = parseRoot('tf', new Map([['tf/q.tf', queue(30)]]));
    expect(again.blocks[0]!.attributes.visibility_timeout_seconds?.value).toEqual({ kind: 'literal', value: 30 });
  });
});
