import assert from 'node:assert/strict';
import test from 'node:test';
import { factsOn, goInstall, hostFacts, windowsFacts } from '../engine/testing/builders.ts';
import type { HostFacts } from '../platform/types.ts';
import { classifyDrift, type DriftInput, type DriftStatus } from './drift.ts';
import type { Assignment, Channel } from './types.ts';

const track: Channel = { name: 'stable', target: { kind: 'track', spec: '1.27' }, allowDowngrade: false };
const pin: Channel = { name: 'legacy', target: { kind: 'pin', version: 'go1.26.8' }, allowDowngrade: false };
const local: Channel = { ...track, gotoolchain: 'local' };
const assign: Assignment = { index: 0, hosts: '*', channel: 'stable', rollout: {} };
const WIN_ROOT = 'C:\\Program Files\\Go';

function host(facts: HostFacts | null, extra: Partial<DriftInput['host']> = {}): DriftInput['host'] {
  return { name: 'h1', reachable: facts !== null, facts, paths: null, error: null, ...extra };
}
function win(over: Parameters<typeof windowsFacts>[0] = {}): HostFacts {
  const f = windowsFacts(over);
  return { ...f, go: { version: 'go1.27.3', goroot: WIN_ROOT, path: `${WIN_ROOT}\\bin\\go.exe`, gopath: null }, goroot: { ...f.goroot, path: WIN_ROOT, version: 'go1.27.3', goVersion: 'go1.27.3', physical: null } };
}
const winPaths = { goroot: WIN_ROOT, versionsDir: 'C:\\ProgramData\\gofleet\\versions' };

test('classifyDrift: status and reasons per host', () => {
  const onTarget = factsOn('go1.27.3', { go: { version: 'go1.27.3', goroot: '/usr/local/gofleet/versions/go1.27.3', path: '/usr/local/go/bin/go', gopath: null } });
  const cases: { name: string; input: DriftInput; status: DriftStatus; reasons: RegExp[]; notes?: RegExp[] }[] = [
    { name: 'on the tracked version', input: { host: host(onTarget), assignment: assign, channel: track, wanted: 'go1.27.3' }, status: 'compliant', reasons: [] },
    { name: 'behind the channel', input: { host: host(hostFacts()), assignment: assign, channel: track, wanted: 'go1.27.3' }, status: 'behind', reasons: [/runs go1.26.8; channel stable \(track 1.27\) is at go1.27.3/] },
    { name: 'ahead, no downgrade', input: { host: host(factsOn('go1.27.5')), assignment: assign, channel: track, wanted: 'go1.27.3' }, status: 'ahead', reasons: [/newer than .*without allow_downgrade/] },
    { name: 'ahead, downgrade allowed', input: { host: host(factsOn('go1.28.0')), assignment: assign, channel: { ...track, allowDowngrade: true }, wanted: 'go1.27.3' }, status: 'ahead', reasons: [/allow_downgrade: a reconcile moves it down/] },
    { name: 'pinned, on the pin', input: { host: host(hostFacts()), assignment: assign, channel: pin, wanted: 'go1.26.8' }, status: 'compliant', reasons: [] },
    { name: 'pinned, newer', input: { host: host(onTarget), assignment: assign, channel: pin, wanted: 'go1.26.8' }, status: 'off_pin', reasons: [/runs go1.27.3; channel legacy pins go1.26.8/] },
    { name: 'no Go at all', input: { host: host(hostFacts({ go: null, goroot: { state: 'missing', version: null, goVersion: null, hasGo: false } })), assignment: assign, channel: track, wanted: 'go1.27.3' }, status: 'behind', reasons: [/no Go toolchain found/] },
    { name: 'unreachable', input: { host: host(null, { error: { code: 'HOST_UNREACHABLE', message: 'connect ECONNREFUSED' } as never }), assignment: assign, channel: track, wanted: 'go1.27.3' }, status: 'unknown', reasons: [/unreachable \(HOST_UNREACHABLE: connect ECONNREFUSED\)/] },
    { name: 'facts unreadable', input: { host: host(null, { reachable: true }), assignment: assign, channel: track, wanted: 'go1.27.3' }, status: 'unknown', reasons: [/facts could not be read/] },
    { name: 'channel unresolved', input: { host: host(hostFacts()), assignment: assign, channel: track, wanted: null, wantedError: 'no 1.27.x release is at least 3d old' }, status: 'unknown', reasons: [/could not be resolved: no 1.27.x/] },
    { name: 'no assignment', input: { host: host(hostFacts()), wanted: null }, status: 'unassigned', reasons: [/no assignment/] },
    { name: 'another go first on the login PATH', input: { host: host(factsOn('go1.27.3', { go: { version: 'go1.19.8', goroot: '/usr/lib/go-1.19', path: '/usr/bin/go', gopath: null } })), assignment: assign, channel: track, wanted: 'go1.27.3' }, status: 'misconfigured', reasons: [/login PATH finds \/usr\/bin\/go \(go1.19.8/] },
    { name: 'POSIX GOTOOLCHAIN=auto where local is wanted', input: { host: host(factsOn('go1.27.3', { go: { ...onTarget.go!, gotoolchain: 'auto' } })), assignment: assign, channel: local, wanted: 'go1.27.3' }, status: 'misconfigured', reasons: [/GOTOOLCHAIN=auto where the policy says local/] },
    { name: 'POSIX GOTOOLCHAIN=local as wanted', input: { host: host(factsOn('go1.27.3', { go: { ...onTarget.go!, gotoolchain: 'local' } })), assignment: assign, channel: local, wanted: 'go1.27.3' }, status: 'compliant', reasons: [] },
    { name: 'the assignment overrides the channel', input: { host: host(factsOn('go1.27.3', { go: { ...onTarget.go!, gotoolchain: 'local' } })), assignment: { ...assign, gotoolchain: 'auto' }, channel: local, wanted: 'go1.27.3' }, status: 'misconfigured', reasons: [/GOTOOLCHAIN=local where the policy says auto/] },
    { name: 'facts without GOTOOLCHAIN: a note, not drift', input: { host: host(onTarget), assignment: assign, channel: local, wanted: 'go1.27.3' }, status: 'compliant', reasons: [], notes: [/GOTOOLCHAIN not checked/] },
    { name: 'behind and GOTOOLCHAIN: both reasons', input: { host: host(hostFacts({ go: { ...hostFacts().go!, gotoolchain: 'go1.28.0+auto' } })), assignment: assign, channel: local, wanted: 'go1.27.3' }, status: 'behind', reasons: [/runs go1.26.8/, /GOTOOLCHAIN=go1.28.0\+auto where the policy says local/] },
    { name: 'Windows: GOTOOLCHAIN unset counts as auto', input: { host: host(win(), { paths: winPaths }), assignment: assign, channel: local, wanted: 'go1.27.3' }, status: 'misconfigured', reasons: [/GOTOOLCHAIN unset \(go.env makes it auto\) where the policy says local/] },
    { name: 'Windows: compliant', input: { host: host(win({ goToolchain: 'local' }), { paths: winPaths }), assignment: assign, channel: local, wanted: 'go1.27.3' }, status: 'compliant', reasons: [] },
    { name: 'Windows: stale machine GOROOT', input: { host: host(win({ machineGoroot: 'C:\\Go' }), { paths: winPaths }), assignment: assign, channel: track, wanted: 'go1.27.3' }, status: 'misconfigured', reasons: [/stale machine GOROOT=C:\\Go/] },
    { name: 'Windows: another go on the user PATH', input: { host: host(win({ installs: [goInstall('machine_path', `${WIN_ROOT}\\bin`, 'go1.27.3', 'go.exe'), goInstall('user_path', 'C:\\tools\\go\\bin', 'go1.22.1', 'go.exe')] }), { paths: winPaths }), assignment: assign, channel: track, wanted: 'go1.27.3' }, status: 'misconfigured', reasons: [/another go \(user_path\) at C:\\tools\\go\\bin \(go1.22.1\)/] },
  ];
  for (const c of cases) {
    const r = classifyDrift(c.input);
    assert.equal(r.status, c.status, `${c.name}: ${JSON.stringify(r.reasons)}`);
    assert.equal(r.reasons.length, c.reasons.length, `${c.name}: ${JSON.stringify(r.reasons)}`);
    c.reasons.forEach((re, i) => assert.match(r.reasons[i] ?? '', re, c.name));
    assert.equal(r.notes.length, c.notes?.length ?? 0, `${c.name}: ${JSON.stringify(r.notes)}`);
    c.notes?.forEach((re, i) => assert.match(r.notes[i] ?? '', re, c.name));
  }
});
