// A Terraform state file (format version 4, written by Terraform 0.12 and every 1.x) into its
// managed resource instances with their full addresses. Pure; a file that is not a v4 state
// gets an error that says what was found instead.
import { lineOf, locateJsonError } from '../../iac/cloudformation/locate-json-error.js';
import { isRecord } from '../../values/cloudformation-value.js';
import type { StateInstance, StateParseResult } from './types.js';

/**
 * `where` names the file in messages (`s3://bucket/key`). Data sources are skipped (they are
 * read, not managed), and so are deposed objects (a `create_before_destroy` replacement
 * that has not finished: the current object is the one to compare).
 */
export function parseState(text: string, where: string): StateParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, code: 'InvalidState', message: `${where} is not JSON (${locate(text)}), so it is not a Terraform state file` };
  }
  if (!isRecord(doc)) return { ok: false, code: 'InvalidState', message: `${where} is not a Terraform state file (the document is not a JSON object)` };
  if (doc.version !== 4) {
    const found = doc.version === undefined ? 'no `version` field' : `\`version\`: ${JSON.stringify(doc.version)}`;
    const hint = typeof doc.version === 'number' && doc.version < 4 ? ' (written by Terraform 0.11 or older: run `terraform init` with Terraform 1.x to upgrade it)' : '';
    return { ok: false, code: 'UnsupportedStateVersion', message: `${where} has ${found}${hint}; realitycheck reads Terraform state format version 4 (Terraform 0.12 and 1.x)` };
  }
  if (!Array.isArray(doc.resources ?? [])) {
    return { ok: false, code: 'InvalidState', message: `${where}: \`resources\` is not a list` };
  }
  const instances: StateInstance[] = [];
  const resources = (doc.resources ?? []) as unknown[];
  for (const [i, resource] of resources.entries()) {
    if (!isRecord(resource)) return { ok: false, code: 'InvalidState', message: `${where}: resources[${i}] is not an object` };
    if (resource.mode !== 'managed') continue;
    const { type, name } = resource;
    if (typeof type !== 'string' || typeof name !== 'string') {
      return { ok: false, code: 'InvalidState', message: `${where}: resources[${i}] has no \`type\` or \`name\`` };
    }
    const module = typeof resource.module === 'string' ? resource.module : '';
    const resourceAddress = `${module ? `${module}.` : ''}${type}.${name}`;
    const objects = Array.isArray(resource.instances) ? resource.instances : [];
    for (const [j, object] of objects.entries()) {
      if (!isRecord(object)) return { ok: false, code: 'InvalidState', message: `${where}: ${resourceAddress} instances[${j}] is not an object` };
      if (object.deposed !== undefined) continue;
      instances.push(toInstance(object, { type, name, module, resourceAddress, provider: typeof resource.provider === 'string' ? resource.provider : '' }));
    }
  }
  return {
    ok: true,
    state: {
      terraformVersion: typeof doc.terraform_version === 'string' ? doc.terraform_version : 'unknown',
      serial: typeof doc.serial === 'number' ? doc.serial : 0,
      lineage: typeof doc.lineage === 'string' ? doc.lineage : '',
      instances,
    },
  };
}

interface ResourceHead {
  type: string;
  name: string;
  module: string;
  resourceAddress: string;
  provider: string;
}

function toInstance(object: Record<string, unknown>, head: ResourceHead): StateInstance {
  const key = object.index_key;
  const indexKey = typeof key === 'number' || typeof key === 'string' ? key : undefined;
  const instance: StateInstance = {
    address: `${head.resourceAddress}${indexSuffix(indexKey)}`,
    resourceAddress: head.resourceAddress,
    module: head.module,
    type: head.type,
    name: head.name,
    provider: head.provider,
    ...(indexKey !== undefined ? { indexKey } : {}),
    ...(typeof object.schema_version === 'number' ? { schemaVersion: object.schema_version } : {}),
    ...(typeof object.status === 'string' ? { status: object.status } : {}),
    attributes: isRecord(object.attributes) ? object.attributes : {},
    sensitivePaths: sensitivePaths(object.sensitive_attributes),
  };
  if (!isRecord(object.attributes)) {
    instance.unusable = object.attributes_flat !== undefined
      ? 'the state holds this instance in the pre-0.12 flatmap form (`attributes_flat`); a `terraform apply` with Terraform 1.x rewrites it'
      : 'the state holds no attributes for this instance';
    // Nothing of a flatmap is handed out: it is not known which of its values are sensitive.
    instance.sensitivePaths = [''];
  }
  return instance;
}

/** `[0]` for a count index, `["a"]` for a for_each key, as Terraform prints addresses. */
export function indexSuffix(key: number | string | undefined): string {
  if (key === undefined) return '';
  return typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

/**
 * `sensitive_attributes` is a list of paths, each a list of steps: `{ type: 'get_attr',
 * value: 'password' }` or `{ type: 'index', value: { value: 0, type: 'number' } }`. A step of
 * a form not known here ends the path there, so the whole value above it is treated as
 * sensitive (fail closed); an unknown first step makes every attribute sensitive (`''`).
 */
export function sensitivePaths(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return [''];
  const out = new Set<string>();
  for (const path of raw) {
    if (!Array.isArray(path)) {
      out.add('');
      continue;
    }
    const segments: string[] = [];
    for (const step of path) {
      const segment = stepSegment(step);
      if (segment === undefined) break;
      segments.push(segment);
    }
    out.add(segments.join('.'));
  }
  return [...out];
}

function stepSegment(step: unknown): string | undefined {
  if (!isRecord(step)) return undefined;
  if (step.type === 'get_attr' && typeof step.value === 'string') return step.value;
  if (step.type === 'index' && isRecord(step.value)) {
    const v = step.value.value;
    if (typeof v === 'number' || typeof v === 'string') return String(v);
  }
  return undefined;
}

/**
 * `line 3, column 7: expected ',' or '}', found 'S…'` for a text JSON.parse refused. Never
 * the engine's own message: Node 20 quotes the source around the error
 * (`..."assword": Sup3rS3cre"... is not valid JSON`), and a state holds secrets in plain
 * text. The locator names at most one character of what it found.
 */
function locate(text: string): string {
  const problem = locateJsonError(text);
  if (!problem) return 'not valid JSON';
  const lineStart = text.lastIndexOf('\n', problem.offset - 1) + 1;
  return `line ${lineOf(text, problem.offset)}, column ${problem.offset - lineStart + 1}: ${problem.message}`;
}
