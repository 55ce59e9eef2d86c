// A CloudFormation template (YAML or JSON) -> DeclaredTemplate: resources with their
// properties in JSON form, the lines of every resource and property, and the parameters.
// Pure. Bad input never throws: it gives { ok: false, error } with the line to look at.
import { isAlias, isMap, isScalar, LineCounter, parseDocument, type Document, type Node, type YAMLMap } from 'yaml';
import type { DeclaredParameter, DeclaredResource, DeclaredTemplate, ParseResult, TemplateSections } from '../../types.js';
import { computeReferences } from './compute-references.js';
import { INTRINSIC_TAGS } from './intrinsic-tags.js';
import { lineOf, locateJsonError } from './locate-json-error.js';
import { parseJsonNodes } from './parse-json-nodes.js';
import { collectPropertySpans, pairSpan, type SpanSource } from './source-spans.js';
import { keyOf, newValueContext, resolveAlias, startOf, TemplateProblem, toValue } from './to-value.js';

/** CloudFormation's own limit for a template (uploaded through S3). */
export const MAX_TEMPLATE_BYTES = 1024 * 1024;

type Pair = YAMLMap['items'][number];

interface Parsing extends SpanSource {
  root: unknown;
}

export function parseTemplate(file: string, content: string): ParseResult {
  const text = content.startsWith('\uFEFF') ? ` ${content.slice(1)}` : content;
  let lines: LineCounter | undefined;
  try {
    const size = Buffer.byteLength(text, 'utf8');
    if (size > MAX_TEMPLATE_BYTES) {
      return failure(file, 1, undefined, `the template is ${size} bytes; CloudFormation accepts at most 1 MB (${MAX_TEMPLATE_BYTES} bytes)`);
    }
    const format = detectFormat(file, text);
    if (format === 'json') {
      const problem = jsonProblem(text);
      if (problem) {
        const column = problem.offset - text.lastIndexOf('\n', problem.offset - 1);
        return failure(file, lineOf(text, problem.offset), column, `invalid JSON: ${problem.message}`);
      }
    }
    lines = new LineCounter();
    const { root, doc } = format === 'json' ? { root: parseJsonNodes(text, lines), doc: undefined } : parseYaml(text, lines);
    const parsing: Parsing = { text, lines, root, values: newValueContext(doc) };
    return { ok: true, template: readTemplate(file, format, parsing) };
  } catch (error) {
    if (error instanceof TemplateProblem && lines) {
      const position = lines.linePos(error.offset);
      return failure(file, position.line, position.col, error.message);
    }
    return failure(file, 1, undefined, `could not read the template: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function readTemplate(file: string, format: 'yaml' | 'json', parsing: Parsing): DeclaredTemplate {
  const root = deref(parsing.root, parsing);
  if (root === null || (isScalar(root) && root.value === null)) throw new TemplateProblem('the template is empty', 0);
  if (!isMap(root) || isTagged(root)) {
    throw new TemplateProblem('the top level of a template must be a mapping (Resources:, Parameters:, ...)', startOf(root));
  }
  const resources = findPair(root, 'Resources');
  if (!resources) throw new TemplateProblem('the template has no Resources section', 0);
  const resourceMap = deref(resources.value, parsing);
  if (!isMap(resourceMap) || isTagged(resourceMap)) {
    throw new TemplateProblem('Resources must be a mapping of logical ids to resources', startOf(resources.key));
  }
  return {
    file,
    format,
    resources: resourceMap.items.map((pair) => readResource(pair, parsing)),
    parameters: readParameters(findPair(root, 'Parameters'), parsing),
    sections: readSections(root, parsing),
  };
}

const SECTION_NAMES = ['Parameters', 'Mappings', 'Conditions', 'Globals', 'Transform'] as const;

/** The sections outside Resources that computeChanges follows into resources, in JSON form. */
function readSections(root: YAMLMap, parsing: Parsing): TemplateSections {
  const sections: TemplateSections = {};
  for (const name of SECTION_NAMES) {
    const pair = findPair(root, name);
    if (pair) sections[name] = toValue(pair.value, parsing.values);
  }
  return sections;
}

function readResource(pair: Pair, parsing: Parsing): DeclaredResource {
  const logicalId = keyOf(pair.key);
  const node = deref(pair.value, parsing);
  if (!isMap(node) || isTagged(node)) {
    throw new TemplateProblem(`resource ${logicalId} must be a mapping with a Type`, startOf(node ?? pair.key));
  }
  const raw = toValue(node, parsing.values) as Record<string, unknown>;
  const typePair = findPair(node, 'Type');
  if (typeof raw.Type !== 'string' || raw.Type === '') {
    const where = typePair ? startOf(typePair.value ?? typePair.key) : startOf(pair.key);
    const message = typePair
      ? `the Type of resource ${logicalId} must be a string such as AWS::SQS::Queue`
      : `resource ${logicalId} has no Type`;
    throw new TemplateProblem(message, where);
  }
  const { Properties: rawProperties, ...attributes } = raw;
  const propertiesPair = findPair(node, 'Properties');
  const properties = rawProperties ?? {};
  if (typeof properties !== 'object' || Array.isArray(properties)) {
    throw new TemplateProblem(`the Properties of resource ${logicalId} must be a mapping`, startOf(propertiesPair?.value));
  }
  const dependsOn = readDependsOn(raw.DependsOn, logicalId, findPair(node, 'DependsOn'));
  return {
    logicalId,
    type: raw.Type,
    properties: properties as Record<string, unknown>,
    dependsOn,
    references: computeReferences(properties, dependsOn),
    span: pairSpan(parsing, pair),
    propertySpans: propertiesPair ? collectPropertySpans(parsing, propertiesPair.value, '', {}) : {},
    attributes,
  };
}

function readDependsOn(value: unknown, logicalId: string, pair: Pair | undefined): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((id) => typeof id === 'string')) return value as string[];
  throw new TemplateProblem(`DependsOn of resource ${logicalId} must be a logical id or a list of logical ids`, startOf(pair?.value));
}

function readParameters(pair: Pair | undefined, parsing: Parsing): DeclaredParameter[] {
  if (!pair) return [];
  const node = deref(pair.value, parsing);
  if (node === null || (isScalar(node) && node.value === null)) return [];
  if (!isMap(node) || isTagged(node)) throw new TemplateProblem('Parameters must be a mapping of parameter names', startOf(pair.key));
  return node.items.map((parameter) => {
    const body = deref(parameter.value, parsing);
    const noEchoPair = isMap(body) ? findPair(body, 'NoEcho') : undefined;
    const noEcho = noEchoPair ? toValue(noEchoPair.value, parsing.values) : false;
    return {
      name: keyOf(parameter.key),
      noEcho: noEcho === true || (typeof noEcho === 'string' && noEcho.toLowerCase() === 'true'),
      span: pairSpan(parsing, parameter),
    };
  });
}

function detectFormat(file: string, text: string): 'yaml' | 'json' {
  if (/\.json$/i.test(file)) return 'json';
  if (/\.ya?ml$/i.test(file)) return 'yaml';
  return text.trimStart().startsWith('{') ? 'json' : 'yaml';
}

/** JSON.parse is the fast check; the scanner only runs to say where a broken file breaks. */
function jsonProblem(text: string): { offset: number; message: string } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return locateJsonError(text) ?? { offset: 0, message: error instanceof Error ? error.message : String(error) };
  }
}

function parseYaml(text: string, lines: LineCounter): { root: unknown; doc: Document } {
  const doc = parseDocument(text, { customTags: INTRINSIC_TAGS, lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const problem = syntaxProblem(doc);
  if (problem) throw problem;
  return { root: doc.contents, doc };
}

function syntaxProblem(doc: Document): TemplateProblem | undefined {
  const [error] = doc.errors;
  if (error) return new TemplateProblem(`invalid YAML: ${firstLine(error.message)}`, error.pos[0]);
  const unknownTag = doc.warnings.find((warning) => warning.code === 'TAG_RESOLVE_FAILED');
  if (unknownTag) {
    const tag = /tag:\s*(\S+)/.exec(unknownTag.message)?.[1] ?? 'tag';
    return new TemplateProblem(`unknown tag ${tag}: not a CloudFormation intrinsic function (!Ref, !GetAtt, !Sub, ...)`, unknownTag.pos[0]);
  }
  return undefined;
}

function findPair(map: YAMLMap, name: string): Pair | undefined {
  return map.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === name);
}

/** The node an alias stands for; other nodes as they are. */
function deref(node: unknown, parsing: Parsing): Node | null {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    const target = resolveAlias(node, parsing.values);
    if (!target) throw new TemplateProblem(`alias *${node.source} has no anchor before it`, startOf(node));
    return target;
  }
  return node as Node;
}

function isTagged(node: unknown): boolean {
  return (node as { tag?: string }).tag?.startsWith('!') ?? false;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function failure(file: string, line: number, column: number | undefined, message: string): ParseResult {
  return { ok: false, error: column === undefined ? { file, line, message } : { file, line, column, message } };
}
