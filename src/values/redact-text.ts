// Secrets written inside free text (a property value, AWS's own messages, a finding's
// message): URLs first, then `name=value` connection strings. Both leave every other
// character as written and are idempotent, so the report can redact a second time.
import { redactConnectionStrings } from './redact-connection-string.js';
import { redactUrls } from './redact-url.js';

/** `text` with every secret inside it replaced by `***`; `text` itself when there is none. */
export function redactText(text: string): string {
  return redactConnectionStrings(redactUrls(text));
}
