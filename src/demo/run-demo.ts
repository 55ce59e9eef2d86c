// `npm run demo [example-dir]`: the real pipeline — scope, declared, live, analyze,
// verdict, report — over an example repository on disk, with GitHub answered in-process
// and live state from the example's snapshot (CloudFormation) or from the plan its
// Terraform workflow uploaded (`plan/`, served as a finished Actions run's artifact).
// No network, no GitHub App, no AWS account. Prints the summary comment and the check run
// that the app would publish; without an argument, for every example in turn.
import { access, readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { defaultProviders } from '../app.js';
import { CONFIG_PATH } from '../config.js';
import { readPullRequest } from '../github/read-pull-request.js';
import { runPipeline } from '../pipeline.js';
import { LocalGitHub, type LocalPullRequest, type LocalRepository, type LocalWorkflowRun } from './local-github.js';

const BASE_SHA = '1111111111111111111111111111111111111111';
const DEFAULT_BRANCH = 'main';
/** What `npm run demo` runs without an argument, in this order. */
export const EXAMPLES = ['orders', 'network'];

export async function loadExample(dir: string): Promise<LocalRepository> {
  const base = await readTree(join(dir, 'base'));
  const head = { ...base, ...(await readTree(join(dir, 'head'))) };
  const pull = JSON.parse(await readFile(join(dir, 'pull-request.json'), 'utf8')) as Omit<LocalPullRequest, 'headSha' | 'baseSha'>;
  const headSha = pull.commits.at(-1)?.sha ?? '2222222222222222222222222222222222222222';
  const config = base[CONFIG_PATH] === undefined ? undefined : (parseYaml(base[CONFIG_PATH]) as unknown);
  const runs = (await exists(join(dir, 'plan'))) ? planRuns(config, await readTree(join(dir, 'plan')), headSha, pull.updatedAt) : [];
  return {
    owner: 'example',
    repo: basename(resolve(dir)),
    defaultBranch: DEFAULT_BRANCH,
    files: { [BASE_SHA]: base, [DEFAULT_BRANCH]: base, [headSha]: head },
    pull: { ...pull, headSha, baseSha: BASE_SHA },
    runs,
  };
}

/**
 * The plan workflow has already run for the head (as when it finishes before realitycheck
 * hears of the pull request): one successful run per Terraform target with `plan:`, its
 * artifact holding the files of the example's `plan/` directory.
 */
function planRuns(config: unknown, plan: Record<string, string>, headSha: string, at: string): LocalWorkflowRun[] {
  const targets = (config as { targets?: Array<{ terraform?: { plan?: { workflow?: string; artifact?: string } } }> } | undefined)?.targets ?? [];
  return targets.flatMap((target, i) => {
    const wanted = target.terraform?.plan;
    if (!wanted?.artifact) return [];
    const workflow = wanted.workflow ?? 'terraform-plan.yml';
    const id = 4_200_000_001 + i;
    return [{ id, name: 'Terraform plan', path: `.github/workflows/${workflow}`, headSha, conclusion: 'success' as const, createdAt: at, artifacts: [{ id: 900_001 + i, name: wanted.artifact, files: plan }] }];
  });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function readTree(root: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(root, path).split('\\').join('/')] = await readFile(path, 'utf8');
  }
  return files;
}

export async function runDemo(dir: string, print: (text: string) => void): Promise<string> {
  const repository = await loadExample(dir);
  const github = new LocalGitHub(repository);
  const octokit = github.octokit();
  const repo = { owner: repository.owner, repo: repository.repo };
  const quiet = { info() {}, warn() {}, error(obj: object, msg?: string) { print(`error: ${msg ?? ''} ${JSON.stringify(obj)}`); } };

  const pr = await readPullRequest(octokit, repo, repository.pull.number);
  const outcome = await runPipeline(
    {
      octokit,
      // What Probot's context.config does: the file on the default branch, parsed as YAML.
      loadConfig: async () => {
        const text = repository.files[DEFAULT_BRANCH]?.[CONFIG_PATH];
        return text === undefined ? null : (parseYaml(text) as unknown);
      },
      providers: defaultProviders(),
      log: quiet,
    },
    pr,
    { signal: new AbortController().signal },
  );

  const check = github.checkRuns.at(-1);
  const rule = '─'.repeat(72);
  print(`realitycheck demo: ${relative(process.cwd(), resolve(dir)) || dir} — pull request #${pr.number} by ${pr.author}`);
  print(rule);
  print(github.comments[0]?.body ?? '(no summary comment: nothing to say)');
  print(rule);
  if (check) {
    print(`Check run "Reality check": ${check.conclusion} — ${check.output?.title ?? ''}`);
    for (const a of check.annotations as Array<{ path: string; start_line: number; end_line: number; annotation_level: string; title: string }>) {
      print(`  ${a.annotation_level.padEnd(7)} ${a.path}:${a.start_line}-${a.end_line}  ${a.title}`);
    }
  } else {
    print('No check run: the repository has no realitycheck configuration.');
  }
  const live = repository.runs?.length ? 'live state from the plan artifact of the Terraform workflow' : 'live state from the snapshot';
  print(`GitHub calls: ${github.calls.length} (${github.writes()} writes); AWS calls: 0 (${live})`);
  return outcome.conclusion ?? 'none';
}

const entry = process.argv[1] ? resolve(process.argv[1]) : '';
if (entry === resolve(new URL(import.meta.url).pathname)) {
  const examples = new URL('../../examples/', import.meta.url).pathname;
  const dirs = process.argv[2] ? [process.argv[2]] : EXAMPLES.map((name) => join(examples, name));
  const print = (text: string) => process.stdout.write(`${text}\n`);
  (async () => {
    for (const [i, dir] of dirs.entries()) {
      if (i > 0) print('');
      await runDemo(dir, print);
    }
  })().catch((error: unknown) => {
    process.stderr.write(`realitycheck demo failed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  });
}
