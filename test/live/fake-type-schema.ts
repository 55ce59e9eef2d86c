// CloudFormation DescribeType in its wire format (Query protocol, XML; the schema is JSON text
// inside `<Schema>`), answering with a resource type schema of the registry's shape
// (`properties`, `readOnlyProperties` / `writeOnlyProperties` / `primaryIdentifier` as JSON
// pointers, `handlers.read.permissions`). Each answer is for the one type it names (`TypeName`
// and `Type=RESOURCE` must match); a request for any other type matches nothing and fails.
import { awsError, cfn, cfnOk, esc, XML } from './fake-aws.js';

export interface SchemaFixture {
  properties: string[];
  readOnly?: string[];
  writeOnly?: string[];
  primaryIdentifier: string[];
  readPermissions?: string[];
  /** `default` keywords, by property. */
  defaults?: Record<string, unknown>;
  /** No handlers at all (NON_PROVISIONABLE types). */
  noHandlers?: boolean;
}

export function schemaJson(typeName: string, f: SchemaFixture): string {
  const pointer = (name: string) => `/properties/${name.split('.').join('/')}`;
  const properties = Object.fromEntries(f.properties.map((name) => [name, { type: 'string', ...(f.defaults && name in f.defaults ? { default: f.defaults[name] } : {}) }]));
  return JSON.stringify({
    typeName,
    description: `${typeName} (test schema)`,
    properties,
    additionalProperties: false,
    ...(f.readOnly ? { readOnlyProperties: f.readOnly.map(pointer) } : {}),
    ...(f.writeOnly ? { writeOnlyProperties: f.writeOnly.map(pointer) } : {}),
    primaryIdentifier: f.primaryIdentifier.map(pointer),
    ...(f.noHandlers
      ? {}
      : {
          handlers: {
            create: { permissions: ['test:Create'] },
            read: { permissions: f.readPermissions ?? [] },
            delete: { permissions: ['test:Delete'] },
          },
        }),
  });
}

/** DescribeType for one type; `times` answers. */
export function describeType(typeName: string, f: SchemaFixture, times = 1) {
  const result = `<Arn>arn:aws:cloudformation:us-east-1::type/resource/${typeName.replace(/::/g, '-')}</Arn>
    <Type>RESOURCE</Type>
    <TypeName>${typeName}</TypeName>
    <IsDefaultVersion>true</IsDefaultVersion>
    <Description>${esc(typeName)}</Description>
    <Schema>${esc(schemaJson(typeName, f))}</Schema>
    <ProvisioningType>${f.noHandlers ? 'NON_PROVISIONABLE' : 'FULLY_MUTABLE'}</ProvisioningType>
    <DeprecatedStatus>LIVE</DeprecatedStatus>
    <Visibility>PUBLIC</Visibility>
    <LastUpdated>2026-09-14T18:02:11.000Z</LastUpdated>
    <TimeCreated>2019-11-18T18:41:02.000Z</TimeCreated>`;
  return cfn('DescribeType', (p) => p.get('Type') === 'RESOURCE' && p.get('TypeName') === typeName)
    .times(times)
    .reply(200, cfnOk('DescribeType', result), XML);
}

export function describeTypeError(typeName: string, code: string, message: string, status = 400) {
  return cfn('DescribeType', (p) => p.get('TypeName') === typeName).reply(status, awsError(code, message), XML);
}

/** The SQS queue's schema as the registry publishes it (names and pointers; descriptions left out). */
export const SQS_QUEUE_SCHEMA: SchemaFixture = {
  properties: [
    'QueueUrl',
    'Arn',
    'ContentBasedDeduplication',
    'DeduplicationScope',
    'DelaySeconds',
    'FifoQueue',
    'FifoThroughputLimit',
    'KmsDataKeyReusePeriodSeconds',
    'KmsMasterKeyId',
    'SqsManagedSseEnabled',
    'MaximumMessageSize',
    'MessageRetentionPeriod',
    'QueueName',
    'ReceiveMessageWaitTimeSeconds',
    'RedriveAllowPolicy',
    'RedrivePolicy',
    'Tags',
    'VisibilityTimeout',
  ],
  readOnly: ['QueueUrl', 'Arn'],
  primaryIdentifier: ['QueueUrl'],
  readPermissions: ['sqs:GetQueueAttributes', 'sqs:ListQueueTags'],
};
