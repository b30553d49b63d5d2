// gofleet mirror keygen -o KEYFILE
// gofleet mirror sync --versions LIST --os LIST --arch LIST --to DIR [--source SRC] [--checksum-source SRC] [--sha256 FILE=HEX] [--sign-key KEYFILE]
// The work is in releases/mirror-key.ts and releases/mirror-sync.ts; this file reads options and prints.

import { readFile } from 'node:fs/promises';
import { GofleetError } from '../../errors.ts';
import { writeKeyFiles } from '../../releases/mirror-key.ts';
import { syncMirror } from '../../releases/mirror-sync.ts';
import { formatBytes } from '../../util/text-table.ts';
import { EXIT } from '../exit-code.ts';
import { printJson, type CliIo } from '../io.ts';
import { lazySources } from '../release-sources.ts';
import { parseSha256Options } from '../sha256-option.ts';

export async function mirrorKeygenCommand(opts: { output: string }, io: CliIo): Promise<number> {
  const publicText = await writeKeyFiles(opts.output);
  io.err(`private key: ${opts.output} (mode 0600; keep it off the mirror)\npublic key: ${opts.output}.pub (give it to --trust-key)\n`);
  io.out(`${publicText}\n`);
  return EXIT.ok;
}

export interface MirrorSyncCliOptions {
  versions: string;
  os: string;
  arch: string;
  to: string;
  source?: string;
  checksumSource?: string;
  trustKey?: string;
  signKey?: string;
  /** --sha256 values (cli/sha256-option.ts) */
  sha256?: readonly string[];
  json: boolean;
}

export async function mirrorSyncCommand(opts: MirrorSyncCliOptions, io: CliIo, signal?: AbortSignal): Promise<number> {
  const list = (name: string, value: string): string[] => {
    const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (items.length === 0) throw new GofleetError('BAD_OPTION', `${name} is empty; give a comma-separated list`);
    return items;
  };
  const versions = list('--versions', opts.versions);
  const oses = list('--os', opts.os);
  const arches = list('--arch', opts.arch);
  const signKey = opts.signKey === undefined ? undefined : { pem: await readSignKey(opts.signKey), path: opts.signKey };
  const sources = lazySources({
    ...(opts.source !== undefined ? { source: opts.source } : {}),
    ...(opts.checksumSource !== undefined ? { checksumSource: opts.checksumSource } : {}),
    ...(opts.trustKey !== undefined ? { trustKey: opts.trustKey } : {}),
  });
  const source = await sources.main();
  const result = await syncMirror({
    source, versions, oses, arches, dir: opts.to,
    independents: await sources.independents(),
    pins: parseSha256Options(opts.sha256 ?? []),
    onWarning: (message) => io.err(`warning: ${message}\n`),
    ...(signKey ? { signKey } : {}),
    ...(signal ? { signal } : {}),
    onFile: (f) => io.err(`${f.reused ? 'kept' : 'downloaded'} ${f.filename} (${formatBytes(f.size)}, sha256 ${f.sha256})\n`),
  });
  for (const why of result.skipped) io.err(`warning: skipped: ${why}\n`);
  if (opts.json) {
    printJson(io, { source: source.location, ...result });
    return EXIT.ok;
  }
  const fresh = result.files.filter((f) => !f.reused).length;
  io.out(
    `${result.dir}: ${fresh} downloaded, ${result.files.length - fresh} already there; index.json lists ${result.indexed} files` +
      (result.signed ? ', signed (index.json.sig)\n' : ', not signed (no --sign-key)\n'),
  );
  return EXIT.ok;
}

async function readSignKey(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new GofleetError('BAD_OPTION', `--sign-key ${path}: ${(err as Error).message}`, { cause: err });
  }
}
