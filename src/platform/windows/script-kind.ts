// The stable marker every Windows script gofleet sends or writes carries on its second line,
// `# gofleet-script: <kind>`, so that a reader (a log, a test host, a person looking at a stuck process's
// script) can tell which script it is without parsing its title.

export type WindowsScriptKind = 'facts' | 'upgrade' | 'switch' | 'restore-link' | 'prune' | 'msi' | 'standalone' | 'receive-file' | 'send-file' | 'reach';

export const SCRIPT_KIND_PREFIX = '# gofleet-script: ';

export function scriptKindLine(kind: WindowsScriptKind): string {
  return `${SCRIPT_KIND_PREFIX}${kind}`;
}

/** The kind a script says it is (its marker line), or null. */
export function scriptKindOf(script: string): WindowsScriptKind | null {
  const m = /^# gofleet-script: ([a-z-]+)\r?$/m.exec(script);
  const kind = m?.[1];
  const kinds: readonly string[] = ['facts', 'upgrade', 'switch', 'restore-link', 'prune', 'msi', 'standalone', 'receive-file', 'send-file', 'reach'];
  return kind !== undefined && kinds.includes(kind) ? (kind as WindowsScriptKind) : null;
}
