// Writes every PowerShell script gofleet can generate -- what it sends to a Windows host (bootstrap, facts,
// upgrade zip/msi, switch, restore-link, prune) and what `gofleet script --os windows` writes (upgrade zip/msi,
// detection) -- with representative intents (default paths, other drives, hostile quoting), one .ps1 each, into
// a directory. The Windows workflow (.github/workflows/windows-e2e.yml, job "parse") runs PowerShell's own parser
// on each of them under powershell.exe (5.1) and pwsh; here they are only parsed by tree-sitter.
//   node --import tsx scripts/dump-windows-scripts.ts OUT_DIR
// Files are UTF-8 with a byte order mark (as `gofleet script -o` writes them): 5.1 reads a file without one as ANSI.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HostPaths } from '../src/platform/types.ts';
import { BOOTSTRAP_SCRIPT } from '../src/platform/windows/bootstrap.ts';
import { windows } from '../src/platform/windows/index.ts';
import { standaloneDetectScript, standaloneUpgradeScript } from '../src/platform/windows/standalone-script.ts';

export interface NamedScript {
  name: string;
  text: string;
}

const PATHS: Record<string, HostPaths> = {
  default: { goroot: 'C:\\Program Files\\Go', versionsDir: 'C:\\ProgramData\\gofleet\\versions' },
  other: { goroot: 'D:\\tools\\go', versionsDir: 'D:\\gofleet versions' },
  hostile: { goroot: "C:\\Go'; Remove-Item -Recurse \\Windows ; '", versionsDir: 'D:\\$(Stop-Computer)\\`n back`tick ${env;x} \u2019smart\u2019 \u00e9t\u00e9' },
};
const SHA = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const RUN = '20261202-170000-dump';
const HEALTH = "go version; if ($LASTEXITCODE) { 'x' }; echo `whoami`";

function remoteScripts(label: string, paths: HostPaths): NamedScript[] {
  const verify = { build: true, requirePath: true, healthCommand: HEALTH };
  const zip = { filename: 'go1.27.3.windows-amd64.zip', sha256: SHA, size: 80_000_000, remotePath: windows.uploadPath(paths, 'go1.27.3.windows-amd64.zip', { become: false, run: RUN }) };
  const msi = { ...zip, filename: 'go1.27.3.windows-amd64.msi', remotePath: windows.uploadPath(paths, 'go1.27.3.windows-amd64.msi', { become: false, run: RUN }) };
  return [
    { name: `remote-facts-${label}`, text: windows.facts(paths) },
    { name: `remote-upgrade-${label}`, text: windows.upgrade({ paths, target: 'go1.27.3', run: RUN, verify, archive: zip }) },
    { name: `remote-upgrade-msi-${label}`, text: windows.upgrade({ paths, target: 'go1.27.3', run: RUN, verify, archive: msi, method: 'msi' } as Parameters<typeof windows.upgrade>[0]) },
    { name: `remote-switch-${label}`, text: windows.switchTo({ paths, target: 'go1.26.8', run: RUN, verify: { build: false, requirePath: false } }) },
    { name: `remote-restore-link-${label}`, text: windows.restoreLink({ paths, run: RUN }) },
    { name: `remote-prune-${label}`, text: windows.prune({ paths, keep: 2, run: RUN }) },
  ];
}

function standaloneScripts(label: string, paths: HostPaths): NamedScript[] {
  const verify = { build: true, requirePath: true, healthCommand: HEALTH };
  const archive = { filename: 'go1.27.3.windows-amd64.zip', sha256: SHA, size: 80_000_000, url: 'https://go.dev/dl/go1.27.3.windows-amd64.zip' };
  const run = 'script-20261202-170000';
  return [
    { name: `standalone-zip-${label}`, text: standaloneUpgradeScript({ paths, target: 'go1.27.3', archive, verify, run, method: 'zip' }) },
    { name: `standalone-zip-beside-${label}`, text: standaloneUpgradeScript({ paths, target: 'go1.27.3', archive: { ...archive, url: null, size: 0 }, verify: { build: false, requirePath: false }, run, method: 'zip' }) },
    { name: `standalone-msi-${label}`, text: standaloneUpgradeScript({ paths, target: 'go1.27.3', archive: { ...archive, filename: 'go1.27.3.windows-amd64.msi', url: 'https://go.dev/dl/go1.27.3.windows-amd64.msi' }, verify, run, method: 'msi' }) },
    { name: `standalone-detect-${label}`, text: standaloneDetectScript({ paths, target: 'go1.27.3' }) },
  ];
}

/** Every script, in a stable order. */
export function windowsScripts(): NamedScript[] {
  const out: NamedScript[] = [{ name: 'bootstrap', text: BOOTSTRAP_SCRIPT }];
  for (const [label, paths] of Object.entries(PATHS)) out.push(...remoteScripts(label, paths), ...standaloneScripts(label, paths));
  return out;
}

/** Write them as DIR/<name>.ps1; answers the paths written. */
export function dumpWindowsScripts(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return windowsScripts().map(({ name, text }) => {
    const file = join(dir, `${name}.ps1`);
    writeFileSync(file, `\uFEFF${text}`);
    return file;
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2];
  if (dir === undefined) {
    process.stderr.write('usage: node --import tsx scripts/dump-windows-scripts.ts OUT_DIR\n');
    process.exit(5);
  }
  const files = dumpWindowsScripts(dir);
  process.stdout.write(`wrote ${files.length} PowerShell scripts to ${dir}\n`);
}
