// Open the transport a host's spec asks for. The one place that knows every transport kind.
import { GofleetError } from '../errors.ts';
import type { HostSpec } from '../inventory/types.ts';
import { createLocalTransport } from './local.ts';
import { connectSsh, type SshConnectOptions } from './ssh.ts';
import type { Transport } from './types.ts';

export type OpenTransportOptions = SshConnectOptions;

/** WinRM waits for its transport (issue 11); Windows hosts over OpenSSH are served (the shell probe picks the
 *  Windows dialect). Every way an inventory says "WinRM" (transport: winrm, ansible_connection=winrm|psrp) gets
 *  this one per-host error before anything connects, naming the setting the user wrote. */
function winrmUnsupported(spec: HostSpec): GofleetError {
  const by = spec.windowsBy ? ` (${spec.windowsBy})` : '';
  return new GofleetError('UNSUPPORTED_PLATFORM', `${spec.name}: Windows hosts are not supported by this version of gofleet yet${by}`, {
    host: spec.name,
    hint: 'The WinRM transport is not available yet: reach Windows hosts over OpenSSH (transport: ssh, ansible_connection=ssh), or leave them out with --limit (e.g. --limit \'!windows\'); the other hosts are not affected.',
  });
}

export async function openTransport(spec: HostSpec, options: OpenTransportOptions = {}): Promise<Transport> {
  if (spec.transport === 'winrm') throw winrmUnsupported(spec);
  switch (spec.transport) {
    case 'local':
      return createLocalTransport({ host: spec.name });
    case 'ssh':
      return connectSsh(spec, options);
    default:
      throw new GofleetError('BAD_OPTION', `host ${spec.name}: the ${spec.transport} transport is not available yet`,
        { host: spec.name, hint: 'Use transport: ssh or local for this host.' });
  }
}
