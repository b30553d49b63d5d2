// Expansion of `${env:NAME}`, Ansible's `{{ lookup('env', 'NAME') }}` and `~` in local paths.
// Pure functions: the environment is always passed in, so tests never touch process.env.

import { homedir, userInfo } from 'node:os';

export type Env = NodeJS.ProcessEnv;

const ENV_NAME = '[A-Za-z_][A-Za-z0-9_]*';
const GOFLEET_REF = new RegExp(`\\$\\{env:(${ENV_NAME})\\}`, 'g');
const GOFLEET_ONLY = new RegExp(`^\\$\\{env:(${ENV_NAME})\\}$`);
const ANSIBLE_LOOKUP = /\{\{\s*lookup\(\s*['"]env['"]\s*,\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\)\s*\}\}/g;
const ANSIBLE_ONLY = /^\s*\{\{\s*lookup\(\s*['"]env['"]\s*,\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\)\s*\}\}\s*$/;

/** Replace every `${env:NAME}`; `onMissing` is called (and must throw) for an unset variable. */
export function expandGofleetEnv(text: string, env: Env, onMissing: (name: string) => never): string {
  return text.replace(GOFLEET_REF, (_m, name: string) => env[name] ?? onMissing(name));
}

/** Replace every `{{ lookup('env', 'NAME') }}`; `onMissing` is called (and must throw) for an unset variable. */
export function expandAnsibleEnv(text: string, env: Env, onMissing: (name: string) => never): string {
  return text.replace(ANSIBLE_LOOKUP, (_m, name: string) => env[name] ?? onMissing(name));
}

/** The NAME of a value that is exactly `${env:NAME}`, else undefined. */
export function gofleetEnvName(text: string): string | undefined {
  return GOFLEET_ONLY.exec(text)?.[1];
}

/** The NAME of a value that is exactly `{{ lookup('env', 'NAME') }}`, else undefined. */
export function ansibleEnvName(text: string): string | undefined {
  return ANSIBLE_ONLY.exec(text)?.[1];
}

/** The controller user's home directory, honouring HOME from the given environment. */
export function homeDir(env: Env): string {
  return env.HOME || env.USERPROFILE || homedir();
}

/** The controller user's login name. */
export function localUser(env: Env): string {
  if (env.USER) return env.USER;
  try {
    return userInfo().username;
  } catch {
    return env.USERNAME ?? '';
  }
}

/** Expand a leading `~` or `~/` (local paths only: identity files, known_hosts). */
export function expandTilde(path: string, env: Env): string {
  if (path === '~') return homeDir(env);
  if (path.startsWith('~/') || path.startsWith('~\\')) return homeDir(env) + path.slice(1);
  return path;
}
