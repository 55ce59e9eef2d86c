// The resources SAM generates for a changed AWS::Serverless::* resource that the change
// reaches: a function's role, its event sources' permissions, rules, subscriptions and
// mappings, its alias, its URL, the implicit API, an API's stages, a connector's policies.
// They are not in the template, so drift detection reports them under their own logical
// ids; without this, drift on a function's generated role is "drift elsewhere" although
// deploying the pull request writes the role over.
// Pure.
//
// Names and inputs, from the SAM specification ("Generated CloudFormation resources",
// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources.html
// and the -function, -api, -httpapi, -statemachine, -connector pages) and the translator
// (aws/serverless-application-model, samtranslator/model/sam_resources.py: `_construct_role`,
// `_construct_version`, `_construct_alias`, the event sources in model/eventsources/):
// - `<Fn>Role` (AWS::IAM::Role) unless `Role` is set. Its policies come from `Policies`,
//   `AssumeRolePolicyDocument`, `Tracing` (X-Ray), `VpcConfig` (VPC access), `DeadLetterQueue`,
//   `EventInvokeConfig` (destinations), `DurableConfig`, the pull event sources (SQS, Kinesis,
//   DynamoDB, MSK, MQ, SelfManagedKafka, DocumentDB add their poller policy), and its
//   `RolePath`, `PermissionsBoundary` and `Tags` are the function's.
// - `<Fn>Alias<alias>` (AWS::Lambda::Alias) with `AutoPublishAlias`: it points at a new
//   `<Fn>Version<sha>` whenever the code, `Environment`, `MemorySize` or `SnapStart` change
//   (every property with `AutoPublishAliasAllProperties`). The version itself is never updated:
//   a new logical id replaces it, so it is not followed here.
// - `<Fn>DeploymentGroup` with `DeploymentPreference`; `<Fn>Url` and `<Fn>UrlPublicPermissions`
//   with `FunctionUrlConfig`; `<Fn>EventInvokeConfig` with `EventInvokeConfig`.
// - per event `<Ev>`: `<Fn><Ev>` (the event source mapping, rule, subscription, schedule,
//   topic rule or subscription filter), `<Fn><Ev>Permission` (for an Api event
//   `<Fn><Ev>Permission<Stage>`), and for SNS-to-SQS, dead-letter queues and schedules
//   `<Fn><Ev>Queue`, `<Fn><Ev>QueuePolicy`, `<Fn><Ev>EventSourceMapping`, `<Fn><Ev>Role`. An Api
//   or HttpApi event without `RestApiId`/`ApiId` changes the implicit `ServerlessRestApi` (and its
//   `ServerlessRestApi<Stage>Stage`, which takes the new deployment) or `ServerlessHttpApi`; with
//   one, that API and its stages. An S3 event rewrites the bucket's notifications, a Cognito
//   event the user pool's `LambdaConfig` (with `<Fn>CognitoPermission`).
// - AWS::Serverless::Api `<Api>`: `<Api><Stage>Stage` takes the new deployment on any change;
//   `<Api>DomainName`/`<Api>BasePathMapping...` with `Domain`; `<Api>UsagePlan`, `<Api>ApiKey`,
//   `<Api>UsagePlanKey` with `Auth`. HttpApi: `<Api>ApiGatewayDefaultStage` or
//   `<Api><Stage>Stage` with the stage's settings, `<Api>DomainName` with `Domain`.
// - AWS::Serverless::StateMachine: `<Sm>Role` like a function's, its events like a function's,
//   `<Sm>Alias<alias>` with `AutoPublishAlias`.
// - `Connectors` on any resource: connector `<Conn>` of `<Res>` is the AWS::Serverless::Connector
//   `<Res><Conn>`, which generates `<Res><Conn>Policy`, `...QueuePolicy`, `...TopicPolicy` and
//   `...LambdaPermission` (with `Destination<n>` when it has several destinations).
// - AWS::Serverless::LayerVersion becomes `<Layer><sha>`, a new logical id per change (replaced,
//   never updated); AWS::Serverless::SimpleTable generates nothing else.
//
// A candidate is followed only when drift detection reports a resource of that logical id
// (matched by the caller against live state) and the template does not declare it itself.
import type { DeclaredResource, ResourceChange } from '../../types.js';
import { isRecord, ownEntry, sameValue } from '../../values/cloudformation-value.js';

/**
 * Logical ids SAM builds from a literal prefix (the source's id) and a variable tail, such as
 * an alias or stage name: `rest` is matched against what follows `prefix`. Matching the prefix
 * as a string keeps a lookup among many live ids from testing a regex on each.
 */
export interface GeneratedPattern {
  prefix: string;
  rest: RegExp;
}

/** One resource SAM may have generated: its logical id (or a pattern), and the source properties that reach it. */
export interface GeneratedCandidate {
  match: string | GeneratedPattern;
  properties: string[];
  /** A resource the template declares, which SAM rewrites (a bucket's notifications, an API's body). */
  declared?: true;
}

const ROLE_INPUTS = [
  'Role',
  'Policies',
  'AssumeRolePolicyDocument',
  'PermissionsBoundary',
  'RolePath',
  'Tags',
  'Tracing',
  'VpcConfig',
  'DeadLetterQueue',
  'EventInvokeConfig',
  'DurableConfig',
];
const STATE_MACHINE_ROLE_INPUTS = ['Role', 'Policies', 'PermissionsBoundary', 'RolePath', 'Tags', 'Logging', 'Tracing'];
const ALIAS_INPUTS = [
  'AutoPublishAlias',
  'AutoPublishAliasAllProperties',
  'AutoPublishCodeSha256',
  'CodeUri',
  'InlineCode',
  'ImageUri',
  'Environment',
  'MemorySize',
  'SnapStart',
  'ProvisionedConcurrencyConfig',
  'DeploymentPreference',
];
/**
 * AWS::Serverless::Function properties that SAM writes only into the resources it generates,
 * never into the AWS::Lambda::Function itself (sam_resources.py, `to_cloudformation`): an edit
 * of nothing but these leaves the live function alone.
 */
const GENERATED_ONLY_FUNCTION_PROPERTIES = new Set([
  'Policies',
  'Events',
  'AssumeRolePolicyDocument',
  'PermissionsBoundary',
  'RolePath',
  'AutoPublishAlias',
  'AutoPublishAliasAllProperties',
  'AutoPublishCodeSha256',
  'DeploymentPreference',
  'ProvisionedConcurrencyConfig',
  'FunctionUrlConfig',
  'EventInvokeConfig',
]);

/**
 * Whether deploying the change updates the resource under the declared logical id (for an
 * AWS::Serverless::Function, the AWS::Lambda::Function): not when it changes only what SAM
 * writes into other resources, which follow through `computeSamGenerated`.
 */
export function reachesPrimary(change: ResourceChange): boolean {
  if (change.type !== 'AWS::Serverless::Function' || change.base?.type !== change.type) return true;
  return change.changedProperties.some((name) => !GENERATED_ONLY_FUNCTION_PROPERTIES.has(name));
}

/** Event sources whose poller policy SAM adds to the function's role. */
const PULL_EVENTS = new Set(['SQS', 'Kinesis', 'DynamoDB', 'MSK', 'MQ', 'SelfManagedKafka', 'DocumentDB']);
const HTTP_API_STAGE_INPUTS = ['StageName', 'StageVariables', 'AccessLogSettings', 'DefaultRouteSettings', 'RouteSettings', 'Tags'];

// Tails of generated logical ids, after their literal prefix. Shared, so no regex is compiled per candidate.
const NAME = /^[A-Za-z0-9]+$/;
const OPTIONAL_NAME = /^[A-Za-z0-9]*$/;
const STAGE = /^[A-Za-z0-9]+Stage$/;
const CONNECTOR_RESOURCE = /^(Policy|QueuePolicy|TopicPolicy|[A-Za-z0-9]*LambdaPermission)(Destination[0-9]+)?$/;

/**
 * Generated resources the change of one declared resource reaches, with the properties that
 * reach each. `[]` for a change that is not an update of both versions (an added resource's
 * generated ones do not exist yet; a removed one's go with it).
 */
export function samGeneratedCandidates(change: ResourceChange): GeneratedCandidate[] {
  const { base, head } = change;
  if (change.action !== 'change' || !base || !head) return [];
  const changed = new Set(change.changedProperties);
  const id = head.logicalId;
  const out: GeneratedCandidate[] = [];
  const add = (match: string | GeneratedPattern, properties: string[], declared?: true) => {
    if (properties.length > 0) out.push(declared ? { match, properties, declared } : { match, properties });
  };
  const reached = (inputs: readonly string[]) => inputs.filter((name) => changed.has(name));

  if (head.type === 'AWS::Serverless::Function' || head.type === 'AWS::Serverless::StateMachine') {
    const fn = head.type === 'AWS::Serverless::Function';
    const events = changedEntries(base.properties.Events, head.properties.Events, changed.has('Events'));
    if (base.properties.Role === undefined || head.properties.Role === undefined) {
      // State machine events (schedules, rules, APIs) start executions with roles of their own.
      const pulled = fn ? events.filter((event) => PULL_EVENTS.has(eventType(base, head, event))).map((event) => `Events.${event}`) : [];
      add(`${id}Role`, [...reached(fn ? ROLE_INPUTS : STATE_MACHINE_ROLE_INPUTS), ...pulled]);
    }
    // Any alias name: AutoPublishAlias may come from Globals, or be a parameter's value.
    const all = head.properties.AutoPublishAliasAllProperties === true || head.properties.AutoPublishAliasAllProperties === 'true' || !fn;
    add({ prefix: `${id}Alias`, rest: NAME }, all ? [...changed] : reached(ALIAS_INPUTS));
    if (fn) {
      add(`${id}DeploymentGroup`, reached(['DeploymentPreference', 'AutoPublishAlias']));
      add(`${id}Url`, reached(['FunctionUrlConfig']));
      add(`${id}UrlPublicPermissions`, reached(['FunctionUrlConfig']));
      add(`${id}EventInvokeConfig`, reached(['EventInvokeConfig']));
    }
    for (const event of events) addEvent(id, event, base, head, add);
  }

  if (head.type === 'AWS::Serverless::Api') {
    add({ prefix: id, rest: STAGE }, [...changed]);
    add(`${id}DomainName`, reached(['Domain']));
    add({ prefix: `${id}BasePathMapping`, rest: OPTIONAL_NAME }, reached(['Domain']));
    for (const suffix of ['UsagePlan', 'ApiKey', 'UsagePlanKey']) add(`${id}${suffix}`, reached(['Auth']));
  }
  if (head.type === 'AWS::Serverless::HttpApi') {
    add(`${id}ApiGatewayDefaultStage`, reached(HTTP_API_STAGE_INPUTS));
    add({ prefix: id, rest: STAGE }, reached(HTTP_API_STAGE_INPUTS));
    add(`${id}DomainName`, reached(['Domain']));
  }

  const connectors = changedEntries(base.attributes?.Connectors, head.attributes?.Connectors, false);
  for (const connector of connectors) add({ prefix: id + connector, rest: CONNECTOR_RESOURCE }, [`Connectors.${connector}`]);
  return out;
}

/**
 * The resources one changed event reaches; see the top of the file. Candidates that SAM did
 * not generate for this event's type match nothing live and cost nothing.
 */
function addEvent(
  id: string,
  event: string,
  base: DeclaredResource,
  head: DeclaredResource,
  add: (match: string | GeneratedPattern, properties: string[], declared?: true) => void,
): void {
  const properties = [`Events.${event}`];
  const prefix = `${id}${event}`;
  for (const suffix of ['', 'Queue', 'QueuePolicy', 'EventSourceMapping', 'Role']) add(prefix + suffix, properties);
  add({ prefix: `${prefix}Permission`, rest: OPTIONAL_NAME }, properties);
  for (const side of [base, head]) {
    const definition = ownEntry(side.properties.Events, event);
    const type = isRecord(definition) ? definition.Type : undefined;
    const eventProperties = isRecord(definition) && isRecord(definition.Properties) ? definition.Properties : {};
    if (type === 'Api') {
      const api = refName(eventProperties.RestApiId);
      add(api ?? 'ServerlessRestApi', properties, api ? true : undefined);
      add({ prefix: api ?? 'ServerlessRestApi', rest: STAGE }, properties);
    }
    if (type === 'HttpApi') {
      const api = refName(eventProperties.ApiId);
      add(api ?? 'ServerlessHttpApi', properties, api ? true : undefined);
    }
    if (type === 'S3') {
      const bucket = refName(eventProperties.Bucket);
      if (bucket) add(bucket, properties, true);
    }
    if (type === 'Cognito') {
      const pool = refName(eventProperties.UserPool);
      if (pool) add(pool, properties, true);
      add(`${id}CognitoPermission`, properties);
    }
  }
}

/**
 * Entries of a mapping (Events, Connectors) whose definition differs base -> head. When the
 * property changed although no entry's text did (`indirect`: a parameter, mapping or Globals
 * it uses), which entry it reaches cannot be told: every entry counts.
 */
function changedEntries(before: unknown, after: unknown, indirect: boolean): string[] {
  const a = isRecord(before) ? before : {};
  const b = isRecord(after) ? after : {};
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const differing = names.filter((name) => !sameValue(ownEntry(a, name), ownEntry(b, name)));
  return differing.length === 0 && indirect ? names : differing;
}

function eventType(base: DeclaredResource, head: DeclaredResource, event: string): string {
  for (const side of [head, base]) {
    const definition = ownEntry(side.properties.Events, event);
    if (isRecord(definition) && typeof definition.Type === 'string') return definition.Type;
  }
  return '';
}

/** `{ Ref: X }` or `!GetAtt X.Arn` names X; anything else names nothing we can follow. */
function refName(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/**
 * Changes for the generated resources `changes` reach, among `live` (logical id -> type as
 * drift detection reports it). A logical id that a change already covers is left to it, and
 * so is one the template declares, unless SAM rewrites that declared resource (`declared`).
 */
export function computeSamGenerated(
  changes: readonly ResourceChange[],
  live: ReadonlyMap<string, string>,
  declared: ReadonlySet<string>,
): ResourceChange[] {
  const generated = new Map<string, ResourceChange>();
  const changed = new Set(changes.map((change) => change.logicalId));
  const matching = liveMatcher(live);
  // Once a candidate has gone through a pattern's ids, each is skipped or has its source for
  // good: a later source that has none of them has nothing to do there (the implicit API's
  // stages, matched again by every Api event of every function).
  const sources = new Map<readonly string[], Set<string>>();
  for (const change of changes) {
    for (const candidate of samGeneratedCandidates(change)) {
      const ids = typeof candidate.match === 'string' ? (live.has(candidate.match) ? [candidate.match] : []) : matching(candidate.match);
      const shared = typeof candidate.match !== 'string' && !candidate.declared;
      if (shared && sources.get(ids)?.has(change.logicalId) === false) continue;
      for (const id of ids) {
        if (changed.has(id) || (declared.has(id) && !candidate.declared)) continue;
        const known = generated.get(id);
        if (known) {
          // Two sources reach it (the implicit API from two functions): the first one names it.
          if (known.generatedBy!.logicalId === change.logicalId) known.generatedBy!.properties = [...new Set([...known.generatedBy!.properties, ...candidate.properties])];
          continue;
        }
        generated.set(id, {
          logicalId: id,
          type: live.get(id)!,
          action: 'change',
          changedProperties: [],
          changedAttributes: [],
          generatedBy: { logicalId: change.logicalId, type: change.type, properties: [...candidate.properties] },
        });
      }
      if (shared && !sources.has(ids)) sources.set(ids, new Set(ids.flatMap((id) => generated.get(id)?.generatedBy?.logicalId ?? [])));
    }
  }
  return [...generated.values()];
}

/**
 * The live logical ids a pattern matches, in the order `live` lists them. Every event of every
 * function brings patterns (tens of thousands in a large template), several the same (the
 * implicit API's stages): the ids are sorted once, so a pattern reads only the ids starting
 * with its prefix, and each distinct pattern is looked up once.
 */
function liveMatcher(live: ReadonlyMap<string, string>): (pattern: GeneratedPattern) => readonly string[] {
  let sorted: { id: string; index: number }[] | undefined;
  const seen = new Map<RegExp, Map<string, readonly string[]>>();
  return ({ prefix, rest }) => {
    let byPrefix = seen.get(rest);
    if (!byPrefix) seen.set(rest, (byPrefix = new Map()));
    const known = byPrefix.get(prefix);
    if (known) return known;
    sorted ??= [...live.keys()].map((id, index) => ({ id, index })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    // The ids starting with `prefix` are contiguous in code-unit order, from the first id not below it.
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (sorted[middle]!.id < prefix) low = middle + 1;
      else high = middle;
    }
    const found: { id: string; index: number }[] = [];
    for (let i = low; i < sorted.length && sorted[i]!.id.startsWith(prefix); i++) {
      if (rest.test(sorted[i]!.id.slice(prefix.length))) found.push(sorted[i]!);
    }
    const ids = found.sort((a, b) => a.index - b.index).map((entry) => entry.id);
    byPrefix.set(prefix, ids);
    return ids;
  };
}
