// Which resources a pull request touches in a Terraform root, and which of their attributes it
// changes. Pure.
//
// - With a plan, its `resource_changes` is the truth: an instance is touched when the plan
//   creates, updates, replaces or deletes it for a reason other than writing back drift. An
//   attribute change the plan lists under `revertsDrift` is the pull request's own only when
//   the code edits that attribute (the declared diff says so), or the plan writes a value
//   other than the one the state had (then it is not a plain revert). A changed file in a
//   local module that changes nothing the plan applies (a comment) touches nothing.
// - Without a plan, the declared diff: resource blocks that changed, by block address (live
//   instances `module.q.aws_sqs_queue.jobs[0]` map to it through parseAddress). A change that
//   comes through a variable, local, module input or output is attributed to the attributes
//   whose expressions use it; when that cannot be told (a provider block, a module call's
//   count), the paths are unknown and the whole resource counts as changed.
import { blockAddress, parseAddress } from '../../iac/terraform/parse-address.js';
import type { PlannedChange } from '../../live/terraform-plan/types.js';
import type { LiveResource, TerraformBlock, TerraformBody, TerraformChange, TerraformRoot } from '../../types.js';
import { sameValue } from '../../values/cloudformation-value.js';
import { overlaps, toDotPath } from './declared-values.js';

export interface TouchedResource {
  /** Instance address (from a plan) or block address (from the declared diff). */
  address: string;
  /** `replace` counts as `update`: both write the code over what runs. */
  action: 'create' | 'update' | 'delete';
  /** Attribute paths (dot form) the pull request changes; undefined when which ones cannot be told. */
  paths?: string[];
  /** From a plan: every attribute path apply writes. Without a plan, undefined: apply writes back every attribute the code sets. */
  written?: string[];
  /** Changed definitions the change comes through (`var.retention`), from the declared diff. */
  because: string[];
  /** The declared change, when the declared diff has one for this block. */
  declared?: TerraformChange;
}

export interface Touched {
  fromPlan: boolean;
  resources: TouchedResource[];
  /** The touched entry a live instance address belongs to. */
  find(liveAddress: string): TouchedResource | undefined;
}

/** Nested blocks and arguments that do not change what runs. */
const META = new Set(['lifecycle', 'depends_on', 'provisioner', 'connection', 'timeouts']);

/** The block address of an instance address; the address itself when it does not parse. */
export function blockOf(address: string): string {
  const parsed = parseAddress(address);
  return parsed ? blockAddress(parsed) : address;
}

export function computeTouched(input: {
  changes: readonly TerraformChange[];
  head?: TerraformRoot;
  base?: TerraformRoot;
  planned?: readonly PlannedChange[];
  live: readonly LiveResource[];
}): Touched {
  const declared = new Map(input.changes.filter((c) => c.kind === 'resource').map((c) => [c.address, c]));
  const resources: TouchedResource[] = [];
  if (input.planned) {
    const live = new Map(input.live.map((r) => [r.logicalId, r]));
    for (const change of input.planned) {
      if (change.mode !== 'managed' || change.deposed !== undefined) continue;
      if (change.action === 'no-op' || change.action === 'read' || change.action === 'forget') continue;
      const code = declared.get(blockOf(change.address));
      const codePaths = code ? declaredPaths(code, input.head ?? input.base) : undefined;
      const common = { address: change.address, because: code?.changedBecauseOf ?? [], ...(code ? { declared: code } : {}) };
      if (change.action === 'delete') {
        resources.push({ ...common, action: 'delete', paths: [] });
      } else if (change.action === 'create') {
        // Recreating what was deleted live is the pull request's change only when its code changes the block.
        const gone = live.get(change.address)?.status === 'DELETED';
        if (!gone) resources.push({ ...common, action: 'create', paths: change.changes.map((c) => c.path) });
        else if (code && code.action === 'change') resources.push({ ...common, action: 'update', ...(codePaths ? { paths: codePaths } : {}), written: [] });
      } else {
        const drift = live.get(change.address);
        const own = change.changes.filter((c) => {
          if (!change.revertsDrift.includes(c.path)) return true;
          if (codePaths?.some((p) => overlaps(p, c.path))) return true;
          const difference = drift?.differences.find((d) => d.path === c.path);
          return c.unknown !== true && c.sensitive !== true && difference !== undefined && !sameValue(c.after, difference.expected);
        });
        if (own.length === 0) continue;
        resources.push({ ...common, action: 'update', paths: own.map((c) => c.path), written: change.changes.map((c) => c.path) });
      }
    }
  } else {
    for (const change of declared.values()) {
      const common = { address: change.address, because: change.changedBecauseOf, declared: change };
      if (change.action === 'add') resources.push({ ...common, action: 'create', paths: change.changedAttributes.map(toDotPath) });
      else if (change.action === 'remove') resources.push({ ...common, action: 'delete', paths: [] });
      else {
        const paths = declaredPaths(change, input.head ?? input.base);
        if (paths?.length === 0) continue; // only lifecycle, depends_on, ...: nothing live changes
        resources.push({ ...common, action: 'update', ...(paths ? { paths } : {}) });
      }
    }
  }
  const byAddress = new Map(resources.map((r) => [r.address, r]));
  return {
    fromPlan: input.planned !== undefined,
    resources,
    find: (liveAddress) => byAddress.get(liveAddress) ?? (input.planned ? undefined : byAddress.get(blockOf(liveAddress))),
  };
}

/** Changed attribute paths of a declared change (dot form); undefined when a change comes through something no attribute can be tied to. */
export function declaredPaths(change: TerraformChange, root: TerraformRoot | undefined): string[] | undefined {
  const own = change.changedAttributes.filter((p) => !META.has(p.split(/[.[]/)[0]!)).map(toDotPath);
  if (change.changedBecauseOf.length === 0) return [...new Set(own)];
  const block = change.head ?? change.base;
  if (!block || !root) return undefined;
  const origins = new Set(change.changedBecauseOf);
  const reached = new Set<string>();
  const paths = new Set(own);
  for (const [path, references] of attributeReferences(block)) {
    const names = namesBehind(root, block.module, references);
    const hit = [...names].filter((name) => origins.has(name));
    if (hit.length === 0) continue;
    hit.forEach((name) => reached.add(name));
    paths.add(toDotPath(path));
  }
  return [...origins].every((o) => reached.has(o)) ? [...paths] : undefined;
}

/** Each attribute of the block and of its nested blocks, by HCL path, with what its expression references. */
function attributeReferences(block: TerraformBlock): Array<[string, string[]]> {
  const out: Array<[string, string[]]> = [];
  const walk = (body: TerraformBody, prefix: string) => {
    for (const [name, attribute] of Object.entries(body.attributes)) {
      if (attribute.value.kind === 'expression' && !META.has(name)) out.push([prefix + name, attribute.value.references]);
    }
    for (const nested of body.blocks) if (!META.has(nested.type)) walk(nested, `${nested.path}.`);
  };
  walk(block, '');
  return out;
}

const MAX_NAMES = 2_000;

/**
 * Every definition an expression in `module` depends on, by the full name
 * computeTerraformChanges uses (`var.x`, `module.q.var.x`, `module.q.local.y`,
 * `module.q.output.arn`, `data.t.n`), through variables (the module call's input),
 * locals and module outputs.
 */
function namesBehind(root: TerraformRoot, module: string, references: readonly string[]): Set<string> {
  const names = new Set<string>();
  const queue: Array<[string, string]> = references.map((r) => [module, r]);
  while (queue.length > 0 && names.size < MAX_NAMES) {
    const [at, reference] = queue.pop()!;
    const parts = reference.split('.');
    const prefix = at ? `${at}.` : '';
    if (parts[0] === 'var' && parts[1]) {
      const name = `${prefix}var.${parts[1]}`;
      if (names.has(name)) continue;
      names.add(name);
      const call = at ? root.blocks.find((b) => b.kind === 'module' && b.address === at) : undefined;
      const input = call?.attributes[parts[1]]?.value;
      if (call && input?.kind === 'expression') for (const r of input.references) queue.push([call.module, r]);
    } else if (parts[0] === 'local' && parts[1]) {
      const name = `${prefix}local.${parts[1]}`;
      if (names.has(name)) continue;
      names.add(name);
      const local = root.locals.find((l) => l.module === at && l.name === parts[1]);
      if (local?.value.kind === 'expression') for (const r of local.value.references) queue.push([at, r]);
    } else if (parts[0] === 'module' && parts[1]) {
      const child = `${prefix}module.${parts[1]}`;
      names.add(child);
      if (!parts[2]) continue;
      const name = `${child}.output.${parts[2]}`;
      if (names.has(name)) continue;
      names.add(name);
      const output = root.outputs.find((o) => o.module === child && o.name === parts[2]);
      if (output?.value?.kind === 'expression') for (const r of output.value.references) queue.push([child, r]);
    } else if (parts[0] === 'data' && parts[2]) {
      names.add(`${prefix}data.${parts[1]}.${parts[2]}`);
    }
  }
  return names;
}
