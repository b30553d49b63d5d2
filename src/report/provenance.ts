// How a fetched archive's provenance is shown: one console line ("FILE from X, vouched by Y, module zip h1:...,
// failover: ...") and its JSON shape (`archives` in `upgrade --json` and `show RUN --json`). Pure.

import type { Provenance } from '../releases/provider.ts';

export function provenanceLine(filename: string, p: Provenance): string {
  const failover = p.failover.length > 0 ? `, failover: ${p.failover.map((s) => `${s.source} (${s.code})`).join(', ')}` : '';
  const warnings = p.warnings.map((w) => `; warning: ${w}`).join('');
  return `${filename} from ${p.source}, vouched by ${p.authority}${moduleHashNote(p.hashes.h1)}${failover}${warnings}`;
}

/** ", module zip h1:..." for an archive repacked from a module zip the checksum database vouched for; else ''. */
function moduleHashNote(h1: string | undefined): string {
  return h1 !== undefined ? `, module zip ${h1}` : '';
}

export interface ArchiveJson {
  filename: string;
  source: string;
  source_kind: string;
  authority: string;
  sha256: string;
  h1?: string;
  failover: { source: string; code: string; message: string }[];
  warnings: string[];
}

export function archiveJson(filename: string, p: Provenance): ArchiveJson {
  return {
    filename,
    source: p.source,
    source_kind: p.sourceKind,
    authority: p.authority,
    sha256: p.hashes.sha256,
    ...(p.hashes.h1 !== undefined ? { h1: p.hashes.h1 } : {}),
    failover: p.failover.map((s) => ({ source: s.source, code: s.code, message: s.message })),
    warnings: [...p.warnings],
  };
}
