import { describe, expect, it } from 'vitest';
import { parseTemplateCached } from '../../src/iac/cloudformation/parse-cache.js';

const template = (timeout: number) => `Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: ${timeout}\n`;

describe('the parse cache', () => {
  it('gives the same parse for the same text, and a new one when the text changes', () => {
    const first = parseTemplateCached('infra/q.yaml', template(30));
    expect(parseTemplateCached('infra/q.yaml', template(30))).toBe(first);
    const changed = parseTemplateCached('infra/q.yaml', template(60));
    expect(changed).not.toBe(first);
    expect(changed.ok && changed.template.resources[0]!.properties.VisibilityTimeout).toBe(60);
  });

  it('keeps files apart: the same text under another name is parsed for that name', () => {
    const other = parseTemplateCached('infra/other.yaml', template(30));
    expect(other.ok && other.template.file).toBe('infra/other.yaml');
  });

  it('does not let a run change a cached template for the next run', () => {
    const parsed = parseTemplateCached('infra/q.yaml', template(30));
    if (!parsed.ok) throw new Error('fixture does not parse');
    expect(() => {
      (parsed.template.resources[0]!.properties as Record<string, unknown>).VisibilityTimeout = 999;
    }).toThrow(TypeError);
    expect(parseTemplateCached('infra/q.yaml', template(30)).ok && parsed.template.resources[0]!.properties.VisibilityTimeout).toBe(30);
  });
});
