// GitHub's size limits, the only copy of them: every size decision in report/ derives from
// these. A comment body takes at most 65,536 characters; a check run's output.summary and
// output.text at most 65,535, and GitHub has been seen counting bytes there. Both are
// measured here in UTF-8 bytes (never fewer than characters) against the smaller limit,
// so neither can be refused.
export const MAX_BODY_CHARS = 65_535;

/** The comment's budget: the same, since the report writes the whole body, markers included. */
export const COMMENT_CHARS = MAX_BODY_CHARS;

/** Size of a body as GitHub's limits are counted here: UTF-8 bytes. */
export function bodySize(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Whether `text` fits in `limit` (see bodySize). */
export function fitsIn(text: string, limit: number = MAX_BODY_CHARS): boolean {
  return text.length <= limit && bodySize(text) <= limit;
}
