// Logical ids a resource names through Ref, Fn::GetAtt and Fn::Sub (`${X}`, `${X.Attr}`).
// Pseudo parameters (AWS::Region), literals (`${!Literal}`) and Fn::Sub's own variables are
// not ids. Every named id is kept; whether it is a resource or a parameter is the
// analyzer's business.

export function computeReferences(properties: unknown, dependsOn: readonly string[]): string[] {
  const found = new Set<string>();
  visit(properties, found);
  for (const id of dependsOn) found.add(id);
  return [...found];
}

// No array per object (Object.keys) or per match (matchAll, split): this runs over every value
// of a template, and what it allocated was an eighth of a 1 MB template's parse (`npm run bench`).
function visit(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) visit(value[i], found);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  // One pass (a second for-in over a mapping of 70,000 keys collects them all again): the
  // first child waits until a second key shows it is no intrinsic, whose names come first
  const record = value as Record<string, unknown>;
  let first: string | undefined;
  let more = false;
  for (const key in record) {
    if (first === undefined) {
      first = key;
      continue;
    }
    if (!more) {
      visit(record[first], found);
      more = true;
    }
    visit(record[key], found);
  }
  if (first !== undefined && !more) {
    addIntrinsic(first, record[first], found);
    visit(record[first], found);
  }
}

function addIntrinsic(name: string, argument: unknown, found: Set<string>): void {
  if (name === 'Ref' && typeof argument === 'string') add(argument, found);
  if (name === 'Fn::GetAtt') {
    const target = Array.isArray(argument) ? argument[0] : typeof argument === 'string' ? beforeDot(argument) : undefined;
    if (typeof target === 'string') add(target, found);
  }
  if (name === 'Fn::Sub') {
    if (typeof argument === 'string') forEachSubVariable(argument, NO_LOCALS, (id) => add(id, found));
    if (Array.isArray(argument) && typeof argument[0] === 'string') {
      const locals = argument[1] !== null && typeof argument[1] === 'object' ? new Set(Object.keys(argument[1])) : NO_LOCALS;
      forEachSubVariable(argument[0], locals, (id) => add(id, found));
    }
  }
}

const NO_LOCALS: ReadonlySet<string> = new Set();

/**
 * The names a Fn::Sub string refers to (`${X}` and `${X.Attr}` give `X`), leaving out
 * literals (`${!Literal}`) and the variables of its own variable map (`locals`).
 */
export function subVariableIds(text: string, locals: ReadonlySet<string>): string[] {
  const ids: string[] = [];
  forEachSubVariable(text, locals, (id) => ids.push(id));
  return ids;
}

/**
 * Each `${name}` of a Fn::Sub string. A name holds neither `{` nor `}`: so each `${` is
 * scanned only to the next brace, and an unclosed `${${${…` stays linear (scanning every `${`
 * to the end of the string was quadratic: 195 KB took 15 s of CPU).
 */
function forEachSubVariable(text: string, locals: ReadonlySet<string>, use: (id: string) => void): void {
  let from = 0;
  for (;;) {
    const open = text.indexOf('${', from);
    if (open === -1) return;
    let close = open + 2;
    let c = text.charCodeAt(close);
    while (close < text.length && c !== 123 /* { */ && c !== 125 /* } */) c = text.charCodeAt(++close);
    if (c !== 125) {
      // `${` then `{` or the end: no variable starts here; the next `${` may start at that `{`'s `$`
      from = open + 1;
      continue;
    }
    from = close + 1;
    const inside = text.slice(open + 2, close).trim();
    if (inside.startsWith('!') || locals.has(inside)) continue;
    const id = beforeDot(inside);
    if (!locals.has(id)) use(id);
  }
}

function beforeDot(text: string): string {
  const dot = text.indexOf('.');
  return dot === -1 ? text : text.slice(0, dot);
}

function add(id: string, found: Set<string>): void {
  if (id && !id.startsWith('AWS::')) found.add(id);
}
