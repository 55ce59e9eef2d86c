// What the scope and declared steps could not check, said plainly: a target kind this
// version does not check, a head file GitHub could not serve
// (`unreadable`, warn: the verdict applies `policy.unreadable`), and a template the pull
// request moves (`config-error`, info: the config must follow it), and what the parser read
// from the head template but warns about (`unparseable`, info: a key written twice).
import type { Finding, ScopeNote } from '../../types.js';

export function scopeNoteFindings(target: string, notes: readonly ScopeNote[]): Finding[] {
  return notes.map((note): Finding => {
    const unreadable = (message: string): Finding => ({ rule: 'unreadable', severity: 'warn', target, message, evidence: [] });
    switch (note.kind) {
      case 'unsupported-target':
        return unreadable(`Terraform targets are not supported by this version of realitycheck, so ${note.dir} was not checked against live state.`);
      case 'missing-head':
        return unreadable(`${note.file} could not be read at the head commit although the pull request lists it as changed, so nothing was compared.`);
      case 'template-moved':
        return {
          rule: 'config-error',
          severity: 'info',
          target,
          message: `This pull request moves ${note.from} to ${note.to}: after merging, point template in ${note.configFile} at the new path, or realitycheck stops checking it.`,
          file: note.to,
          evidence: [],
        };
      case 'template-warning':
        return {
          rule: 'unparseable',
          severity: 'info',
          target,
          message: `${note.warning.file} line ${note.warning.line}: ${note.warning.message}.`,
          file: note.warning.file,
          span: { startLine: note.warning.line, endLine: note.warning.line },
          evidence: [],
        };
    }
  });
}

/** A note that leaves something unchecked: the target's live state does not count as read in full. */
export function leavesUnchecked(note: ScopeNote): boolean {
  return note.kind !== 'template-moved' && note.kind !== 'template-warning';
}
