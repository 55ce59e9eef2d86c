// CloudFormation's short-form intrinsics (`!Ref X`, `!GetAtt A.B`, ...) as YAML custom tags.
// The tags only let the yaml parser accept these nodes; expandIntrinsic (used by the node
// walk in to-value.ts) turns them into the long JSON form, so YAML and JSON templates
// give the same values.
import type { CollectionTag, ScalarTag } from 'yaml';

export type NodeKind = 'scalar' | 'seq' | 'map';

interface Intrinsic {
  /** Key of the long form: `Ref`, `Condition`, `Fn::GetAtt`, ... */
  key: string;
  /** Node kinds CloudFormation accepts after the tag. */
  forms: readonly NodeKind[];
}

const SEQ = ['seq'] as const;

export const INTRINSICS: Readonly<Record<string, Intrinsic>> = {
  '!Ref': { key: 'Ref', forms: ['scalar'] },
  '!Condition': { key: 'Condition', forms: ['scalar'] },
  '!GetAtt': { key: 'Fn::GetAtt', forms: ['scalar', 'seq'] },
  '!Sub': { key: 'Fn::Sub', forms: ['scalar', 'seq'] },
  '!ImportValue': { key: 'Fn::ImportValue', forms: ['scalar', 'map'] },
  '!GetAZs': { key: 'Fn::GetAZs', forms: ['scalar', 'map'] },
  '!Base64': { key: 'Fn::Base64', forms: ['scalar', 'map'] },
  '!Transform': { key: 'Fn::Transform', forms: ['map'] },
  '!If': { key: 'Fn::If', forms: SEQ },
  '!Join': { key: 'Fn::Join', forms: SEQ },
  '!Select': { key: 'Fn::Select', forms: SEQ },
  '!Split': { key: 'Fn::Split', forms: SEQ },
  '!FindInMap': { key: 'Fn::FindInMap', forms: SEQ },
  '!Cidr': { key: 'Fn::Cidr', forms: SEQ },
  '!Equals': { key: 'Fn::Equals', forms: SEQ },
  '!And': { key: 'Fn::And', forms: SEQ },
  '!Or': { key: 'Fn::Or', forms: SEQ },
  '!Not': { key: 'Fn::Not', forms: SEQ },
  // AWS::LanguageExtensions (transform-aws-languageextensions.html): Fn::Length takes a list
  // or a function that returns one, Fn::ToJsonString a mapping or a list (or a function).
  // Fn::FindInMap's fourth argument, `{DefaultValue: x}`, is an ordinary mapping in the list.
  '!Length': { key: 'Fn::Length', forms: ['seq', 'map'] },
  '!ToJsonString': { key: 'Fn::ToJsonString', forms: ['map', 'seq'] },
  // Rules functions (rules-section-structure.html): lists, but Fn::RefAll, which takes a parameter type.
  '!Contains': { key: 'Fn::Contains', forms: SEQ },
  '!EachMemberEquals': { key: 'Fn::EachMemberEquals', forms: SEQ },
  '!EachMemberIn': { key: 'Fn::EachMemberIn', forms: SEQ },
  '!RefAll': { key: 'Fn::RefAll', forms: ['scalar'] },
  '!ValueOf': { key: 'Fn::ValueOf', forms: SEQ },
  '!ValueOfAll': { key: 'Fn::ValueOfAll', forms: SEQ },
};

/** Every intrinsic on every node kind, so the walk (not the parser) reports a wrong form with a clear message. */
export const INTRINSIC_TAGS: (ScalarTag | CollectionTag)[] = Object.keys(INTRINSICS).flatMap((tag) => [
  { tag, resolve: (source: string) => source },
  { tag, collection: 'seq', resolve: (node) => node },
  { tag, collection: 'map', resolve: (node) => node },
]);

/** The long form of a tagged value, or a message saying why the tag does not fit. */
export function expandIntrinsic(
  tag: string,
  kind: NodeKind,
  value: unknown,
): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } | undefined {
  const intrinsic = INTRINSICS[tag];
  if (!intrinsic) return undefined;
  if (!intrinsic.forms.includes(kind)) {
    const allowed = intrinsic.forms.map(describeKind).join(' or ');
    return { ok: false, message: `${tag} takes ${allowed}, not ${describeKind(kind)}` };
  }
  if (tag === '!GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    if (dot <= 0 || dot === value.length - 1) {
      return { ok: false, message: `!GetAtt needs LogicalId.Attribute, got "${value}"` };
    }
    return { ok: true, value: { [intrinsic.key]: [value.slice(0, dot), value.slice(dot + 1)] } };
  }
  return { ok: true, value: { [intrinsic.key]: value } };
}

function describeKind(kind: NodeKind): string {
  return kind === 'scalar' ? 'a scalar' : kind === 'seq' ? 'a sequence' : 'a mapping';
}
