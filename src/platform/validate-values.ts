// Checks of the values every dialect's script builders bake into scripts (versions, run ids, file names,
// digests, counts, time caps): dialect-neutral, so posix/validate.ts and windows/validate.ts share one copy.
// Everything is quoted anyway; these reject values that would make a script meaningless or escape versionsDir.

import { GofleetError } from '../errors.ts';

const VERSION = /^go[0-9][0-9A-Za-z.+-]*$/;
const RUN_ID = /^[A-Za-z0-9._-]{1,100}$/;
const FILENAME = /^[A-Za-z0-9+_-][A-Za-z0-9._+-]*$/;

function bad(message: string): GofleetError {
  return new GofleetError('BAD_OPTION', message);
}

export function checkVersion(version: string): string {
  if (!VERSION.test(version)) throw bad(`not a Go version name: ${JSON.stringify(version)} (expected e.g. go1.27.3)`);
  return version;
}

export function checkRunId(run: string): string {
  if (!RUN_ID.test(run)) throw bad(`run id must match ${RUN_ID.source}, got ${JSON.stringify(run)}`);
  return run;
}

/** A fencing token (issue 14): a positive integer, rendered in decimal (sh `[ -gt ]` and PowerShell [long] compare it). */
export function fenceText(token: number | undefined): string {
  if (token === undefined) return '';
  if (!Number.isSafeInteger(token) || token < 1) throw bad(`a fencing token must be a positive integer, got ${token}`);
  return String(token);
}

export function checkFilename(filename: string): string {
  if (!FILENAME.test(filename)) throw bad(`not a plain archive file name: ${JSON.stringify(filename)}`);
  return filename;
}

export function checkSha256(sha256: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(sha256)) throw bad(`not a SHA-256 hex digest: ${JSON.stringify(sha256)}`);
  return sha256.toLowerCase();
}

export function checkCount(label: string, n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw bad(`${label} must be a non-negative integer, got ${n}`);
  return n;
}

/** A time cap in whole seconds (sh `sleep` takes integers everywhere): 1 s to a day. */
export function checkTimeout(label: string, seconds: number): number {
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > 86_400) {
    throw bad(`${label} must be a whole number of seconds from 1 to 86400, got ${seconds}`);
  }
  return seconds;
}

/** The URL a host pulls from (ArchiveRef.pullUrl, the reach probe): http or https, no blanks or control characters
 *  (each dialect's quote does the rest). */
export function checkPullUrl(url: string): string {
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  // eslint-disable-next-line no-control-regex
  if (parsed === null || !/^https?:$/.test(parsed.protocol) || /[\s\x00-\x1f\x7f]/.test(url)) {
    throw bad(`a host can only pull from an http(s) URL without blanks: ${JSON.stringify(url)}`);
  }
  return url;
}
