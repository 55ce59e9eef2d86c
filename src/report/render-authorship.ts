// The evidence for "AI-authored": which signal, which commit. Details are untrusted text.
import type { RunResult } from '../types.js';
import { codeSpan, escapeText } from './escape-markdown.js';
import { render } from './read-templates.js';

const SHOWN = 5;
const KIND = { author: 'author', 'commit-author': 'commit author', trailer: 'commit trailer', marker: 'marker', branch: 'branch', label: 'label' } as const;

export function renderAuthorship(run: RunResult): string {
  const authorship = run.authorship;
  if (!authorship || authorship.signals.length === 0) return '';
  return render('authorship', {
    strict: authorship.policy === 'strict',
    signals: authorship.signals.slice(0, SHOWN).map((s) => {
      const kind = KIND[s.kind as keyof typeof KIND] ?? s.kind;
      // `detail` already names the commit(s) it was found in.
      return `${escapeText(s.agent)} — ${kind} ${codeSpan(s.detail)}`;
    }),
    omitted: Math.max(0, authorship.signals.length - SHOWN),
  });
}
