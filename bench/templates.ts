// `npm run bench` (or `npm run bench -- --templates-only`), the template section:
// 1. what one template costs to read and compare (parse base and head, computeChanges), in a
//    child process per template so that CPU time and peak RSS are its own. The limit to hold:
//    about 1 s of CPU and 300 MB for any template under the 1 MB cap, and an `unparseable`
//    with its line, never a crash, for one that cannot be read fully; the worst case is printed;
// 2. how fast a 1 MB YAML template is read with its line spans (target ≥ 10 MB/s), by the
//    hand-written reader and by the `yaml` package path it falls back to, next to JSON: the
//    best of 15 parses in a fresh process, the median (and range) of three such processes.
// Prints figures; asserts nothing (timed assertions are flaky on shared machines).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { computeChanges } from '../src/iac/cloudformation/compute-changes.js';
import { parseTemplateCached } from '../src/iac/cloudformation/parse-cache.js';
import { MAX_TEMPLATE_BYTES, parseTemplate, YAML_PACKAGE_MAX_CHARS, type ParseOptions } from '../src/iac/cloudformation/parse-template.js';
import { BASE, RESOURCES } from './stack.js';

const ms = (x: number) => `${x.toFixed(1)} ms`;

const yamlQueue = (properties: string) => `Resources:\n  Q:\n    Type: Custom::Thing\n    Properties:\n${properties}`;

/** `base`, when given, makes the base from the head (by default: one type name changed). */
const TEMPLATE_CASES: Record<string, { file: string; text: () => string; base?: (head: string) => string }> = {
  '8,000 aliases of one anchor': { file: 't.yaml', text: () => yamlQueue(`      Tags: &t [a]\n      X: [${Array(8_000).fill('*t').join(', ')}]\n`) },
  '16,000 aliases of one anchor': { file: 't.yaml', text: () => yamlQueue(`      Tags: &t [a]\n      X: [${Array(16_000).fill('*t').join(', ')}]\n`) },
  'alias string bomb (100 KB file, 1 GB of text)': {
    file: 't.yaml',
    text: () =>
      yamlQueue(
        [
          `      S: &s "${'x'.repeat(100_000)}"`,
          `      L1: &l1 [${Array(100).fill('*s').join(', ')}]`,
          `      L2: &l2 [${Array(100).fill('*l1').join(', ')}]`,
          '      L3: [*l2]',
        ].join('\n') + '\n',
      ),
  },
  'JSON nested 2,000 deep': { file: 't.json', text: () => `{"Resources":{"Q":{"Type":"Custom::Thing","Properties":{"V":${'['.repeat(2_000)}1${']'.repeat(2_000)}}}}}` },
  'YAML nested 2,000 deep (- - - ...)': { file: 't.yaml', text: () => yamlQueue(`      V:\n        ${'- '.repeat(2_000)}1\n`) },
  'YAML nested 2,000 deep ([[[ ...)': { file: 't.yaml', text: () => yamlQueue(`      V: ${'['.repeat(2_000)}1${']'.repeat(2_000)}\n`) },
  'plain YAML template of 1 MB (4,000 queues)': { file: 't.yaml', text: () => plainTemplate(MAX_TEMPLATE_BYTES - 1024) },
  // The reader stops on the last lines and says where (a large file is not parsed again to word the error)
  '1 MB YAML template broken on its last lines': { file: 't.yaml', text: () => `${plainTemplate(MAX_TEMPLATE_BYTES - 1024)}  Last:\n    Type: AWS::SQS::Queue\n     Properties: {}\n` },
  // Rare forms the reader reads itself (they went through the yaml package path, ~1 s each side)
  '1 MB YAML template with a `? ` key': { file: 't.yaml', text: () => `${plainTemplate(MAX_TEMPLATE_BYTES - 1024)}  ? Last\n  : Type: AWS::SQS::Queue\n` },
  '1 MB YAML: %YAML 1.1, |2, !!str, !!int, !!map': {
    file: 't.yaml',
    text: () => `%YAML 1.1\n---\n${plainTemplate(MAX_TEMPLATE_BYTES - 1024)}  Last:\n    Type: !!str AWS::SQS::Queue\n    Properties:\n      V: |2\n          x\n      W: !!int 5\n      X: !!map {a: 1}\n`,
  },
  '1 MB YAML: a plain scalar on two lines in [ ]': { file: 't.yaml', text: () => `${plainTemplate(MAX_TEMPLATE_BYTES - 1024)}  Last:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: [a\n        b]\n` },
  '1 MB YAML: verbatim tags !<…>, ... at the end': {
    file: 't.yaml',
    text: () => `${plainTemplate(MAX_TEMPLATE_BYTES - 1024)}  Last:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: !<tag:yaml.org,2002:str> x\n      W: !<!Ref> Team\n...\n`,
  },
  // A form the reader still leaves to the yaml package path (a comment inside a plain scalar
  // continued in [ ]): read by it up to YAML_PACKAGE_MAX_CHARS, refused at its line past that
  '64 KB YAML template read by the yaml package': { file: 't.yaml', text: () => `${plainTemplate(YAML_PACKAGE_MAX_CHARS - 2048)}  Last:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: [a\n        b # c\n        ]\n` },
  '1 MB YAML template with a form left to the yaml package': { file: 't.yaml', text: () => `${plainTemplate(MAX_TEMPLATE_BYTES - 1024)}  Last:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: [a\n        b # c\n        ]\n` },
  '1 MB YAML template, 3,500 keys written twice': { file: 't.yaml', text: () => plainTemplate(MAX_TEMPLATE_BYTES - 200_000).replace(/( +)(VisibilityTimeout: \d+)\n/g, '$1$2\n$1$2\n') },
  "!Sub '${${${…' (878 KB, unclosed)": { file: 't.yaml', text: () => yamlQueue(`      V: !Sub '${'${'.repeat(450_000)}'\n`) },
  "!Sub '${!${!…' (976 KB, unclosed)": { file: 't.yaml', text: () => yamlQueue(`      V: !Sub '${'${!'.repeat(333_000)}'\n`) },
  "!Sub '}}}…' (1 MB)": { file: 't.yaml', text: () => yamlQueue(`      V: !Sub '${'}'.repeat(1_000_000)}'\n`) },
  'unquoted base-60 integer 1:00:00:… (966 KB)': { file: 't.yaml', text: () => yamlQueue(`      V: 1${':00'.repeat(322_000)}\n`) },
  'unquoted decimal of 1 MB': { file: 't.yaml', text: () => yamlQueue(`      V: ${'9'.repeat(1_000_000)}\n`) },
  'one flow map of 70,000 keys': { file: 't.yaml', text: () => yamlQueue(`      V: {${Array.from({ length: 70_000 }, (_, i) => `k${i}: ${i}`).join(', ')}}\n`) },
  'one flow map of 140,000 keys, all the same': { file: 't.yaml', text: () => yamlQueue(`      V: {${Array(140_000).fill('k: 1').join(', ')}}\n`) },
  '70,000 anchors': { file: 't.yaml', text: () => yamlQueue(`      V: [${Array.from({ length: 70_000 }, (_, i) => `&a${i} x`).join(', ')}]\n`) },
  '500,000 comment lines': { file: 't.yaml', text: () => yamlQueue(`${'#\n'.repeat(500_000)}      V: 1\n`) },
  '500,000 empty lines in a quoted scalar': { file: 't.yaml', text: () => yamlQueue(`      V: "a${'\n'.repeat(500_000)}b"\n`) },
  '1 MB plain scalar on 80,000 lines': { file: 't.yaml', text: () => yamlQueue(`      V: a${'\n        bcd'.repeat(80_000)}\n`) },
  '1 MB YAML template naming Fn::ForEach:: in a comment': { file: 't.yaml', text: () => `# Fn::ForEach::Queues is not used here\n${plainTemplate(MAX_TEMPLATE_BYTES - 1024)}` },
  '6,000 Fn::ForEach loops (Language Extensions)': {
    file: 't.yaml',
    text: () =>
      `Transform: AWS::LanguageExtensions\nResources:\n  Q:\n    Type: Custom::Thing\n${Array.from(
        { length: 6_000 },
        (_, i) => `  Fn::ForEach::L${i}:\n    - N\n    - [a, b]\n    - Q\${N}x${i}:\n        Type: AWS::SQS::Queue\n        Properties:\n          DelaySeconds: 1\n`,
      ).join('')}`,
  },
  'one Fn::ForEach over 4,000 items, 24 values each (96,000 values)': { file: 't.yaml', text: () => bigLoop(4_000) },
  'one Fn::ForEach over 20,000 items (480,000 values)': { file: 't.yaml', text: () => bigLoop(20_000) },
  'Properties as one Fn::If of 16,384 branches, each its own key': {
    file: 't.yaml',
    text: () => `Conditions:\n  C: !Equals [a, b]\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: ${ifTree(14, { n: 0 })}\n`,
  },
  'Fn::FindInMap chain 40 deep, each entry naming the next twice (2 KB)': {
    file: 't.yaml',
    text: () =>
      `Mappings:\n  M:\n    a:\n${Array.from({ length: 40 }, (_, i) => `      k${i}: [!FindInMap [M, a, k${i + 1}], !FindInMap [M, a, k${i + 1}]]\n`).join('')}      k40: x\nResources:\n  Q:\n    Type: Custom::Thing\n  Fn::ForEach::L:\n    - N\n    - !FindInMap [M, a, k0]\n    - Q\${N}:\n        Type: AWS::SQS::Queue\n`,
  },
  '16,000 mappings x 22,000 lookups with a computed map name': {
    file: 't.yaml',
    text: () =>
      `Parameters:\n  P:\n    Type: String\nMappings:\n${Array.from({ length: 16_000 }, (_, i) => `  M${i}: {a: {b: 1}}\n`).join('')}Resources:\n  R:\n    Type: Custom::Thing\n    Properties:\n      V: [${Array(22_000).fill('!FindInMap [!Ref P, a, b]').join(', ')}]\n`,
  },
  'Properties as one Fn::If of 64 branches x 1,300 keys': {
    file: 't.yaml',
    text: () => `Conditions:\n  C: !Equals [a, b]\nResources:\n  Q:\n    Type: Custom::Thing\n    Properties: ${ifTree(6, { n: 0 }, 1_300)}\n`,
  },
  'SAM Globals of 8,000 variables x 3,000 functions': {
    file: 't.yaml',
    text: () =>
      `Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Environment:\n      Variables:\n${Array.from({ length: 8_000 }, (_, i) => `        V${i}: x${i}\n`).join('')}Resources:\n  Q:\n    Type: Custom::Thing\n${Array.from({ length: 3_000 }, (_, i) => `  F${i}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: h\n      Environment: {Variables: {Z: 1}}\n`).join('')}`,
  },
  'SAM Globals of 5,000 properties, all changed, x 3,000 functions': {
    file: 't.yaml',
    text: () =>
      `Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n${Array.from({ length: 5_000 }, (_, i) => `    P${i}: v\n`).join('')}Resources:\n  Q:\n    Type: Custom::Thing\n${Array.from({ length: 3_000 }, (_, i) => `  F${i}:\n    Type: AWS::Serverless::Function\n    Properties: {}\n    IgnoreGlobals: [P1]\n`).join('')}`,
    base: (head) => head.replace(/: v\n/g, ': w\n'),
  },
  '20,000 resources in 536 KB': {
    file: 't.yaml',
    text: () => `Resources:\n  Q:\n    Type: Custom::Thing\n${Array.from({ length: 20_000 }, (_, i) => `  R${i}:\n    Type: AWS::SQS::Queue`).join('\n')}\n`,
  },
};

/** A balanced tree of `Fn::If` in flow style, `2^depth` branches with `keys` keys each. */
function ifTree(depth: number, counter: { n: number }, keys = 1): string {
  if (depth > 0) return `{Fn::If: [C, ${ifTree(depth - 1, counter, keys)}, ${ifTree(depth - 1, counter, keys)}]}`;
  const branch = counter.n++;
  return `{${Array.from({ length: keys }, (_, i) => `K${branch}x${i}: 1`).join(', ')}}`;
}

/** A loop over `items` items making 24 values each (logical id, Type, 20 properties, ...). */
function bigLoop(items: number): string {
  const collection = Array.from({ length: items }, (_, i) => `i${i}`).join(', ');
  const properties = Array.from({ length: 20 }, (_, i) => `          P${i}: !Sub '\${N}-${i}'\n`).join('');
  return `Transform: AWS::LanguageExtensions\nResources:\n  Q:\n    Type: Custom::Thing\n  Fn::ForEach::Many:\n    - N\n    - [${collection}]\n    - Q\${N}:\n        Type: AWS::SQS::Queue\n        Properties:\n${properties}`;
}

function plainTemplate(bytes: number): string {
  const out = ['Resources:'];
  for (let i = 0, size = 11; size < bytes - 300; i++) {
    const entry = `  Queue${i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub '\${AWS::StackName}-q${i}'\n      VisibilityTimeout: ${30 + (i % 300)}\n      Tags:\n        - Key: team\n          Value: !Ref Team`;
    out.push(entry);
    size += entry.length + 1;
  }
  return `${out.join('\n')}\n`;
}

interface TemplateFigures {
  kb: number;
  cpuMs: number;
  /** The head parse and the comparison alone. */
  headCpuMs: number;
  peakRssMb: number;
  outcome: string;
}

/** In the child: read one case as base and head (one character apart), compare them, report. */
function measureTemplateCase(name: string): TemplateFigures {
  const { file, text, base: makeBase } = TEMPLATE_CASES[name]!;
  // warm up first: a stack overflow that a cold process survives can hit a warm one
  for (let i = 0; i < 5; i++) parseTemplate('warm.yaml', plainTemplate(50_000));
  const head = text();
  const base = makeBase ? makeBase(head) : head.replace('Custom::Thing', 'Custom::Thinx').replace('AWS::SQS::Queue', 'AWS::SQS::Queux');
  const start = process.cpuUsage();
  let outcome: string;
  let headCpuMs = 0;
  try {
    const b = parseTemplateCached(file, base);
    // A push: the base (the default branch's text) is usually parsed and cached already; the
    // pull request controls only the head.
    const headStart = process.cpuUsage();
    const h = parseTemplateCached(file, head);
    const changes = b.ok && h.ok ? computeChanges(b.template, h.template).length : 0;
    const headCpu = process.cpuUsage(headStart);
    headCpuMs = (headCpu.user + headCpu.system) / 1000;
    if (b.ok && h.ok) outcome = `read; ${changes} change(s)${h.warnings ? `, ${h.warnings.length} warning(s)` : ''}`;
    else {
      const error = (h.ok ? b : h) as Extract<typeof h, { ok: false }>;
      outcome = `unparseable, line ${error.error.line}: ${error.error.message.slice(0, 70)}`;
    }
  } catch (error) {
    outcome = `THREW ${String(error).slice(0, 80)}`;
  }
  const cpu = process.cpuUsage(start);
  return { kb: Buffer.byteLength(head) / 1024, cpuMs: (cpu.user + cpu.system) / 1000, headCpuMs, peakRssMb: process.resourceUsage().maxRSS / 1024, outcome };
}

async function runTemplateCase(name: string): Promise<TemplateFigures> {
  const child = fork(fileURLToPath(import.meta.url), ['--template-case', name], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const timer = setTimeout(() => child.kill(), 180_000);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as TemplateFigures));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const last = stderr.trim().split('\n').find((line) => /error|overflow|memory/i.test(line)) ?? '';
      resolve({ kb: 0, cpuMs: NaN, headCpuMs: NaN, peakRssMb: NaN, outcome: `process died (${signal ?? `exit ${code}`}) ${last.slice(0, 80)}` });
    });
  });
}

/** CPU time of the fastest of `runs` parses, after a warm-up, in milliseconds. */
function fastestParse(file: string, content: string, options: ParseOptions = {}, runs = 5): number {
  const result = parseTemplate(file, content, options);
  if (!result.ok) throw new Error(`${file}: line ${result.error.line}: ${result.error.message}`);
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    parseTemplate(file, content, options);
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

/** The benchmark stack's resources repeated (new logical ids) up to about 1 MB. */
function largeStack(bytes: number): string {
  const body = BASE.slice(BASE.indexOf('Resources:\n') + 'Resources:\n'.length);
  let text = BASE;
  for (let copy = 1; text.length + body.length < bytes; copy++) text += body.replace(/^ {2}R(\d+):/gm, (_, n: string) => `  R${n}c${copy}:`);
  return text;
}

export async function benchTemplates(): Promise<void> {
  console.log('Templates: CPU and peak RSS of reading one template as base and head and comparing them, and CPU of the head and the comparison alone (a push: base cached); one child process each; RSS includes ~90 MB of Node and tsx');
  let worstCpu = { name: '', ms: 0 };
  let worstRss = { name: '', mb: 0 };
  for (const name of Object.keys(TEMPLATE_CASES)) {
    const f = await runTemplateCase(name);
    console.log(`  ${name.padEnd(48)} ${f.kb.toFixed(0).padStart(5)} KB  CPU ${ms(f.cpuMs).padStart(10)} (head ${ms(f.headCpuMs).padStart(10)})  peak RSS ${f.peakRssMb.toFixed(0).padStart(5)} MB  ${f.outcome}`);
    if (!(f.cpuMs <= worstCpu.ms)) worstCpu = { name, ms: f.cpuMs };
    if (!(f.peakRssMb <= worstRss.mb)) worstRss = { name, mb: f.peakRssMb };
  }
  console.log(`  worst case (limit ~1 s CPU, ~300 MB): CPU ${ms(worstCpu.ms)} (${worstCpu.name}); peak RSS ${worstRss.mb.toFixed(0)} MB (${worstRss.name})`);

  const parsed = parseTemplate('infra/stack.yaml', BASE);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const json = JSON.stringify({ Resources: Object.fromEntries(parsed.template.resources.map((r) => [r.logicalId, { Type: r.type, Properties: r.properties }])) }, null, 2);
  console.log(`  parse ${RESOURCES} resources, best of 5 (CPU): YAML ${Math.round(BASE.length / 1024)} KB ${ms(fastestParse('stack.yaml', BASE))}; pretty-printed JSON ${Math.round(json.length / 1024)} KB ${ms(fastestParse('stack.json', json))}`);

  // Each process settles its heap differently (the garbage collector's state): the same parse
  // came out at ~10 or ~15 MB/s from one fresh process to the next, so three are run
  const runs: Rates[] = [];
  for (let i = 0; i < 3; i++) runs.push(await inChild<Rates>('--rates'));
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const figure = (pick: (r: Rates) => number) => {
    const values = runs.map(pick);
    return `${median(values).toFixed(1)} MB/s (${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)})`;
  };
  const first = runs[0]!;
  console.log(
    `  declared parse with line spans, best CPU of 15 runs in a fresh process, median of 3 processes (range) (target ≥ 10 MB/s): ` +
      `YAML ${first.yamlMb.toFixed(2)} MB, ${first.resources} resources: ${figure((r) => r.yaml)}; the same through the yaml package path: ${figure((r) => r.yamlPackage)}; ` +
      `JSON ${first.jsonMb.toFixed(2)} MB: ${figure((r) => r.json)}`,
  );
}

interface Rates {
  yamlMb: number;
  jsonMb: number;
  resources: number;
  /** MB/s. */
  yaml: number;
  yamlPackage: number;
  json: number;
}

/** In the child: MB/s of the declared parse of a 1 MB YAML template with spans, through both paths, and of JSON. */
function measureRates(): Rates {
  const large = largeStack(MAX_TEMPLATE_BYTES - 1024);
  const { largeJson, resources } = jsonTwin(large);
  const mb = (text: string) => Buffer.byteLength(text) / 1024 / 1024;
  const rate = (text: string, cpuMs: number) => mb(text) / (cpuMs / 1000);
  const reader = fastestParse('stack.yaml', large, {}, 15);
  const yamlPackage = fastestParse('stack.yaml', large, { yamlPackageOnly: true }, 3);
  const jsonMs = fastestParse('stack.json', largeJson, {}, 15);
  return { yamlMb: mb(large), jsonMb: mb(largeJson), resources, yaml: rate(large, reader), yamlPackage: rate(large, yamlPackage), json: rate(largeJson, jsonMs) };
}

/** 70% of the template's resources as pretty-printed JSON (about as many bytes); the parse it comes from is garbage before the timing starts. */
function jsonTwin(large: string): { largeJson: string; resources: number } {
  const parsed = parseTemplate('stack.yaml', large);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const { resources } = parsed.template;
  const largeJson = JSON.stringify({ Resources: Object.fromEntries(resources.slice(0, Math.round(resources.length * 0.7)).map((r) => [r.logicalId, { Type: r.type, Properties: r.properties }])) }, null, 1);
  return { largeJson, resources: resources.length };
}

async function inChild<T>(...args: string[]): Promise<T> {
  const child = fork(fileURLToPath(import.meta.url), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as T));
    child.once('exit', (code) => reject(new Error(`the measuring process ended (exit ${code})`)));
  });
}

/** To the parent process, or printed when run by hand (`node --import tsx bench/templates.ts --rates`). */
function report(figures: unknown): void {
  if (process.send) process.send(figures, () => process.exit(0));
  else console.log(figures);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const templateCase = process.argv.indexOf('--template-case');
  if (templateCase !== -1) {
    report(measureTemplateCase(process.argv[templateCase + 1]!));
  } else if (process.argv.includes('--rates')) {
    report(measureRates());
  } else {
    await benchTemplates();
  }
}
