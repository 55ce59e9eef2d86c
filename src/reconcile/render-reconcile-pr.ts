// The reconcile pull request as text: title, body (templates/reconcile-pr.md, with the hidden
// marker that finds it again and says which drift it holds), the commit message and the
// comment left when it is closed. Pure; untrusted values only ever in code spans or escaped.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { codeSpan } from '../report/escape-markdown.js';
import { formatTime } from '../report/format-time.js';
import { fitsIn } from '../report/limits.js';
import { TEMPLATE_DIR } from '../report/read-templates.js';
import { compileTemplate, renderCompiled, type CompiledTemplate } from '../report/render-template.js';
import { renderValue, valueText } from '../report/render-value.js';
import { REDACTED } from '../values/redact.js';
import type { FollowUp, ReconcilePlan } from './reconcile-plan.js';

/** Where every reconcile branch lives: `realitycheck/reconcile/<target>`. */
export const BRANCH_PREFIX = 'realitycheck/reconcile/';

/** The branch of a target; a name git refuses (spaces, `..`, `~^:?*[\`) is made safe. */
export function reconcileBranch(target: string): string {
  const safe = target.replace(/[^A-Za-z0-9._/-]+/g, '-').replace(/\.{2,}/g, '.').replace(/\/{2,}/g, '/').replace(/^[./-]+|[./-]+$|\.lock$/g, '');
  return `${BRANCH_PREFIX}${safe || 'target'}`;
}

/**
 * A digest of the drift the plan writes back: edits and follow-ups, not the time of the read,
 * so the same drift read twice gives the same digest and the pull request is left alone.
 */
export function planDigest(plan: ReconcilePlan): string {
  const followUps = plan.followUps.map((f) => [f.resource, f.path ?? '', f.reason, f.live === undefined ? null : f.live]);
  const text = JSON.stringify([plan.target, plan.files.map((f) => [f.file, f.edits]), followUps]);
  return createHash('sha256').update(text).digest('hex');
}

const MARKER = /<!-- realitycheck:reconcile target=(\S+) digest=([0-9a-f]{64}) -->/;

export function renderMarker(target: string, digest: string): string {
  return `<!-- realitycheck:reconcile target=${encodeURIComponent(target)} digest=${digest} -->`;
}

/** The target and digest a reconcile pull request's body says it holds; undefined when it has no marker. */
export function parseMarker(body: string | null | undefined): { target: string; digest: string } | undefined {
  const match = MARKER.exec(body ?? '');
  if (!match) return undefined;
  try {
    return { target: decodeURIComponent(match[1]!), digest: match[2]! };
  } catch {
    return undefined;
  }
}

export function renderTitle(plan: ReconcilePlan): string {
  const properties = [...new Set(plan.files.flatMap((f) => f.edits.map((e) => `${e.op.kind === 'tag' ? `tag ${e.op.key}` : e.path.join('.')} of ${e.resource}`)))];
  const what = properties.length === 0 ? 'live state' : properties.length <= 2 ? properties.join(', ') : `${properties.length} live values`;
  const title = `Reconcile ${plan.target} with live state: ${what}`;
  return title.length > 200 ? `${title.slice(0, 199)}…` : title;
}

/** Names the target and each value written back (never a secret: secrets are never edits). */
export function renderCommitMessage(plan: ReconcilePlan): string {
  const lines = plan.files.flatMap((f) =>
    f.edits.map((e) => `- ${f.file}: ${e.resource} ${e.op.kind === 'tag' ? `tag ${e.op.key} = ${e.op.value}` : `${e.path.join('.')} = ${valueText(e.op.value, 80)}`}`),
  );
  const shown = lines.slice(0, 50);
  const more = lines.length > shown.length ? [`- …and ${lines.length - shown.length} more`] : [];
  return [`Reconcile ${plan.target} with live state`, '', 'Writes the values changed live back into the code:', ...shown, ...more].join('\n');
}

export interface BodyOptions {
  digest: string;
  /** `/realitycheck reconcile by @x on #12`, `after a push to main`, `on schedule`. */
  trigger?: string;
  /** Why the pull request's own check will not be clean, when it will not. */
  notClean?: string;
}

const templates = new Map<string, CompiledTemplate>();
function template(name: string): CompiledTemplate {
  let compiled = templates.get(name);
  if (!compiled) {
    compiled = compileTemplate(readFileSync(new URL(`${name}.md`, TEMPLATE_DIR), 'utf8'), `templates/${name}.md`);
    templates.set(name, compiled);
  }
  return compiled;
}

const cell = (value: unknown) => renderValue(value, true);

export function renderBody(plan: ReconcilePlan, options: BodyOptions): string {
  // the rows and follow-ups shown shrink until the body fits GitHub's limit
  for (let rows = 200, followUps = 100; ; rows = Math.floor(rows / 2), followUps = Math.floor(followUps / 2)) {
    const body = renderCompiled(template('reconcile-pr'), {
      target: plan.target,
      trigger: options.trigger ?? '',
      notClean: options.notClean ?? '',
      rows: plan.evidence.slice(0, rows).map((r) => ({
        resource: codeSpan(r.resource, true),
        property: codeSpan(r.property, true),
        declared: cell(r.declared),
        live: cell(r.live),
        readAt: formatTime(r.readAt),
        source: r.source,
      })),
      omittedRows: Math.max(0, plan.evidence.length - rows),
      redacted: plan.evidence.some((r) => r.live === REDACTED || r.declared === REDACTED),
      hasFollowUps: plan.followUps.length > 0,
      followUps: plan.followUps.slice(0, followUps).map(followUpData),
      omittedFollowUps: Math.max(0, plan.followUps.length - followUps),
      marker: renderMarker(plan.target, options.digest),
    });
    if (fitsIn(body) || rows === 0) return body;
  }
}

function followUpData(f: FollowUp) {
  return { resource: codeSpan(f.resource), path: f.path ? codeSpan(f.path) : '', detail: f.detail, live: f.live === undefined ? '' : renderValue(f.live) };
}

export function renderClosingComment(plan: ReconcilePlan, readAt: string): string {
  return renderCompiled(template('reconcile-closed'), {
    clean: plan.followUps.length === 0,
    target: plan.target,
    readAt: formatTime(readAt),
    followUps: plan.followUps.slice(0, 50).map(followUpData),
  });
}

/** Why the reconcile pull request's own check will not pass clean, or undefined when it should. */
export function predictNotClean(plan: ReconcilePlan): string | undefined {
  const edited = new Set(plan.files.flatMap((f) => f.edits.map((e) => e.resource)));
  const left = plan.followUps.filter((f) => edited.has(f.resource) || edited.has(f.resource.replace(/\[[^\]]*\]/g, '').split('.').slice(-2).join('.')));
  if (left.length === 0) return undefined;
  const names = [...new Set(left.map((f) => `${f.path ?? ''} of ${f.resource}`.trim()))].slice(0, 5);
  return `it changes resources whose other live changes (${names.join(', ')}) are left to a person, so deploying it still reverts those.`;
}
