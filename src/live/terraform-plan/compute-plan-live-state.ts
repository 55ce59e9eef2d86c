// Pure. A found plan as the pipeline's LiveState: the plan's refresh is the drift detection,
// its timestamp is when live state was read, and the run that made it is named as the source.
import type { LiveState } from '../../types.js';
import type { PlanRunRef, TerraformPlan } from './types.js';

export const PLAN_SOURCE = 'terraform-plan';

export function computePlanLiveState(target: string, plan: TerraformPlan, run: PlanRunRef): LiveState {
  // The plan's own timestamp is when Terraform refreshed; a plan without one (older
  // Terraform) was made no later than its run last changed.
  const readAt = plan.timestamp ?? run.updatedAt ?? run.createdAt;
  const incomplete = plan.complete === false;
  return {
    target,
    source: PLAN_SOURCE,
    readAt,
    drift: {
      reused: false,
      checkedAt: readAt,
      status: incomplete ? 'DETECTION_FAILED' : 'DETECTION_COMPLETE',
      ...(incomplete ? { statusReason: 'the plan is incomplete: Terraform deferred some changes (unknown count or for_each)' } : {}),
      resources: plan.live,
    },
    unreadable: [],
    calls: 0,
  };
}
