// Webhook payloads never reach the logs. @octokit/webhooks attaches the whole event to
// every error it reports (`error.event = { id, name, payload, signature }` when the
// signature does not match, `Object.assign(error, { event })` when a handler throws), and
// two loggers print those errors with every enumerable property: Probot's error handler
// (`log.child({ name: 'event', id }).error(error)`) and the webhook middleware
// (`log.error(error)`), both through Probot's logger. An unsigned 30 MB body came out as
// ~94 MB of log lines, and a signed payload's contents (descriptions, comments) would be
// logged with every refused event. Probot gives no hook to replace either logger, but
// both are that one `app.log` object (or its children, which pino creates with
// `Object.create(parent)` and so inherit its methods): its level methods are wrapped so
// that an event attached to a logged error is reduced to its delivery id and name.
import type { Logger } from 'probot';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

export function omitPayloadsFromLogs(log: Logger): void {
  for (const level of LEVELS) {
    const write = log[level] as (...args: unknown[]) => void;
    const wrapped = function (this: Logger, ...args: unknown[]) {
      return write.apply(this, args.length > 0 ? [withoutPayload(args[0]), ...args.slice(1)] : args);
    };
    log[level] = wrapped as Logger[typeof level];
  }
}

/** The logged value with each attached event reduced to `{ id, name }`; the original is not changed. */
function withoutPayload(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null || depth > 4 || !carriesPayload(value, depth)) return value;
  const copy: Record<PropertyKey, unknown> = Object.create(Object.getPrototypeOf(value) as object | null);
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
    if ('value' in descriptor) {
      const inner: unknown = descriptor.value;
      if (key === 'event' && isEvent(inner)) descriptor.value = summary(inner);
      else if (key === 'event' || key === 'err' || key === 'error' || key === 'cause') descriptor.value = withoutPayload(inner, depth + 1);
      else if (key === 'errors' && Array.isArray(inner)) descriptor.value = inner.map((e) => withoutPayload(e, depth + 1));
    }
    Object.defineProperty(copy, key, descriptor);
  }
  return copy;
}

function carriesPayload(value: object, depth: number): boolean {
  if (depth > 4) return false;
  const record = value as Record<string, unknown>;
  if (isEvent(record.event)) return true;
  // The signature error arrives wrapped: an AggregateError whose `event` is that error.
  const nested = [record.event, record.err, record.error, record.cause, ...(Array.isArray(record.errors) ? record.errors : [])];
  return nested.some((inner) => typeof inner === 'object' && inner !== null && carriesPayload(inner, depth + 1));
}

function isEvent(value: unknown): value is { id?: unknown; name?: unknown } {
  return typeof value === 'object' && value !== null && 'payload' in value;
}

function summary(event: { id?: unknown; name?: unknown }): { id?: unknown; name?: unknown } {
  return { id: event.id, name: event.name };
}
