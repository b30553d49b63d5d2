// What `gofleet serve` keeps in the run journal (tables from migration 5): dashboard API tokens — only the SHA-256
// of each token, its name and when it was made, never the token — and the audit trail of people's actions
// (approve or stop a paused rollout, create or revoke a token). Opened on its own handle like the campaign store.

import { openDatabase } from './open-store.ts';

export interface StoredToken {
  name: string;
  /** hex SHA-256 of the token */
  sha256: string;
  created: number;
}

export interface AuditEntry {
  seq: number;
  at: number;
  /** a token's name, "local", or the OS user for CLI actions */
  actor: string;
  /** the request's remote address, or "cli" */
  source: string;
  action: string;
  run: string | null;
  wave: number | null;
  detail: Record<string, unknown>;
}

export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'run' | 'wave' | 'detail'> & Partial<Pick<AuditEntry, 'run' | 'wave' | 'detail'>>;

export interface ServeStore {
  path: string;
  /** false when a token of that name exists */
  addToken(t: StoredToken): boolean;
  listTokens(): StoredToken[];
  /** false when there is no token of that name */
  removeToken(name: string): boolean;
  appendAudit(e: NewAuditEntry): number;
  /** oldest first; `run` keeps one run's entries */
  listAudit(options?: { run?: string; limit?: number }): AuditEntry[];
  close(): void;
}

interface AuditRow extends Omit<AuditEntry, 'detail'> {
  detail: string;
}

export function openServeStore(path: string): ServeStore {
  const db = openDatabase(path);
  const insertToken = db.prepare(`INSERT INTO serve_tokens (name, sha256, created) VALUES (@name, @sha256, @created) ON CONFLICT (name) DO NOTHING`);
  const tokens = db.prepare(`SELECT name, sha256, created FROM serve_tokens ORDER BY created, name`);
  const deleteToken = db.prepare(`DELETE FROM serve_tokens WHERE name = ?`);
  const insertAudit = db.prepare(`INSERT INTO audit (at, actor, source, action, run, wave, detail) VALUES (@at, @actor, @source, @action, @run, @wave, @detail)`);
  const audit = db.prepare(`SELECT * FROM (SELECT * FROM audit WHERE @run IS NULL OR run = @run ORDER BY seq DESC LIMIT @limit) ORDER BY seq`);
  return {
    path,
    addToken: (t) => insertToken.run({ ...t, created: Math.round(t.created) }).changes > 0,
    listTokens: () => tokens.all() as StoredToken[],
    removeToken: (name) => deleteToken.run(name).changes > 0,
    appendAudit: (e) =>
      Number(insertAudit.run({ at: Math.round(e.at), actor: e.actor, source: e.source, action: e.action, run: e.run ?? null, wave: e.wave ?? null, detail: JSON.stringify(e.detail ?? {}) }).lastInsertRowid),
    listAudit: (options = {}) =>
      (audit.all({ run: options.run ?? null, limit: options.limit ?? -1 }) as AuditRow[]).map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> })),
    close: () => void db.close(),
  };
}
