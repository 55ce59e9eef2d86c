// GitHub's limit for a comment body and for a check run's output.summary / output.text.
// The only copy of it: every size decision in report/ derives from this constant.
export const MAX_BODY_CHARS = 65_536;

/**
 * The publisher appends its own hidden order marker after the comment body
 * (src/github/upsert-summary-comment.ts, about 100 characters); the comment leaves room for it.
 */
export const COMMENT_CHARS = MAX_BODY_CHARS - 512;
