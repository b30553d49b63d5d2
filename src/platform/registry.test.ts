import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dialectFor } from './registry.ts';

const CLIXML = '#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><S S="Error">Access to the path _x0027_C:\\Go_x0027_ is denied._x000D__x000A_</S></Objs>';

test('registry: a Windows host\'s stderr reads as text (CLIXML error records decoded, CRLF as LF); POSIX stderr is kept as it is', () => {
  assert.equal(dialectFor('windows', 'cmd').stderrText(`gofleet: failed\r\n${CLIXML}`), "gofleet: failed\nAccess to the path 'C:\\Go' is denied.\n");
  assert.equal(dialectFor('linux').stderrText(CLIXML), CLIXML);
});

test('registry: the Windows dialect gets the remote shell of the detected DefaultShell', () => {
  const bare = dialectFor('windows', 'powershell').scriptCommand({ become: false });
  assert.ok(dialectFor('windows', 'powershell').remoteShell.wrap(bare).endsWith('; exit $LASTEXITCODE'));
  assert.equal(dialectFor('windows', 'cmd').remoteShell.wrap(bare), bare);
});
