// gofleet repos check --to SPEC [PATHS... | --from FILE] [--toolchain DIR|VERSION] [--source SRC] [--parallel N] [--static] [--json]
// gofleet repos bump  --to SPEC [PATHS... | --from FILE] [--commit [--branch NAME] [--on-existing skip|replace]]
//                     [--go-line 1.X.0] [--toolchain-line go1.X.Y|none] [--all-pins] [--json]
//                     [--push [--remote NAME]] [--pr [--draft] [--base BRANCH] [--forge github|gitlab] [--forge-url URL]]
//                     [--campaign NAME] [--state FILE]
// gofleet repos status CAMPAIGN [--json] [--no-refresh] [--state FILE]

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Option, type Command } from 'commander';
import { GofleetError } from '../../errors.ts';
import { openSource, resolveSpec, type VersionSpec } from '../../releases/index.ts';
import { campaignJson, campaignPassed, campaignTable, findingsText } from '../../repos/campaign-report.ts';
import { validateLineOptions } from '../../repos/shared/go-line.ts';
import { readTargets, type RepoTarget } from '../../repos/discover/read-targets.ts';
import { resolveToolchain } from '../../repos/shared/resolve-toolchain.ts';
import { runCampaign } from '../../repos/run-campaign.ts';
import { runCommand, type RunCommand } from '../../repos/shared/run-command.ts';
import { campaignRows, refreshCampaign, statusClean, statusJson, statusTable } from '../../repos/publish/campaign-status.ts';
import { forgeClients } from '../../repos/forges/forge-clients.ts';
import { createForgeFetch, type FetchLike, type ForgeWait } from '../../repos/forges/forge-fetch.ts';
import type { ForgeKind } from '../../repos/forges/forge-target.ts';
import { publishCampaign, type PublishSettings } from '../../repos/publish/publish-campaign.ts';
import { systemClock, type ForgeClock } from '../../repos/forges/write-throttle.ts';
import { defaultStatePath, isPostgresUrl, journalName, openCampaignStore, type CampaignStore } from '../../store/index.ts';
import { MATRIX_MODES, type CampaignSettings, type ProgressEvent } from '../../repos/shared/settings.ts';
import type { CampaignCommand, RepoResult } from '../../repos/shared/types.ts';
import { formatDuration } from '../../util/text-table.ts';
import { EXIT } from '../exit-code.ts';
import { intOption } from '../global-options.ts';
import { printJson, type CliIo } from '../io.ts';

export interface ReposDeps {
  env: NodeJS.ProcessEnv;
  cwd: string;
  run: RunCommand;
  /** forge requests (default: Node's fetch, which ignores HTTPS_PROXY) */
  fetch?: FetchLike;
  /** waits of the forge throttle and rate-limit retries */
  clock?: ForgeClock;
}

const defaultDeps = (): ReposDeps => ({ env: process.env, cwd: process.cwd(), run: runCommand });

const STATE_HELP = 'run journal (SQLite) the campaign is kept in; default $GOFLEET_STATE or ~/.local/state/gofleet/gofleet.db';

function commonOptions(cmd: Command): Command {
  return cmd
    .argument('[paths...]', 'local checkouts (or clone URLs: file://, https://, ssh://)')
    .requiredOption('--to <spec>', 'target toolchain: go1.27.3, 1.27.3, 1.27 or latest (with --source: the newest it offers; else the newest local match, else the official index)')
    .option('--source <src>', 'release source that decides what --to 1.27 / latest mean: base URL or directory in the go.dev/dl layout (without it: local toolchains first, then the official site)')
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
    .addOption(new Option('--matrix <mode>', 'a CI matrix without the target: add it, or replace its oldest entry').choices([...MATRIX_MODES]).default('add'))
    .option('--push', 'push the branch (needs --commit); a replaced branch is force-pushed with --force-with-lease')
    .option('--remote <name>', 'remote to push to (default origin; a cloned URL without it is pushed to directly)')
    .option('--pr', 'open (or update) a pull request on GitHub / merge request on GitLab; implies --push')
    .option('--draft', 'open the pull/merge request as a draft')
    .option('--base <branch>', 'branch the pull/merge request targets (default: the remote\'s HEAD branch)')
    .addOption(new Option('--forge <kind>', 'forge, when the remote URL does not tell (github.com, gitlab.com)').choices(['github', 'gitlab']))
    .option('--forge-url <url>', 'API root: https://ghe.example.com/api/v3, https://gitlab.example.com/api/v4 (or $GOFLEET_GITHUB_API / $GOFLEET_GITLAB_API)')
    .option('--campaign <name>', 'name the campaign is recorded under for `repos status` (default: the branch)')
    .option('--state <file>', STATE_HELP)
    .action(async (paths: string[], opts: Record<string, unknown>) => setCode(await reposCommand('bump', paths, opts, io, deps())));
  repos.command('status').description('pull/merge requests and CI of a campaign, refreshed from the forge').argument('<campaign>')
    .option('--json', 'print one JSON document on stdout')
    .option('--no-refresh', 'show what the journal has; ask no forge')
    .option('--state <file>', STATE_HELP)
    .action(async (name: string, opts: Record<string, unknown>) => setCode(await reposStatusCommand(name, opts, io, deps())));
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

function checkForgeOptions(opts: Record<string, unknown>): void {
  const push = opts.push === true || opts.pr === true;
  for (const [flag, key] of [['--push', 'push'], ['--pr', 'pr']] as const) if (opts[key] === true && opts.commit !== true) throw new GofleetError('BAD_OPTION', `${flag} needs --commit`);
  for (const [flag, key] of [['--draft', 'draft'], ['--base', 'base'], ['--forge', 'forge'], ['--forge-url', 'forgeUrl']] as const) {
    if (opts[key] !== undefined && opts.pr !== true) throw new GofleetError('BAD_OPTION', `${flag} needs --pr`);
  }
  for (const [flag, key] of [['--remote', 'remote'], ['--campaign', 'campaign']] as const) {
    if (opts[key] !== undefined && !push) throw new GofleetError('BAD_OPTION', `${flag} needs --push or --pr`);
  }
  if (typeof opts.forgeUrl === 'string' && !/^https?:\/\/[^/]/.test(opts.forgeUrl)) throw new GofleetError('BAD_OPTION', `--forge-url ${opts.forgeUrl}: not an http(s) URL`);
}

/** --to 1.27 / latest: the release source decides, as for `gofleet upgrade --to` (first, when --source is given). */
function remoteResolver(opts: Record<string, unknown>, io: CliIo): (spec: VersionSpec) => Promise<string> {
  return async (spec) => {
    const source = await openSource(str(opts.source));
    const version = resolveSpec(spec, await source.releases(), { source: source.location });
    const why = opts.source !== undefined ? '' : `no local toolchain matches --to ${String(opts.to)}; `;
    io.err(`repos: ${why}${source.location} resolves --to ${String(opts.to)} to ${version}\n`);
    return version;
  };
}

async function settingsFor(command: CampaignCommand, opts: Record<string, unknown>, io: CliIo, d: ReposDeps, scratch: string): Promise<CampaignSettings> {
  if (command === 'bump' && opts.branch !== undefined && opts.commit !== true) throw new GofleetError('BAD_OPTION', '--branch needs --commit');
  if (command === 'bump') checkForgeOptions(opts);
  const toolchain = await resolveToolchain({ spec: String(opts.to), toolchain: str(opts.toolchain), env: d.env, run: d.run, cwd: scratch, resolveRemote: remoteResolver(opts, io), preferRemote: opts.source !== undefined });
  const lines = validateLineOptions({ target: toolchain.version, goLine: str(opts.goLine), toolchainLine: str(opts.toolchainLine) });
  return {
    command,
    toolchain,
    lines,
    testTimeoutMs: Number(opts.testTimeout ?? 600) * 1000,
    staticOnly: opts.static === true,
    allPins: opts.allPins === true,
    matrix: opts.matrix === 'replace-oldest' ? 'replace-oldest' : 'add',
    commit: opts.commit === true ? { branch: str(opts.branch) ?? `gofleet/${toolchain.version}`, onExisting: opts.onExisting === 'skip' ? 'skip' : 'replace' } : null,
  };
}

function display(targets: readonly RepoTarget[]): (r: RepoResult) => string {
  return (r) => targets.find((t) => (t.url !== null ? t.url === r.source : t.path === r.path))?.display ?? r.path;
}

function forgeWaits(io: CliIo): (w: ForgeWait) => void {
  return (w) => {
    let path = w.url;
    try {
      path = new URL(w.url).pathname;
    } catch {
      // keep the text
    }
    io.err(`  forge: ${w.reason === 'throttle' ? 'write throttle' : 'rate limited'}, waited ${Math.ceil(w.ms / 1000)} s (${w.method} ${path})\n`);
  };
}

function forgeFetchFor(io: CliIo, d: ReposDeps): FetchLike {
  return createForgeFetch({ ...(d.fetch ? { fetch: d.fetch } : {}), clock: d.clock ?? systemClock, onWait: forgeWaits(io) });
}

function openCampaigns(opts: Record<string, unknown>, d: ReposDeps): CampaignStore {
  const state = str(opts.state) ?? defaultStatePath(d.env);
  if (isPostgresUrl(state)) {
    // campaigns live in a journal file (campaign-store.ts); a URL must not become a file name
    throw new GofleetError('BAD_OPTION', `repos keeps its campaigns in a local journal file, not on PostgreSQL (${journalName(state)})`, {
      hint: 'Give repos a SQLite journal: --state FILE (or unset $GOFLEET_STATE for the default file).',
    });
  }
  return openCampaignStore(state);
}

function publishSettings(opts: Record<string, unknown>, s: CampaignSettings): PublishSettings {
  return {
    campaign: str(opts.campaign) ?? s.commit?.branch ?? '',
    pr: opts.pr === true,
    draft: opts.draft === true,
    remote: str(opts.remote) ?? 'origin',
    ...(str(opts.base) ? { base: str(opts.base) } : {}),
    ...(str(opts.forge) ? { forge: str(opts.forge) as ForgeKind } : {}),
    ...(str(opts.forgeUrl) ? { forgeUrl: str(opts.forgeUrl) } : {}),
    toolchain: s.toolchain,
  };
}

/** Push, open PRs/MRs and record the campaign (bump --push / --pr). */
async function publish(results: RepoResult[], opts: Record<string, unknown>, s: CampaignSettings, io: CliIo, d: ReposDeps, scratch: string, store: CampaignStore): Promise<RepoResult[]> {
  const ps = publishSettings(opts, s);
  const clients = forgeClients(d.env, forgeFetchFor(io, d));
  const before = store.getCampaign(ps.campaign);
  const knownTips = (repo: string): string[] => before?.repos.filter((r) => r.repo === repo && r.commit !== null).map((r) => r.commit as string) ?? [];
  const ctx = { git: { run: d.run, env: d.env, tmpDir: scratch }, env: d.env, clients, knownTips, onProgress: (repo: string, text: string) => io.err(`  ${repo}: ${text}\n`) };
  const out = await publishCampaign(results, ps, ctx);
  store.saveCampaign({ name: ps.campaign, target: s.toolchain.version, branch: s.commit?.branch ?? ps.campaign }, campaignRows(out));
  io.err(`campaign ${ps.campaign} recorded in ${store.path} (gofleet repos status ${ps.campaign})\n`);
  return out;
}

export async function reposCommand(command: CampaignCommand, paths: string[], opts: Record<string, unknown>, io: CliIo, d: ReposDeps = defaultDeps()): Promise<number> {
  const targets = await readTargets(paths, str(opts.from), d.cwd);
  const scratch = await mkdtemp(`${tmpdir()}/gofleet-repos-`);
  const keepClones = command === 'bump' && !opts.workDir && targets.some((t) => t.url !== null);
  let store: CampaignStore | null = null;
  try {
    const settings = await settingsFor(command, opts, io, d, scratch);
    // open the journal before any work: a campaign that cannot be recorded is refused up front
    if (command === 'bump' && (opts.push === true || opts.pr === true)) store = openCampaigns(opts, d);
    io.err(`repos ${command}: ${targets.length} repo${targets.length === 1 ? '' : 's'} against ${settings.toolchain.version} (${settings.toolchain.how})\n`);
    const workDir = str(opts.workDir) ?? `${scratch}/clones`;
    let results = await runCampaign({ targets, parallel: Number(opts.parallel ?? 1), workDir }, settings, { run: d.run, env: d.env, tmpDir: scratch, onProgress: progress(io) });
    if (store) results = await publish(results, opts, settings, io, d, scratch, store);
    if (keepClones) io.err(`clones kept under ${workDir}\n`);
    if (opts.json === true) printJson(io, campaignJson({ command, toolchain: settings.toolchain, repos: results }));
    else io.out(campaignTable(results, display(targets)) + '\n' + findingsText(results, display(targets)));
    return campaignPassed(results) ? EXIT.ok : EXIT.failed;
  } finally {
    store?.close();
    if (!keepClones) await rm(scratch, { recursive: true, force: true });
  }
}

/** `repos status CAMPAIGN`: refresh PR/MR state and CI from the forges, store it, print it. */
export async function reposStatusCommand(name: string, opts: Record<string, unknown>, io: CliIo, d: ReposDeps = defaultDeps()): Promise<number> {
  const store = openCampaigns(opts, d);
  try {
    let c = store.getCampaign(name);
    if (!c) throw new GofleetError('CAMPAIGN_NOT_FOUND', `no campaign named ${name} in ${store.path}`);
    if (opts.refresh !== false) c = await refreshCampaign(store, c, forgeClients(d.env, forgeFetchFor(io, d)));
    if (opts.json === true) printJson(io, statusJson(c));
    else io.out(`campaign ${c.name} (${c.target ?? '-'}, branch ${c.branch})\n` + statusTable(c));
    return statusClean(c) ? EXIT.ok : EXIT.failed;
  } finally {
    store.close();
  }
}
