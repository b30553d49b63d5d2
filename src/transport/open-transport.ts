// Open the transport a host's spec asks for. The one place that knows every transport kind.
import { GofleetError } from '../errors.ts';
import type { HostSpec } from '../inventory/types.ts';
import { createLocalTransport } from './local.ts';
import { connectSsh, type SshConnectOptions } from './ssh.ts';
import type { Transport } from './types.ts';

export type OpenTransportOptions = SshConnectOptions;

export async function openTransport(spec: HostSpec, options: OpenTransportOptions = {}): Promise<Transport> {
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
