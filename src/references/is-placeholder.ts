// What is not looked up: names and accounts that only stand for something (documentation
// accounts, example names, templates still to be filled in) and files that hold test data.
// Pure. Precision over recall: a reference that is looked up and "not found" can block an
// AI-authored pull request, so anything that reads like a placeholder is left alone.

/**
 * Account ids AWS documentation and SDK examples use (`123456789012` in the CLI and SDK
 * references, `111122223333` / `444455556666` in IAM and policy examples), and any id made
 * of one repeated digit (`000000000000`, `111111111111`: LocalStack and moto default to
 * `000000000000` and `123456789012`).
 */
const DOCS_ACCOUNTS = new Set(['123456789012', '012345678901', '210987654321', '111122223333', '444455556666', '777788889999', '098765432109']);

export function isDocsAccount(account: string): boolean {
  return DOCS_ACCOUNTS.has(account) || /^(\d)\1{11}$/.test(account);
}

/**
 * A name that stands for one: `example` anywhere (`DOC-EXAMPLE-BUCKET`, `example.com`,
 * `my-example-queue`), `placeholder`, `changeme`, `your-…` / `<…>`, `xxx`, and template
 * syntax (`${VAR}`, `{{ var }}`, `%s`, `$(VAR)`, `#{var}`).
 */
const PLACEHOLDER = /example|placeholder|change-?me|\byour[-_]|xxx|dummy|<|>|\$\{|\$\(|\{\{|%[sd(]|#\{/i;

export function isPlaceholderName(name: string): boolean {
  return PLACEHOLDER.test(name);
}

/**
 * Files that hold test data, fixtures or mocks: their names are not meant to exist live.
 * Directories `test(s)`, `__tests__`, `spec(s)`, `fixture(s)`, `__fixtures__`, `__mocks__`,
 * `mock(s)`, `testdata`, `e2e`; files `*.test.*`, `*.spec.*`, `*_test.go`, `test_*.py`,
 * `*_test.py`, `*Test.java`, `*Tests.java`.
 */
const TEST_DIR = /(^|\/)(tests?|__tests__|specs?|fixtures?|__fixtures__|__mocks__|mocks?|testdata|e2e)\//i;
const TEST_FILE = /(\.(test|spec)\.[a-z0-9]+|_test\.(go|py)|Tests?\.java)$|(^|\/)test_[^/]*\.py$/;

export function isTestPath(path: string): boolean {
  return TEST_DIR.test(path) || TEST_FILE.test(path);
}

/** Files read for lock data, minified bundles and source maps: generated, never hand-written references. */
const GENERATED = /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|go\.sum|poetry\.lock|Pipfile\.lock|Cargo\.lock)$|\.(min\.js|map|lock)$/;

export function isGeneratedPath(path: string): boolean {
  return GENERATED.test(path);
}
