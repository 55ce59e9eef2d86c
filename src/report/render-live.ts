// How and when live state was read for one target, what it covered, and the drift the
// repository's `ignore` rules set aside (counted and listed with reasons, never hidden).
import type { TargetResult } from '../types.js';
import { codeSpan } from './escape-markdown.js';
import { formatTime } from './format-time.js';
import { render } from './read-templates.js';
import { truncate } from './render-value.js';
import { isTerraformSource, sourceLabel } from './source-label.js';

const IGNORED_LIMIT = 20;

export function renderLive(result: TargetResult): string {
  const live = result.live;
  const detection = live?.detection;
  const ignored = result.ignored.slice(0, IGNORED_LIMIT);
  return render('live', {
    read: live !== undefined,
    sourceLabel: sourceLabel(live?.source ?? ''),
    readAt: live ? formatTime(live.readAt) : '',
    detail: live?.detail,
    detection: detection && {
      reused: detection.reused,
      snapshot: live?.source === 'snapshot',
      terraform: isTerraformSource(live?.source ?? ''),
      checkedAt: formatTime(detection.checkedAt),
      partial: detection.status !== 'DETECTION_COMPLETE',
      status: codeSpan(detection.status),
    },
    stack: result.target.stack === undefined ? undefined : codeSpan(result.target.stack),
    region: result.target.region === undefined ? undefined : codeSpan(result.target.region),
    stackStatus: live?.stackStatus === undefined ? undefined : codeSpan(live.stackStatus),
    coverage: result.coverage && { ...result.coverage, notCheckedWhy: notCheckedWhy(live?.source ?? '') },
    ignoredCount: result.ignored.length,
    ignored:
      result.ignored.length === 0
        ? undefined
        : {
            entries: ignored.map((i) => ({ resource: codeSpan(i.resource), path: codeSpan(i.path), reason: truncate(i.reason, 200), reverted: i.reverted === true })),
            omitted: result.ignored.length - ignored.length,
          },
  });
}

/** Why resources go unchecked, per live source. */
export function notCheckedWhy(source: string): string {
  if (source === 'terraform-state') return 'no Cloud Control mapping for their type, or their read failed';
  if (source === 'terraform-plan') return 'the plan did not refresh them';
  return 'drift detection does not support their resource type';
}
