// Resource type schemas from CloudFormation `DescribeType`, cached per region and type. A
// schema changes when AWS releases a new version of the type (rarely, and never in a way that
// makes yesterday's read-only property writable), so one read serves every run for a day.
// The cache is bounded (least recently used goes first) and shares a read in flight; a failed
// read is not kept, so the next run asks again.
import { DescribeTypeCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { TypeSchemaFacts } from '../types.js';
import { attempt, type Attempt, type CallLimits, type ErrorContext } from './aws-errors.js';
import { parseTypeSchema } from './parse-type-schema.js';

export const DESCRIBE_TYPE = 'cloudformation:DescribeType';

export interface TypeSchemaCacheOptions {
  /** Most schemas kept (default 200: every type of a large account, in a few MB). */
  maxEntries?: number;
  /** How long a schema is trusted, in milliseconds (default 24 h). */
  ttlMs?: number;
  now?: () => number;
}

interface Entry {
  pending: Promise<Attempt<TypeSchemaFacts>>;
  readAt?: number;
}

export class TypeSchemaCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: TypeSchemaCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 200;
    this.ttlMs = options.ttlMs ?? 24 * 60 * 60_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The schema of `typeName` in `region`, from the cache or one DescribeType call (`count` is told). */
  read(client: CloudFormationClient, typeName: string, region: string, count: () => void, context: ErrorContext, limits: CallLimits): Promise<Attempt<TypeSchemaFacts>> {
    const key = `${region}|${typeName}`;
    const found = this.entries.get(key);
    if (found && (found.readAt === undefined || this.now() - found.readAt < this.ttlMs)) {
      // most recently used goes last
      this.entries.delete(key);
      this.entries.set(key, found);
      return found.pending;
    }
    // Shared by every run that needs the type, so bound by its own timeout, not one run's signal.
    const entry: Entry = { pending: describe(client, typeName, count, context, { timeoutMs: limits.timeoutMs }) };
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    entry.pending.then(
      (result) => {
        if (result.ok) entry.readAt = this.now();
        else if (this.entries.get(key) === entry) this.entries.delete(key);
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.pending;
  }
}

async function describe(client: CloudFormationClient, typeName: string, count: () => void, context: ErrorContext, limits: CallLimits): Promise<Attempt<TypeSchemaFacts>> {
  const described = await attempt(
    DESCRIBE_TYPE,
    count,
    (abortSignal) => client.send(new DescribeTypeCommand({ Type: 'RESOURCE', TypeName: typeName }), { abortSignal }),
    context,
    limits,
  );
  if (!described.ok) return described;
  const parsed = parseTypeSchema(typeName, described.value.Schema, described.value.ProvisioningType);
  if (!parsed.ok) return { ok: false, unreadable: { api: DESCRIBE_TYPE, code: 'InvalidResponse', message: parsed.message, retryable: true } };
  return { ok: true, value: parsed.facts };
}
