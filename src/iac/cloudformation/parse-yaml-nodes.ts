// A YAML template as yaml AST nodes (YAMLMap, YAMLSeq, Scalar, Alias with source ranges),
// read by hand for the YAML that templates use: block mappings and sequences, flow
// collections, plain, quoted and block scalars, the intrinsic tags, anchors, aliases,
// comments. About ten times faster than the `yaml` package's Lexer/Parser/Composer, which
// took ~0.75 s for a 1 MB template (`npm run bench`).
//
// Anything this reader does not handle (directives but `%YAML 1.1`, `? ` keys that are no
// scalar, `!!` tags but `!!str`/`!!int`/`!!float`/`!!bool`/`!!null` on scalars they read and
// `!!map`/`!!seq` on their collections, global tags but verbatim core ones, unknown tags, a
// second document, tabs in indentation, an odd multi-line plain scalar, ...) and anything
// broken throws Unhandled: parse-template then reads a template of up to 64 KB with the `yaml`
// package, which accepts what it should and names the line of what is wrong (a larger one is
// refused at the line this reader stopped on, see YAML_PACKAGE_MAX_CHARS). So this file
// may be strict; it must never accept a template differently from that path (the
// differential test in test/iac/parse-yaml-nodes.test.ts compares both on every fixture).
//
// Where it is more lenient than the `yaml` package, on purpose: a flow collection or a
// quoted scalar may continue on lines at any indentation, as in PyYAML (cfn-lint, `aws
// cloudformation package`) and SnakeYAML (CloudFormation), whose scanners do not check
// the indentation inside flow context or quoted scalars (scan_flow_scalar_breaks). Templates
// close `!Sub '{ ... }'` and `Resource: [ ... ]` at the key's indentation, and CloudFormation
// deploys them.
//
// Ranges are the ones the `yaml` composer gives (the spans and error lines depend on them):
// a node starts at its content, after its tag and anchor; an empty value is at the end of
// its properties (or just after its `:`); a block scalar starts at its `|` or `>`.
import { isMap, isScalar, isSeq, Scalar, type Alias, type LineCounter, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { INTRINSICS } from './intrinsic-tags.js';
import { applyDrops, checkKeys, type DuplicateKey, type Drop } from './resolve-anchors.js';
import { DEEP_MESSAGE, MAX_DEPTH } from './to-value.js';
import { CLOUDFORMATION_SCALAR_TAGS, resolvePlain } from './yaml-scalars.js';
import { AliasNode, MapNode, newScalar, PairNode, SeqNode, setRange } from './yaml-node-classes.js';

/** Not read here: parse the text with the `yaml` package instead. */
export class Unhandled extends Error {
  constructor(
    readonly offset: number,
    why: string,
    /** Where the value starts in which the reader first accepted a line the `yaml` package refuses (see above), if it did before stopping. */
    readonly lenientAt?: number,
    /** The text is broken here for certain (a quote or bracket never closed): no need to ask the `yaml` package. */
    readonly definite = false,
    /** The text is broken here, not merely in a form this reader leaves to the `yaml` package. */
    readonly broken = definite,
    /**
     * The reader stopped on the line where a quoted scalar of several lines closed: most likely
     * a quote is missing where it opened (the `yaml` package says so, at that line).
     */
    readonly afterQuote = false,
  ) {
    super(why);
  }
}

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const COMMA = 44;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const SQUOTE = 39;
const DQUOTE = 34;
const BANG = 33;
const AMP = 38;
const STAR = 42;
const PIPE = 124;
const GT = 62;
const QUESTION = 63;

const CORE_TAG_PREFIX = 'tag:yaml.org,2002:';
const STR_TAG = `${CORE_TAG_PREFIX}str`;

/** The `!!` tags read here: `!!str`, and those the yaml path resolves with CloudFormation's rules (yaml-scalars.ts), plus null. */
const CORE_SCALAR_TAGS: Record<string, { tag: string; test: RegExp; resolve: (source: string, onError: (message: string) => void) => unknown }> = {
  '!!str': { tag: STR_TAG, test: /[^]*/, resolve: (source) => source },
  ...Object.fromEntries(
    CLOUDFORMATION_SCALAR_TAGS.map((tag) => [`!!${tag.tag.slice('tag:yaml.org,2002:'.length)}`, { tag: tag.tag, test: tag.test!, resolve: (source: string, onError: (message: string) => void) => tag.resolve(source, onError, {}) }]),
  ),
  // the core schema's null (yaml's own, kept by parse-template): any text is null; only the null spellings are read here
  '!!null': { tag: 'tag:yaml.org,2002:null', test: /^(?:~|[Nn]ull|NULL)?$/, resolve: () => null },
};

/** A `%YAML 1.1` directive up to the end of its version. */
const YAML_11_DIRECTIVE = /%YAML[ \t]+1\.1(?=[ \t\r\n]|$)/y;

/** Characters a plain scalar may not start with (besides `-?:`, see startsPlain). */
const NOT_PLAIN_START = new Set([COMMA, LBRACKET, RBRACKET, LBRACE, RBRACE, HASH, AMP, STAR, BANG, PIPE, GT, SQUOTE, DQUOTE, 37 /* % */, 64 /* @ */, 96 /* ` */]);

type Context = 'doc' | 'map' | 'seq';

interface Props {
  tag?: string;
  anchor?: string;
  /** Just past the last property, where an empty node is placed. */
  end: number;
}

export interface ReadYaml {
  root: Node | null;
  /** Keys written twice (checkKeys ran on every mapping), and the entries to drop for them. */
  duplicates: DuplicateKey[];
  drops: Drop[];
  /**
   * resolveAnchors still has work: there are anchors or aliases to link, or nesting deep
   * enough that its depth bound must be checked. Otherwise it would find nothing to do.
   */
  needsResolve: boolean;
}

/**
 * `onResource`, if given, is called with each entry of the top-level block mapping `Resources`
 * as soon as it is read, while no anchor or alias has been seen and nothing is nested deep: the
 * caller turns it into what it needs and may drop the entry's value, which then dies young
 * instead of living, and being copied by the garbage collector, as long as the whole tree.
 * Keys written twice inside the entry are already dropped (checkKeys) when it is called.
 */
export function parseYamlNodes(text: string, lines: LineCounter, onResource?: (pair: Pair) => void): ReadYaml {
  countLines(text, lines);
  const reader = new Reader(text, onResource);
  const root = reader.document();
  return { root, duplicates: reader.duplicates, drops: reader.drops, needsResolve: reader.anchored || reader.deepest > MAX_DEPTH / 2 };
}

/** Every line start of the text, in `lines` (emptied first). */
export function countLines(text: string, lines: LineCounter): void {
  lines.lineStarts.length = 0;
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
}

function isBreak(c: number): boolean {
  return c === LF || c === CR;
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

function isFlowIndicator(c: number): boolean {
  return c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;
}

class Reader {
  pos = 0;
  /** Indentation of the line `pos` is on, once `pos` is at a line's first content (-1 at the end). */
  indent = 0;
  depth = 0;
  deepest = 0;
  /** Seen an anchor or an alias. */
  anchored = false;
  readonly duplicates: DuplicateKey[] = [];
  readonly drops: Drop[] = [];
  /** Before the document's content, a `---` line starts it. */
  starting = true;
  readonly length: number;

  constructor(
    readonly text: string,
    readonly onResource?: (pair: Pair) => void,
  ) {
    this.length = text.length;
  }

  /** The depth at which the mapping read next is the top-level `Resources` (-1: none). */
  resourcesDepth = -1;

  /** An entry of `Resources` is read: hand it over while that is safe (see parseYamlNodes). */
  resourceRead(pair: Pair): void {
    if (this.anchored || this.deepest > MAX_DEPTH / 2) return;
    if (this.drops.length > 0) {
      applyDrops(this.drops);
      this.drops.length = 0;
    }
    this.onResource!(pair);
  }

  /** The indentation the lines of the flow collection or quoted scalar being read should be deeper than. */
  flowParent = -1;
  /** Where that value starts. */
  flowStart = 0;
  lenientAt: number | undefined;

  /** Where the last quoted scalar that spans lines closed. */
  quoteClosedAt: number | undefined;

  /**
   * The items of the collections being read, innermost last, from `top` down. Each collection
   * takes its own as an array of exactly their number when it ends: `push` onto `[]` reserves
   * 17 slots, which for the one or two items of most collections was a sixth of the tree (and
   * of what the garbage collector copies while it is built).
   */
  readonly scratch: unknown[] = [];
  top = 0;

  takeItems(base: number): unknown[] {
    const items = this.scratch.slice(base, this.top);
    this.top = base;
    return items;
  }

  fail(why: string, at = this.pos): never {
    throw new Unhandled(at, why, this.lenientAt, false, false, this.isAfterQuote(at));
  }

  /** Text that is not YAML (the `yaml` package refuses it too, on this line or just before). */
  broken(why: string, at = this.pos): never {
    throw new Unhandled(at, why, this.lenientAt, false, true, this.isAfterQuote(at));
  }

  isAfterQuote(at: number): boolean {
    const closed = this.quoteClosedAt;
    return closed !== undefined && closed <= at && this.text.lastIndexOf('\n', at - 1) < closed;
  }

  /** A quote or a bracket opened at `at` and never closed. */
  unclosed(what: string, at: number): never {
    throw new Unhandled(at, `this ${what} is never closed`, this.lenientAt, true);
  }

  /** A line inside a flow collection or quoted scalar starts at `at`: note it if the `yaml` package would find it too shallow. */
  checkFlowLine(at: number): void {
    if (this.lenientAt === undefined && this.spacesAt(at) <= this.flowParent) this.lenientAt = this.flowStart;
  }

  code(at = this.pos): number {
    return this.text.charCodeAt(at); // NaN past the end
  }

  /** Blank or the end of the text after position `at`. */
  endsToken(at: number): boolean {
    const c = this.code(at);
    return at >= this.length || c === SPACE || c === TAB || isBreak(c);
  }

  /** A plain scalar's value as CloudFormation reads it (yaml-scalars.ts); a number too long to read is refused, as on the yaml path. */
  plain(source: string, at: number): unknown {
    this.plainAt = at;
    return resolvePlain(source, this.tooLong);
  }

  plainAt = 0;
  /** One function for every scalar, not a closure each. */
  readonly tooLong = (message: string): never => this.broken(message, this.plainAt);

  /** Where the nesting first went past MAX_DEPTH (resolveAnchors, or the yaml path, refuses it there). */
  deepAt: number | undefined;

  /** One level deeper: past MAX_DEPTH noted, and refused some levels on (see deepAt). */
  enter(): void {
    const depth = ++this.depth;
    if (depth <= MAX_DEPTH) return;
    this.deepAt ??= this.pos;
    if (depth > MAX_DEPTH + 10) this.broken(DEEP_MESSAGE, this.deepAt);
  }

  // ------------------------------------------------------------ lines

  /** From the end of a line's content (spaces, a comment, the break), to the next line's first content. */
  finishLine(): void {
    let i = this.pos;
    const text = this.text;
    while (isBlank(text.charCodeAt(i))) i++;
    const c = text.charCodeAt(i);
    if (c === HASH) {
      if (i === this.pos && i > 0 && !isBlank(text.charCodeAt(i - 1)) && !isBreak(text.charCodeAt(i - 1))) this.broken('Comments must be separated from other tokens by white space characters', i);
      const end = text.indexOf('\n', i);
      i = end === -1 ? this.length : end;
    } else if (i < this.length && !isBreak(c)) {
      this.broken('unexpected text after a value', i);
    }
    this.pos = i;
    this.nextContentLine();
  }

  /** At a line break (or the end): skip blank and comment lines, stop at the next line's first content. */
  nextContentLine(): void {
    const text = this.text;
    let i = this.pos;
    for (;;) {
      if (i >= this.length) {
        this.pos = this.length;
        this.indent = -1;
        return;
      }
      let c = text.charCodeAt(i);
      if (c === CR) {
        if (text.charCodeAt(i + 1) !== LF) this.fail('a carriage return without a line feed', i);
        i++;
        c = LF;
      }
      if (c !== LF) this.fail('expected the end of the line', i);
      const start = ++i;
      while (text.charCodeAt(i) === SPACE) i++;
      c = text.charCodeAt(i);
      if (c === TAB) {
        // A tab in the indentation: allowed by YAML only on blank lines
        let j = i;
        while (isBlank(text.charCodeAt(j))) j++;
        if (j < this.length && !isBreak(text.charCodeAt(j)) && text.charCodeAt(j) !== HASH) this.fail('a tab in the indentation', i);
        i = j;
        c = text.charCodeAt(i);
      }
      if (c === HASH) {
        const end = text.indexOf('\n', i);
        i = end === -1 ? this.length : end;
        continue;
      }
      if (i >= this.length || isBreak(c)) continue;
      if (i === start && !this.starting && this.isDocumentMarker(i)) {
        // `...` ends the document: only comments and blank lines may follow it here (content or
        // `---` after it is a second document, which the yaml path refuses and names)
        if (!this.text.startsWith('...', i) || !this.onlyCommentsFrom(i + 3)) this.fail('a document marker', i);
        this.pos = this.length;
        this.indent = -1;
        return;
      }
      this.pos = i;
      this.indent = i - start;
      return;
    }
  }

  /** Nothing but blanks, comments and line breaks from `at` to the end of the text. */
  onlyCommentsFrom(at: number): boolean {
    const text = this.text;
    let i = at;
    for (;;) {
      while (isBlank(text.charCodeAt(i)) || isBreak(text.charCodeAt(i))) i++;
      if (i >= this.length) return true;
      if (text.charCodeAt(i) !== HASH || !(isBlank(text.charCodeAt(i - 1)) || isBreak(text.charCodeAt(i - 1)))) return false;
      const end = text.indexOf('\n', i);
      if (end === -1) return true;
      i = end;
    }
  }

  isDocumentMarker(at: number): boolean {
    const t = this.text;
    return (t.startsWith('---', at) || t.startsWith('...', at)) && this.endsToken(at + 3);
  }

  ended(): boolean {
    return this.indent === -1;
  }

  column(at: number): number {
    return at - (this.text.lastIndexOf('\n', at - 1) + 1);
  }

  skipBlanks(): void {
    while (isBlank(this.code())) this.pos++;
  }

  /** After blanks: a line break, a comment or the end of the text. */
  atLineEnd(): boolean {
    const c = this.code();
    return this.pos >= this.length || isBreak(c) || (c === HASH && isBlank(this.code(this.pos - 1)));
  }

  // ------------------------------------------------------------ document

  document(): Node | null {
    const text = this.text;
    // The first line: as if after a line break at -1
    this.pos = -1;
    const first = text.charCodeAt(0);
    if (this.length === 0) return null;
    if (first !== LF && first !== CR) {
      // nextContentLine expects to stand on a break: read the first line by hand
      let i = 0;
      while (text.charCodeAt(i) === SPACE) i++;
      const c = text.charCodeAt(i);
      if (c === HASH) {
        const end = text.indexOf('\n', i);
        this.pos = end === -1 ? this.length : end;
        this.nextContentLine();
      } else if (i >= this.length || isBreak(c)) {
        this.pos = i;
        this.nextContentLine();
      } else {
        if (c === TAB) this.fail('a tab in the indentation', i);
        this.pos = i;
        this.indent = i;
      }
    } else {
      this.pos = 0;
      this.nextContentLine();
    }
    if (this.ended()) return null;
    if (this.code() === 37 /* % */) {
      // `%YAML 1.1`, the version CloudFormation reads (and the yaml path is set to), before `---`;
      // other directives (%TAG, another version, a second one) are left to the yaml path
      YAML_11_DIRECTIVE.lastIndex = this.pos;
      if (this.indent !== 0 || !YAML_11_DIRECTIVE.test(text)) this.fail('a directive');
      this.pos = YAML_11_DIRECTIVE.lastIndex;
      this.finishLine();
      if (this.ended() || this.indent !== 0 || !text.startsWith('---', this.pos) || !this.isDocumentMarker(this.pos)) this.fail('a directive without ---');
    }
    if (this.indent === 0 && this.isDocumentMarker(this.pos)) {
      if (!text.startsWith('---', this.pos)) this.fail('a document end marker');
      this.pos += 3;
      this.skipBlanks();
      if (!this.atLineEnd()) this.fail('content after ---');
      this.finishLine();
      if (this.ended()) return null;
      if (this.indent === 0 && this.isDocumentMarker(this.pos)) this.fail('a second document marker');
    }
    this.starting = false;
    const root = this.blockNode(-1, 'doc');
    if (!this.ended()) this.broken('more content after the document');
    return root;
  }

  // ------------------------------------------------------------ block context

  /**
   * A node starting at `pos` (after `key:`, after `- `, or at a line's start), read up to the
   * next line's first content. `parent` is the indentation its lines must be deeper than.
   */
  blockNode(parent: number, context: Context): Node {
    this.enter();
    if (this.depth > this.deepest) this.deepest = this.depth;
    if (context !== 'map' && (this.keyAt(this.pos) || this.explicitKeyAt(this.pos))) {
      const map = this.blockMap(this.column(this.pos));
      this.depth--;
      return map;
    }
    const props = this.properties(false);
    let node: Node;
    if (this.atLineEnd()) {
      const empty = props ? props.end : this.pos;
      this.finishLine();
      const c = this.code();
      const seqItem = c === DASH && this.endsToken(this.pos + 1);
      if (this.indent > parent || (seqItem && context === 'map' && this.indent === parent && this.indent >= 0)) {
        node = this.lineStartNode(parent);
      } else {
        node = this.emptyNode(props, empty);
        this.depth--;
        return node;
      }
    } else {
      const c = this.code();
      if (context !== 'map' && props && this.keyAt(this.pos)) {
        this.fail('properties before a compact mapping');
      } else if (context !== 'map' && !props && c === DASH && this.endsToken(this.pos + 1)) {
        node = this.blockSeq(this.column(this.pos));
      } else {
        node = this.inlineNode(parent, context, props !== undefined);
      }
    }
    this.applyProps(node, props);
    this.depth--;
    return node;
  }

  /** A node whose first content starts a line, at this.indent (deeper than the parent, or an indentless sequence). */
  lineStartNode(parent: number): Node {
    const c = this.code();
    if (c === DASH && this.endsToken(this.pos + 1)) return this.blockSeq(this.indent);
    if (this.keyAt(this.pos) || this.explicitKeyAt(this.pos)) return this.blockMap(this.indent);
    return this.inlineNode(parent, 'doc', false);
  }

  /** A scalar, a flow collection or an alias on this line (a quoted or plain scalar may go on). */
  inlineNode(parent: number, context: Context, hasProps: boolean): Node {
    const c = this.code();
    let node: Node;
    if (c === LBRACKET || c === LBRACE) {
      this.flowParent = parent;
      this.flowStart = this.pos;
      node = this.flowCollection();
      this.finishLine();
    } else if (c === SQUOTE || c === DQUOTE) {
      this.flowParent = parent;
      this.flowStart = this.pos;
      node = this.quoted();
      this.finishLine();
    } else if (c === PIPE || c === GT) {
      node = this.blockScalar(parent);
    } else if (c === STAR) {
      if (hasProps) this.fail('properties on an alias');
      node = this.alias(false);
      this.finishLine();
    } else if (c === DASH && this.endsToken(this.pos + 1)) {
      if (context === 'map') this.broken('a sequence on the line of its key');
      this.fail('a sequence after properties');
    } else {
      node = this.plainBlock(parent);
    }
    return node;
  }

  blockMap(column: number): YAMLMap {
    const map = new MapNode(false) as unknown as YAMLMap;
    const start = this.pos;
    const base = this.top;
    const resources = this.depth === this.resourcesDepth;
    for (;;) {
      const explicit = this.explicitKeyAt(this.pos);
      const key = explicit ? this.explicitKey(column) : this.key();
      this.pos++; // ':'
      this.skipBlanks();
      const opensResources = this.depth === 1 && this.onResource !== undefined && !explicit && key.value === 'Resources' && key.tag === undefined;
      if (opensResources) this.resourcesDepth = 2;
      // After `: ` of an explicit key, as after `- `: a compact mapping or sequence may start
      const value = this.blockNode(column, explicit ? 'seq' : 'map');
      if (opensResources) this.resourcesDepth = -1;
      const pair = new PairNode(key, value) as unknown as Pair;
      this.scratch[this.top++] = pair;
      if (resources) this.resourceRead(pair);
      if (this.indent < column) break;
      if (this.indent > column) this.broken('All mapping items must start at the same column', this.pos - this.indent);
      if (!this.keyAt(this.pos) && !this.explicitKeyAt(this.pos)) {
        // `[a]: b` or `{a: b}: c` is YAML, but no template: CloudFormation's keys are strings
        if (this.code() === LBRACKET || this.code() === LBRACE) this.broken('mapping keys must be plain strings');
        this.fail('not a mapping entry');
      }
    }
    map.items = this.takeItems(base) as Pair[];
    setRange(map, start, this.pos);
    checkKeys(map, this.duplicates, this.drops);
    return map;
  }

  blockSeq(column: number): YAMLSeq {
    const seq = new SeqNode(false) as unknown as YAMLSeq;
    const start = this.pos;
    const base = this.top;
    for (;;) {
      this.pos++; // '-'
      this.skipBlanks();
      const item = this.blockNode(column, 'seq');
      this.scratch[this.top++] = item;
      if (this.indent < column) break;
      if (this.indent > column) this.broken('All sequence items must start at the same column', this.pos - this.indent);
      if (this.code() !== DASH || !this.endsToken(this.pos + 1)) break; // an indentless sequence ends at its mapping's next key
    }
    seq.items = this.takeItems(base);
    setRange(seq, start, this.pos);
    return seq;
  }

  /** Is there an explicit key indicator (`? `) at `at`? */
  explicitKeyAt(at: number): boolean {
    return this.text.charCodeAt(at) === QUESTION && this.endsToken(at + 1);
  }

  /**
   * `? key` with a plain or quoted scalar for the key, and its `:` at the start of the next
   * content line, at the mapping's column (a 1 MB template with one such key went through
   * the `yaml` package at ~1 s). Stops at the `:`. Any other explicit key (a collection,
   * properties, no `:` line) is left to the yaml path.
   */
  explicitKey(column: number): Scalar {
    this.pos++; // '?'
    this.skipBlanks();
    const c = this.code();
    if (this.atLineEnd() || !(c === SQUOTE || c === DQUOTE || this.startsPlain(this.pos, false)) || this.keyAt(this.pos)) this.fail('an explicit key');
    let key: Scalar;
    if (c === SQUOTE || c === DQUOTE) {
      this.flowParent = column;
      this.flowStart = this.pos;
      key = this.quoted();
      this.finishLine();
    } else key = this.plainBlock(column);
    if (this.indent !== column || this.code() !== COLON || !this.endsToken(this.pos + 1)) this.fail('an explicit key without its value on the next line');
    return key;
  }

  /** Is there an implicit key (`name:` on one line) at `at`? Tags and anchors on keys are left to the yaml path, but for `!`. */
  keyAt(at: number): boolean {
    const text = this.text;
    let i = at;
    let c = text.charCodeAt(i);
    if (c === BANG && isBlank(text.charCodeAt(i + 1))) {
      i += 2;
      while (isBlank(text.charCodeAt(i))) i++;
      c = text.charCodeAt(i);
    }
    if (c === SQUOTE || c === DQUOTE) {
      const end = this.quotedEndOnLine(i);
      if (end === -1) return false;
      i = end;
      while (isBlank(text.charCodeAt(i))) i++;
      return text.charCodeAt(i) === COLON && this.endsToken(i + 1);
    }
    if (!this.startsPlain(i, false)) return false;
    return this.plainKeyEnd(i) !== -1;
  }

  /** Where the `:` after a plain key starting at `at` is, or -1 if this line holds no key. */
  plainKeyEnd(at: number): number {
    const text = this.text;
    for (let i = at; i < this.length; i++) {
      const c = text.charCodeAt(i);
      if (c === COLON) {
        if (this.endsToken(i + 1)) return i;
      } else if (isBreak(c)) return -1;
      else if (c === HASH && isBlank(text.charCodeAt(i - 1))) return -1;
    }
    return -1;
  }

  /** Just past the closing quote of a quoted scalar that ends on its line, or -1. */
  quotedEndOnLine(at: number): number {
    const text = this.text;
    const quote = text.charCodeAt(at);
    for (let i = at + 1; i < this.length; i++) {
      const c = text.charCodeAt(i);
      if (isBreak(c)) return -1;
      if (c === quote) {
        if (quote === SQUOTE && text.charCodeAt(i + 1) === SQUOTE) {
          i++;
          continue;
        }
        return i + 1;
      }
      if (c === 92 /* \ */ && quote === DQUOTE) i++;
    }
    return -1;
  }

  /** A mapping key at `pos` (keyAt said so); stops at its `:`. */
  key(): Scalar {
    let nonSpecific = false;
    if (this.code() === BANG) {
      nonSpecific = true;
      this.pos++;
      this.skipBlanks();
    }
    const c = this.code();
    let key: Scalar;
    if (c === SQUOTE || c === DQUOTE) {
      key = this.quoted();
      if (nonSpecific) key.value = this.plain(key.value as string, this.pos);
      this.skipBlanks();
    } else {
      const start = this.pos;
      const colon = this.plainKeyEnd(start);
      let end = colon;
      while (isBlank(this.code(end - 1))) end--;
      const source = this.text.slice(start, end);
      key = newScalar(this.plain(source, start), Scalar.PLAIN, source, start, end);
      this.pos = colon;
    }
    return key;
  }

  /** A plain scalar in block context, folded over the lines deeper than `parent`. */
  plainBlock(parent: number): Scalar {
    const text = this.text;
    const start = this.pos;
    if (!this.startsPlain(start, false)) this.fail('not a plain scalar');
    let end = this.plainLineEnd(start);
    let value = text.slice(start, end);
    // Further lines, if the next content is a deeper line: folded in with spaces
    let i = end;
    while (isBlank(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== HASH && i < this.length) {
      let lineEnd = i;
      for (;;) {
        // at a break: look at the next non-empty line
        let breaks = 0;
        let j = lineEnd;
        let lineStart = j;
        while (j < this.length) {
          const c = text.charCodeAt(j);
          if (c === CR && text.charCodeAt(j + 1) === LF) j++;
          if (text.charCodeAt(j) !== LF) break;
          breaks++;
          j++;
          lineStart = j;
          while (isBlank(text.charCodeAt(j))) j++;
        }
        if (j >= this.length || breaks === 0) break;
        const indent = this.spacesAt(lineStart);
        const c = text.charCodeAt(j);
        if (indent <= parent || c === HASH) break;
        if (indent < j - lineStart) this.fail('a tab in a plain scalar', j); // tabs before the text
        if (lineStart === j - indent && indent === 0 && this.isDocumentMarker(lineStart)) this.fail('a document marker');
        if (c === DASH || c === QUESTION || c === COLON || NOT_PLAIN_START.has(c)) this.fail('an indicator on a continued plain scalar', j);
        const lineContentEnd = this.plainLineEnd(j);
        if (this.plainKeyEnd(j) !== -1) this.broken('the line after this value is indented deeper and holds a key: check the indentation', start);
        let k = lineContentEnd;
        while (isBlank(text.charCodeAt(k))) k++;
        if (text.charCodeAt(k) === HASH || (k < this.length && !isBreak(text.charCodeAt(k)))) this.fail('a comment on a continued plain scalar', j);
        value += breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
        value += text.slice(j, lineContentEnd);
        end = lineContentEnd;
        lineEnd = k;
      }
    }
    const scalar = newScalar(this.plain(value, start), Scalar.PLAIN, value, start, end);
    this.pos = end;
    this.finishLine();
    return scalar;
  }

  spacesAt(at: number): number {
    let i = at;
    while (this.text.charCodeAt(i) === SPACE) i++;
    return i - at;
  }

  /** End of a plain scalar's text on one line in block context (trailing blanks dropped). */
  plainLineEnd(at: number): number {
    const text = this.text;
    let i = at;
    let end = at;
    for (; i < this.length; i++) {
      const c = text.charCodeAt(i);
      if (isBreak(c)) break;
      if (c === COLON && this.endsToken(i + 1)) break;
      if (c === HASH && isBlank(text.charCodeAt(i - 1))) break;
      if (!isBlank(c)) end = i + 1;
    }
    return end;
  }

  startsPlain(at: number, flow: boolean): boolean {
    const c = this.text.charCodeAt(at);
    if (at >= this.length || isBreak(c) || isBlank(c)) return false;
    if (c === DASH || c === QUESTION || c === COLON) {
      const next = this.text.charCodeAt(at + 1);
      return !(this.endsToken(at + 1) || (flow && isFlowIndicator(next)));
    }
    return !NOT_PLAIN_START.has(c);
  }

  /** `|` or `>`: the lines deeper than `parent`. */
  blockScalar(parent: number): Scalar {
    const text = this.text;
    const start = this.pos;
    const folded = text.charCodeAt(start) === GT;
    let i = start + 1;
    let chomp: 'clip' | 'strip' | 'keep' = 'clip';
    // An indentation indicator (`|2`, `>-4`, `|+1`): the lines are that much deeper than the
    // parent's indentation (YAML 1.1 §9.2.2, as the yaml package's composer counts it)
    let explicit = 0;
    for (let header = 0; header < 2; header++) {
      const c = text.charCodeAt(i);
      if (c === DASH && chomp === 'clip') (chomp = 'strip'), i++;
      else if (c === 43 /* + */ && chomp === 'clip') (chomp = 'keep'), i++;
      else if (c >= 49 /* 1 */ && c <= 57 /* 9 */ && explicit === 0) (explicit = c - 48), i++;
    }
    if (!this.endsToken(i)) this.fail('a block scalar header', i);
    if (explicit !== 0 && parent < 0) this.fail('an indentation indicator at the top level', start);
    this.pos = i;
    this.skipBlanks();
    if (!this.atLineEnd()) this.broken('text after a block scalar header');
    const header = text.indexOf('\n', this.pos);
    // The content lines: the first non-empty one sets the indentation
    const lines: string[] = [];
    let indent = explicit === 0 ? -1 : parent + explicit;
    let lineStart = header === -1 ? this.length : header + 1;
    let end = lineStart; // past the break of the last line read into the scalar
    let contentEnd = lineStart; // past the break of the last content line
    let emptyLongest = 0;
    while (lineStart < this.length) {
      const spaces = this.spacesAt(lineStart);
      let j = lineStart + spaces;
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd === -1) lineEnd = this.length;
      const contentStop = text.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
      const next = lineEnd < this.length ? lineEnd + 1 : lineEnd;
      if (j >= contentStop) {
        // an empty line (only spaces)
        if (indent !== -1 && spaces > indent) this.fail('spaces past the indentation of a block scalar', lineStart);
        if (indent === -1) emptyLongest = Math.max(emptyLongest, spaces);
        lines.push('');
        end = next;
        lineStart = next;
        continue;
      }
      if (indent === -1) {
        if (spaces <= parent || (spaces === 0 && this.isDocumentMarker(lineStart))) break;
        if (text.charCodeAt(j) === TAB && spaces <= parent + 1) this.fail('a tab in a block scalar', j);
        if (emptyLongest > spaces) this.fail('a leading empty line longer than the block scalar indentation', lineStart);
        indent = spaces;
      } else if (spaces < indent) break;
      j = lineStart + indent;
      const line = text.slice(j, contentStop);
      lines.push(line);
      end = next;
      contentEnd = next;
      lineStart = next;
    }
    // lines holds content and empty lines up to `end`; the trailing empty ones are chomped
    let contentLines = lines.length;
    while (contentLines > 0 && lines[contentLines - 1] === '') contentLines--;
    let value: string;
    if (contentLines === 0) {
      if (chomp === 'keep') this.fail('an empty kept block scalar');
      value = '';
    } else {
      const body = lines.slice(0, contentLines);
      value = folded ? foldLines(body) : body.join('\n');
      const trailing = lines.length - contentLines;
      if (chomp === 'clip') value += '\n';
      else if (chomp === 'keep') value += '\n'.repeat(1 + trailing);
    }
    const rangeEnd = chomp === 'keep' ? end : contentLines === 0 ? Math.min(end, lineStart) : contentEnd;
    const scalar = newScalar(value, folded ? Scalar.BLOCK_FOLDED : Scalar.BLOCK_LITERAL, value, start, rangeEnd);
    // Stand at the break before the first line not in the scalar
    this.pos = lineStart >= this.length ? this.length : lineStart - 1;
    if (this.pos > 0 && this.pos < this.length && text.charCodeAt(this.pos) !== LF) this.fail('block scalar end');
    if (lineStart >= this.length) {
      this.pos = this.length;
      this.indent = -1;
    } else {
      this.nextContentLine();
    }
    return scalar;
  }

  // ------------------------------------------------------------ properties, aliases

  /** Tag and anchor before a node, in either order. `!!` tags but `!!str` are left to the yaml path; an unknown `!Tag` is an error. */
  properties(flow: boolean): Props | undefined {
    let props: Props | undefined;
    for (;;) {
      const c = this.code();
      if (c !== BANG && c !== AMP) return props;
      props ??= { end: this.pos };
      const start = this.pos;
      let i = start + 1;
      let name: string;
      if (c === BANG && this.code(i) === 60 /* < */) {
        ({ name, end: i } = this.verbatimTag(start));
      } else {
        while (i < this.length) {
          const d = this.text.charCodeAt(i);
          if (isBlank(d) || isBreak(d) || (flow && isFlowIndicator(d))) break;
          i++;
        }
        name = this.text.slice(start, i);
      }
      if (c === BANG) {
        if (props.tag !== undefined) this.fail('two tags', start);
        // Other `!!` tags and `!e!name`: valid YAML, left to the yaml path (never reported as an
        // unknown tag by the reader itself: a large file's reader error is final)
        const core = Object.hasOwn(CORE_SCALAR_TAGS, name) || name === '!!map' || name === '!!seq';
        if (!core && (name.startsWith('!<') || name.indexOf('!', 1) !== -1)) this.fail('a !! or named tag', start);
        if (name !== '!' && !core && !Object.hasOwn(INTRINSICS, name)) this.broken(`unknown tag ${name}: not a CloudFormation intrinsic function (!Ref, !GetAtt, !Sub, ...)`, start);
        props.tag = name;
      } else {
        if (props.anchor !== undefined || name.length === 1) this.fail('an anchor', start);
        props.anchor = name.slice(1);
      }
      props.end = i;
      this.pos = i;
      if (!this.endsToken(i)) this.fail('a property followed by a flow indicator', i);
      this.skipBlanks();
    }
  }

  /**
   * A verbatim tag (`!<tag:yaml.org,2002:str>`, `!<!Ref>`), as the short tag that names the
   * same: `!!str`, `!Ref`. Global tags of other vocabularies, and tags with %-escapes, are left
   * to the yaml path (which names an unknown one).
   */
  verbatimTag(start: number): { name: string; end: number } {
    const close = this.text.indexOf('>', start + 2);
    const inside = close === -1 ? '' : this.text.slice(start + 2, close);
    if (inside === '' || inside === '!' || /[\s%<>]/.test(inside)) this.fail('a verbatim tag', start);
    if (inside.startsWith(CORE_TAG_PREFIX)) return { name: `!!${inside.slice(CORE_TAG_PREFIX.length)}`, end: close + 1 };
    if (inside.startsWith('!') && inside.indexOf('!', 1) === -1) return { name: inside, end: close + 1 };
    this.fail('a global tag', start);
  }

  applyProps(node: Node, props: Props | undefined): void {
    if (!props) return;
    if (props.anchor !== undefined) {
      node.anchor = props.anchor;
      this.anchored = true;
    }
    if (props.tag === '!!str') {
      // The core schema's string tag: the scalar's text as it is (`!!str 010` is "010"), as the
      // yaml path and SnakeYAML read it; on a collection it is left to the yaml path
      if (!isScalar(node) || typeof node.source !== 'string') this.fail('!!str on a collection', props.end);
      node.tag = STR_TAG;
      node.value = node.source;
    } else if (props.tag !== undefined && Object.hasOwn(CORE_SCALAR_TAGS, props.tag)) {
      // `!!int 010`, `!!bool yes`, ...: the yaml path's own resolver of that tag, on a scalar
      // it recognises; anything else (`!!int abc`, a collection) is left to the yaml path
      const tag = CORE_SCALAR_TAGS[props.tag]!;
      const source = isScalar(node) ? node.source : undefined;
      if (typeof source !== 'string' || !tag.test.test(source)) this.fail(`${props.tag} on a value it does not read`, props.end);
      node.tag = tag.tag;
      (node as Scalar).value = tag.resolve(source, () => this.fail(`${props.tag} on a value it does not read`, props.end));
    } else if (props.tag === '!!map' || props.tag === '!!seq') {
      // The core schema's collection tags on the collection they name change nothing
      if (props.tag === '!!map' ? !isMap(node) : !isSeq(node)) this.fail(`${props.tag} on another kind of value`, props.end);
      node.tag = `tag:yaml.org,2002:${props.tag.slice(2)}`;
    } else if (props.tag === '!') {
      // The non-specific tag: SnakeYAML and PyYAML resolve the scalar as if it were plain (see resolve-anchors.ts)
      if (isScalar(node) && typeof node.source === 'string') node.value = this.plain(node.source, node.range?.[0] ?? 0);
    } else if (props.tag !== undefined) {
      node.tag = props.tag;
      if (isScalar(node) && typeof node.source === 'string') node.value = node.source;
    }
  }

  emptyNode(props: Props | undefined, at: number): Scalar {
    // A tagged empty node is the empty string (yaml resolves the tag on ''); an untagged one is null
    if (props?.tag !== undefined && props.tag !== '!!str' && (Object.hasOwn(CORE_SCALAR_TAGS, props.tag) || props.tag === '!!map' || props.tag === '!!seq')) this.fail(`${props.tag} on an empty value`, at);
    const tagged = props?.tag !== undefined && props.tag !== '!';
    const scalar = newScalar(tagged ? '' : null, Scalar.PLAIN, '', at, at);
    if (props?.anchor !== undefined) {
      scalar.anchor = props.anchor;
      this.anchored = true;
    }
    if (tagged) scalar.tag = props!.tag === '!!str' ? STR_TAG : props!.tag;
    return scalar;
  }

  alias(flow: boolean): Alias {
    const start = this.pos;
    let i = start + 1;
    while (i < this.length) {
      const d = this.text.charCodeAt(i);
      if (isBlank(d) || isBreak(d) || (flow && isFlowIndicator(d))) break;
      i++;
    }
    if (i === start + 1) this.fail('an alias without a name');
    this.anchored = true;
    const alias = new AliasNode(this.text.slice(start + 1, i), start, i) as unknown as Alias;
    this.pos = i;
    this.skipBlanks();
    if (this.code() === COLON && this.endsToken(this.pos + 1)) this.fail('an alias as a key');
    this.pos = i;
    return alias;
  }

  // ------------------------------------------------------------ quoted scalars

  quoted(): Scalar {
    const text = this.text;
    const start = this.pos;
    const double = text.charCodeAt(start) === DQUOTE;
    let value: string;
    let end: number;
    if (double) {
      [value, end] = this.doubleQuoted(start);
    } else {
      let i = start + 1;
      let plain = true;
      for (;;) {
        const q = text.indexOf("'", i);
        if (q === -1) this.unclosed(`${double ? 'double' : 'single'}-quoted scalar`, start);
        if (text.charCodeAt(q + 1) === SQUOTE) {
          plain = false;
          i = q + 2;
          continue;
        }
        end = q + 1;
        break;
      }
      const raw = text.slice(start + 1, end - 1);
      if (plain && raw.indexOf('\n') === -1 && raw.indexOf('\r') === -1) value = raw;
      else {
        this.checkMarkers(start, end);
        value = foldQuoted(raw).replace(/''/g, "'");
      }
    }
    const scalar = newScalar(value, double ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE, value, start, end);
    if (this.text.lastIndexOf('\n', end) > start) this.quoteClosedAt = end;
    this.pos = end;
    return scalar;
  }

  /** No `---` or `...` line inside a multi-line quoted scalar (the yaml path says where). */
  checkMarkers(start: number, end: number): void {
    for (let i = this.text.indexOf('\n', start); i !== -1 && i < end; i = this.text.indexOf('\n', i + 1)) {
      if (this.isDocumentMarker(i + 1)) this.fail('a document marker inside a quoted scalar', i + 1);
      this.checkFlowLine(i + 1);
    }
    const lone = this.text.slice(start, end).search(/\r(?!\n)/);
    if (lone !== -1) this.fail('a carriage return without a line feed', start + lone);
  }

  doubleQuoted(start: number): [string, number] {
    const text = this.text;
    let i = start + 1;
    // Fast path: no escapes, no line breaks
    const close = text.indexOf('"', i);
    if (close === -1) this.unclosed('double-quoted scalar', start);
    const simple = text.slice(i, close);
    if (simple.indexOf('\\') === -1 && simple.indexOf('\n') === -1 && simple.indexOf('\r') === -1) return [simple, close + 1];
    let out = '';
    let keep = 0; // out.length up to the last character that is not a blank from the source
    for (;;) {
      if (i >= this.length) this.unclosed('double-quoted scalar', start);
      const c = text.charCodeAt(i);
      if (c === DQUOTE) break;
      if (c === 92 /* \ */) {
        const e = text.charCodeAt(i + 1);
        if (isBreak(e)) {
          // an escaped line break: joined without a space, the next line's leading blanks dropped
          i += e === CR && text.charCodeAt(i + 2) === LF ? 3 : 2;
          if (e === CR && text.charCodeAt(i - 1) !== LF) this.fail('a carriage return without a line feed', i);
          if (this.isDocumentMarker(i)) this.fail('a document marker inside a quoted scalar', i);
          this.checkFlowLine(i);
          while (isBlank(text.charCodeAt(i))) i++;
          if (isBreak(text.charCodeAt(i))) this.fail('an empty line after an escaped line break', i);
          keep = out.length;
          continue;
        }
        const [decoded, length] = this.escape(i);
        out += decoded;
        keep = out.length;
        i += length;
        continue;
      }
      if (isBreak(c)) {
        out = out.slice(0, keep);
        let breaks = 0;
        while (i < this.length) {
          const d = text.charCodeAt(i);
          if (d === CR) {
            if (text.charCodeAt(i + 1) !== LF) this.fail('a carriage return without a line feed', i);
            i++;
            continue;
          }
          if (d !== LF) break;
          breaks++;
          i++;
          if (this.isDocumentMarker(i)) this.fail('a document marker inside a quoted scalar', i);
          this.checkFlowLine(i);
          while (isBlank(text.charCodeAt(i))) i++;
        }
        out += breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
        keep = out.length;
        continue;
      }
      // a run of ordinary characters
      let j = i + 1;
      for (; j < this.length; j++) {
        const d = text.charCodeAt(j);
        if (d === DQUOTE || d === 92 || isBreak(d)) break;
      }
      const run = text.slice(i, j);
      out += run;
      let k = run.length;
      while (k > 0 && isBlank(run.charCodeAt(k - 1))) k--;
      if (k > 0) keep = out.length - (run.length - k);
      i = j;
    }
    return [out, i + 1];
  }

  /** One escape sequence at `at` (the backslash): its text and its length. */
  escape(at: number): [string, number] {
    const e = this.text[at + 1];
    const simple = ESCAPES[e ?? ''];
    if (simple !== undefined) return [simple, 2];
    const digits = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (digits === 0) this.fail('an unknown escape', at);
    const hex = this.text.slice(at + 2, at + 2 + digits);
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) this.fail('a bad escape', at);
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) this.fail('a bad escape', at);
    return [String.fromCodePoint(code), 2 + digits];
  }

  // ------------------------------------------------------------ flow context

  flowCollection(): YAMLMap | YAMLSeq {
    this.enter();
    if (this.depth > this.deepest) this.deepest = this.depth;
    const start = this.pos;
    const isMap = this.code() === LBRACE;
    const close = isMap ? RBRACE : RBRACKET;
    const node = (isMap ? new MapNode(true) : new SeqNode(true)) as unknown as YAMLMap | YAMLSeq;
    const base = this.top;
    this.pos++;
    this.flowSpace();
    for (;;) {
      const c = this.code();
      if (c === close) break;
      if (this.pos >= this.length) this.unclosed(isMap ? 'flow mapping ({)' : 'flow sequence ([)', start);
      if (isMap) {
        const pair = this.flowPair();
        this.scratch[this.top++] = pair;
      } else {
        const item = this.flowNode();
        this.flowSpace();
        if (this.code() === COLON) this.fail('a mapping inside a flow sequence');
        this.scratch[this.top++] = item;
      }
      this.flowSpace();
      const d = this.code();
      if (d === COMMA) {
        this.pos++;
        this.flowSpace();
        if (this.code() === COMMA) this.broken('an empty entry');
      } else if (d !== close) {
        if (this.pos >= this.length) this.unclosed(isMap ? 'flow mapping ({)' : 'flow sequence ([)', start);
        this.broken('expected , or the end of the collection');
      }
    }
    this.pos++;
    node.items = this.takeItems(base) as never;
    setRange(node, start, this.pos);
    if (isMap) checkKeys(node as YAMLMap, this.duplicates, this.drops);
    this.depth--;
    return node;
  }

  flowPair(): Pair {
    const c = this.code();
    if (c === QUESTION && this.endsToken(this.pos + 1)) this.fail('an explicit key');
    let nonSpecific = false;
    if (c === BANG && this.endsToken(this.pos + 1)) {
      nonSpecific = true;
      this.pos++;
      this.flowSpace();
    }
    const d = this.code();
    let key: Scalar;
    let adjacent = false;
    if (d === SQUOTE || d === DQUOTE) {
      key = this.quoted();
      if (nonSpecific) key.value = this.plain(key.value as string, key.range![0]);
      adjacent = true;
    } else if (this.startsPlain(this.pos, true)) {
      key = this.plainFlow(false);
      if (nonSpecific) key.value = this.plain(key.source as string, key.range![0]);
    } else this.fail('an unusual key in a flow mapping');
    this.flowSpace();
    if (this.code() !== COLON) return new PairNode(key, null) as unknown as Pair; // `{a, b}`: keys without values
    const next = this.code(this.pos + 1);
    if (!adjacent && !(this.endsToken(this.pos + 1) || isFlowIndicator(next))) this.fail('a colon inside a key');
    this.pos++;
    this.flowSpace();
    const e = this.code();
    if (e === COMMA || e === RBRACE) this.fail('an empty value in a flow mapping');
    return new PairNode(key, this.flowNode()) as unknown as Pair;
  }

  flowNode(): Node {
    const props = this.properties(true);
    const c = this.code();
    let node: Node;
    if (c === LBRACKET || c === LBRACE) node = this.flowCollection();
    else if (c === SQUOTE || c === DQUOTE) node = this.quoted();
    else if (c === STAR) {
      if (props) this.fail('properties on an alias');
      node = this.alias(true);
    } else if (this.startsPlain(this.pos, true)) node = this.plainFlow(true);
    else this.fail('an empty or unusual value in a flow collection');
    this.applyProps(node, props);
    return node;
  }

  /** A plain scalar in flow context, on one line. */
  plainFlow(multiline: boolean): Scalar {
    const text = this.text;
    const start = this.pos;
    let end = this.plainFlowLineEnd(start);
    let i = this.flowStop;
    let source = text.slice(start, end);
    // Lines it goes on over (a value, not a key: implicit keys stay on one line), folded as in
    // block context: one break is a space, n breaks are n-1 newlines
    while (isBreak(text.charCodeAt(i))) {
      let j = i;
      let breaks = 0;
      let lineStart = j;
      for (;;) {
        if (text.charCodeAt(j) === CR) {
          if (text.charCodeAt(j + 1) !== LF) this.fail('a carriage return without a line feed', j);
          j++;
        }
        if (text.charCodeAt(j) !== LF) break;
        breaks++;
        j++;
        lineStart = j;
        if (this.isDocumentMarker(j)) this.fail('a document marker inside a flow collection', j);
        while (text.charCodeAt(j) === SPACE) j++;
        if (text.charCodeAt(j) === TAB) this.fail('a tab in a flow collection', j);
      }
      const d = text.charCodeAt(j);
      if (j >= this.length || isFlowIndicator(d) || d === COLON || d === HASH) break; // it ends here; the collection reads on
      if (!multiline) this.fail('a plain scalar on several lines in a flow collection', j);
      // Not the leniency of flow collections (see the top): the yaml path reads a continued line
      // only deeper than the key, in a collection it reads; the reader must not accept more
      if (j - lineStart <= this.flowParent || this.lenientAt !== undefined) this.fail('a plain scalar on several lines in a flow collection', j);
      const lineEnd = this.plainFlowLineEnd(j);
      // A continued line that ends in a `:` or a comment: left to the yaml path
      const stop = text.charCodeAt(this.flowStop);
      if (stop === COLON || stop === HASH) this.fail('a plain scalar on several lines in a flow collection', j);
      source += breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
      source += text.slice(j, lineEnd);
      end = lineEnd;
      i = this.flowStop;
    }
    const scalar = newScalar(this.plain(source, start), Scalar.PLAIN, source, start, end);
    this.pos = end;
    return scalar;
  }

  /** Where plainFlowLineEnd stopped: a break, a flow indicator, a `: `, a ` #` or the end. */
  flowStop = 0;

  /** End of a plain scalar's text on one line in flow context (trailing blanks dropped). */
  plainFlowLineEnd(at: number): number {
    const text = this.text;
    let end = at;
    let i = at;
    for (; i < this.length; i++) {
      const c = text.charCodeAt(i);
      if (isBreak(c) || isFlowIndicator(c)) break;
      if (c === COLON) {
        const next = text.charCodeAt(i + 1);
        if (this.endsToken(i + 1) || isFlowIndicator(next)) break;
      }
      if (c === HASH && isBlank(text.charCodeAt(i - 1))) break;
      if (!isBlank(c)) end = i + 1;
    }
    this.flowStop = i;
    return end;
  }

  /** Blanks, line breaks and comments between flow tokens. */
  flowSpace(): void {
    const text = this.text;
    let i = this.pos;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === SPACE || c === TAB) i++;
      else if (c === LF) {
        i++;
        if (this.isDocumentMarker(i)) this.fail('a document marker inside a flow collection', i);
        this.checkFlowLine(i);
      } else if (c === CR) {
        if (text.charCodeAt(i + 1) !== LF) this.fail('a carriage return without a line feed', i);
        i++;
      } else if (c === HASH && (i === 0 || isBlank(text.charCodeAt(i - 1)) || isBreak(text.charCodeAt(i - 1)))) {
        const end = text.indexOf('\n', i);
        i = end === -1 ? this.length : end;
      } else break;
    }
    this.pos = i;
  }
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

/** A single-quoted scalar's lines folded: one break is a space, n+1 breaks are n newlines; blanks around breaks dropped. */
function foldQuoted(raw: string): string {
  const lines = raw.split(/\r?\n/);
  let out = lines[0]!.replace(/[ \t]+$/, '');
  let breaks = 0;
  for (let i = 1; i < lines.length; i++) {
    const last = i === lines.length - 1;
    const line = last ? lines[i]!.replace(/^[ \t]+/, '') : lines[i]!.replace(/^[ \t]+|[ \t]+$/g, '');
    breaks++;
    if (line === '' && !last) continue;
    out += breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
    out += line;
    breaks = 0;
  }
  return out;
}

/**
 * A folded block scalar's lines (YAML 1.2 8.1.3): the break between two lines of text is a
 * space, or is dropped when empty lines (one newline each) come between; next to a
 * more-indented line (one that starts with a blank) every break is kept; leading empty lines
 * are newlines.
 */
function foldLines(lines: string[]): string {
  let out = '';
  let previous: 'none' | 'text' | 'indented' = 'none';
  let empty = 0;
  for (const line of lines) {
    if (line === '') {
      empty++;
      continue;
    }
    const indented = isBlank(line.charCodeAt(0));
    if (previous === 'none') out += '\n'.repeat(empty);
    else if (previous === 'text' && !indented) out += empty === 0 ? ' ' : '\n'.repeat(empty);
    else out += '\n'.repeat(empty + 1);
    out += line;
    previous = indented ? 'indented' : 'text';
    empty = 0;
  }
  return out;
}
