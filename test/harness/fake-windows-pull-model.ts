// The fake Windows host's model of the pull (platform/windows/ps-pull.ts gf_pull) and of the reach probe
// (reach-script.ts gf_reach). IT IS A MODEL: no PowerShell runs; the "host" fetches the URL itself from the test
// process (a loopback http-source server) as HttpWebRequest would, so that what the controller asks for (the URL,
// the size, the SHA-256) and how it reads the answer are proven:
//   - pull: nothing when PULL_URL is '' or the target is installed (not marked failed) or the archive is cached;
//     else `pull start`, a GET with `Range: bytes=N-` when <cache>\<file>.partial holds N bytes (206 appends,
//     200 writes it again from 0), the body streamed into the partial (a connection cut keeps what came), size
//     and SHA-256 checked (a mismatch deletes the partial: CHECKSUM_MISMATCH), renamed into the cache, `pull ok`;
//   - reach: a HEAD; `@@gofleet reach ok <status> HttpWebRequest <desc>` or `fail <status|-> HttpWebRequest <why>`;
//   - machine.unreachable: the host has no route to the source: both fail as .NET says it, and no request is made;
//     machine.refuseGet: a proxy lets the HEAD through but answers the GET with that status (reach ok, pull fails).
// Errors read as .NET Framework words them (WebException messages), since the controller shows them to the user.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { percentEncode } from '../../src/platform/protocol/percent.ts';
import type { RespondContext } from './fake-windows-process.ts';

/** What the model needs of the machine (fake-windows-host-model.ts WindowsMachine). */
export interface PullMachine {
  /** the host cannot reach any source (no route, a proxy that refuses): pull and reach fail, nothing is requested */
  unreachable?: boolean;
  /** a proxy between the host and the source refuses downloads (not HEADs) with this HTTP status */
  refuseGet?: number;
  /** every download the host made: the URL, the byte it resumed at, the HTTP status */
  pulls?: { url: string; from: number; status: number | null }[];
}

/** The protocol lines the model's script prints (the host model's Run). */
export interface StepOut {
  step(name: string, status: string, extra?: string): void;
  fail(name: string, code: string, msg: string): { code: string; msg: string };
}

const NO_ROUTE = 'Unable to connect to the remote server';

/** HttpWebRequest's WebException message for an HTTP error status. */
function statusMessage(status: number): string {
  return `The remote server returned an error: (${status}) ${STATUS_CODES[status] ?? 'Error'}.`;
}

function fileLength(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

/** gf_download: GET url into `partial` from byte `from`; '' or why (as gf_download returns it). */
async function download(m: PullMachine, url: string, partial: string, from: number): Promise<string> {
  const record: { url: string; from: number; status: number | null } = { url, from, status: null };
  (m.pulls ??= []).push(record);
  if (m.unreachable) return NO_ROUTE;
  if (m.refuseGet !== undefined) {
    record.status = m.refuseGet;
    return `HTTP ${m.refuseGet}: ${statusMessage(m.refuseGet)}`;
  }
  let res: Response;
  try {
    res = await fetch(url, { headers: from > 0 ? { range: `bytes=${from}-` } : {}, signal: AbortSignal.timeout(30_000) });
  } catch {
    return NO_ROUTE;
  }
  record.status = res.status;
  if (res.status >= 400) {
    await res.body?.cancel();
    if (res.status === 416) rmSync(partial, { force: true });
    return `HTTP ${res.status}: ${statusMessage(res.status)}`;
  }
  writeFileSync(partial, '', { flag: from > 0 && res.status === 206 ? 'a' : 'w' });
  try {
    for await (const chunk of res.body ?? []) appendFileSync(partial, chunk as Uint8Array);
  } catch {
    return 'The underlying connection was closed: An unexpected error occurred on a receive.';
  }
  return '';
}

/** gf_pull: 'skipped' (nothing to do), 'pulled', or the failure (its `pull fail` line printed). */
export async function pullArchive(m: PullMachine, v: Map<string, string>, out: StepOut, ctx: RespondContext): Promise<'skipped' | 'pulled' | { code: string; msg: string }> {
  const url = v.get('PULL_URL') ?? '';
  if (url === '') return 'skipped';
  const drive = ctx.host.drives;
  const vdir = v.get('VDIR') ?? '';
  const target = v.get('TARGET') ?? '';
  const name = v.get('ARCHIVE_NAME') ?? '';
  const dest = `${vdir}\\.gofleet\\cache\\${name}`;
  const installed = existsSync(drive.toLocal(`${vdir}\\${target}\\VERSION`)) && !existsSync(drive.toLocal(`${vdir}\\.gofleet\\failed\\${target}`));
  if ((v.get('MODE') === 'upgrade' && installed) || existsSync(drive.toLocal(dest))) return 'skipped';
  out.step('pull', 'start');
  const partial = drive.toLocal(`${dest}.partial`);
  const size = Number(v.get('ARCHIVE_SIZE') ?? '0');
  mkdirSync(drive.toLocal(`${vdir}\\.gofleet\\cache`), { recursive: true });
  let from = fileLength(partial);
  if (from > size) {
    rmSync(partial, { force: true });
    from = 0;
  }
  if (from < size) {
    const why = await download(m, url, partial, from);
    if (why !== '') return out.fail('pull', 'PULL_FAILED', `HttpWebRequest could not download ${url}: ${why}`);
  }
  const got = fileLength(partial);
  if (got !== size) {
    if (got > size) rmSync(partial, { force: true });
    return out.fail('pull', 'PULL_FAILED', `${url} gave ${got} bytes, ${size} expected (a shorter download is resumed by the next run)`);
  }
  const sum = createHash('sha256').update(readFileSync(partial)).digest('hex');
  const want = v.get('ARCHIVE_SHA') ?? '';
  if (sum !== want) {
    rmSync(partial, { force: true });
    return out.fail('pull', 'CHECKSUM_MISMATCH', `${name} from ${url} has SHA-256 ${sum}, expected ${want}; the download was deleted`);
  }
  renameSync(partial, drive.toLocal(dest));
  // gf_pull points ARCHIVE at the cached copy
  v.set('ARCHIVE', dest);
  out.step('pull', 'ok', ` msg=${percentEncode(`${from > 0 ? `resumed at byte ${from} and downloaded ` : 'downloaded '}${name} with HttpWebRequest`)}`);
  return 'pulled';
}

/** gf_reach: the reach line for a HEAD of PULL_URL. */
export async function reachLine(m: PullMachine, v: Map<string, string>): Promise<string> {
  const url = v.get('PULL_URL') ?? '';
  const line = (verdict: string, status: number | null, detail: string): string =>
    `@@gofleet reach ${verdict} ${status ?? '-'} HttpWebRequest ${detail === '' ? '-' : percentEncode(detail)}\n`;
  if (m.unreachable) return line('fail', null, NO_ROUTE);
  try {
    const res = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(10_000) });
    if (res.status >= 400) return line('fail', res.status, statusMessage(res.status));
    return line('ok', res.status, STATUS_CODES[res.status] ?? '');
  } catch {
    return line('fail', null, NO_ROUTE);
  }
}
