// "did you mean `address`?" for a misspelt key of gofleet YAML. A typo such as `adress:` used to be kept as a
// free-form variable, so the host silently connected to its name instead of the address the user wrote.

/** Damerau-Levenshtein distance (optimal string alignment: a swap of two neighbours counts as one edit). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** Ansible variable names people carry over into gofleet YAML, and the gofleet key that means the same. */
const ANSIBLE_NAMES: Record<string, string> = {
  ansible_host: 'address',
  ansible_port: 'port',
  ansible_user: 'user',
  ansible_connection: 'transport',
  ansible_ssh_private_key_file: 'identity',
  ansible_password: 'password',
  ansible_become: 'become',
};

/** The known key `key` was most likely meant to be: an Ansible synonym, a small edit distance (1 for short
 *  words, 2 from five letters on, so `foo` does not become `os`), or a prefix either way (`ver` ->
 *  `versions_dir`, `identity_file` -> `identity`); undefined when nothing is close. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const synonym = ANSIBLE_NAMES[lower];
  if (synonym && known.includes(synonym)) return synonym;
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate);
    const allowed = Math.max(lower.length, candidate.length) >= 5 ? 2 : 1;
    if (distance <= allowed && (!best || distance < best.distance)) best = { key: candidate, distance };
  }
  if (best) return best.key;
  if (lower.length < 3) return undefined;
  return known.find((c) => c.startsWith(lower) || lower.startsWith(c));
}
