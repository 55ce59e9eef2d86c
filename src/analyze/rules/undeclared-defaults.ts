// What "set live" means per resource type: Cloud Control's model of a resource holds every
// property the service reports, defaults included (a new queue reads back VisibilityTimeout 30,
// a new function MemorySize 128). Resource type schemas rarely carry `default`, so the
// defaults of the 25 most used types are written down here, with the properties CloudFormation
// or the service fills in itself (generated names, a cluster's default capacity provider,
// an RDS instance's chosen maintenance window) and the parts of a model other resources of the
// stack manage (a role's inline policies from AWS::IAM::Policy, ingress rules from
// AWS::EC2::SecurityGroupIngress). Pure data and small predicates.
//
// Evidence: each type's defaults as its service's API reference states them (CreateQueue,
// CreateFunction, CreateTable, ...), and the shape as Cloud Control GetResource returns it
// (the property names and nesting of the type's CloudFormation schema). The table test
// (test/analyze/undeclared.test.ts) reads a freshly created resource of each type, which must
// report nothing, and the same resource with one property set live, which must report it.
import type { DeclaredResource } from '../../types.js';
import { isRecord, sameValue } from '../../values/cloudformation-value.js';

/** What a rule may look at besides the value: the rest of the live model and the stack. */
export interface DefaultContext {
  live: Record<string, unknown>;
  logicalId: string;
  /** Every resource of the head and deployed templates (other resources manage parts of this one). */
  resources: DeclaredResource[];
  /** Physical ids of the stack's resources, by logical id. */
  physicalIds: ReadonlyMap<string, string>;
}

/** `true` when the live value means "not set" (the default, or filled in by CloudFormation / the service). */
export type IsDefault = (value: unknown, context: DefaultContext) => boolean;

export interface TypeDefaults {
  /** Top-level property -> its default. */
  defaults?: Record<string, IsDefault>;
  /** Filled in by CloudFormation or the service when the template leaves them out: never reported. */
  filledIn?: string[];
  /** A property that is the same setting as another one the template may declare instead (`DefinitionString` for `Definition`). */
  aliases?: Record<string, string[]>;
  /** Removes what other resources of the stack manage from the value, before it is judged. */
  managedElsewhere?: Record<string, (value: unknown, context: DefaultContext) => unknown>;
}

// ---------------------------------------------------------------- matchers

const is =
  (...values: unknown[]): IsDefault =>
  (value) =>
    values.some((v) => sameValue(value, v));

/** Every key of `value` is one of `expected`'s, with its value (keys not given are allowed to be absent). */
const subsetOf =
  (...expected: Record<string, unknown>[]): IsDefault =>
  (value) =>
    isRecord(value) && expected.some((e) => Object.entries(value).every(([k, v]) => k in e && sameValue(v, e[k])));

/** A `[{ Key, Value }]` attribute list whose every entry is at its default (or empty). */
const attributesAt =
  (defaults: Record<string, string | string[]>): IsDefault =>
  (value) =>
    Array.isArray(value) &&
    value.every((entry) => {
      if (!isRecord(entry) || typeof entry.Key !== 'string') return false;
      const known = defaults[entry.Key];
      const text = entry.Value === undefined || entry.Value === null ? '' : String(entry.Value);
      return text === '' || (known !== undefined && (Array.isArray(known) ? known.includes(text) : known === text));
    });

// ---------------------------------------------------------------- managed by other resources

function refersTo(value: unknown, logicalId: string): boolean {
  if (Array.isArray(value)) return value.some((v) => refersTo(v, logicalId));
  if (!isRecord(value)) return false;
  if (value.Ref === logicalId) return true;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[0] === logicalId) return true;
  return Object.values(value).some((v) => refersTo(v, logicalId));
}

function othersOfType(context: DefaultContext, types: string[]): DeclaredResource[] {
  return context.resources.filter((r) => types.includes(r.type) && r.logicalId !== context.logicalId);
}

/** A role's inline policies that AWS::IAM::Policy / AWS::IAM::RolePolicy resources of the stack put there. */
function withoutStackInlinePolicies(value: unknown, context: DefaultContext): unknown {
  if (!Array.isArray(value)) return value;
  const names = new Set(
    othersOfType(context, ['AWS::IAM::Policy', 'AWS::IAM::RolePolicy'])
      .filter((r) => refersTo(r.properties.Roles, context.logicalId) || refersTo(r.properties.RoleName, context.logicalId))
      .map((r) => r.properties.PolicyName)
      .filter((name): name is string => typeof name === 'string'),
  );
  return value.filter((policy) => !(isRecord(policy) && typeof policy.PolicyName === 'string' && names.has(policy.PolicyName)));
}

/** Managed policies of the stack attached to this role from their side (`Roles: [!Ref Role]`). */
function withoutStackManagedPolicies(value: unknown, context: DefaultContext): unknown {
  if (!Array.isArray(value)) return value;
  const arns = new Set(
    othersOfType(context, ['AWS::IAM::ManagedPolicy'])
      .filter((r) => refersTo(r.properties.Roles, context.logicalId))
      .flatMap((r) => (context.physicalIds.has(r.logicalId) ? [context.physicalIds.get(r.logicalId)!] : [])),
  );
  return value.filter((arn) => !(typeof arn === 'string' && arns.has(arn)));
}

/** Roles of the stack that attach this managed policy from their side (`ManagedPolicyArns: [!Ref Policy]`). */
function withoutStackRoles(value: unknown, context: DefaultContext): unknown {
  if (!Array.isArray(value)) return value;
  const names = new Set(
    othersOfType(context, ['AWS::IAM::Role'])
      .filter((r) => refersTo(r.properties.ManagedPolicyArns, context.logicalId))
      .flatMap((r) => (context.physicalIds.has(r.logicalId) ? [context.physicalIds.get(r.logicalId)!] : [])),
  );
  return value.filter((name) => !(typeof name === 'string' && names.has(name)));
}

/**
 * Rules added by AWS::EC2::SecurityGroupIngress / Egress resources show up in the group's own
 * lists, and which entry came from which resource cannot be told apart reliably: with any such
 * resource pointing at the group, its list is left to those resources.
 */
const rulesFrom =
  (type: string) =>
  (value: unknown, context: DefaultContext): unknown =>
    othersOfType(context, [type]).some((r) => refersTo(r.properties.GroupId, context.logicalId)) ? undefined : value;

// ---------------------------------------------------------------- the types

const DEFAULT_EGRESS = [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }];

function isDefaultEgress(value: unknown): boolean {
  // AWS adds "allow all outbound" to every new group; Cloud Control may add FromPort/ToPort -1.
  return (
    Array.isArray(value) &&
    value.length === 1 &&
    isRecord(value[0]) &&
    value[0].CidrIp === '0.0.0.0/0' &&
    String(value[0].IpProtocol) === '-1' &&
    Object.keys(value[0]).every((k) => ['CidrIp', 'IpProtocol', 'FromPort', 'ToPort'].includes(k) && (k === 'CidrIp' || k === 'IpProtocol' || String(value[0]![k]) === '-1'))
  );
}

/** KMS's default key policy: the account root may do everything (`kms:*`). */
function isDefaultKeyPolicy(value: unknown): boolean {
  const policy = typeof value === 'string' ? safeJson(value) : value;
  if (!isRecord(policy) || !Array.isArray(policy.Statement) || policy.Statement.length !== 1) return false;
  const statement = policy.Statement[0];
  if (!isRecord(statement) || statement.Effect !== 'Allow' || !sameValue(statement.Action, 'kms:*')) return false;
  const principal = isRecord(statement.Principal) ? statement.Principal.AWS : undefined;
  return typeof principal === 'string' && /^arn:[^:]+:iam::\d{12}:root$/.test(principal);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const SSE_S3 = (value: unknown): boolean => {
  // Every bucket is encrypted with SSE-S3 (AES256) since January 2023.
  const rules = isRecord(value) ? value.ServerSideEncryptionConfiguration : undefined;
  if (!Array.isArray(rules) || rules.length !== 1 || !isRecord(rules[0])) return false;
  const rule = rules[0];
  const algorithm = isRecord(rule.ServerSideEncryptionByDefault) ? rule.ServerSideEncryptionByDefault.SSEAlgorithm : undefined;
  return algorithm === 'AES256' && (rule.BucketKeyEnabled === undefined || rule.BucketKeyEnabled === false) && Object.keys(rule.ServerSideEncryptionByDefault as object).length === 1;
};

/** The first of these that the live model holds decides a conditional default. */
const when =
  (predicate: (live: Record<string, unknown>) => boolean, then: IsDefault, otherwise: IsDefault = () => false): IsDefault =>
  (value, context) =>
    predicate(context.live) ? then(value, context) : otherwise(value, context);

const anything: IsDefault = () => true;

/** Batch size by event source: 10 for SQS, 100 for Kinesis, DynamoDB streams, MQ and Kafka. */
function defaultBatchSize(value: unknown, context: DefaultContext): boolean {
  const source = String(context.live.EventSourceArn ?? '');
  return sameValue(value, /^arn:[^:]+:sqs:/.test(source) ? 10 : 100);
}

const TARGET_GROUP_ATTRIBUTES: Record<string, string | string[]> = {
  'deregistration_delay.timeout_seconds': '300',
  'deregistration_delay.connection_termination.enabled': 'false',
  'stickiness.enabled': 'false',
  'stickiness.type': ['lb_cookie', 'source_ip'],
  'stickiness.lb_cookie.duration_seconds': '86400',
  'stickiness.app_cookie.duration_seconds': '86400',
  'load_balancing.algorithm.type': 'round_robin',
  'load_balancing.algorithm.anomaly_mitigation': 'off',
  'load_balancing.cross_zone.enabled': 'use_load_balancer_configuration',
  'slow_start.duration_seconds': '0',
  'lambda.multi_value_headers.enabled': 'false',
  'proxy_protocol_v2.enabled': 'false',
  'preserve_client_ip.enabled': ['true', 'false'],
  'target_group_health.dns_failover.minimum_healthy_targets.count': '1',
  'target_group_health.dns_failover.minimum_healthy_targets.percentage': 'off',
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.count': '1',
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage': 'off',
  'target_health_state.unhealthy.connection_termination.enabled': 'true',
  'target_health_state.unhealthy.draining_interval_seconds': '0',
  'target_failover.on_deregistration': 'no_rebalance',
  'target_failover.on_unhealthy': 'no_rebalance',
};

const LISTENER_ATTRIBUTES: Record<string, string | string[]> = {
  'tcp.idle_timeout.seconds': '350',
  'routing.http.response.server.enabled': 'true',
};

export const TYPE_DEFAULTS: Record<string, TypeDefaults> = {
  'AWS::SQS::Queue': {
    filledIn: ['QueueName'],
    defaults: {
      DelaySeconds: is(0),
      // 256 KiB until August 2025, 1 MiB for queues created since
      MaximumMessageSize: is(262144, 1048576),
      MessageRetentionPeriod: is(345600),
      ReceiveMessageWaitTimeSeconds: is(0),
      VisibilityTimeout: is(30),
      SqsManagedSseEnabled: is(true),
      KmsDataKeyReusePeriodSeconds: is(300),
      FifoQueue: is(false),
      ContentBasedDeduplication: is(false),
      DeduplicationScope: is('queue'),
      FifoThroughputLimit: is('perQueue'),
    },
  },
  'AWS::SNS::Topic': {
    // Subscriptions made by AWS::SNS::Subscription resources are listed here too.
    filledIn: ['TopicName', 'Subscription'],
    defaults: { DisplayName: is(''), FifoTopic: is(false), ContentBasedDeduplication: is(false), TracingConfig: is('PassThrough'), SignatureVersion: is('1', 1) },
  },
  'AWS::S3::Bucket': {
    filledIn: ['BucketName'],
    defaults: {
      BucketEncryption: SSE_S3,
      OwnershipControls: is({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] }),
      PublicAccessBlockConfiguration: is({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true }),
      ObjectLockEnabled: is(false),
      AbacStatus: is('Disabled'),
    },
  },
  'AWS::Lambda::Function': {
    filledIn: ['FunctionName'],
    defaults: {
      Architectures: is(['x86_64']),
      EphemeralStorage: is({ Size: 512 }),
      MemorySize: is(128),
      Timeout: is(3),
      PackageType: is('Zip'),
      TracingConfig: is({ Mode: 'PassThrough' }),
      // the function's own log group, in text
      LoggingConfig: (value, context) =>
        isRecord(value) &&
        Object.keys(value).every((k) => k === 'LogFormat' || k === 'LogGroup') &&
        (value.LogFormat === undefined || value.LogFormat === 'Text') &&
        (value.LogGroup === undefined || (typeof value.LogGroup === 'string' && value.LogGroup === `/aws/lambda/${String(context.live.FunctionName ?? '')}`)),
      RuntimeManagementConfig: is({ UpdateRuntimeOn: 'Auto' }),
      SnapStart: is({ ApplyOn: 'None' }),
      Description: is(''),
      RecursiveLoop: is('Terminate'),
      VpcConfig: subsetOf({ SubnetIds: [], SecurityGroupIds: [], Ipv6AllowedForDualStack: false }),
    },
  },
  'AWS::IAM::Role': {
    filledIn: ['RoleName'],
    defaults: { Path: is('/'), MaxSessionDuration: is(3600), Description: is('') },
    managedElsewhere: { Policies: withoutStackInlinePolicies, ManagedPolicyArns: withoutStackManagedPolicies },
  },
  'AWS::IAM::Policy': {},
  'AWS::IAM::ManagedPolicy': {
    filledIn: ['ManagedPolicyName'],
    defaults: { Path: is('/'), Description: is('') },
    managedElsewhere: { Roles: withoutStackRoles },
  },
  'AWS::DynamoDB::Table': {
    filledIn: ['TableName', 'WarmThroughput'],
    defaults: {
      BillingMode: is('PROVISIONED'),
      DeletionProtectionEnabled: is(false),
      TableClass: is('STANDARD'),
      SSESpecification: is({ SSEEnabled: false }),
      PointInTimeRecoverySpecification: subsetOf({ PointInTimeRecoveryEnabled: false }),
      ContributorInsightsSpecification: is({ Enabled: false }),
      TimeToLiveSpecification: is({ Enabled: false }),
      OnDemandThroughput: subsetOf({ MaxReadRequestUnits: -1, MaxWriteRequestUnits: -1 }),
      // on-demand tables read back a throughput of zero
      ProvisionedThroughput: when((live) => live.BillingMode === 'PAY_PER_REQUEST', anything),
    },
  },
  'AWS::EC2::SecurityGroup': {
    filledIn: ['GroupName', 'VpcId'],
    defaults: { SecurityGroupEgress: (value) => isDefaultEgress(value) || sameValue(value, DEFAULT_EGRESS) },
    managedElsewhere: { SecurityGroupIngress: rulesFrom('AWS::EC2::SecurityGroupIngress'), SecurityGroupEgress: rulesFrom('AWS::EC2::SecurityGroupEgress') },
  },
  'AWS::Logs::LogGroup': {
    filledIn: ['LogGroupName'],
    defaults: { LogGroupClass: is('STANDARD'), DeletionProtectionEnabled: is(false) },
  },
  'AWS::ECS::Service': {
    // without a launch type, ECS uses the cluster's default capacity provider strategy
    filledIn: ['ServiceName', 'Cluster', 'CapacityProviderStrategy', 'Role'],
    defaults: {
      DesiredCount: is(1),
      LaunchType: is('EC2'),
      DeploymentConfiguration: subsetOf({
        MaximumPercent: 200,
        MinimumHealthyPercent: 100,
        DeploymentCircuitBreaker: { Enable: false, Rollback: false },
        Strategy: 'ROLLING',
        BakeTimeInMinutes: 0,
      }),
      DeploymentController: is({ Type: 'ECS' }),
      EnableECSManagedTags: is(false),
      EnableExecuteCommand: is(false),
      PropagateTags: is('NONE'),
      SchedulingStrategy: is('REPLICA'),
      PlatformVersion: is('LATEST'),
      HealthCheckGracePeriodSeconds: is(0),
      AvailabilityZoneRebalancing: is('ENABLED', 'DISABLED'),
    },
  },
  'AWS::ECS::TaskDefinition': {
    filledIn: ['Family'],
    defaults: {
      NetworkMode: is('bridge'),
      RequiresCompatibilities: is(['EC2']),
      EnableFaultInjection: is(false),
      RuntimePlatform: subsetOf({ OperatingSystemFamily: 'LINUX', CpuArchitecture: 'X86_64' }),
    },
  },
  'AWS::ApiGateway::RestApi': {
    defaults: {
      EndpointConfiguration: subsetOf({ Types: ['EDGE'], IpAddressType: 'ipv4' }),
      DisableExecuteApiEndpoint: is(false),
      ApiKeySourceType: is('HEADER'),
    },
  },
  'AWS::ApiGateway::Stage': {
    defaults: { TracingEnabled: is(false), CacheClusterEnabled: is(false) },
  },
  'AWS::Events::Rule': {
    filledIn: ['Name', 'EventBusName'],
    defaults: { State: is('ENABLED'), Description: is('') },
  },
  'AWS::KMS::Key': {
    defaults: {
      // a key created without one gets KMS's default policy
      KeyPolicy: isDefaultKeyPolicy,
      Enabled: is(true),
      EnableKeyRotation: is(false),
      KeySpec: is('SYMMETRIC_DEFAULT'),
      KeyUsage: is('ENCRYPT_DECRYPT'),
      MultiRegion: is(false),
      Origin: is('AWS_KMS'),
      RotationPeriodInDays: is(365),
      Description: is(''),
    },
  },
  'AWS::SecretsManager::Secret': {
    filledIn: ['Name'],
    defaults: { Description: is(''), KmsKeyId: is('alias/aws/secretsmanager') },
  },
  'AWS::SSM::Parameter': {
    filledIn: ['Name'],
    defaults: { Tier: is('Standard'), DataType: is('text'), Description: is(''), AllowedPattern: is(''), Policies: is('', '[]') },
  },
  'AWS::StepFunctions::StateMachine': {
    filledIn: ['StateMachineName'],
    // the template gives the definition as an object, a string or an S3 location; it reads back as a string
    aliases: {
      DefinitionString: ['Definition', 'DefinitionS3Location', 'DefinitionSubstitutions'],
      Definition: ['DefinitionString', 'DefinitionS3Location'],
    },
    defaults: {
      StateMachineType: is('STANDARD'),
      LoggingConfiguration: subsetOf({ Level: 'OFF', IncludeExecutionData: false, Destinations: [] }),
      TracingConfiguration: is({ Enabled: false }),
      EncryptionConfiguration: is({ Type: 'AWS_OWNED_KEY' }),
    },
  },
  'AWS::ElasticLoadBalancingV2::TargetGroup': {
    filledIn: ['Name'],
    defaults: {
      HealthCheckEnabled: is(true),
      HealthCheckIntervalSeconds: is(30),
      HealthCheckPath: is('/'),
      HealthCheckPort: is('traffic-port'),
      // the target group's own protocol; TCP for the network load balancer's TLS and UDP groups
      HealthCheckProtocol: (value, context) => sameValue(value, context.live.Protocol ?? 'HTTP') || (value === 'TCP' && ['TLS', 'UDP', 'TCP_UDP'].includes(String(context.live.Protocol))),
      HealthCheckTimeoutSeconds: is(5, 6, 10),
      HealthyThresholdCount: is(5),
      UnhealthyThresholdCount: is(2),
      Matcher: is({ HttpCode: '200' }),
      IpAddressType: is('ipv4'),
      ProtocolVersion: is('HTTP1'),
      TargetType: is('instance'),
      TargetGroupAttributes: attributesAt(TARGET_GROUP_ATTRIBUTES),
    },
  },
  'AWS::ElasticLoadBalancingV2::Listener': {
    // an HTTPS or TLS listener without SslPolicy gets the load balancer's default policy
    filledIn: ['SslPolicy'],
    defaults: {
      MutualAuthentication: subsetOf({ Mode: 'off', IgnoreClientCertificateExpiry: false }),
      AlpnPolicy: is([], ['None']),
      ListenerAttributes: attributesAt(LISTENER_ATTRIBUTES),
    },
  },
  'AWS::RDS::DBInstance': {
    // chosen by RDS at creation when the template leaves them out
    filledIn: [
      'DBInstanceIdentifier',
      'EngineVersion',
      'DBParameterGroupName',
      'OptionGroupName',
      'CACertificateIdentifier',
      'PreferredBackupWindow',
      'PreferredMaintenanceWindow',
      'AvailabilityZone',
      'DBSubnetGroupName',
      'VPCSecurityGroups',
      'LicenseModel',
      'Port',
      'KmsKeyId',
      'Iops',
      'StorageThroughput',
      'StorageType',
      'EngineLifecycleSupport',
      'NetworkType',
      'PubliclyAccessible',
    ],
    defaults: {
      BackupRetentionPeriod: is(1),
      AutoMinorVersionUpgrade: is(true),
      MultiAZ: is(false),
      CopyTagsToSnapshot: is(false),
      DeletionProtection: is(false),
      EnablePerformanceInsights: is(false),
      MonitoringInterval: is(0),
      StorageEncrypted: is(false),
      EnableIAMDatabaseAuthentication: is(false),
      DedicatedLogVolume: is(false),
      BackupTarget: is('region'),
      ManageMasterUserPassword: is(false),
      DatabaseInsightsMode: is('standard'),
    },
  },
  'AWS::CloudWatch::Alarm': {
    filledIn: ['AlarmName'],
    defaults: {
      ActionsEnabled: is(true),
      TreatMissingData: is('missing'),
      AlarmDescription: is(''),
      // unset means "all of EvaluationPeriods"
      DatapointsToAlarm: (value, context) => sameValue(value, context.live.EvaluationPeriods),
    },
  },
  'AWS::Kinesis::Stream': {
    filledIn: ['Name'],
    defaults: {
      RetentionPeriodHours: is(24),
      StreamModeDetails: is({ StreamMode: 'PROVISIONED' }),
      MaxRecordSizeInKiB: is(1024),
      // on-demand streams scale their own shards
      ShardCount: when((live) => isRecord(live.StreamModeDetails) && live.StreamModeDetails.StreamMode === 'ON_DEMAND', anything),
    },
  },
  'AWS::Lambda::EventSourceMapping': {
    defaults: {
      Enabled: is(true),
      BatchSize: defaultBatchSize,
      MaximumBatchingWindowInSeconds: is(0),
      MaximumRetryAttempts: is(-1),
      MaximumRecordAgeInSeconds: is(-1),
      BisectBatchOnFunctionError: is(false),
      ParallelizationFactor: is(1),
      TumblingWindowInSeconds: is(0),
    },
  },
};
