// Real OpenSSH hosts on loopback, for end-to-end tests.
//
//   const fleet = await startHosts(2, { hosts: [{ smallFs: { path: '/usr/local/gofleet', size: '40m' } }] });
//   after(() => fleet.stop());
//   const [h1] = fleet.hosts;               // h1.port, h1.rootPassword, h1.dir, ...
//   await h1.exec('/usr/local/go/bin/go version');   // runs INSIDE the host
//
// What a host is
// - One real `/usr/sbin/sshd -D -e -f <cfg>` listening on 127.0.0.1:<free port>, started as root inside
//   `unshare -m -p -f --kill-child --mount-proc --propagation private` (own mount + pid namespace; the
//   network namespace is shared, so everything is plain loopback TCP).
// - Before exec'ing sshd, the namespace bind-mounts the host's `dir` over /usr/local: each host has its own
//   /usr/local/go, /usr/local/bin, ... and this machine's real /usr/local is never touched. Write fixtures into
//   `host.dir` from the test (it IS /usr/local inside the host) or via `host.exec`.
// - It also bind-mounts copies of /etc/passwd, /etc/shadow, /etc/group, /etc/hosts and /etc/sudoers.d that add
//   a known root password, an unprivileged user `deploy` (uid/gid 4242, shell /bin/sh, home under the host's
//   state dir) with a known password, a sudoers rule per `deploySudo`, and `/etc/hosts` entries naming every
//   fleet host (`host-1`, ... -> 127.0.0.1) so that a host can reach another by name (ProxyJump tests) while
//   the controller cannot resolve those names.
// - Optional small file system for disk-full tests (`smallFs`: an ext4 image loop-mounted at e.g.
//   `/usr/local/gofleet`, 40m; kept across restarts). gofleet refuses a versions_dir on a tmpfs (it would not
//   survive a reboot), so a `tmpfs` mount is there only to show that refusal. tmpfs contents, like everything in a
//   host's processes, are lost on `restart()` (a restart is a reboot: the namespace is recreated).
// - Optional root of its own (`ownRoot`): sshd runs chrooted in <host>/rootfs, which holds its own /bin, /sbin,
//   /lib, /lib64 links (merged /usr) to a read-only bind of this machine's /usr, with /etc, /dev, /proc, /run,
//   /var and the private /tmp bound in. A test may let gofleet near the host's /lib64 without risking this
//   machine's: only the chroot's link could change.
// - Only its own processes are visible inside (pid 1 is sshd). /tmp is private to the host (the fleet dir stays
//   reachable at its usual path inside it), as on a real machine.
// - Auth: root and deploy accept the fleet's client key (`fleet.clientKey`) and their passwords.
//   Host keys are per host (ed25519, or the types in `hostKeyTypes`: e.g. ['rsa'] for a host offering only
//   RSA); `fleet.knownHostsPath` lists every host with its first key as `[127.0.0.1]:PORT,[host-N]:PORT TYPE ...`.
// - Logs: sshd logs at VERBOSE to `host.logPath`; `host.connectionCount()` counts accepted TCP connections.
//
// Lifetime: `fleet.stop()` kills every host and removes the temp dirs. As a safety net, every process is
// started under `setpriv --pdeathsig KILL` (it dies with the test process) and a process 'exit' hook kills
// and removes whatever is left.
//
// Requirements: root, /usr/sbin/sshd, unshare, nsenter, ssh-keygen, openssl. `sshdSkip()` gives tests a skip
// reason when they are missing (and throws under CI=true: CI must never skip these silently).
import { spawn, spawnSync, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync, chownSync, closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative } from 'node:path';
import type { HostSpec } from '../../src/inventory/types.ts';

export const DEPLOY_UID = 4242;
const SSHD = '/usr/sbin/sshd';
const READY_TIMEOUT_MS = 10_000;

export type DeploySudo = 'nopasswd' | 'password' | 'none';

export interface HostOptions {
  /** default `host-N` (1-based) */
  name?: string;
  /** mount a tmpfs of `size` (e.g. '40m') at `path` inside the host; path must be under /usr/local (it is created) */
  tmpfs?: { path: string; size: string };
  /** loop-mount a fresh ext4 image of `size` (e.g. '40m') at `path` (under /usr/local): a small disk that is not a tmpfs */
  smallFs?: { path: string; size: string };
  /** run sshd chrooted in a root of the host's own (its own /bin, /lib, /lib64 links; see the header) */
  ownRoot?: boolean;
  /** sudo rule for deploy: NOPASSWD, password required, or not in sudoers (default 'none') */
  deploySudo?: DeploySudo;
  /** the host keys sshd offers (default ['ed25519']); the first one is `hostKeyPub` and goes to known_hosts */
  hostKeyTypes?: HostKeyType[];
  /** environment every session on this host gets (sshd `SetEnv`), e.g. a host-only http_proxy; no spaces or quotes */
  env?: Record<string, string>;
}

export type HostKeyType = 'ed25519' | 'rsa' | 'ecdsa';

export interface FleetOptions extends Omit<HostOptions, 'name'> {
  /** per-host options by index; they override the fleet-wide ones above */
  hosts?: HostOptions[];
}

export interface ExecOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface SshdHost {
  name: string;
  port: number;
  address: '127.0.0.1';
  /** the per-host directory that is /usr/local inside the host */
  dir: string;
  /** sshd config, host key, log, authorized_keys, deploy's home */
  stateDir: string;
  logPath: string;
  rootPassword: string;
  deployPassword: string;
  /** `ssh-ed25519 AAAA...` (the first of `hostKeyTypes`) */
  hostKeyPub: string;
  /** every host key sshd offers, as `TYPE AAAA...`, in `hostKeyTypes` order */
  hostKeyPubs: string[];
  /** pid (in this machine's pid namespace) of the host's sshd, i.e. its pid 1 */
  pid(): number;
  /** run `sh -c cmd` inside the host's mount and pid namespaces (as root); never rejects on a non-zero exit */
  exec(cmd: string, options?: { stdin?: string | Buffer }): Promise<ExecOutput>;
  /** TCP connections sshd accepted so far (counted from its log, across restarts) */
  connectionCount(): number;
  readLog(): string;
  stop(): Promise<void>;
  /** stop, then start again on the same port with the same keys and dirs (a reboot: tmpfs and processes are lost) */
  restart(): Promise<void>;
}

export interface Fleet {
  hosts: SshdHost[];
  /** path of the client private key accepted for root and deploy on every host */
  clientKey: string;
  clientKeyPub: string;
  knownHostsPath: string;
  dir: string;
  /** a HostSpec for this host, with the fleet's key and known_hosts */
  specFor(host: SshdHost, overrides?: Partial<HostSpec>): HostSpec;
  stop(): Promise<void>;
}

/** Whether real sshd hosts can be started here. */
export function sshdAvailable(): boolean {
  return sshdUnavailableReason() === undefined;
}

export function sshdUnavailableReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'the sshd harness needs root (unshare, bind mounts, sshd)';
  for (const tool of [SSHD, 'unshare', 'nsenter', 'ssh-keygen', 'openssl']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  return undefined;
}

/** For `test(..., { skip: sshdSkip() })`: false when available, else the reason. Throws under CI. */
export function sshdSkip(): false | string {
  const reason = sshdUnavailableReason();
  if (reason === undefined) return false;
  if (process.env.CI) throw new Error(`sshd harness unavailable in CI: ${reason}`);
  return `sshd harness unavailable: ${reason}`;
}

// ---------------------------------------------------------------------------------------------------------
// process-exit safety net

const liveProcesses = new Set<ChildProcess>();
const liveDirs = new Set<string>();
process.on('exit', () => {
  for (const child of liveProcesses) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------
// small helpers

function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function run(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
  return r.stdout;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A loopback port nothing listens on right now (bound, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Is a loopback port refusing connections (nothing listens)? For tests that a server is gone. */
export function portRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.on('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', () => resolve(true));
  });
}

function sha512Crypt(password: string): string {
  const salt = randomBytes(6).toString('hex');
  return run('openssl', ['passwd', '-6', '-salt', salt, '-stdin'], password).trim();
}

function childPidOf(parent: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').trim().split(/\s+/);
    const first = Number(children[0]);
    return first > 0 ? first : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// per-host files

interface HostLayout {
  name: string;
  root: string;
  dir: string;
  stateDir: string;
  etcDir: string;
  home: string;
  rootHome: string;
  cfgPath: string;
  logPath: string;
  keyTypes: HostKeyType[];
  /** HostOptions.env as sshd SetEnv lines */
  setEnv?: string[];
}

function layoutFor(fleetDir: string, name: string, keyTypes: HostKeyType[]): HostLayout {
  const root = join(fleetDir, name);
  const stateDir = join(root, 'state');
  return {
    name,
    root,
    dir: join(root, 'local'),
    stateDir,
    etcDir: join(root, 'etc'),
    home: join(root, 'home', 'deploy'),
    rootHome: join(root, 'home', 'root'),
    cfgPath: join(stateDir, 'sshd_config'),
    logPath: join(stateDir, 'sshd.log'),
    keyTypes,
  };
}

interface Accounts {
  rootPassword: string;
  deployPassword: string;
  sudo: DeploySudo;
  fleetNames: string[];
}

function writeEtc(l: HostLayout, a: Accounts): void {
  mkdirSync(l.etcDir, { recursive: true });
  // root gets a home of its own too: the real /root (its dotfiles, PATH tweaks) stays out of the host
  const passwd = readFileSync('/etc/passwd', 'utf8')
    .replace(/^root:([^:]*):0:0:([^:]*):[^:\n]*:/m, `root:$1:0:0:$2:${l.rootHome}:`)
    .replace(/\n?$/, '\n');
  writeFileSync(join(l.etcDir, 'passwd'), `${passwd}deploy:x:${DEPLOY_UID}:${DEPLOY_UID}:gofleet test:${l.home}:/bin/sh\n`);
  const group = readFileSync('/etc/group', 'utf8').replace(/\n?$/, '\n');
  writeFileSync(join(l.etcDir, 'group'), `${group}deploy:x:${DEPLOY_UID}:\n`);
  const shadow = readFileSync('/etc/shadow', 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('root:'))
    .join('\n');
  const rootLine = `root:${sha512Crypt(a.rootPassword)}:19000:0:99999:7:::`;
  const deployLine = `deploy:${sha512Crypt(a.deployPassword)}:19000:0:99999:7:::`;
  writeFileSync(join(l.etcDir, 'shadow'), `${rootLine}\n${shadow}\n${deployLine}\n`, { mode: 0o640 });
  const hosts = readFileSync('/etc/hosts', 'utf8').replace(/\n?$/, '\n');
  writeFileSync(join(l.etcDir, 'hosts'), `${hosts}127.0.0.1 ${a.fleetNames.join(' ')}\n`);
  const sudoers = join(l.etcDir, 'sudoers.d');
  cpSync('/etc/sudoers.d', sudoers, { recursive: true });
  const rule = { nopasswd: 'deploy ALL=(ALL:ALL) NOPASSWD: ALL\n', password: 'deploy ALL=(ALL:ALL) ALL\n', none: '' }[a.sudo];
  if (rule) writeFileSync(join(sudoers, 'gofleet-deploy'), rule, { mode: 0o440 });
}

function sshdConfig(l: HostLayout, port: number, extra: string[]): string {
  return [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    ...l.keyTypes.map((t) => `HostKey ${join(l.stateDir, `ssh_host_${t}_key`)}`),
    `PidFile ${join(l.stateDir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(l.stateDir, 'authorized_keys')}`,
    'UsePAM no',
    'PermitRootLogin yes',
    'PasswordAuthentication yes',
    'PubkeyAuthentication yes',
    'KbdInteractiveAuthentication no',
    'StrictModes no',
    'Subsystem sftp internal-sftp',
    'MaxStartups 100',
    'MaxSessions 50',
    'UseDNS no',
    'PrintMotd no',
    'PrintLastLog no',
    'LogLevel VERBOSE',
    ...extra,
    '',
  ].join('\n');
}

/** sshd >= 9.8 penalises sources that fail auth; tests fail auth on purpose, so turn it off where it exists. */
let penaltiesSupported: boolean | undefined;
function writeConfig(l: HostLayout, port: number): void {
  if (penaltiesSupported === undefined) {
    writeFileSync(l.cfgPath, sshdConfig(l, port, ['PerSourcePenalties no']));
    penaltiesSupported = spawnSync(SSHD, ['-t', '-f', l.cfgPath]).status === 0;
  }
  writeFileSync(l.cfgPath, sshdConfig(l, port, [...(penaltiesSupported ? ['PerSourcePenalties no'] : []), ...(l.setEnv ?? [])]));
  const check = spawnSync(SSHD, ['-t', '-f', l.cfgPath], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`sshd -t rejected ${l.cfgPath}: ${check.stderr}`);
}

type MountOptions = Pick<HostOptions, 'tmpfs' | 'smallFs' | 'ownRoot'>;

function setupScript(l: HostLayout, o: MountOptions): string {
  const { tmpfs, smallFs } = o;
  const lines = ['set -e', `mount --bind ${shq(l.dir)} /usr/local`];
  for (const m of [tmpfs, smallFs]) {
    if (m && !posix.normalize(m.path).startsWith('/usr/local/')) {
      throw new Error(`mount path ${m.path} must be under /usr/local (anything else would touch this machine)`);
    }
  }
  if (tmpfs) {
    lines.push(`mkdir -p ${shq(tmpfs.path)}`, `mount -t tmpfs -o size=${shq(tmpfs.size)},mode=0755 tmpfs ${shq(tmpfs.path)}`);
  }
  if (smallFs) {
    lines.push(`mkdir -p ${shq(smallFs.path)}`, `mount -o loop ${shq(join(l.root, 'small-fs.img'))} ${shq(smallFs.path)}`);
  }
  for (const f of ['passwd', 'shadow', 'group', 'hosts', 'sudoers.d']) {
    lines.push(`mount --bind ${shq(join(l.etcDir, f))} /etc/${f}`);
  }
  // A private /tmp, as on a real machine (uploads land there). The fleet dir, itself under the machine's
  // /tmp, stays reachable at the same path inside the host: it is bind-mounted into the private tmp first.
  const fleetDir = dirname(l.root);
  const privateTmp = join(l.root, 'tmp');
  lines.push(`mkdir -p ${shq(privateTmp)}`, `chmod 1777 ${shq(privateTmp)}`);
  if (fleetDir.startsWith('/tmp/')) {
    const inner = join(privateTmp, relative('/tmp', fleetDir));
    lines.push(`mkdir -p ${shq(inner)}`, `mount --bind ${shq(fleetDir)} ${shq(inner)}`, `mount --rbind ${shq(privateTmp)} /tmp`);
  } else {
    lines.push(`mount --bind ${shq(privateTmp)} /tmp`);
  }
  if (o.ownRoot) {
    lines.push(...ownRootLines(l, fleetDir));
    lines.push(`exec chroot ${shq(join(l.root, 'rootfs'))} ${SSHD} -D -e -f ${shq(l.cfgPath)}`);
  } else {
    lines.push(`exec ${SSHD} -D -e -f ${shq(l.cfgPath)}`);
  }
  return lines.join('\n');
}

/** Build the chroot (see the header): /usr read-only, the rest bound in, merged-/usr links of its own. */
function ownRootLines(l: HostLayout, fleetDir: string): string[] {
  const r = join(l.root, 'rootfs');
  const lines = [`mkdir -p ${['usr', 'etc', 'dev', 'proc', 'run', 'var', 'tmp'].map((d) => shq(join(r, d))).join(' ')}`];
  lines.push(`mount --rbind /usr ${shq(join(r, 'usr'))}`, `mount -o remount,bind,ro ${shq(join(r, 'usr'))}`);
  for (const d of ['etc', 'dev', 'proc', 'run', 'var', 'tmp']) lines.push(`mount --rbind /${d} ${shq(join(r, d))}`);
  if (!fleetDir.startsWith('/tmp/')) lines.push(`mkdir -p ${shq(r + fleetDir)}`, `mount --bind ${shq(fleetDir)} ${shq(r + fleetDir)}`);
  for (const d of ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']) {
    lines.push(`if [ -d /usr/${d} ] && [ ! -L ${shq(join(r, d))} ]; then ln -s usr/${d} ${shq(join(r, d))}; fi`);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------------------
// one host's process

class HostProcess {
  child: ChildProcess | undefined;
  sshdPid = 0;

  constructor(
    private readonly l: HostLayout,
    private readonly mounts: MountOptions,
  ) {}

  /** Start; resolves when sshd logs that it listens. Rejects with the log when it does not within 10 s. */
  async start(port: number): Promise<void> {
    writeConfig(this.l, port);
    const logStart = existsSync(this.l.logPath) ? readFileSync(this.l.logPath).length : 0;
    const logFd = openSync(this.l.logPath, 'a');
    const args = ['--pdeathsig', 'KILL', '--', 'unshare', '-m', '-p', '-f', '--kill-child', '--mount-proc',
      '--propagation', 'private', 'sh', '-c', setupScript(this.l, this.mounts)];
    const child = spawn('setpriv', args, { stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    child.unref();
    this.child = child;
    liveProcesses.add(child);
    let exited = false;
    child.on('exit', () => {
      exited = true;
      liveProcesses.delete(child);
    });
    const deadline = Date.now() + READY_TIMEOUT_MS;
    const needle = `Server listening on 127.0.0.1 port ${port}.`;
    while (Date.now() < deadline) {
      const log = readFileSync(this.l.logPath, 'utf8').slice(logStart);
      if (log.includes(needle) && child.pid !== undefined) {
        const pid = childPidOf(child.pid);
        if (pid !== undefined) {
          this.sshdPid = pid;
          return;
        }
      }
      if (exited) break;
      await sleep(30);
    }
    await this.stop();
    const log = readFileSync(this.l.logPath, 'utf8').slice(logStart);
    throw new Error(`sshd for ${this.l.name} did not listen on 127.0.0.1:${port} within ${READY_TIMEOUT_MS} ms` +
      `${exited ? ' (it exited)' : ''}; log ${this.l.logPath}:\n${log}`);
  }

  /** Kill sshd (the namespace's pid 1, so every process in the host dies with it), then wait for unshare to
   *  reap it and exit: when this resolves, the host's processes, mounts and listening socket are gone. */
  async stop(): Promise<void> {
    const child = this.child;
    const pid = this.sshdPid;
    this.child = undefined;
    this.sshdPid = 0;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.ref(); // an unref'd child's exit would not keep the event loop alive while we wait for it
    try {
      if (pid) process.kill(pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
    const slow = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(slow);
  }
}

function portInUse(logPath: string): boolean {
  return /Address already in use/.test(readFileSync(logPath, 'utf8'));
}

async function startProcess(proc: HostProcess, l: HostLayout): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      await proc.start(port);
      return port;
    } catch (err) {
      if (attempt >= 3 || !portInUse(l.logPath)) throw err;
      writeFileSync(l.logPath, ''); // retry on another port with a clean log
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// host and fleet

function nsExec(pid: number, cmd: string, stdin?: string | Buffer): Promise<ExecOutput> {
  return new Promise((resolve, reject) => {
    if (!pid) {
      reject(new Error('host is not running'));
      return;
    }
    // -r -w: the host's own root and working directory (a chrooted host sees its rootfs)
    const child = execFile('nsenter', ['-t', String(pid), '-m', '-p', '-r', '-w', '--', 'sh', '-c', cmd],
      { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
        const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 0;
        if (err && code === 0) reject(err);
        else resolve({ exitCode: code, stdout, stderr });
      });
    child.stdin?.on('error', () => {}); // the command may exit before reading its stdin (EPIPE)
    child.stdin?.end(stdin ?? '');
  });
}

/** An empty ext4 image of `size` (e.g. '40m'), no blocks reserved for root (gofleet runs as root in these tests). */
function makeSmallFs(image: string, size: string): void {
  run('truncate', ['-s', size.toUpperCase(), image]);
  run('mkfs.ext4', ['-q', '-F', '-m', '0', image]);
}

function prepareHost(l: HostLayout, clientPub: string, a: Accounts): string[] {
  for (const d of [l.dir, l.stateDir, l.home, l.rootHome]) mkdirSync(d, { recursive: true });
  for (const d of [l.root, join(l.root, 'home'), l.dir, l.stateDir]) chmodSync(d, 0o755);
  chownSync(l.home, DEPLOY_UID, DEPLOY_UID);
  const pubs = l.keyTypes.map((t) => {
    const keyPath = join(l.stateDir, `ssh_host_${t}_key`);
    run('ssh-keygen', ['-q', '-t', t, '-N', '', '-C', `${l.name}-hostkey`, '-f', keyPath]);
    const [type, key] = readFileSync(`${keyPath}.pub`, 'utf8').trim().split(/\s+/);
    return `${type} ${key}`;
  });
  writeFileSync(join(l.stateDir, 'authorized_keys'), clientPub, { mode: 0o644 });
  writeEtc(l, a);
  return pubs;
}

async function startHost(fleetDir: string, opts: HostOptions & { name: string }, clientPub: string,
  fleetNames: string[]): Promise<SshdHost> {
  const l = layoutFor(fleetDir, opts.name, opts.hostKeyTypes?.length ? opts.hostKeyTypes : ['ed25519']);
  if (opts.env) {
    for (const [k, v] of Object.entries(opts.env)) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || /[\s"'\\]/.test(v)) throw new Error(`env ${k}: no spaces or quotes`);
    l.setEnv = Object.entries(opts.env).map(([k, v]) => `SetEnv ${k}=${v}`);
  }
  const accounts: Accounts = {
    rootPassword: `root-${randomBytes(6).toString('hex')}`,
    deployPassword: `deploy-${randomBytes(6).toString('hex')}`,
    sudo: opts.deploySudo ?? 'none',
    fleetNames,
  };
  const hostKeyPubs = prepareHost(l, clientPub, accounts);
  if (opts.smallFs) makeSmallFs(join(l.root, 'small-fs.img'), opts.smallFs.size);
  const proc = new HostProcess(l, { ...(opts.tmpfs ? { tmpfs: opts.tmpfs } : {}), ...(opts.smallFs ? { smallFs: opts.smallFs } : {}), ...(opts.ownRoot ? { ownRoot: true } : {}) });
  const port = await startProcess(proc, l);
  const readLog = (): string => (existsSync(l.logPath) ? readFileSync(l.logPath, 'utf8') : '');
  return {
    name: opts.name,
    port,
    address: '127.0.0.1',
    dir: l.dir,
    stateDir: l.stateDir,
    logPath: l.logPath,
    rootPassword: accounts.rootPassword,
    deployPassword: accounts.deployPassword,
    hostKeyPub: hostKeyPubs[0] as string,
    hostKeyPubs,
    pid: () => proc.sshdPid,
    exec: (cmd, o) => nsExec(proc.sshdPid, cmd, o?.stdin),
    connectionCount: () => (readLog().match(/^Connection from \S+ port \d+ on /gm) ?? []).length,
    readLog,
    stop: () => proc.stop(),
    restart: async () => {
      await proc.stop();
      await proc.start(port);
    },
  };
}

/**
 * Where fleet dirs go: the temp dir, unless it is a tmpfs. Each host's /usr/local is a dir in there, and gofleet
 * refuses a goroot or versions_dir on a tmpfs (VOLATILE_PATH: gone after a reboot), so the hosts need a disk.
 */
function fleetBase(): string {
  const onTmpfs = (dir: string): boolean => spawnSync('stat', ['-f', '-c', '%T', dir], { encoding: 'utf8' }).stdout.trim() === 'tmpfs';
  if (!onTmpfs(tmpdir())) return tmpdir();
  if (!onTmpfs('/var/tmp')) return '/var/tmp';
  throw new Error(`${tmpdir()} and /var/tmp are tmpfs mounts: set TMPDIR to a directory on a disk for the sshd hosts`);
}

/** Start `n` real sshd hosts on loopback. Call `fleet.stop()` when done (an exit hook is the safety net). */
export async function startHosts(n: number, options: FleetOptions = {}): Promise<Fleet> {
  const reason = sshdUnavailableReason();
  if (reason) throw new Error(`cannot start sshd hosts: ${reason}`);
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege separation dir
  const dir = mkdtempSync(join(fleetBase(), 'gofleet-sshd-'));
  liveDirs.add(dir);
  chmodSync(dir, 0o755); // deploy must reach its home below it
  const hosts: SshdHost[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(hosts.map((h) => h.stop()));
    rmSync(dir, { recursive: true, force: true });
    liveDirs.delete(dir);
  };
  try {
    const clientKey = join(dir, 'client_ed25519');
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'gofleet-test-client', '-f', clientKey]);
    const clientKeyPub = readFileSync(`${clientKey}.pub`, 'utf8');
    const perHost = Array.from({ length: n }, (_, i) => {
      const { hosts: _hosts, ...fleetWide } = options;
      return { ...fleetWide, ...options.hosts?.[i], name: options.hosts?.[i]?.name ?? `host-${i + 1}` };
    });
    const names = perHost.map((h) => h.name);
    for (const h of perHost) hosts.push(await startHost(dir, h, clientKeyPub, names));
    const knownHostsPath = join(dir, 'known_hosts');
    const lines = hosts.map((h) => `[127.0.0.1]:${h.port},[${h.name}]:${h.port} ${h.hostKeyPub}\n`);
    writeFileSync(knownHostsPath, lines.join(''), { mode: 0o600 });
    const specFor = (host: SshdHost, overrides: Partial<HostSpec> = {}): HostSpec => ({
      name: host.name,
      address: host.address,
      port: host.port,
      user: 'root',
      transport: 'ssh',
      identity: [clientKey],
      knownHosts: knownHostsPath,
      become: false,
      tags: [],
      groups: [],
      vars: {},
      source: { file: join(dir, 'inventory.yml') },
      ...overrides,
    });
    return { hosts, clientKey, clientKeyPub, knownHostsPath, dir, specFor, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
