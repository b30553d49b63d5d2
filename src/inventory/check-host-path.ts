// goroot and versions_dir as written in an inventory: refuse a system path (/lib64, /usr/local, C:\Windows, ...)
// or a volatile directory (/tmp, /dev/shm, ...) at load time, with the field's file:line, before any host is
// contacted. The host re-checks the physical paths it resolves to (engine/check-goroot-safety.ts).

import { systemPathOf, volatilePathOf } from '../platform/system-paths.ts';
import { invalidAt, type Where } from './inventory-errors.ts';

const EXAMPLES = 'e.g. goroot /usr/local/go and versions_dir /usr/local/gofleet/versions (C:\\Program Files\\Go and C:\\ProgramData\\gofleet\\versions on Windows)';

/** `value` unchanged, or INVENTORY_INVALID when it is a system path or under a volatile directory. */
export function checkHostPath(field: 'goroot' | 'versions_dir', value: string, where: Where): string {
  const system = systemPathOf(value);
  if (system !== null) {
    throw invalidAt(
      where,
      `${JSON.stringify(value)} is a system path (${system}); gofleet replaces goroot with a link and moves trees in and out of versions_dir`,
      `Point ${field} at a directory of its own, ${EXAMPLES}.`,
    );
  }
  const volatile = volatilePathOf(value);
  if (volatile !== null) {
    throw invalidAt(
      where,
      `${JSON.stringify(value)} is under ${volatile}, which does not survive a reboot: the host would be left without Go`,
      `Use a persistent directory, ${EXAMPLES}.`,
    );
  }
  return value;
}
