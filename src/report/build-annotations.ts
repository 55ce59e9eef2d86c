// Check-run annotations: one per finding that has a file and lines. Plain text (GitHub
// does not render markdown in annotations). Blocking findings come first, so the first
// batch of 50 the publisher sends holds the most important ones.
import type { Annotation, Finding, RunResult, Severity } from '../types.js';
import { truncate, valueText } from './render-value.js';
import { SEVERITIES } from './rule-text.js';
import { safeEvidence } from './safe-evidence.js';

const LEVEL: Record<Severity, Annotation['annotation_level']> = { block: 'failure', warn: 'warning', info: 'notice' };
const TITLE_CHARS = 255;
const MESSAGE_CHARS = 4_000;

export function buildAnnotations(run: RunResult): Annotation[] {
  const findings = run.targets.flatMap((t) => t.findings);
  return SEVERITIES.flatMap((severity) =>
    findings.filter((f) => f.severity === severity && f.file !== undefined && f.span !== undefined).map(toAnnotation),
  );
}

function toAnnotation(finding: Finding): Annotation {
  const span = finding.span!;
  const evidence = safeEvidence(finding.evidence.slice(0, 20)).map((e) => {
    const layers: [string, unknown][] = [
      ['base', e.base],
      ['pull request', e.head],
      ['deployed', e.expected],
      ['live', e.live],
    ];
    const values = layers.filter(([, v]) => v !== undefined).map(([layer, v]) => `${layer} ${valueText(v)}`);
    return `${e.path}: ${values.join(', ') || 'no values'}`;
  });
  const message = [finding.message, ...evidence].join('\n');
  return {
    path: finding.file!,
    start_line: span.startLine,
    end_line: Math.max(span.startLine, span.endLine),
    annotation_level: LEVEL[finding.severity],
    title: truncate(finding.resource === undefined ? finding.rule : `${finding.rule}: ${finding.resource}`, TITLE_CHARS),
    message: truncate(message, MESSAGE_CHARS),
  };
}
