// What every Terraform rule needs, computed once: the touched resources, live resources after
// ignore rules, where an address is declared, and evidence rows that are already redacted.
import type { IgnoreRule } from '../../config-types.js';
import { declaringBlock } from '../../iac/terraform/parse-address.js';
import type { PlannedChange } from '../../live/terraform-plan/types.js';
import type { Evidence, Finding, LiveResource, PropertyDifference, TerraformBlock } from '../../types.js';
import { redactText } from '../../values/redact-text.js';
import { entryPathOfValue, redactEvidence } from '../../values/redact.js';
import { getPath } from '../values.js';
import type { TerraformEvidence } from './analyze-terraform-target.js';
import type { Touched } from './compute-touched.js';
import { declaredValue, literalAttributes, scrub, spanOf } from './declared-values.js';

export interface TerraformContext {
  evidence: TerraformEvidence;
  touched: Touched;
  /** Live instances after ignore rules, by address. */
  live: Map<string, LiveResource>;
  planned: Map<string, PlannedChange>;
  /** Texts of sensitive variables (see sensitiveTexts). */
  secrets: readonly string[];
  ignore: readonly IgnoreRule[];
}

const NO_NOECHO: ReadonlySet<string> = new Set();

/** The block declaring an address exactly, on one side. */
export function blockAt(ctx: TerraformContext, side: 'base' | 'head', address: string): TerraformBlock | undefined {
  const root = ctx.evidence.declared[side];
  const found = root ? declaringBlock(root, address) : undefined;
  return found?.exact ? found.block : undefined;
}

/**
 * The head file's lines: the attribute's when known, else the block's (a module resource's are
 * in the module's own file; a resource of a module not read here points at the module call).
 * A resource the head does not declare gets its base file and no lines (see `locate` in
 * ../context.ts: base line numbers do not point into the head commit).
 */
export function locate(ctx: TerraformContext, address: string, path?: string): Pick<Finding, 'file' | 'span'> {
  const head = ctx.evidence.declared.head;
  const found = head ? declaringBlock(head, address) : undefined;
  if (found) return { file: found.block.file, span: spanOf(found.block, found.exact ? path : undefined) };
  const base = ctx.evidence.declared.base;
  const inBase = base ? declaringBlock(base, address) : undefined;
  return inBase ? { file: inBase.block.file } : {};
}

/** A row for one live difference, redacted, and the value the code would apply (for messages). */
export function driftRow(ctx: TerraformContext, address: string, difference: PropertyDifference): { row: Evidence; code: unknown } {
  const headBlock = blockAt(ctx, 'head', address);
  const baseBlock = blockAt(ctx, 'base', address);
  const head = declaredValue(headBlock, difference.path);
  const base = declaredValue(baseBlock, difference.path);
  const raw: Evidence = {
    path: difference.path,
    ...(base ? { base: base.value } : {}),
    ...(head ? { head: head.value } : {}),
    ...(difference.expected !== undefined ? { expected: difference.expected } : {}),
    ...(difference.actual !== undefined ? { live: difference.actual } : {}),
  };
  // `{ name = "/prod/db/password", value = ... }` (an SSM parameter) is a secret by its name
  const entryPath = entryPathOfValue(difference.path);
  const entries = entryPath === undefined ? [] : [headBlock, baseBlock].map((b) => getPath(literalAttributes(b), entryPath));
  const scrubbed = scrub(raw, ctx.secrets);
  const row = redactEvidence(scrubbed, NO_NOECHO, [], entries);
  if (scrubbed !== raw && JSON.stringify(scrubbed) !== JSON.stringify(raw)) row.redacted = true;
  if ((difference as { sensitive?: boolean }).sensitive) row.redacted = true;
  // what apply writes: the literal the head declares, else what the state says (the expression's last value)
  return { row, code: head?.literal ? row.head : row.expected };
}

type Fields = Pick<Finding, 'rule' | 'severity' | 'message' | 'evidence'> & { resource: string; path?: string };

/** A finding about one address: target, type, physical id, file, lines and read time filled in. */
export function resourceFinding(ctx: TerraformContext, fields: Fields): Finding {
  const { path, ...rest } = fields;
  const live = ctx.live.get(fields.resource);
  const finding: Finding = { ...rest, message: clean(ctx, rest.message), target: ctx.evidence.target.name, ...locate(ctx, fields.resource, path) };
  const type = live?.type ?? blockAt(ctx, 'head', fields.resource)?.type ?? blockAt(ctx, 'base', fields.resource)?.type;
  if (type !== undefined) finding.resourceType = type;
  if (live?.physicalId !== undefined) finding.physicalId = scrub(live.physicalId, ctx.secrets);
  finding.liveReadAt = live?.checkedAt ?? readAt(ctx);
  return finding;
}

/** A root-wide finding: no resource; lines only when given. */
export function rootFinding(ctx: TerraformContext, fields: Pick<Finding, 'rule' | 'severity' | 'message'> & Pick<Finding, 'file' | 'span'>): Finding {
  return { ...fields, message: clean(ctx, fields.message), target: ctx.evidence.target.name, evidence: [], liveReadAt: readAt(ctx) };
}

export function readAt(ctx: TerraformContext): string {
  return ctx.evidence.live.drift?.checkedAt ?? ctx.evidence.live.readAt;
}

/** Messages quote values and the cloud's own text: sensitive texts and URL secrets go. */
function clean(ctx: TerraformContext, message: string): string {
  return redactText(scrub(message, ctx.secrets));
}
