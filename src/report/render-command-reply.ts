// Replies to `/realitycheck` commands. The user's login and words are untrusted text.
import { codeSpan, escapeText } from './escape-markdown.js';
import { render } from './read-templates.js';

export type CommandReply =
  | { kind: 'help' }
  | { kind: 'refused'; user: string; permission: string }
  | { kind: 'unknown'; given: string }
  | { kind: 'unavailable'; command: string; why: string };

export function renderCommandReply(reply: CommandReply): string {
  switch (reply.kind) {
    case 'help':
      return render('help', { notice: '' });
    case 'refused':
      return render('help', {
        notice: `Sorry, ${codeSpan(reply.user)}: only people with write, maintain or admin permission on this repository can run realitycheck commands (yours is ${codeSpan(reply.permission)}). Nothing was run.`,
      });
    case 'unknown':
      return render('help', { notice: `${codeSpan(`/realitycheck ${reply.given}`)} is not a realitycheck command.` });
    case 'unavailable':
      return render('help', { notice: `${codeSpan(`/realitycheck ${reply.command}`)} is not available: ${escapeText(reply.why)}` });
  }
}
