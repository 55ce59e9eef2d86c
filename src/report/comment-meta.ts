// State kept in the summary comment itself: the hidden markers at its top say which
// head SHA and run produced it, so the publisher can refuse to let an older head
// overwrite a newer one without a database.
export const SUMMARY_MARKER = '<!-- realitycheck:summary -->';

export interface CommentMeta {
  headSha?: string;
  /** `pull_request.updated_at` of the push the run was for: orders runs across processes. */
  updatedAt?: string;
}

const META = /^<!-- realitycheck:head=([0-9a-f]*) updated=([0-9A-Za-z:.+-]*) -->$/m;

/** Only characters a SHA / ISO time can hold: nothing can close the HTML comment early. */
export function metaFields(headSha: string, updatedAt: string): { headSha: string; updatedAt: string } {
  return { headSha: headSha.toLowerCase().replace(/[^0-9a-f]/g, ''), updatedAt: updatedAt.replace(/[^0-9A-Za-z:.+-]/g, '') };
}

/** Reads the markers back from a comment body written by buildReport. Looks only at the lines after the summary marker. */
export function parseCommentMeta(body: string): CommentMeta {
  const start = body.indexOf(SUMMARY_MARKER);
  if (start === -1) return {};
  const header = body.slice(start + SUMMARY_MARKER.length).replace(/^\r?\n/, '').split(/\r?\n/, 1)[0] ?? '';
  const match = META.exec(header);
  if (!match) return {};
  const meta: CommentMeta = {};
  if (match[1]) meta.headSha = match[1];
  if (match[2]) meta.updatedAt = match[2];
  return meta;
}
