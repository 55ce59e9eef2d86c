// Terraform resource addresses as plans and states write them, instance keys included
// (`module.q["a"].aws_sqs_queue.jobs[0]`, `data.aws_iam_policy_document.x`), and the way
// back from such an address to the block that declares it.
import type { TerraformBlock, TerraformRoot } from '../../types.js';

export interface AddressStep {
  name: string;
  /** `[0]` -> 0, `["a"]` -> "a"; absent without a key. */
  key?: string | number;
}

export interface ParsedAddress {
  /** Module calls from the root, each with its instance key. */
  modules: AddressStep[];
  /** `module` when the address names a module instance itself (`module.q["a"]`). */
  mode: 'managed' | 'data' | 'module';
  type?: string;
  name: string;
  key?: string | number;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*/;

/** Parses an address; undefined when it is not one. */
export function parseAddress(address: string): ParsedAddress | undefined {
  let rest = address;
  const name = (): string | undefined => {
    const match = NAME.exec(rest);
    if (!match) return undefined;
    rest = rest.slice(match[0].length);
    return match[0];
  };
  const dot = (): boolean => {
    if (!rest.startsWith('.')) return false;
    rest = rest.slice(1);
    return true;
  };
  const key = (): { ok: boolean; key?: string | number } => {
    if (!rest.startsWith('[')) return { ok: true };
    const number = /^\[(\d+)\]/.exec(rest);
    if (number) {
      rest = rest.slice(number[0].length);
      return { ok: true, key: Number(number[1]) };
    }
    const string = /^\["((?:[^"\\]|\\.)*)"\]/.exec(rest);
    if (!string) return { ok: false };
    rest = rest.slice(string[0].length);
    try {
      return { ok: true, key: JSON.parse(`"${string[1]}"`) as string };
    } catch {
      return { ok: false };
    }
  };

  const modules: AddressStep[] = [];
  for (;;) {
    const first = name();
    if (first === undefined) return undefined;
    if (first === 'module') {
      if (!dot()) return undefined;
      const moduleName = name();
      if (moduleName === undefined) return undefined;
      const instance = key();
      if (!instance.ok) return undefined;
      modules.push(instance.key === undefined ? { name: moduleName } : { name: moduleName, key: instance.key });
      if (rest === '') {
        const last = modules.pop()!;
        return { modules, mode: 'module', name: last.name, ...(last.key === undefined ? {} : { key: last.key }) };
      }
      if (!dot()) return undefined;
      continue;
    }
    let mode: 'managed' | 'data' = 'managed';
    let type = first;
    if (first === 'data') {
      if (!dot()) return undefined;
      const dataType = name();
      if (dataType === undefined) return undefined;
      mode = 'data';
      type = dataType;
    }
    if (!dot()) return undefined;
    const resourceName = name();
    if (resourceName === undefined) return undefined;
    const instance = key();
    if (!instance.ok || rest !== '') return undefined;
    return { modules, mode, type, name: resourceName, ...(instance.key === undefined ? {} : { key: instance.key }) };
  }
}

/** The address of the declaring block: instance keys dropped (`module.q.aws_sqs_queue.jobs`). */
export function blockAddress(parsed: ParsedAddress): string {
  const prefix = parsed.modules.map((step) => `module.${step.name}.`).join('');
  if (parsed.mode === 'module') return `${prefix}module.${parsed.name}`;
  return `${prefix}${parsed.mode === 'data' ? 'data.' : ''}${parsed.type}.${parsed.name}`;
}

const indexes = new WeakMap<TerraformRoot, Map<string, TerraformBlock>>();

/**
 * The block that declares a plan or state address. `exact: false` when the resource sits in a
 * module that is not read here (registry or git source, or a missing one): then the block is
 * the nearest module call, the line a reviewer can act on. Undefined when nothing declares it
 * (the address is not valid, or the root does not declare it).
 */
export function declaringBlock(root: TerraformRoot, address: string): { block: TerraformBlock; exact: boolean } | undefined {
  const parsed = parseAddress(address);
  if (!parsed) return undefined;
  let index = indexes.get(root);
  if (!index) {
    index = new Map();
    for (const block of root.blocks) {
      if (block.kind === 'resource' || block.kind === 'data' || block.kind === 'module') index.set(block.address, block);
    }
    indexes.set(root, index);
  }
  const exact = index.get(blockAddress(parsed));
  if (exact) return { block: exact, exact: true };
  for (let depth = parsed.modules.length; depth > 0; depth--) {
    const call = index.get(parsed.modules.slice(0, depth).map((step) => `module.${step.name}`).join('.'));
    // a local module that was read declares its resources; not finding one there means the root does not declare it
    if (call) return call.moduleDir !== undefined && root.moduleInstances.some((m) => m.address === call.address) ? undefined : { block: call, exact: false };
  }
  return undefined;
}
