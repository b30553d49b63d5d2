// The WinRS shells of the fake WinRM host (fake-winrm-server.ts): a shell holds commands; a command is one
// process of the Windows process core, its output queued until a Receive takes it, its stdin fed by Send.
import { randomUUID } from 'node:crypto';
import { CMD_RESOURCE, FAULTS, responseEnvelope, SHELL_NS, xmlEscapeFake as x, xmlList, xmlNode, xmlText, type FaultSpec, type WsmanRequest } from './fake-winrm-soap.ts';
import type { ProcessChannel, WindowsProcesses } from './fake-windows-process.ts';

/** STATUS_CONTROL_C_EXIT: what a console process killed by Ctrl-C exits with. */
export const CTRL_C_EXIT = 0xc000013a;

export class WinrsCommand {
  readonly id = randomUUID().toUpperCase();
  pid: number | undefined;
  output: { stream: 'stdout' | 'stderr'; data: Buffer }[] = [];
  exitCode: number | null = null;
  private stdin: { chunk?: (d: Buffer) => void; end?: () => void; buffered: Buffer[]; ended: boolean } = { buffered: [], ended: false };
  private closeFns: (() => void)[] = [];
  private waiters = new Set<() => void>();

  constructor(private readonly drop: () => void) {}

  channel(): ProcessChannel {
    return {
      stdout: (d) => this.write('stdout', d),
      stderr: (d) => this.write('stderr', d),
      exit: (code) => {
        if (this.exitCode !== null) return;
        this.exitCode = code;
        this.wake();
      },
      onStdin: (chunk, end) => {
        this.stdin.chunk = chunk;
        this.stdin.end = end;
        for (const b of this.stdin.buffered.splice(0)) chunk(b);
        if (this.stdin.ended) end();
      },
      onClose: (fn) => void this.closeFns.push(fn),
      drop: this.drop,
    };
  }

  private write(stream: 'stdout' | 'stderr', d: string): void {
    if (this.exitCode !== null) return;
    this.output.push({ stream, data: Buffer.from(d, 'utf8') });
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters) w();
    this.waiters.clear();
  }

  send(data: Buffer, end: boolean): void {
    if (this.stdin.ended) return;
    if (data.length) {
      if (this.stdin.chunk) this.stdin.chunk(data);
      else this.stdin.buffered.push(data);
    }
    if (end) {
      this.stdin.ended = true;
      this.stdin.end?.();
    }
  }

  /** something for a Receive: output, or the end */
  ready(): boolean {
    return this.output.length > 0 || this.exitCode !== null;
  }

  /** resolves when ready(), after ms, or when the request is gone */
  wait(ms: number, gone: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        gone.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
      gone.addEventListener('abort', done, { once: true });
    });
  }

  /** the shell goes: its process ends (not counted in `terminations`) and is told (ctx.signal fires) */
  kill(processes: WindowsProcesses): void {
    if (this.pid !== undefined) processes.terminate(this.pid, { record: false });
    for (const fn of this.closeFns.splice(0)) fn();
    this.exitCode ??= 1;
    this.wake();
  }
}

export interface Shell {
  id: string;
  operations: number;
  commands: Map<string, WinrsCommand>;
}

export interface ShellOps {
  shells: Map<string, Shell>;
  processes: WindowsProcesses;
  config: { maxOperationsPerShell?: number; maxTimeoutMs: number };
  machine: string;
  signals: { commandId: string; code: string }[];
  drop(): void;
  operationTimeoutMs?: number;
}

type OpResult = { soap: string; commandId?: string } | { fault: FaultSpec; commandId?: string };

const respond = (req: WsmanRequest, what: string, body: string): { soap: string } =>
  ({ soap: responseEnvelope(`${what.startsWith('http') ? what : `${SHELL_NS}/${what}`}`, req.messageId, body) });

function create(req: WsmanRequest, o: ShellOps): OpResult {
  const shell: Shell = { id: randomUUID().toUpperCase(), operations: 1, commands: new Map() };
  o.shells.set(shell.id, shell);
  return respond(req, 'http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse',
    `<x:ResourceCreated><a:Address>http://${x(o.machine)}:5985/wsman</a:Address><a:ReferenceParameters>` +
    `<w:ResourceURI>${CMD_RESOURCE}</w:ResourceURI><w:SelectorSet><w:Selector Name="ShellId">${shell.id}</w:Selector>` +
    `</w:SelectorSet></a:ReferenceParameters></x:ResourceCreated><rsp:Shell><rsp:ShellId>${shell.id}</rsp:ShellId>` +
    `<rsp:ResourceUri>${CMD_RESOURCE}</rsp:ResourceUri><rsp:InputStreams>stdin</rsp:InputStreams>` +
    '<rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>');
}

function command(req: WsmanRequest, shell: Shell, o: ShellOps): OpResult {
  if (o.config.maxOperationsPerShell !== undefined && shell.operations > o.config.maxOperationsPerShell) return { fault: FAULTS.quota };
  const line = xmlNode(req.body.CommandLine);
  const cmd = xmlText(line.Command).trim();
  const args = xmlText(line.Arguments);
  const c = new WinrsCommand(o.drop);
  shell.commands.set(c.id, c);
  c.pid = o.processes.run(c.channel(), args ? `${cmd} ${args}` : cmd);
  return { ...respond(req, 'CommandResponse', `<rsp:CommandResponse><rsp:CommandId>${c.id}</rsp:CommandId></rsp:CommandResponse>`), commandId: c.id };
}

function streamOf(req: WsmanRequest, element: string): { node: Record<string, unknown>; commandId: string } {
  const node = xmlNode(xmlNode(req.body[element]));
  return { node, commandId: String(node['@CommandId'] ?? '') };
}

function sendInput(req: WsmanRequest, shell: Shell): OpResult {
  const streams = xmlList(xmlNode(req.body.Send).Stream);
  const commandId = String(streams[0]?.['@CommandId'] ?? '');
  const c = shell.commands.get(commandId);
  if (!c) return { fault: FAULTS.badCommand, commandId };
  for (const s of streams) {
    if (s['@Name'] !== 'stdin') return { fault: FAULTS.badCommand, commandId };
    c.send(Buffer.from(xmlText(s), 'base64'), s['@End'] === 'true' || s['@End'] === 'True');
  }
  return { ...respond(req, 'SendResponse', '<rsp:SendResponse/>'), commandId };
}

async function receive(req: WsmanRequest, shell: Shell, o: ShellOps, gone: AbortSignal): Promise<OpResult> {
  const { commandId } = streamOf(req, 'Receive');
  const desired = xmlNode(xmlNode(req.body.Receive).DesiredStream);
  const id = String(desired['@CommandId'] ?? commandId);
  const c = shell.commands.get(id);
  if (!c) return { fault: FAULTS.badCommand, commandId: id };
  if (!c.ready()) {
    const opTimeout = Math.min((req.operationTimeoutSec ?? 60) * 1000, o.config.maxTimeoutMs);
    await c.wait(Math.min(o.operationTimeoutMs ?? opTimeout, opTimeout), gone);
    if (!c.ready()) return { fault: FAULTS.timeout, commandId: id };
  }
  // as much output as the client's MaxEnvelopeSize takes (base64 is 4/3 of the bytes)
  let room = Math.floor(((req.maxEnvelopeSize ?? 153600) - 4096) * 3 / 4);
  const parts: string[] = [];
  while (c.output.length && room > 0) {
    const head = c.output[0]!;
    const take = head.data.subarray(0, room);
    parts.push(`<rsp:Stream Name="${head.stream}" CommandId="${id}">${take.toString('base64')}</rsp:Stream>`);
    room -= take.length;
    if (take.length === head.data.length) c.output.shift();
    else head.data = head.data.subarray(take.length);
  }
  const done = c.output.length === 0 && c.exitCode !== null;
  if (done) {
    parts.push(`<rsp:Stream Name="stdout" CommandId="${id}" End="true"></rsp:Stream>`,
      `<rsp:Stream Name="stderr" CommandId="${id}" End="true"></rsp:Stream>`,
      `<rsp:CommandState CommandId="${id}" State="${SHELL_NS}/CommandState/Done"><rsp:ExitCode>${c.exitCode}</rsp:ExitCode></rsp:CommandState>`);
  } else {
    parts.push(`<rsp:CommandState CommandId="${id}" State="${SHELL_NS}/CommandState/Running"></rsp:CommandState>`);
  }
  return { ...respond(req, 'ReceiveResponse', `<rsp:ReceiveResponse>${parts.join('')}</rsp:ReceiveResponse>`), commandId: id };
}

function signal(req: WsmanRequest, shell: Shell, o: ShellOps): OpResult {
  const { node, commandId } = streamOf(req, 'Signal');
  const code = xmlText(node.Code).trim();
  const c = shell.commands.get(commandId);
  if (!c) return { fault: FAULTS.badCommand, commandId };
  o.signals.push({ commandId, code: code.slice(code.lastIndexOf('/') + 1) });
  if (code === `${SHELL_NS}/signal/ctrl_c`) {
    if (c.pid !== undefined) o.processes.terminate(c.pid, { exitCode: CTRL_C_EXIT, record: false });
  } else if (code === `${SHELL_NS}/signal/terminate`) {
    if (c.pid !== undefined) o.processes.terminate(c.pid);
    c.kill(o.processes);
    shell.commands.delete(commandId);
  } else {
    return { fault: FAULTS.badCommand, commandId };
  }
  return { ...respond(req, 'SignalResponse', '<rsp:SignalResponse/>'), commandId };
}

/** One WinRS operation (the shell, when named, exists: the server checked it). */
export async function handleShellOp(req: WsmanRequest, o: ShellOps, gone: AbortSignal): Promise<OpResult> {
  if (req.op === 'Create') return create(req, o);
  const shell = req.shellId === undefined ? undefined : o.shells.get(req.shellId);
  if (!shell || req.resourceUri !== CMD_RESOURCE) return { fault: FAULTS.badResource };
  switch (req.op) {
    case 'Command': return command(req, shell, o);
    case 'Send': return sendInput(req, shell);
    case 'Receive': return receive(req, shell, o, gone);
    case 'Signal': return signal(req, shell, o);
    case 'Delete':
      for (const c of shell.commands.values()) c.kill(o.processes);
      o.shells.delete(shell.id);
      return respond(req, 'http://schemas.xmlsoap.org/ws/2004/09/transfer/DeleteResponse', '');
    default: return { fault: FAULTS.badAction };
  }
}
