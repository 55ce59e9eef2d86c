// A root module and, recursively, its local modules -> TerraformRoot. Pure: the caller reads
// the files (from GitHub) and passes them as a map of repository path -> text; a local module
// whose files are not in the map is a located `missing-module` problem naming the directory
// to read, so the caller can fetch it and call again. Needs loadHclGrammar() first.
import { posix } from 'node:path';
import type {
  HclValue,
  TerraformBackend,
  TerraformBlock,
  TerraformLocal,
  TerraformOutput,
  TerraformProblem,
  TerraformProvider,
  TerraformRoot,
  TerraformVariable,
  TerraformVariableValue,
} from '../../types.js';
import { parseHclFileCached } from './parse-cache.js';
import type { HclBlock, HclFile } from './parse-hcl-file.js';

/** Nesting of module calls followed (Terraform has no limit; real roots stay under 5). */
export const MAX_MODULE_DEPTH = 12;
/** Module instances followed in one root: calls fan out (a module called twice, each calling one twice, ...). */
export const MAX_MODULE_INSTANCES = 500;

/** Arguments of a `module` block that are not inputs of the module. */
export const MODULE_META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

interface ModuleFiles {
  /** `.tf` files of the directory, parsed, by file name order. */
  files: HclFile[];
  skipped: string[];
}

interface Reading {
  files: ReadonlyMap<string, string>;
  byDir: Map<string, string[]>;
  parsed: Map<string, ModuleFiles>;
  root: TerraformRoot;
  problemKeys: Set<string>;
  /** The instance bound is reported once, at the first call left out. */
  instanceLimitReported: boolean;
}

export function parseRoot(dir: string, files: ReadonlyMap<string, string>): TerraformRoot {
  const rootDir = cleanDir(dir);
  const root: TerraformRoot = {
    dir: rootDir,
    files: [],
    blocks: [],
    variables: [],
    locals: [],
    outputs: [],
    variableValues: [],
    providers: [],
    moduleInstances: [],
    problems: [],
    skippedFiles: [],
  };
  const byDir = new Map<string, string[]>();
  for (const path of files.keys()) {
    const parent = cleanDir(posix.dirname(path));
    const list = byDir.get(parent);
    if (list) list.push(path);
    else byDir.set(parent, [path]);
  }
  const reading: Reading = { files, byDir, parsed: new Map(), root, problemKeys: new Set(), instanceLimitReported: false };
  instantiate(reading, rootDir, '', [rootDir]);
  readVariableValues(reading, rootDir);
  root.files.sort();
  root.skippedFiles.sort();
  return root;
}

/** `tf/network/` and `./tf/network` -> `tf/network`; the repository root is `''`. */
function cleanDir(dir: string): string {
  const clean = posix.normalize(dir.replaceAll('\\', '/')).replace(/\/+$/, '');
  return clean === '.' || clean === '/' ? '' : clean.replace(/^\.\//, '');
}

/** The parsed `.tf` files of a directory, once per call of parseRoot; undefined when it has none. */
function readDir(reading: Reading, dir: string): ModuleFiles | undefined {
  const cached = reading.parsed.get(dir);
  if (cached) return cached;
  const paths = (reading.byDir.get(dir) ?? []).sort();
  const tf = paths.filter((path) => path.endsWith('.tf'));
  if (tf.length === 0) return undefined;
  const module: ModuleFiles = {
    files: tf.map((path) => parseHclFileCached(path, reading.files.get(path)!)),
    skipped: paths.filter((path) => path.endsWith('.tf.json')),
  };
  reading.parsed.set(dir, module);
  reading.root.files.push(...tf);
  reading.root.skippedFiles.push(...module.skipped);
  for (const file of module.files) for (const problem of file.problems) addProblem(reading, problem);
  return module;
}

function addProblem(reading: Reading, problem: TerraformProblem): void {
  const key = `${problem.file}:${problem.line}:${problem.message}`;
  if (reading.problemKeys.has(key)) return;
  reading.problemKeys.add(key);
  reading.root.problems.push(problem);
}

/** Override files (`override.tf`, `*_override.tf`) are merged into the blocks they name, as Terraform does. */
function isOverride(path: string): boolean {
  const name = posix.basename(path);
  return name === 'override.tf' || name.endsWith('_override.tf');
}

/** Reads the module in `dir` as the instance `prefix` (`''` for the root, `module.a.` for a call). */
function instantiate(reading: Reading, dir: string, prefix: string, stack: string[]): void {
  const module = readDir(reading, dir);
  if (!module) return;
  const { root } = reading;
  const modulePath = prefix.replace(/\.$/, '');
  const declared = new Map<string, TerraformBlock>();
  const ordered = [...module.files.filter((file) => !isOverride(file.file)), ...module.files.filter((file) => isOverride(file.file))];
  const calls: Array<{ block: TerraformBlock; raw: HclBlock }> = [];
  for (const file of ordered) {
    const override = isOverride(file.file);
    for (const raw of file.blocks) {
      const base = { module: modulePath, file: file.file, span: raw.span, attributes: raw.attributes, blocks: raw.blocks, spans: raw.spans, references: raw.references };
      const block = addressable(raw, base, prefix);
      if (block) {
        const key = `${block.kind} ${block.address}`;
        const existing = declared.get(key);
        if (existing && override) {
          mergeOverride(existing, block);
          continue;
        }
        if (existing) {
          addProblem(reading, {
            kind: 'duplicate',
            file: file.file,
            line: raw.span.startLine,
            message: `${block.kind} ${JSON.stringify(block.address.slice(prefix.length))} is declared twice (first in ${existing.file} line ${existing.span.startLine})`,
          });
          continue;
        }
        declared.set(key, block);
        root.blocks.push(block);
        if (block.kind === 'module') calls.push({ block, raw });
        continue;
      }
      readOther(reading, raw, file.file, modulePath, prefix === '');
    }
  }
  for (const { block } of calls) callModule(reading, dir, block, stack);
}

type BlockBase = Pick<TerraformBlock, 'module' | 'file' | 'span' | 'attributes' | 'blocks' | 'spans' | 'references'>;

function addressable(raw: HclBlock, base: BlockBase, prefix: string): TerraformBlock | undefined {
  const [first, second] = raw.labels;
  const block = base as TerraformBlock;
  switch (raw.type) {
    case 'resource':
    case 'data':
      if (first === undefined || second === undefined) return undefined;
      block.kind = raw.type;
      block.address = `${prefix}${raw.type === 'data' ? 'data.' : ''}${first}.${second}`;
      block.type = first;
      block.name = second;
      break;
    case 'module': {
      if (first === undefined) return undefined;
      const source = raw.attributes.source?.value;
      block.kind = 'module';
      block.address = `${prefix}module.${first}`;
      block.name = first;
      if (source?.kind === 'literal' && typeof source.value === 'string') block.source = source.value;
      break;
    }
    case 'moved':
    case 'import':
    case 'removed': {
      const from = addressText(raw.attributes.from?.value);
      const to = addressText(raw.attributes.to?.value);
      const target = raw.type === 'removed' ? from : to;
      if (target === undefined) return undefined;
      block.kind = raw.type;
      block.address = prefix + target;
      if (from !== undefined) block.from = prefix + from;
      if (to !== undefined) block.to = prefix + to;
      return block;
    }
    default:
      return undefined;
  }
  if (raw.attributes.count) block.repetition = 'count';
  else if (raw.attributes.for_each) block.repetition = 'for_each';
  return block;
}

/** `to = module.a.aws_x.y["k"]` is a reference, not a string: its text is the address. */
function addressText(value: HclValue | undefined): string | undefined {
  if (!value) return undefined;
  if (value.kind === 'literal') return typeof value.value === 'string' ? value.value : undefined;
  return value.text.replace(/\s+/g, '');
}

/** Terraform's override merge: attributes replace, nested blocks of a type the override has replace that type. */
function mergeOverride(target: TerraformBlock, override: TerraformBlock): void {
  const types = new Set(override.blocks.map((block) => block.type));
  target.attributes = { ...target.attributes, ...override.attributes };
  target.blocks = [...target.blocks.filter((block) => !types.has(block.type)), ...override.blocks];
  target.spans = { ...target.spans, ...override.spans };
  target.references = [...new Set([...target.references, ...override.references])].sort();
  if (target.attributes.count) target.repetition = 'count';
  else if (target.attributes.for_each) target.repetition = 'for_each';
}

function readOther(reading: Reading, raw: HclBlock, file: string, module: string, isRoot: boolean): void {
  const { root } = reading;
  const [name] = raw.labels;
  switch (raw.type) {
    case 'variable': {
      if (name === undefined) return;
      const sensitive = raw.attributes.sensitive?.value;
      const variable: TerraformVariable = { module, name, sensitive: sensitive?.kind === 'literal' && sensitive.value === true, file, span: raw.span };
      if (raw.attributes.default) variable.default = raw.attributes.default.value;
      root.variables.push(variable);
      return;
    }
    case 'locals':
      for (const attribute of Object.values(raw.attributes)) {
        const local: TerraformLocal = { module, name: attribute.name, value: attribute.value, file, span: attribute.span };
        const index = root.locals.findIndex((other) => other.module === module && other.name === local.name && isOverride(file));
        if (index >= 0) root.locals[index] = local;
        else root.locals.push(local);
      }
      return;
    case 'output': {
      if (name === undefined) return;
      const sensitive = raw.attributes.sensitive?.value;
      const output: TerraformOutput = { module, name, sensitive: sensitive?.kind === 'literal' && sensitive.value === true, file, span: raw.span };
      if (raw.attributes.value) output.value = raw.attributes.value.value;
      root.outputs.push(output);
      return;
    }
    case 'terraform': {
      if (!isRoot) return; // a backend in a called module is ignored by Terraform
      const backend = raw.blocks.find((block) => block.type === 'backend');
      if (!backend || backend.labels[0] === undefined) return;
      const settings: Record<string, HclValue> = {};
      for (const attribute of Object.values(backend.attributes)) settings[attribute.name] = attribute.value;
      const value: TerraformBackend = { type: backend.labels[0], settings, file, span: backend.span };
      root.backend = value;
      return;
    }
    case 'provider': {
      if (name === undefined) return;
      const alias = raw.attributes.alias?.value;
      const provider: TerraformProvider = { module, name, attributes: raw.attributes, file, span: raw.span };
      if (alias?.kind === 'literal' && typeof alias.value === 'string') provider.alias = alias.value;
      const tags = raw.blocks.find((block) => block.type === 'default_tags')?.attributes.tags;
      if (tags) provider.defaultTags = tags.value;
      root.providers.push(provider);
      return;
    }
  }
}

/** Follows a module call to a local module; registry and git sources are not followed (the plan has their resources). */
function callModule(reading: Reading, dir: string, call: TerraformBlock, stack: string[]): void {
  const source = call.source;
  if (source === undefined || !(source.startsWith('./') || source.startsWith('../'))) return;
  const { root } = reading;
  const at = { file: call.file, line: call.attributes.source?.span.startLine ?? call.span.startLine };
  const target = posix.normalize(posix.join(dir === '' ? '.' : dir, source));
  if (target === '..' || target.startsWith('../') || posix.isAbsolute(target)) {
    addProblem(reading, { kind: 'module-outside-repo', ...at, message: `module "${call.name}": source ${JSON.stringify(source)} leaves the repository` });
    return;
  }
  const moduleDir = cleanDir(target);
  call.moduleDir = moduleDir;
  if (stack.includes(moduleDir)) {
    const chain = [...stack.slice(stack.indexOf(moduleDir)), moduleDir].map((d) => d || '.').join(' → ');
    addProblem(reading, { kind: 'module-cycle', ...at, message: `module "${call.name}" calls ${moduleDir || '.'}, which is already being read (${chain}): a module cannot call itself` });
    return;
  }
  if (stack.length > MAX_MODULE_DEPTH) {
    addProblem(reading, { kind: 'module-limit', ...at, message: `module "${call.name}" is nested ${stack.length} modules deep; modules deeper than ${MAX_MODULE_DEPTH} are not read` });
    return;
  }
  if (root.moduleInstances.length >= MAX_MODULE_INSTANCES) {
    if (reading.instanceLimitReported) return;
    reading.instanceLimitReported = true;
    addProblem(reading, { kind: 'module-limit', ...at, message: `more than ${MAX_MODULE_INSTANCES} module instances in this root; ${call.address} and later ones are not read` });
    return;
  }
  if (!readDir(reading, moduleDir)) {
    addProblem(reading, {
      kind: 'missing-module',
      ...at,
      moduleDir,
      message: `module "${call.name}": no .tf file in ${moduleDir || '.'} (source ${JSON.stringify(source)})`,
    });
    return;
  }
  root.moduleInstances.push({ address: call.address, dir: moduleDir });
  instantiate(reading, moduleDir, `${call.address}.`, [...stack, moduleDir]);
}

/** Root variable values from `terraform.tfvars` and `*.auto.tfvars` (later files win, as in Terraform: lexical order). */
function readVariableValues(reading: Reading, dir: string): void {
  const paths = (reading.byDir.get(dir) ?? []).filter((path) => posix.basename(path) === 'terraform.tfvars' || path.endsWith('.auto.tfvars'));
  paths.sort((a, b) => (posix.basename(a) === 'terraform.tfvars' ? -1 : posix.basename(b) === 'terraform.tfvars' ? 1 : a.localeCompare(b)));
  const values = new Map<string, TerraformVariableValue>();
  for (const path of paths) {
    const file = parseHclFileCached(path, reading.files.get(path)!);
    reading.root.files.push(path);
    for (const problem of file.problems) addProblem(reading, problem);
    for (const attribute of Object.values(file.attributes)) values.set(attribute.name, { name: attribute.name, value: attribute.value, file: path, span: attribute.span });
  }
  reading.root.variableValues = [...values.values()];
}
