// One block of gofleet YAML settings (`defaults`, a group's `vars`, a host) -> a Layer.
// Order matters: unknown keys are refused first, then passwords are checked (a literal is refused and never expanded),
// then `${env:NAME}` is expanded in every other string, then the block is validated with zod.

import type { z } from 'zod';
import { registerSecret } from '../errors.ts';
import { expandGofleetEnv, expandTilde, gofleetEnvName, type Env } from './expand-values.ts';
import { closestKey } from './closest-key.ts';
import { hostVarsSchema, issueMessage, KNOWN_KEYS, valueAt, type HostVars } from './gofleet-schema.ts';
import type { Layer } from './host-layers.ts';
import { checkHostPath } from './check-host-path.ts';
import { checkSite } from './check-site.ts';
import { envMissingAt, invalidAt, type Where } from './inventory-errors.ts';
import type { SecretRef } from './types.ts';
import type { WinrmFields } from './winrm-settings.ts';
import { whereIn, type YamlPath, type YamlSource } from './yaml-source.ts';

const PASSWORD_HINT =
  'Use password: ${env:NAME} (read from the environment at connect time) or password: prompt; secrets never live in gofleet files.';

export interface BlockContext {
  src: YamlSource;
  env: Env;
}

/** Throw INVENTORY_INVALID for the first zod issue, pointing at its line. */
export function throwFirstIssue(src: YamlSource, base: YamlPath, data: unknown, error: z.ZodError): never {
  const issue = error.issues[0]!;
  const rel = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  const path = [...base, ...rel.map((s) => (typeof s === 'symbol' ? String(s) : s))];
  throw invalidAt(whereIn(src, path), issueMessage(issue, valueAt(data, issue.path)));
}

const KEY_HINTS: Record<keyof typeof KNOWN_KEYS, string> = {
  top: `The top level of a gofleet inventory holds ${KNOWN_KEYS.top.join(', ')}.`,
  group: `A group holds ${KNOWN_KEYS.group.join(', ')}; host settings go under the group's vars:.`,
  settings: `Known settings: ${KNOWN_KEYS.settings.join(', ')}. Free-form variables go under vars:, e.g. vars: { rack: r12 }.`,
};

/** Refuse the first key of `block` that `kind` does not know, naming the key it most likely meant. Runs before
 *  ${env:NAME} expansion and zod, so a typo is reported as a typo and not as whatever its value trips over. */
export function refuseUnknownKeys(src: YamlSource, path: YamlPath, block: unknown, kind: keyof typeof KNOWN_KEYS): void {
  if (block === null || typeof block !== 'object' || Array.isArray(block)) return;
  const known: readonly string[] = KNOWN_KEYS[kind];
  const unknown = Object.keys(block).find((k) => !known.includes(k));
  if (unknown === undefined) return;
  const guess = closestKey(unknown, known);
  const mean = guess ? ` (did you mean "${guess}"?)` : '';
  throw invalidAt(whereIn(src, [...path, unknown]), `unknown key ${JSON.stringify(unknown)}${mean}`, KEY_HINTS[kind]);
}

function passwordRef(value: unknown, where: Where, key = 'password'): SecretRef {
  if (value === 'prompt') return { from: 'prompt' };
  const name = typeof value === 'string' ? gofleetEnvName(value) : undefined;
  if (name) return { from: 'env', name };
  if (typeof value === 'string') registerSecret(value);
  throw invalidAt(where, 'a literal password is not allowed in a gofleet inventory', PASSWORD_HINT.replaceAll('password:', `${key}:`));
}

function expandDeep(value: unknown, path: YamlPath, ctx: BlockContext): unknown {
  if (typeof value === 'string') {
    return expandGofleetEnv(value, ctx.env, (name) => {
      throw envMissingAt(whereIn(ctx.src, path), name);
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => expandDeep(v, [...path, i], ctx));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandDeep(v, [...path, k], ctx)]));
  }
  return value;
}

/** Secrets are references (${env:NAME} or prompt), checked before anything is expanded. */
interface Secrets {
  password?: SecretRef;
  becomePassword?: SecretRef;
}

const list = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);

/** The `winrm:` block -> WinrmFields; `where` names it for a refused auth method. */
function winrmFields(w: NonNullable<HostVars['winrm']>, where: Where, env: Env): WinrmFields {
  const at = where.line === undefined ? where.file : `${where.file}:${where.line}`;
  const auth: WinrmFields['auth'] = w.auth === undefined ? undefined
    : w.auth === 'kerberos' || w.auth === 'credssp' ? { refused: `winrm.auth: ${w.auth} (${at})` } : { method: w.auth };
  const path = (p: string | undefined): string | undefined => (p === undefined ? undefined : expandTilde(p, env));
  const fields: WinrmFields = {
    scheme: w.scheme, auth, certValidation: w.cert_validation, caFile: path(w.ca_file), clientCert: path(w.client_cert),
    clientKey: path(w.client_key), messageEncryption: w.message_encryption,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as WinrmFields;
}

function toLayer(parsed: HostVars, secrets: Secrets, env: Env, winrmAt: Where): Layer {
  const { address, port, user, transport, identity, known_hosts, become, os, goroot, versions_dir, tags, site, proxy_jump } = parsed;
  const fields = {
    address, port, user, transport, become, os, goroot, password: secrets.password, becomePassword: secrets.becomePassword,
    identity: identity === undefined ? undefined : list(identity).map((p) => expandTilde(p, env)),
    knownHosts: known_hosts === undefined ? undefined : expandTilde(known_hosts, env),
    versionsDir: versions_dir,
    tags: tags === undefined ? undefined : list(tags),
    site,
    proxyJump: proxy_jump,
    winrm: parsed.winrm ? winrmFields(parsed.winrm, winrmAt, env) : undefined,
  };
  return { fields: Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)), vars: { ...parsed.vars } };
}

/** Validate and normalize one block found at `path` (null means an empty block). */
export function gofleetLayer(raw: unknown, path: YamlPath, ctx: BlockContext): Layer {
  if (raw === null || raw === undefined) return { fields: {}, vars: {} };
  refuseUnknownKeys(ctx.src, path, raw, 'settings');
  const block = raw as Record<string, unknown>;
  const secrets: Secrets = {};
  for (const [key, field] of [['password', 'password'], ['become_password', 'becomePassword']] as const) {
    if (block[key] != null) secrets[field] = passwordRef(block[key], whereIn(ctx.src, [...path, key]), key);
  }
  const expanded = Object.fromEntries(
    Object.entries(block).map(([k, v]) => [k, k === 'password' || k === 'become_password' ? v : expandDeep(v, [...path, k], ctx)]),
  );
  const result = hostVarsSchema.safeParse(expanded);
  if (!result.success) throwFirstIssue(ctx.src, path, expanded, result.error);
  if (result.data.goroot !== undefined) checkHostPath('goroot', result.data.goroot, whereIn(ctx.src, [...path, 'goroot']));
  if (result.data.versions_dir !== undefined) {
    checkHostPath('versions_dir', result.data.versions_dir, whereIn(ctx.src, [...path, 'versions_dir']));
  }
  if (result.data.site !== undefined) checkSite(result.data.site, whereIn(ctx.src, [...path, 'site']));
  return toLayer(result.data, secrets, ctx.env, whereIn(ctx.src, [...path, 'winrm', 'auth']));
}
