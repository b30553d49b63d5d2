// The `--method msi` part of the fake Windows host's model (fake-windows-host-model.ts): what the MSI upgrade
// script (platform/windows/ps-msi.ts) does to a machine, as data. IT IS A MODEL: no msiexec runs; it proves the
// CONTROLLER side (the .msi pushed and checked, the outcome and warnings read back, the rollback reported).
// The machine's `msi` holds the Go MSI installed at goroot (goroot is then a plain directory, no junction) and
// the exit codes msiexec answers, one per msiexec run, in order (empty: 0), as the script treats them:
// 0 done; 3010 / 1641 done, a reboot needed (a warning on the outcome); 1618 another installation running
// (retried, up to 6 runs); anything else MSI_FAILED with the log's tail (`logTail`), and the MSI's own
// transaction leaves the installed version as it was. A rollback reinstalls the previous version's MSI from
// <versions_dir>\.gofleet\cache when it is there, or removes the new one (/x) when goroot had no Go.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { percentEncode } from '../../src/platform/protocol/percent.ts';
import { pullArchive } from './fake-windows-pull-model.ts';
import type { WindowsMachine } from './fake-windows-host-model.ts';
import type { Reply, RespondContext, WindowsHostState } from './fake-windows-process.ts';

export interface WindowsMsi {
  /** the version of the Go MSI installed at goroot, or null */
  installed: string | null;
  /** what msiexec answers, one per run, in order; an empty list answers 0 */
  exitCodes: number[];
  /** the verbose log's last lines for a failing run */
  logTail?: string;
  /** every msiexec run: `/i go1.27.3.windows-amd64.msi` (action and file name), in order */
  runs: string[];
}

export function newWindowsMsi(over: Partial<WindowsMsi> = {}): WindowsMsi {
  return { installed: null, exitCodes: [], runs: [], ...over };
}

/** The facts of goroot holding an MSI install: a directory, its go, the uninstall entry pointing at it. */
export function msiFacts(m: WindowsMachine, goroot: string): [string, string][] {
  const v = m.msi?.installed;
  if (!v || m.active) return [];
  return [
    ['goroot_version', v], ['goroot_go_version', v], ['go_path', `${goroot}\\bin\\go.exe`], ['go_version', v], ['go_goroot', goroot],
    ['go_installs', percentEncode(`msi|${goroot}\\|${v.replace(/^go/, '')}|{22EA7650-0000-0000-0000-${v.replace(/\D/g, '').padStart(12, '0')}}`)],
  ];
}

class Lines {
  readonly warns: string[] = [];
  constructor(private readonly ctx: RespondContext) {}
  step(name: string, status: string, extra = ''): void {
    this.ctx.stdout(`@@gofleet step ${name} ${status}${extra}\n`);
  }
  /** gf_fail: the step's fail line; the code and message go on the outcome */
  fail(name: string, code: string, msg: string): { code: string; msg: string } {
    this.step(name, 'fail', ` code=${code} msg=${percentEncode(msg)}`);
    return { code, msg };
  }
  outcome(result: string, active: string | null, previous: string | null, extra = ''): Reply {
    const warns = this.warns.map((w) => ` warn=${percentEncode(w)}`).join('');
    this.ctx.stdout(`@@gofleet outcome result=${result} active=${active ?? '-'} previous=${previous ?? '-'}${extra}${warns}\n`);
    return { exitCode: result === 'switched' || result === 'unchanged' ? 0 : 1 };
  }
}

/** One msiexec install or removal as gf_msi_install does it: true when done (reboot codes warned about). */
function msiexec(msi: WindowsMsi, action: '/i' | '/x', file: string, what: string, out: Lines): { ok: boolean; error: string } {
  let code = 0;
  for (let attempt = 1; attempt <= 6; attempt++) {
    msi.runs.push(`${action} ${file}`);
    code = msi.exitCodes.shift() ?? 0;
    if (code !== 1618) break;
  }
  if (code === 0) return { ok: true, error: '' };
  const log = `C:\\ProgramData\\gofleet\\versions\\.gofleet\\logs\\msi-${what}.log`;
  if (code === 3010 || code === 1641) {
    out.warns.push(`msiexec ${what}: exit ${code}, the installation needs a reboot to complete (${log})`);
    return { ok: true, error: '' };
  }
  const busy = code === 1618 ? ' (another installation kept running through 6 tries)' : '';
  return { ok: false, error: `msiexec ${action} ${file} exited ${code}${busy}; log ${log}: ${msi.logTail ?? '(no log)'}` };
}

/** stage: the pushed .msi checked against ARCHIVE_SHA and kept in the cache (what a later rollback reinstalls). */
function stageMsi(host: WindowsHostState, v: Map<string, string>): string | null {
  const archive = v.get('ARCHIVE') ?? '';
  const local = host.drives.toLocal(archive);
  if (!existsSync(local)) return `no MSI at ${archive}`;
  const sha = createHash('sha256').update(readFileSync(local)).digest('hex');
  if (sha !== (v.get('ARCHIVE_SHA') ?? '').toLowerCase()) {
    unlinkSync(local);
    return `SHA-256 of ${archive} is ${sha}`;
  }
  const cacheDir = host.drives.toLocal(`${v.get('VDIR') ?? ''}\\.gofleet\\cache`);
  mkdirSync(cacheDir, { recursive: true });
  if (!archive.includes('\\.gofleet\\cache\\')) {
    copyFileSync(local, `${cacheDir}/${v.get('ARCHIVE_NAME') ?? ''}`);
    unlinkSync(local);
  }
  return null;
}

/** The previous version's MSI in the cache, or null. */
function cachedMsi(host: WindowsHostState, v: Map<string, string>, version: string | null): string | null {
  if (version === null) return null;
  const name = `${version}.windows-${v.get('MSI_ARCH') ?? ''}.msi`;
  return existsSync(host.drives.toLocal(`${v.get('VDIR') ?? ''}\\.gofleet\\cache\\${name}`)) ? name : null;
}

/** The MSI upgrade script (gf_msi_flow), on the model's machine. */
export async function msiFlow(host: WindowsHostState, m: WindowsMachine, v: Map<string, string>, ctx: RespondContext): Promise<Reply> {
  const out = new Lines(ctx);
  const msi = (m.msi ??= newWindowsMsi());
  const target = v.get('TARGET') ?? '';
  const goroot = v.get('G_ROOT') ?? '';
  const name = v.get('ARCHIVE_NAME') ?? '';
  if (!m.active && msi.installed === target) return out.outcome('unchanged', target, target);
  if (m.active) {
    const why = `${goroot} is a junction; the MSI method installs only where goroot is missing or a directory (use --method zip for a junction)`;
    out.step('switch', 'fail', ` code=SWITCH_FAILED msg=${percentEncode(why)}`);
    return out.outcome('failed', m.active, m.active, ` code=SWITCH_FAILED msg=${percentEncode(why)}`);
  }
  out.step('lock', 'start');
  if (m.lock) {
    out.step('lock', 'fail', ' code=HOST_LOCKED');
    return out.outcome('failed', msi.installed, msi.installed, ` code=HOST_LOCKED msg=${percentEncode(`held by run ${m.lock.run}`)}`);
  }
  m.lock = { run: v.get('RUN') ?? '', pid: ctx.pid };
  out.step('lock', 'ok');
  try {
    // gf_pull (--distribution pull|auto): the host downloads the MSI into its cache first
    const pulled = await pullArchive(m, v, out, ctx);
    if (typeof pulled === 'object') return out.outcome('failed', msi.installed, msi.installed, ` code=${pulled.code} msg=${percentEncode(pulled.msg)}`);
    out.step('stage', 'start');
    const bad = stageMsi(host, v);
    if (bad) {
      out.step('stage', 'fail', ` code=CHECKSUM_MISMATCH msg=${percentEncode(bad)}`);
      return out.outcome('failed', msi.installed, msi.installed, ` code=CHECKSUM_MISMATCH msg=${percentEncode(bad)}`);
    }
    out.step('stage', 'ok');
    const prev = msi.installed;
    const prevMsi = cachedMsi(host, v, prev);
    const rollback = (code: string, why: string): Reply => {
      out.step('rollback', 'start');
      const back = prevMsi ? msiexec(msi, '/i', prevMsi, `${prev ?? ''}-rollback`, out) : msiexec(msi, '/x', name, `${target}-remove`, out);
      if (!back.ok) {
        out.step('rollback', 'fail', ` code=ROLLBACK_FAILED msg=${percentEncode(back.error)}`);
        return out.outcome('rollback_failed', msi.installed, prev, ` code=ROLLBACK_FAILED msg=${percentEncode(`${why}; rollback: ${back.error}`)}`);
      }
      msi.installed = prevMsi ? prev : null;
      out.step('rollback', 'ok');
      return out.outcome('rolled_back', prev, prev, ` code=${code} msg=${percentEncode(why)}`);
    };
    out.step('switch', 'start');
    const done = msiexec(msi, '/i', name, target, out);
    if (!done.ok) {
      out.step('switch', 'fail', ` code=MSI_FAILED msg=${percentEncode(done.error)}`);
      return rollback('MSI_FAILED', done.error);
    }
    msi.installed = target;
    const bin = `${goroot}\\bin`;
    m.machinePath = [bin, ...m.machinePath.filter((p) => p !== bin)];
    out.step('switch', 'ok');
    out.step('verify', 'start');
    if (m.inject.verifyFails === target) {
      const why = `go version printed nothing: ${target} does not run`;
      out.step('verify', 'fail', ` code=VERIFY_FAILED msg=${percentEncode(why)}`);
      return rollback('VERIFY_FAILED', why);
    }
    out.step('verify', 'ok');
    // gf_state_write '' PREV_VERSION: what a later `rollback` goes back to
    m.previous = prev;
    return out.outcome('switched', target, prev);
  } finally {
    if (m.lock?.pid === ctx.pid) {
      m.lock = null;
      out.step('unlock', 'ok');
    }
  }
}
