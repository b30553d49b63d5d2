// --sha256 FILE=HEX (repeatable) or one bare --sha256 HEX: SHA-256 values the user checked and vouches for
// (releases/checksum-authority.ts vouchFor `pinned`). In the CLI layer so the CLI entry checks the option
// without loading release code (test/cli-start-lazy.test.ts).
//
// A bare HEX applies only when the command needs exactly one file. Enforced twice: the caller runs
// `checkFiles(all the file names it needs)` before fetching anything (plan/upgrade know them once facts are
// in; script and mirror sync from their options), and `forFile` itself refuses a second distinct file name
// (so a caller that forgets cannot apply one hash to two files).

import { GofleetError } from '../errors.ts';

export interface Sha256Pins {
  /** the pinned SHA-256 (lowercase hex) of `filename`, if any; BAD_OPTION when a bare HEX meets a second file */
  forFile(filename: string): string | undefined;
  /** BAD_OPTION when a bare HEX is given and `filenames` holds more than one distinct name; returns warnings
   *  for FILE=HEX pins that name none of `filenames` (a typo, or a file this command does not need) */
  checkFiles(filenames: readonly string[]): string[];
  /** nothing was pinned */
  readonly empty: boolean;
}

const HEX_RE = /^[0-9a-fA-F]{64}$/;
const HINT = 'Give --sha256 FILE=HEX (FILE: the official archive name, e.g. go1.27.3.linux-amd64.tar.gz; HEX: its 64-digit SHA-256), once per file, or one bare --sha256 HEX when the command needs a single file.';

function bad(message: string): GofleetError {
  return new GofleetError('BAD_OPTION', message, { hint: HINT });
}

/** One --sha256 value -> [file or null (bare), lowercase hex]. */
function parseOne(value: string): [string | null, string] {
  const text = value.trim();
  const eq = text.lastIndexOf('=');
  const file = eq < 0 ? null : text.slice(0, eq).trim();
  const hex = (eq < 0 ? text : text.slice(eq + 1)).trim();
  if (file !== null && (file === '' || /[/\\\s]/.test(file) || file.startsWith('.'))) {
    throw bad(`--sha256 ${JSON.stringify(value)}: FILE must be a plain file name (no directory), got ${JSON.stringify(file)}`);
  }
  if (!HEX_RE.test(hex)) {
    throw bad(`--sha256 ${JSON.stringify(value)}: ${JSON.stringify(hex)} is not a SHA-256 (64 hexadecimal digits)`);
  }
  return [file, hex.toLowerCase()];
}

export function parseSha256Options(values: readonly string[]): Sha256Pins {
  const byFile = new Map<string, string>();
  let bare: string | undefined;
  for (const value of values) {
    const [file, hex] = parseOne(value);
    if (file === null) {
      if (bare !== undefined && bare !== hex) throw bad('--sha256 HEX without a file name may be given only once; name the files: --sha256 FILE=HEX');
      bare = hex;
    } else {
      const before = byFile.get(file);
      if (before !== undefined && before !== hex) throw bad(`--sha256 gives two different values for ${file}: ${before} and ${hex}`);
      byFile.set(file, hex);
    }
  }
  if (bare !== undefined && byFile.size > 0) throw bad('--sha256: give either one bare HEX or FILE=HEX values, not both');
  return bare === undefined ? filePins(byFile) : barePin(bare);
}

function filePins(byFile: ReadonlyMap<string, string>): Sha256Pins {
  return {
    empty: byFile.size === 0,
    forFile: (filename) => byFile.get(filename),
    checkFiles: (filenames) => {
      const needed = new Set(filenames);
      return [...byFile.keys()].filter((f) => !needed.has(f)).map((f) => `--sha256 ${f}=... names a file this command does not use`);
    },
  };
}

function barePin(hex: string): Sha256Pins {
  let first: string | undefined;
  const tooMany = (names: readonly string[]) =>
    bad(`a bare --sha256 HEX applies only when the command needs exactly one file, and this one needs ${names.length}: ${names.join(', ')}; give --sha256 FILE=HEX for each`);
  return {
    empty: false,
    forFile: (filename) => {
      first ??= filename;
      if (first !== filename) throw tooMany([first, filename]);
      return hex;
    },
    checkFiles: (filenames) => {
      const distinct = [...new Set(filenames)];
      if (distinct.length > 1) throw tooMany(distinct);
      return [];
    },
  };
}
