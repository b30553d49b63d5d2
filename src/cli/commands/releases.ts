// gofleet releases [--source SRC[,SRC...]] [--trust-key PUBFILE] [--json] [--all]

import { formatBytes, renderTable } from '../../util/text-table.ts';
import { EXIT } from '../exit-code.ts';
import { printJson, type CliIo } from '../io.ts';
import { lazyProvider } from '../release-sources.ts';
import { parseSources } from '../source-option.ts';

export async function releasesCommand(opts: Record<string, unknown>, io: CliIo): Promise<number> {
  const str = (k: string): string | undefined => (typeof opts[k] === 'string' ? (opts[k] as string) : undefined);
  const sources = parseSources(Array.isArray(opts.source) ? (opts.source as string[]) : str('source') !== undefined ? [String(opts.source)] : []);
  const provider = lazyProvider(
    { sources, ...(str('trustKey') !== undefined ? { trustKey: str('trustKey') } : {}) },
    (message) => io.err(`${message}\n`),
  );
  // the listing of the first source that answers (--source a,b: failover)
  const { source, releases: all } = await (await provider()).listing();
  const releases = opts.all === true || opts.json === true ? all : all.filter((r) => r.stable).slice(0, 10);
  if (opts.json === true) {
    printJson(io, { source: source.location, releases });
    return EXIT.ok;
  }
  const rows = releases.map((r) => {
    const archives = r.files.filter((f) => f.kind === 'archive' || f.kind === 'module-zip');
    const size = archives.find((f) => f.os === 'linux' && f.arch === 'amd64')?.size || null; // 0: the source does not say
    return [r.version, r.stable ? 'stable' : 'unstable', String(archives.length), formatBytes(size), archives.some((f) => f.kind === 'module-zip') ? 'h1 (sumdb)' : archives.some((f) => !f.sha256) ? 'some missing' : 'yes'];
  });
  const signed = str('trustKey') !== undefined ? ' (index signature verified)' : '';
  io.out(`source: ${source.location}${signed}\n\n` + renderTable(['version', 'kind', 'archives', 'linux-amd64', 'sha256'], rows, { right: [2, 3] }));
  return EXIT.ok;
}
