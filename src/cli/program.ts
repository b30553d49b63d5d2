// The command line: parse with commander, build a runtime, call a command, return its exit code.
// Nothing here calls process.exit; src/cli/main.ts does, once.

import { Command, CommanderError, Option } from 'commander';
import { GofleetError, asGofleetError } from '../errors.ts';
import { EXIT, exitCodeForError } from './exit-code.ts';
import { addPauseOptions, distributionOption, durationOption, intOption, logLevelOption, methodOption, minAgeOption, sha256Option, toGlobalOptions } from './global-options.ts';
import type { CliIo } from './io.ts';
import { parseCacheMax } from './cache-max-option.ts';
import { safeText } from '../report/safe-text.ts';
import type { RunHooks, Runtime, RuntimeResume } from './runtime.ts';
import type { ServeStore, Store } from '../store/index.ts';
import { parseMaxFail, parseWaves } from '../engine/waves.ts';
import { collectSource } from './source-option.ts';

// Start-up time: the command modules, the runtime (SSH, inventory, engine) and the journal (SQLite)
// are imported in each command's action, not here, so `--version`, `--help` and a read-only command
// load only what they run (bench/cli-start.bench.ts; test/cli-start-lazy.test.ts keeps it so).
const commands = {
  facts: () => import('./commands/facts.ts'),
  plan: () => import('./commands/plan.ts'),
  change: () => import('./commands/change.ts'),
  releases: () => import('./commands/releases.ts'),
  repos: () => import('./commands/repos.ts'),
  resume: () => import('./commands/resume.ts'),
  history: () => import('./commands/history.ts'),
  report: () => import('./commands/report.ts'),
  inventory: () => import('./commands/inventory.ts'),
  script: () => import('./commands/script.ts'),
  mirror: () => import('./commands/mirror.ts'),
  drift: () => import('./commands/drift.ts'),
  reconcile: () => import('./commands/reconcile.ts'),
  serveToken: () => import('./commands/serve-token.ts'),
  serve: () => import('./commands/serve.ts'),
  worker: () => import('./commands/worker.ts'),
  state: () => import('./commands/state.ts'),
};
const loadRuntime = () => import('./runtime.ts');
const loadStore = () => import('../store/index.ts');
/** The `repos` line of the top-level help, when its subcommands are not loaded (same text as commands/repos.ts). */
const REPOS_DESCRIPTION = 'bump go/toolchain lines across repositories and prove they still build';

const VERSION = '0.1.0';

function hostOptions(cmd: Command): Command {
  return cmd
    .option('-i, --inventory <path>', 'gofleet YAML or Ansible INI/YAML inventory, or an Ansible inventory directory')
    .option('--playbook-dir <dir>', "Ansible inventories: also read this directory's group_vars/ and host_vars/")
    .option('-l, --limit <patterns>', 'hosts, globs, groups, tag:NAME, !exclude; comma-separated')
    .option('--json', 'print one JSON document on stdout')
    .option('--parallel <n>', 'hosts worked on at once', intOption('--parallel', 1, 1000), 10)
    .option('--ssh-config <file>', 'OpenSSH client config to honour (default ~/.ssh/config)')
    .option('--vault-password-file <file>', 'decrypt Ansible Vault (!vault) passwords: first line of FILE, or its output if executable (default $ANSIBLE_VAULT_PASSWORD_FILE)')
    .option('--accept-new-host-keys', 'trust and record keys of hosts not yet in known_hosts (changed keys are always refused)')
    .option('--connect-timeout <seconds>', 'per-connection timeout', intOption('--connect-timeout', 1, 600), 15)
    .addOption(logLevelOption());
}

function changeOptions(cmd: Command): Command {
  return stateOption(cmd)
    .option('--no-journal', 'change hosts without recording the run (no history, show, report or resume for it); without it an unusable journal stops the command')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--step-timeout <seconds>', 'cap for one host script', intOption('--step-timeout', 10, 86400), 900)
    .option('--no-verify-build', 'skip the hello-world build during verification (not recommended)')
    .option('--no-require-path', 'do not fail verification when the login PATH finds another go')
    .addOption(new Option('--health-cmd <command>', 'extra check run on each host after the switch; non-zero rolls back'));
}

/** --adopt-link (plan, upgrade, use, rollback): engine/check-goroot-safety.ts */
function adoptLinkOption(cmd: Command): Command {
  return cmd.option('--adopt-link', 'replace a goroot link that points at something other than a Go toolchain; its old target is recorded on the host for `rollback`');
}

/** builds in flight (upgrade, use, rollback): engine/drain-host.ts */
function drainOptions(cmd: Command): Command {
  return cmd
    .option('--drain-timeout <duration>', 'wait up to this long (90s, 10m, 1h) for processes using the toolchain before switching (default 10m)', durationOption('--drain-timeout'))
    .option('--force', 'switch even when processes still use the toolchain (skip the wait)');
}

/** --workers (upgrade, use, rollback; issue 14): this command coordinates, `gofleet worker`s run the hosts */
function workersOption(cmd: Command): Command {
  return cmd.option('--workers', 'coordinate: enqueue each wave\'s hosts for `gofleet worker` processes and wait for them (needs --state postgres://…)');
}

/** --canary and --waves (plan, upgrade, use), plus --max-fail where hosts change; rules in engine/waves.ts. */
function rolloutOptions(cmd: Command, budget: boolean): Command {
  cmd
    .option('--canary <n>', 'a first wave of N hosts (hosts tagged canary first, then inventory order)', intOption('--canary', 1))
    .option('--waves <list>', 'cumulative wave sizes, counts or percentages, e.g. 1,10%,50%,100% (the rest go last)', (v: string) => {
      parseWaves(v);
      return v;
    });
  if (budget) addPauseOptions(cmd.option('--max-fail <n|p%>', 'failures allowed per wave and overall (N, or P% of the wave/fleet); then stop', parseMaxFail));
  return cmd;
}

function stateOption(cmd: Command): Command {
  return cmd.option('--state <file|url>', 'run journal: SQLite file or postgres:// URL (its password from $PGPASSWORD or ~/.pgpass, never in the URL); default $GOFLEET_STATE or ~/.local/state/gofleet/gofleet.db');
}

/** Open the run journal for a read-only command (nothing created or written), run it, close it. */
async function withStore(opts: Record<string, unknown>, fn: (store: Store) => Promise<number>): Promise<number> {
  const { defaultStatePath, openJournal } = await loadStore();
  const store = await openJournal(typeof opts.state === 'string' ? opts.state : defaultStatePath(), { readOnly: true });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function sourceOptions(cmd: Command): Command {
  return cmd
    .option('--source <src>', 'release source: official, china, a base URL, goproxy:URL or a directory in the go.dev/dl layout; repeatable or comma-separated, tried in order with failover (default: the official site)', collectSource)
    .option('--checksum-source <src>', 'independent source of SHA-256 sums (default: the official index when --source is a mirror)')
    .option('--trust-key <pubfile>', "a mirror directory's or URL's index.json must carry a valid signature by this key (KEYFILE.pub of gofleet mirror keygen)")
    .option('--cache-dir <dir>', 'controller archive cache (default ~/.cache/gofleet/archives)')
    .option('--cache-max <size>', 'evict the least recently used archives to keep the cache under this size (2GiB, 500MB; 0: no limit; default $GOFLEET_CACHE_MAX or 5GiB)', (v: string) => parseCacheMax(v));
}

/** `resume` runs the interrupted command line again through here, with `resume` set. */
/** `hooks`: what an in-process caller (reconcile, serve) adds to the command it runs (runtime.ts RunHooks). */
export async function runCli(argv: string[], io: CliIo, resume?: RuntimeResume, hooks: RunHooks = {}): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('gofleet')
    .version(VERSION)
    .description('Upgrade the Go toolchain across a fleet of machines: facts, plan, verified side-by-side install, atomic switch, automatic rollback.')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.err, writeErr: io.err });

  const withRuntime =
    (fn: (rt: Runtime, ...args: string[]) => Promise<number>) =>
    async (...args: unknown[]): Promise<void> => {
      const cmd = args[args.length - 1] as Command;
      const positional = args.slice(0, -2).filter((a): a is string => typeof a === 'string');
      const raw = cmd.opts();
      const { createRuntime } = await loadRuntime();
      const rt = await createRuntime(toGlobalOptions(raw), raw, io, resume, argv, hooks);
      try {
        code = await fn(rt, ...positional);
      } finally {
        await rt.dispose();
      }
    };

  hostOptions(program.command('facts').description('what each host has now'))
    .option('--vulndb <dir|url>', "match each host's toolchain against a Go vulnerability database (a copy of https://vuln.go.dev: DIR, file:///DIR or URL)")
    .action(withRuntime(async (rt) => (await commands.facts()).factsCommand(rt, io)));
  sourceOptions(hostOptions(program.command('drift').description('which hosts are off policy, and why (exit 0 all comply, 2 any drift, 3 only unreachable)')))
    .requiredOption('--policy <file>', 'policy YAML: channels and assignments (docs/design.md "Policy")')
    .option('--vulndb <dir|url>', "also show each host's known vulnerabilities from a Go vulnerability database (as facts --vulndb)")
    .action(withRuntime(async (rt) => (await commands.drift()).driftCommand(rt, io, String(rt.raw.policy))));
  // reconcile takes upgrade's options (they pass through to each rollout; an assignment's rollout shape wins) but not --to
  rolloutOptions(distributionOption(adoptLinkOption(drainOptions(changeOptions(sha256Option(sourceOptions(hostOptions(program.command('reconcile').description('roll each drifted host out to its channel when its window is open (cron, systemd timer, scheduled task)')))))))), true)
    .addOption(methodOption())
    .requiredOption('--policy <file>', 'policy YAML: channels and assignments (docs/design.md "Policy")')
    .option('--dry-run', 'show what each host would get and which rollouts would run; change nothing')
    .option('--print-schedule', "show each assignment's window and its next openings; contact no host")
    .action(withRuntime(async (rt) => (await commands.reconcile()).reconcileCommand(rt, io, argv, (a, childIo, hooks) => runCli(a, childIo, undefined, hooks))));
  program
    .command('inventory')
    .description('the hosts, groups and settings an inventory gives, without connecting (secrets redacted)')
    .option('-i, --inventory <path>', 'gofleet YAML or Ansible INI/YAML inventory, or an Ansible inventory directory')
    .option('-l, --limit <patterns>', 'hosts, globs, groups, tag:NAME, !exclude; comma-separated')
    .option('--json', 'one JSON document shaped like ansible-inventory --list (_meta.hostvars, groups with hosts and children)')
    .option('--graph', 'the group tree, as ansible-inventory --graph draws it')
    .option('--ssh-config <file>', 'OpenSSH client config to honour (default ~/.ssh/config)')
    .option('--playbook-dir <dir>', "Ansible inventories: also read this directory's group_vars/ and host_vars/")
    .action(async (opts: Record<string, unknown>) => {
      const str = (k: string): string | undefined => (typeof opts[k] === 'string' ? (opts[k] as string) : undefined);
      const { inventoryCommand } = await commands.inventory();
      code = await inventoryCommand(io, {
        inventory: str('inventory'), limit: str('limit'), sshConfig: str('sshConfig'), playbookDir: str('playbookDir'),
        json: opts.json === true, graph: opts.graph === true,
      });
    });
  rolloutOptions(distributionOption(adoptLinkOption(sha256Option(minAgeOption(sourceOptions(hostOptions(program.command('plan').description('what an upgrade would do; changes nothing'))))))), false)
    .addOption(methodOption())
    .requiredOption('--to <spec>', 'go1.27.3, 1.27.3, 1.27 (latest patch) or latest')
    .action(withRuntime(async (rt) => (await commands.plan()).planCommand(rt, io, String(rt.raw.to))));
  rolloutOptions(workersOption(distributionOption(adoptLinkOption(drainOptions(changeOptions(sha256Option(minAgeOption(sourceOptions(hostOptions(program.command('upgrade').description('install side by side, switch, verify, roll back on failure')))))))))), true)
    .addOption(methodOption())
    .requiredOption('--to <spec>', 'go1.27.3, 1.27.3, 1.27 (latest patch) or latest')
    .action(withRuntime(async (rt) => (await commands.change()).upgradeCommand(rt, io, String(rt.raw.to))));
  // use/rollback take a release source too: on an MSI goroot they check the cached .msi against its published SHA-256
  rolloutOptions(workersOption(adoptLinkOption(drainOptions(changeOptions(sourceOptions(hostOptions(program.command('use').description('switch to an already installed version').argument('<version>'))))))), true)
    .action(withRuntime(async (rt, version) => (await commands.change()).useCommand(rt, io, version ?? '')));
  workersOption(adoptLinkOption(drainOptions(changeOptions(sourceOptions(hostOptions(program.command('rollback').description('back to the version before the last switch')))))))
    .action(withRuntime(async (rt) => (await commands.change()).rollbackCommand(rt, io)));
  changeOptions(hostOptions(program.command('prune').description('remove old managed versions (never the active one)')))
    .requiredOption('--keep <n>', 'versions to keep per host', intOption('--keep', 1, 100))
    .action(withRuntime(async (rt) => (await commands.change()).pruneCommand(rt, io, Number(rt.raw.keep))));
  sourceOptions(program.command('releases').description('versions and files a source offers'))
    .option('--json', 'print one JSON document on stdout')
    .option('--all', 'include unstable and archived releases')
    .action(async (opts: Record<string, unknown>) => {
      code = await (await commands.releases()).releasesCommand(opts, io);
    });
  sha256Option(minAgeOption(program
    .command('script')))
    .description('write a standalone upgrade (or --detect: detection) script for machines gofleet does not reach: GPO, SCCM, Intune, cron')
    .requiredOption('--os <os>', 'linux, darwin or windows')
    .requiredOption('--to <spec>', 'go1.27.3, 1.27.3, 1.27 (latest patch) or latest')
    .option('--arch <arch>', 'GOARCH of the machines (default amd64; arm64 for darwin)')
    .option('--source <src>', 'release source: base URL or directory in the go.dev/dl layout (default: the official site; a directory: the script takes the archive from beside itself)')
    .option('--checksum-source <src>', 'independent source of SHA-256 sums (default: the official index when --source is a mirror)')
    .option('--trust-key <pubfile>', "a mirror directory's or URL's index.json must carry a valid signature by this key (KEYFILE.pub of gofleet mirror keygen)")
    .option('--goroot <path>', 'the stable path PATH points at (default /usr/local/go; Windows C:\\Program Files\\Go)')
    .option('--versions-dir <path>', 'where versions live side by side (default /usr/local/gofleet/versions; Windows C:\\ProgramData\\gofleet\\versions)')
    .option('--method <method>', 'zip: side by side (default); msi: the official MSI (Windows only)')
    .option('--detect', 'write the matching detection script (Intune/SCCM: one line and exit 0 when the target is active and working)')
    .option('--no-verify-build', 'skip the hello-world build during verification (not recommended)')
    .option('--no-require-path', 'do not fail verification when the login PATH finds another go')
    .option('--health-cmd <command>', 'extra check run after the switch; non-zero rolls back')
    .option('-o, --output <file>', 'write the script to FILE (mode 0755 for sh; a UTF-8 BOM first for .ps1) instead of stdout')
    .action(async (opts: Record<string, unknown>) => {
      const str = (k: string): string | undefined => (typeof opts[k] === 'string' ? (opts[k] as string) : undefined);
      const { scriptCommand } = await commands.script();
      code = await scriptCommand(
        {
          os: String(opts.os), to: String(opts.to), arch: str('arch'), source: str('source'), checksumSource: str('checksumSource'), minAge: str('minAge'), trustKey: str('trustKey'),
          ...(Array.isArray(opts.sha256) ? { sha256: opts.sha256.map(String) } : {}),
          goroot: str('goroot'), versionsDir: str('versionsDir'), method: str('method'), detect: opts.detect === true,
          output: str('output'), verifyBuild: opts.verifyBuild !== false, requirePath: opts.requirePath !== false, healthCmd: str('healthCmd'),
        },
        io,
      );
    });
  const mirror = program.command('mirror').description('air-gapped mirrors: copy verified archives into a go.dev-layout directory and sign its index');
  mirror
    .command('keygen')
    .description('make an Ed25519 key pair for signing mirrors: KEYFILE (private, 0600) and KEYFILE.pub (printed)')
    .requiredOption('-o, --output <keyfile>', 'where the private key goes (never overwritten); the public key goes to KEYFILE.pub')
    .action(async (opts: Record<string, unknown>) => {
      code = await (await commands.mirror()).mirrorKeygenCommand({ output: String(opts.output) }, io);
    });
  sha256Option(mirror
    .command('sync'))
    .description('download, verify and write archives + index.json + FILE.sha256 into DIR (incremental); sign index.json with --sign-key')
    .requiredOption('--versions <list>', 'comma-separated: go1.27.3, 1.27 (newest patch), latest')
    .requiredOption('--os <list>', 'comma-separated GOOS: linux,windows,darwin')
    .requiredOption('--arch <list>', 'comma-separated GOARCH: amd64,arm64')
    .requiredOption('--to <dir>', 'the mirror directory (created if missing)')
    .option('--source <src>', 'release source: base URL or directory in the go.dev/dl layout (default: the official site)')
    .option('--checksum-source <src>', 'independent source of SHA-256 sums (default: the official index when --source is a mirror)')
    .option('--trust-key <pubfile>', "a mirror directory's or URL's index.json must carry a valid signature by this key (KEYFILE.pub of gofleet mirror keygen)")
    .option('--sign-key <keyfile>', 'sign index.json with this private key (gofleet mirror keygen); index.json.sig is written beside it')
    .option('--json', 'print one JSON document on stdout')
    .action(async (opts: Record<string, unknown>) => {
      const str = (k: string): string | undefined => (typeof opts[k] === 'string' ? (opts[k] as string) : undefined);
      const { mirrorSyncCommand } = await commands.mirror();
      code = await mirrorSyncCommand(
        {
          versions: String(opts.versions), os: String(opts.os), arch: String(opts.arch), to: String(opts.to), json: opts.json === true,
          ...(str('source') !== undefined ? { source: str('source') } : {}),
          ...(str('checksumSource') !== undefined ? { checksumSource: str('checksumSource') } : {}),
          ...(str('trustKey') !== undefined ? { trustKey: str('trustKey') } : {}),
          ...(str('signKey') !== undefined ? { signKey: str('signKey') } : {}),
          ...(Array.isArray(opts.sha256) ? { sha256: opts.sha256.map(String) } : {}),
        },
        io,
      );
    });
  // `repos` has many subcommands and options: registered for real only when the line names it.
  if (argv.includes('repos')) (await commands.repos()).registerReposCommands(program, io, (c) => (code = c));
  else program.command('repos').description(REPOS_DESCRIPTION);

  if (argv.length === 0) {
    io.err(program.helpInformation());
    return EXIT.usage;
  }
  // serve: the service itself takes upgrade's options as reconcile does (they pass through to each rollout)
  const serve = registerServe(program, (c) => (code = c), io);
  // serve's own options (it takes --state too) only before a subcommand: `serve token create NAME --state F` is the token's
  program.enablePositionalOptions();
  serve.enablePositionalOptions();
  rolloutOptions(distributionOption(adoptLinkOption(drainOptions(changeOptions(sha256Option(sourceOptions(hostOptions(serve))))))), true)
    .addOption(methodOption())
    .option('--policy <file>', 'policy YAML: channels and assignments (docs/design.md "Policy"); required to serve')
    .option('--listen <host:port>', 'where the dashboard listens (default 127.0.0.1:8080); beyond loopback it needs a token (serve token create) and TLS', '127.0.0.1:8080')
    .option('--refresh <duration>', 'facts round interval (default 10m)', durationOption('--refresh'))
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM)')
    .option('--tls-key <file>', 'the private key of --tls-cert (PEM)')
    .option('--insecure-http', 'allow plain HTTP beyond loopback (tokens then cross the network in clear text)')
    .option('--vulndb <dir|url>', "show each host's known vulnerabilities (as facts --vulndb)")
    .action(
      withRuntime(async (rt) => {
        if (typeof rt.raw.policy !== 'string') throw new GofleetError('BAD_OPTION', 'serve needs --policy FILE (or a subcommand: serve token ...)');
        const { createRuntime } = await loadRuntime();
        return (await commands.serve()).serveCommand(rt, io, argv, {
          run: (a, childIo, hooks) => runCli(a, childIo, undefined, hooks),
          newRuntime: () => createRuntime(toGlobalOptions(rt.raw), rt.raw, io, undefined, argv),
        });
      }),
    );
  stateOption(program.command('history').description('recorded runs, newest first'))
    .option('--json', 'print one JSON document on stdout')
    .option('--limit <n>', 'runs to show', intOption('--limit', 1, 100000), 20)
    .action(async (opts: Record<string, unknown>) => {
      const { historyCommand } = await commands.history();
      code = await withStore(opts, (store) => historyCommand(store, io, { json: opts.json === true, limit: Number(opts.limit) }));
    });
  stateOption(program.command('show').description('one recorded run: every host, its steps and errors').argument('<run>'))
    .option('--json', 'print one JSON document on stdout')
    .action(async (run: string, opts: Record<string, unknown>) => {
      const { showCommand } = await commands.history();
      code = await withStore(opts, (store) => showCommand(store, io, run, { json: opts.json === true }));
    });
  stateOption(program.command('resume').description('finish the hosts an interrupted or crashed run left, as the same run').argument('<run>'))
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--json', 'print one JSON document on stdout (the whole run, as `show RUN --json`)')
    .action(async (run: string, opts: Record<string, unknown>) => {
      const state = typeof opts.state === 'string' ? opts.state : undefined;
      const [{ resumeCommand }, { defaultStatePath, openJournal }] = await Promise.all([commands.resume(), loadStore()]);
      const store = await openJournal(state ?? defaultStatePath());
      try {
        const options = { yes: opts.yes === true, json: opts.json === true, ...(state !== undefined ? { state } : {}) };
        code = await resumeCommand(store, io, run, options, (args, inner, r) => runCli(args, inner, r, hooks));
      } finally {
        await store.close();
      }
    });
  program
    .command('worker')
    .description('run the per-host jobs of `upgrade|use|rollback --workers` rollouts from the shared queue')
    .option('--state <url>', 'the shared journal and job queue: postgres://USER@HOST:PORT/DB (default $GOFLEET_STATE); password from PGPASSWORD or ~/.pgpass')
    .option('--concurrency <n>', 'hosts worked on at once', intOption('--concurrency', 1, 1000), 4)
    .option('--site <name>', "take only the hosts of this site (the inventory's site: / gofleet_site); default: only hosts without a site")
    .option('--lease <seconds>', 'how long a host job is held without renewal (renewed every third of it); another worker recovers the host after that', intOption('--lease', 2, 3600), 60)
    .action(async (opts: Record<string, unknown>) => {
      const { workerCommand } = await commands.worker();
      const state = typeof opts.state === 'string' ? opts.state : (process.env.GOFLEET_STATE ?? '');
      const site = typeof opts.site === 'string' ? opts.site : null;
      code = await workerCommand(io, { state, concurrency: Number(opts.concurrency), site, leaseMs: Number(opts.lease) * 1000 }, (a, childIo, r, h) => runCli(a, childIo, r, h));
    });
  program
    .command('state')
    .description('the run journal itself')
    .command('migrate')
    .description('copy every run of a SQLite journal into the journal on PostgreSQL (one transaction; runs already there are skipped)')
    .requiredOption('--from <file>', 'the SQLite journal to copy (read, never written)')
    .requiredOption('--to <url>', 'postgres:// URL of the shared journal (its password from $PGPASSWORD or ~/.pgpass)')
    .option('--json', 'print one JSON document on stdout')
    .action(async (opts: Record<string, unknown>) => {
      const { stateMigrateCommand } = await commands.state();
      code = await stateMigrateCommand({ from: String(opts.from), to: String(opts.to), json: opts.json === true }, io);
    });
  stateOption(program.command('report').description('render a recorded run for CI systems and people').argument('<run>'))
    .requiredOption('--format <format>', 'json, junit or html (one self-contained page)')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (run: string, opts: Record<string, unknown>) => {
      const { reportCommand } = await commands.report();
      code = await withStore(opts, (store) =>
        reportCommand(store, io, run, { format: String(opts.format), ...(typeof opts.output === 'string' ? { output: opts.output } : {}) }),
      );
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    const e = asGofleetError(err);
    reportError(io, e);
    // scripts asked for JSON: give them a document to parse even when the command could not run
    if (argv.includes('--json')) io.out(JSON.stringify({ error: { ...e.toJSON(), location: e.location ?? null } }, null, 2) + '\n');
    return exitCodeForError(e);
  }
}

/**
 * `serve` (issue 13). `serve token create|list|revoke` manage the dashboard's API tokens. Returned so the service
 * itself can be added to the same command: `serve.option(...).action(...)` (commander runs the parent's action
 * when no subcommand is named).
 */
export function registerServe(program: Command, setCode: (code: number) => void, io: CliIo): Command {
  const serve = program.command('serve').description('a long-running service with a live web dashboard');
  const token = serve.command('token').description('API tokens for the dashboard (required beyond loopback); only their SHA-256 is stored');
  const withServeStore = async (opts: Record<string, unknown>, fn: (store: ServeStore) => number): Promise<void> => {
    const { defaultStatePath, isPostgresUrl, journalName, openServeStore } = await loadStore();
    const path = typeof opts.state === 'string' ? opts.state : defaultStatePath();
    if (isPostgresUrl(path)) {
      throw new GofleetError('BAD_OPTION', `serve tokens live in a local journal file, not on PostgreSQL (${journalName(path)})`, { hint: 'Give serve token the journal file serve runs with: --state FILE.' });
    }
    const store = openServeStore(path);
    try {
      setCode(fn(store));
    } finally {
      store.close();
    }
  };
  // optsWithGlobals: `serve` may get --state/--json options of its own, and commander hands an option to whichever
  // command defines it first
  stateOption(token.command('create').description('make a token NAME and print it once').argument('<name>')).action(async (name: string, _o: unknown, cmd: Command) => {
    const { tokenCreateCommand } = await commands.serveToken();
    await withServeStore(cmd.optsWithGlobals(), (store) => tokenCreateCommand(store, io, name));
  });
  stateOption(token.command('list').description('token names and when they were made (never the tokens)'))
    .option('--json', 'print one JSON document on stdout')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals();
      const { tokenListCommand } = await commands.serveToken();
      await withServeStore(opts, (store) => tokenListCommand(store, io, { json: opts.json === true }));
    });
  stateOption(token.command('revoke').description('refuse the token NAME from now on').argument('<name>')).action(async (name: string, _o: unknown, cmd: Command) => {
    const { tokenRevokeCommand } = await commands.serveToken();
    await withServeStore(cmd.optsWithGlobals(), (store) => tokenRevokeCommand(store, io, name));
  });
  return serve;
}

export function reportError(io: CliIo, e: GofleetError): void {
  const where = e.location ? `${e.location.file}${e.location.line ? `:${e.location.line}` : ''}: ` : '';
  const msg = e.message.startsWith(where) || e.message.includes(e.location?.file ?? '\0') ? e.message : where + e.message;
  // messages quote inventory values and host output: shown, never obeyed by the terminal
  io.err(`gofleet: error ${e.code}: ${safeText(msg, { multiline: true })}\n  hint: ${safeText(e.hint, { multiline: true })}\n`);
}
