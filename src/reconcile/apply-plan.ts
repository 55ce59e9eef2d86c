// The plan's edits applied to the files' text by each format's editor (pure, format-
// preserving). What an editor refuses joins the follow-ups, with the editor's reason.
import { REDACTED, redactValue } from '../values/redact.js';
import type { ApplyEdits, ValueEdit } from './types.js';
import type { EditFormat, FollowUp, ReconcilePlan } from './reconcile-plan.js';

export type Editors = Partial<Record<EditFormat, ApplyEdits>>;

export interface AppliedPlan {
  /** Files whose text changed, with their new text. */
  changed: Array<{ path: string; text: string }>;
  /** The plan with refused edits moved to the follow-ups and left out of the files. */
  plan: ReconcilePlan;
}

export function applyPlan(plan: ReconcilePlan, texts: ReadonlyMap<string, string>, editors: Editors): AppliedPlan {
  const changed: AppliedPlan['changed'] = [];
  const followUps: FollowUp[] = [...plan.followUps];
  const files: ReconcilePlan['files'] = [];
  for (const group of plan.files) {
    const text = texts.get(group.file);
    const editor = editors[group.format];
    if (text === undefined || !editor) {
      const why = text === undefined ? `${group.file} could not be read on the default branch` : `this version cannot edit ${group.format.toUpperCase()} files`;
      followUps.push(...group.edits.map((edit) => followUp(edit, group.file, 'unsupported', `${describe(edit)}: ${why}; set it by hand.`)));
      continue;
    }
    const result = editor(text, group.edits);
    for (const refused of result.refused) followUps.push(followUp(refused.edit, group.file, refused.reason, refused.detail));
    if (result.applied.length > 0) files.push({ ...group, edits: result.applied });
    if (result.text !== text) changed.push({ path: group.file, text: result.text });
  }
  return { changed, plan: { ...plan, files, followUps } };
}

function describe(edit: ValueEdit): string {
  return `${edit.op.kind === 'tag' ? `tag ${edit.op.key}` : edit.path.join('.')} of ${edit.resource}`;
}

function followUp(edit: ValueEdit, file: string, reason: FollowUp['reason'], detail: string): FollowUp {
  const path = edit.op.kind === 'tag' ? `${edit.path.join('.')}.${edit.op.key}` : edit.path.join('.');
  const value = edit.op.value;
  const live = redactValue(path, value);
  return { resource: edit.resource, path, reason, live: live === REDACTED ? REDACTED : live, detail, file };
}
