// The app as `npm start` runs it: `probot run <app>` in its own process (TypeScript through
// tsx), configured only by environment variables, logging JSON to stdout. GitHub is a local
// HTTP server reached through GHE_HOST / GHE_PROTOCOL.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface RunningProbot {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Peak resident memory of the process so far, in bytes (Linux `VmHWM`); undefined elsewhere. */
  peakRss(): number | undefined;
  stop(): Promise<void>;
}

/** `files`: written to the working directory first (`.env`, which Probot reads at start; `app.yml`). */
export async function runProbot(env: Record<string, string>, options: { files?: Record<string, string> } = {}): Promise<RunningProbot> {
  const port = await freePort();
  // A directory of its own: Probot reads `.env` from its working directory, and a
  // developer's `.env` must not change the test's configuration.
  const cwd = mkdtempSync(join(tmpdir(), 'realitycheck-run-'));
  for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(join(cwd, name), text);
  const child = spawn(
    process.execPath,
    ['--import', pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href, join(ROOT, 'node_modules/probot/bin/probot.js'), 'run', join(ROOT, 'src/index.ts')],
    { cwd, env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_FORMAT: 'json', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (output += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (output += s));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (/Listening on http/.test(output)) return resolve();
      if (child.exitCode !== null) return reject(new Error(`probot run exited ${child.exitCode}:\n${output}`));
      setTimeout(check, 50);
    };
    check();
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    peakRss() {
      try {
        const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
        return kb === undefined ? undefined : Number(kb) * 1024;
      } catch {
        return undefined;
      }
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface LocalGitHub {
  /** `GHE_HOST` value. */
  host: string;
  /** `METHOD /path` of every request, in order. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * GitHub's REST API for an installation whose repositories have no
 * `.github/realitycheck.yml`: an installation token, then 404 for everything else, as
 * GitHub answers a file that does not exist.
 */
export async function startLocalGitHub(): Promise<LocalGitHub> {
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    requests.push(`${req.method} ${req.url}`);
    const json = (status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'POST' && /^\/api\/v3\/app\/installations\/\d+\/access_tokens$/.test(req.url ?? '')) {
      return json(201, { token: 'ghs_localtoken', expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {}, repository_selection: 'all' });
    }
    json(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
