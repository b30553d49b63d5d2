// `npm run demo`: a throwaway fleet on this machine, upgraded for real.
//
// With root and OpenSSH's sshd: 3 real sshd hosts on loopback, each in its own mount and PID namespace with a
// private /usr/local (this machine's /usr/local/go is never touched). Without them: 3 local-transport hosts in
// temp dirs. Every host starts on go1.26.8 — installed the manual way, as a plain /usr/local/go directory — and
// is upgraded to go1.27.3 from real toolchain archives, served from a local release source directory.
// The demo shows facts, the plan, live progress and the summary, then checks `go version` on each host.
// The toolchain archives are cached in ~/.cache/gofleet-demo (scripts/demo-parts.ts), not in the checkout;
// the demo's journal and run logs stay in its temp dir afterwards (it says where), the fleet does not.

import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from '../src/cli/program.ts';
import { processIo } from '../src/cli/io.ts';
import { startHosts, sshdUnavailableReason, type Fleet } from '../test/harness/sshd.ts';
import { toolchainArchive, writeSourceDir } from '../test/harness/toolchains.ts';
import { demoFixturesDir, demoHostNames, tidyDemoDir } from './demo-parts.ts';

const FROM = 'go1.26.8';
const TO = 'go1.27.3';
const bold = (t: string): string => (process.stderr.isTTY ? `\x1b[1m${t}\x1b[22m` : t);
const say = (t: string): void => void process.stderr.write(`\n${bold('== ' + t)}\n`);

async function main(): Promise<number> {
  // the archives go to a user cache dir, never ./.cache in the checkout (the harness reads this when packing)
  process.env.GOFLEET_FIXTURES_DIR = demoFixturesDir();
  const work = mkdtempSync(join(tmpdir(), 'gofleet-demo-'));
  // a throwaway fleet keeps its journal and run logs with it, out of the user's own history
  process.env.GOFLEET_STATE = join(work, 'state', 'gofleet.db');
  let fleet: Fleet | undefined;
  const names = demoHostNames(3);
  try {
    say(`preparing release archives (${FROM}, ${TO}) from the toolchains on this machine, cached in ${process.env.GOFLEET_FIXTURES_DIR}`);
    const [from, to] = await Promise.all([toolchainArchive(FROM), toolchainArchive(TO)]);
    const source = join(work, 'source');
    writeSourceDir(source, [from, to], { index: true });

    const why = sshdUnavailableReason();
    const inventory = join(work, 'inventory.yml');
    const hostDirs: string[] = [];
    if (why === undefined) {
      say('starting 3 real sshd hosts on loopback (own mount + PID namespaces, private /usr/local)');
      fleet = await startHosts(3);
      for (const h of fleet.hosts) hostDirs.push(h.dir);
      writeFileSync(
        inventory,
        [
          'defaults:',
          '  transport: ssh',
          '  user: root',
          `  identity: ${fleet.clientKey}`,
          `  known_hosts: ${fleet.knownHostsPath}`,
          'hosts:',
          ...fleet.hosts.map((h, i) => `  ${names[i]}: { address: 127.0.0.1, port: ${h.port}${i === 0 ? ', tags: [canary]' : ''} }`),
          '',
        ].join('\n'),
      );
    } else {
      say(`sshd hosts unavailable (${why}); using 3 local-transport hosts in temp dirs`);
      const lines = ['defaults:', '  transport: local', 'hosts:'];
      for (const name of names) {
        const dir = join(work, name, 'usr-local');
        mkdirSync(dir, { recursive: true });
        hostDirs.push(dir);
        lines.push(`  ${name}: { goroot: ${join(dir, 'go')}, versions_dir: ${join(dir, 'gofleet', 'versions')} }`);
      }
      writeFileSync(inventory, lines.join('\n') + '\n');
    }
    for (const dir of hostDirs) installManually(from.path, dir);

    const cli = (...args: string[]): Promise<number> => {
      process.stderr.write(`\n$ gofleet ${args.join(' ')}\n`);
      return runCli(args, processIo);
    };
    say('what each host has now');
    await cli('facts', '-i', inventory);
    say('what the upgrade would do (changes nothing)');
    await cli('plan', '-i', inventory, '--to', '1.27', '--source', source);
    say('the upgrade');
    // local-transport hosts share this machine's login PATH, whose go is not theirs
    const pathCheck = fleet ? [] : ['--no-require-path'];
    const upgrade = ['upgrade', '-i', inventory, '--to', '1.27', '--source', source, '--yes', '--cache-dir', join(work, 'cache'), ...pathCheck];
    const code = await cli(...upgrade);
    say('a second run: nothing to do');
    await cli(...upgrade);
    say('the journal: every run, who, when, what');
    await cli('history');
    say('go version on each host, run inside the host');
    // labelled with the inventory's names (the harness calls its hosts host-N)
    for (const [i, name] of names.entries()) {
      const host = fleet?.hosts[i];
      const version = host ? (await host.exec('go version')).stdout : spawnSync(join(hostDirs[i] ?? '', 'go', 'bin', 'go'), ['version']).stdout.toString();
      process.stderr.write(`${name}: ${version}`);
    }
    say(code === 0 ? 'done: every host is on ' + TO : `upgrade exited ${code}`);
    return code;
  } finally {
    await fleet?.stop();
    // the fleet goes; the journal and the run logs whose path the summary printed stay
    const kept = tidyDemoDir(work);
    process.stderr.write(
      `\nkept: ${kept.join(', ')} (the demo's journal and run logs: GOFLEET_STATE=${process.env.GOFLEET_STATE} gofleet history)\n` +
        `remove with: rm -rf ${work}   (toolchain archives, reused by the next demo: ${process.env.GOFLEET_FIXTURES_DIR})\n`,
    );
  }
}

/** A manual install: the archive extracted to <usr-local>/go, and /usr/local/bin/go pointing into it. */
function installManually(archive: string, usrLocal: string): void {
  mkdirSync(join(usrLocal, 'bin'), { recursive: true });
  const r = spawnSync('tar', ['-xzf', archive, '-C', usrLocal]);
  if (r.status !== 0) throw new Error(`extracting ${archive}: ${r.stderr.toString()}`);
  symlinkSync('../go/bin/go', join(usrLocal, 'bin', 'go'));
}

process.exitCode = await main();
