// gofleet drift -i INV --policy P [--json] [--vulndb DIR|URL]: facts over the fleet (as `facts` gathers them,
// read-only), each host's channel resolved once (under its min_age) and each host classified (src/policy/drift.ts);
// with --vulndb, each host's known vulnerabilities beside its status (the reason to upgrade), as `facts` shows them.

import { gatherFacts } from '../../engine/gather-facts.ts';
import { asGofleetError } from '../../errors.ts';
import { assignHosts } from '../../policy/assign-hosts.ts';
import { classifyDrift } from '../../policy/drift.ts';
import { driftExitCode, driftJson, driftText } from '../../policy/drift-report.ts';
import { loadPolicy } from '../../policy/parse-policy.ts';
import type { Assignment, Channel, Policy } from '../../policy/types.ts';
import type { HostFactsResult } from '../../engine/facts-host.ts';
import { windowState, windowWords, type WindowState } from '../../policy/window-state.ts';
import type { DriftResult } from '../../policy/drift.ts';
import { vulnLines, vulnsField } from '../../report/host-vulns.ts';
import { matchVulns, vulnDbJson, vulnDbOption, type FactsVulns } from './facts.ts';
import { printJson, type CliIo } from '../io.ts';
import type { Runtime } from '../runtime.ts';

type Wanted = { version: string } | { error: string };

export async function driftCommand(rt: Runtime, io: CliIo, policyFile: string): Promise<number> {
  const policy = await loadPolicy(policyFile);
  // a bad database fails before any host is contacted
  const db = await vulnDbOption(rt);
  const { facts, results } = await assessDrift(rt, policy, 'drift');
  const vulns = db && matchVulns(facts, db);
  // each assignment's maintenance window now: when the drifted hosts may be upgraded
  const now = Date.now();
  const windows = policy.assign.map((a) => windowState(a.window, now));
  const doc = withWindows(driftJson(results), windows);
  if (rt.options.json) printJson(io, vulns ? withVulns(doc, vulns) : doc);
  else io.out(driftText(results) + windowLines(policy.assign, windows, results) + (vulns ? vulnLines(facts, vulns.reports, vulns.db) : ''));
  return driftExitCode(results);
}

/** Facts over the selected hosts (read-only), each channel used resolved once, each host classified (drift, reconcile, serve). */
export async function assessDrift(rt: Runtime, policy: Policy, command: 'drift' | 'reconcile' | 'serve'): Promise<{ facts: HostFactsResult[]; results: DriftResult[] }> {
  const assigned = assignHosts(policy, rt.inventory);
  const used = new Set([...assigned.values()].map((a) => a.channel));
  const wanted = new Map<string, Wanted>();
  for (const name of used) wanted.set(name, await resolveChannel(rt, policy.channels.get(name)!));
  const facts = await gatherFacts(rt.hosts, rt.context(command), rt.options.parallel);
  const results = facts.map((host) => {
    const assignment = assigned.get(host.name);
    const channel = assignment ? policy.channels.get(assignment.channel) : undefined;
    const w = channel ? wanted.get(channel.name) : undefined;
    return classifyDrift({
      host, assignment, channel,
      wanted: w && 'version' in w ? w.version : null,
      ...(w && 'error' in w ? { wantedError: w.error } : {}),
    });
  });
  return { facts, results };
}

/** Each host entry gets `window`: its assignment's window now (null: no window, or no assignment). */
function withWindows(doc: ReturnType<typeof driftJson>, windows: readonly (WindowState | null)[]): ReturnType<typeof driftJson> {
  return { ...doc, hosts: doc.hosts.map((h) => ({ ...h, window: h.assignment === null ? null : (windows[h.assignment] ?? null) })) };
}

/** One line per assignment that has a window and hosts in this run. */
function windowLines(assign: readonly Assignment[], windows: readonly (WindowState | null)[], results: readonly DriftResult[]): string {
  return assign
    .map((a, i) => {
      const w = windows[i];
      const n = results.filter((r) => r.assignment === i).length;
      return w && n > 0 ? `window: assign[${i}] (hosts ${JSON.stringify(a.hosts)}, ${n} host${n === 1 ? '' : 's'}): ${windowWords(w)}\n` : '';
    })
    .join('');
}

/** drift --json with `vulndb` (as facts --json has it) and each host's `vulns` / `vulns_fixed_in`. */
function withVulns(doc: ReturnType<typeof driftJson>, vulns: FactsVulns): unknown {
  return {
    vulndb: vulnDbJson(vulns.db),
    ...doc,
    hosts: doc.hosts.map((h) => ({ ...h, ...vulnsField(vulns.reports.get(h.name)) })),
  };
}

/** A channel's version now; a source that cannot answer leaves its hosts unknown rather than failing the command. */
async function resolveChannel(rt: Runtime, channel: Channel): Promise<Wanted> {
  if (channel.target.kind === 'pin') return { version: channel.target.version };
  try {
    return { version: (await rt.resolveWithMinAge(channel.target.spec, channel.minAge)).version };
  } catch (err) {
    const e = asGofleetError(err);
    if (e.code !== 'VERSION_UNKNOWN' && e.code !== 'SOURCE_UNAVAILABLE') throw e;
    return { error: `${e.code}: ${e.message}` };
  }
}
