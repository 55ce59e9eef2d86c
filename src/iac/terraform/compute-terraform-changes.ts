// What a pull request changes in a Terraform root: base vs head, by address. Pure.
//
// A block changes when its own attributes or nested blocks differ (values compared as
// evaluated literals, or as normalized expression text: comments and layout do not count),
// or when something it uses changed: a variable's default or tfvars value, a local, a module
// input, a module call's source/count/for_each, a data source, a module output, a provider
// block. That goes through any chain (var -> local -> module input -> var in the module ->
// resource), across every instance of a module. Resources do not pass changes on to the
// resources that reference them: what Terraform does then is the plan's to say.
import { posix } from 'node:path';
import type { HclValue, TerraformBlock, TerraformBody, TerraformChange, TerraformChanges, TerraformRoot } from '../../types.js';
import { MODULE_META_ARGUMENTS } from './parse-root.js';

interface Definition {
  /** Canonical text of what this name is set to: equal on both sides means unchanged. */
  canon: string;
  /** Keys (`<module path>|<name>`) of what the definition uses. */
  deps: string[];
}

type Graph = Map<string, Definition>;

/**
 * @param changedFiles the pull request's changed file paths, when known: a local module
 *   instance whose directory holds one is listed in `touchedModules` (also for a comment-only edit).
 */
export function computeTerraformChanges(base: TerraformRoot, head: TerraformRoot, changedFiles?: Iterable<string>): TerraformChanges {
  const graphs = { base: buildGraph(base), head: buildGraph(head) };
  const origins = new Map<string, Set<string>>();
  const visiting = new Set<string>();

  /** The changed definitions behind a key (the key itself when its own definition changed). */
  const originsOf = (key: string): Set<string> => {
    const known = origins.get(key);
    if (known) return known;
    if (visiting.has(key)) return new Set(); // a cycle (invalid Terraform): nothing more to learn on this path
    const before = graphs.base.get(key);
    const after = graphs.head.get(key);
    if (!before && !after && key.includes('|output.')) {
      // an output of a module that is not read here (registry, git): it changes with the call
      const result = originsOf(key.replace(/\|output\..*$/, '|outputs'));
      origins.set(key, result);
      return result;
    }
    visiting.add(key);
    let result: Set<string>;
    if (before?.canon !== after?.canon) result = new Set([displayName(key)]);
    else {
      result = new Set();
      for (const dep of new Set([...(before?.deps ?? []), ...(after?.deps ?? [])])) for (const origin of originsOf(dep)) result.add(origin);
    }
    visiting.delete(key);
    origins.set(key, result);
    return result;
  };

  const baseBlocks = new Map(base.blocks.map((block) => [`${block.kind} ${block.address}`, block]));
  const headBlocks = new Map(head.blocks.map((block) => [`${block.kind} ${block.address}`, block]));
  const changes: TerraformChange[] = [];
  for (const key of new Set([...baseBlocks.keys(), ...headBlocks.keys()])) {
    const before = baseBlocks.get(key);
    const after = headBlocks.get(key);
    const block = (after ?? before)!;
    const common = { address: block.address, kind: block.kind, ...(before ? { base: before } : {}), ...(after ? { head: after } : {}) };
    if (!before || !after) {
      changes.push({ ...common, action: before ? 'remove' : 'add', changedAttributes: topLevelPaths(block), changedBecauseOf: [] });
      continue;
    }
    const changedAttributes: string[] = [];
    diffBody(before, after, '', changedAttributes);
    const because = new Set<string>();
    for (const dep of new Set([...blockDeps(before), ...blockDeps(after)])) for (const origin of originsOf(dep)) because.add(origin);
    if (changedAttributes.length === 0 && because.size === 0) continue;
    changes.push({ ...common, action: 'change', changedAttributes, changedBecauseOf: [...because].sort() });
  }
  changes.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : a.kind.localeCompare(b.kind)));
  return { changes, touchedModules: touchedModules(base, head, changedFiles), problems: { base: base.problems, head: head.problems } };
}

// ---------------------------------------------------------------- comparing blocks

export function canonicalValue(value: HclValue | undefined): string {
  if (!value) return '';
  return value.kind === 'literal' ? `L${stableJson(value.value)}` : `E${value.normalized}`;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** Deepest differing paths: an attribute, or a nested block present on one side only. */
function diffBody(before: TerraformBody, after: TerraformBody, prefix: string, out: string[]): void {
  for (const name of new Set([...Object.keys(before.attributes), ...Object.keys(after.attributes)])) {
    if (canonicalValue(before.attributes[name]?.value) !== canonicalValue(after.attributes[name]?.value)) out.push(prefix + name);
  }
  const beforeBlocks = new Map(before.blocks.map((block) => [block.path, block]));
  const afterBlocks = new Map(after.blocks.map((block) => [block.path, block]));
  for (const path of new Set([...beforeBlocks.keys(), ...afterBlocks.keys()])) {
    const a = beforeBlocks.get(path);
    const b = afterBlocks.get(path);
    if (a && b) diffBody(a, b, `${path}.`, out);
    else out.push(path);
  }
}

function canonicalBody(body: TerraformBody): string {
  const attributes = Object.keys(body.attributes)
    .sort()
    .map((name) => `${name}=${canonicalValue(body.attributes[name]!.value)}`);
  const blocks = body.blocks.map((block) => `${block.path}{${canonicalBody(block)}}`);
  return [...attributes, ...blocks].join(';');
}

function topLevelPaths(block: TerraformBlock): string[] {
  return [...Object.keys(block.attributes), ...block.blocks.map((nested) => nested.path)];
}

// ---------------------------------------------------------------- what uses what

/** `module.a.module.b` + `var.x` -> `module.a.module.b|var.x`. */
const key = (module: string, name: string) => `${module}|${name}`;

/** `module.a|var.x` -> `module.a.var.x`; `|local.y` -> `local.y`; a module call's key names the call. */
function displayName(graphKey: string): string {
  const [module, name] = graphKey.split('|') as [string, string];
  if (name === 'outputs') return module;
  return module ? `${module}.${name}` : name;
}

const childPath = (module: string, call: string) => (module ? `${module}.module.${call}` : `module.${call}`);

/** The graph key a reference resolves to in a module, or undefined for what is not tracked (resources). */
function resolve(module: string, reference: string): string | undefined {
  const parts = reference.split('.');
  switch (parts[0]) {
    case 'var':
    case 'local':
      return key(module, reference);
    case 'data':
      return key(module, reference);
    case 'module':
      return parts[2] ? key(childPath(module, parts[1]!), `output.${parts[2]}`) : key(childPath(module, parts[1]!), 'outputs');
    default:
      return undefined;
  }
}

function resolveAll(module: string, references: Iterable<string>): string[] {
  const keys: string[] = [];
  for (const reference of references) {
    const resolved = resolve(module, reference);
    if (resolved) keys.push(resolved);
  }
  return keys;
}

function valueReferences(value: HclValue | undefined): string[] {
  return value?.kind === 'expression' ? value.references : [];
}

/**
 * What a block depends on besides its own text: what its attributes reference (for a module
 * call: its inputs too, so a call of a registry module changes with its inputs), the calls of
 * the modules it sits in, and its provider.
 */
function blockDeps(block: TerraformBlock): string[] {
  return [...resolveAll(block.module, block.references), ...enclosingCalls(block.module), ...providerDeps(block)];
}

/** `module.a.module.b` -> the call nodes of `module.a` (in the root) and of `module.b` (in module.a). */
function enclosingCalls(module: string): string[] {
  const calls = module ? module.split(/\.(?=module\.)/) : [];
  return calls.map((call, i) => key(calls.slice(0, i).join('.'), call));
}

function providerDeps(block: TerraformBlock): string[] {
  return block.type && (block.kind === 'resource' || block.kind === 'data') ? [key('', `provider.${block.type.split('_')[0]}`)] : [];
}

function buildGraph(root: TerraformRoot): Graph {
  const graph: Graph = new Map();
  const calls = new Map(root.blocks.filter((block) => block.kind === 'module').map((block) => [block.address, block]));
  const tfvars = new Map(root.variableValues.map((value) => [value.name, value]));

  for (const variable of root.variables) {
    if (variable.module === '') {
      const value = tfvars.get(variable.name)?.value ?? variable.default;
      graph.set(key('', `var.${variable.name}`), { canon: canonicalValue(value), deps: [] });
      continue;
    }
    const call = calls.get(variable.module);
    const input = call?.attributes[variable.name];
    const value = input?.value ?? variable.default;
    graph.set(key(variable.module, `var.${variable.name}`), { canon: canonicalValue(value), deps: input && call ? resolveAll(call.module, valueReferences(input.value)) : [] });
  }
  for (const local of root.locals) {
    graph.set(key(local.module, `local.${local.name}`), { canon: canonicalValue(local.value), deps: resolveAll(local.module, valueReferences(local.value)) });
  }
  const outputsByModule = new Map<string, string[]>();
  for (const output of root.outputs) {
    const outputKey = key(output.module, `output.${output.name}`);
    graph.set(outputKey, { canon: canonicalValue(output.value), deps: resolveAll(output.module, valueReferences(output.value)) });
    outputsByModule.set(output.module, [...(outputsByModule.get(output.module) ?? []), outputKey]);
  }
  for (const [module, outputs] of outputsByModule) graph.set(key(module, 'outputs'), { canon: '', deps: outputs });
  // a module that is not read (registry, git, missing): what it gives back is only known to
  // change with its call, inputs included
  const read = new Set(root.moduleInstances.map((instance) => instance.address));
  for (const call of calls.values()) {
    if (read.has(call.address)) continue;
    graph.set(key(call.address, 'outputs'), { canon: canonicalBody(call), deps: [...resolveAll(call.module, call.references), ...enclosingCalls(call.module)] });
  }
  for (const block of root.blocks) {
    if (block.kind === 'data') {
      graph.set(key(block.module, block.address.slice(block.module ? block.module.length + 1 : 0)), { canon: canonicalBody(block), deps: blockDeps(block) });
    } else if (block.kind === 'module') {
      const meta = Object.keys(block.attributes)
        .filter((name) => MODULE_META_ARGUMENTS.has(name))
        .sort()
        .map((name) => `${name}=${canonicalValue(block.attributes[name]!.value)}`)
        .join(';');
      // what the resources inside depend on: the call's meta arguments (inputs reach them as `var.*`)
      const metaReferences = Object.entries(block.attributes).flatMap(([name, attribute]) => (MODULE_META_ARGUMENTS.has(name) ? valueReferences(attribute.value) : []));
      graph.set(key(block.module, `module.${block.name}`), { canon: meta, deps: [...resolveAll(block.module, metaReferences), ...enclosingCalls(block.module)] });
    }
  }
  const providers = new Map<string, string[]>();
  for (const provider of root.providers) {
    if (provider.module !== '') continue;
    const canon = `${provider.alias ?? ''}{${canonicalBody({ attributes: provider.attributes, blocks: [] })}|${canonicalValue(provider.defaultTags)}}`;
    providers.set(provider.name, [...(providers.get(provider.name) ?? []), canon]);
  }
  for (const [name, canons] of providers) graph.set(key('', `provider.${name}`), { canon: canons.sort().join(','), deps: [] });
  return graph;
}

// ---------------------------------------------------------------- touched modules

function touchedModules(base: TerraformRoot, head: TerraformRoot, changedFiles: Iterable<string> | undefined): TerraformChanges['touchedModules'] {
  if (!changedFiles) return [];
  const byDir = new Map<string, string[]>();
  for (const file of changedFiles) {
    const dir = posix.dirname(file) === '.' ? '' : posix.dirname(file);
    byDir.set(dir, [...(byDir.get(dir) ?? []), file]);
  }
  const seen = new Set<string>();
  const touched: TerraformChanges['touchedModules'] = [];
  for (const instance of [...head.moduleInstances, ...base.moduleInstances]) {
    const id = `${instance.address}|${instance.dir}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const files = byDir.get(instance.dir)?.filter((file) => file.endsWith('.tf'));
    if (files?.length) touched.push({ address: instance.address, dir: instance.dir, files: files.sort() });
  }
  return touched.sort((a, b) => a.address.localeCompare(b.address));
}
