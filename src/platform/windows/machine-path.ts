// The machine PATH edit, as a pure function: the TypeScript model of `gf_path_edit` in ps-path.ts.
// Both are written step by step alike (same names, same order) so that a reviewer can hold them side by side;
// machine-path.test.ts runs the model on tricky values. The PowerShell twin cannot run here (no PowerShell on
// the build machines): its equality with this model is by reading, and the check-ps51 gate parses it.
//
// Input is the raw PATH as stored (REG_EXPAND_SZ, read with DoNotExpandEnvironmentNames, so %SystemRoot% is
// still %SystemRoot%). Rules:
//   - entries are split on ';' and every entry that is not a Go entry is kept exactly as written, in its place
//     (unexpanded variables, quotes, trailing backslashes, empty entries: untouched, so an admin's diff shows
//     only what gofleet changed);
//   - an entry is compared by its key: expanded (as Windows would), quotes removed, blanks and trailing
//     backslashes trimmed, case folded (Windows paths are case-insensitive);
//   - `<goroot>\bin` must appear once, before the first entry that holds a go command (a toolchain's bin or a
//     shim directory): it takes the place of the first of them (or its own place when it already comes first,
//     keeping its spelling); later copies of it are dropped; when no entry holds go it is appended, as the MSI does;
//   - other toolchain bins (a directory with go.exe whose parent has a VERSION file) are removed only when
//     asked (removeOtherGo); shim directories (choco, scoop) are never removed, they hold other tools too.

export type PathEntryKind =
  /** a Go toolchain's bin directory (go.exe, and VERSION one level up) */
  | 'toolchain'
  /** a directory with a go command that is not a toolchain bin (chocolatey\bin, scoop\shims) */
  | 'shim'
  | 'other';

export interface PathEditOptions {
  /** `<goroot>\bin` as it is written into PATH when it is not there yet */
  goBin: string;
  removeOtherGo: boolean;
  /** expand %VAR% as a new logon would (the script: [Environment]::ExpandEnvironmentVariables) */
  expand: (entry: string) => string;
  /** what an (expanded, unquoted) entry holds (the script looks at the file system) */
  classify: (expanded: string) => PathEntryKind;
}

export interface PathEdit {
  path: string;
  changed: boolean;
  /** entries removed (removeOtherGo) or dropped as duplicates of goBin, as written */
  removed: string[];
}

/** The comparison key of a PATH entry: quotes removed, blanks and trailing backslashes trimmed, lower case. */
export function pathKey(entry: string): string {
  return entry.replace(/"/g, '').trim().replace(/\\+$/, '').toLowerCase();
}

/** The new machine PATH (see the rules above). */
export function editMachinePath(raw: string, options: PathEditOptions): PathEdit {
  const entries = raw === '' ? [] : raw.split(';');
  const goKey = pathKey(options.expand(options.goBin));
  const out: string[] = [];
  const removed: string[] = [];
  let placed = false;
  for (const entry of entries) {
    const key = pathKey(options.expand(entry));
    if (key === '') {
      out.push(entry);
      continue;
    }
    if (key === goKey) {
      if (placed) removed.push(entry);
      else out.push(entry);
      placed = true;
      continue;
    }
    const kind = options.classify(options.expand(entry).replace(/"/g, '').trim());
    if (kind === 'other') {
      out.push(entry);
      continue;
    }
    if (!placed) {
      out.push(options.goBin);
      placed = true;
    }
    if (kind === 'toolchain' && options.removeOtherGo) removed.push(entry);
    else out.push(entry);
  }
  if (!placed) {
    // appended after the last entry; a PATH ending in ';' keeps its empty last entry before it
    if (out.length > 0 && out[out.length - 1] === '') out.splice(out.length - 1, 0, options.goBin);
    else out.push(options.goBin);
  }
  const path = out.join(';');
  return { path, changed: path !== raw, removed };
}
