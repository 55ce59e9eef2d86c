// Plain-data builders for RunResults, as the pipeline would hand them to the report step.
import type { Finding, RunResult, TargetResult } from '../../src/types.js';

export const HEAD = '0123456789abcdef0123456789abcdef01234567';

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    rule: 'revert',
    severity: 'block',
    target: 'orders',
    resource: 'OrdersQueue',
    resourceType: 'AWS::SQS::Queue',
    message: 'OrdersQueue was changed live; deploying this pull request sets VisibilityTimeout back to 30.',
    file: 'infra/orders.yaml',
    span: { startLine: 12, endLine: 20 },
    evidence: [
      { path: 'VisibilityTimeout', base: 30, head: 30, expected: 30, live: 120 },
      { path: 'MessageRetentionPeriod', base: 345600, head: 1209600, expected: 345600, live: 345600 },
    ],
    liveReadAt: '2025-05-01T12:01:00Z',
    ...overrides,
  };
}

export function target(overrides: Partial<TargetResult> = {}): TargetResult {
  const findings = overrides.findings ?? [];
  return {
    target: { name: 'orders', kind: 'cloudformation', stack: 'orders-prod', region: 'us-east-1', file: 'infra/orders.yaml' },
    changes: [
      { logicalId: 'OrdersQueue', type: 'AWS::SQS::Queue', action: 'change', changedProperties: ['MessageRetentionPeriod'], changedAttributes: [] },
    ],
    findings,
    ignored: [],
    coverage: { inSync: 14, drifted: 0, deleted: 0, notChecked: 0 },
    live: {
      source: 'cloudformation',
      readAt: '2025-05-01T12:01:00Z',
      stackStatus: 'UPDATE_COMPLETE',
      detection: { reused: false, checkedAt: '2025-05-01T12:02:00Z', status: 'DETECTION_COMPLETE' },
    },
    conclusion: findings.some((f) => f.severity === 'block') ? 'failure' : findings.some((f) => f.severity === 'warn') ? 'neutral' : 'success',
    ...overrides,
  };
}

export function run(targets: TargetResult[], overrides: Partial<RunResult> = {}): RunResult {
  const conclusions = targets.map((t) => t.conclusion);
  return {
    repo: { owner: 'acme', name: 'shop' },
    pullNumber: 42,
    headSha: HEAD,
    conclusion: conclusions.includes('failure') ? 'failure' : conclusions.includes('neutral') ? 'neutral' : 'success',
    targets,
    finishedAt: '2025-05-01T12:03:00Z',
    updatedAt: '2025-05-01T12:00:00Z',
    ...overrides,
  };
}

/**
 * What a reader's markdown renderer would leave outside code spans: code spans (CommonMark:
 * a backtick run closed by the next run of the same length, not after a backslash escape)
 * are replaced by `⟦code⟧`, and their contents returned.
 */
export function splitCodeSpans(markdown: string): { outside: string; spans: string[] } {
  let outside = '';
  const spans: string[] = [];
  let i = 0;
  while (i < markdown.length) {
    const c = markdown[i]!;
    if (c === '\\' && i + 1 < markdown.length) {
      outside += markdown.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c !== '`') {
      outside += c;
      i++;
      continue;
    }
    const run = /^`+/.exec(markdown.slice(i))![0];
    let j = i + run.length;
    let close = -1;
    while (j < markdown.length) {
      const next = /`+/g;
      next.lastIndex = j;
      const m = next.exec(markdown);
      if (!m) break;
      if (m[0].length === run.length) {
        close = m.index;
        break;
      }
      j = m.index + m[0].length;
    }
    if (close === -1) {
      outside += run;
      i += run.length;
      continue;
    }
    let content = markdown.slice(i + run.length, close);
    if (/^ .* $/s.test(content) && content.trim() !== '') content = content.slice(1, -1);
    spans.push(content);
    outside += '⟦code⟧';
    i = close + run.length;
  }
  return { outside, spans };
}

/** Cell separators GFM sees in a table row: pipes not escaped by an odd backslash run. */
export function countCellPipes(row: string): number {
  let count = 0;
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\') i++;
    else if (row[i] === '|') count++;
  }
  return count;
}
