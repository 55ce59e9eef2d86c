// The `Fn::ForEach::` entries of a template's Resources (AWS::LanguageExtensions), read with
// their lines, and the template's text with those entries blanked out (spaces, newlines kept,
// so every other line keeps its number) for parseTemplate, which reads resources only. Pure.
//
// An adapter: parseTemplate refuses an entry of Resources that is not a resource. When the
// parser keeps these entries in `DeclaredTemplate.loops` itself, this file goes. It reads
// the text as the parser does (yaml with CloudFormation's tags and YAML 1.1 scalars; JSON
// through parseJsonNodes) and answers `undefined` whenever it is not sure, leaving the text to
// parseTemplate, which then reports it: a flow-style Resources mapping, or any problem.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Tags, type YAMLMap } from 'yaml';
import type { ForEachLoop, SourceSpan } from '../../types.js';
import { INTRINSIC_TAGS } from './intrinsic-tags.js';
import { parseJsonNodes } from './parse-json-nodes.js';
import { resolveAnchors } from './resolve-anchors.js';
import { collectPropertySpans, pairSpan, type SpanSource } from './source-spans.js';
import { newValueContext, toValue } from './to-value.js';
import { CLOUDFORMATION_SCALAR_TAGS, isReplacedScalarTag } from './yaml-scalars.js';
import { isForEachKey } from './expand-for-each.js';

type Pair = YAMLMap['items'][number];

export function parseForEachLoops(file: string, text: string): { text: string; loops: ForEachLoop[] } | undefined {
  if (!text.includes('Fn::ForEach::')) return undefined;
  try {
    const json = /\.json$/i.test(file) || (!/\.ya?ml$/i.test(file) && text.trimStart().startsWith('{'));
    const lines = new LineCounter();
    if (json) JSON.parse(text); // parseJsonNodes reads only what JSON.parse accepts
    const root = json ? parseJsonNodes(text, lines) : readYaml(text, lines);
    if (!root || !isMap(root)) return undefined;
    const resourcesPair = root.items.find((pair) => isScalar(pair.key) && pair.key.value === 'Resources');
    const resources = resourcesPair?.value;
    if (!isMap(resources) || (!json && resources.flow)) return undefined;
    const source: SpanSource = { text, lines, values: newValueContext(json ? undefined : resolveAnchors(root).targets) };
    const pairs = resources.items.filter((pair) => isScalar(pair.key) && isForEachKey(String(pair.key.value)));
    if (pairs.length === 0) return undefined;
    const loops = pairs.map((pair) => ({
      key: String((pair.key as { value: unknown }).value),
      value: toValue(pair.value, source.values),
      span: pairSpan(source, pair),
      fragments: fragmentsOf(source, pair.value as Node, {}),
    }));
    let blanked = text;
    for (const pair of pairs) blanked = json ? blankJsonPair(blanked, pair) : blankLines(blanked, pairSpan(source, pair), lines);
    if (!json && pairs.length === resources.items.length) {
      // Nothing but loops: `Resources:` would be empty (null). An empty mapping, on the same line.
      const colon = blanked.indexOf(':', (resourcesPair!.key as { range: [number, number, number] }).range[1]);
      blanked = `${blanked.slice(0, colon + 1)} {}${blanked.slice(colon + 1)}`;
    }
    return { text: blanked, loops };
  } catch {
    return undefined;
  }
}

function readYaml(text: string, lines: LineCounter): Node | null {
  // parseTemplate's own options (parse-template.ts, parseYaml).
  const doc = parseDocument(text, {
    version: '1.1',
    schema: 'core',
    customTags: (tags: Tags) => [...CLOUDFORMATION_SCALAR_TAGS, ...tags.filter((tag) => !isReplacedScalarTag(tag)), ...INTRINSIC_TAGS],
    merge: false,
    uniqueKeys: false,
    lineCounter: lines,
  });
  return doc.errors.length > 0 ? null : (doc.contents as Node | null);
}

/** Each fragment resource's lines and property spans, nested loops included, by output key as written. */
function fragmentsOf(source: SpanSource, loop: Node, out: NonNullable<ForEachLoop['fragments']>): NonNullable<ForEachLoop['fragments']> {
  const fragment = isSeq(loop) ? loop.items[2] : undefined;
  if (!isMap(fragment)) return out;
  for (const pair of fragment.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    if (isForEachKey(key)) {
      fragmentsOf(source, pair.value as Node, out);
      continue;
    }
    const body = pair.value;
    const properties = isMap(body) ? body.items.find((p) => isScalar(p.key) && p.key.value === 'Properties') : undefined;
    out[key] = { span: pairSpan(source, pair), propertySpans: properties ? collectPropertySpans(source, properties.value, '', {}) : {} };
  }
  return out;
}

/** The lines of a block-style entry, blanked. */
function blankLines(text: string, span: SourceSpan, lines: LineCounter): string {
  const start = lines.lineStarts[span.startLine - 1] ?? 0;
  const end = lines.lineStarts[span.endLine] ?? text.length;
  return text.slice(0, start) + text.slice(start, end).replace(/[^\n\r]/g, ' ') + text.slice(end);
}

/** A JSON member blanked with the comma that separates it from its neighbour. */
function blankJsonPair(text: string, pair: Pair): string {
  const start = (pair.key as { range: [number, number, number] }).range[0];
  let end = (pair.value as { range: [number, number, number] }).range[1];
  let from = start;
  const next = /\s*,/y;
  next.lastIndex = end;
  if (next.test(text)) {
    end = next.lastIndex;
  } else {
    let at = start - 1;
    while (at >= 0 && /\s/.test(text[at]!)) at--;
    if (text[at] === ',') from = at;
  }
  return text.slice(0, from) + text.slice(from, end).replace(/[^\n\r]/g, ' ') + text.slice(end);
}
