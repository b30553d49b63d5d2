import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HostFactsResult } from '../../engine/facts-host.ts';
import type { ArchiveLookup, FleetPlan } from '../../engine/plan-fleet.ts';
import { GofleetError } from '../../errors.ts';
import { parseSha256Options } from '../sha256-option.ts';
import { filesNeeded } from './plan.ts';

const facts = (name: string, os: string, arch: string): HostFactsResult => ({ name, facts: { os, arch } }) as unknown as HostFactsResult;
const host = (name: string, actions: string[], skip: GofleetError | null = null) => ({ name, from: 'go1.26.8', to: 'go1.27.3', actions, skip });
const lookup: ArchiveLookup = (os, arch) =>
  arch === 'mips' ? new GofleetError('RELEASE_FILE_MISSING', 'none') : { filename: `go1.27.3.${os}-${arch}.${os === 'windows' ? 'zip' : 'tar.gz'}`, size: 1 };

test('filesNeeded: the archives of the hosts that stage, once each, in host order; skipped and unchanged hosts need none', () => {
  const plan = {
    target: 'go1.27.3',
    waves: [
      { hosts: [host('lin-1', ['stage', 'switch', 'verify']), host('win-1', ['stage', 'switch', 'verify'])] },
      { hosts: [host('lin-2', ['stage', 'switch', 'verify']), host('done', []), host('odd', ['stage']), host('skipped', ['stage'], new GofleetError('HOST_UNREACHABLE', 'x'))] },
    ],
  } as unknown as FleetPlan;
  const all = [facts('lin-1', 'linux', 'amd64'), facts('win-1', 'windows', 'amd64'), facts('lin-2', 'linux', 'amd64'), facts('done', 'linux', 'arm64'), facts('odd', 'linux', 'mips'), facts('skipped', 'linux', 'arm64')];
  const needed = filesNeeded(plan, all, lookup);
  assert.deepEqual(needed, ['go1.27.3.linux-amd64.tar.gz', 'go1.27.3.windows-amd64.zip']);
  // what plan then does with --sha256: a bare HEX cannot cover two files; a FILE=HEX for another file is a warning
  assert.throws(() => parseSha256Options(['a'.repeat(64)]).checkFiles(needed), { code: 'BAD_OPTION' });
  assert.deepEqual(parseSha256Options([`go1.27.3.linux-arm64.tar.gz=${'a'.repeat(64)}`]).checkFiles(needed), ['--sha256 go1.27.3.linux-arm64.tar.gz=... names a file this command does not use']);
});
