// `realitycheck mcp`: the checks as Model Context Protocol tools, for a coding agent while it
// works (before it commits). Read-only: no tool writes to the repository, GitHub or the
// cloud (a CloudFormation drift detection is the one AWS call that starts something, and
// it changes nothing). Every tool runs the same scan as `realitycheck scan` over the
// checkout; each answers JSON (structured content) and a short text. Anything that goes
// wrong is a tool error (isError) with the reason, never a crash of the server.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { LiveProviders } from '../live/registry.js';
import { normalizePath } from '../scope.js';
import { GitError } from '../cli/run-git.js';
import { openLocalRefs } from '../cli/open-local-change.js';
import { renderScanJson, toFinding } from '../cli/render-scan-json.js';
import { loadScanConfig, scanRepository, ScanSetupError, type PlanFile, type ScanResult } from '../cli/scan-repository.js';
import { describeLiveSource, describeResource, driftedResources, liveOf, notChecked, summarizeLive } from './render-live.js';

export interface Workspace {
  repoDir: string;
  base?: string;
  config?: string;
  plans: PlanFile[];
  providers: LiveProviders;
  version: string;
}

/** The largest `content` check_change takes (CloudFormation templates are at most 1 MB). */
const MAX_CONTENT_CHARS = 5 * 1024 * 1024;

export function createServer(ws: Workspace): McpServer {
  const server = new McpServer({ name: 'realitycheck', version: ws.version });
  const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
  const targetArg = z.string().min(1).describe('A target name from list_targets');

  server.registerTool(
    'list_targets',
    {
      title: 'List realitycheck targets',
      description: 'The infrastructure targets configured in .github/realitycheck.yml (read from the base branch): name, kind (cloudformation or terraform), stack or directory, and where live state comes from.',
      inputSchema: {},
      annotations: { ...readOnly, openWorldHint: false },
    },
    () =>
      tool(async () => {
        const refs = await openLocalRefs(ws.repoDir, ws.base ? { base: ws.base } : {});
        const { targets, source } = await loadScanConfig(refs, ws.config);
        const list = targets.map((t) =>
          t.kind === 'cloudformation'
            ? { name: t.name, kind: t.kind, stack: t.stack, template: t.template, ...(t.region ? { region: t.region } : {}), liveSource: describeLiveSource(t) }
            : { name: t.name, kind: t.kind, dir: t.dir, liveSource: describeLiveSource(t) },
        );
        const text = list.length === 0 ? `No targets in ${source}.` : `${list.length} target${list.length === 1 ? '' : 's'} (${source}): ${list.map((t) => `${t.name} (${t.kind}, ${'stack' in t ? `stack ${t.stack}` : t.dir})`).join('; ')}`;
        return { structured: { config: source, targets: list }, text };
      }),
  );

  server.registerTool(
    'get_drift',
    {
      title: 'Drift of a target',
      description: 'Every resource of the target whose live state differs from what its code declares (drifted or deleted), each property with its declared and live values, when live state was read and from which source. Parts that could not be read are listed under unreadable: they are unknown, not in sync.',
      inputSchema: { target: targetArg },
      annotations: readOnly,
    },
    ({ target }) =>
      tool(async () => {
        const scan = await scanFor(ws, target);
        const evidence = scan.evidence[0]!;
        const live = liveOf(evidence);
        const resources = driftedResources(live);
        const summary = summarizeLive(live);
        const structured = { target, live: summary, drifted: resources, notChecked: notChecked(live) };
        const lines = resources.map((r) => `${r.resource} (${r.type}) ${r.status}${r.properties.length ? `: ${r.properties.map((p) => `${p.property} declared ${show(p.declared)}, live ${show(p.live)}`).join('; ')}` : ''}`);
        const head = !summary
          ? `Live state of ${target} was not read.`
          : `${resources.length} drifted resource${resources.length === 1 ? '' : 's'} in ${target} (live from ${summary.source}, checked ${summary.checkedAt ?? summary.readAt})`;
        const unread = summary?.unreadable.length ? `\nNot read: ${summary.unreadable.map((u) => `${u.api} ${u.code}: ${u.message}`).join('; ')}` : '';
        return { structured, text: `${head}${lines.length ? `:\n${lines.join('\n')}` : '.'}${unread}` };
      }),
  );

  server.registerTool(
    'get_live_resource',
    {
      title: 'One resource, declared and live',
      description: 'The declared properties of one resource (CloudFormation logical id or Terraform address) at the head and at the base, its live drift record (status, property differences with declared and live values) and when live state was read.',
      inputSchema: { target: targetArg, resource: z.string().min(1).describe('CloudFormation logical id (OrdersQueue) or Terraform address (module.queues.aws_sqs_queue.jobs)') },
      annotations: readOnly,
    },
    ({ target, resource }) =>
      tool(async () => {
        const scan = await scanFor(ws, target);
        const found = describeResource(scan.evidence[0]!, resource);
        if (!found.found) {
          const known = found.known.slice(0, 50).join(', ');
          throw new ScanSetupError(`${target} has no resource "${resource}"${known ? `; its resources: ${known}${found.known.length > 50 ? ', …' : ''}` : ''}`);
        }
        const record = found.live.map((l) => `${l.instance} ${l.status}${l.differences.length ? `: ${l.differences.map((d) => `${d.property} declared ${show(d.declared)}, live ${show(d.live)}`).join('; ')}` : ''}`);
        return { structured: { target, ...found }, text: `${resource} in ${target}: ${found.status}${record.length ? `\n${record.join('\n')}` : ' (no live record: unknown, not in sync)'}` };
      }),
  );

  server.registerTool(
    'check_change',
    {
      title: 'Check a change before committing it',
      description: 'The findings and verdict the "Reality check" pull request check would give if the file at path had this content (on top of HEAD, against the base branch and live state). A verdict of failure means the change would be blocked: read each finding (revert, conflict, deleted, ...) and its live values before committing.',
      inputSchema: {
        target: targetArg,
        path: z.string().min(1).describe('Repository-relative path of the file (infra/orders.yaml)'),
        content: z.string().max(MAX_CONTENT_CHARS).describe('The whole new content of the file'),
      },
      annotations: { ...readOnly, idempotentHint: false },
    },
    ({ target, path, content }) =>
      tool(async () => {
        const file = checkPath(path);
        const scan = await scanFor(ws, target, { path: file, text: content });
        const json = renderScanJson({ run: scan.run, refs: scan.refs, configSource: scan.configSource, failOn: 'block', version: ws.version });
        const findings = scan.run.targets.flatMap((t) => t.findings).map(toFinding);
        const lines = findings.map((f) => `${f.severity} ${f.rule}${f.resource ? ` ${f.resource}` : ''}: ${f.message}`);
        return { structured: json as unknown as Record<string, unknown>, text: `Verdict for ${target} with ${file} changed: ${json.verdict.conclusion}${lines.length ? `\n${lines.join('\n')}` : ' (no findings)'}` };
      }),
  );

  return server;
}

async function scanFor(ws: Workspace, target: string, overlay?: { path: string; text: string }): Promise<ScanResult> {
  return scanRepository({
    repoDir: ws.repoDir,
    ...(ws.base ? { base: ws.base } : {}),
    ...(ws.config ? { configFile: ws.config } : {}),
    targets: [target],
    plans: ws.plans,
    providers: ws.providers,
    ...(overlay ? { overlay } : {}),
  });
}

/** A path inside the repository, as git names it; anything else is refused. */
function checkPath(path: string): string {
  const file = normalizePath(path.trim());
  const parts = file.split('/');
  if (file === '' || /^[A-Za-z]:/.test(file) || parts.some((p) => p === '..' || p === '.' || p === '') || parts[0] === '.git' || file.includes('\0')) {
    throw new ScanSetupError(`path "${path}" is not a file path inside the repository (relative, without ..)`);
  }
  return file;
}

async function tool(work: () => Promise<{ structured: Record<string, unknown>; text: string }>): Promise<CallToolResult> {
  try {
    const { structured, text } = await work();
    return { content: [{ type: 'text', text }], structuredContent: structured };
  } catch (error) {
    const known = error instanceof ScanSetupError || error instanceof GitError;
    const reason = known ? (error as Error).message : `could not check: ${(error as Error)?.message ?? String(error)}`;
    return { content: [{ type: 'text', text: reason }], isError: true };
  }
}

function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}
