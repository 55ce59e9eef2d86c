// The answer to `/realitycheck reconcile` (and the check run's `Open reconcile PR` button):
// one line per target. Target names and reasons are untrusted text: code spans, escaped.
import { codeSpan, escapeText } from '../report/escape-markdown.js';
import type { TargetReconcile } from './run-reconcile.js';

export type ReconcileReply =
  | { kind: 'done'; results: TargetReconcile[] }
  | { kind: 'off' }
  | { kind: 'no-config' }
  | { kind: 'config-error' }
  | { kind: 'untouched' };

export function renderReconcileReply(reply: ReconcileReply): string {
  switch (reply.kind) {
    case 'off':
      return 'Reconcile is off for this repository (`reconcile.mode: off` in `.github/realitycheck.yml` on the default branch): no reconcile pull request was opened.';
    case 'no-config':
      return 'This repository has no `.github/realitycheck.yml` on its default branch: there is no target to reconcile.';
    case 'config-error':
      return '`.github/realitycheck.yml` on the default branch is invalid (the **Reality check** run says where): nothing was reconciled.';
    case 'untouched':
      return 'This pull request touches no configured target: there is nothing to reconcile.';
    case 'done':
      return ['**Reconcile**', '', ...reply.results.map(line)].join('\n');
  }
}

function line(result: TargetReconcile): string {
  const name = codeSpan(result.target);
  if ('failed' in result) return `- ${name}: could not reconcile: ${escapeText(result.failed)}`;
  const { outcome } = result;
  switch (outcome.action) {
    case 'opened':
      return `- ${name}: opened #${outcome.number} with the live values.`;
    case 'refreshed':
      return `- ${name}: refreshed #${outcome.number} with the live values.`;
    case 'unchanged':
      return `- ${name}: #${outcome.number} already holds this drift; nothing changed.`;
    case 'closed':
      return `- ${name}: nothing left to write back; closed #${outcome.number}.`;
    case 'clean':
      return `- ${name}: live matches the code on the default branch; nothing to reconcile.`;
    case 'manual':
      return `- ${name}: the live changes cannot be written back by the app (expressions, secrets or deleted resources); the summary comment lists them.`;
    case 'declined':
      return `- ${name}: a reconcile pull request with this very drift was closed without merging; it is not opened again until the drift changes.`;
    case 'kept':
      return `- ${name}: live state was not read in full; ${outcome.number ? `#${outcome.number} is left as it is` : 'nothing was opened'}.`;
  }
}
