// `/realitycheck <command>` at the start of a line of a pull request comment.
export type CommandName = 'recheck' | 'help' | 'reconcile';

export type Command = { name: CommandName } | { name: 'unknown'; given: string };

const KNOWN: readonly CommandName[] = ['recheck', 'help', 'reconcile'];
const LINE = /^\s*\/realitycheck(?:\s+(\S+))?\s*$/im;

/** The first command in a comment, or `undefined` when it has none. Quoted lines (`> /realitycheck ...`) do not count. */
export function parseCommand(body: string | null | undefined): Command | undefined {
  if (!body) return undefined;
  const match = LINE.exec(body.slice(0, 10_000));
  if (!match) return undefined;
  const word = (match[1] ?? 'help').toLowerCase();
  return (KNOWN as readonly string[]).includes(word) ? { name: word as CommandName } : { name: 'unknown', given: word.slice(0, 40) };
}
