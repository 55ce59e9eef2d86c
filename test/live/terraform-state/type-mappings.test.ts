// Each mapped type on its own: state attributes as the AWS provider writes them, Cloud Control
// properties as GetResource returns them. In sync -> no difference; one live change -> exactly
// that difference, named by the Terraform attribute, in Terraform's shape.
import { describe, expect, it } from 'vitest';
import { computeDifferences } from '../../../src/live/terraform-state/compute-differences.js';
import { findMapping, TYPE_MAPPINGS } from '../../../src/live/terraform-state/type-mappings.js';
import type { PropertyDifference } from '../../../src/types.js';

interface Case {
  type: string;
  cloudControlType: string;
  state: Record<string, unknown>;
  /** What Cloud Control returns while nothing drifted. */
  live: Record<string, unknown>;
  identifier: string;
  /** Properties changed live... */
  drift: Record<string, unknown>;
  /** ...and the differences that must come out. */
  differences: PropertyDifference[];
}

const ACCOUNT = '123456789012';
const TAGS = { team: 'orders' };
const TAG_LIST = [{ Key: 'team', Value: 'orders' }];
const POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}';

const CASES: Case[] = [
  {
    type: 'aws_s3_bucket',
    cloudControlType: 'AWS::S3::Bucket',
    state: { bucket: 'acme-logs', id: 'acme-logs', object_lock_enabled: false, versioning: [{ enabled: true, mfa_delete: false }], tags: TAGS, tags_all: TAGS },
    live: { BucketName: 'acme-logs', VersioningConfiguration: { Status: 'Enabled' }, Tags: TAG_LIST },
    identifier: 'acme-logs',
    drift: { VersioningConfiguration: { Status: 'Suspended' } },
    differences: [{ path: 'versioning.0.enabled', expected: true, actual: false, kind: 'NOT_EQUAL' }],
  },
  {
    type: 'aws_iam_role',
    cloudControlType: 'AWS::IAM::Role',
    state: { name: 'worker', id: 'worker', assume_role_policy: POLICY, description: '', max_session_duration: 3600, path: '/', permissions_boundary: '', tags: TAGS, tags_all: TAGS },
    // Cloud Control returns the policy as an object, the one statement's Action as a list
    live: {
      RoleName: 'worker',
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole'], Principal: { Service: 'lambda.amazonaws.com' } }] },
      MaxSessionDuration: 3600,
      Path: '/',
      Tags: TAG_LIST,
    },
    identifier: 'worker',
    drift: { MaxSessionDuration: 43200 },
    differences: [{ path: 'max_session_duration', expected: 3600, actual: 43200, kind: 'NOT_EQUAL' }],
  },
  {
    type: 'aws_security_group',
    cloudControlType: 'AWS::EC2::SecurityGroup',
    state: {
      id: 'sg-0a1b2c3d',
      name: 'web',
      description: 'web tier',
      vpc_id: 'vpc-0123',
      ingress: [{ cidr_blocks: ['10.0.0.0/16'], description: '', from_port: 443, ipv6_cidr_blocks: [], prefix_list_ids: [], protocol: 'tcp', security_groups: [], self: false, to_port: 443 }],
      egress: [{ cidr_blocks: ['0.0.0.0/0'], description: '', from_port: 0, ipv6_cidr_blocks: [], prefix_list_ids: [], protocol: '-1', security_groups: [], self: false, to_port: 0 }],
      tags: TAGS,
      tags_all: TAGS,
    },
    live: {
      Id: 'sg-0a1b2c3d',
      GroupId: 'sg-0a1b2c3d',
      GroupName: 'web',
      GroupDescription: 'web tier',
      VpcId: 'vpc-0123',
      SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/16' }],
      SecurityGroupEgress: [{ IpProtocol: '-1', FromPort: -1, ToPort: -1, CidrIp: '0.0.0.0/0' }],
      Tags: TAG_LIST,
    },
    identifier: 'sg-0a1b2c3d',
    drift: {
      SecurityGroupIngress: [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/16' },
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0', Description: 'debug' },
      ],
    },
    differences: [
      {
        path: 'ingress',
        expected: [{ protocol: 'tcp', from_port: 443, to_port: 443, source: '10.0.0.0/16' }],
        actual: [
          { protocol: 'tcp', from_port: 443, to_port: 443, source: '10.0.0.0/16' },
          { protocol: 'tcp', from_port: 22, to_port: 22, source: '0.0.0.0/0', description: 'debug' },
        ],
        kind: 'NOT_EQUAL',
      },
    ],
  },
  {
    type: 'aws_lambda_function',
    cloudControlType: 'AWS::Lambda::Function',
    state: {
      function_name: 'resize',
      id: 'resize',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      memory_size: 512,
      timeout: 30,
      role: `arn:aws:iam::${ACCOUNT}:role/resize`,
      description: '',
      architectures: ['arm64'],
      layers: [],
      environment: [{ variables: { BUCKET: 'acme-images' } }],
      tags: TAGS,
      tags_all: TAGS,
    },
    live: {
      FunctionName: 'resize',
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: 30,
      Role: `arn:aws:iam::${ACCOUNT}:role/resize`,
      Architectures: ['arm64'],
      Environment: { Variables: { BUCKET: 'acme-images' } },
      Tags: TAG_LIST,
    },
    identifier: 'resize',
    drift: { MemorySize: 1024, Environment: { Variables: { BUCKET: 'acme-images', DEBUG: '1' } } },
    differences: [
      { path: 'memory_size', expected: 512, actual: 1024, kind: 'NOT_EQUAL' },
      { path: 'environment.0.variables.DEBUG', expected: undefined, actual: '1', kind: 'ADD' },
    ],
  },
  {
    type: 'aws_iam_policy',
    cloudControlType: 'AWS::IAM::ManagedPolicy',
    state: { arn: `arn:aws:iam::${ACCOUNT}:policy/read-orders`, id: `arn:aws:iam::${ACCOUNT}:policy/read-orders`, policy: '{"Version":"2012-10-17","Statement":[{"Action":["dynamodb:GetItem"],"Effect":"Allow","Resource":"*"}]}', description: '', path: '/' },
    live: { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/read-orders`, PolicyDocument: { Statement: [{ Resource: '*', Effect: 'Allow', Action: 'dynamodb:GetItem' }], Version: '2012-10-17' }, Path: '/' },
    identifier: `arn:aws:iam::${ACCOUNT}:policy/read-orders`,
    drift: { PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] } },
    differences: [
      {
        path: 'policy',
        expected: '{"Version":"2012-10-17","Statement":[{"Action":["dynamodb:GetItem"],"Effect":"Allow","Resource":"*"}]}',
        actual: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] },
        kind: 'NOT_EQUAL',
      },
    ],
  },
  {
    type: 'aws_cloudwatch_log_group',
    cloudControlType: 'AWS::Logs::LogGroup',
    state: { name: '/aws/lambda/resize', id: '/aws/lambda/resize', retention_in_days: 0, kms_key_id: '', log_group_class: 'STANDARD', tags: {}, tags_all: {} },
    // 0 in Terraform = never expire = no RetentionInDays live
    live: { LogGroupName: '/aws/lambda/resize', LogGroupClass: 'STANDARD' },
    identifier: '/aws/lambda/resize',
    drift: { RetentionInDays: 7 },
    differences: [{ path: 'retention_in_days', expected: undefined, actual: 7, kind: 'ADD' }],
  },
  {
    type: 'aws_subnet',
    cloudControlType: 'AWS::EC2::Subnet',
    state: { id: 'subnet-0a1', cidr_block: '10.0.1.0/24', vpc_id: 'vpc-0123', availability_zone: 'us-east-1a', map_public_ip_on_launch: false, tags: TAGS, tags_all: TAGS },
    live: { SubnetId: 'subnet-0a1', CidrBlock: '10.0.1.0/24', VpcId: 'vpc-0123', AvailabilityZone: 'us-east-1a', MapPublicIpOnLaunch: false, Tags: TAG_LIST },
    identifier: 'subnet-0a1',
    drift: { MapPublicIpOnLaunch: true },
    differences: [{ path: 'map_public_ip_on_launch', expected: false, actual: true, kind: 'NOT_EQUAL' }],
  },
  {
    type: 'aws_vpc',
    cloudControlType: 'AWS::EC2::VPC',
    state: { id: 'vpc-0123', cidr_block: '10.0.0.0/16', enable_dns_support: true, enable_dns_hostnames: true, instance_tenancy: 'default', tags: TAGS, tags_all: TAGS },
    live: { VpcId: 'vpc-0123', CidrBlock: '10.0.0.0/16', EnableDnsSupport: true, EnableDnsHostnames: true, InstanceTenancy: 'default', Tags: TAG_LIST },
    identifier: 'vpc-0123',
    drift: { EnableDnsHostnames: false },
    differences: [{ path: 'enable_dns_hostnames', expected: true, actual: false, kind: 'NOT_EQUAL' }],
  },
  {
    type: 'aws_instance',
    cloudControlType: 'AWS::EC2::Instance',
    state: {
      id: 'i-0abc',
      instance_type: 't3.small',
      ami: 'ami-0123',
      subnet_id: 'subnet-0a1',
      key_name: '',
      iam_instance_profile: '',
      vpc_security_group_ids: ['sg-2', 'sg-1'],
      monitoring: false,
      ebs_optimized: false,
      disable_api_termination: false,
      source_dest_check: true,
      tags: TAGS,
      tags_all: TAGS,
    },
    live: { InstanceId: 'i-0abc', InstanceType: 't3.small', ImageId: 'ami-0123', SubnetId: 'subnet-0a1', SecurityGroupIds: ['sg-1', 'sg-2'], Monitoring: false, SourceDestCheck: true, Tags: TAG_LIST },
    identifier: 'i-0abc',
    drift: { InstanceType: 't3.large' },
    differences: [{ path: 'instance_type', expected: 't3.small', actual: 't3.large', kind: 'NOT_EQUAL' }],
  },
  {
    type: 'aws_sqs_queue',
    cloudControlType: 'AWS::SQS::Queue',
    state: {
      id: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/jobs`,
      url: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/jobs`,
      visibility_timeout_seconds: 30,
      message_retention_seconds: 345600,
      delay_seconds: 0,
      max_message_size: 262144,
      receive_wait_time_seconds: 0,
      fifo_queue: false,
      content_based_deduplication: false,
      kms_master_key_id: '',
      sqs_managed_sse_enabled: true,
      redrive_policy: '',
      tags: TAGS,
      tags_all: TAGS,
    },
    live: {
      QueueUrl: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/jobs`,
      VisibilityTimeout: 30,
      MessageRetentionPeriod: 345600,
      DelaySeconds: 0,
      MaximumMessageSize: 262144,
      ReceiveMessageWaitTimeSeconds: 0,
      SqsManagedSseEnabled: true,
      Tags: TAG_LIST,
    },
    identifier: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/jobs`,
    drift: { VisibilityTimeout: 120 },
    differences: [{ path: 'visibility_timeout_seconds', expected: 30, actual: 120, kind: 'NOT_EQUAL' }],
  },
  {
    type: 'aws_sns_topic',
    cloudControlType: 'AWS::SNS::Topic',
    state: { arn: `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`, id: `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`, display_name: 'Alerts', kms_master_key_id: '', fifo_topic: false, content_based_deduplication: false, tags: TAGS, tags_all: TAGS },
    live: { TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`, DisplayName: 'Alerts', Tags: TAG_LIST },
    identifier: `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`,
    drift: { KmsMasterKeyId: 'alias/aws/sns' },
    differences: [{ path: 'kms_master_key_id', expected: undefined, actual: 'alias/aws/sns', kind: 'ADD' }],
  },
  {
    type: 'aws_dynamodb_table',
    cloudControlType: 'AWS::DynamoDB::Table',
    state: {
      name: 'orders',
      id: 'orders',
      billing_mode: 'PROVISIONED',
      read_capacity: 5,
      write_capacity: 5,
      hash_key: 'order_id',
      range_key: 'created_at',
      attribute: [
        { name: 'order_id', type: 'S' },
        { name: 'created_at', type: 'N' },
      ],
      global_secondary_index: [],
      ttl: [{ attribute_name: '', enabled: false }],
      point_in_time_recovery: [{ enabled: false }],
      stream_enabled: true,
      stream_view_type: 'NEW_AND_OLD_IMAGES',
      server_side_encryption: [],
      deletion_protection_enabled: false,
      table_class: '',
      tags: TAGS,
      tags_all: TAGS,
    },
    live: {
      TableName: 'orders',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      KeySchema: [
        { AttributeName: 'order_id', KeyType: 'HASH' },
        { AttributeName: 'created_at', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'created_at', AttributeType: 'N' },
        { AttributeName: 'order_id', AttributeType: 'S' },
      ],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      Tags: TAG_LIST,
    },
    identifier: 'orders',
    drift: {
      GlobalSecondaryIndexes: [
        {
          IndexName: 'by-status',
          KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        },
      ],
    },
    differences: [
      {
        path: 'global_secondary_index',
        expected: undefined,
        actual: [{ name: 'by-status', hash_key: 'status', range_key: undefined, projection_type: 'KEYS_ONLY', non_key_attributes: [], read_capacity: 1, write_capacity: 1 }],
        kind: 'ADD',
      },
    ],
  },
  {
    type: 'aws_kms_key',
    cloudControlType: 'AWS::KMS::Key',
    state: {
      key_id: '1234abcd-12ab-34cd-56ef-1234567890ab',
      id: '1234abcd-12ab-34cd-56ef-1234567890ab',
      description: 'orders data',
      enable_key_rotation: true,
      is_enabled: true,
      key_usage: 'ENCRYPT_DECRYPT',
      customer_master_key_spec: 'SYMMETRIC_DEFAULT',
      multi_region: false,
      policy: `{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${ACCOUNT}:root"},"Action":"kms:*","Resource":"*"}]}`,
      tags: TAGS,
      tags_all: TAGS,
    },
    live: {
      KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
      Description: 'orders data',
      EnableKeyRotation: true,
      Enabled: true,
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      MultiRegion: false,
      KeyPolicy: { Version: '2012-10-17', Id: 'key-default-1', Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] },
      Tags: TAG_LIST,
    },
    identifier: '1234abcd-12ab-34cd-56ef-1234567890ab',
    drift: { EnableKeyRotation: false },
    differences: [{ path: 'enable_key_rotation', expected: true, actual: false, kind: 'NOT_EQUAL' }],
  },
  {
    type: 'aws_ecr_repository',
    cloudControlType: 'AWS::ECR::Repository',
    state: {
      name: 'api',
      id: 'api',
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: [{ scan_on_push: true }],
      encryption_configuration: [{ encryption_type: 'AES256', kms_key: '' }],
      tags: TAGS,
      tags_all: TAGS,
    },
    live: { RepositoryName: 'api', ImageTagMutability: 'IMMUTABLE', ImageScanningConfiguration: { ScanOnPush: true }, EncryptionConfiguration: { EncryptionType: 'AES256' }, Tags: TAG_LIST },
    identifier: 'api',
    drift: { ImageTagMutability: 'MUTABLE' },
    differences: [{ path: 'image_tag_mutability', expected: 'IMMUTABLE', actual: 'MUTABLE', kind: 'NOT_EQUAL' }],
  },
  {
    type: 'aws_ecs_cluster',
    cloudControlType: 'AWS::ECS::Cluster',
    state: { name: 'prod', id: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/prod`, setting: [{ name: 'containerInsights', value: 'enabled' }], tags: TAGS, tags_all: TAGS },
    live: { ClusterName: 'prod', ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }], Tags: TAG_LIST },
    identifier: 'prod',
    drift: { ClusterSettings: [{ Name: 'containerInsights', Value: 'disabled' }] },
    differences: [{ path: 'setting', expected: [{ name: 'containerInsights', value: 'enabled' }], actual: [{ name: 'containerInsights', value: 'disabled' }], kind: 'NOT_EQUAL' }],
  },
  {
    type: 'aws_ecs_service',
    cloudControlType: 'AWS::ECS::Service',
    state: {
      id: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/api`,
      cluster: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/prod`,
      desired_count: 3,
      launch_type: 'FARGATE',
      task_definition: 'api:7',
      platform_version: 'LATEST',
      enable_execute_command: false,
      health_check_grace_period_seconds: 0,
      deployment_maximum_percent: 200,
      deployment_minimum_healthy_percent: 100,
      propagate_tags: 'NONE',
      tags: TAGS,
      tags_all: TAGS,
    },
    live: {
      ServiceArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/api`,
      Cluster: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/prod`,
      DesiredCount: 3,
      LaunchType: 'FARGATE',
      TaskDefinition: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/api:7`,
      PlatformVersion: 'LATEST',
      EnableExecuteCommand: false,
      DeploymentConfiguration: { MaximumPercent: 200, MinimumHealthyPercent: 100 },
      Tags: TAG_LIST,
    },
    identifier: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/api|arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/prod`,
    drift: { DesiredCount: 6, TaskDefinition: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/api:8` },
    differences: [
      { path: 'desired_count', expected: 3, actual: 6, kind: 'NOT_EQUAL' },
      { path: 'task_definition', expected: 'api:7', actual: 'api:8', kind: 'NOT_EQUAL' },
    ],
  },
  {
    type: 'aws_ssm_parameter',
    cloudControlType: 'AWS::SSM::Parameter',
    state: { name: '/orders/feature-flags', id: '/orders/feature-flags', type: 'String', value: 'on', data_type: 'text', tags: TAGS, tags_all: TAGS },
    // SSM's Tags is a map, not a Key/Value list
    live: { Name: '/orders/feature-flags', Type: 'String', Value: 'on', DataType: 'text', Tags: { team: 'orders' } },
    identifier: '/orders/feature-flags',
    drift: { Tags: { team: 'payments' } },
    differences: [{ path: 'tags.team', expected: 'orders', actual: 'payments', kind: 'NOT_EQUAL' }],
  },
  {
    type: 'aws_secretsmanager_secret',
    cloudControlType: 'AWS::SecretsManager::Secret',
    state: { arn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`, id: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`, name: 'db', description: 'database login', kms_key_id: '', tags: TAGS, tags_all: TAGS },
    live: { Id: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`, Name: 'db', Description: 'database login', Tags: TAG_LIST },
    identifier: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`,
    drift: { Description: 'rotated by hand' },
    differences: [{ path: 'description', expected: 'database login', actual: 'rotated by hand', kind: 'NOT_EQUAL' }],
  },
  {
    type: 'aws_cloudwatch_metric_alarm',
    cloudControlType: 'AWS::CloudWatch::Alarm',
    state: {
      alarm_name: 'queue-depth',
      id: 'queue-depth',
      comparison_operator: 'GreaterThanThreshold',
      evaluation_periods: 2,
      threshold: 100,
      period: 60,
      statistic: 'Average',
      metric_name: 'ApproximateNumberOfMessagesVisible',
      namespace: 'AWS/SQS',
      datapoints_to_alarm: 0,
      alarm_description: '',
      actions_enabled: true,
      alarm_actions: [`arn:aws:sns:us-east-1:${ACCOUNT}:alerts`],
      ok_actions: [],
      insufficient_data_actions: [],
      treat_missing_data: 'missing',
      dimensions: { QueueName: 'jobs' },
      tags: {},
      tags_all: {},
    },
    live: {
      AlarmName: 'queue-depth',
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 2,
      Threshold: 100.0,
      Period: 60,
      Statistic: 'Average',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      ActionsEnabled: true,
      AlarmActions: [`arn:aws:sns:us-east-1:${ACCOUNT}:alerts`],
      TreatMissingData: 'missing',
      Dimensions: [{ Name: 'QueueName', Value: 'jobs' }],
    },
    identifier: 'queue-depth',
    drift: { Threshold: 1000, ActionsEnabled: false },
    differences: [
      { path: 'threshold', expected: 100, actual: 1000, kind: 'NOT_EQUAL' },
      { path: 'actions_enabled', expected: true, actual: false, kind: 'NOT_EQUAL' },
    ],
  },
  {
    type: 'aws_route53_zone',
    cloudControlType: 'AWS::Route53::HostedZone',
    state: { zone_id: 'Z0123456789ABC', id: 'Z0123456789ABC', name: 'example.com', comment: 'Managed by Terraform', tags: TAGS, tags_all: TAGS },
    live: { Id: 'Z0123456789ABC', Name: 'example.com.', HostedZoneConfig: { Comment: 'Managed by Terraform' }, HostedZoneTags: TAG_LIST },
    identifier: 'Z0123456789ABC',
    drift: { HostedZoneConfig: { Comment: 'do not touch' } },
    differences: [{ path: 'comment', expected: 'Managed by Terraform', actual: 'do not touch', kind: 'NOT_EQUAL' }],
  },
  {
    type: 'aws_db_instance',
    cloudControlType: 'AWS::RDS::DBInstance',
    state: {
      identifier: 'orders-db',
      id: 'db-ABCDEFGHIJKLMNOP',
      instance_class: 'db.t4g.medium',
      allocated_storage: 20,
      engine: 'postgres',
      engine_version: '16.3',
      multi_az: false,
      publicly_accessible: false,
      storage_type: 'gp3',
      storage_encrypted: true,
      backup_retention_period: 7,
      deletion_protection: true,
      username: 'orders',
      port: 5432,
      password: 'hunter2-in-state',
      tags: TAGS,
      tags_all: TAGS,
    },
    // The CloudFormation schema has AllocatedStorage and the port as strings
    live: {
      DBInstanceIdentifier: 'orders-db',
      DBInstanceClass: 'db.t4g.medium',
      AllocatedStorage: '20',
      Engine: 'postgres',
      EngineVersion: '16.3',
      MultiAZ: false,
      PubliclyAccessible: false,
      StorageType: 'gp3',
      StorageEncrypted: true,
      BackupRetentionPeriod: 7,
      DeletionProtection: true,
      MasterUsername: 'orders',
      Endpoint: { Address: 'orders-db.abc.us-east-1.rds.amazonaws.com', Port: '5432' },
      Tags: TAG_LIST,
    },
    identifier: 'orders-db',
    drift: { AllocatedStorage: '100', MultiAZ: true },
    differences: [
      { path: 'allocated_storage', expected: 20, actual: '100', kind: 'NOT_EQUAL' },
      { path: 'multi_az', expected: false, actual: true, kind: 'NOT_EQUAL' },
    ],
  },
  {
    type: 'aws_kinesis_stream',
    cloudControlType: 'AWS::Kinesis::Stream',
    state: { name: 'clicks', id: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/clicks`, shard_count: 2, retention_period: 24, encryption_type: 'NONE', kms_key_id: '', stream_mode_details: [{ stream_mode: 'PROVISIONED' }], tags: TAGS, tags_all: TAGS },
    live: { Name: 'clicks', ShardCount: 2, RetentionPeriodHours: 24, StreamModeDetails: { StreamMode: 'PROVISIONED' }, Tags: TAG_LIST },
    identifier: 'clicks',
    drift: { RetentionPeriodHours: 168 },
    differences: [{ path: 'retention_period', expected: 24, actual: 168, kind: 'NOT_EQUAL' }],
  },
  {
    type: 'aws_sfn_state_machine',
    cloudControlType: 'AWS::StepFunctions::StateMachine',
    state: {
      arn: `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:checkout`,
      id: `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:checkout`,
      definition: '{"StartAt":"Pay","States":{"Pay":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:pay","End":true}}}',
      role_arn: `arn:aws:iam::${ACCOUNT}:role/checkout`,
      type: 'STANDARD',
      tags: TAGS,
      tags_all: TAGS,
    },
    live: {
      Arn: `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:checkout`,
      DefinitionString: '{\n  "StartAt": "Pay",\n  "States": {"Pay": {"Type": "Task", "End": true, "Resource": "arn:aws:lambda:us-east-1:123456789012:function:pay"}}\n}',
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/checkout`,
      StateMachineType: 'STANDARD',
      Tags: TAG_LIST,
    },
    identifier: `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:checkout`,
    drift: { RoleArn: `arn:aws:iam::${ACCOUNT}:role/admin` },
    differences: [{ path: 'role_arn', expected: `arn:aws:iam::${ACCOUNT}:role/checkout`, actual: `arn:aws:iam::${ACCOUNT}:role/admin`, kind: 'NOT_EQUAL' }],
  },
  {
    type: 'aws_cloudwatch_event_rule',
    cloudControlType: 'AWS::Events::Rule',
    state: {
      arn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/nightly`,
      id: 'nightly',
      schedule_expression: 'cron(0 3 * * ? *)',
      event_pattern: '',
      description: '',
      is_enabled: true,
      event_bus_name: 'default',
      role_arn: '',
      tags: {},
      tags_all: {},
    },
    live: { Arn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/nightly`, Name: 'nightly', ScheduleExpression: 'cron(0 3 * * ? *)', State: 'ENABLED', EventBusName: 'default' },
    identifier: `arn:aws:events:us-east-1:${ACCOUNT}:rule/nightly`,
    drift: { State: 'DISABLED' },
    differences: [{ path: 'state', expected: 'ENABLED', actual: 'DISABLED', kind: 'NOT_EQUAL' }],
  },
  {
    type: 'aws_api_gateway_rest_api',
    cloudControlType: 'AWS::ApiGateway::RestApi',
    state: {
      id: 'a1b2c3d4e5',
      name: 'orders',
      description: '',
      api_key_source: 'HEADER',
      binary_media_types: [],
      minimum_compression_size: '',
      disable_execute_api_endpoint: false,
      endpoint_configuration: [{ types: ['REGIONAL'], vpc_endpoint_ids: [] }],
      tags: TAGS,
      tags_all: TAGS,
    },
    live: { RestApiId: 'a1b2c3d4e5', Name: 'orders', ApiKeySourceType: 'HEADER', DisableExecuteApiEndpoint: false, EndpointConfiguration: { Types: ['REGIONAL'] }, Tags: TAG_LIST },
    identifier: 'a1b2c3d4e5',
    drift: { DisableExecuteApiEndpoint: true },
    differences: [{ path: 'disable_execute_api_endpoint', expected: false, actual: true, kind: 'NOT_EQUAL' }],
  },
];

describe('Cloud Control mappings, one type at a time', () => {
  it('covers at least the 25 types, each once', () => {
    expect(TYPE_MAPPINGS.length).toBeGreaterThanOrEqual(25);
    expect(new Set(CASES.map((c) => c.type))).toEqual(new Set(TYPE_MAPPINGS.map((m) => m.terraformType)));
  });

  it.each(CASES)('$type: reads $cloudControlType by the identifier in the state', (c) => {
    const mapping = findMapping(c.type)!;
    expect(mapping.cloudControlType).toBe(c.cloudControlType);
    expect(mapping.identifier(c.state)).toBe(c.identifier);
  });

  it.each(CASES)('$type: no difference when nothing drifted (shapes, defaults and units normalized)', (c) => {
    const compared = computeDifferences(findMapping(c.type)!.attributes, c.state, c.live);
    expect(compared.differences).toEqual([]);
  });

  it.each(CASES)('$type: a live change comes out as the Terraform attribute with both values', (c) => {
    const compared = computeDifferences(findMapping(c.type)!.attributes, c.state, { ...c.live, ...c.drift });
    expect(compared.differences).toEqual(c.differences);
  });

  it('has no mapping for a type Cloud Control cannot read in Terraform shape', () => {
    expect(findMapping('aws_iam_role_policy_attachment')).toBeUndefined();
  });
});
