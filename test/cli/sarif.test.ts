// `scan --format sarif` validates against the official SARIF 2.1.0 schema (test/fixtures/sarif,
// from OASIS) and carries what GitHub code scanning needs: one rule per finding kind, a
// location with file and lines on every result, levels, and fingerprints that ignore lines.
import { readFileSync, writeFileSync } from 'node:fs';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { git, makeExampleRepo, type ExampleRepo } from './example-repo.js';

// CommonJS packages: their `default` export is the class and the plugin (the module itself when loaded as ESM by vite).
const Ajv = ((ajvDraft04 as unknown as { default?: typeof ajvDraft04.default }).default ?? ajvDraft04) as typeof ajvDraft04.default;
const addFormats = ((ajvFormats as unknown as { default?: typeof ajvFormats.default }).default ?? ajvFormats) as typeof ajvFormats.default;

const schema = JSON.parse(readFileSync(new URL('../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8'));

let repo: ExampleRepo;
beforeAll(() => {
  nock.disableNetConnect();
  repo = makeExampleRepo('orders');
});
afterAll(() => {
  nock.enableNetConnect();
  repo.remove();
});

async function sarifOf(args: string[]) {
  let stdout = '';
  const code = await main(['scan', '--repo', repo.dir, '--format', 'sarif', ...args], { stdout: (t) => (stdout += t), stderr: () => {} });
  return { code, log: JSON.parse(stdout) };
}

describe('SARIF output', () => {
  it('validates against the SARIF 2.1.0 schema and puts each finding on its file and lines', async () => {
    const { code, log } = await sarifOf([]);
    expect(code).toBe(1);
    // The schema is draft-04 (its `id`, `$schema`); formats (uri, date-time) checked too.
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);

    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ruleIds).toEqual(expect.arrayContaining(['conflict', 'revert', 'deleted', 'drift-elsewhere', 'unreadable', 'unparseable', 'config-error']));
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
    const revert = run.results.find((r: { ruleId: string }) => r.ruleId === 'revert');
    expect(revert).toMatchObject({
      level: 'error',
      ruleIndex: ruleIds.indexOf('revert'),
      locations: [{ physicalLocation: { artifactLocation: { uri: 'infra/orders.yaml' }, region: { startLine: 20, endLine: 28 } } }],
    });
    expect(revert.message.text).toContain('VisibilityTimeout: base 30, head 30, deployed 30, live 120');
    for (const result of run.results) {
      expect(result.locations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
      expect(Object.values(result.partialFingerprints)[0]).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(JSON.stringify(log)).not.toContain('pk_live');
  });

  it('keeps a finding\'s fingerprint when only its lines move', async () => {
    const before = (await sarifOf([])).log.runs[0].results;
    // Two comment lines above everything: every finding moves down by two.
    const template = readFileSync(`${repo.dir}/infra/orders.yaml`, 'utf8');
    writeFileSync(`${repo.dir}/infra/orders.yaml`, `# moved\n# down\n${template}`);
    git(repo.dir, ['-c', 'user.name=a', '-c', 'user.email=a@example.com', 'commit', '--quiet', '-am', 'comment']);
    const after = (await sarifOf([])).log.runs[0].results;
    const revertBefore = before.find((r: { ruleId: string }) => r.ruleId === 'revert');
    const revertAfter = after.find((r: { ruleId: string }) => r.ruleId === 'revert');
    expect(revertAfter.locations[0].physicalLocation.region.startLine).toBe(revertBefore.locations[0].physicalLocation.region.startLine + 2);
    expect(revertAfter.partialFingerprints).toEqual(revertBefore.partialFingerprints);
  });
});
