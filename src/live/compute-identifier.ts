// The identifier Cloud Control reads a stack resource by: the type schema's primaryIdentifier,
// `|`-joined when it has several parts. Pure.
//
// Most types' primary identifier is what CloudFormation reports as the physical id (a queue's
// URL, a bucket's name, a role's name, a topic's ARN). Where it is not:
// - AWS::Events::Rule is identified by its `Arn`, but its physical id is the rule's name
//   (`bus|name` on a custom bus): the ARN is built from the stack's partition, region and account.
// - compound identifiers (AWS::ECS::Service `ServiceArn|Cluster`, API Gateway stages,
//   resources, methods) take each other part from the template: a literal, or a `Ref` to
//   another resource of the stack (its physical id); the one part the template cannot give is
//   the physical id. An ECS service's cluster is also read from its ARN.
// Anything else gives `undefined` with the reason, and the resource is "not checked".
import { isRecord } from '../values/cloudformation-value.js';

export interface IdentifierInput {
  type: string;
  physicalId: string;
  primaryIdentifier: string[];
  /** The resource's properties in the head template. */
  declared: Record<string, unknown> | undefined;
  /** Physical ids of the stack's resources, by logical id. */
  physicalIds: ReadonlyMap<string, string>;
  /** From the stack id: `arn:<partition>:cloudformation:<region>:<account>:stack/...`. */
  stackArn?: string;
}

export type Identifier = { ok: true; identifier: string } | { ok: false; reason: string };

export function computeIdentifier(input: IdentifierInput): Identifier {
  const { type, physicalId, primaryIdentifier } = input;
  if (type === 'AWS::Events::Rule' && !physicalId.startsWith('arn:')) return eventsRuleArn(input);
  if (primaryIdentifier.length <= 1) return { ok: true, identifier: physicalId };
  const parts: Array<string | undefined> = primaryIdentifier.map((name) => fromTemplate(input, name));
  if (type === 'AWS::ECS::Service' && physicalId.startsWith('arn:')) {
    const cluster = primaryIdentifier.indexOf('Cluster');
    // arn:aws:ecs:region:account:service/<cluster>/<service> (the long ARN format)
    const match = /:service\/([^/]+)\/[^/]+$/.exec(physicalId);
    if (cluster >= 0 && parts[cluster] === undefined && match) parts[cluster] = match[1];
  }
  const missing = parts.flatMap((part, i) => (part === undefined ? [i] : []));
  if (missing.length === 1) parts[missing[0]!] = physicalId;
  if (parts.every((part) => part !== undefined)) return { ok: true, identifier: parts.join('|') };
  const names = missing.map((i) => primaryIdentifier[i]).join(' and ');
  return {
    ok: false,
    reason: `Cloud Control identifies ${type} by ${primaryIdentifier.join('|')}; the stack's physical id (${physicalId}) gives one part and the template does not give ${names} as a literal or a Ref to a resource of this stack`,
  };
}

function fromTemplate(input: IdentifierInput, name: string): string | undefined {
  const value = input.declared?.[name];
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value.Ref === 'string') return input.physicalIds.get(value.Ref);
  return undefined;
}

function eventsRuleArn(input: IdentifierInput): Identifier {
  const stack = /^arn:([^:]+):cloudformation:([^:]+):(\d{12}):/.exec(input.stackArn ?? '');
  if (!stack) return { ok: false, reason: `Cloud Control identifies AWS::Events::Rule by its ARN, which could not be built without the stack's ARN` };
  const [, partition, region, account] = stack;
  // `bus|name` for a rule on a custom event bus, `name` on the default bus
  const [bus, name] = input.physicalId.includes('|') ? input.physicalId.split('|', 2) : [undefined, input.physicalId];
  const path = bus && bus !== 'default' ? `${bus.split('/').pop()}/${name}` : name;
  return { ok: true, identifier: `arn:${partition}:events:${region}:${account}:rule/${path}` };
}
