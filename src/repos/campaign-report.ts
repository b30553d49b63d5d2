// What a campaign shows: the JSON document (DESIGN.md shape, plus extra fields), the campaign table
// (repo, module, from, to, result, class, first error) and the findings worth reading. Pure.

import { renderTable } from '../util/text-table.ts';
import type { PublishOutcome } from './publish/publish-campaign.ts';
import type { CampaignCommand, ModuleResult, PinnedToolchain, RepoResult } from './shared/types.ts';

export interface CampaignDocInput {
  command: CampaignCommand;
  toolchain: PinnedToolchain;
  repos: readonly RepoResult[];
}

function moduleJson(m: ModuleResult): Record<string, unknown> {
  return {
    dir: m.dir,
    kind: m.kind,
    module: m.module,
    from: m.from,
    to: m.to,
    toolchain_from: m.toolchainFrom,
    toolchain_to: m.toolchainTo,
    result: m.result,
    class: m.class,
    findings: m.findings.map((f) => ({ code: f.code, message: f.message, hint: f.hint, severity: f.severity, ...(f.loops ? { loops: f.loops } : {}) })),
    first_error: m.firstError,
    steps: m.steps.map((s) => ({ name: s.name, status: s.status, duration_ms: s.durationMs })),
    changed: m.changed,
  };
}

function publishJson(p: PublishOutcome): Record<string, unknown> {
  return {
    remote: p.remote,
    push: p.push,
    forge: p.forge ? { kind: p.forge.kind, api: p.forge.apiUrl, project: p.forge.project } : null,
    base: p.base,
    pull_request: p.pr ? { number: p.pr.number, url: p.pr.url, state: p.pr.state, action: p.pr.action } : null,
    error: p.error,
  };
}

export function campaignSummary(repos: readonly RepoResult[]): { pass: number; warn: number; fail: number; errors: number } {
  const mods = repos.flatMap((r) => r.modules);
  return {
    pass: mods.filter((m) => m.result === 'pass').length,
    warn: mods.filter((m) => m.result === 'warn').length,
    fail: mods.filter((m) => m.result === 'fail').length,
    errors: repos.filter((r) => r.error !== null).length,
  };
}

/** The `--json` document. */
export function campaignJson(c: CampaignDocInput): Record<string, unknown> {
  return {
    command: c.command,
    target: c.toolchain.version,
    toolchain: { version: c.toolchain.version, go: c.toolchain.go, gotoolchain: c.toolchain.gotoolchain },
    repos: c.repos.map((r) => ({
      path: r.path,
      source: r.source,
      error: r.error,
      git: r.git,
      ...(r.publish ? { publish: publishJson(r.publish) } : {}),
      modules: r.modules.map(moduleJson),
    })),
    summary: campaignSummary(c.repos),
  };
}

function goFileName(m: ModuleResult): string {
  const base = m.kind === 'module' ? 'go.mod' : 'go.work';
  return m.dir === '.' ? base : `${m.dir}/${base}`;
}

function clip(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : chars.slice(0, width - 1).join('') + '…';
}

/** How many loops change to per-iteration variables (null: not listed — 1.22 not crossed, or no build). */
function loopvarCount(m: ModuleResult): number | null {
  const loops = m.findings.find((f) => f.loops)?.loops;
  return loops ? loops.length : null;
}

/**
 * One row per go.mod/go.work; a repo that could not be worked on gets one row with its error. A `loopvar`
 * column (loops that become per-iteration, see loopvar.ts) appears only when some module has such loops.
 */
export function campaignTable(repos: readonly RepoResult[], name: (r: RepoResult) => string, errorWidth = 70): string {
  const loopvar = repos.some((r) => r.modules.some((m) => loopvarCount(m) !== null));
  const extra = (cell: string): string[] => (loopvar ? [cell] : []);
  const rows: string[][] = [];
  for (const r of repos) {
    if (r.error) rows.push([name(r), '-', '-', '-', 'error', r.error.code, ...extra('-'), clip(r.error.message, errorWidth)]);
    if (!r.error && r.modules.length === 0 && r.git) rows.push([name(r), '-', '-', '-', r.git.action, '-', ...extra('-'), `branch ${r.git.branch} exists`]);
    for (const m of r.modules) {
      const first = m.firstError?.split('\n')[0] ?? '';
      rows.push([name(r), goFileName(m), m.from ?? '-', m.to, m.result, m.class ?? '-', ...extra(String(loopvarCount(m) ?? '-')), clip(first, errorWidth)]);
    }
  }
  return renderTable(['repo', 'module', 'from', 'to', 'result', 'class', ...extra('loopvar'), 'first error'], rows);
}

/** Findings that make a module warn or fail (with hints), then a count of info findings; git outcomes. */
export function findingsText(repos: readonly RepoResult[], name: (r: RepoResult) => string): string {
  const out: string[] = [];
  let info = 0;
  for (const r of repos) {
    for (const m of r.modules) {
      for (const f of m.findings) {
        if (f.severity === 'info') {
          info++;
          continue;
        }
        out.push(`${name(r)} ${goFileName(m)}: ${f.severity} ${f.code}: ${f.message}\n    hint: ${f.hint}`);
      }
    }
    if (r.error) out.push(`${name(r)}: error ${r.error.code}: ${r.error.message}\n    hint: ${r.error.hint}`);
    if (r.git) out.push(`${name(r)}: branch ${r.git.branch} ${r.git.action}${r.git.commit ? ` at ${r.git.commit.slice(0, 12)}` : ''} (base ${r.git.base.slice(0, 12)})`);
    const p = r.publish;
    if (p?.push) out.push(`${name(r)}: push ${p.push} (${p.remote ?? '-'})`);
    if (p?.pr) out.push(`${name(r)}: ${p.forge?.kind === 'gitlab' ? 'merge' : 'pull'} request ${p.pr.action}: ${p.pr.url} (${p.pr.state})`);
    if (p?.error) out.push(`${name(r)}: error ${p.error.code}: ${p.error.message}\n    hint: ${p.error.hint}`);
  }
  if (info > 0) out.push(`(${info} informational finding${info === 1 ? '' : 's'} — GODEBUG defaults, language changes, pins ahead — in --json)`);
  return out.length > 0 ? out.join('\n') + '\n' : '';
}

/** true when every repo was worked on and no module failed. */
export function campaignPassed(repos: readonly RepoResult[]): boolean {
  return repos.every((r) => r.error === null && r.modules.every((m) => m.result !== 'fail') && r.git?.action !== 'not-committed' && !r.publish?.error);
}
