// Builds what a command needs from its options: the selected hosts, the release source, and the engine
// context with production defaults (real transports, the posix dialect, the verified archive cache), whose
// event stream goes to the console progress, the run journal and the run log (src/log).

import { setMaxListeners } from 'node:events';
import { GofleetError, asGofleetError } from '../errors.ts';
import { checkJournalSpec, defaultStatePath, isPostgresUrl, journalName, openJournal as openJournalAt, openStore, type Store, type WriteGuard } from '../store/index.ts';
import type { ArchiveInfo, EngineContext, LocalArchive } from '../engine/context.ts';
import { fanOut, type EventSink } from '../engine/events.ts';
import type { BeforeWave } from '../engine/wave-gate.ts';
import { newRunId } from '../engine/run-fleet.ts';
import { markResumed, type ResumeState } from '../engine/resume-host.ts';
import type { ArchiveLookup } from '../engine/plan-fleet.ts';
import { loadInventory, selectHosts } from '../inventory/index.ts';
import type { HostSpec, Inventory } from '../inventory/types.ts';
import { dialectFor } from '../platform/registry.ts';
import { cacheLimit, findFileFor, normalizeVersion, parseSpec, type AgedResolution } from '../releases/index.ts';
import { archiveJson, type ArchiveJson } from '../report/provenance.ts';
import { colourWanted } from '../report/colour.ts';
import { consoleProgress } from '../report/console-progress.ts';
import { hostWarningLine } from '../report/host-warning.ts';
import { openTransport } from '../transport/open-transport.ts';
import type { Transport } from '../transport/types.ts';
import type { GlobalOptions } from './global-options.ts';
import type { CliIo } from './io.ts';
import { resolveSecrets } from './resolve-secrets.ts';
import { openRunLog, runLogPath, type RunLog } from '../log/run-log.ts';
import { exitNow } from './exit-now.ts';
import { lazyProvider } from './release-sources.ts';
import { parseMinAge } from './min-age-option.ts';

export interface Runtime {
  options: GlobalOptions;
  /** the raw option values of the command (for command-specific flags) */
  raw: Record<string, unknown>;
  /** the command line as runCli got it (the journal records it; a --workers coordinator hands it to workers) */
  argv: readonly string[];
  hosts: HostSpec[];
  /** what an in-process caller added (reconcile, serve); empty from the command line */
  hooks: RunHooks;
  /** the whole inventory (groups and tags), for policy host patterns */
  inventory: Inventory;
  context(command: string, view?: ProgressView): EngineContext;
  /** open the run journal now (commands that change hosts, before asking anything, and before `context`):
   * STATE_UNAVAILABLE when it cannot be used, unless --no-journal (then undefined). Opened once: the open store
   * (a --workers coordinator opens its dispatch on it; it stays the runtime's, closed by dispose) */
  openJournal(): Promise<Store | undefined>;
  /** after `context`: resolves once the run's first journal write (its row) is committed — a journal on a server
   * writes behind the engine, so a command that changes hosts waits for it before the first host; throws
   * STATE_UNAVAILABLE when it failed */
  journalReady(): Promise<void>;
  /** the journal failure that stopped a run mid-way (no new host was started after it), if any */
  journalFailure(): GofleetError | undefined;
  /** after a journal failure: one more attempt to record the run's end (interrupted, so `resume` can finish
   * it) if the journal still says running; the status it holds then, or null when it cannot be read */
  settleJournal(run: string): Promise<string | null>;
  /** the log of a run this runtime started (commands that change hosts, unless --log-level silent) */
  runLog(run: string): RunLog | undefined;
  /** the exact version `spec` means (under --min-age, warning on stderr when an exact version is too young) */
  resolveTarget(spec: string): Promise<string>;
  /** the same, with the newer releases --min-age held back (plan shows them) */
  resolveRelease(spec: string): Promise<AgedResolution>;
  /** the same under a given min-age instead of --min-age (a policy channel's min_age); undefined: none */
  resolveWithMinAge(spec: string, minAge: string | undefined): Promise<AgedResolution>;
  archiveLookup(version: string): Promise<ArchiveLookup>;
  normalizeVersion(version: string): string;
  /** the provenance of each archive this command fetched, in order (upgrade --json `archives`) */
  archives(): ArchiveJson[];
  /** stop listening for Ctrl-C and close the journal, once everything it was given is written (the CLI calls
   * it when the command is done) */
  dispose(): Promise<void>;
}

/** What the live progress needs to know of the rollout for its estimate. */
export interface ProgressView {
  /** the size of each wave, in order */
  waves?: readonly number[];
}

/**
 * What a caller running a command in-process (reconcile, serve) adds to it: an observer of the run's events, the
 * answer between waves (instead of --pause's terminal), a stop signal (as a first Ctrl-C: no new host starts), and
 * what started the run (recorded in the journal's policy as `origin`).
 */
export interface RunHooks {
  sink?: EventSink;
  beforeWave?: BeforeWave;
  signal?: AbortSignal;
  origin?: Record<string, unknown>;
  /** a worker's job (issue 14): these hosts instead of loading the inventory (--limit still selects among them) */
  hosts?: HostSpec[];
  /** a worker's job: the coordinator's run id (this command's events belong to that run) */
  run?: string;
  /** a worker's job: journal only the hosts' steps and results; the run's own rows are the coordinator's */
  journalHostsOnly?: boolean;
  /** a worker's job: the lease's fencing token, recorded by the host lock (EngineContext.fence) */
  fence?: { token: number };
  /** a worker's job: the worker's own open journal, used instead of opening --state again (flushed, not closed, by dispose) */
  journal?: Store;
  /** a worker's job: its lease as a fence on the journal's writes, checked by the server in each write (RecorderOptions.guard) */
  journalGuard?: WriteGuard;
}

/** `resume RUN`: the same run id, only the hosts it left unfinished, and what it knew about them. */
export interface RuntimeResume {
  run: string;
  hosts: readonly string[];
  state: ResumeState;
}

/** `argv`: the command line as runCli got it (the journal records it, and `resume` runs it again). */
export async function createRuntime(
  options: GlobalOptions,
  raw: Record<string, unknown>,
  io: CliIo,
  resume?: RuntimeResume,
  argv: readonly string[] = process.argv.slice(2),
  hooks: RunHooks = {},
): Promise<Runtime> {
  // a password in a --state URL is refused before anything is read or contacted
  checkJournalSpec(options.state ?? defaultStatePath());
  const inventory = hooks.hosts
    ? jobInventory(hooks.hosts)
    : await loadInventory(options.inventory, {
        ...(options.sshConfig ? { sshConfigPath: options.sshConfig } : {}),
        ...(options.playbookDir !== undefined ? { playbookDir: options.playbookDir } : {}),
      });
  const selected = selectHosts(inventory, options.limit);
  const wanted = new Set(resume?.hosts);
  const hosts = resume ? selected.filter((h) => wanted.has(h.name)) : selected;
  if (resume) {
    const found = new Set(hosts.map((h) => h.name));
    const missing = resume.hosts.filter((name) => !found.has(name));
    if (missing.length > 0) io.err(`warning: not in the inventory any more, left as they were: ${missing.join(', ')}\n`);
  }
  const provider = lazyProvider(
    {
      sources: options.sources,
      ...(options.checksumSource !== undefined && { checksumSource: options.checksumSource }),
      ...(options.trustKey !== undefined && { trustKey: options.trustKey }),
      ...(options.cacheDir !== undefined && { cacheDir: options.cacheDir }),
      ...(options.minAge !== undefined && { minAge: options.minAge }),
      method: options.method,
      ...(options.sha256 !== undefined && { sha256: options.sha256 }),
    },
    (message) => io.err(`${message}\n`),
    cacheLimit(options.cacheMaxBytes, (note) => io.err(`${note}\n`)),
  );
  // --workers (issue 14): the coordinator contacts no host with a password; each worker resolves the references
  // from its own environment (a job carries references only: ./workers-fleet.ts)
  const secrets: Awaited<ReturnType<typeof resolveSecrets>> = raw.workers === true
    ? new Map()
    : await resolveSecrets(hosts, options.vaultPasswordFile ? { vaultPasswordFile: options.vaultPasswordFile } : {});
  // the provenance of each file fetched by this command, in order (upgrade --json `archives`)
  const fetched = new Map<string, ArchiveJson>();
  const logs = new Map<string, RunLog>();
  const interrupt = interruptController(io, (level, msg) => {
    for (const log of logs.values()) {
      log.line(level, msg);
      if (level === 'error') log.close();
    }
  });
  // the caller's stop (serve on SIGTERM) acts as a first Ctrl-C
  const onStop = (): void => {
    if (!interrupt.signal.aborted) interrupt.abort();
  };
  if (hooks.signal?.aborted) onStop();
  else hooks.signal?.addEventListener('abort', onStop, { once: true });

  // the run journal: opened once, only by commands that change hosts (facts and plan leave no trace). A
  // command that changes hosts refuses to start without a working one (unless --no-journal): a run that is
  // not recorded cannot be shown, reported or resumed.
  let store: Store | undefined;
  let opening: Promise<Store> | undefined;
  let journalFailure: GofleetError | undefined;
  /** set once journalReady() saw the run's row committed: a failure after that is one mid-run */
  let journalStarted = false;
  const statePath = options.state ?? defaultStatePath();
  // messages name a journal on a server as user@host:port/database
  const stateName = journalName(statePath);
  const unavailable = (err: unknown): GofleetError => {
    const e = asGofleetError(err, 'STATE_UNAVAILABLE');
    return e.code === 'STATE_UNAVAILABLE' ? journalUnavailable(e.message, err) : e;
  };
  const openJournal = async (): Promise<Store | undefined> => {
    if (!options.journal) return undefined;
    try {
      if (hooks.journal) return (store ??= hooks.journal);
      return (store ??= await (opening ??= openJournalAt(statePath)));
    } catch (err) {
      opening = undefined;
      throw unavailable(err);
    }
  };
  /** the journal for `context`: opened by openJournal() before; a SQLite file can still be opened here */
  const openedJournal = (): Store | undefined => {
    if (!options.journal || store) return store;
    if (isPostgresUrl(statePath)) throw new GofleetError('STATE_UNAVAILABLE', `${stateName}: the journal on PostgreSQL was not opened before the run started (runtime.openJournal() first)`);
    try {
      return (store = openStore(statePath));
    } catch (err) {
      throw unavailable(err);
    }
  };
  const journal = (run: string, command: string): EventSink => {
    const opened = openedJournal();
    if (!opened) {
      io.err('note: --no-journal: this run is not recorded (no history, show, report or resume for it).\n');
      return () => {};
    }
    const meta = { run, argv: [...argv], command, policy: { ...(hooks.origin ? { origin: hooks.origin } : {}), parallel: options.parallel, canary: raw.canary ?? null, waves: raw.waves ?? null, max_fail: raw.maxFail ?? null, ...(options.deadline !== undefined ? { deadline: new Date(options.deadline).toISOString() } : {}), verify: { build: options.verifyBuild, requirePath: options.requirePath }, limit: options.limit ?? null, ...(command === 'upgrade' ? { method: options.method, min_age: options.minAge ?? null, distribution: options.distribution } : {}) } };
    try {
      return opened.recorder(meta, {
        begin: true,
        ...(hooks.journalHostsOnly ? { hostsOnly: true } : {}),
        ...(hooks.journalGuard ? { guard: hooks.journalGuard } : {}),
        onError: (err) => {
          if (journalFailure) return;
          if (!journalStarted) {
            // the run's own row could not be written: journalReady() refuses the run before any host
            journalFailure = journalUnavailable(`${stateName}: the run journal cannot be written: ${err.message}`, err);
            interrupt.abort(journalFailure);
            return;
          }
          // mid-run: no new host starts (as on a first Ctrl-C); hosts in flight finish or roll back as usual
          journalFailure = journalUnavailable(`${stateName}: the run journal failed during the run: ${err.message}`, err, true);
          io.err(`\nerror: ${journalFailure.message}\n  no new hosts will be started; hosts in flight finish or roll back on their own.\n`);
          for (const log of logs.values()) log.line('error', journalFailure.message);
          interrupt.abort(journalFailure);
        },
      });
    } catch (err) {
      throw journalUnavailable(`${stateName}: the run journal cannot be written: ${asGofleetError(err).message}`, err);
    }
  };

  // the run log: line-delimited JSON beside the journal, one file per run (a resumed run appends to its own)
  const runLog = (run: string, command: string): RunLog | undefined => {
    try {
      const log = openRunLog({
        path: runLogPath(localStatePath(statePath), run),
        level: options.logLevel,
        run,
        // a full disk must not stop (or hang) the run: one warning, and the run goes on without its log
        onError: (err) => io.err(`warning: the run log cannot be written any more (${err.message}); the run goes on without it\n`),
      });
      logs.set(run, log);
      log.line('debug', `${command}: ${hosts.length} host(s), --parallel ${options.parallel}`, {
        argv,
        hosts: hosts.map((h) => h.name),
        ...(resume ? { resumed: true } : {}),
      });
      return log;
    } catch (err) {
      io.err(`warning: the run log cannot be written, this run has none: ${asGofleetError(err).message}\n`);
      return undefined;
    }
  };

  const connect = async (host: HostSpec): Promise<Transport> => {
    const password = secrets.get(host.name)?.password;
    return openTransport(host, {
      connectTimeoutMs: options.connectTimeout * 1000,
      acceptNewHostKeys: options.acceptNewHostKeys,
      ...(password !== undefined ? { password } : {}),
      // WinRM: certificate validation off, clear-text messages: said once per host, loudly
      onWarning: (text) => io.err(hostWarningLine(host.name, text)),
    });
  };

  // once per command: plan's preview and upgrade's run see the same answer (and one warning)
  const resolutions = new Map<string, Promise<AgedResolution>>();
  const resolvedWith = (spec: string, minAge: string | undefined): Promise<AgedResolution> => {
    const key = `${spec}\0${minAge ?? ''}`;
    let got = resolutions.get(key);
    if (!got) {
      got = (async () => {
        const r = await (await provider()).resolve(spec, minAge === undefined ? null : { text: minAge, ms: parseMinAge(minAge) });
        if (r.warning) io.err(`warning: ${r.warning}\n`);
        return r;
      })();
      resolutions.set(key, got);
    }
    return got;
  };
  const resolved = (spec: string): Promise<AgedResolution> => resolvedWith(spec, options.minAge);

  return {
    options,
    raw,
    argv,
    hosts,
    inventory,
    normalizeVersion(v) {
      const spec = parseSpec(v);
      if (spec.kind !== 'exact') {
        // the generic hint offers 1.27 and latest, which use cannot take: name what it can, and where to find it
        throw new GofleetError('BAD_VERSION_SPEC', `"${v}": use needs an exact installed version such as go1.27.3`, {
          hint: `\`use\` switches to a version already installed on each host, so it takes an exact one (go1.27.3 or 1.27.3): \`gofleet facts -i INV\` lists the installed versions per host; to install the newest release "${v}" names, run \`gofleet upgrade --to ${v}\`.`,
        });
      }
      return normalizeVersion(spec.version);
    },
    hooks,
    dispose: async () => {
      hooks.signal?.removeEventListener('abort', onStop);
      interrupt.dispose();
      for (const log of logs.values()) log.close();
      // a journal on a server writes what it was given, then closes: the command's exit code waits for it
      const closing = store;
      store = undefined;
      opening = undefined;
      // a journal the caller lent (a worker's) stays open: only what this command gave it is waited for
      await (closing === hooks.journal ? closing?.flush() : closing?.close());
    },
    runLog: (run) => logs.get(run),
    archives: () => [...fetched.values()],
    openJournal,
    journalReady: async () => {
      await store?.flush();
      if (journalFailure) throw journalFailure;
      journalStarted = true;
    },
    journalFailure: () => journalFailure,
    settleJournal: async (run) => {
      try {
        await store?.flush().catch(() => undefined);
        // a worker's job (journalHostsOnly) writes host rows only: the run row is its coordinator's, which is alive
        if (!hooks.journalHostsOnly && (await store?.getRun(run))?.status === 'running') await store?.markInterrupted(run);
      } catch {
        // still failing: the status read below (if any) says what the journal holds
      }
      try {
        return (await store?.getRun(run))?.status ?? null;
      } catch {
        return null;
      }
    },
    async resolveTarget(spec) {
      return (await resolved(spec)).version;
    },
    resolveRelease: resolved,
    resolveWithMinAge: resolvedWith,
    async archiveLookup(version) {
      const { source, releases } = await (await provider()).listing();
      return (os, arch) => {
        try {
          const f = findFileFor(releases, version, os, arch, options.method);
          // a module zip is repacked on the controller: hosts receive it pushed, never from the proxy
          return { filename: f.filename, size: f.size, url: f.kind === 'module-zip' ? null : source.fileUrl(f.filename) };
        } catch (err) {
          if (err instanceof GofleetError) return err;
          throw err;
        }
      };
    },
    context(command, view = {}) {
      // read-only commands print their table; progress, journal and log are for the commands that change hosts
      const readOnly = command === 'facts' || command === 'plan' || command === 'drift' || command === 'reconcile' || command === 'serve';
      const progress =
        options.json || readOnly
          ? undefined
          : consoleProgress({
              write: io.err,
              tty: io.stderrTty,
              colour: colourWanted({ isTTY: io.stderrTty }),
              parallel: options.parallel,
              ...(view.waves ? { waves: view.waves } : {}),
              ...(options.pauseAfterMs ? { pauseMs: options.pauseAfterMs } : {}),
            });
      const run = resume?.run ?? hooks.run ?? newRunId();
      const ctx: EngineContext = {
        run,
        connect,
        dialectFor,
        async archiveInfo(version, os, arch, method): Promise<ArchiveInfo> {
          const a = await (await provider()).artifact(version, os, arch, method);
          // a toolchain module zip (goproxy:) gets its SHA-256 and size only once verified and repacked as
          // the archive hosts receive: the host's cached copy is checked against that, not against ''
          if (a.kind === 'module-zip' && !readOnly) {
            const got = await ctx.fetchArchive(version, os, arch);
            return { filename: got.filename, sha256: got.sha256, size: got.size, url: null };
          }
          return { filename: a.filename, sha256: a.sha256, size: a.size, url: a.url };
        },
        async fetchArchive(version, os, arch): Promise<LocalArchive> {
          // once per file for the whole command, failures included (the provider's memo); its provenance is
          // reported once, to the progress, the journal and the run log
          const got = await (await provider()).fetch(version, os, arch);
          if (!fetched.has(got.filename)) {
            fetched.set(got.filename, archiveJson(got.filename, got.provenance));
            ctx.emit({ kind: 'archive', run, filename: got.filename, provenance: got.provenance, at: ctx.now() });
          }
          return { path: got.path, filename: got.filename, sha256: got.sha256, size: got.size };
        },
        emit: fanOut(progress, readOnly ? undefined : journal(run, command), readOnly ? undefined : runLog(run, command)?.sink, readOnly ? undefined : hooks.sink),
        now: Date.now,
        verify: {
          build: options.verifyBuild,
          requirePath: options.requirePath,
          ...(options.healthCmd ? { healthCommand: options.healthCmd } : {}),
        },
        stepTimeoutMs: options.stepTimeout * 1000,
        drain: { timeoutMs: options.drainTimeoutMs, force: options.force },
        ...(options.adoptLink ? { adoptLink: true } : {}),
        ...(options.method === 'msi' ? { method: options.method } : {}),
        ...(options.distribution !== 'push' ? { distribution: options.distribution } : {}),
        becomePassword: (host) => secrets.get(host)?.becomePassword,
        signal: interrupt.signal,
        abortHosts: interrupt.hosts,
        ...(hooks.fence ? { fence: { token: hooks.fence.token } } : {}),
      };
      if (resume && !readOnly) markResumed(ctx, resume.state);
      return ctx;
    },
  };
}

/** The hosts a worker's job names, as an inventory (their own groups, for --limit patterns). */
function jobInventory(hosts: readonly HostSpec[]): Inventory {
  const groups: Record<string, string[]> = {};
  for (const h of hosts) for (const g of h.groups) (groups[g] ??= []).push(h.name);
  return { file: '(worker job)', format: 'gofleet', hosts: [...hosts], groups };
}

/** Where the run logs go: beside the journal file, or with a journal on a server, in the local default state
 * directory ($GOFLEET_STATE when that is a file, else the XDG state directory). */
function localStatePath(statePath: string): string {
  if (!isPostgresUrl(statePath)) return statePath;
  const fallback = defaultStatePath();
  return isPostgresUrl(fallback) ? defaultStatePath({ ...process.env, GOFLEET_STATE: '' }) : fallback;
}

/** STATE_UNAVAILABLE for a command that changes hosts, with the way out. */
function journalUnavailable(message: string, cause: unknown, midRun = false): GofleetError {
  const what = midRun
    ? 'No host was started after the failure; hosts in flight finished or rolled back (see the summary and the run log).'
    : 'No host was contacted.';
  return new GofleetError('STATE_UNAVAILABLE', message, {
    cause,
    hint: `${what} Fix the journal (its path: --state or $GOFLEET_STATE; free space, permissions, a corrupt file moved aside), or pass --no-journal to change hosts without recording the run.`,
  });
}

/**
 * First Ctrl-C: stop starting hosts (in-flight ones finish or roll back). Second: abort the hosts in flight —
 * each host script gets one SIGTERM: before its switch it stops with goroot untouched, after it it rolls back
 * (never a kill, so no host is left half-switched); the command then ends with 99. Third: leave now.
 * `note` hears each (the run log records them; `error` means the process is about to leave).
 */
function interruptController(
  io: CliIo,
  note: (level: 'warn' | 'error', msg: string) => void,
): AbortController & { hosts: AbortSignal; dispose(): void } {
  const ctl = new AbortController();
  const hosts = new AbortController();
  // one listener per in-flight exec; with --parallel above 10 that is many, and all are removed after use
  setMaxListeners(0, ctl.signal);
  setMaxListeners(0, hosts.signal);
  let count = 0;
  const onSigint = (): void => {
    count++;
    if (count === 1) {
      io.err('\ninterrupt: no new hosts will be started; hosts in flight finish or roll back on their own. Ctrl-C again to abort them.\n');
      note('warn', 'interrupt (Ctrl-C): no new hosts will be started');
      ctl.abort();
    } else if (count === 2) {
      io.err('\naborting hosts in flight: those not yet switched stop untouched, switched ones roll back. Ctrl-C again to leave now.\n');
      note('warn', 'second interrupt (Ctrl-C): aborting hosts in flight with rollback');
      hosts.abort();
    } else {
      io.err('\nleaving now: host scripts already running finish or roll back on the hosts by themselves.\n');
      note('error', 'third interrupt (Ctrl-C): leaving now, exit 99');
      exitNow(99);
    }
  };
  process.on('SIGINT', onSigint);
  return Object.assign(ctl, { hosts: hosts.signal, dispose: () => void process.off('SIGINT', onSigint) });
}
