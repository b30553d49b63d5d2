// What the fake Windows host does with the Windows adapter's file-copy scripts (platform/windows/ps-file-transfer.ts,
// RemoteShell.receiveFile / sendFile), for the WinRM transport's put and get: recognised by their
// `# gofleet-script: receive-file|send-file` line, their `$gfX = '...'` values read back (psQuote's form), and
// then done on the fake's drive as the PowerShell would: base64 lines from stdin written into the temp file, size
// and SHA-256 compared, the temp file moved over the target or removed (exit 3); a file printed as base64 lines
// with the `gofleet-file:<size>:<sha256>` trailer. It runs no PowerShell: the scripts themselves are checked by the
// PowerShell 5.1 parser test, and only a Windows host runs them.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Reply, Respond, RespondContext } from './fake-windows-process.ts';

const LIT = `'((?:[^'\\u2018-\\u201B]|['\\u2018-\\u201B]{2})*)'`;
const unquote = (s: string): string => s.replace(/(['\u2018-\u201B])\1/g, '$1');

function value(script: string, name: string): string | undefined {
  const m = new RegExp(`^\\s*\\$${name} = (?:${LIT}|(\\d+))$`, 'm').exec(script);
  if (!m) return undefined;
  return m[1] !== undefined ? unquote(m[1]) : m[2];
}

function receive(script: string, ctx: RespondContext): Reply {
  const temp = ctx.host.drives.toLocal(value(script, 'gfTemp')!);
  const path = value(script, 'gfPath')!;
  if (!existsSync(dirname(temp))) {
    return { stderr: `Exception calling "Open": Could not find a part of the path '${value(script, 'gfTemp')}'.\n`, exitCode: 1 };
  }
  const lines = ctx.stdin.toString('latin1').split('\n').filter((l) => l !== '');
  const data = Buffer.concat(lines.map((l) => Buffer.from(l, 'base64')));
  writeFileSync(temp, data);
  const got = createHash('sha256').update(data).digest('hex');
  if (data.length !== Number(value(script, 'gfSize')) || got !== value(script, 'gfWant')) {
    rmSync(temp, { force: true });
    return { stderr: `gofleet: the copy of ${path} has ${data.length} bytes, SHA-256 ${got}\n`, exitCode: 3 };
  }
  renameSync(temp, ctx.host.drives.toLocal(path));
  ctx.raw.stdout('gofleet-file:ok');
  return { exitCode: 0 };
}

function send(script: string, ctx: RespondContext): Reply {
  const path = ctx.host.drives.toLocal(value(script, 'gfPath')!);
  if (!existsSync(path) || !statSync(path).isFile()) {
    return { stderr: `Exception calling "OpenRead": Could not find file '${value(script, 'gfPath')}'.\n`, exitCode: 1 };
  }
  const data = readFileSync(path);
  for (let at = 0; at < data.length; at += 49152) ctx.raw.stdout(`${data.subarray(at, at + 49152).toString('base64')}\n`);
  ctx.raw.stdout(`gofleet-file:${data.length}:${createHash('sha256').update(data).digest('hex')}\n`);
  return { exitCode: 0 };
}

/** `respond` that copies files as the adapter's scripts would, and hands every other script to `next`. */
export function withFileCopy(next: Respond): Respond {
  return (script, ctx) => {
    if (/^# gofleet-script: receive-file$/m.test(script)) return receive(script, ctx);
    if (/^# gofleet-script: send-file$/m.test(script)) return send(script, ctx);
    return next(script, ctx);
  };
}
