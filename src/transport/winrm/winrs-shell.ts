// One WinRS shell on a WinRM host, over one HTTP session (PSSession-like: created once, reused by every
// command). Each call posts one envelope and turns a SOAP fault into a WinrsFault the caller acts on (re-issue a
// Receive after an operation timeout, re-create the shell after a quota fault or a WinRM restart).
// The shell itself is re-created by `recreate()`: the old one deleted (best effort), a new one made.
import { randomUUID } from 'node:crypto';
import { GofleetError } from '../../errors.ts';
import { WinrmHttpStatusError } from './http-errors.ts';
import {
  commandEnvelope, createShellEnvelope, deleteShellEnvelope, describeFault, getConfigEnvelope, parseCommandResponse,
  parseConfig, parseFault, parseReceiveResponse, parseShellCreated, receiveEnvelope, sendEnvelope, signalEnvelope,
  type ReceiveResult, type WinrmConfig, type WsmanFault, type WsmanTarget,
} from './wsman/index.ts';

/** What the shell needs of the HTTP session (http-session.ts WinrmHttpSession). */
export interface SoapPoster {
  /** resend: false: never sent again after a reset of a reused socket (WinrmHttpSession.post) */
  post(soap: string, opts?: { signal?: AbortSignal; timeoutMs?: number; resend?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/** A SOAP fault answered to one request. */
export class WinrsFault extends Error {
  constructor(readonly fault: WsmanFault, readonly doing: string) {
    super(`${doing}: ${describeFault(fault)}`);
  }
}

export class WinrsShell {
  private id: string | undefined;

  constructor(
    private readonly session: SoapPoster,
    readonly target: WsmanTarget,
    private readonly host: string,
    /** told when something is tolerated that may leave resources on the host */
    private readonly onWarning?: (text: string) => void,
  ) {}

  get shellId(): string | undefined {
    return this.id;
  }

  private async call(soap: string, doing: string, resend = true): Promise<string> {
    const xml = await this.session.post(soap, resend ? {} : { resend: false });
    const fault = parseFault(xml);
    if (fault) throw new WinrsFault(fault, doing);
    return xml;
  }

  private need(): string {
    if (this.id === undefined) throw new GofleetError('INTERNAL', `no WinRS shell is open on ${this.host}`);
    return this.id;
  }

  /** The host's winrm/config (with its Winrs part); undefined when the account may not read it. */
  async readConfig(): Promise<WinrmConfig | undefined> {
    try {
      return parseConfig(await this.call(getConfigEnvelope(this.target, randomUUID(), 'config'), 'reading winrm/config'));
    } catch (err) {
      if (err instanceof WinrsFault) return undefined; // non-admin accounts get access denied: defaults apply
      throw err;
    }
  }

  async create(): Promise<void> {
    const xml = await this.call(createShellEnvelope(this.target, { messageId: randomUUID(), codepage: 65001, noProfile: true }), 'creating a shell');
    this.id = parseShellCreated(xml).shellId;
  }

  /** Delete the shell; faults and a lost connection are ignored (it may be gone already). */
  async delete(): Promise<void> {
    const id = this.id;
    this.id = undefined;
    if (id === undefined) return;
    await this.session.post(deleteShellEnvelope(this.target, id, randomUUID())).catch(() => undefined);
  }

  async recreate(): Promise<void> {
    await this.delete();
    await this.create();
  }

  /** The shell is gone on the host (WinRM restarted): the next command creates a new one. */
  forget(): void {
    this.id = undefined;
  }

  /** Start a command; a shell is created first when there is none (after forget, or a failed re-create). */
  async command(line: string): Promise<string> {
    if (this.id === undefined) await this.create();
    const xml = await this.call(commandEnvelope(this.target, this.need(), { messageId: randomUUID(), command: line }), 'starting a command');
    return parseCommandResponse(xml).commandId;
  }

  async send(commandId: string, data: Buffer, end: boolean): Promise<void> {
    // never sent twice: the host may have taken it before the connection went (stdin would be doubled)
    await this.call(sendEnvelope(this.target, this.need(), commandId, data, end, randomUUID()), 'sending stdin', false);
  }

  async receive(commandId: string): Promise<ReceiveResult> {
    // never sent twice: a reply lost with the connection took its output with it (stdout would have a hole)
    return parseReceiveResponse(await this.call(receiveEnvelope(this.target, this.need(), commandId, randomUUID()), 'receiving output', false));
  }

  /**
   * Signal terminate (or ctrl_c); faults are ignored (the command may be over already), and so is an HTTP 400, with
   * a warning, as Ansible does for its cleanup Signal (hosts answer it 400 at times; the command's result stands).
   */
  async signal(commandId: string, code: 'terminate' | 'ctrl_c'): Promise<void> {
    const id = this.id;
    if (id === undefined) return;
    await this.call(signalEnvelope(this.target, id, commandId, code, randomUUID()), 'signalling a command').catch((err: unknown) => {
      if (err instanceof WinrsFault) return;
      if (!(err instanceof WinrmHttpStatusError && err.status === 400)) throw err;
      this.onWarning?.(`${this.host}: the WinRM host answered HTTP 400 to the ${code} signal of command ${commandId}; it may hold on to that command's resources until the shell is closed`);
    });
  }
}
