// Plain-data constructors for analyze tests: no parsing, no SDK shapes.
import type { AnalyzeInput } from '../../src/analyze/analyze.js';
import type {
  DeclaredParameter,
  DeclaredResource,
  DeclaredTemplate,
  LiveResource,
  LiveState,
  PropertyDifference,
  ResourceChange,
} from '../../src/types.js';

export const FILE = 'infra/orders.yaml';
export const READ_AT = '2026-01-10T12:00:00.000Z';
export const CHECKED_AT = '2026-01-10T11:59:30.000Z';

let line = 1;

export function resource(
  logicalId: string,
  properties: Record<string, unknown>,
  extra: Partial<Omit<DeclaredResource, 'logicalId' | 'properties'>> = {},
): DeclaredResource {
  const start = line;
  line += 10;
  const propertySpans: Record<string, { startLine: number; endLine: number }> = {};
  Object.keys(properties).forEach((key, i) => (propertySpans[key] = { startLine: start + 3 + i, endLine: start + 3 + i }));
  return {
    logicalId,
    type: 'AWS::SQS::Queue',
    properties,
    dependsOn: [],
    references: [],
    span: { startLine: start, endLine: start + 9 },
    propertySpans,
    ...extra,
  };
}

export function template(resources: DeclaredResource[], parameters: DeclaredParameter[] = []): DeclaredTemplate {
  return { file: FILE, format: 'yaml', resources, parameters };
}

export function noEchoParameter(name: string): DeclaredParameter {
  return { name, noEcho: true, span: { startLine: 2, endLine: 4 } };
}

/** The change between two versions of one resource, as computeChanges reports it. */
export function change(base: DeclaredResource | undefined, head: DeclaredResource | undefined): ResourceChange {
  const either = (head ?? base)!;
  const keys = new Set([...Object.keys(base?.properties ?? {}), ...Object.keys(head?.properties ?? {})]);
  const changedProperties = [...keys].filter(
    (key) => !base || !head || JSON.stringify(base.properties[key]) !== JSON.stringify(head.properties[key]),
  );
  return {
    logicalId: either.logicalId,
    type: either.type,
    action: !base ? 'add' : !head ? 'remove' : 'change',
    changedProperties,
    changedAttributes: [],
    ...(base ? { base } : {}),
    ...(head ? { head } : {}),
  };
}

export function diff(path: string, expected: unknown, actual: unknown): PropertyDifference {
  return { path, expected, actual, kind: 'NOT_EQUAL' };
}

export function live(logicalId: string, status: LiveResource['status'], differences: PropertyDifference[] = [], type = 'AWS::SQS::Queue'): LiveResource {
  return { logicalId, physicalId: `phys-${logicalId}`, type, status, differences, normalizedAway: 0, checkedAt: CHECKED_AT };
}

export function liveState(resources: LiveResource[], extra: Partial<LiveState> = {}): LiveState {
  return {
    target: 'orders',
    source: 'cloudformation',
    readAt: READ_AT,
    stack: { name: 'orders-prod', status: 'UPDATE_COMPLETE', region: 'us-east-1', noEchoParameters: [] },
    drift: { reused: false, checkedAt: CHECKED_AT, status: 'DETECTION_COMPLETE', resources },
    unreadable: [],
    calls: 4,
    ...extra,
  };
}

/** Base and head templates from resource lists; changes computed from the resources that differ. */
export function input(
  baseResources: DeclaredResource[],
  headResources: DeclaredResource[],
  state: LiveState,
  extra: Partial<AnalyzeInput> = {},
): AnalyzeInput {
  const ids = [...new Set([...baseResources, ...headResources].map((r) => r.logicalId))];
  const changes = ids
    .map((id) => change(baseResources.find((r) => r.logicalId === id), headResources.find((r) => r.logicalId === id)))
    .filter((c) => c.action !== 'change' || c.changedProperties.length > 0);
  return {
    target: { name: 'orders', file: FILE },
    base: template(baseResources),
    head: template(headResources),
    changes,
    live: state,
    ignore: [],
    ...extra,
  };
}
