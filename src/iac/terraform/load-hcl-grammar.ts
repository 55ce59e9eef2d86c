// Loads the tree-sitter runtime and the Terraform grammar (both WebAssembly, shipped in their
// npm packages) once per process. Loading reads two files, so it is asynchronous; after it,
// parseHclSyntax is synchronous.
//
// Versions (checked 2026-12, Node 20.20): web-tree-sitter 0.27.2 accepts parser ABI 13–15
// (its README's compatibility table, and `Incompatible language version` in setLanguage
// otherwise); @tree-sitter-grammars/tree-sitter-hcl 1.2.0 ships `tree-sitter-terraform.wasm`
// (ABI 14, `dylink.0` linking section, which 0.26+ runtimes need) beside the plain-HCL
// `tree-sitter-hcl.wasm`. We load the Terraform dialect, as its `tree-sitter.json` maps
// `.tf` and `.tfvars` to it. Neither package declares `engines`; both load on Node 20. The
// grammar package's native binding (install script, optional `tree-sitter` peer) is not used.
import { createRequire } from 'node:module';
import { Language, Parser, type Tree } from 'web-tree-sitter';

const GRAMMAR_WASM = '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm';

let loading: Promise<void> | undefined;
let parser: Parser | undefined;

/** Loads the grammar once; later calls return the same promise. A failed load may be tried again. */
export function loadHclGrammar(): Promise<void> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw new Error(`could not load the Terraform grammar (${GRAMMAR_WASM}): ${error instanceof Error ? error.message : String(error)}`);
  });
  return loading;
}

async function load(): Promise<void> {
  const require = createRequire(import.meta.url);
  await Parser.init();
  const language = await Language.load(require.resolve(GRAMMAR_WASM));
  const instance = new Parser();
  instance.setLanguage(language);
  parser = instance;
}

export function isHclGrammarLoaded(): boolean {
  return parser !== undefined;
}

/**
 * The syntax tree of one file. The caller must `delete()` it when done (it lives in
 * WebAssembly memory). Throws when loadHclGrammar has not finished: a programming error.
 */
export function parseHclSyntax(text: string): Tree {
  if (!parser) throw new Error('parseHclSyntax called before loadHclGrammar() finished');
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}
