// A run as the page knows it, folded from its events (the replay from /api/runs/:id/events, then the live
// stream). Folding the same event twice changes nothing, so the overlap between replay and stream is harmless.
// The ETA is src/report/eta.ts estimateRemaining, written again for the browser (the page has no build step).

const FINAL = new Set(['upgraded', 'switched', 'pruned', 'unchanged', 'failed', 'rolled_back', 'unreachable', 'skipped']);

export function emptyRun(id) {
  return { id, command: null, target: null, hosts: new Map(), waves: new Map(), startedAt: null, endedAt: null, paused: null, decision: null, maxInFlight: 1 };
}

function host(run, name) {
  let x = run.hosts.get(name);
  if (!x) {
    x = { name, wave: null, status: 'pending', steps: [], startedAt: null, endedAt: null, from: null, to: null, error: null };
    run.hosts.set(name, x);
  }
  return x;
}

export function applyEvent(run, e) {
  if (e.run !== undefined && e.run !== run.id) return run;
  switch (e.kind) {
    case 'run-start':
      run.command = e.command;
      run.target = e.target;
      run.startedAt = e.at;
      for (const n of e.hosts) host(run, n);
      break;
    case 'wave-start':
      run.waves.set(e.wave, { wave: e.wave, hosts: e.hosts, startedAt: e.at, endedAt: null });
      for (const n of e.hosts) host(run, n).wave = e.wave;
      break;
    case 'wave-end': {
      const w = run.waves.get(e.wave);
      if (w) w.endedAt = e.at;
      break;
    }
    case 'host-step': {
      const x = host(run, e.host);
      if (FINAL.has(x.status)) break;
      x.startedAt ??= e.at;
      x.status = 'running';
      const last = x.steps.findLast((s) => s.step === e.step);
      if (e.status === 'start') {
        if (!last || last.status !== 'running') x.steps.push({ step: e.step, status: 'running', at: e.at });
      } else if (last && last.status === 'running') {
        last.status = e.status;
        last.message = e.message;
      } else if (!last) x.steps.push({ step: e.step, status: e.status, at: e.at, message: e.message });
      const inFlight = [...run.hosts.values()].filter((h) => h.status === 'running').length;
      run.maxInFlight = Math.max(run.maxInFlight, inFlight);
      break;
    }
    case 'host-done': {
      const x = host(run, e.result.name);
      x.status = e.result.status;
      x.startedAt = e.result.startedAt ?? x.startedAt;
      x.endedAt = e.at;
      x.durationMs = e.result.durationMs;
      x.from = e.result.from;
      x.to = e.result.to;
      x.error = e.result.error;
      for (const s of x.steps) if (s.status === 'running') s.status = 'ok';
      break;
    }
    case 'run-end':
      run.endedAt = e.at;
      run.paused = null;
      for (const r of e.results ?? []) if (FINAL.has(r.status)) host(run, r.name).status = r.status;
      break;
    case 'paused':
      if (!run.decision || run.decision.wave !== e.wave) run.paused = { wave: e.wave, waves: e.waves, hosts: e.hosts, at: e.at };
      break;
    case 'resumed':
      run.decision = { wave: e.wave, decision: e.decision, by: e.by, at: e.at };
      if (run.paused?.wave === e.wave) run.paused = null;
      break;
  }
  return run;
}

export function tally(run) {
  const counts = {};
  for (const x of run.hosts.values()) counts[x.status] = (counts[x.status] ?? 0) + 1;
  return counts;
}

/** ms left, or null until a host finished (src/report/eta.ts). */
export function estimateRemaining({ finished, inFlight, pending, laterWaves = [], parallel, pauseMs = 0 }) {
  if (finished.length === 0) return null;
  const mean = finished.reduce((a, b) => a + b, 0) / finished.length;
  const p = Math.max(1, Math.floor(parallel));
  const slots = inFlight.slice(0, p).map((elapsed) => Math.max(0, mean - elapsed));
  while (slots.length < p) slots.push(0);
  for (let i = 0; i < pending; i++) {
    const earliest = slots.indexOf(Math.min(...slots));
    slots[earliest] += mean;
  }
  let left = inFlight.length + pending > 0 ? Math.max(...slots) : 0;
  for (const size of laterWaves) if (size > 0) left += pauseMs + Math.ceil(size / p) * mean;
  return Math.round(left);
}

/** The run's ETA now; parallelism is the most hosts seen in flight at once. Hosts in no started wave go last. */
export function runEta(run, now) {
  if (run.endedAt !== null) return 0;
  const hosts = [...run.hosts.values()];
  const finished = hosts.filter((x) => FINAL.has(x.status) && x.status !== 'skipped' && x.durationMs !== undefined).map((x) => x.durationMs);
  const inFlight = hosts.filter((x) => x.status === 'running').map((x) => Math.max(0, now - (x.startedAt ?? now)));
  const current = Math.max(0, ...run.waves.keys());
  const pending = hosts.filter((x) => x.status === 'pending' && x.wave === current && current > 0).length;
  const later = hosts.filter((x) => x.status === 'pending' && (x.wave === null || x.wave > current)).length;
  return estimateRemaining({ finished, inFlight, pending, laterWaves: [later], parallel: run.maxInFlight });
}
