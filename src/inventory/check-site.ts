// `site:` (gofleet YAML) / `gofleet_site` (Ansible) as written in an inventory: the name of the place a host is
// reached from (issue 14). A worker started with `--site NAME` takes only that site's hosts, so the name is part
// of a queue name: letters, digits, `_` and `-` only, checked at load time with the field's file:line.

import { invalidAt, type Where } from './inventory-errors.ts';

const SITE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** `value` unchanged, or INVENTORY_INVALID when it is not a usable site name. */
export function checkSite(value: string, where: Where): string {
  if (SITE.test(value)) return value;
  throw invalidAt(
    where,
    `${JSON.stringify(value)} is not a site name: letters, digits, _ and - only (at most 63, starting with a letter or digit)`,
    'Name the site as its workers are started: `gofleet worker --site NAME`, e.g. site: eu-west_1.',
  );
}

/** The same check for `gofleet worker --site` (no file:line: the command line). */
export function isSiteName(value: string): boolean {
  return SITE.test(value);
}
