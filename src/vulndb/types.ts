// The shapes of a Go vulnerability database (vuln.go.dev, OSV schema) as far as gofleet reads them, and what a
// match against a host's toolchain gives. Only the standard library ("stdlib") and the go command ("toolchain")
// entries matter for a toolchain; module entries are dropped when records are read.

/** The packages of the Go vulnerability database that describe a Go toolchain itself. */
export const TOOLCHAIN_PACKAGES = ['stdlib', 'toolchain'] as const;
export type ToolchainPackage = (typeof TOOLCHAIN_PACKAGES)[number];

/** One OSV range event, versions in Go's vuln semver form (1.21.0-rc.1); "0" means from the beginning. */
export type RangeEvent = { introduced: string } | { fixed: string };

export interface AffectedEntry {
  package: ToolchainPackage;
  /** the events of the entry's SEMVER ranges, in order */
  events: RangeEvent[];
  /** import paths with their symbols, when the record lists them */
  imports: Array<{ path: string; symbols: string[] }>;
}

/** An OSV record reduced to its toolchain entries (records without any are not kept). */
export interface VulnRecord {
  id: string;
  aliases: string[];
  /** the record's summary, or the first sentence of its details when it has none (older records) */
  summary: string;
  affected: AffectedEntry[];
}

export interface VulnDb {
  /** where it was read from, for messages (credentials stripped) */
  source: string;
  /** index/db.json `modified`, when the database has an index */
  modified: string | null;
  records: VulnRecord[];
}

/** One known vulnerability of a host's toolchain. */
export interface VulnMatch {
  id: string;
  aliases: string[];
  summary: string;
  /** the affected import paths (and symbols), when the record lists them */
  packages: Array<{ path: string; symbols: string[] }>;
  /** the first Go version at or above the host's that fixes it (go1.26.9); null when no fix is published */
  fixed: string | null;
}
