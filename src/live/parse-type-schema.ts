// A resource type schema (the JSON text CloudFormation `DescribeType` returns in `Schema`)
// reduced to what undeclared drift needs: which properties are read-only or write-only, the
// schema's own defaults, the primary identifier and the read handler. Pure.
//
// JSON pointers in the schema (`/properties/Code/ZipFile`, `/properties/Tags/*/Key`) become
// dot paths (`Code.ZipFile`, `Tags.*.Key`), the form every other layer uses.
import type { TypeSchemaFacts } from '../types.js';
import { isRecord } from '../values/cloudformation-value.js';

export type ParsedSchema = { ok: true; facts: TypeSchemaFacts } | { ok: false; message: string };

export function parseTypeSchema(typeName: string, text: string | undefined, provisioningType?: string): ParsedSchema {
  if (text === undefined) return { ok: false, message: `DescribeType answered for ${typeName} without a schema` };
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch {
    return { ok: false, message: `the schema DescribeType returned for ${typeName} is not JSON` };
  }
  if (!isRecord(schema) || !isRecord(schema.properties)) return { ok: false, message: `the schema DescribeType returned for ${typeName} has no properties` };
  const defaults: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(schema.properties)) {
    if (isRecord(definition) && 'default' in definition) defaults[name] = definition.default;
  }
  const handlers = isRecord(schema.handlers) ? schema.handlers : {};
  const read = isRecord(handlers.read) ? handlers.read : undefined;
  return {
    ok: true,
    facts: {
      typeName,
      readOnly: pointers(schema.readOnlyProperties),
      writeOnly: pointers(schema.writeOnlyProperties),
      defaults,
      primaryIdentifier: pointers(schema.primaryIdentifier),
      readPermissions: Array.isArray(read?.permissions) ? read.permissions.filter((p): p is string => typeof p === 'string') : [],
      // NON_PROVISIONABLE types have no handlers at all; a schema without a read handler
      // cannot be read through Cloud Control either.
      readable: read !== undefined && provisioningType !== 'NON_PROVISIONABLE',
    },
  };
}

/** `/properties/Code/ZipFile` -> `Code.ZipFile`; anything else is left out. */
function pointers(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter((p): p is string => typeof p === 'string' && p.startsWith('/properties/'))
    .map((p) => p.slice('/properties/'.length).split('/').map(unescapePointer).join('.'));
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
