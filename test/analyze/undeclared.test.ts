// Undeclared drift, the pure part: which live properties count as "set live and never
// declared". Per type, a freshly created resource (what Cloud Control reads back for a minimal
// template: every default filled in) must report nothing, and the same resource with one
// property set live (in the console, by another tool) must report exactly that property.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import { applyPolicy, computeConclusion } from '../../src/analyze/verdict.js';
import { computeUndeclared, type UndeclaredInput } from '../../src/analyze/rules/undeclared.js';
import { TYPE_DEFAULTS } from '../../src/analyze/rules/undeclared-defaults.js';
import type { TypeSchemaFacts, UndeclaredRead } from '../../src/types.js';
import { change, FILE, live, liveState, resource, template } from './builders.js';

const ACCOUNT = '123456789012';
const ARN = `arn:aws:`;

interface Row {
  type: string;
  /** readOnly / writeOnly / primaryIdentifier as the type's registry schema has them. */
  schema: Partial<Pick<TypeSchemaFacts, 'readOnly' | 'writeOnly' | 'defaults'>> & { primaryIdentifier: string[] };
  /** What the minimal template declares. */
  declared: Record<string, unknown>;
  /** What Cloud Control reads back for it right after creation. */
  fresh: Record<string, unknown>;
  /** One property changed live, which must be reported. */
  setLive: [string, unknown];
}

const ROWS: Row[] = [
  {
    type: 'AWS::SQS::Queue',
    schema: { readOnly: ['QueueUrl', 'Arn'], primaryIdentifier: ['QueueUrl'] },
    declared: {},
    fresh: {
      QueueUrl: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/orders-prod-OrdersQueue-AbC123`,
      Arn: `${ARN}sqs:us-east-1:${ACCOUNT}:orders-prod-OrdersQueue-AbC123`,
      QueueName: 'orders-prod-OrdersQueue-AbC123',
      VisibilityTimeout: 30,
      MessageRetentionPeriod: 345600,
      DelaySeconds: 0,
      MaximumMessageSize: 1048576,
      ReceiveMessageWaitTimeSeconds: 0,
      SqsManagedSseEnabled: true,
    },
    setLive: ['RedrivePolicy', { deadLetterTargetArn: `${ARN}sqs:us-east-1:${ACCOUNT}:dlq`, maxReceiveCount: 5 }],
  },
  {
    type: 'AWS::SNS::Topic',
    schema: { readOnly: ['TopicArn'], primaryIdentifier: ['TopicArn'] },
    declared: {},
    fresh: { TopicArn: `${ARN}sns:us-east-1:${ACCOUNT}:orders-prod-Topic-1X2Y`, TopicName: 'orders-prod-Topic-1X2Y', DisplayName: '', FifoTopic: false, SignatureVersion: '1', TracingConfig: 'PassThrough', Subscription: [] },
    setLive: ['KmsMasterKeyId', 'alias/aws/sns'],
  },
  {
    type: 'AWS::S3::Bucket',
    schema: { readOnly: ['Arn', 'DomainName', 'DualStackDomainName', 'RegionalDomainName', 'WebsiteURL'], primaryIdentifier: ['BucketName'] },
    declared: {},
    fresh: {
      BucketName: 'orders-prod-bucket-1a2b3c',
      Arn: `${ARN}s3:::orders-prod-bucket-1a2b3c`,
      DomainName: 'orders-prod-bucket-1a2b3c.s3.amazonaws.com',
      RegionalDomainName: 'orders-prod-bucket-1a2b3c.s3.us-east-1.amazonaws.com',
      DualStackDomainName: 'orders-prod-bucket-1a2b3c.s3.dualstack.us-east-1.amazonaws.com',
      WebsiteURL: 'http://orders-prod-bucket-1a2b3c.s3-website-us-east-1.amazonaws.com',
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    },
    setLive: ['VersioningConfiguration', { Status: 'Enabled' }],
  },
  {
    type: 'AWS::Lambda::Function',
    schema: { readOnly: ['Arn', 'SnapStartResponse', 'SnapStartResponse.ApplyOn', 'SnapStartResponse.OptimizationStatus'], writeOnly: ['Code', 'Code.ZipFile', 'Code.S3Bucket', 'Code.S3Key'], primaryIdentifier: ['FunctionName'] },
    declared: { Runtime: 'nodejs20.x', Handler: 'index.handler', Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, Code: { ZipFile: 'exports.handler = async () => ({})' } },
    fresh: {
      FunctionName: 'orders-prod-Fn-9Z8Y',
      Arn: `${ARN}lambda:us-east-1:${ACCOUNT}:function:orders-prod-Fn-9Z8Y`,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: `${ARN}iam::${ACCOUNT}:role/orders-prod-Role-1A`,
      Architectures: ['x86_64'],
      EphemeralStorage: { Size: 512 },
      MemorySize: 128,
      Timeout: 3,
      PackageType: 'Zip',
      TracingConfig: { Mode: 'PassThrough' },
      LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/orders-prod-Fn-9Z8Y' },
      RuntimeManagementConfig: { UpdateRuntimeOn: 'Auto' },
      SnapStart: { ApplyOn: 'None' },
      SnapStartResponse: { ApplyOn: 'None', OptimizationStatus: 'Off' },
      RecursiveLoop: 'Terminate',
    },
    setLive: ['ReservedConcurrentExecutions', 5],
  },
  {
    type: 'AWS::IAM::Role',
    schema: { readOnly: ['Arn', 'RoleId'], primaryIdentifier: ['RoleName'] },
    declared: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] } },
    fresh: {
      RoleName: 'orders-prod-Role-1A2B3C',
      Arn: `${ARN}iam::${ACCOUNT}:role/orders-prod-Role-1A2B3C`,
      RoleId: 'AROAEXAMPLEID123',
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] },
      Path: '/',
      MaxSessionDuration: 3600,
    },
    setLive: ['ManagedPolicyArns', [`${ARN}iam::aws:policy/AdministratorAccess`]],
  },
  {
    type: 'AWS::IAM::Policy',
    schema: { readOnly: ['Id'], primaryIdentifier: ['Id'] },
    declared: { PolicyName: 'orders-read', PolicyDocument: { Version: '2012-10-17', Statement: [] }, Roles: [{ Ref: 'Role' }] },
    fresh: { Id: 'orders-Polic-ABC123', PolicyName: 'orders-read', PolicyDocument: { Version: '2012-10-17', Statement: [] }, Roles: ['orders-prod-Role-1A2B3C'] },
    setLive: ['Users', ['alice']],
  },
  {
    type: 'AWS::IAM::ManagedPolicy',
    schema: { readOnly: ['PolicyArn', 'AttachmentCount', 'CreateDate', 'DefaultVersionId', 'IsAttachable', 'PermissionsBoundaryUsageCount', 'PolicyId', 'UpdateDate'], primaryIdentifier: ['PolicyArn'] },
    declared: { PolicyDocument: { Version: '2012-10-17', Statement: [] } },
    fresh: {
      PolicyArn: `${ARN}iam::${ACCOUNT}:policy/orders-prod-Managed-1X`,
      ManagedPolicyName: 'orders-prod-Managed-1X',
      PolicyDocument: { Version: '2012-10-17', Statement: [] },
      Path: '/',
      Description: '',
      AttachmentCount: 0,
      DefaultVersionId: 'v1',
      IsAttachable: true,
    },
    setLive: ['Groups', ['admins']],
  },
  {
    type: 'AWS::DynamoDB::Table',
    schema: { readOnly: ['Arn', 'StreamArn'], primaryIdentifier: ['TableName'] },
    declared: { BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] },
    fresh: {
      TableName: 'orders-prod-Table-1A',
      Arn: `${ARN}dynamodb:us-east-1:${ACCOUNT}:table/orders-prod-Table-1A`,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
      DeletionProtectionEnabled: false,
      TableClass: 'STANDARD',
      SSESpecification: { SSEEnabled: false },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
      ContributorInsightsSpecification: { Enabled: false },
      WarmThroughput: { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000 },
      OnDemandThroughput: { MaxReadRequestUnits: -1, MaxWriteRequestUnits: -1 },
    },
    setLive: ['StreamSpecification', { StreamViewType: 'NEW_AND_OLD_IMAGES' }],
  },
  {
    type: 'AWS::EC2::SecurityGroup',
    schema: { readOnly: ['GroupId', 'Id'], primaryIdentifier: ['Id'] },
    declared: { GroupDescription: 'orders', VpcId: 'vpc-0a1b2c3d' },
    fresh: {
      Id: 'sg-0123456789abcdef0',
      GroupId: 'sg-0123456789abcdef0',
      GroupName: 'orders-prod-Sg-1A2B',
      GroupDescription: 'orders',
      VpcId: 'vpc-0a1b2c3d',
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1', FromPort: -1, ToPort: -1 }],
      SecurityGroupIngress: [],
    },
    setLive: ['SecurityGroupIngress', [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 22, ToPort: 22 }]],
  },
  {
    type: 'AWS::Logs::LogGroup',
    schema: { readOnly: ['Arn'], primaryIdentifier: ['LogGroupName'] },
    declared: {},
    fresh: { LogGroupName: 'orders-prod-Logs-1A', Arn: `${ARN}logs:us-east-1:${ACCOUNT}:log-group:orders-prod-Logs-1A:*`, LogGroupClass: 'STANDARD' },
    setLive: ['RetentionInDays', 7],
  },
  {
    type: 'AWS::ECS::Service',
    schema: { readOnly: ['ServiceArn', 'Name'], primaryIdentifier: ['ServiceArn', 'Cluster'] },
    declared: { Cluster: { Ref: 'Cluster' }, TaskDefinition: { Ref: 'Task' }, LaunchType: 'FARGATE', NetworkConfiguration: { AwsvpcConfiguration: { Subnets: ['subnet-1'] } } },
    fresh: {
      ServiceArn: `${ARN}ecs:us-east-1:${ACCOUNT}:service/orders/orders-prod-Service-1A`,
      Name: 'orders-prod-Service-1A',
      ServiceName: 'orders-prod-Service-1A',
      Cluster: 'orders',
      TaskDefinition: `${ARN}ecs:us-east-1:${ACCOUNT}:task-definition/orders:3`,
      LaunchType: 'FARGATE',
      NetworkConfiguration: { AwsvpcConfiguration: { Subnets: ['subnet-1'], AssignPublicIp: 'DISABLED' } },
      DesiredCount: 1,
      PlatformVersion: 'LATEST',
      SchedulingStrategy: 'REPLICA',
      DeploymentController: { Type: 'ECS' },
      DeploymentConfiguration: { MaximumPercent: 200, MinimumHealthyPercent: 100, DeploymentCircuitBreaker: { Enable: false, Rollback: false } },
      EnableECSManagedTags: false,
      EnableExecuteCommand: false,
      PropagateTags: 'NONE',
      AvailabilityZoneRebalancing: 'ENABLED',
    },
    setLive: ['LoadBalancers', [{ ContainerName: 'web', ContainerPort: 8080, TargetGroupArn: `${ARN}elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/x/1` }]],
  },
  {
    type: 'AWS::ECS::TaskDefinition',
    schema: { readOnly: ['TaskDefinitionArn'], primaryIdentifier: ['TaskDefinitionArn'] },
    declared: { ContainerDefinitions: [{ Name: 'web', Image: 'nginx' }], Cpu: '256', Memory: '512', NetworkMode: 'awsvpc', RequiresCompatibilities: ['FARGATE'] },
    fresh: {
      TaskDefinitionArn: `${ARN}ecs:us-east-1:${ACCOUNT}:task-definition/orders-prod-Task-1A:1`,
      Family: 'orders-prod-Task-1A',
      ContainerDefinitions: [{ Name: 'web', Image: 'nginx', Essential: true }],
      Cpu: '256',
      Memory: '512',
      NetworkMode: 'awsvpc',
      RequiresCompatibilities: ['FARGATE'],
      EnableFaultInjection: false,
    },
    setLive: ['TaskRoleArn', `${ARN}iam::${ACCOUNT}:role/anything`],
  },
  {
    type: 'AWS::ApiGateway::RestApi',
    schema: { readOnly: ['RestApiId', 'RootResourceId'], writeOnly: ['Body', 'BodyS3Location', 'CloneFrom', 'FailOnWarnings', 'Mode', 'Parameters'], primaryIdentifier: ['RestApiId'] },
    declared: { Name: 'orders' },
    fresh: { RestApiId: 'a1b2c3d4e5', RootResourceId: 'r00t1d', Name: 'orders', EndpointConfiguration: { Types: ['EDGE'], IpAddressType: 'ipv4' }, DisableExecuteApiEndpoint: false, ApiKeySourceType: 'HEADER' },
    setLive: ['Policy', { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' }] }],
  },
  {
    type: 'AWS::ApiGateway::Stage',
    schema: { primaryIdentifier: ['RestApiId', 'StageName'] },
    declared: { RestApiId: { Ref: 'Api' }, DeploymentId: { Ref: 'Deployment' }, StageName: 'prod' },
    fresh: { RestApiId: 'a1b2c3d4e5', StageName: 'prod', DeploymentId: 'dep123', TracingEnabled: false, CacheClusterEnabled: false },
    setLive: ['MethodSettings', [{ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 10, ThrottlingBurstLimit: 5 }]],
  },
  {
    type: 'AWS::Events::Rule',
    schema: { readOnly: ['Arn'], primaryIdentifier: ['Arn'] },
    declared: { ScheduleExpression: 'rate(5 minutes)', Targets: [{ Id: 't', Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] } }] },
    fresh: {
      Arn: `${ARN}events:us-east-1:${ACCOUNT}:rule/orders-prod-Rule-1A`,
      Name: 'orders-prod-Rule-1A',
      EventBusName: 'default',
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [{ Id: 't', Arn: `${ARN}lambda:us-east-1:${ACCOUNT}:function:f` }],
    },
    setLive: ['State', 'DISABLED'],
  },
  {
    type: 'AWS::KMS::Key',
    schema: { readOnly: ['Arn', 'KeyId'], writeOnly: ['PendingWindowInDays', 'BypassPolicyLockoutSafetyCheck'], primaryIdentifier: ['KeyId'] },
    declared: {},
    fresh: {
      KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
      Arn: `${ARN}kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      KeyPolicy: { Version: '2012-10-17', Id: 'key-default-1', Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `${ARN}iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] },
      Enabled: true,
      EnableKeyRotation: false,
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      MultiRegion: false,
      Origin: 'AWS_KMS',
      Description: '',
    },
    setLive: ['EnableKeyRotation', true],
  },
  {
    type: 'AWS::SecretsManager::Secret',
    schema: { readOnly: ['Id'], writeOnly: ['SecretString', 'GenerateSecretString'], primaryIdentifier: ['Id'] },
    declared: { GenerateSecretString: { PasswordLength: 32 } },
    fresh: { Id: `${ARN}secretsmanager:us-east-1:${ACCOUNT}:secret:orders-prod-Secret-1A-AbCdEf`, Name: 'orders-prod-Secret-1A', Description: '' },
    setLive: ['ReplicaRegions', [{ Region: 'eu-west-1' }]],
  },
  {
    type: 'AWS::SSM::Parameter',
    schema: { primaryIdentifier: ['Name'] },
    declared: { Type: 'String', Value: 'v1' },
    fresh: { Name: 'CFN-OrdersParameter-1A2B3C', Type: 'String', Value: 'v1', Tier: 'Standard', DataType: 'text' },
    setLive: ['AllowedPattern', '^v[0-9]+$'],
  },
  {
    type: 'AWS::StepFunctions::StateMachine',
    schema: { readOnly: ['Arn', 'Name', 'StateMachineRevisionId'], writeOnly: ['Definition', 'DefinitionS3Location', 'DefinitionSubstitutions'], primaryIdentifier: ['Arn'] },
    declared: { Definition: { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] } },
    fresh: {
      Arn: `${ARN}states:us-east-1:${ACCOUNT}:stateMachine:Machine-1A`,
      Name: 'Machine-1A',
      StateMachineName: 'Machine-1A',
      StateMachineRevisionId: `${ARN}states:us-east-1:${ACCOUNT}:stateMachine:Machine-1A`,
      DefinitionString: '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}',
      RoleArn: `${ARN}iam::${ACCOUNT}:role/r`,
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'OFF', IncludeExecutionData: false },
      TracingConfiguration: { Enabled: false },
      EncryptionConfiguration: { Type: 'AWS_OWNED_KEY' },
    },
    setLive: ['TracingConfiguration', { Enabled: true }],
  },
  {
    type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
    schema: { readOnly: ['TargetGroupArn', 'LoadBalancerArns', 'TargetGroupFullName', 'TargetGroupName'], primaryIdentifier: ['TargetGroupArn'] },
    declared: { Port: 8080, Protocol: 'HTTP', VpcId: 'vpc-0a1b2c3d', TargetType: 'ip' },
    fresh: {
      TargetGroupArn: `${ARN}elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/order-Targe-1A/0123456789abcdef`,
      TargetGroupName: 'order-Targe-1A',
      Name: 'order-Targe-1A',
      Port: 8080,
      Protocol: 'HTTP',
      VpcId: 'vpc-0a1b2c3d',
      TargetType: 'ip',
      HealthCheckEnabled: true,
      HealthCheckIntervalSeconds: 30,
      HealthCheckPath: '/',
      HealthCheckPort: 'traffic-port',
      HealthCheckProtocol: 'HTTP',
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 5,
      UnhealthyThresholdCount: 2,
      Matcher: { HttpCode: '200' },
      IpAddressType: 'ipv4',
      ProtocolVersion: 'HTTP1',
      LoadBalancerArns: [],
      TargetGroupAttributes: [
        { Key: 'deregistration_delay.timeout_seconds', Value: '300' },
        { Key: 'stickiness.enabled', Value: 'false' },
        { Key: 'stickiness.type', Value: 'lb_cookie' },
        { Key: 'load_balancing.algorithm.type', Value: 'round_robin' },
        { Key: 'slow_start.duration_seconds', Value: '0' },
        { Key: 'stickiness.app_cookie.cookie_name', Value: '' },
        { Key: 'load_balancing.cross_zone.enabled', Value: 'use_load_balancer_configuration' },
      ],
    },
    setLive: ['HealthCheckPath', '/healthz'],
  },
  {
    type: 'AWS::ElasticLoadBalancingV2::Listener',
    schema: { readOnly: ['ListenerArn'], primaryIdentifier: ['ListenerArn'] },
    declared: { LoadBalancerArn: { Ref: 'Lb' }, Port: 443, Protocol: 'HTTPS', Certificates: [{ CertificateArn: 'arn:cert' }], DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'Tg' } }] },
    fresh: {
      ListenerArn: `${ARN}elasticloadbalancing:us-east-1:${ACCOUNT}:listener/app/lb/1/2`,
      LoadBalancerArn: `${ARN}elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/lb/1`,
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: 'arn:cert' }],
      DefaultActions: [{ Type: 'forward', TargetGroupArn: 'arn:tg' }],
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      MutualAuthentication: { Mode: 'off', IgnoreClientCertificateExpiry: false },
      ListenerAttributes: [{ Key: 'routing.http.response.server.enabled', Value: 'true' }],
    },
    setLive: ['ListenerAttributes', [{ Key: 'routing.http.response.server.enabled', Value: 'false' }]],
  },
  {
    type: 'AWS::RDS::DBInstance',
    schema: { readOnly: ['DBInstanceArn', 'DbiResourceId', 'Endpoint', 'Endpoint.Address', 'Endpoint.Port', 'CertificateDetails'], writeOnly: ['MasterUserPassword'], primaryIdentifier: ['DBInstanceIdentifier'] },
    declared: { Engine: 'postgres', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: '20', MasterUsername: 'orders', MasterUserPassword: { Ref: 'DbPassword' } },
    fresh: {
      DBInstanceIdentifier: 'od1abc2def3ghi',
      DBInstanceArn: `${ARN}rds:us-east-1:${ACCOUNT}:db:od1abc2def3ghi`,
      DbiResourceId: 'db-ABCDEFGHIJKLMNOP',
      Endpoint: { Address: 'od1abc2def3ghi.x.us-east-1.rds.amazonaws.com', Port: '5432' },
      Engine: 'postgres',
      EngineVersion: '16.4',
      DBInstanceClass: 'db.t4g.micro',
      AllocatedStorage: '20',
      MasterUsername: 'orders',
      Port: '5432',
      StorageType: 'gp2',
      BackupRetentionPeriod: 1,
      PreferredBackupWindow: '06:12-06:42',
      PreferredMaintenanceWindow: 'sat:09:15-sat:09:45',
      AutoMinorVersionUpgrade: true,
      MultiAZ: false,
      PubliclyAccessible: false,
      StorageEncrypted: false,
      CopyTagsToSnapshot: false,
      DeletionProtection: false,
      EnablePerformanceInsights: false,
      MonitoringInterval: 0,
      DBParameterGroupName: 'default.postgres16',
      OptionGroupName: 'default:postgres-16',
      CACertificateIdentifier: 'rds-ca-rsa2048-g1',
      AvailabilityZone: 'us-east-1c',
      DBSubnetGroupName: 'default',
      VPCSecurityGroups: ['sg-0default'],
      LicenseModel: 'postgresql-license',
      EnableIAMDatabaseAuthentication: false,
      NetworkType: 'IPV4',
      BackupTarget: 'region',
      DedicatedLogVolume: false,
      EngineLifecycleSupport: 'open-source-rds-extended-support',
      DatabaseInsightsMode: 'standard',
    },
    setLive: ['MaxAllocatedStorage', 100],
  },
  {
    type: 'AWS::CloudWatch::Alarm',
    schema: { readOnly: ['Arn'], primaryIdentifier: ['AlarmName'] },
    declared: { MetricName: 'Errors', Namespace: 'AWS/Lambda', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' },
    fresh: {
      AlarmName: 'orders-prod-Alarm-1A',
      Arn: `${ARN}cloudwatch:us-east-1:${ACCOUNT}:alarm:orders-prod-Alarm-1A`,
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      ActionsEnabled: true,
      TreatMissingData: 'missing',
      AlarmActions: [],
      OKActions: [],
      InsufficientDataActions: [],
      Dimensions: [],
    },
    setLive: ['AlarmActions', [`${ARN}sns:us-east-1:${ACCOUNT}:pager`]],
  },
  {
    type: 'AWS::Kinesis::Stream',
    schema: { readOnly: ['Arn'], primaryIdentifier: ['Name'] },
    declared: { StreamModeDetails: { StreamMode: 'ON_DEMAND' } },
    fresh: { Name: 'orders-prod-Stream-1A', Arn: `${ARN}kinesis:us-east-1:${ACCOUNT}:stream/orders-prod-Stream-1A`, StreamModeDetails: { StreamMode: 'ON_DEMAND' }, ShardCount: 4, RetentionPeriodHours: 24, DesiredShardLevelMetrics: [] },
    setLive: ['StreamEncryption', { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }],
  },
  {
    type: 'AWS::Lambda::EventSourceMapping',
    schema: { readOnly: ['Id', 'EventSourceMappingArn'], primaryIdentifier: ['Id'] },
    declared: { EventSourceArn: { 'Fn::GetAtt': ['Queue', 'Arn'] }, FunctionName: { Ref: 'Fn' } },
    fresh: {
      Id: '6b1a3f0e-1234-4c5d-8e9f-0a1b2c3d4e5f',
      EventSourceMappingArn: `${ARN}lambda:us-east-1:${ACCOUNT}:event-source-mapping:6b1a3f0e`,
      EventSourceArn: `${ARN}sqs:us-east-1:${ACCOUNT}:orders`,
      FunctionName: `${ARN}lambda:us-east-1:${ACCOUNT}:function:f`,
      Enabled: true,
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 0,
      FunctionResponseTypes: [],
    },
    setLive: ['ScalingConfig', { MaximumConcurrency: 2 }],
  },
];

function input(row: Row, live: Record<string, unknown>, extra: Partial<UndeclaredInput> = {}): UndeclaredInput {
  return {
    logicalId: 'Thing',
    type: row.type,
    live,
    schema: { readOnly: [], writeOnly: [], defaults: {}, ...row.schema },
    declared: new Set(Object.keys(row.declared)),
    stackTags: {},
    resources: [],
    physicalIds: new Map(),
    ...extra,
  };
}

describe('undeclared properties, per type', () => {
  it('covers the 25 most used types', () => {
    expect(ROWS).toHaveLength(25);
    for (const row of ROWS) expect(TYPE_DEFAULTS, row.type).toHaveProperty([row.type]);
  });

  it.each(ROWS)('$type: a freshly created one reports nothing', (row) => {
    expect(computeUndeclared(input(row, row.fresh))).toEqual([]);
  });

  it.each(ROWS)('$type: a property set live is reported', (row) => {
    const [property, value] = row.setLive;
    expect(computeUndeclared(input(row, { ...row.fresh, [property]: value }))).toEqual([{ property, live: value }]);
  });

  it.each(ROWS)('$type: the same property is not reported once the template declares it', (row) => {
    const [property, value] = row.setLive;
    expect(computeUndeclared(input(row, { ...row.fresh, [property]: value }, { declared: new Set([...Object.keys(row.declared), property]) }))).toEqual([]);
  });
});

const queue = ROWS[0]!;

describe('noise that is never undeclared drift', () => {
  it("drops the stack's own tags and aws: tags, and reports a tag added by hand", () => {
    const tags = [
      { Key: 'team', Value: 'orders' },
      { Key: 'aws:cloudformation:logical-id', Value: 'Thing' },
      { Key: 'owner', Value: 'alice' },
    ];
    const found = computeUndeclared(input(queue, { ...queue.fresh, Tags: tags }, { stackTags: { team: 'orders' } }));
    expect(found).toEqual([{ property: 'Tags', live: [{ Key: 'owner', Value: 'alice' }] }]);
    expect(computeUndeclared(input(queue, { ...queue.fresh, Tags: tags.slice(0, 2) }, { stackTags: { team: 'orders' } }))).toEqual([]);
  });

  it('reports a stack tag whose value was changed on the resource', () => {
    const found = computeUndeclared(input(queue, { ...queue.fresh, Tags: [{ Key: 'team', Value: 'payments' }] }, { stackTags: { team: 'orders' } }));
    expect(found).toEqual([{ property: 'Tags', live: [{ Key: 'team', Value: 'payments' }] }]);
  });

  it("uses the schema's own default", () => {
    const row: Row = { ...queue, schema: { ...queue.schema, defaults: { RedriveAllowPolicy: { redrivePermission: 'allowAll' } } } };
    expect(computeUndeclared(input(row, { ...queue.fresh, RedriveAllowPolicy: { redrivePermission: 'allowAll' } }))).toEqual([]);
    expect(computeUndeclared(input(row, { ...queue.fresh, RedriveAllowPolicy: { redrivePermission: 'denyAll' } }))).toHaveLength(1);
  });

  it('leaves out write-only and read-only parts nested inside a property', () => {
    const row: Row = { ...queue, schema: { ...queue.schema, writeOnly: ['Options.Secret'], readOnly: [...queue.schema.readOnly!, 'Options.Status'] } };
    expect(computeUndeclared(input(row, { ...queue.fresh, Options: { Secret: 'x', Status: 'ok' } }))).toEqual([]);
    expect(computeUndeclared(input(row, { ...queue.fresh, Options: { Secret: 'x', Mode: 'fast' } }))).toEqual([{ property: 'Options', live: { Mode: 'fast' } }]);
  });

  it("does not report a role's inline policy that an AWS::IAM::Policy of the stack attaches, but one attached by hand", () => {
    const role = ROWS.find((r) => r.type === 'AWS::IAM::Role')!;
    const policy = resource('ReadPolicy', { PolicyName: 'orders-read', Roles: [{ Ref: 'Thing' }], PolicyDocument: {} }, { type: 'AWS::IAM::Policy' });
    const policies = [
      { PolicyName: 'orders-read', PolicyDocument: {} },
      { PolicyName: 'break-glass', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
    ];
    const found = computeUndeclared(input(role, { ...role.fresh, Policies: policies }, { resources: [policy] }));
    expect(found).toEqual([{ property: 'Policies', live: [policies[1]] }]);
  });

  it("does not report managed policies of the stack that attach themselves to the role", () => {
    const role = ROWS.find((r) => r.type === 'AWS::IAM::Role')!;
    const managed = resource('Managed', { Roles: [{ Ref: 'Thing' }], PolicyDocument: {} }, { type: 'AWS::IAM::ManagedPolicy' });
    const arn = `${ARN}iam::${ACCOUNT}:policy/orders-prod-Managed-1X`;
    const found = computeUndeclared(input(role, { ...role.fresh, ManagedPolicyArns: [arn] }, { resources: [managed], physicalIds: new Map([['Managed', arn]]) }));
    expect(found).toEqual([]);
  });

  it('leaves a security group ingress list to the AWS::EC2::SecurityGroupIngress resources that point at it', () => {
    const sg = ROWS.find((r) => r.type === 'AWS::EC2::SecurityGroup')!;
    const [property, value] = sg.setLive;
    const ingress = resource('Ingress', { GroupId: { 'Fn::GetAtt': ['Thing', 'GroupId'] }, IpProtocol: 'tcp' }, { type: 'AWS::EC2::SecurityGroupIngress' });
    expect(computeUndeclared(input(sg, { ...sg.fresh, [property]: value }, { resources: [ingress] }))).toEqual([]);
  });

  it("reads a state machine's DefinitionString as the Definition the template declares", () => {
    const machine = ROWS.find((r) => r.type === 'AWS::StepFunctions::StateMachine')!;
    expect(computeUndeclared(input(machine, { ...machine.fresh, DefinitionString: '{"StartAt":"B"}' }))).toEqual([]);
  });

  it('reports a non-default key policy of a KMS key', () => {
    const key = ROWS.find((r) => r.type === 'AWS::KMS::Key')!;
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' }] };
    expect(computeUndeclared(input(key, { ...key.fresh, KeyPolicy: policy }))).toEqual([{ property: 'KeyPolicy', live: policy }]);
  });
});

describe('the undeclared rule in analyze', () => {
  const base = resource('OrdersFunction', { Runtime: 'nodejs20.x', Timeout: 10 }, { type: 'AWS::Lambda::Function' });
  const head = { ...base, properties: { ...base.properties, Timeout: 20 } };
  const schema: TypeSchemaFacts = { typeName: 'AWS::Lambda::Function', readOnly: ['Arn'], writeOnly: ['Code'], defaults: {}, primaryIdentifier: ['FunctionName'], readPermissions: [], readable: true };
  const undeclared = (properties: Record<string, unknown>, extra: Partial<UndeclaredRead> = {}): UndeclaredRead => ({
    readAt: '2026-01-10T12:00:05.000Z',
    stackTags: {},
    resources: [{ logicalId: 'OrdersFunction', type: 'AWS::Lambda::Function', physicalId: 'orders-fn', status: 'read', properties, schema }],
    unreadable: [],
    ...extra,
  });
  const run = (read: UndeclaredRead, ignore: Array<{ resource?: string; property?: string; reason: string }> = []) =>
    analyze({
      target: { name: 'orders', file: FILE },
      base: template([base]),
      head: template([head]),
      changes: [change(base, head)],
      live: liveState([live('OrdersFunction', 'IN_SYNC', [], 'AWS::Lambda::Function')], { undeclared: read }),
      ignore,
    });

  it('redacts secret-looking values set live and says the value is hidden', () => {
    const result = run(undeclared({ Runtime: 'nodejs20.x', Timeout: 20, Environment: { Variables: { DB_PASSWORD: 'Hunter2-live' } } }));
    const finding = result.findings.find((f) => f.rule === 'undeclared')!;
    expect(finding).toMatchObject({ severity: 'warn', resource: 'OrdersFunction', file: FILE });
    expect(JSON.stringify(result.findings)).not.toContain('Hunter2-live');
    expect(finding.evidence[0]).toMatchObject({ path: 'Environment', redacted: true });
  });

  it('is a warning for a person and blocks an AI-authored pull request under policy.ai: strict', () => {
    const { findings } = run(undeclared({ Runtime: 'nodejs20.x', Timeout: 20, ReservedConcurrentExecutions: 0 }));
    expect(computeConclusion(applyPolicy(findings, { unreadable: 'warn' }), true)).toBe('neutral');
    expect(computeConclusion(applyPolicy(findings, { unreadable: 'warn', aiStrict: true }), true)).toBe('failure');
  });

  it('counts an undeclared property an ignore rule expects as ignored, not as clean', () => {
    const result = run(undeclared({ Runtime: 'nodejs20.x', Timeout: 20, ReservedConcurrentExecutions: 0 }), [{ resource: 'OrdersFunction', property: 'ReservedConcurrentExecutions', reason: 'set by the on-call runbook' }]);
    expect(result.findings.filter((f) => f.rule === 'undeclared')).toEqual([]);
    expect(result.ignored).toContainEqual({ resource: 'OrdersFunction', path: 'ReservedConcurrentExecutions', reason: 'set by the on-call runbook' });
  });

  it('counts a property declared in either branch of a whole-Properties Fn::If as declared', () => {
    const conditional = { ...head, properties: { 'Fn::If': ['IsProd', { Runtime: 'nodejs20.x', Timeout: 20, ReservedConcurrentExecutions: 0 }, { Runtime: 'nodejs20.x', Timeout: 20 }] } };
    const result = analyze({
      target: { name: 'orders', file: FILE },
      base: template([base]),
      head: template([conditional]),
      changes: [change(base, conditional)],
      live: liveState([live('OrdersFunction', 'IN_SYNC', [], 'AWS::Lambda::Function')], { undeclared: undeclared({ Runtime: 'nodejs20.x', Timeout: 20, ReservedConcurrentExecutions: 0 }) }),
      ignore: [],
    });
    expect(result.findings.filter((f) => f.rule === 'undeclared')).toEqual([]);
  });

  it('says a resource Cloud Control could not read is not checked, never clean', () => {
    const read = undeclared({});
    read.resources = [
      {
        logicalId: 'OrdersFunction',
        type: 'AWS::Lambda::Function',
        physicalId: 'orders-fn',
        status: 'not-checked',
        unreadable: { api: 'cloudcontrol:GetResource', code: 'UnsupportedActionException', message: 'Resource type AWS::Lambda::Function does not support READ action', retryable: false },
      },
    ];
    const { findings } = run(read);
    const finding = findings.find((f) => f.rule === 'unreadable' && f.resource === 'OrdersFunction')!;
    expect(finding.message).toContain('Undeclared properties of OrdersFunction (AWS::Lambda::Function) were not checked: cloudcontrol:GetResource failed with UnsupportedActionException');
    expect(computeConclusion(applyPolicy(findings, { unreadable: 'warn' }), true)).toBe('neutral');
  });
});
