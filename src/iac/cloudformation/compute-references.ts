// Logical ids a resource names through Ref, Fn::GetAtt and Fn::Sub (`${X}`, `${X.Attr}`).
// Pseudo parameters (AWS::Region), literals (`${!Literal}`) and Fn::Sub's own variables are
// not ids. Every named id is kept; whether it is a resource or a parameter is the
// analyzer's business.

// `{` is excluded from the name too: with `[^}]*` every `${` of an unclosed `${${${…` scanned
// to the end of the string (quadratic: 195 KB took 15 s of CPU). A name never holds `{`, so a
// valid Sub string reads the same, and each scan now stops at the next brace (linear).
const SUB_VARIABLE = /\$\{([^{}]*)\}/g;

export function computeReferences(properties: unknown, dependsOn: readonly string[]): string[] {
  const found = new Set<string>();
  visit(properties, found);
  for (const id of dependsOn) found.add(id);
  return [...found];
}

function visit(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) visit(item, found);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  // Object.keys, not Object.entries: no [key, value] array per entry (a flow map of 70,000
  // keys spent a tenth of its parse here, --cpu-prof)
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1) addIntrinsic(keys[0]!, record[keys[0]!], found);
  for (const key of keys) visit(record[key], found);
}

function addIntrinsic(name: string, argument: unknown, found: Set<string>): void {
  if (name === 'Ref' && typeof argument === 'string') add(argument, found);
  if (name === 'Fn::GetAtt') {
    const target = Array.isArray(argument) ? argument[0] : typeof argument === 'string' ? argument.split('.')[0] : undefined;
    if (typeof target === 'string') add(target, found);
  }
  if (name === 'Fn::Sub') {
    if (typeof argument === 'string') addSubVariables(argument, new Set(), found);
    if (Array.isArray(argument) && typeof argument[0] === 'string') {
      const locals = argument[1] !== null && typeof argument[1] === 'object' ? Object.keys(argument[1]) : [];
      addSubVariables(argument[0], new Set(locals), found);
    }
  }
}

function addSubVariables(text: string, locals: Set<string>, found: Set<string>): void {
  for (const id of subVariableIds(text, locals)) add(id, found);
}

/**
 * The names a Fn::Sub string refers to (`${X}` and `${X.Attr}` give `X`), leaving out
 * literals (`${!Literal}`) and the variables of its own variable map (`locals`).
 */
export function subVariableIds(text: string, locals: ReadonlySet<string>): string[] {
  const ids: string[] = [];
  for (const match of text.matchAll(SUB_VARIABLE)) {
    const inside = (match[1] ?? '').trim();
    if (inside.startsWith('!') || locals.has(inside)) continue;
    const id = inside.split('.')[0] ?? '';
    if (!locals.has(id)) ids.push(id);
  }
  return ids;
}

function add(id: string, found: Set<string>): void {
  if (id && !id.startsWith('AWS::')) found.add(id);
}
