// The vulnerability database layer: load a vuln.go.dev-layout database, match a toolchain version against it.
// Used by `facts --vulndb` (cli) and meant for drift (branch policy): loadVulnDb once, toolchainVulns per host.

export { loadVulnDb, type LoadOptions } from './load.ts';
export { toolchainVulns, type VulnReport } from './match.ts';
export type { VulnDb, VulnMatch, VulnRecord } from './types.ts';
