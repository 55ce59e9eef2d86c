// The Terraform declared layer: HCL -> addressed blocks with exact spans, and what a pull
// request changes. Pure parsing: no GitHub, no AWS (the caller reads the files).
//
// Design notes
// - Parser: web-tree-sitter + the Terraform dialect of @tree-sitter-grammars/tree-sitter-hcl,
//   both WebAssembly from their npm packages (load-hcl-grammar.ts has the version checks).
//   `await loadHclGrammar()` once per process; everything after is synchronous. hcl2-parser
//   was rejected (DESIGN.md: no positions, silent failures, ~0.2 MB/s).
// - Input: `parseRoot(dir, files)` takes a map of repository path -> text holding the root's
//   files and those of its local modules (`source = "./…"` / `"../…"`, followed recursively,
//   at most MAX_MODULE_DEPTH deep and MAX_MODULE_INSTANCES in all; a cycle is a located
//   problem). A module whose directory has no `.tf` in the map is a `missing-module` problem
//   with `moduleDir`, so the caller can read that directory and call again. Registry and git
//   modules are not followed: their resources map to the module block (declaringBlock,
//   `exact: false`). `terraform.tfvars` / `*.auto.tfvars` of the root set variable values;
//   override files are merged as Terraform does; `*.tf.json` is listed in `skippedFiles`.
// - Addresses: one TerraformBlock per declared block and module instance path, without
//   instance keys (`module.q.aws_sqs_queue.jobs`; a module called twice gives two blocks
//   sharing one body). `declaringBlock(root, 'module.q["a"].aws_sqs_queue.jobs[0]')` maps a
//   plan/state address back to its block.
// - Spans: every block, attribute and nested block has lines (1-based, inclusive) and its
//   range in UTF-8 bytes and in UTF-16 offsets (TerraformSpan). Nested blocks are keyed by
//   path: type, labels, then `[i]` among siblings of that type and labels, always written
//   (`lifecycle[0]`, `ingress[1].from_port`, `dynamic.ingress[0].content[0]`).
// - Values: literals are evaluated (quoted strings with escapes, numbers, bools, null,
//   heredocs incl. `<<-` indentation, tuples/objects of literals); other expressions stay
//   source text with a normalized form (comments and layout dropped) and their references.
//   tree-sitter delimits blocks, attributes and expressions (walked with a TreeCursor); the
//   expression text itself is read by a small lexer (to-hcl-value.ts): each Node touched from
//   JavaScript costs several WebAssembly calls, and the tree-sitter parse is most of the time.
// - Variable defaults and tfvars values of `sensitive` variables are kept like any value:
//   whoever renders them must redact (TerraformVariable.sensitive says which).
// - Syntax errors: tree-sitter ERROR and MISSING nodes become `syntax` problems with file,
//   line, column and a short message (a missing `{` is reported on the header's line, a
//   missing `}` before the top-level block it swallowed). Blocks that contain an error are
//   left out; the other blocks and files are still read. Problem messages never quote
//   strings or numbers from the file (a value there may be a secret).
// - Files are parsed once per content (parse-cache.ts, bounded): base and head, and every
//   push of a pull request, share most files. Parsed files are frozen: treat a TerraformRoot
//   as read-only.
// - Changes: computeTerraformChanges(base, head) compares by address and propagates through
//   var / local / module input / module output / data source / provider (see that file).
export { loadHclGrammar } from './load-hcl-grammar.js';
export { parseHclFile, type HclBlock, type HclFile } from './parse-hcl-file.js';
export { parseRoot, MAX_MODULE_DEPTH, MAX_MODULE_INSTANCES } from './parse-root.js';
export { blockAddress, declaringBlock, parseAddress, type ParsedAddress } from './parse-address.js';
export { computeTerraformChanges } from './compute-terraform-changes.js';
