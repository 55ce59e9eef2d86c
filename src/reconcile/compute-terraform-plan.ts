// What to write back into a Terraform root (as the default branch has it) from its live
// differences (state against Cloud Control, or a plan's resource_drift): each drifted
// attribute is edited in the file of the module that declares it, so one refresh may edit
// several files. Everything a person must decide becomes a follow-up. Pure.
import type { IgnoreRule } from '../config-types.js';
import type { LiveState, PropertyDifference, TerraformBlock, TerraformRoot } from '../types.js';
import { matchesIgnoreRule } from '../analyze/apply-ignore.js';
import { declaredValue, scrub } from '../analyze/terraform/declared-values.js';
import { declaringBlock } from '../iac/terraform/parse-address.js';
import { sameValue } from '../values/cloudformation-value.js';
import { REDACTED, isSecretPath, redactValue } from '../values/redact.js';
import type { ValueEdit } from './types.js';
import { groupEdits, inDeclaredType, toPathSegments, type EvidenceRow, type FollowUp, type ReconcilePlan } from './reconcile-plan.js';

export interface TerraformPlanInput {
  target: string;
  root: TerraformRoot;
  live: LiveState;
  ignore: readonly IgnoreRule[];
  /** Texts of sensitive variables (analyze/terraform/declared-values.ts sensitiveTexts). */
  secrets: readonly string[];
}

/**
 * Attributes AWS computes (identifiers, ARNs, the merged tags): a live value there cannot be
 * written into code. Evidence from `resource_drift` can name them; Cloud Control mappings do not.
 */
const COMPUTED = /^(id|arn|url|owner_id|unique_id|tags_all|create_date|creation_date|last_modified|etag|version_id)(\.|$)/;

export function computeTerraformPlan(input: TerraformPlanInput): ReconcilePlan {
  const { root, live } = input;
  const edits: Array<{ file: string; format: 'hcl'; edit: ValueEdit }> = [];
  const evidence: EvidenceRow[] = [];
  const followUps: FollowUp[] = [];
  const source = live.source === 'terraform-plan' ? 'Terraform plan (resource_drift)' : 'Terraform state and AWS Cloud Control';
  const show = (path: string, value: unknown) => scrub(redactValue(path, value), input.secrets);

  for (const resource of live.drift?.resources ?? []) {
    const address = resource.logicalId;
    const found = declaringBlock(root, address);
    const block = found?.exact ? found.block : undefined;
    const readAt = resource.checkedAt ?? live.drift?.checkedAt ?? live.readAt;
    if (resource.status === 'DELETED') {
      followUps.push({ resource: address, reason: 'deleted', detail: `${address} was deleted outside Terraform: terraform apply creates it again; import it, or remove it from the code.`, ...(block ? { file: block.file } : {}) });
      continue;
    }
    if (resource.status !== 'MODIFIED') continue;
    const differences = resource.differences.filter((d) => !input.ignore.some((rule) => matchesIgnoreRule(rule, resource, d.path)));
    if (differences.length === 0) continue;
    if (!block) {
      followUps.push({ resource: address, reason: 'not-found', detail: `${address} is declared in a module this app does not read (registry or git source): change its inputs by hand.` });
      continue;
    }
    const repeated = repeatedBy(root, block);
    for (const difference of differences) {
      const declared = declaredValue(block, difference.path);
      // the code on the default branch already says what runs (a merged reconcile, not yet applied)
      if (declared?.literal && sameValue(declared.value, difference.actual)) continue;
      // neither the code nor the state has it: a default AWS reports, not a change made live
      // (a tag is never a default: one added live has no state value either)
      if (declared === undefined && (difference.expected === undefined || difference.expected === null) && !/^tags\./.test(difference.path)) continue;
      const row = { declared: declared ? show(difference.path, declared.value) : undefined, live: show(difference.path, difference.actual) };
      evidence.push({ resource: address, property: difference.path, ...row, readAt, source });
      const followUp = (reason: FollowUp['reason'], detail: string, liveValue: unknown = row.live): void => {
        followUps.push({ resource: address, path: difference.path, reason, live: liveValue, detail, file: block.file });
      };
      const secret = isSecretPath(difference.path) || containsRedacted(difference.actual) || row.live !== difference.actual;
      if (secret) {
        followUp('secret', `${difference.path} of ${address} is sensitive and was changed live: rotate it where it is stored; it is never written into code.`, REDACTED);
      } else if (COMPUTED.test(difference.path)) {
        followUp('computed', `${difference.path} of ${address} is computed by the provider; nothing in the code sets it.`);
      } else if (repeated) {
        followUp('repeated', `${address} is one instance of ${repeated}; editing the block would change every instance.`);
      } else if (difference.kind === 'REMOVE' || difference.actual === undefined || difference.actual === null) {
        followUp('removed', `${difference.path} of ${address} was removed live: remove it from the code, or apply to set it again.`);
      } else {
        const edit = editFor(block, difference, declared);
        if ('edit' in edit) edits.push({ file: block.file, format: 'hcl', edit: edit.edit });
        else followUp('expression', edit.expression);
      }
    }
  }
  return { target: input.target, kind: 'terraform', files: groupEdits(edits), evidence, followUps };
}

/** The block's own address inside its module file (`aws_sqs_queue.jobs`), as the editor finds it. */
function localAddress(block: TerraformBlock): string {
  return `${block.kind === 'data' ? 'data.' : ''}${block.type}.${block.name}`;
}

function editFor(block: TerraformBlock, difference: PropertyDifference, declared: ReturnType<typeof declaredValue>): { edit: ValueEdit } | { expression: string } {
  const resource = localAddress(block);
  const tag = /^(tags)\.(.+)$/.exec(difference.path);
  if (tag) {
    const map = declaredValue(block, 'tags');
    if (map && !map.literal) return { expression: `tags of ${block.address} is computed (${String(map.value)}); add the tag ${tag[2]} where the map is built.` };
    return { edit: { resource, path: ['tags'], op: { kind: 'tag', key: tag[2]!, value: String(difference.actual) } } };
  }
  if (declared && !declared.literal) {
    return { expression: `${difference.path} of ${block.address} is computed by the code (${String(declared.value)}); change the variable, local or module input it comes from.` };
  }
  return { edit: { resource, path: toPathSegments(difference.path), op: { kind: 'set', value: inDeclaredType(difference.actual, declared?.value) } } };
}

/** What makes one block stand for several instances: its own count / for_each, or a module called with them or more than once. */
function repeatedBy(root: TerraformRoot, block: TerraformBlock): string | undefined {
  if (block.repetition) return `a block with ${block.repetition}`;
  if (block.module === '') return undefined;
  const dir = root.moduleInstances.find((m) => m.address === block.module)?.dir;
  if (dir !== undefined && root.moduleInstances.filter((m) => m.dir === dir).length > 1) return `the module in ${dir}, which is used more than once`;
  // `module.a.module.b`: the calls `module.a` and `module.a.module.b`
  const parts = block.module.split('.');
  for (let n = 2; n <= parts.length; n += 2) {
    const call = root.blocks.find((b) => b.kind === 'module' && b.address === parts.slice(0, n).join('.'));
    if (call?.repetition) return `a module called with ${call.repetition}`;
  }
  return undefined;
}

function containsRedacted(value: unknown): boolean {
  if (value === REDACTED) return true;
  if (Array.isArray(value)) return value.some(containsRedacted);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsRedacted);
  return false;
}
