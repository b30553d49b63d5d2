// One block of Ansible variables (a host line, a [group:vars] section, a YAML `vars:` map) -> a
// Layer. Known ansible_* and gofleet_* variables become fields; everything else is kept in vars.

import {
  osFromFamily, toAnsibleSecret, toBool, toGofleetSecret, toList, toOs, toPort, toStr, toTransport,
} from './ansible-values.ts';
import { expandTilde, type Env } from './expand-values.ts';
import { emptyLayer, type HostFields, type Layer } from './host-layers.ts';
import { checkHostPath } from './check-host-path.ts';
import { checkSite } from './check-site.ts';
import { VaultText } from './ansible-vault.ts';
import { invalidAt, type Where } from './inventory-errors.ts';
import { ANSIBLE_WINRM_VARS } from './winrm-settings.ts';

export interface VarBlock {
  vars: Record<string, unknown>;
  /** where a variable of this block is written */
  where(key: string): Where;
}

type Apply = (f: HostFields, value: unknown, where: Where, env: Env) => void;

const address: Apply = (f, v, w, e) => void (f.address = toStr(v, w, e));
const port: Apply = (f, v, w) => void (f.port = toPort(v, w));
const user: Apply = (f, v, w, e) => void (f.user = toStr(v, w, e));
const identity: Apply = (f, v, w, e) => void (f.identity = [expandTilde(toStr(v, w, e), e)]);
const password: Apply = (f, v, w) => void (f.password = toAnsibleSecret(v, w));
const become: Apply = (f, v, w) => void (f.become = toBool(v, w));
const becomePassword: Apply = (f, v, w) => void (f.becomePassword = toAnsibleSecret(v, w));
/** The setting that makes a host Windows, in the inventory's own words: `ansible_connection=winrm (hosts.ini:3)`. */
function windowsSetting(key: string, value: unknown, w: Where): string {
  const at = w.line === undefined ? w.file : `${w.file}:${w.line}`;
  return `${key}=${String(value)} (${at})`;
}

const connection = (strict: boolean, key: string): Apply => (f, v, w) => {
  const { transport, os } = toTransport(v, w, strict);
  f.transport = transport;
  if (os) {
    f.osHint = os;
    f.windowsBy = windowsSetting(key, v, w);
  }
};

const ANSIBLE: Record<string, Apply> = {
  ansible_host: address,
  ansible_ssh_host: address,
  ansible_port: port,
  ansible_ssh_port: port,
  ansible_user: user,
  ansible_ssh_user: user,
  ansible_ssh_private_key_file: identity,
  ansible_private_key_file: identity,
  ansible_password: password,
  ansible_ssh_pass: password,
  ansible_ssh_password: password,
  ansible_connection: connection(false, 'ansible_connection'),
  ansible_become: become,
  ansible_become_password: becomePassword,
  ansible_become_pass: becomePassword,
  ansible_sudo_pass: becomePassword,
  ansible_sudo_password: becomePassword,
  ansible_shell_type: (f, v, w) => {
    if (['powershell', 'cmd'].includes(String(v).toLowerCase())) {
      f.osHint = 'windows';
      f.windowsBy = windowsSetting('ansible_shell_type', v, w);
    }
  },
  ansible_os_family: (f, v, w) => {
    const os = osFromFamily(v);
    if (os) f.os = os;
    if (os === 'windows') f.windowsBy = windowsSetting('ansible_os_family', v, w);
  },
};

/** ansible_winrm_* / ansible_psrp_*: merged into the layer's WinRM fields (paths tilde-expanded). */
const WINRM: Record<string, Apply> = Object.fromEntries(Object.entries(ANSIBLE_WINRM_VARS).map(([key, read]) => {
  const apply: Apply = (f, v, w, e) => {
    f.winrm = { ...f.winrm, ...read(v, w, (x) => expandTilde(toStr(x, w, e), e)) };
  };
  return [key, apply];
}));

const GOFLEET: Record<string, Apply> = {
  gofleet_address: address,
  gofleet_port: port,
  gofleet_user: user,
  gofleet_transport: connection(true, 'gofleet_transport'),
  gofleet_identity: (f, v, w, e) => void (f.identity = toList(v, w).map((p) => expandTilde(p, e))),
  gofleet_password: (f, v, w) => void (f.password = toGofleetSecret(v, w)),
  gofleet_known_hosts: (f, v, w, e) => void (f.knownHosts = expandTilde(toStr(v, w, e), e)),
  gofleet_become: become,
  gofleet_become_password: (f, v, w) => void (f.becomePassword = toGofleetSecret(v, w)),
  gofleet_os: (f, v, w) => {
    f.os = toOs(v, w);
    if (f.os === 'windows') f.windowsBy = windowsSetting('gofleet_os', v, w);
  },
  gofleet_goroot: (f, v, w, e) => void (f.goroot = checkHostPath('goroot', toStr(v, w, e), w)),
  gofleet_versions_dir: (f, v, w, e) => void (f.versionsDir = checkHostPath('versions_dir', toStr(v, w, e), w)),
  gofleet_tags: (f, v, w) => void (f.tags = toList(v, w)),
  gofleet_site: (f, v, w, e) => void (f.site = checkSite(toStr(v, w, e), w)),
  gofleet_proxy_jump: (f, v, w, e) => void (f.proxyJump = toStr(v, w, e)),
};

/** Only secrets may be vault-encrypted: other values are needed before any password is known. */
function refuseVault(value: unknown, where: Where): void {
  if (value instanceof VaultText) {
    throw invalidAt(where, 'a !vault value is supported only for passwords (ansible_password, ansible_become_password)',
      'Write this variable in clear text; keep only secrets in the vault.');
  }
}

const SECRETS = new Set(Object.keys({ ...ANSIBLE, ...WINRM, ...GOFLEET }).filter((k) => /pass/.test(k)));

export function ansibleLayer(block: VarBlock, env: Env): Layer {
  const layer = emptyLayer();
  for (const [key, value] of Object.entries(block.vars)) {
    const apply = ANSIBLE[key] ?? WINRM[key] ?? GOFLEET[key];
    if (apply && !SECRETS.has(key)) refuseVault(value, block.where(key));
    if (apply) apply(layer.fields, value, block.where(key), env);
    else layer.vars[key] = value;
  }
  return layer;
}
