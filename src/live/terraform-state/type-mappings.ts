// Terraform `aws_*` types mapped to their AWS Cloud Control type: the identifier Cloud Control
// reads them by, taken from the state, and the attributes compared, each with its property and
// transform. One row per type; a type without a row is "not checked", never "in sync".
//
// Evidence for every row (checked against the CloudFormation resource type schemas as
// hashicorp/terraform-provider-awscc ships them, internal/service/cloudformation/schemas,
// 2026-08): the schema has `handlers.read` (so Cloud Control GetResource works for the type),
// its `primaryIdentifier` is the property `identifier` returns, and every compared property is
// in its `properties` and not `writeOnlyProperties`. test/live/terraform-state/type-mappings.test.ts
// tests each row on its own. The types are the most used `aws_*` resources that have such a
// handler; `aws_iam_role_policy_attachment`, `aws_security_group_rule` and `aws_route53_record`
// (also very common) have no Cloud Control type with a read handler for Terraform's shape.
import { isRecord } from '../../values/cloudformation-value.js';
import { getPath } from '../../values/get-path.js';
import type { Attributes, AttributeMapping } from './compute-differences.js';
import { at, listToMap, pickBlocks, renameKeys, stateTags, tagList, tagMap, taskDefinitionName, text, withoutTrailingDot, zeroAsAbsent } from './transforms.js';

export interface TypeMapping {
  terraformType: string;
  cloudControlType: string;
  /** The Cloud Control identifier (the schema's primaryIdentifier, `|`-joined when compound) from the state's attributes. */
  identifier: (attributes: Attributes) => string | undefined;
  /** Which state attributes `identifier` reads, for the message when they are missing. */
  identifierAttributes: string;
  attributes: AttributeMapping[];
}

const tags = (property = 'Tags'): AttributeMapping => ({ attribute: 'tags', property, expected: stateTags, actual: tagList(property), compare: 'map' });

// ---------------------------------------------------------------- helpers for the bigger types

/** DynamoDB `KeySchema` -> the attribute name of one key type. */
const keyOf = (keyType: 'HASH' | 'RANGE', path = 'KeySchema') => (p: Attributes) => keyFromSchema(getPath(p, path), keyType);

function keyFromSchema(schema: unknown, keyType: string): unknown {
  return Array.isArray(schema) ? schema.find((k) => isRecord(k) && k.KeyType === keyType)?.AttributeName : undefined;
}

const GSI_FIELDS = ['name', 'hash_key', 'range_key', 'projection_type', 'non_key_attributes', 'read_capacity', 'write_capacity'];

function stateIndexes(a: Attributes): unknown {
  const picked = pickBlocks(a.global_secondary_index, GSI_FIELDS);
  return Array.isArray(picked)
    ? picked.map((i: Record<string, unknown>) => ({
        ...i,
        non_key_attributes: Array.isArray(i.non_key_attributes) ? [...i.non_key_attributes].sort() : i.non_key_attributes,
        read_capacity: zeroAsAbsent(i.read_capacity),
        write_capacity: zeroAsAbsent(i.write_capacity),
      }))
    : picked;
}

function liveIndexes(p: Attributes): unknown {
  const list = p.GlobalSecondaryIndexes;
  if (!Array.isArray(list)) return undefined;
  return list.map((i: Record<string, unknown>) => ({
    name: i.IndexName,
    hash_key: keyFromSchema(i.KeySchema, 'HASH'),
    range_key: keyFromSchema(i.KeySchema, 'RANGE'),
    projection_type: getPath(i, 'Projection.ProjectionType'),
    non_key_attributes: ((getPath(i, 'Projection.NonKeyAttributes') as string[] | undefined) ?? []).slice().sort(),
    read_capacity: zeroAsAbsent(getPath(i, 'ProvisionedThroughput.ReadCapacityUnits')),
    write_capacity: zeroAsAbsent(getPath(i, 'ProvisionedThroughput.WriteCapacityUnits')),
  }));
}

/**
 * Security group rules, one per source, in one shape for both sides: Terraform writes a rule
 * with lists of sources (`cidr_blocks`, `security_groups`, `self`), AWS one entry per source.
 * Protocol numbers and names are the same rule (`6` = `tcp`); for all traffic (`-1`) the
 * ports mean nothing (Terraform stores 0, AWS -1 or nothing).
 */
interface FlatRule {
  protocol: string;
  from_port?: number;
  to_port?: number;
  source: string;
  description?: string;
}

const PROTOCOLS: Record<string, string> = { '-1': '-1', all: '-1', '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };
const protocolName = (p: unknown) => PROTOCOLS[String(p).toLowerCase()] ?? String(p).toLowerCase();

function flatRule(protocol: unknown, from: unknown, to: unknown, source: string, description: unknown): FlatRule {
  const name = protocolName(protocol);
  return {
    protocol: name,
    ...(name === '-1' ? {} : { from_port: Number(from), to_port: Number(to) }),
    source,
    ...(text(description) ? { description: text(description)! } : {}),
  };
}

function stateRules(direction: 'ingress' | 'egress') {
  return (a: Attributes): FlatRule[] | undefined => {
    const rules = a[direction];
    if (!Array.isArray(rules)) return undefined;
    return rules.flatMap((r: Record<string, unknown>) => {
      const sources = [
        ...((r.cidr_blocks as string[] | undefined) ?? []),
        ...((r.ipv6_cidr_blocks as string[] | undefined) ?? []),
        ...((r.prefix_list_ids as string[] | undefined) ?? []),
        ...((r.security_groups as string[] | undefined) ?? []),
        ...(r.self === true && typeof a.id === 'string' ? [a.id] : []),
      ];
      return sources.map((s) => flatRule(r.protocol, r.from_port, r.to_port, s, r.description));
    });
  };
}

function liveRules(property: 'SecurityGroupIngress' | 'SecurityGroupEgress') {
  return (p: Attributes): FlatRule[] | undefined => {
    const rules = p[property];
    if (!Array.isArray(rules)) return undefined;
    return rules.map((r: Record<string, unknown>) => {
      const source = [r.CidrIp, r.CidrIpv6, r.SourcePrefixListId, r.DestinationPrefixListId, r.SourceSecurityGroupId, r.DestinationSecurityGroupId].find(
        (s) => typeof s === 'string' && s !== '',
      ) as string | undefined;
      return flatRule(r.IpProtocol, r.FromPort, r.ToPort, source ?? '', r.Description);
    });
  };
}

const str = (value: unknown) => text(value);

// ---------------------------------------------------------------- the table

export const TYPE_MAPPINGS: readonly TypeMapping[] = [
  {
    terraformType: 'aws_s3_bucket',
    cloudControlType: 'AWS::S3::Bucket',
    identifier: (a) => str(a.bucket) ?? str(a.id),
    identifierAttributes: 'bucket',
    attributes: [
      { attribute: 'object_lock_enabled', property: 'ObjectLockEnabled', liveDefault: false },
      // Deprecated in provider v4+ but still read back into state; AWS answers Enabled / Suspended.
      { attribute: 'versioning.0.enabled', property: 'VersioningConfiguration.Status', actual: at('VersioningConfiguration.Status', (s) => s === 'Enabled'), liveDefault: false },
      tags(),
    ],
  },
  {
    terraformType: 'aws_iam_role',
    cloudControlType: 'AWS::IAM::Role',
    identifier: (a) => str(a.name) ?? str(a.id),
    identifierAttributes: 'name',
    attributes: [
      { attribute: 'assume_role_policy', property: 'AssumeRolePolicyDocument', compare: 'json' },
      { attribute: 'description', property: 'Description' },
      { attribute: 'max_session_duration', property: 'MaxSessionDuration', liveDefault: 3600 },
      { attribute: 'path', property: 'Path', liveDefault: '/' },
      { attribute: 'permissions_boundary', property: 'PermissionsBoundary' },
      tags(),
    ],
  },
  {
    terraformType: 'aws_security_group',
    cloudControlType: 'AWS::EC2::SecurityGroup',
    identifier: (a) => str(a.id),
    identifierAttributes: 'id',
    attributes: [
      { attribute: 'name', property: 'GroupName' },
      { attribute: 'description', property: 'GroupDescription' },
      { attribute: 'vpc_id', property: 'VpcId' },
      { attribute: 'ingress', property: 'SecurityGroupIngress', expected: stateRules('ingress'), actual: liveRules('SecurityGroupIngress'), compare: 'set' },
      { attribute: 'egress', property: 'SecurityGroupEgress', expected: stateRules('egress'), actual: liveRules('SecurityGroupEgress'), compare: 'set' },
      tags(),
    ],
  },
  {
    terraformType: 'aws_lambda_function',
    cloudControlType: 'AWS::Lambda::Function',
    identifier: (a) => str(a.function_name) ?? str(a.id),
    identifierAttributes: 'function_name',
    attributes: [
      { attribute: 'runtime', property: 'Runtime' },
      { attribute: 'handler', property: 'Handler' },
      { attribute: 'memory_size', property: 'MemorySize', liveDefault: 128 },
      { attribute: 'timeout', property: 'Timeout', liveDefault: 3 },
      { attribute: 'role', property: 'Role' },
      { attribute: 'description', property: 'Description' },
      { attribute: 'architectures', property: 'Architectures', compare: 'set', liveDefault: ['x86_64'] },
      { attribute: 'layers', property: 'Layers' },
      { attribute: 'environment.0.variables', property: 'Environment.Variables', compare: 'map' },
      tags(),
    ],
  },
  {
    terraformType: 'aws_iam_policy',
    cloudControlType: 'AWS::IAM::ManagedPolicy',
    identifier: (a) => str(a.arn) ?? str(a.id),
    identifierAttributes: 'arn',
    attributes: [
      { attribute: 'policy', property: 'PolicyDocument', compare: 'json' },
      { attribute: 'description', property: 'Description' },
      { attribute: 'path', property: 'Path', liveDefault: '/' },
    ],
  },
  {
    terraformType: 'aws_cloudwatch_log_group',
    cloudControlType: 'AWS::Logs::LogGroup',
    identifier: (a) => str(a.name) ?? str(a.id),
    identifierAttributes: 'name',
    attributes: [
      // Terraform stores 0 for "never expire"; AWS then has no retention at all.
      { attribute: 'retention_in_days', property: 'RetentionInDays', expected: (a) => zeroAsAbsent(a.retention_in_days) },
      { attribute: 'kms_key_id', property: 'KmsKeyId' },
      { attribute: 'log_group_class', property: 'LogGroupClass', liveDefault: 'STANDARD' },
      tags(),
    ],
  },
  {
    terraformType: 'aws_subnet',
    cloudControlType: 'AWS::EC2::Subnet',
    identifier: (a) => str(a.id),
    identifierAttributes: 'id',
    attributes: [
      { attribute: 'cidr_block', property: 'CidrBlock' },
      { attribute: 'vpc_id', property: 'VpcId' },
      { attribute: 'availability_zone', property: 'AvailabilityZone' },
      { attribute: 'map_public_ip_on_launch', property: 'MapPublicIpOnLaunch', liveDefault: false },
      tags(),
    ],
  },
  {
    terraformType: 'aws_vpc',
    cloudControlType: 'AWS::EC2::VPC',
    identifier: (a) => str(a.id),
    identifierAttributes: 'id',
    attributes: [
      { attribute: 'cidr_block', property: 'CidrBlock' },
      { attribute: 'enable_dns_support', property: 'EnableDnsSupport' },
      { attribute: 'enable_dns_hostnames', property: 'EnableDnsHostnames' },
      { attribute: 'instance_tenancy', property: 'InstanceTenancy', liveDefault: 'default' },
      tags(),
    ],
  },
  {
    terraformType: 'aws_instance',
    cloudControlType: 'AWS::EC2::Instance',
    identifier: (a) => str(a.id),
    identifierAttributes: 'id',
    attributes: [
      { attribute: 'instance_type', property: 'InstanceType' },
      { attribute: 'ami', property: 'ImageId' },
      { attribute: 'subnet_id', property: 'SubnetId' },
      { attribute: 'key_name', property: 'KeyName' },
      { attribute: 'iam_instance_profile', property: 'IamInstanceProfile' },
      { attribute: 'vpc_security_group_ids', property: 'SecurityGroupIds', compare: 'set' },
      { attribute: 'monitoring', property: 'Monitoring', liveDefault: false },
      { attribute: 'ebs_optimized', property: 'EbsOptimized', liveDefault: false },
      { attribute: 'disable_api_termination', property: 'DisableApiTermination', liveDefault: false },
      { attribute: 'source_dest_check', property: 'SourceDestCheck', liveDefault: true },
      tags(),
    ],
  },
  {
    terraformType: 'aws_sqs_queue',
    cloudControlType: 'AWS::SQS::Queue',
    // The provider's id is the queue URL, which is also Cloud Control's identifier.
    identifier: (a) => str(a.url) ?? str(a.id),
    identifierAttributes: 'url',
    attributes: [
      { attribute: 'visibility_timeout_seconds', property: 'VisibilityTimeout' },
      { attribute: 'message_retention_seconds', property: 'MessageRetentionPeriod' },
      { attribute: 'delay_seconds', property: 'DelaySeconds' },
      { attribute: 'max_message_size', property: 'MaximumMessageSize' },
      { attribute: 'receive_wait_time_seconds', property: 'ReceiveMessageWaitTimeSeconds' },
      { attribute: 'fifo_queue', property: 'FifoQueue', liveDefault: false },
      { attribute: 'content_based_deduplication', property: 'ContentBasedDeduplication', liveDefault: false },
      { attribute: 'kms_master_key_id', property: 'KmsMasterKeyId' },
      { attribute: 'sqs_managed_sse_enabled', property: 'SqsManagedSseEnabled' },
      // A JSON string in Terraform, an object in Cloud Control.
      { attribute: 'redrive_policy', property: 'RedrivePolicy', compare: 'json' },
      tags(),
    ],
  },
  {
    terraformType: 'aws_sns_topic',
    cloudControlType: 'AWS::SNS::Topic',
    identifier: (a) => str(a.arn) ?? str(a.id),
    identifierAttributes: 'arn',
    attributes: [
      { attribute: 'display_name', property: 'DisplayName' },
      { attribute: 'kms_master_key_id', property: 'KmsMasterKeyId' },
      { attribute: 'fifo_topic', property: 'FifoTopic', liveDefault: false },
      { attribute: 'content_based_deduplication', property: 'ContentBasedDeduplication', liveDefault: false },
      tags(),
    ],
  },
  {
    terraformType: 'aws_dynamodb_table',
    cloudControlType: 'AWS::DynamoDB::Table',
    identifier: (a) => str(a.name) ?? str(a.id),
    identifierAttributes: 'name',
    attributes: [
      { attribute: 'billing_mode', property: 'BillingMode', liveDefault: 'PROVISIONED' },
      // On-demand tables: Terraform stores 0, AWS has no ProvisionedThroughput.
      { attribute: 'read_capacity', property: 'ProvisionedThroughput.ReadCapacityUnits', expected: (a) => zeroAsAbsent(a.read_capacity) },
      { attribute: 'write_capacity', property: 'ProvisionedThroughput.WriteCapacityUnits', expected: (a) => zeroAsAbsent(a.write_capacity) },
      { attribute: 'hash_key', property: 'KeySchema', actual: keyOf('HASH') },
      { attribute: 'range_key', property: 'KeySchema', actual: keyOf('RANGE') },
      {
        attribute: 'attribute',
        property: 'AttributeDefinitions',
        expected: (a) => pickBlocks(a.attribute, ['name', 'type']),
        actual: at('AttributeDefinitions', renameKeys({ AttributeName: 'name', AttributeType: 'type' })),
        compare: 'set',
      },
      { attribute: 'global_secondary_index', property: 'GlobalSecondaryIndexes', expected: stateIndexes, actual: liveIndexes, compare: 'set' },
      { attribute: 'ttl.0.enabled', property: 'TimeToLiveSpecification.Enabled', liveDefault: false },
      { attribute: 'ttl.0.attribute_name', property: 'TimeToLiveSpecification.AttributeName' },
      { attribute: 'point_in_time_recovery.0.enabled', property: 'PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled', liveDefault: false },
      { attribute: 'stream_enabled', property: 'StreamSpecification', actual: (p) => text(getPath(p, 'StreamSpecification.StreamViewType')) !== undefined },
      { attribute: 'stream_view_type', property: 'StreamSpecification.StreamViewType' },
      { attribute: 'server_side_encryption.0.enabled', property: 'SSESpecification.SSEEnabled', liveDefault: false },
      { attribute: 'deletion_protection_enabled', property: 'DeletionProtectionEnabled', liveDefault: false },
      { attribute: 'table_class', property: 'TableClass', expected: (a) => text(a.table_class) ?? 'STANDARD', liveDefault: 'STANDARD' },
      tags(),
    ],
  },
  {
    terraformType: 'aws_kms_key',
    cloudControlType: 'AWS::KMS::Key',
    identifier: (a) => str(a.key_id) ?? str(a.id),
    identifierAttributes: 'key_id',
    attributes: [
      { attribute: 'description', property: 'Description' },
      { attribute: 'enable_key_rotation', property: 'EnableKeyRotation', liveDefault: false },
      { attribute: 'is_enabled', property: 'Enabled' },
      { attribute: 'key_usage', property: 'KeyUsage' },
      { attribute: 'customer_master_key_spec', property: 'KeySpec' },
      { attribute: 'multi_region', property: 'MultiRegion', liveDefault: false },
      { attribute: 'policy', property: 'KeyPolicy', compare: 'json' },
      tags(),
    ],
  },
  {
    terraformType: 'aws_ecr_repository',
    cloudControlType: 'AWS::ECR::Repository',
    identifier: (a) => str(a.name) ?? str(a.id),
    identifierAttributes: 'name',
    attributes: [
      { attribute: 'image_tag_mutability', property: 'ImageTagMutability' },
      { attribute: 'image_scanning_configuration.0.scan_on_push', property: 'ImageScanningConfiguration.ScanOnPush', liveDefault: false },
      { attribute: 'encryption_configuration.0.encryption_type', property: 'EncryptionConfiguration.EncryptionType', liveDefault: 'AES256' },
      { attribute: 'encryption_configuration.0.kms_key', property: 'EncryptionConfiguration.KmsKey' },
      tags(),
    ],
  },
  {
    terraformType: 'aws_ecs_cluster',
    cloudControlType: 'AWS::ECS::Cluster',
    identifier: (a) => str(a.name) ?? str(a.id),
    identifierAttributes: 'name',
    attributes: [
      {
        attribute: 'setting',
        property: 'ClusterSettings',
        expected: (a) => pickBlocks(a.setting, ['name', 'value']),
        actual: at('ClusterSettings', renameKeys({ Name: 'name', Value: 'value' })),
        compare: 'set',
      },
      tags(),
    ],
  },
  {
    terraformType: 'aws_ecs_service',
    cloudControlType: 'AWS::ECS::Service',
    // primaryIdentifier [ServiceArn, Cluster]: Cloud Control joins the parts with `|`.
    identifier: (a) => (str(a.id) && str(a.cluster) ? `${str(a.id)}|${str(a.cluster)}` : undefined),
    identifierAttributes: 'id and cluster',
    attributes: [
      { attribute: 'desired_count', property: 'DesiredCount' },
      { attribute: 'launch_type', property: 'LaunchType' },
      { attribute: 'task_definition', property: 'TaskDefinition', expected: (a) => taskDefinitionName(a.task_definition), actual: at('TaskDefinition', taskDefinitionName) },
      { attribute: 'platform_version', property: 'PlatformVersion' },
      { attribute: 'enable_execute_command', property: 'EnableExecuteCommand', liveDefault: false },
      { attribute: 'health_check_grace_period_seconds', property: 'HealthCheckGracePeriodSeconds', expected: (a) => zeroAsAbsent(a.health_check_grace_period_seconds), actual: at('HealthCheckGracePeriodSeconds', zeroAsAbsent) },
      { attribute: 'deployment_maximum_percent', property: 'DeploymentConfiguration.MaximumPercent' },
      { attribute: 'deployment_minimum_healthy_percent', property: 'DeploymentConfiguration.MinimumHealthyPercent' },
      { attribute: 'propagate_tags', property: 'PropagateTags', liveDefault: 'NONE' },
      tags(),
    ],
  },
  {
    terraformType: 'aws_ssm_parameter',
    cloudControlType: 'AWS::SSM::Parameter',
    identifier: (a) => str(a.name) ?? str(a.id),
    identifierAttributes: 'name',
    attributes: [
      { attribute: 'type', property: 'Type' },
      // Sensitive in the provider's schema: compared here, redacted before it leaves (redact-state).
      { attribute: 'value', property: 'Value' },
      // Description, Tier and AllowedPattern are write-only in the schema: Cloud Control never returns them.
      { attribute: 'data_type', property: 'DataType', liveDefault: 'text' },
      // SSM is the odd one: its Tags property is a `{ key: value }` map, not a Key/Value list.
      { attribute: 'tags', property: 'Tags', expected: stateTags, actual: tagMap('Tags'), compare: 'map' },
    ],
  },
  {
    terraformType: 'aws_secretsmanager_secret',
    cloudControlType: 'AWS::SecretsManager::Secret',
    identifier: (a) => str(a.arn) ?? str(a.id),
    identifierAttributes: 'arn',
    attributes: [
      { attribute: 'name', property: 'Name' },
      { attribute: 'description', property: 'Description' },
      { attribute: 'kms_key_id', property: 'KmsKeyId' },
      tags(),
    ],
  },
  {
    terraformType: 'aws_cloudwatch_metric_alarm',
    cloudControlType: 'AWS::CloudWatch::Alarm',
    identifier: (a) => str(a.alarm_name) ?? str(a.id),
    identifierAttributes: 'alarm_name',
    attributes: [
      { attribute: 'comparison_operator', property: 'ComparisonOperator' },
      { attribute: 'evaluation_periods', property: 'EvaluationPeriods' },
      { attribute: 'threshold', property: 'Threshold' },
      { attribute: 'period', property: 'Period' },
      { attribute: 'statistic', property: 'Statistic' },
      { attribute: 'metric_name', property: 'MetricName' },
      { attribute: 'namespace', property: 'Namespace' },
      { attribute: 'datapoints_to_alarm', property: 'DatapointsToAlarm', expected: (a) => zeroAsAbsent(a.datapoints_to_alarm) },
      { attribute: 'alarm_description', property: 'AlarmDescription' },
      { attribute: 'actions_enabled', property: 'ActionsEnabled', liveDefault: true },
      { attribute: 'alarm_actions', property: 'AlarmActions', compare: 'set' },
      { attribute: 'ok_actions', property: 'OKActions', compare: 'set' },
      { attribute: 'insufficient_data_actions', property: 'InsufficientDataActions', compare: 'set' },
      { attribute: 'treat_missing_data', property: 'TreatMissingData', liveDefault: 'missing' },
      // A map in Terraform, a Name/Value list in Cloud Control.
      { attribute: 'dimensions', property: 'Dimensions', actual: (p) => listToMap(p.Dimensions, 'Name', 'Value'), compare: 'map' },
      tags(),
    ],
  },
  {
    terraformType: 'aws_route53_zone',
    cloudControlType: 'AWS::Route53::HostedZone',
    identifier: (a) => str(a.zone_id) ?? str(a.id),
    identifierAttributes: 'zone_id',
    attributes: [
      { attribute: 'name', property: 'Name', expected: (a) => withoutTrailingDot(a.name), actual: at('Name', withoutTrailingDot) },
      { attribute: 'comment', property: 'HostedZoneConfig.Comment' },
      tags('HostedZoneTags'),
    ],
  },
  {
    terraformType: 'aws_db_instance',
    cloudControlType: 'AWS::RDS::DBInstance',
    identifier: (a) => str(a.identifier),
    identifierAttributes: 'identifier',
    attributes: [
      { attribute: 'instance_class', property: 'DBInstanceClass' },
      // A number in Terraform, a string in the CloudFormation schema: compared as numbers.
      { attribute: 'allocated_storage', property: 'AllocatedStorage' },
      { attribute: 'engine', property: 'Engine' },
      { attribute: 'engine_version', property: 'EngineVersion' },
      { attribute: 'multi_az', property: 'MultiAZ', liveDefault: false },
      { attribute: 'publicly_accessible', property: 'PubliclyAccessible', liveDefault: false },
      { attribute: 'storage_type', property: 'StorageType' },
      { attribute: 'storage_encrypted', property: 'StorageEncrypted', liveDefault: false },
      { attribute: 'backup_retention_period', property: 'BackupRetentionPeriod' },
      { attribute: 'deletion_protection', property: 'DeletionProtection', liveDefault: false },
      { attribute: 'username', property: 'MasterUsername' },
      { attribute: 'port', property: 'Endpoint.Port' },
      tags(),
    ],
  },
  {
    terraformType: 'aws_kinesis_stream',
    cloudControlType: 'AWS::Kinesis::Stream',
    identifier: (a) => str(a.name) ?? str(a.id),
    identifierAttributes: 'name',
    attributes: [
      { attribute: 'shard_count', property: 'ShardCount', expected: (a) => zeroAsAbsent(a.shard_count) },
      { attribute: 'retention_period', property: 'RetentionPeriodHours' },
      { attribute: 'encryption_type', property: 'StreamEncryption.EncryptionType', liveDefault: 'NONE' },
      { attribute: 'kms_key_id', property: 'StreamEncryption.KeyId' },
      { attribute: 'stream_mode_details.0.stream_mode', property: 'StreamModeDetails.StreamMode', liveDefault: 'PROVISIONED' },
      tags(),
    ],
  },
  {
    terraformType: 'aws_sfn_state_machine',
    cloudControlType: 'AWS::StepFunctions::StateMachine',
    identifier: (a) => str(a.arn) ?? str(a.id),
    identifierAttributes: 'arn',
    attributes: [
      { attribute: 'definition', property: 'DefinitionString', compare: 'json' },
      { attribute: 'role_arn', property: 'RoleArn' },
      { attribute: 'type', property: 'StateMachineType', liveDefault: 'STANDARD' },
      tags(),
    ],
  },
  {
    terraformType: 'aws_cloudwatch_event_rule',
    cloudControlType: 'AWS::Events::Rule',
    identifier: (a) => str(a.arn),
    identifierAttributes: 'arn',
    attributes: [
      { attribute: 'schedule_expression', property: 'ScheduleExpression' },
      { attribute: 'event_pattern', property: 'EventPattern', compare: 'json' },
      { attribute: 'description', property: 'Description' },
      // `state` since provider 5.x; older states only have the boolean `is_enabled`.
      { attribute: 'state', property: 'State', expected: (a) => text(a.state) ?? (a.is_enabled === false ? 'DISABLED' : 'ENABLED') },
      { attribute: 'event_bus_name', property: 'EventBusName', liveDefault: 'default' },
      { attribute: 'role_arn', property: 'RoleArn' },
      tags(),
    ],
  },
  {
    terraformType: 'aws_api_gateway_rest_api',
    cloudControlType: 'AWS::ApiGateway::RestApi',
    identifier: (a) => str(a.id),
    identifierAttributes: 'id',
    attributes: [
      { attribute: 'name', property: 'Name' },
      { attribute: 'description', property: 'Description' },
      { attribute: 'api_key_source', property: 'ApiKeySourceType', liveDefault: 'HEADER' },
      { attribute: 'binary_media_types', property: 'BinaryMediaTypes', compare: 'set' },
      { attribute: 'minimum_compression_size', property: 'MinimumCompressionSize' },
      { attribute: 'disable_execute_api_endpoint', property: 'DisableExecuteApiEndpoint', liveDefault: false },
      { attribute: 'endpoint_configuration.0.types', property: 'EndpointConfiguration.Types', compare: 'set' },
      tags(),
    ],
  },
];

const BY_TYPE = new Map(TYPE_MAPPINGS.map((m) => [m.terraformType, m]));

export function findMapping(terraformType: string): TypeMapping | undefined {
  return BY_TYPE.get(terraformType);
}
