// The SFTP subsystem of the fake Windows OpenSSH host: Windows OpenSSH's path forms and file semantics
// over a temp directory per drive (fake-windows-paths.ts).
// - Paths arrive as `/C:/ProgramData/x`; realpath answers in that form (`.` is `/C:/Users/<user>`).
// - Advertises posix-rename@openssh.com (as OpenSSH's sftp-server, which Windows OpenSSH is built from): it
//   replaces an existing file. A plain SSH_FXP_RENAME onto an existing file fails (SSH_FX_FAILURE), as
//   Windows' MoveFile does. `posixRename: false` leaves the extension out (an older or stripped server).
// - Modes are the read-only attribute only: setstat/fsetstat with the owner-write bit clear makes a file
//   read-only; stat reports 0666/0444 (plus 0111 for .exe/.bat/.cmd/.com) for files, 0777 for directories,
//   as the C runtime's stat does on Windows. A read-only file cannot be opened for writing, removed or
//   replaced; a locked one (`locked`: local paths of files "in use") cannot be renamed either
//   (SSH_FX_PERMISSION_DENIED).
import {
  closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmdirSync, statSync,
  chmodSync, unlinkSync, writeSync, type Stats as FsStats,
} from 'node:fs';
import ssh2, { type Attributes, type SFTPWrapper } from 'ssh2';
import { WindowsPathError, type WindowsDrives } from './fake-windows-paths.ts';

const { STATUS_CODE, flagsToString } = ssh2.utils.sftp;
const OPEN_WRITE = 0x2;

export interface FakeSftpOptions {
  drives: WindowsDrives;
  /** local paths of files that are "in use" (cannot be written, removed or renamed) */
  locked: Set<string>;
  /** advertise posix-rename@openssh.com (default true) */
  posixRename: boolean;
  /** every request, for tests: `OPEN /C:/x`, `RENAME /C:/a -> /C:/b`, ... */
  log: string[];
}

type Handle = { kind: 'file'; fd: number; path: string } | { kind: 'dir'; path: string; names: string[] | undefined };

class SftpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function fail(err: unknown): SftpError {
  if (err instanceof SftpError) return err;
  if (err instanceof WindowsPathError) {
    return new SftpError(err.why === 'no-drive' ? STATUS_CODE.NO_SUCH_FILE : STATUS_CODE.FAILURE, err.message);
  }
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new SftpError(STATUS_CODE.NO_SUCH_FILE, 'No such file');
  if (code === 'EACCES' || code === 'EPERM') return new SftpError(STATUS_CODE.PERMISSION_DENIED, 'Permission denied');
  return new SftpError(STATUS_CODE.FAILURE, (err as Error).message);
}

function windowsMode(st: FsStats, path: string): number {
  const readOnly = (st.mode & 0o200) === 0;
  if (st.isDirectory()) return 0o40000 | (readOnly ? 0o555 : 0o777);
  const exec = /\.(exe|bat|cmd|com)$/i.test(path) ? 0o111 : 0;
  return 0o100000 | (readOnly ? 0o444 : 0o666) | exec;
}

function attrsOf(st: FsStats, path: string): Attributes {
  return { mode: windowsMode(st, path), uid: 0, gid: 0, size: st.size, atime: Math.floor(st.atimeMs / 1000),
    mtime: Math.floor(st.mtimeMs / 1000) };
}

/** A VERSION reply that lists posix-rename@openssh.com (ssh2's server sends one without extensions). */
function advertisePosixRename(sftp: SFTPWrapper): void {
  const s = sftp as unknown as { _protocol: object; outgoing: { window: number } };
  const protocol = s._protocol as { channelData(id: number, data: Buffer): void };
  const name = Buffer.from('posix-rename@openssh.com');
  const str = (b: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  s._protocol = new Proxy(protocol, {
    get(target, key) {
      if (key === 'channelData') {
        return (id: number, data: Buffer): void => {
          s._protocol = protocol; // only the first packet is the VERSION reply
          const body = Buffer.concat([data.subarray(4), str(name), str(Buffer.from('1'))]);
          const len = Buffer.alloc(4);
          len.writeUInt32BE(body.length);
          s.outgoing.window -= body.length + 4 - data.length;
          protocol.channelData(id, Buffer.concat([len, body]));
        };
      }
      const v = Reflect.get(target, key) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

function readString(buf: Buffer, at: number): [string, number] {
  const len = buf.readUInt32BE(at);
  return [buf.subarray(at + 4, at + 4 + len).toString('utf8'), at + 4 + len];
}

export function serveSftp(sftp: SFTPWrapper, o: FakeSftpOptions): void {
  if (o.posixRename) advertisePosixRename(sftp);
  const handles = new Map<string, Handle>();
  let next = 0;
  const local = (p: string): string => o.drives.toLocal(p.startsWith('/') || /^[A-Za-z]:/.test(p) ? p : o.drives.toSftp(p));
  const writable = (path: string): void => {
    if (o.locked.has(path)) {
      throw new SftpError(STATUS_CODE.PERMISSION_DENIED, 'The process cannot access the file because it is being used by another process.');
    }
    if (existsSync(path) && (statSync(path).mode & 0o200) === 0) throw new SftpError(STATUS_CODE.PERMISSION_DENIED, 'Access is denied.');
  };
  const handleOf = (reqid: number, h: Buffer): Handle => {
    const found = handles.get(h.toString('hex'));
    if (!found) throw new SftpError(STATUS_CODE.FAILURE, 'invalid handle');
    return found;
  };
  const newHandle = (reqid: number, h: Handle): void => {
    const id = Buffer.alloc(4);
    id.writeUInt32BE(next++);
    handles.set(id.toString('hex'), h);
    sftp.handle(reqid, id);
  };
  // handlers take the request's own arguments; `never[]` lets each declare them precisely
  const on = (event: string, what: (...a: never[]) => string, fn: (reqid: number, ...a: never[]) => void): void => {
    (sftp as unknown as NodeJS.EventEmitter).on(event, (reqid: number, ...args: unknown[]) => {
      const a = args as never[];
      o.log.push(`${event} ${what(...a)}`.trimEnd());
      try {
        fn(reqid, ...a);
      } catch (err) {
        const e = fail(err);
        sftp.status(reqid, e.status, e.message);
      }
    });
  };
  const ok = (reqid: number): void => void sftp.status(reqid, STATUS_CODE.OK);
  const rename = (reqid: number, from: string, to: string, replace: boolean): void => {
    const a = local(from);
    const b = local(to);
    statSync(a); // NO_SUCH_FILE first
    // Windows renames a read-only file, but not one in use
    if (o.locked.has(a)) writable(a);
    if (existsSync(b)) {
      if (!replace || statSync(b).isDirectory()) throw new SftpError(STATUS_CODE.FAILURE, 'Cannot create a file when that file already exists.');
      writable(b);
    }
    renameSync(a, b);
    ok(reqid);
  };

  on('OPEN', (p: string) => p, (reqid, path: string, flags: number) => {
    const l = local(path);
    if (flags & OPEN_WRITE) writable(l);
    if (existsSync(l) && statSync(l).isDirectory()) throw new SftpError(STATUS_CODE.FAILURE, 'Access is denied.');
    newHandle(reqid, { kind: 'file', fd: openSync(l, flagsToString(flags) ?? 'r'), path: l });
  });
  on('READ', () => '', (reqid, h: Buffer, offset: number, length: number) => {
    const f = handleOf(reqid, h);
    if (f.kind !== 'file') throw new SftpError(STATUS_CODE.FAILURE, 'not a file');
    const buf = Buffer.alloc(length);
    const n = readSync(f.fd, buf, 0, length, offset);
    if (n === 0) sftp.status(reqid, STATUS_CODE.EOF);
    else sftp.data(reqid, buf.subarray(0, n));
  });
  on('WRITE', () => '', (reqid, h: Buffer, offset: number, data: Buffer) => {
    const f = handleOf(reqid, h);
    if (f.kind !== 'file') throw new SftpError(STATUS_CODE.FAILURE, 'not a file');
    writeSync(f.fd, data, 0, data.length, offset);
    ok(reqid);
  });
  on('CLOSE', () => '', (reqid, h: Buffer) => {
    const f = handleOf(reqid, h);
    handles.delete(h.toString('hex'));
    if (f.kind === 'file') closeSync(f.fd);
    ok(reqid);
  });
  on('FSTAT', () => '', (reqid, h: Buffer) => {
    const f = handleOf(reqid, h);
    sftp.attrs(reqid, attrsOf(f.kind === 'file' ? fstatSync(f.fd) : statSync(f.path), f.path));
  });
  for (const event of ['STAT', 'LSTAT']) {
    on(event, (p: string) => p, (reqid, path: string) => {
      const l = local(path);
      sftp.attrs(reqid, attrsOf(statSync(l), l));
    });
  }
  const setstat = (reqid: number, path: string, attrs: Attributes): void => {
    if (attrs.mode !== undefined) chmodSync(path, (statSync(path).mode & 0o7000) | ((attrs.mode & 0o200) ? 0o644 : 0o444));
    ok(reqid);
  };
  on('SETSTAT', (p: string) => p, (reqid, path: string, attrs: Attributes) => setstat(reqid, local(path), attrs));
  on('FSETSTAT', () => '', (reqid, h: Buffer, attrs: Attributes) => setstat(reqid, handleOf(reqid, h).path, attrs));
  on('REMOVE', (p: string) => p, (reqid, path: string) => {
    const l = local(path);
    if (statSync(l).isDirectory()) throw new SftpError(STATUS_CODE.FAILURE, 'Access is denied.');
    writable(l);
    unlinkSync(l);
    ok(reqid);
  });
  on('RENAME', (a: string, b: string) => `${a} -> ${b}`, (reqid, a: string, b: string) => rename(reqid, a, b, false));
  on('MKDIR', (p: string) => p, (reqid, path: string) => {
    const l = local(path);
    if (existsSync(l)) throw new SftpError(STATUS_CODE.FAILURE, 'Cannot create a file when that file already exists.');
    mkdirSync(l);
    ok(reqid);
  });
  on('RMDIR', (p: string) => p, (reqid, path: string) => {
    const l = local(path);
    if (readdirSync(l).length > 0) throw new SftpError(STATUS_CODE.FAILURE, 'The directory is not empty.');
    rmdirSync(l);
    ok(reqid);
  });
  on('REALPATH', (p: string) => p, (reqid, path: string) => {
    const p = o.drives.toSftp(path === '' ? '.' : path);
    sftp.name(reqid, [{ filename: p, longname: p, attrs: {} as Attributes }]);
  });
  on('OPENDIR', (p: string) => p, (reqid, path: string) => {
    const l = local(path);
    if (!statSync(l).isDirectory()) throw new SftpError(STATUS_CODE.FAILURE, 'The directory name is invalid.');
    newHandle(reqid, { kind: 'dir', path: l, names: undefined });
  });
  on('READDIR', () => '', (reqid, h: Buffer) => {
    const d = handleOf(reqid, h);
    if (d.kind !== 'dir') throw new SftpError(STATUS_CODE.FAILURE, 'not a directory');
    if (d.names) return void sftp.status(reqid, STATUS_CODE.EOF);
    d.names = readdirSync(d.path);
    if (d.names.length === 0) return void sftp.status(reqid, STATUS_CODE.EOF);
    sftp.name(reqid, d.names.map((n) => {
      const attrs = attrsOf(statSync(`${d.path}/${n}`), n);
      return { filename: n, longname: n, attrs };
    }));
  });
  on('EXTENDED', (name: string) => name, (reqid, name: string, data: Buffer | undefined) => {
    if (name !== 'posix-rename@openssh.com' || !o.posixRename || !data) {
      return void sftp.status(reqid, STATUS_CODE.OP_UNSUPPORTED);
    }
    const [from, at] = readString(data, 0);
    const [to] = readString(data, at);
    o.log.push(`posix-rename ${from} -> ${to}`);
    rename(reqid, from, to, true);
  });
  sftp.on('close', () => {
    for (const h of handles.values()) if (h.kind === 'file') closeSync(h.fd);
    handles.clear();
  });
}
