// One Terraform root, the pure part: declared (base, head, what changed), the plan's changes
// when a plan was read, and live state in; findings before policy and the target's result out.
// Rules: terraform-drift-rules.ts (conflict, revert, deleted, drift-elsewhere) and
// terraform-gap-rules.ts (unparseable, unreadable) and terraform-unmanaged-rules.ts (unmanaged,
// from the Cloud Control lookups by name in `evidence.unmanaged`).
import type { IgnoreRule } from '../../config-types.js';
import type { PlannedChange } from '../../live/terraform-plan/types.js';
import type { UnmanagedFound } from '../../live/terraform-state/find-unmanaged.js';
import type { Coverage, LiveResource, LiveState, ResourceChange, ScopeNote, TargetResult, TerraformChanges, TerraformRoot, Unreadable } from '../../types.js';
import { applyIgnoreRules } from '../apply-ignore.js';
import type { TargetAnalysis } from '../analyze-target.js';
import { computeCoverage } from '../coverage.js';
import { sortFindings } from '../findings.js';
import { leavesUnchecked, scopeNoteFindings } from '../rules/scope-notes.js';
import { isLiveRead } from '../verdict.js';
import { computeTouched, type Touched } from './compute-touched.js';
import { overlaps, sensitiveTexts } from './declared-values.js';
import { terraformDriftFindings } from './terraform-drift-rules.js';
import { coverageGapFindings, leavesModulesUnread, problemFindings, unreadableFindings } from './terraform-gap-rules.js';
import { unmanagedFindings } from './terraform-unmanaged-rules.js';
import type { TerraformContext } from './terraform-context.js';

export interface TerraformEvidence {
  target: TargetResult['target'];
  notes: ScopeNote[];
  declared: { base?: TerraformRoot; head?: TerraformRoot; changes: TerraformChanges };
  /** Source A: the plan's resource_changes (what the PR really does), when a plan was read. */
  planned?: PlannedChange[];
  /**
   * Live state: from the plan (computePlanLiveState) or the state source (TerraformStateLive.live).
   * Its `unreadable` says what could not be read and `drift.resources` holds one LiveResource
   * per instance address.
   */
  live: LiveState;
  /** Source B only: Cloud Control coverage. */
  counts?: { compared: number; notChecked: number; leftOut: number; bound: number };
  /**
   * Which read it was, for the report: the plan's workflow run and artifact (source A), or
   * the state file's location (source B, `s3://bucket/key`). Without it the report names
   * the kind of source only.
   */
  origin?: { plan: { runId: number; workflow?: string; url?: string; artifact?: string } } | { state: { location: string } };
  /**
   * Names the pull request creates (bucket, queue, table, role, function) looked up live by
   * Cloud Control: found ones exist outside this root; `unreadable` lookups are unknown, never
   * free; `skipped` when the app has no AWS access for the target.
   */
  unmanaged?: { found: UnmanagedFound[]; unreadable: Unreadable[]; skipped?: string };
}

export function analyzeTerraformTarget(evidence: TerraformEvidence, ignore: IgnoreRule[]): TargetAnalysis {
  const { live, declared } = evidence;
  const raw = live.drift?.resources ?? [];
  const touched = computeTouched({
    changes: declared.changes.changes,
    ...(declared.head ? { head: declared.head } : {}),
    ...(declared.base ? { base: declared.base } : {}),
    ...(evidence.planned ? { planned: evidence.planned } : {}),
    live: raw,
  });
  // 1. expected drift out first, counted; never on an attribute the pull request edits
  const { resources, ignored } = applyIgnoreRules(raw, ignore, ignoreGuards(raw, touched));
  const ctx: TerraformContext = {
    evidence,
    touched,
    live: new Map(resources.map((r) => [r.logicalId, r])),
    planned: new Map((evidence.planned ?? []).map((c) => [c.address, c])),
    secrets: sensitiveTexts([declared.base, declared.head]),
    ignore,
  };
  // 2. every rule over the same context
  const unreadable = unreadableFindings(ctx);
  const gaps = coverageGapFindings(ctx);
  const findings = sortFindings([
    ...problemFindings(ctx),
    ...unreadable.findings,
    ...gaps.findings,
    ...terraformDriftFindings(ctx),
    ...unmanagedFindings(ctx),
    ...scopeNoteFindings(evidence.target.name, evidence.notes),
  ]);
  const result: Omit<TargetResult, 'conclusion'> = {
    target: evidence.target,
    changes: touched.resources.map((r) => resourceChange(ctx, r)),
    findings,
    ignored,
    ...(live.drift ? { coverage: coverage(resources, evidence.counts) } : {}),
    live: {
      source: live.source,
      readAt: live.readAt,
      ...(live.drift ? { detection: { reused: live.drift.reused, checkedAt: live.drift.checkedAt, status: live.drift.status } } : {}),
      ...(describeOrigin(evidence) ? { detail: describeOrigin(evidence)! } : {}),
    },
  };
  // success needs all of it read: the live state, every touched resource (described by the plan), every local module and file
  const liveRead = isLiveRead(live) && unreadable.touchedUnchecked === 0 && gaps.unchecked === 0 && !leavesModulesUnread(ctx) && !evidence.notes.some(leavesUnchecked);
  return { result, liveRead };
}

/**
 * What applyIgnoreRules must not ignore, as ResourceChanges by instance: on a resource the
 * pull request updates, every difference on an attribute it changes (both ways: an edit of
 * `ingress.0.from_port` guards a difference on the whole `ingress`), or every difference when
 * which attributes it changes cannot be told. Listing the changed paths too marks the rest as
 * reverted when ignored.
 */
function ignoreGuards(live: readonly LiveResource[], touched: Touched): ResourceChange[] {
  const guards: ResourceChange[] = [];
  for (const resource of live) {
    const entry = touched.find(resource.logicalId);
    if (entry?.action !== 'update') continue;
    const edited = resource.differences.filter((d) => entry.paths === undefined || entry.paths.some((p) => overlaps(p, d.path))).map((d) => d.path);
    const changedProperties = [...new Set([...edited, ...(entry.paths ?? [])])];
    // `*` (no attribute is named so) only marks the resource as updated, so what is ignored on it is marked reverted
    guards.push({ logicalId: resource.logicalId, type: resource.type, action: 'change', changedProperties: changedProperties.length > 0 ? changedProperties : ['*'], changedAttributes: [] });
  }
  return guards;
}

function resourceChange(ctx: TerraformContext, r: Touched['resources'][number]): ResourceChange {
  const type = ctx.live.get(r.address)?.type ?? ctx.planned.get(r.address)?.type ?? r.declared?.head?.type ?? r.declared?.base?.type ?? '';
  const action = r.action === 'create' ? 'add' : r.action === 'delete' ? 'remove' : 'change';
  return { logicalId: r.address, type, action, changedProperties: r.paths ?? [], changedAttributes: [] };
}

function coverage(resources: Parameters<typeof computeCoverage>[0], counts: TerraformEvidence['counts']): Coverage {
  const covered = computeCoverage(resources);
  if (!counts || counts.leftOut === 0) return covered;
  // the state source lists left-out resources as NOT_CHECKED; the report counts them apart
  return { ...covered, notChecked: Math.max(0, covered.notChecked - counts.leftOut), leftOut: counts.leftOut };
}

function describeOrigin(evidence: TerraformEvidence): string | undefined {
  const origin = evidence.origin;
  if (!origin) return undefined;
  if ('plan' in origin) {
    const { runId, workflow, artifact } = origin.plan;
    return `workflow run ${runId}${workflow ? ` of ${workflow}` : ''}${artifact ? `, artifact ${artifact}` : ''}`;
  }
  const { counts } = evidence;
  const compared = counts ? `; ${counts.compared} compared, ${counts.notChecked} not checked, ${counts.leftOut} left out by the bound of ${counts.bound}` : '';
  return `${origin.state.location}${compared}`;
}
