// unsafe-state: the stack is in a status from which a deploy fails or is unsafe.
import type { Finding } from '../../types.js';
import { type RuleContext, stackFinding } from '../context.js';

/**
 * Safe: every `*_COMPLETE` status (UPDATE_COMPLETE, UPDATE_ROLLBACK_COMPLETE,
 * IMPORT_COMPLETE, ...) except ROLLBACK_COMPLETE and DELETE_COMPLETE. Anything else,
 * including a status this code does not know, is reported: never assume safe.
 */
export function unsafeStatusAdvice(status: string): string | undefined {
  if (status === 'ROLLBACK_COMPLETE') return 'its creation failed and it can only be deleted. Delete the stack, then deploy again';
  if (status === 'DELETE_COMPLETE') return 'it has been deleted. Point the target at the stack that runs now, or create it again';
  if (status.endsWith('_COMPLETE')) return undefined;
  if (status === 'REVIEW_IN_PROGRESS') return 'it was created for a change set that was never executed. Execute or delete that change set, then recheck';
  if (status.endsWith('_IN_PROGRESS')) return 'another operation is running, so a deploy now fails. Wait for it to finish, then recheck';
  if (status === 'UPDATE_ROLLBACK_FAILED') {
    return 'no update can start until the rollback finishes. Fix what blocked it (see the stack events) and continue the rollback (aws cloudformation continue-update-rollback), then recheck';
  }
  if (status === 'DELETE_FAILED') return 'a delete stopped half-way. Retry or finish the delete (the stack events name the resource that blocked it) before deploying';
  if (status.endsWith('_FAILED')) {
    return 'its last operation failed and left it where a deploy cannot start. Resolve it in CloudFormation (the stack events name the failing resource), then recheck';
  }
  return 'realitycheck does not know this status to be safe. Check the stack before deploying';
}

export function unsafeStateFindings(ctx: RuleContext): Finding[] {
  const stack = ctx.input.live.stack;
  if (!stack) return [];
  const advice = unsafeStatusAdvice(stack.status);
  if (advice === undefined) return [];
  const reason = stack.statusReason ? ` (${stack.statusReason})` : '';
  const message = `Stack ${stack.name} is ${stack.status}${reason}: ${advice}.`;
  return [stackFinding(ctx, { rule: 'unsafe-state', severity: 'block', message })];
}
