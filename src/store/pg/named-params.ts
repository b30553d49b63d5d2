// The journal's statements are written with named `@param`s (store/journal-sql.ts, as SQLite takes them);
// PostgreSQL takes `$1, $2, ...`. Converted once per statement text, then reused.

export interface PositionalSql {
  text: string;
  /** the parameter name of $1, $2, ... */
  names: string[];
}

const cache = new Map<string, PositionalSql>();

export function positional(sql: string): PositionalSql {
  let got = cache.get(sql);
  if (!got) {
    const names: string[] = [];
    const text = sql.replace(/@([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => {
      let i = names.indexOf(name);
      if (i < 0) i = names.push(name) - 1;
      return `$${i + 1}`;
    });
    got = { text, names };
    cache.set(sql, got);
  }
  return got;
}

/** The values for `names`, in order; a missing one is an error in the caller, not a silent NULL. */
export function valuesFor(names: readonly string[], params: Record<string, unknown>): unknown[] {
  return names.map((n) => {
    if (!(n in params)) throw new Error(`statement parameter @${n} not given`);
    return params[n];
  });
}
