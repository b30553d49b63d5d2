// The zod schemas of gofleet YAML, and zod issues turned into messages a person can act on
// ("expected a number, got \"abc\"").

import { z } from 'zod';
import { describeValue } from './inventory-errors.ts';

const stringOrList = z.union([z.string(), z.array(z.string())]);

/** `winrm:` (transport: winrm): how the host's WinRM listener is reached. kerberos and credssp are accepted
 *  here and refused per host when connected (not supported yet). */
export const winrmSchema = z.strictObject({
  scheme: z.enum(['http', 'https']).optional(),
  auth: z.enum(['ntlm', 'basic', 'certificate', 'kerberos', 'credssp']).optional(),
  cert_validation: z.enum(['validate', 'ignore']).optional(),
  ca_file: z.string().optional(),
  client_cert: z.string().optional(),
  client_key: z.string().optional(),
  message_encryption: z.enum(['auto', 'always', 'never']).optional(),
});

/** One block of host settings: `defaults`, a group's `vars`, or a host. Unknown keys are refused (a typo such
 *  as `adress:` was once kept as a variable); free-form variables have their own place, the `vars:` map. */
export const hostVarsSchema = z.strictObject({
  address: z.string().min(1, 'expected a host name or IP address').optional(),
  port: z.number().int().min(1, 'expected a port from 1 to 65535').max(65535, 'expected a port from 1 to 65535').optional(),
  user: z.string().optional(),
  transport: z.enum(['ssh', 'winrm', 'local']).optional(),
  identity: stringOrList.optional(),
  password: z.string().optional(),
  become_password: z.string().optional(),
  known_hosts: z.string().optional(),
  become: z.boolean().optional(),
  os: z.enum(['linux', 'darwin', 'windows']).optional(),
  goroot: z.string().optional(),
  versions_dir: z.string().optional(),
  tags: stringOrList.optional(),
  site: z.string().optional(),
  proxy_jump: z.string().optional(),
  winrm: winrmSchema.nullable().optional(),
  vars: z.record(z.string(), z.unknown()).nullable().optional(),
});

export type HostVars = z.infer<typeof hostVarsSchema>;

/** A group: member hosts, variables and child groups. */
export const groupSchema = z.strictObject({
  hosts: z.array(z.string()).optional(),
  vars: z.record(z.string(), z.unknown()).nullable().optional(),
  children: z.array(z.string()).optional(),
});

export const topLevelSchema = z.strictObject({
  defaults: z.record(z.string(), z.unknown()).nullable().optional(),
  groups: z.record(z.string(), groupSchema.nullable()).nullable().optional(),
  hosts: z.record(z.string(), z.record(z.string(), z.unknown()).nullable()).nullable().optional(),
});

/** The keys each kind of block knows, for "did you mean" (closest-key.ts); order = preference on a tie. */
export const KNOWN_KEYS = {
  top: Object.keys(topLevelSchema.shape),
  group: Object.keys(groupSchema.shape),
  settings: Object.keys(hostVarsSchema.shape),
} as const;

type Issue = z.ZodError['issues'][number];

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map',
  record: 'a map',
};

/** A message for one zod issue; `value` is the input found at the issue's path. */
export function issueMessage(issue: Issue, value: unknown): string {
  const got = `got ${describeValue(value)}`;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, ${got}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map(String).join('|')}, ${got}`;
    case 'invalid_union':
      return `expected a string or a list of strings, ${got}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    default:
      return `${issue.message}, ${got}`;
  }
}

/** The value at `path` inside `data` (undefined when absent). */
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}
