// `npm run bench` section: how fast a pull request's own Terraform plan is read. Builds a
// plan of 1,000 resource changes (queues, security groups and SSM parameters cloned from
// the test fixture, one in ten drifted live, one in twenty with a sensitive value),
// prints it compact as `terraform show -json` does, zips it as upload-artifact does, and
// times parsePlanJson and parsePlanZip (unzip included). Then a hostile artifact: a small zip
// whose plan is millions of empty objects, which parsePlanZip must refuse before JSON.parse
// (unbounded, 127 MB of `{},` took 94 s and 3 GB; refused, 14 MB of it costs ~130 ms of
// CPU, mostly unzipping). Prints figures; asserts nothing.
import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { DEFAULT_PLAN_LIMITS } from '../src/live/terraform-plan/find-plan-artifact.js';
import { MAX_PLAN_CONTAINERS, parsePlanJson } from '../src/live/terraform-plan/parse-plan-json.js';
import { parsePlanZip } from '../src/live/terraform-plan/parse-plan-zip.js';

const CHANGES = 1_000;
const ITERATIONS = 20;

export function buildLargePlan(changes = CHANGES): string {
  const fixture = JSON.parse(readFileSync(new URL('../test/fixtures/terraform-plan/pr-queue-drift.json', import.meta.url), 'utf8'));
  const templates = ['module.queues.aws_sqs_queue.jobs', 'aws_security_group.web', 'aws_ssm_parameter.db_password'].map((address) => ({
    change: fixture.resource_changes.find((c: { address: string }) => c.address === address),
    drift: fixture.resource_drift.find((d: { address: string }) => d.address === address),
  }));
  const resourceChanges: unknown[] = [];
  const resourceDrift: unknown[] = [];
  for (let i = 0; i < changes; i++) {
    const template = templates[i % 20 === 0 ? 2 : i % 2]!;
    const address = `${template.change.address}_${i}`;
    resourceChanges.push({ ...structuredClone(template.change), address, name: `${template.change.name}_${i}` });
    if (i % 10 === 0) resourceDrift.push({ ...structuredClone(template.drift), address, name: `${template.drift.name}_${i}` });
  }
  return JSON.stringify({ ...fixture, resource_changes: resourceChanges, resource_drift: resourceDrift });
}

export function benchTerraformPlan(): void {
  const text = buildLargePlan();
  const megabytes = Buffer.byteLength(text) / 1024 / 1024;
  const zip = zipSync({ 'plan.json': strToU8(text) }, { level: 6 });

  const first = parsePlanJson(text, 'plan.json');
  if (!first.ok) throw new Error(`the bench plan does not parse: ${first.error.message}`);

  const parse: number[] = [];
  const unzip: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    let start = performance.now();
    parsePlanJson(text, 'plan.json');
    parse.push(performance.now() - start);
    start = performance.now();
    parsePlanZip(zip, 'tfplan', DEFAULT_PLAN_LIMITS);
    unzip.push(performance.now() - start);
  }
  const p = median(parse);
  const z = median(unzip);
  console.log(`Terraform plan: ${CHANGES} resource changes, ${first.plan.live.filter((r) => r.status !== 'IN_SYNC').length} drifted; ${megabytes.toFixed(1)} MB of JSON, ${(zip.length / 1024).toFixed(0)} KB zipped`);
  console.log(`  parsePlanJson: median ${p.toFixed(1)} ms (${(megabytes / (p / 1000)).toFixed(1)} MB/s)`);
  console.log(`  parsePlanZip (unzip + parse): median ${z.toFixed(1)} ms (${(megabytes / (z / 1000)).toFixed(1)} MB/s of JSON)`);
  benchHostilePlan();
}

/** Just over the container bound, as dense as JSON allows (3 bytes an object): refused, in CPU time. */
function benchHostilePlan(): void {
  const hostile = `{"format_version":"1.2","configuration":[${'{},'.repeat(MAX_PLAN_CONTAINERS)}{}]}`;
  const zip = zipSync({ 'plan.json': strToU8(hostile) }, { level: 9 });
  const cpu: number[] = [];
  let outcome = '';
  for (let i = 0; i < 5; i++) {
    const start = process.cpuUsage();
    const result = parsePlanZip(zip, 'tfplan', DEFAULT_PLAN_LIMITS);
    const used = process.cpuUsage(start);
    cpu.push((used.user + used.system) / 1000);
    outcome = result.ok ? 'ACCEPTED (the bound is not enforced)' : `refused: ${result.error.message.slice(0, 60)}…`;
  }
  console.log(`Hostile plan: ${(Buffer.byteLength(hostile) / 1024 / 1024).toFixed(1)} MB of empty objects, ${(zip.length / 1024).toFixed(0)} KB zipped`);
  console.log(`  parsePlanZip: median ${median(cpu).toFixed(0)} ms of CPU, ${outcome}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

if (import.meta.url === `file://${process.argv[1]}`) benchTerraformPlan();
