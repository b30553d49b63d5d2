// Which authentication methods to try, in order: identity files, then the agent, then the password.
// Problems with an identity (missing file, passphrase-protected, unparsable) are kept as notes and reported
// in the AUTH_FAILED message, so the user learns why a key was not used.
import { readFileSync, statSync } from 'node:fs';
import ssh2, { type AuthenticationType } from 'ssh2';

export interface AuthInputs {
  username: string;
  identities: string[];
  /** agent socket path (SSH_AUTH_SOCK), if any */
  agent?: string;
  password?: string;
}

/** ssh2 authHandler entries (ssh2's types for these are looser than what it accepts) */
export type AuthMethodEntry =
  | { type: 'publickey'; username: string; key: Buffer }
  | { type: 'agent'; username: string; agent: string }
  | { type: 'password'; username: string; password: string };

export interface AuthPlan {
  methods: AuthMethodEntry[];
  /** why a configured method is not used */
  notes: string[];
}

function identityMethod(path: string, username: string, notes: string[]): AuthMethodEntry | undefined {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    notes.push(code === 'ENOENT' ? `identity file ${path} not found` : `cannot read identity ${path}: ${code}`);
    return undefined;
  }
  const parsed = ssh2.utils.parseKey(data);
  if (parsed instanceof Error) {
    notes.push(/encrypted/i.test(parsed.message)
      ? `identity ${path} is passphrase-protected; load it into ssh-agent (ssh-add ${path})`
      : `cannot parse identity ${path}: ${parsed.message}`);
    return undefined;
  }
  return { type: 'publickey', username, key: data };
}

function agentUsable(path: string, notes: string[]): boolean {
  try {
    if (statSync(path).isSocket()) return true;
    notes.push(`ssh-agent socket ${path} is not a socket`);
  } catch {
    notes.push(`ssh-agent socket ${path} does not exist`);
  }
  return false;
}

export function planAuth(i: AuthInputs): AuthPlan {
  const notes: string[] = [];
  const methods: AuthMethodEntry[] = [];
  for (const path of i.identities) {
    const m = identityMethod(path, i.username, notes);
    if (m) methods.push(m);
  }
  if (i.agent && agentUsable(i.agent, notes)) methods.push({ type: 'agent', username: i.username, agent: i.agent });
  if (i.password !== undefined) methods.push({ type: 'password', username: i.username, password: i.password });
  return { methods, notes };
}

/** The method names, for messages ("tried publickey, password"). */
export function methodNames(plan: AuthPlan): AuthenticationType[] {
  return [...new Set(plan.methods.map((m) => m.type))];
}
