// SFTP puts to a Windows OpenSSH host (the fake one, host key checking on): the transport asks the remote shell
// for the SFTP form of the dialect's Windows path (`C:\x` -> `/C:/x`), and a server without
// posix-rename@openssh.com still gets the file renamed into place (ssh2 refuses the extension with "does not
// support": the fallback removes the target, then renames).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { windowsRemoteShell } from '../platform/windows/remote-shell.ts';
import { startFakeWindowsHost, type FakeWindowsHost } from '../../test/harness/fake-windows-sshd.ts';
import { connectSsh } from './ssh.ts';
import type { Transport } from './types.ts';

const TARGET = 'C:\\ProgramData\\gofleet-r1-go1.27.3.windows-amd64.zip';

for (const posixRename of [true, false]) {
  describe(`ssh put to a Windows host (posix-rename ${posixRename ? 'advertised' : 'not advertised'})`, { timeout: 60_000 }, () => {
    let h: FakeWindowsHost;
    let t: Transport;
    let local: string;
    before(async () => {
      h = await startFakeWindowsHost({ posixRename });
      mkdirSync(h.drives.toLocal('C:\\ProgramData'), { recursive: true }); // exists on every Windows
      t = await connectSsh(h.spec(), { agent: null, sleep: async () => undefined });
      t.useShell(windowsRemoteShell);
      local = mkdtempSync(join(tmpdir(), 'gofleet-winput-'));
    });
    after(async () => {
      await t?.close();
      await h?.stop();
      if (local) rmSync(local, { recursive: true, force: true });
    });

    test('a Windows path is uploaded under its /C:/ name, and a second put replaces the file', async () => {
      for (const content of ['first', 'second, longer']) {
        writeFileSync(join(local, 'a.zip'), content);
        await t.put(join(local, 'a.zip'), TARGET, { mode: 0o600 });
        assert.equal(readFileSync(h.drives.toLocal(TARGET), 'utf8'), content);
      }
      const opens = h.sftpLog.filter((l) => l.startsWith('OPEN '));
      assert.ok(opens.length >= 2 && opens.every((l) => l.startsWith('OPEN /C:/ProgramData/.gofleet-r1-go1.27.3.windows-amd64.zip.')), opens.join('\n'));
      assert.ok(h.sftpLog.some((l) => l.includes('/C:/ProgramData/gofleet-r1-go1.27.3.windows-amd64.zip') && /rename/i.test(l)), h.sftpLog.join('\n'));
    });

    test('get reads a Windows path through its /C:/ name', async () => {
      await t.get(TARGET, join(local, 'back.zip'));
      assert.equal(readFileSync(join(local, 'back.zip'), 'utf8'), 'second, longer');
    });
  });
}
