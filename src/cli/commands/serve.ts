// gofleet serve -i INV --policy P [--listen 127.0.0.1:8080] [--refresh 10m] [--tls-cert F --tls-key F]: the fleet
// as a living system. Wires the service (serve/service.ts) to the real world — a facts round is a fresh runtime
// (the inventory and the policy file are read again each time), a rollout is `upgrade` run in-process with the
// assignment's shape and the window's close as --deadline (reconcile-argv.ts), a resume is `gofleet resume RUN` —
// and serves the dashboard (serve/http-server.ts). SIGTERM or Ctrl-C stops it as a first Ctrl-C stops a rollout:
// no new host starts, hosts in flight finish or roll back, the runs end interrupted and the next start resumes them.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GofleetError } from '../../errors.ts';
import type { HostSpec } from '../../inventory/types.ts';
import { loadPolicy } from '../../policy/parse-policy.ts';
import { htmlReportFor } from './report.ts';
import { historyJson } from './history.ts';
import { isAbandoned, isPostgresUrl, journalName, openServeStore, openJournal, defaultStatePath, type ServeStore, type Store } from '../../store/index.ts';
import { dashboardData, type JournalReader, type ServeHostFacts } from '../../serve/dashboard-data.ts';
import { createDashboardServer, isLoopback } from '../../serve/http-server.ts';
import { FleetService, type Assessment, type ServiceDeps, type UnfinishedRun } from '../../serve/service.ts';
import { verifyToken } from '../../serve/tokens.ts';
import { liveEventsFromJournal } from '../../serve/journal-events.ts';
import type { RunsView } from '../../serve/types.ts';
import { toolchainVulns } from '../../vulndb/match.ts';
import { hostToolchainVersion } from '../../report/host-vulns.ts';
import { EXIT } from '../exit-code.ts';
import type { CliIo } from '../io.ts';
import type { Runtime } from '../runtime.ts';
import { assessDrift } from './drift.ts';
import { vulnDbOption } from './facts.ts';
import type { RunCommand } from './reconcile.ts';
import { upgradeArgv } from './reconcile-argv.ts';
import { hostsToResume } from './resume.ts';

export interface ServeWiring {
  /** runCli, in-process */
  run: RunCommand;
  /** a fresh runtime for one facts round (program.ts: createRuntime with the serve command line) */
  newRuntime(): Promise<Runtime>;
}

/** How often the windows are looked at: a rollout starts at most this long after its window opens. */
const TICK_MS = 30_000;

export async function serveCommand(rt: Runtime, io: CliIo, argv: readonly string[], wiring: ServeWiring): Promise<number> {
  const statePath = rt.options.state ?? defaultStatePath();
  if (isPostgresUrl(statePath)) {
    // its tokens and audit trail live in the SQLite journal (serve-store.ts), which has no PostgreSQL form yet
    throw new GofleetError('BAD_OPTION', `serve cannot use the journal on PostgreSQL (${journalName(statePath)}) yet: it keeps its dashboard tokens and audit trail in a local journal file`, {
      hint: 'Give serve a SQLite journal: --state FILE (or leave --state and $GOFLEET_STATE unset for the default file).',
    });
  }
  const policyFile = resolve(String(rt.raw.policy));
  // a bad policy or vulnerability database stops the service before it listens
  await loadPolicy(policyFile);
  const db = await vulnDbOption(rt);
  const listen = parseListen(typeof rt.raw.listen === 'string' ? rt.raw.listen : '127.0.0.1:8080');
  const https = tlsOption(rt.raw);
  const loopback = isLoopback(listen.host);
  if (!loopback && !https && rt.raw.insecureHttp !== true) {
    throw new GofleetError('BAD_OPTION', `--listen ${listen.host}:${listen.port} is beyond loopback: the dashboard needs TLS there (--tls-cert and --tls-key), or --insecure-http to send tokens in clear text`);
  }
  const store = await openJournal(statePath);
  const serveStore = openServeStore(statePath);
  if (!loopback && serveStore.listTokens().length === 0) {
    await store.close();
    serveStore.close();
    throw new GofleetError('BAD_OPTION', `--listen ${listen.host}:${listen.port} is beyond loopback, which needs a bearer token, and the journal ${statePath} holds none`, {
      hint: 'Create one with `gofleet serve token create NAME` (it is printed once; only its hash is kept), then start serve again.',
    });
  }
  // from here signals belong to serve (and to each rollout's own runtime)
  await rt.dispose();
  const nested: CliIo = { out: () => undefined, err: io.err, stdoutTty: false, stderrTty: false };
  const log = (level: string, message: string): void => io.err(`serve: ${level}: ${message}\n`);

  const deps: ServiceDeps<ServeHostFacts> = {
    assess: async () => assess(wiring, policyFile, db),
    runRollout: async (planned, hooks) => {
      log('info', `rollout of assign[${planned.assignment}]: ${planned.hosts.length} host(s) -> ${planned.target}`);
      const args = upgradeArgv(argv, { hosts: planned.hosts, target: planned.target, shape: planned.shape, deadline: planned.deadline, json: true });
      const code = await wiring.run(args, nested, { ...hooks, origin: { ...hooks.origin, policy: policyFile } });
      log('info', `rollout of assign[${planned.assignment}] ended: exit ${code}`);
      return code;
    },
    resumeRun: async (run, hooks) => {
      log('info', `resuming run ${run}, left unfinished by an earlier serve`);
      return wiring.run(['resume', run, '--yes', '--json', '--state', statePath], nested, hooks);
    },
    unfinishedRuns: () => unfinishedRuns(store, serveStore),
    approvedHosts: (run) => approvedHosts(store, serveStore, run),
    audit: (e) => void serveStore.appendAudit({ at: e.at, actor: e.actor.who, source: e.actor.from, action: e.action, run: e.run, wave: e.wave, detail: { hosts: e.hosts } }),
    now: Date.now,
    log,
  };
  const refreshMs = typeof rt.raw.refresh === 'number' ? rt.raw.refresh : 10 * 60_000;
  // a short --refresh (tests, a small lab) also looks at the windows that often
  const service = new FleetService(deps, { refreshMs, tickMs: Math.min(TICK_MS, refreshMs) });
  const data = dashboardData({ service, journal: journalReader(store), policyFile, vulndb: db ? { source: db.source, modified: db.modified } : null, now: Date.now });
  const server = createDashboardServer(data, {
    listen,
    requireToken: !loopback,
    verifyToken: (token) => verifyToken(serveStore, token),
    ...(https ? { https } : {}),
    log: (line) => io.err(`serve: ${line}\n`),
  });
  const url = await server.listen();
  io.err(`gofleet serve: dashboard at ${url} (policy ${policyFile}; facts every ${Math.round(refreshMs / 60_000)} min; SIGTERM or Ctrl-C stops it)\n`);
  const stopped = new Promise<string>((done) => {
    process.once('SIGTERM', () => done('SIGTERM'));
    process.once('SIGINT', () => done('interrupt'));
  });
  await service.start();
  await service.tick();
  const why = await stopped;
  io.err(`serve: ${why}: no new host starts; hosts in flight finish or roll back, then serve stops (the next start resumes its runs).\n`);
  await service.stop();
  await server.close();
  serveStore.close();
  await store.close();
  return EXIT.ok;
}

/** One facts round: a fresh runtime (inventory and policy read again), drift, facts per host, vulnerabilities. */
async function assess(wiring: ServeWiring, policyFile: string, db: Awaited<ReturnType<typeof vulnDbOption>>): Promise<Assessment<ServeHostFacts>> {
  const rt = await wiring.newRuntime();
  try {
    const policy = await loadPolicy(policyFile);
    const { facts, results } = await assessDrift(rt, policy, 'serve');
    const at = Date.now();
    const specs = new Map<string, HostSpec>(rt.hosts.map((h) => [h.name, h]));
    return {
      at,
      policy,
      results,
      facts: facts.map((r): ServeHostFacts => {
        const spec = specs.get(r.name);
        const f = r.facts;
        return {
          name: r.name,
          os: f && f.os !== 'unknown' ? f.os : null,
          arch: f?.arch ?? null,
          groups: spec?.groups ?? [],
          tags: spec?.tags ?? [],
          at: f ? at : null,
          ...(db ? { vulns: toolchainVulns(hostToolchainVersion(r), db.records) } : {}),
        };
      }),
    };
  } finally {
    await rt.dispose();
  }
}

/** Runs this service started that did not finish (SIGTERM, a crash) and that no person stopped: resumed at start. */
export async function unfinishedRuns(store: Store, serveStore: ServeStore): Promise<UnfinishedRun[]> {
  const stoppedByAPerson = new Set(serveStore.listAudit().filter((e) => e.action === 'stop' && e.run).map((e) => e.run));
  const candidates = (await store.listRuns({ limit: 500 })).filter((r) => {
    const origin = r.policy.origin as { by?: unknown } | undefined;
    if (r.command !== 'upgrade' || origin?.by !== 'serve' || stoppedByAPerson.has(r.id)) return false;
    return r.status === 'interrupted' || (r.status === 'running' && isAbandoned(r) === true);
  });
  const out: UnfinishedRun[] = [];
  for (const r of candidates) {
    const assignment = (r.policy.origin as { assignment?: unknown }).assignment;
    const run = await store.getRun(r.id);
    const hosts = run ? hostsToResume(run, (await store.unfinishedHosts(r.id)).map((h) => h.name)) : [];
    if (hosts.length > 0) out.push({ id: r.id, hosts, assignment: typeof assignment === 'number' ? assignment : null });
  }
  return out;
}

/** A run's hosts that need no approval any more: its first wave (never asked about) and every approved wave's. */
export async function approvedHosts(store: Store, serveStore: ServeStore, run: string): Promise<string[]> {
  const first = (await store.runEvents(run)).find((e) => e.kind === 'wave-start');
  const out = new Set<string>(Array.isArray(first?.payload.hosts) ? first.payload.hosts.filter((h): h is string => typeof h === 'string') : []);
  for (const e of serveStore.listAudit({ run })) {
    const hosts = e.detail.hosts;
    if (e.action === 'approve' && Array.isArray(hosts)) for (const h of hosts) if (typeof h === 'string') out.add(h);
  }
  return [...out];
}

function journalReader(store: Store): JournalReader {
  return {
    runs: async () => historyJson(await store.listRuns({ limit: 200 })) as unknown as RunsView,
    events: async (run) => ((await store.getRun(run)) ? liveEventsFromJournal(await store.runEvents(run)) : null),
    report: (run) => htmlReportFor(store, run),
  };
}

/** `--listen HOST:PORT` ([::1]:8080 for IPv6). */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new GofleetError('BAD_OPTION', `--listen must be HOST:PORT (127.0.0.1:8080, [::1]:8080, 0.0.0.0:8443), got "${text}"`);
  return { host: (m[1] ?? m[2]) as string, port };
}

function tlsOption(raw: Record<string, unknown>): { key: Buffer; cert: Buffer } | undefined {
  const cert = typeof raw.tlsCert === 'string' ? raw.tlsCert : undefined;
  const key = typeof raw.tlsKey === 'string' ? raw.tlsKey : undefined;
  if (!cert && !key) return undefined;
  if (!cert || !key) throw new GofleetError('BAD_OPTION', '--tls-cert and --tls-key go together');
  const read = (path: string, what: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new GofleetError('BAD_OPTION', `${what} ${path} cannot be read: ${(err as Error).message}`);
    }
  };
  return { cert: read(cert, '--tls-cert'), key: read(key, '--tls-key') };
}
