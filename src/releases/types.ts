// The go.dev/dl JSON shape (`?mode=json&include=all`) and the release-source contract.
// Every source (official site, mirror URL, local directory) produces exactly this shape.

import type { Readable } from 'node:stream';

/** module-zip: a golang.org/toolchain module, delivered repacked as the official archive (source-goproxy.ts) */
export type FileKind = 'archive' | 'installer' | 'source' | 'module-zip';

/** One downloadable file, as go.dev lists it. */
export interface ReleaseFile {
  /** official file name, e.g. go1.27.3.linux-amd64.tar.gz */
  filename: string;
  /** GOOS; '' for source archives */
  os: string;
  /** GOARCH-like name (armv6l for 32-bit ARM Linux); '' for source archives */
  arch: string;
  /** e.g. go1.27.3 */
  version: string;
  /** SHA-256 hex; '' when the source publishes none (using the file then fails with CHECKSUM_MISSING) */
  sha256: string;
  /** bytes; 0 when the source does not say (flat mirror listings) */
  size: number;
  kind: FileKind;
}

export interface Release {
  version: string;
  /** neither beta nor rc */
  stable: boolean;
  files: ReleaseFile[];
}

export type SourceKind = 'official' | 'url' | 'dir' | 'goproxy';

/** A readable stream of a file's bytes, with its length when known. */
export interface OpenedFile {
  stream: Readable;
  /** Content-Length or file size; null when unknown */
  size: number | null;
  /** where the bytes come from (URL or path), for messages */
  location: string;
}

export interface OpenFileOptions {
  signal?: AbortSignal;
}

/** Where releases come from. Implementations memoize the listing: one fetch per source object. */
export interface ReleaseSource {
  readonly kind: SourceKind;
  /** base URL or directory, for messages (credentials stripped) */
  readonly location: string;
  /** every release the source offers, newest first */
  releases(): Promise<Release[]>;
  /** the published SHA-256 of `filename`; throws CHECKSUM_MISSING when the source has none */
  checksum(filename: string): Promise<string>;
  /** open the file's bytes (throws SOURCE_UNAVAILABLE / RELEASE_FILE_MISSING) */
  open(filename: string, options?: OpenFileOptions): Promise<OpenedFile>;
  /** a URL a host could download the file from itself, or null (local directory) */
  fileUrl(filename: string): string | null;
  /** when `version` was released (ms since the epoch), for a source that says so itself (goproxy: the module's
   * .info Time); null when unknown. Absent: release-date.ts asks the file's Last-Modified / mtime. */
  releaseTime?(version: string): Promise<number | null>;
  /** the `h1:` hash the Go checksum database records for the module zip `filename` was repacked from (goproxy:),
   * verified when the file was prepared; null before that, or when no database was consulted (GOSUMDB=off).
   * Never fetches anything. Absent: not a module source. */
  verifiedH1?(filename: string): string | null;
}
