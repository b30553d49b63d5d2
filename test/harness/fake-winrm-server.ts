// A loopback WinRM host for controller-side tests: node:http (or https) speaking the WinRS shell protocol
// (Create, Command, Send, Receive, Signal, Delete, Get of winrm/config and winrm/config/Winrs) to whatever
// client, running each command with the same Windows process core as the fake Windows OpenSSH host
// (fake-windows-process.ts): the bootstrap command line checked and decoded, stdin the script, the pid line,
// taskkill / Stop-Process, the interrupt marker, cmd.exe's "not recognized". It proves what a client sends and
// how it reads the answers; it runs no PowerShell and is not Windows.
//
//   const host = await startFakeWinrmHost({ respond: async (script, ctx) => ({ stdout: 'hi\n' }) });
//   after(() => host.stop());
//   // POST SOAP to host.url (http://127.0.0.1:PORT/wsman)
//
// - Auth: o.auth (a WinrmServerAuth, one state per socket: fake-winrm-auth-types.ts); default none: plain
//   application/soap+xml requests are taken as they come.
// - Requests larger than MaxEnvelopeSizekb (o.config, default 500) get HTTP 413 with no body, as hosts answer
//   an oversized request. Each SOAP request is logged in `requests` ({action, shellId, commandId, status}).
// - Create: a shell (at most MaxShellsPerUser, else the quota fault 0x803381A5). Command runs
//   `<Command> <Arguments>` as `cmd.exe /c` would. Receive answers what the process wrote since the last one
//   (the stdout/stderr chunks in order, at most the client's w:MaxEnvelopeSize), and CommandState Done with
//   the ExitCode once it ended and everything was read; with nothing to say it waits up to
//   min(o.operationTimeoutMs, the request's w:OperationTimeout) and then answers the OperationTimeout fault
//   (HTTP 500, WSManFault 2150858793), as a host does. Signal terminate ends the command (its running process
//   is terminated), ctrl_c ends the process as a console Ctrl-C does (exit code 0xC000013A). Delete ends the shell.
// - Every operation on a shell is counted (`operations(shellId)`); WinRS never gives one back, so with
//   o.config.maxOperationsPerShell a Command past it gets the quota fault 0x803381A6 (Ansible re-creates the
//   shell on it). injectFault(op, fault, times) answers the next request(s) of that op with the OperationTimeout,
//   quota or ERROR_BUSY (170) fault, an unspecified 500 fault, or an HTTP 400 with no body (not processed).
// - restart(): the WinRM service restarts, as a real one does: every open connection is cut first (the requests
//   the service held, a Receive waiting for output among them, never get an answer, and the NTLM contexts bound
//   to those connections are gone), then every shell and its processes end; a later request naming an old
//   ShellId gets the "shell was not found" fault (w:InvalidSelectors, 2150858843). `keepConnections` keeps the
//   open sockets (only the shells go: a shell that timed out or was deleted by an administrator).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noAuth, type WinrmServerAuth, type WinrmSocketAuth } from './fake-winrm-auth-types.ts';
import { FAULTS, faultEnvelope, readRequest, responseEnvelope, shellNotFound, type FaultSpec, type WsmanRequest } from './fake-winrm-soap.ts';
import { handleShellOp, type Shell, type ShellOps } from './fake-winrm-shell.ts';
import { WindowsDrives } from './fake-windows-paths.ts';
import { cmdEnvironment, windowsProcesses, type Respond, type WindowsHostState } from './fake-windows-process.ts';
import { windowsRespond } from './fake-windows-vocabulary.ts';

export interface FakeWinrmConfig {
  /** MaxEnvelopeSizekb (default 500, the Server 2012+ default) */
  maxEnvelopeSizeKb?: number;
  /** Winrs MaxMemoryPerShellMB (default 1024) */
  maxMemoryPerShellMB?: number;
  /** Winrs MaxShellsPerUser (default 30) */
  maxShellsPerUser?: number;
  /** MaxTimeoutms (default 60000) */
  maxTimeoutMs?: number;
  /** Winrs MaxProcessesPerShell (default 25) */
  maxProcessesPerShell?: number;
  /** operations a shell may take before a Command gets the quota fault 0x803381A6 (default: no limit) */
  maxOperationsPerShell?: number;
}

export interface FakeWinrmOptions {
  /** host name (default win-1): %COMPUTERNAME%, and the Machine of faults */
  name?: string;
  /** the account commands run as (default deploy) */
  user?: string;
  auth?: WinrmServerAuth;
  https?: { key: string; cert: string; requestCert?: boolean; ca?: string };
  config?: FakeWinrmConfig;
  /** winrm/config may not be read by this account (not an administrator): a Get is answered Access is denied */
  denyConfigRead?: boolean;
  respond?: Respond;
  drives?: string[];
  /** a reason to refuse the decoded bootstrap text */
  checkBootstrap?: (text: string) => string | undefined;
  /** longest a Receive with nothing to report is held (default: the request's w:OperationTimeout) */
  operationTimeoutMs?: number;
}

/** a SOAP fault, or '400': HTTP 400 Bad Request with no body (what hosts answer a cleanup Signal Ansible ignores) */
export type InjectedFault = 'timeout' | 'quota' | 'busy' | '500' | '400';

export interface WinrmRequestLog {
  /** the last part of the action URI: Create, Command, Send, Receive, Signal, Delete, Get ('?' when unreadable) */
  action: string;
  /** the same as `action` (the name the first tests used) */
  op: string;
  shellId?: string;
  commandId?: string;
  /** the HTTP status answered */
  status: number;
  /** the Content-Type of the answer (multipart/encrypted when the auth layer sealed it) */
  contentType?: string;
}

export interface FakeWinrmHost extends WindowsHostState {
  url: string;
  port: number;
  dir: string;
  requests: WinrmRequestLog[];
  /** WinRS signals received ({commandId, code: terminate | ctrl_c}) */
  signals: { commandId: string; code: string }[];
  /** open shells */
  shells(): number;
  /** operations a shell has taken (its Create included) */
  operations(shellId: string): number;
  /** TCP connections accepted so far */
  connectionCount(): number;
  injectFault(op: 'Receive' | 'Send' | 'Command' | 'Create' | 'Signal' | 'Delete', fault: InjectedFault, times?: number): void;
  /** the WinRM service restarts: open sockets are cut, then shells and their processes end (`keepConnections`:
   *  the sockets stay, only the shells go) */
  restart(o?: { keepConnections?: boolean }): void;
  stop(): Promise<void>;
}

const INJECTED: Record<Exclude<InjectedFault, '400'>, FaultSpec> = { timeout: FAULTS.timeout, quota: FAULTS.quota, busy: FAULTS.busy, 500: FAULTS.internal };

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
  });
}

export async function startFakeWinrmHost(o: FakeWinrmOptions = {}): Promise<FakeWinrmHost> {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-fakewinrm-'));
  const user = o.user ?? 'deploy';
  const name = o.name ?? 'win-1';
  const drives = new WindowsDrives(join(dir, 'drives'), o.drives ?? ['C'], `C:\\Users\\${user}`);
  const temp = `C:\\Users\\${user}\\AppData\\Local\\Temp`;
  mkdirSync(drives.toLocal(temp), { recursive: true });
  const config = { maxEnvelopeSizeKb: 500, maxMemoryPerShellMB: 1024, maxShellsPerUser: 30, maxTimeoutMs: 60000, maxProcessesPerShell: 25, ...o.config };
  const auth = o.auth ?? noAuth(user);
  const shells = new Map<string, Shell>();
  const sockets = new Set<Socket>();
  const socketAuth = new WeakMap<Socket, WinrmSocketAuth>();
  const injected = new Map<string, InjectedFault[]>();
  let connected = 0;

  const host = {
    name, user, drives, temp, dir, env: cmdEnvironment(user, temp, name), port: 0, url: '',
    commands: [] as string[], scripts: [] as string[], unrecognized: [] as string[], terminations: [] as number[], interrupts: [] as number[],
    locked: new Set<string>(), respond: o.respond ?? windowsRespond, requests: [] as WinrmRequestLog[], signals: [] as FakeWinrmHost['signals'],
  } as FakeWinrmHost;
  // every process of a shell runs in its job object, capped at MaxMemoryPerShellMB (the model decides what exceeds it)
  const processes = windowsProcesses(host, { checkBootstrap: o.checkBootstrap, label: 'fake-winrm', memoryCapMB: config.maxMemoryPerShellMB });
  const dropAll = (): void => {
    for (const s of sockets) s.destroy();
  };
  const ops: ShellOps = { shells, processes, config, machine: name, signals: host.signals, drop: dropAll, operationTimeoutMs: o.operationTimeoutMs };

  const send = (res: ServerResponse, a: WinrmSocketAuth, status: number, soap: string, log: WinrmRequestLog): void => {
    const { headers, body } = a.wrap(soap, status);
    log.contentType = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
    res.writeHead(status, { Server: 'Microsoft-HTTPAPI/2.0', ...headers, 'Content-Length': String(body.length) });
    res.end(body);
  };

  const answer = async (req: WsmanRequest, res: ServerResponse): Promise<{ status: number; soap: string; commandId?: string }> => {
    const fault = (f: FaultSpec): { status: number; soap: string } => ({ status: 500, soap: faultEnvelope(req.messageId, f, name) });
    const pending = injected.get(req.op);
    const next = pending?.shift();
    if (next === '400') return { status: 400, soap: '' };
    if (next) return fault(INJECTED[next]);
    if (req.op === 'Get') return getConfig(req);
    if (req.op === 'Create') {
      if (req.resourceUri !== `http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd`) return fault(FAULTS.badResource);
      if (shells.size >= config.maxShellsPerUser) return fault(FAULTS.maxShells);
    }
    if (req.op !== 'Create' && req.shellId !== undefined && !shells.has(req.shellId)) return fault(shellNotFound(req.shellId));
    const closed = new AbortController();
    res.once('close', () => closed.abort());
    const r = await handleShellOp(req, ops, closed.signal);
    return 'fault' in r ? { ...fault(r.fault), commandId: r.commandId } : { status: 200, soap: r.soap, commandId: r.commandId };
  };

  const getConfig = (req: WsmanRequest): { status: number; soap: string } => {
    if (o.denyConfigRead) return { status: 500, soap: faultEnvelope(req.messageId, FAULTS.accessDenied, name) };
    const winrs = `<cfg:AllowRemoteShellAccess>true</cfg:AllowRemoteShellAccess><cfg:IdleTimeout>7200000</cfg:IdleTimeout>` +
      `<cfg:MaxConcurrentUsers>2147483647</cfg:MaxConcurrentUsers><cfg:MaxShellRunTime>2147483647</cfg:MaxShellRunTime>` +
      `<cfg:MaxProcessesPerShell>${config.maxProcessesPerShell}</cfg:MaxProcessesPerShell>` +
      `<cfg:MaxMemoryPerShellMB>${config.maxMemoryPerShellMB}</cfg:MaxMemoryPerShellMB><cfg:MaxShellsPerUser>${config.maxShellsPerUser}</cfg:MaxShellsPerUser>`;
    const action = 'http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse';
    if (req.resourceUri === 'http://schemas.microsoft.com/wbem/wsman/1/config/winrs') {
      return { status: 200, soap: responseEnvelope(action, req.messageId, `<cfg:Winrs xmlns:cfg="${req.resourceUri}">${winrs}</cfg:Winrs>`) };
    }
    if (req.resourceUri !== 'http://schemas.microsoft.com/wbem/wsman/1/config') {
      return { status: 500, soap: faultEnvelope(req.messageId, FAULTS.badResource, name) };
    }
    return { status: 200, soap: responseEnvelope(action, req.messageId, `<cfg:Config xmlns:cfg="${req.resourceUri}">` +
      `<cfg:MaxEnvelopeSizekb>${config.maxEnvelopeSizeKb}</cfg:MaxEnvelopeSizekb><cfg:MaxTimeoutms>${config.maxTimeoutMs}</cfg:MaxTimeoutms>` +
      `<cfg:MaxBatchItems>32000</cfg:MaxBatchItems><cfg:MaxProviderRequests>4294967295</cfg:MaxProviderRequests>` +
      `<cfg:Service><cfg:MaxConcurrentOperationsPerUser>1500</cfg:MaxConcurrentOperationsPerUser><cfg:AllowUnencrypted>false</cfg:AllowUnencrypted></cfg:Service>` +
      `<cfg:Winrs>${winrs}</cfg:Winrs></cfg:Config>`) };
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const socket = req.socket;
    let a = socketAuth.get(socket);
    if (!a) socketAuth.set(socket, (a = auth.forSocket(socket)));
    const body = await readBody(req);
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0]!.toLowerCase() !== '/wsman') {
      res.writeHead(404, { 'Content-Length': '0' }).end();
      return;
    }
    const un = await a.unwrap({ method: req.method, url: req.url ?? '', headers: req.headers, body });
    if (un.kind === 'reply') {
      res.writeHead(un.reply.status, { ...un.reply.headers, 'Content-Length': String(un.reply.body.length) }).end(un.reply.body);
      return;
    }
    const parsed = readRequest(un.soap);
    if (Buffer.byteLength(un.soap) > config.maxEnvelopeSizeKb * 1024) {
      const op = typeof parsed === 'string' ? '?' : parsed.op;
      host.requests.push({ action: op, op, status: 413 });
      res.writeHead(413, { Server: 'Microsoft-HTTPAPI/2.0', 'Content-Length': '0' }).end();
      return;
    }
    if (typeof parsed === 'string') {
      host.requests.push({ action: '?', op: '?', status: 400 });
      res.writeHead(400, { 'Content-Length': '0' }).end();
      return;
    }
    const shell = parsed.shellId === undefined ? undefined : shells.get(parsed.shellId);
    if (shell) shell.operations++;
    const r = await answer(parsed, res);
    const log: WinrmRequestLog = { action: parsed.op, op: parsed.op, shellId: parsed.shellId, ...(r.commandId ? { commandId: r.commandId } : {}), status: r.status };
    host.requests.push(log);
    if (res.destroyed) return;
    if (r.status === 400) res.writeHead(400, { Server: 'Microsoft-HTTPAPI/2.0', 'Content-Length': '0' }).end();
    else send(res, a, r.status, r.soap, log);
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    onRequest(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`fake-winrm: ${(err as Error).stack ?? String(err)}`);
    });
  };
  const server: Server = o.https
    ? createHttpsServer({ key: o.https.key, cert: o.https.cert, requestCert: o.https.requestCert ?? false, ca: o.https.ca, rejectUnauthorized: false }, handler)
    : createHttpServer(handler);
  server.keepAliveTimeout = 120_000;
  server.on(o.https ? 'secureConnection' : 'connection', (s: Socket) => {
    connected++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host.port = (server.address() as AddressInfo).port;
  host.url = `${o.https ? 'https' : 'http'}://127.0.0.1:${host.port}/wsman`;

  const endShells = (): void => {
    for (const s of shells.values()) for (const c of s.commands.values()) c.kill(processes);
    shells.clear();
  };
  host.running = () => processes.running();
  host.shells = () => shells.size;
  host.operations = (id) => shells.get(id)?.operations ?? 0;
  host.connectionCount = () => connected;
  host.injectFault = (op, fault, times = 1) => injected.set(op, [...(injected.get(op) ?? []), ...Array<InjectedFault>(times).fill(fault)]);
  host.restart = (r = {}) => {
    // cut first: a held Receive must not be answered with the Done its killed process would give
    if (!r.keepConnections) dropAll();
    endShells();
  };
  let stopping: Promise<void> | undefined;
  host.stop = () => (stopping ??= (async () => {
    endShells();
    processes.stopAll('host stopped');
    dropAll();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  })());
  return host;
}

