// `scan --format text`: the verdict for a terminal. Pure; the same data as the JSON object
// (values already redacted there), one finding a few lines, blocking first.
import type { ScanJson } from './render-scan-json.js';

const VALUE_CHARS = 120;
const LABEL = { block: 'BLOCK', warn: 'WARN ', info: 'INFO ' } as const;

export function renderScanText(scan: ScanJson): string {
  const out: string[] = [];
  const { verdict, repository } = scan;
  const counts = [verdict.counts.block && `${verdict.counts.block} blocking`, verdict.counts.warn && `${verdict.counts.warn} warning${verdict.counts.warn === 1 ? '' : 's'}`, verdict.counts.info && `${verdict.counts.info} note${verdict.counts.info === 1 ? '' : 's'}`].filter(Boolean);
  out.push(`realitycheck: ${verdict.conclusion}${counts.length ? ` — ${counts.join(', ')}` : ''}`);
  out.push(`  change: ${repository.mergeBase.slice(0, 7)}..${repository.head.sha.slice(0, 7)} (${repository.base.ref}...${repository.head.ref}); config: ${repository.config}`);
  if (verdict.aiAuthored) out.push(`  judged AI-authored: ${verdict.aiSignals.map((s) => `${s.agent} (${s.kind})`).join(', ')}`);
  if (scan.targets.length === 0) out.push('  the change touches no configured target: nothing to check');
  for (const target of scan.targets) {
    out.push('');
    const where = target.kind === 'cloudformation' ? `stack ${target.stack ?? '?'}${target.region ? ` (${target.region})` : ''}, ${target.file}` : `Terraform ${target.file}`;
    out.push(`${target.name}: ${target.conclusion} — ${where}`);
    out.push(target.live ? `  live: ${target.live.source}, read ${target.live.readAt}${target.live.detection ? `, drift checked ${target.live.detection.checkedAt}` : ''}` : '  live: not read');
    if (target.coverage) out.push(`  resources: ${target.coverage.inSync} in sync, ${target.coverage.drifted} drifted, ${target.coverage.deleted} deleted, ${target.coverage.notChecked} not checked`);
    for (const f of scan.findings.filter((x) => x.target === target.name)) {
      const at = f.file ? ` ${f.file}${f.lines ? `:${f.lines.start}${f.lines.end > f.lines.start ? `-${f.lines.end}` : ''}` : ''}` : '';
      out.push(`  ${LABEL[f.severity]} ${f.rule}${f.resource ? ` ${f.resource}` : ''}${at}`);
      out.push(`        ${f.message}`);
      for (const e of f.evidence.slice(0, 10)) {
        const parts = (['base', 'head', 'deployed', 'live'] as const).filter((k) => k in e).map((k) => `${k} ${show(e[k])}`);
        out.push(`        ${e.property}: ${parts.join(', ')}${e.redacted ? ' (redacted)' : ''}`);
      }
    }
    for (const i of target.ignored) out.push(`  ignored: ${i.resource} ${i.property} — ${i.reason}`);
  }
  out.push('');
  out.push(verdict.fails ? `fails --fail-on ${verdict.failOn}` : `passes --fail-on ${verdict.failOn}`);
  return `${out.join('\n')}\n`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS - 1)}…` : text;
}
