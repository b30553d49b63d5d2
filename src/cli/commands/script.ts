// gofleet script --os windows|linux|darwin --to SPEC [--arch A] [--source SRC] [--goroot P] [--versions-dir P]
//                [--method zip|msi] [--detect] [-o FILE]
// A standalone upgrade (or detection) script for machines gofleet does not reach (GPO, SCCM, Intune, cron): the
// release is resolved here exactly as for plan/upgrade (the same sources, spec resolution, file choice and
// expected SHA-256) and baked into the script; engine/standalone-script.ts picks the dialect's builder.

import { chmodSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkScriptOptions, type ScriptOs } from '../../engine/standalone-script.ts';
import { standaloneFor } from '../../platform/registry.ts';
import { GofleetError } from '../../errors.ts';
import { OS_DEFAULTS } from '../../platform/types.ts';
import type { VerifyPolicy } from '../../platform/types.ts';
import { normalizeArch } from '../../releases/index.ts';
import { safeText } from '../../report/safe-text.ts';
import { EXIT } from '../exit-code.ts';
import type { CliIo } from '../io.ts';
import { lazyProvider } from '../release-sources.ts';
import { parseMinAge } from '../min-age-option.ts';
import { parseSha256Options } from '../sha256-option.ts';

export interface ScriptOptions {
  os: string;
  to: string;
  arch?: string;
  source?: string;
  checksumSource?: string;
  /** --min-age: the release-age policy for --to */
  minAge?: string;
  trustKey?: string;
  /** --sha256 values (cli/sha256-option.ts) */
  sha256?: readonly string[];
  goroot?: string;
  versionsDir?: string;
  method?: string;
  detect?: boolean;
  output?: string;
  verifyBuild?: boolean;
  requirePath?: boolean;
  healthCmd?: string;
  /** the script's run name (tests); default script-<UTC time> */
  run?: string;
}

/** The architecture when --arch is not given: what most such machines are. */
const DEFAULT_ARCH: Record<ScriptOs, string> = { linux: 'amd64', darwin: 'arm64', windows: 'amd64' };

/** A value the script carries must print as itself: no control, bidi or line-separator characters. */
function plainOption(name: string, value: string | undefined): string | undefined {
  if (value !== undefined && safeText(value) !== value) {
    throw new GofleetError('BAD_OPTION', `${name} holds a control or invisible formatting character: ${JSON.stringify(value)}`);
  }
  return value;
}

export async function scriptCommand(opts: ScriptOptions, io: CliIo): Promise<number> {
  const { os, method } = checkScriptOptions({ os: opts.os, ...(opts.method !== undefined ? { method: opts.method } : {}) });
  const builder = standaloneFor(os);
  const paths = {
    goroot: plainOption('--goroot', opts.goroot) ?? OS_DEFAULTS[os].goroot,
    versionsDir: plainOption('--versions-dir', opts.versionsDir) ?? OS_DEFAULTS[os].versionsDir,
  };
  if (opts.output !== undefined) checkOutput(opts.output);
  const arch = normalizeArch(opts.arch ?? DEFAULT_ARCH[os]);
  // the same archive provider as plan/upgrade (releases/provider.ts): resolution, checksum authority, --sha256 pins
  const pins = parseSha256Options(opts.sha256 ?? []);
  const provider = await lazyProvider(
    {
      sources: opts.source !== undefined ? [opts.source] : [],
      ...(opts.checksumSource !== undefined && { checksumSource: opts.checksumSource }),
      ...(opts.trustKey !== undefined && { trustKey: opts.trustKey }),
      ...(opts.sha256 !== undefined && { sha256: opts.sha256 }),
    },
    (message) => io.err(`${message}\n`),
  )();
  const resolved = await provider.resolve(opts.to, opts.minAge === undefined ? null : { text: opts.minAge, ms: parseMinAge(opts.minAge) });
  if (resolved.warning) io.err(`warning: ${resolved.warning}\n`);
  const target = resolved.version;

  let text: string;
  let summary: string;
  if (opts.detect) {
    text = builder.detect({ paths, target });
    summary = `detection script for ${target} at ${paths.goroot} (${os})`;
  } else {
    const listed = await provider.artifact(target, os, arch, method);
    for (const warning of pins.checkFiles([listed.filename])) io.err(`warning: ${warning}\n`);
    // a goproxy module zip has its SHA-256 only once verified and repacked; the script then takes it from beside itself
    const file = listed.kind === 'module-zip' ? { ...listed, ...(await provider.fetch(target, os, arch, method)) } : listed;
    const { sha256 } = file;
    const verify: VerifyPolicy = {
      build: opts.verifyBuild !== false,
      requirePath: opts.requirePath !== false,
      ...(opts.healthCmd !== undefined ? { healthCommand: plainOption('--health-cmd', opts.healthCmd) as string } : {}),
    };
    text = builder.upgrade({
      paths,
      target,
      archive: { filename: file.filename, sha256, size: file.size, url: file.url },
      verify,
      run: opts.run ?? scriptRunName(new Date()),
      method,
    });
    const from = file.url ?? `${file.filename} beside the script`;
    summary = `upgrade script for ${target} (${file.filename}, SHA-256 ${sha256}) from ${from}`;
  }
  if (opts.output !== undefined) {
    writeScript(opts.output, builder.byteOrderMark === true ? `\uFEFF${text}` : text, builder.fileMode);
    io.err(`wrote ${opts.output}: ${summary}\n`);
  } else {
    io.out(text);
    io.err(`gofleet: ${summary}\n`);
  }
  return EXIT.ok;
}

/** script-20261202-163000: the name the machine's lock and state file record for runs of this script. */
export function scriptRunName(now: Date): string {
  return `script-${now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;
}

function unwritable(path: string, why: string, cause?: unknown): GofleetError {
  return new GofleetError('OUTPUT_UNWRITABLE', `-o ${path}: cannot write the script: ${why}`, cause === undefined ? {} : { cause });
}

/** Refused before anything is resolved: a directory (rename would fail late, or replace an empty one). */
function checkOutput(path: string): void {
  const st = statSync(path, { throwIfNoEntry: false });
  if (st?.isDirectory()) throw unwritable(path, 'it is a directory; give a file name');
}

/** Temp file beside it, the mode set, then rename: a reader (or a deployment tool) never sees half a script. */
function writeScript(path: string, text: string, mode: number): void {
  checkOutput(path);
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text, { mode, flag: 'wx' });
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    const e = err as NodeJS.ErrnoException;
    // a missing directory is not created: a typo in -o should not grow a tree of directories
    throw unwritable(path, e.code === 'ENOENT' ? `the directory ${dirname(path)} does not exist` : e.message, err);
  }
}
