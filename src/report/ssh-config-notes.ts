// What ~/.ssh/config asked that gofleet did not do as OpenSSH would (HostSpec.sshConfigNotes: a `Match exec`
// never run, an unsupported `Match` criterion), shown where a user looks before a change: `facts` and `plan`
// print one line per host that has notes and put them on the host's JSON entry (`gofleet inventory` has its own
// table lines and field). Notes pass through redact (they quote the user's config) and, for people, safeText.

import { redact } from '../errors.ts';
import { safeText as t } from './safe-text.ts';

export interface NotedHost {
  name: string;
  sshConfigNotes?: string[];
}

/** `ssh config: build-01: ~/.ssh/config:12: Match exec "..." was not run ...; <next note>`, one line a host with notes. */
export function sshConfigNoteLines(hosts: readonly NotedHost[]): string {
  return hosts
    .filter((h) => (h.sshConfigNotes ?? []).length > 0)
    .map((h) => `ssh config: ${t(h.name)}: ${h.sshConfigNotes!.map((n) => t(redact(n))).join('; ')}\n`)
    .join('');
}

/** The optional `ssh_config_notes` field of a host's JSON entry: present only when the host has notes. */
export function sshConfigNotesField(host: NotedHost | undefined): { ssh_config_notes?: string[] } {
  const notes = host?.sshConfigNotes ?? [];
  return notes.length > 0 ? { ssh_config_notes: notes.map((n) => redact(n)) } : {};
}

/** Each `{name, ...}` entry of `entries` with the notes of the host of that name added (a new object). */
export function withSshConfigNotes<T extends { name: string }>(entries: readonly T[], hosts: readonly NotedHost[]): T[] {
  const byName = new Map(hosts.map((h) => [h.name, h]));
  return entries.map((e) => ({ ...e, ...sshConfigNotesField(byName.get(e.name)) }));
}
