// Open the transport a host's spec asks for. The one place that knows every transport kind.
import { GofleetError } from '../errors.ts';
import type { HostSpec } from '../inventory/types.ts';
import { createLocalTransport } from './local.ts';
import { connectSsh, type SshConnectOptions } from './ssh.ts';
import type { Transport } from './types.ts';
import { connectWinrm, type WinrmConnectOptions } from './winrm/transport.ts';

/** SSH's options; a WinRM host takes the ones both share (password, timeouts, retries, shell) and its own. */
export type OpenTransportOptions = SshConnectOptions & Pick<WinrmConnectOptions, 'operationTimeoutSec' | 'onWarning'>;

export async function openTransport(spec: HostSpec, options: OpenTransportOptions = {}): Promise<Transport> {
  switch (spec.transport) {
    case 'local':
      return createLocalTransport({ host: spec.name });
    case 'ssh':
      return connectSsh(spec, options);
    case 'winrm':
      return connectWinrm(spec, {
        password: options.password, connectTimeoutMs: options.connectTimeoutMs, retries: options.retries, sleep: options.sleep,
        onAttempt: options.onAttempt, shell: options.shell, operationTimeoutSec: options.operationTimeoutSec, onWarning: options.onWarning,
      });
    default:
      throw new GofleetError('BAD_OPTION', `host ${spec.name}: the ${String(spec.transport)} transport is not available yet`,
        { host: spec.name, hint: 'Use transport: ssh, winrm or local for this host.' });
  }
}
