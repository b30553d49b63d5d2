// Findings that need no go command: the go/toolchain lines, go.work versus its members, known-bad
// dependency versions in go.mod, behaviour changes for the go-line range crossed, and version pins that
// would disagree after the bump. Pure.

import { compareVersions, parseVersion } from '../../releases/version.ts';
import { behaviourFindings } from './godebug-changes.ts';
import { isTwoPartTrap } from '../shared/go-line.ts';
import { knownBadFindings } from './known-bad.ts';
import { planPins } from '../bump/plan-pins.ts';
import type { MatrixMode } from '../shared/settings.ts';
import { comparePin, type Pin } from '../discover/pins.ts';
import type { FilePlan, ParsedGoFile } from '../bump/plan-repo.ts';
import type { Finding } from '../shared/types.ts';

const VALID_TOOLCHAIN = /^go1\.\d+(?:\.\d+|(?:rc|beta)\d+)(?:-\S+)?$|^go1\.([0-9]|1[0-9]|20)$|^local$/;

function lineFindings(f: ParsedGoFile, target: string): Finding[] {
  const out: Finding[] = [];
  const go = f.mod.go?.version ?? null;
  const tc = f.mod.toolchain?.name ?? null;
  const name = f.file;
  if (go === null) {
    out.push({ code: 'GO_LINE_MISSING', severity: 'warn', message: `${name} has no go line; the go command assumes go ${f.kind === 'module' ? '1.16' : '1.18'}`, hint: 'The bump writes an explicit go line.' });
  } else if (!parseVersion(go)) {
    out.push({ code: 'GO_LINE_INVALID', severity: 'fail', message: `${name}:${f.mod.go?.line}: go ${go} is not a valid go version`, hint: 'Write 1.N.P (e.g. 1.27.0); the go command refuses this file.' });
  } else if (compareVersions(go, target) > 0) {
    out.push({ code: 'GO_LINE_ABOVE_TARGET', severity: 'fail', message: `${name}: go ${go} is newer than the target ${target}, which refuses to load it`, hint: 'Pick a newer target for this repository; a bump never lowers the go line.' });
  } else if (isTwoPartTrap(go) && tc === null) {
    out.push({
      code: 'GO_LINE_TWO_PART', severity: 'warn',
      message: `${name}:${f.mod.go?.line}: go ${go} is a language version with no toolchain line; go commands before 1.23 try to download "go${go}" and fail ("toolchain not available")`,
      hint: `The bump writes a release (1.N.P); never write a bare 1.N for N >= 21.`,
    });
  }
  if (tc !== null && !VALID_TOOLCHAIN.test(tc)) {
    out.push({ code: 'TOOLCHAIN_LINE_INVALID', severity: 'warn', message: `${name}:${f.mod.toolchain?.line}: toolchain ${tc} is not a toolchain name (go rejects "default" and language versions like go1.23)`, hint: 'The bump rewrites it; toolchain names are go1.N.P.' });
  } else if (tc !== null && parseVersion(tc) && compareVersions(tc, target) > 0) {
    out.push({ code: 'TOOLCHAIN_LINE_ABOVE_TARGET', severity: 'warn', message: `${name}: toolchain ${tc} is newer than the target ${target}; it is kept, and GOTOOLCHAIN=auto users will run it`, hint: 'Lower it by hand if the repository should build with the target.' });
  }
  return out;
}

function workspaceFindings(plan: FilePlan, files: readonly ParsedGoFile[]): Finding[] {
  const wsGo = plan.file.mod.go?.version ?? '1.18';
  const out: Finding[] = [];
  for (const dir of plan.members) {
    const member = files.find((f) => f.kind === 'module' && f.dir === dir);
    const mgo = member?.mod.go?.version;
    if (member && mgo && parseVersion(mgo) && parseVersion(wsGo) && compareVersions(mgo, wsGo) > 0) {
      out.push({
        code: 'GOWORK_BELOW_MEMBER', severity: 'warn',
        message: `${plan.file.file} lists go ${wsGo} but ${member.file} needs ${mgo}: go fails with "module ./${dir} listed in go.work file requires go >= ${mgo}, but go.work lists go ${wsGo}"`,
        hint: 'The bump raises go.work with its members (go work use does it by hand). Dependabot-style bumps often leave go.work behind.',
      });
    }
  }
  return out;
}

/** Line, workspace, known-bad and behaviour findings for one go file. */
export function fileFindings(plan: FilePlan, files: readonly ParsedGoFile[], target: string): Finding[] {
  const f = plan.file;
  const out = lineFindings(f, target);
  if (f.kind === 'workspace') return [...out, ...workspaceFindings(plan, files)];
  out.push(...knownBadFindings(f.mod.requires, target));
  const from = f.mod.go?.version ?? null;
  if (from === null || parseVersion(from)) out.push(...behaviourFindings(from, plan.lines.go, f.mod.godebug));
  return out;
}

/** One finding per pin that disagrees with the target (or was rewritten when `updated`), per plan-pins.ts. */
export function pinFindings(pins: readonly Pin[], target: string, updated: boolean, mode: MatrixMode = 'add'): Finding[] {
  const out: Finding[] = [];
  for (const a of planPins(pins, target, mode)) {
    const p = a.pin;
    const where = `${p.file}:${p.line}`;
    const entries = `[${(a.list ?? []).map((x) => x.value).join(', ')}]`;
    if (a.action === 'held' && (!a.list || a.list[0] === p)) {
      const what = a.list ? `the matrix ${entries}` : `Go ${p.value}`;
      out.push({ code: 'PIN_HELD', severity: 'warn', message: `${where} pins ${what}, behind ${target}, with a comment that says why (${p.held ?? a.list?.find((x) => x.held)?.held ?? ''}); left alone`, hint: 'Held back on purpose: update it by hand when what the comment names allows it.' });
    } else if (a.action === 'append' && updated) {
      out.push({ code: 'PIN_UPDATED', severity: 'info', message: `${where}: matrix ${entries} + ${a.to}`, hint: 'The older entries stay tested; drop them by hand when support for them ends (or use --matrix replace-oldest).' });
    } else if (a.action === 'rewrite' && updated) {
      out.push({ code: 'PIN_UPDATED', severity: 'info', message: `${where}: ${p.value} -> ${a.to}${a.list ? ` (oldest entry of the matrix ${entries})` : ''}`, hint: 'Review the rewritten pin with the rest of the change.' });
    } else if (a.action === 'append' || (a.action === 'rewrite' && !p.matrixRef)) {
      const what = a.list ? `the matrix ${entries}, which lacks` : `Go ${p.value}, which disagrees with`;
      out.push({ code: 'PIN_DISAGREES', severity: 'warn', message: `${where} pins ${what} ${target} after the bump`, hint: 'Run `gofleet repos bump --all-pins` or update it by hand (Renovate and Dependabot leave these behind).' });
    } else if (a.action === 'keep' && comparePin(p.value, target) > 0) {
      out.push({ code: 'PIN_AHEAD', severity: 'info', message: `${where} pins Go ${p.value}, newer than ${target}; left alone`, hint: 'CI may build with a newer Go than the campaign verified.' });
    }
  }
  return out;
}
