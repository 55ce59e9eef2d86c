// Moved to values/secret-name.ts (live/ needs it too, and may not import analyze/); kept so
// imports from here still work.
export { REDACTED, isSecretName, isSecretPath } from '../values/secret-name.js';
