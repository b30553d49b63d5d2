// gofleet repos check --to SPEC [PATHS... | --from FILE] [--toolchain DIR|VERSION] [--parallel N] [--static] [--json]
// gofleet repos bump  --to SPEC [PATHS... | --from FILE] [--commit [--branch NAME] [--on-existing skip|replace]]
//                     [--go-line 1.X.0] [--toolchain-line go1.X.Y|none] [--all-pins] [--json]

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Option, type Command } from 'commander';
import { GofleetError } from '../../errors.ts';
import { campaignJson, campaignPassed, campaignTable, findingsText } from '../../repos/campaign-report.ts';
import { validateLineOptions } from '../../repos/go-line.ts';
import { readTargets, type RepoTarget } from '../../repos/read-targets.ts';
import { resolveToolchain } from '../../repos/resolve-toolchain.ts';
import { runCampaign } from '../../repos/run-campaign.ts';
import { runCommand, type RunCommand } from '../../repos/run-command.ts';
import type { CampaignSettings, ProgressEvent } from '../../repos/settings.ts';
import type { CampaignCommand, RepoResult } from '../../repos/types.ts';
import { formatDuration } from '../../report/table.ts';
import { EXIT } from '../exit-code.ts';
import { intOption } from '../global-options.ts';
import { printJson, type CliIo } from '../io.ts';

export interface ReposDeps {
  env: NodeJS.ProcessEnv;
  cwd: string;
  run: RunCommand;
}

const defaultDeps = (): ReposDeps => ({ env: process.env, cwd: process.cwd(), run: runCommand });

function commonOptions(cmd: Command): Command {
  return cmd
    .argument('[paths...]', 'local checkouts (or clone URLs: file://, https://, ssh://)')
    .requiredOption('--to <spec>', 'target toolchain: go1.27.3, 1.27.3, 1.27 (newest local 1.27.x) or latest (newest local)')
    .option('--from <file>', 'read repositories from FILE, one per line (# comments; relative to the file)')
    .option('--toolchain <dir|version>', 'the toolchain to pin: a Go tree (or its bin/go), or a version found locally / via GOTOOLCHAIN')
    .option('--go-line <version>', 'go line to write (default 1.N.0 of the target; never lowered)')
    .option('--toolchain-line <name>', 'toolchain line to write: go1.X.Y or none (default: the target)')
    .option('--parallel <n>', 'repositories worked on at once', intOption('--parallel', 1, 64), 1)
    .option('--test-timeout <seconds>', 'go test -timeout per module', intOption('--test-timeout', 1, 86400), 600)
    .option('--work-dir <dir>', 'where clone URLs are cloned (default: a temp dir)')
    .option('--json', 'print one JSON document on stdout');
}

/** Add `repos check` and `repos bump` to the program; `setCode` receives the exit code. */
export function registerReposCommands(program: Command, io: CliIo, setCode: (code: number) => void, deps: () => ReposDeps = defaultDeps): void {
  const repos = program.command('repos').description('bump go/toolchain lines across repositories and prove they still build');
  commonOptions(repos.command('check').description('what a bump would do and whether it builds, vets and tests (in a scratch copy; changes nothing)'))
    .option('--static', 'only the static findings; run no go command')
    .action(async (paths: string[], opts: Record<string, unknown>) => setCode(await reposCommand('check', paths, opts, io, deps())));
  commonOptions(repos.command('bump').description('edit go.mod/go.work with the pinned toolchain, tidy, build, vet, test'))
    .option('--commit', 'commit to a branch (in a temporary worktree; the checkout is not touched)')
    .option('--branch <name>', 'branch for --commit (default gofleet/<target>)')
    .addOption(new Option('--on-existing <mode>', 'when the branch exists').choices(['skip', 'replace']).default('replace'))
    .option('--all-pins', 'also rewrite .go-version, .tool-versions, Dockerfile and CI pins')
    .action(async (paths: string[], opts: Record<string, unknown>) => setCode(await reposCommand('bump', paths, opts, io, deps())));
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function progress(io: CliIo): (e: ProgressEvent) => void {
  return (e) => {
    if (e.kind === 'repo-start') io.err(`repos: ${e.repo}\n`);
    else if (e.kind === 'step' && e.status === 'fail') io.err(`  ${e.repo} ${e.file}: ${e.step} failed (${formatDuration(e.durationMs)})\n`);
    else if (e.kind === 'repo-done') {
      const counts = ['pass', 'warn', 'fail'].map((k) => `${e.result.modules.filter((m) => m.result === k).length} ${k}`).join(', ');
      io.err(`  ${e.repo}: ${e.result.error ? `error ${e.result.error.code}` : counts}\n`);
    }
  };
}

async function settingsFor(command: CampaignCommand, opts: Record<string, unknown>, d: ReposDeps, scratch: string): Promise<CampaignSettings> {
  if (command === 'bump' && opts.branch !== undefined && opts.commit !== true) throw new GofleetError('BAD_OPTION', '--branch needs --commit');
  const toolchain = await resolveToolchain({ spec: String(opts.to), toolchain: str(opts.toolchain), env: d.env, run: d.run, cwd: scratch });
  const lines = validateLineOptions({ target: toolchain.version, goLine: str(opts.goLine), toolchainLine: str(opts.toolchainLine) });
  return {
    command,
    toolchain,
    lines,
    testTimeoutMs: Number(opts.testTimeout ?? 600) * 1000,
    staticOnly: opts.static === true,
    allPins: opts.allPins === true,
    commit: opts.commit === true ? { branch: str(opts.branch) ?? `gofleet/${toolchain.version}`, onExisting: opts.onExisting === 'skip' ? 'skip' : 'replace' } : null,
  };
}

function display(targets: readonly RepoTarget[]): (r: RepoResult) => string {
  return (r) => targets.find((t) => (t.url !== null ? t.url === r.source : t.path === r.path))?.display ?? r.path;
}

export async function reposCommand(command: CampaignCommand, paths: string[], opts: Record<string, unknown>, io: CliIo, d: ReposDeps = defaultDeps()): Promise<number> {
  const targets = await readTargets(paths, str(opts.from), d.cwd);
  const scratch = await mkdtemp(`${tmpdir()}/gofleet-repos-`);
  const keepClones = command === 'bump' && !opts.workDir && targets.some((t) => t.url !== null);
  try {
    const settings = await settingsFor(command, opts, d, scratch);
    io.err(`repos ${command}: ${targets.length} repo${targets.length === 1 ? '' : 's'} against ${settings.toolchain.version} (${settings.toolchain.how})\n`);
    const workDir = str(opts.workDir) ?? `${scratch}/clones`;
    const results = await runCampaign({ targets, parallel: Number(opts.parallel ?? 1), workDir }, settings, { run: d.run, env: d.env, tmpDir: scratch, onProgress: progress(io) });
    if (keepClones) io.err(`clones kept under ${workDir}\n`);
    if (opts.json === true) printJson(io, campaignJson({ command, toolchain: settings.toolchain, repos: results }));
    else io.out(campaignTable(results, display(targets)) + '\n' + findingsText(results, display(targets)));
    return campaignPassed(results) ? EXIT.ok : EXIT.failed;
  } finally {
    if (!keepClones) await rm(scratch, { recursive: true, force: true });
  }
}
