// A CloudFormation template (YAML or JSON) -> DeclaredTemplate: resources with their
// properties in JSON form, the lines of every resource and property, and the parameters.
// Pure. Bad input never throws: it gives { ok: false, error } with the line to look at.
//
// YAML is read as CloudFormation reads it: YAML 1.1 scalars (`yes` is true, `010` is 8; see
// yaml-scalars.ts), the short-form intrinsics as tags, no other tags (binary, omap, pairs,
// set, timestamp: unknown tag), no `<<` merges. Aliases are resolved although CloudFormation
// itself refuses them ("YAML aliases are not allowed in CloudFormation templates",
// aws/serverless-application-model#228; template-formats.html lists them as unsupported):
// `aws cloudformation package` and `sam deploy` expand them before the upload (aws/aws-cli#3827),
// so a repository's template may well have them. Resolution is linear and bounded (see
// resolve-anchors.ts and to-value.ts): no template under the 1 MB cap expands past 500,000
// values, 4 MB of text or 100 levels of nesting. A key written twice is read last-wins, with
// a warning in the result (resolve-anchors.ts).
//
// Two readers give the same nodes: the hand-written one (parse-yaml-nodes.ts) for the forms
// templates use, ~10x faster, and the `yaml` package for the rest, in templates up to 64 KB
// (see readYaml). Entries of Resources are read as the reader reaches them (readEarly).
import { Composer, isAlias, type Alias, isMap, isScalar, isSeq, Lexer, LineCounter, Parser, YAMLParseError, type CST, type Document, type Node, type Tags, type YAMLMap } from 'yaml';
import type { DeclaredParameter, DeclaredResource, DeclaredTemplate, ForEachLoop, ParseError, ParseResult, TemplateSections } from '../../types.js';
import { isForEachKey } from './expand-for-each.js';
import { computeReferences } from './compute-references.js';
import { INTRINSIC_TAGS } from './intrinsic-tags.js';
import { lineOf, locateJsonError } from './locate-json-error.js';
import { parseJsonNodes } from './parse-json-nodes.js';
import { applyDrops, deepProblem, resolveAnchors, type DuplicateKey, type Resolved } from './resolve-anchors.js';
import { countLines, parseYamlNodes, Unhandled, type ReadYaml } from './parse-yaml-nodes.js';
import { collectPropertySpans, pairSpan, type SpanSource } from './source-spans.js';
import { DEEP_MESSAGE, keyOf, MAX_DEPTH, newValueContext, resolveAlias, startOf, TemplateProblem, toValue } from './to-value.js';
import { CLOUDFORMATION_SCALAR_TAGS, isReplacedScalarTag } from './yaml-scalars.js';

/** CloudFormation's own limit for a template (uploaded through S3). */
export const MAX_TEMPLATE_BYTES = 1024 * 1024;

type Pair = YAMLMap['items'][number];

interface Parsing extends SpanSource {
  root: unknown;
  /** Entries of Resources read while the YAML reader was still reading (see readEarly). */
  early: Map<Pair, Entry | TemplateProblem>;
}

type Entry = { resource: DeclaredResource; loop?: undefined } | { loop: ForEachLoop; resource?: undefined };

export interface ParseOptions {
  /** Read YAML with the `yaml` package only, never the hand-written reader (for comparing the two). */
  yamlPackageOnly?: boolean;
}

export function parseTemplate(file: string, content: string, options: ParseOptions = {}): ParseResult {
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
    const parsing: Parsing = { text, lines, root: null, values: newValueContext(), early: new Map() };
    let resolved: Resolved | undefined;
    if (format === 'json') parsing.root = parseJsonNodes(text, lines, (pair) => readEarly(pair, parsing));
    else ({ root: parsing.root, resolved } = readYaml(text, lines, options, parsing));
    if (resolved) parsing.values.targets = resolved.targets;
    const template = readTemplate(file, format, parsing);
    const warnings = duplicateWarnings(file, resolved?.duplicates ?? [], lines);
    return warnings.length > 0 ? { ok: true, template, warnings } : { ok: true, template };
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
  const resourcesPair = findPair(root, 'Resources');
  if (!resourcesPair) throw new TemplateProblem('the template has no Resources section', 0);
  const resourceMap = deref(resourcesPair.value, parsing);
  if (!isMap(resourceMap) || isTagged(resourceMap)) {
    throw new TemplateProblem('Resources must be a mapping of logical ids to resources', startOf(resourcesPair.key));
  }
  const resources: DeclaredResource[] = [];
  const loops: ForEachLoop[] = [];
  for (const pair of resourceMap.items) {
    const early = parsing.early.get(pair);
    if (early instanceof TemplateProblem) throw early;
    const entry = early ?? readEntry(pair, parsing);
    if (entry.resource) resources.push(entry.resource);
    else loops.push(entry.loop);
  }
  const template: DeclaredTemplate = {
    file,
    format,
    resources,
    parameters: readParameters(findPair(root, 'Parameters'), parsing),
    sections: readSections(root, parsing),
  };
  return loops.length > 0 ? { ...template, loops } : template;
}

function readEntry(pair: Pair, parsing: Parsing): Entry {
  // `Fn::ForEach::<name>` (AWS::LanguageExtensions): kept as written, expanded by parse-cache
  if (isScalar(pair.key) && isForEachKey(String(pair.key.value))) return { loop: readForEachLoop(pair, parsing) };
  return { resource: readResource(pair, parsing) };
}

/**
 * An entry of a block-style Resources (or of a JSON template's) read as soon as the reader
 * has it, and its nodes dropped: they die young, where the garbage collector does not copy
 * them. A 1 MB template's tree is ten times its size, and copying it while it lived was a
 * third of the parse (`npm run bench`). A problem is kept to be thrown in document order, after the reader
 * has found any syntax error, as when the whole tree is read first.
 */
function readEarly(pair: Pair, parsing: Parsing): void {
  try {
    parsing.early.set(pair, readEntry(pair, parsing));
  } catch (error) {
    if (!(error instanceof TemplateProblem)) throw error;
    parsing.early.set(pair, error);
  }
  pair.value = null;
}

function readForEachLoop(pair: Pair, parsing: Parsing): ForEachLoop {
  return {
    key: keyOf(pair.key),
    value: toValue(pair.value, parsing.values),
    span: pairSpan(parsing, pair),
    fragments: loopFragments(parsing, deref(pair.value, parsing), {}),
  };
}

/** Each fragment resource's lines and property spans, nested loops included, by output key as written. */
function loopFragments(parsing: Parsing, loop: Node | null, out: NonNullable<ForEachLoop['fragments']>): NonNullable<ForEachLoop['fragments']> {
  const fragment = isSeq(loop) ? deref(loop.items[2], parsing) : undefined;
  if (!isMap(fragment)) return out;
  for (const pair of fragment.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    if (isForEachKey(key)) {
      loopFragments(parsing, deref(pair.value, parsing), out);
      continue;
    }
    const body = deref(pair.value, parsing);
    const properties = isMap(body) ? findPair(body, 'Properties') : undefined;
    out[key] = { span: pairSpan(parsing, pair), propertySpans: properties ? collectPropertySpans(parsing, properties.value, '', {}) : {} };
  }
  return out;
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

/**
 * The hand-written reader first (parse-yaml-nodes.ts, ~10x faster); what it does not handle,
 * or finds broken, goes through the `yaml` package, which names the line of what is wrong.
 * When the reader stopped after accepting a line the `yaml` package refuses (a quoted scalar
 * or flow collection going on at its key's indentation, which loaders accept), and the `yaml`
 * package's error lies between that line and the reader's stop, the reader's own stopping
 * point is the better place to send the author.
 */
function readYaml(text: string, lines: LineCounter, options: ParseOptions, parsing: Parsing): { root: unknown; resolved: Resolved } {
  let stopped: Unhandled | undefined;
  if (!options.yamlPackageOnly) {
    let read: ReadYaml | undefined;
    try {
      read = parseYamlNodes(text, lines, (pair) => readEarly(pair, parsing));
    } catch (error) {
      if (!(error instanceof Unhandled)) throw error;
      // What was read early is read again from the tree the `yaml` package gives
      parsing.early.clear();
      parsing.values = newValueContext();
      parsing.lineHint = undefined;
      // A quote or bracket never closed: the opening one is the place to point at (the `yaml`
      // package points at the end of the file)
      if (error.definite) throw new TemplateProblem(`invalid YAML: ${error.message}`, error.offset);
      // A large file: the reader's own error, not a parse by the `yaml` package that would cost
      // more than the ~1 s a template may (base and head both): for a broken file only to word
      // the error (its line is the same or one before); for a rare form, refused at its line.
      if (text.length > YAML_PACKAGE_MAX_CHARS) throw new TemplateProblem(error.broken ? readerMessage(error) : rareFormMessage(error, text), error.offset);
      stopped = error;
      lines.lineStarts.length = 0; // the yaml path counts them again
    }
    if (read) {
      const { root, duplicates, drops, needsResolve } = read;
      const targets = needsResolve ? resolveAnchors(root, true).targets : new Map<Alias, Node | undefined>();
      applyDrops(drops);
      return { root, resolved: { targets, duplicates, drops } };
    }
  }
  try {
    const root = parseYaml(text, lines);
    const resolved = resolveAnchors(root);
    applyDrops(resolved.drops);
    return { root, resolved };
  } catch (error) {
    countLines(text, lines); // the yaml parser stops counting where it gives up
    const line = (offset: number) => lines.linePos(offset).line;
    const lenient = stopped?.lenientAt;
    if (
      stopped &&
      lenient !== undefined &&
      !stopped.afterQuote &&
      error instanceof TemplateProblem &&
      error.message.startsWith('invalid YAML') &&
      line(error.offset) >= line(lenient) &&
      line(error.offset) < line(stopped.offset)
    ) {
      throw new TemplateProblem(readerMessage(stopped), stopped.offset);
    }
    throw error;
  }
}

/**
 * The largest template (characters) read by the `yaml` package when the hand-written reader
 * stops: it reads ~1 MB/s once its code is optimised, but ~0.15 MB/s the first times in a
 * process, and this path is rare enough to be cold. A 64 KB template through it costs 0.4 s the
 * first time, 0.8-0.9 s as base and head (`npm run bench`); 128 KB cost 1.1 s, 256 KB 1.3-1.6 s.
 */
export const YAML_PACKAGE_MAX_CHARS = 64 * 1024;

function rareFormMessage(stopped: Unhandled, text: string): string {
  return (
    `this line uses a YAML form (${stopped.message}) that realitycheck reads only in templates under ${YAML_PACKAGE_MAX_CHARS / 1024} KB, ` +
    `and this one is ${Math.ceil(Buffer.byteLength(text) / 1024)} KB: write the value in block or flow style without it`
  );
}

function readerMessage(stopped: Unhandled): string {
  return stopped.message.startsWith('unknown tag') || stopped.message === DEEP_MESSAGE ? stopped.message : `invalid YAML: ${stopped.message}`;
}

/** Keys written twice that get a warning each; the rest are counted in one more. */
const MAX_WARNINGS = 20;

/** Warnings for keys written twice: where each dropped entry is, and the one that counts. */
function duplicateWarnings(file: string, duplicates: DuplicateKey[], lines: LineCounter): ParseError[] {
  const sorted = [...duplicates].sort((a, b) => a.dropped - b.dropped);
  const warnings = sorted.slice(0, MAX_WARNINGS).map(({ name, dropped, kept }) => {
    const at = lines.linePos(dropped);
    const keptLine = lines.linePos(kept).line;
    const message = `the key "${name}" is written twice in one mapping, on lines ${at.line} and ${keptLine}: line ${keptLine} is read (as YAML loaders do) and line ${at.line} is ignored`;
    return { file, line: at.line, column: at.col, message };
  });
  const next = sorted[MAX_WARNINGS];
  if (next) {
    const at = lines.linePos(next.dropped);
    warnings.push({ file, line: at.line, column: at.col, message: `${sorted.length - MAX_WARNINGS} more keys are written twice, from here on; each time the last one is read` });
  }
  return warnings;
}

function parseYaml(text: string, lines: LineCounter): unknown {
  const options = {
    version: '1.1',
    // The core schema's tags without its YAML 1.2 bool/int/float, then CloudFormation's own:
    // the 'yaml-1.1' schema would add binary, omap, pairs, set and timestamp.
    schema: 'core',
    customTags: (tags: Tags) => [...CLOUDFORMATION_SCALAR_TAGS, ...tags.filter((tag) => !isReplacedScalarTag(tag)), ...INTRINSIC_TAGS],
    merge: false,
    uniqueKeys: false, // checked in resolveAnchors, in linear time
  } as const;
  // What parseDocument does, with guardedTokens between the lexer and the parser.
  const parser = new Parser(lines.addNewLine);
  lines.addNewLine(0); // Parser.parse does this; Parser.next does not
  let doc: Document | undefined;
  withPlainEnv(() => {
    for (const next of new Composer(options).compose(guardedTokens(text, parser), true, text.length)) {
      if (doc) {
        doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents'));
        break;
      }
      doc = next;
    }
  });
  const problem = doc ? syntaxProblem(doc) : undefined;
  if (problem) throw problem;
  return doc?.contents ?? null;
}

/**
 * yaml's Parser reads `process.env.LOG_TOKENS` for every token (`Parser.next` in
 * yaml/dist/parse/parser.js), and Node's `process.env` answers each read from the C
 * environment: about a tenth of the CPU of a 1 MB parse, measured with --cpu-prof. The parse
 * below is synchronous, so for its duration `process.env` is a plain object holding only that
 * variable, and the real one is back before anything else can run (or read it).
 */
function withPlainEnv(work: () => void): void {
  const env = process.env;
  process.env = env.LOG_TOKENS === undefined ? {} : { LOG_TOKENS: env.LOG_TOKENS };
  try {
    work();
  } finally {
    process.env = env;
  }
}

/**
 * The lexer's tokens, refused past MAX_DEPTH open flow collections (`[[[[...`) or block
 * indicators on one line (`- - - -...`) before the parser sees them: yaml's parser and
 * composer recurse and slow down with nesting (1 MB of `[` ran the process out of memory;
 * 400,000 `- ` took 1.1 s and 330 MB to fail). Deeper block nesting needs an indent per
 * level, which the 1 MB cap keeps to a few hundred; resolveAnchors refuses it.
 */
function* guardedTokens(text: string, parser: Parser): Generator<CST.Token> {
  const CONTROL = new Set(['\u0002', '\u0018', '\u001f']); // lexer markers, not in the text
  let offset = 0;
  let flow = 0;
  let onLine = 0;
  for (const lexeme of new Lexer().lex(text)) {
    if (lexeme === '[' || lexeme === '{') {
      if (++flow > MAX_DEPTH) throw deepProblem({ range: [offset] });
    } else if (lexeme === ']' || lexeme === '}') {
      flow = Math.max(0, flow - 1);
    } else if (lexeme === '-' || lexeme === '?') {
      if (++onLine > MAX_DEPTH) throw deepProblem({ range: [offset] });
    } else if (lexeme === '\n' || lexeme === '\r\n') {
      onLine = 0;
    }
    if (!CONTROL.has(lexeme)) offset += lexeme.length;
    yield* parser.next(lexeme);
  }
  yield* parser.end();
}

function syntaxProblem(doc: Document): TemplateProblem | undefined {
  const [error] = doc.errors;
  // The yaml composer recurses: nesting far past MAX_DEPTH overflows its stack, which it
  // catches and reports with its own code (yaml 2.x compose-node.ts: RESOURCE_EXHAUSTION, used
  // for nothing else).
  if (error?.code === 'RESOURCE_EXHAUSTION') return deepProblem({ range: error.pos });
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
