// The journal's schema, as numbered migrations. MIGRATIONS[i] takes the database from version i to i + 1
// (PRAGMA user_version). Never edit a migration that has shipped; append a new one.

import type { Database } from 'better-sqlite3';
import { GofleetError } from '../errors.ts';

export const MIGRATIONS: readonly string[] = [
  // 1: runs, per-host results, the step journal and the append-only event log. Times are ms since the epoch.
  `
  CREATE TABLE runs (
    id         TEXT PRIMARY KEY,
    started    INTEGER NOT NULL,
    ended      INTEGER,
    user       TEXT NOT NULL,
    argv       TEXT NOT NULL,              -- JSON array, secrets redacted
    command    TEXT NOT NULL,
    target     TEXT,
    policy     TEXT NOT NULL,              -- JSON
    status     TEXT NOT NULL CHECK (status IN ('running', 'done', 'interrupted', 'failed')),
    counts     TEXT NOT NULL DEFAULT '{}', -- JSON {"upgraded": N, ...}
    controller TEXT NOT NULL,              -- the machine gofleet ran on
    pid        INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE run_hosts (
    run           TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    host          TEXT NOT NULL,
    ord           INTEGER NOT NULL,        -- selection order
    status        TEXT NOT NULL,           -- pending, in flight (staging, ...) or final (upgraded, ...)
    from_version  TEXT,
    to_version    TEXT,
    error_code    TEXT,
    error_message TEXT,
    error_hint    TEXT,
    started       INTEGER,
    ended         INTEGER,
    warnings      TEXT NOT NULL DEFAULT '[]', -- JSON array
    extra         TEXT NOT NULL DEFAULT '{}', -- JSON: command-specific result fields (prune's "removed")
    PRIMARY KEY (run, host)
  ) STRICT;
  CREATE TABLE steps (
    run     TEXT NOT NULL,
    host    TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    step    TEXT NOT NULL,
    status  TEXT NOT NULL CHECK (status IN ('running', 'ok', 'fail', 'skip')),
    started INTEGER NOT NULL,
    ended   INTEGER,
    code    TEXT,
    message TEXT,                          -- excerpt, at most 4 KiB
    PRIMARY KEY (run, host, seq),
    FOREIGN KEY (run, host) REFERENCES run_hosts (run, host) ON DELETE CASCADE
  ) STRICT;
  CREATE TABLE events (
    run     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    at      INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    payload TEXT NOT NULL,                 -- JSON, secrets redacted, long strings excerpted
    PRIMARY KEY (run, seq)
  ) STRICT;
  CREATE TRIGGER events_append_only BEFORE UPDATE ON events
  BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
  END;
  `,
  // 2: indexes for `history` (newest first) and for finding the hosts a run left unfinished (resume)
  `
  CREATE INDEX runs_by_started ON runs (started DESC, id DESC);
  CREATE INDEX run_hosts_by_status ON run_hosts (run, status);
  `,
  // 3: repository campaigns (`repos bump --push`, `repos status`): one row per campaign, one per repo in it.
  // Remote URLs are stored without credentials; tokens are never stored.
  `
  CREATE TABLE campaigns (
    name    TEXT PRIMARY KEY,
    created INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    target  TEXT,
    branch  TEXT NOT NULL
  ) STRICT;
  CREATE TABLE campaign_repos (
    campaign      TEXT NOT NULL REFERENCES campaigns (name) ON DELETE CASCADE,
    repo          TEXT NOT NULL,           -- the clone URL or local path the campaign was given
    ord           INTEGER NOT NULL,
    path          TEXT NOT NULL,           -- the checkout worked on
    branch        TEXT NOT NULL,
    base          TEXT,                    -- the PR/MR target branch
    commit_sha    TEXT,                    -- the pushed branch tip
    remote        TEXT,                    -- push URL, credentials stripped
    push          TEXT,                    -- pushed, force-pushed, up-to-date (null: not pushed)
    forge         TEXT CHECK (forge IN ('github', 'gitlab')),
    forge_api     TEXT,
    project       TEXT,                    -- owner/repo or the GitLab namespace path
    pr_number     INTEGER,
    pr_url        TEXT,
    pr_state      TEXT CHECK (pr_state IN ('open', 'draft', 'merged', 'closed')),
    ci_state      TEXT CHECK (ci_state IN ('success', 'failure', 'pending', 'none')),
    error_code    TEXT,
    error_message TEXT,
    updated       INTEGER NOT NULL,
    PRIMARY KEY (campaign, repo)
  ) STRICT;
  `,
  // 4: the controller's working directory, so `resume` reads relative paths of the command line (-i fleet.yml)
  // as the run did. NULL for runs recorded before it.
  `
  ALTER TABLE runs ADD COLUMN cwd TEXT;
  `,
  // 5: `gofleet serve` (issue 13): dashboard API tokens, kept only as the SHA-256 of the token (hex), and the audit
  // trail of what people did (token created or revoked, a paused rollout approved or stopped): append-only.
  `
  CREATE TABLE serve_tokens (
    name    TEXT PRIMARY KEY,
    sha256  TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    created INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE audit (
    seq    INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,
    actor  TEXT NOT NULL,                  -- a token's name, "local", or the OS user for CLI actions
    source TEXT NOT NULL,                  -- the request's remote address, or "cli"
    action TEXT NOT NULL,                  -- approve, stop, token-create, token-revoke, ...
    run    TEXT,
    wave   INTEGER,
    detail TEXT NOT NULL DEFAULT '{}'      -- JSON, never a secret
  ) STRICT;
  CREATE INDEX audit_by_run ON audit (run, seq);
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
  END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
  END;
  `,
];

/** The schema version a database is at. */
export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Bring `db` to the latest version in one IMMEDIATE transaction (two processes opening a fresh file at once
 * do not both migrate). A database newer than this build is refused: an old gofleet must not write it.
 */
export function migrate(db: Database, where: string, migrations: readonly string[] = MIGRATIONS): void {
  db.transaction(() => {
    const current = schemaVersion(db);
    if (current > migrations.length) {
      throw new GofleetError(
        'STATE_TOO_NEW',
        `${where}: the run journal is at schema version ${current}, but this gofleet knows only versions up to ${migrations.length}`,
      );
    }
    for (let v = current; v < migrations.length; v++) {
      db.exec(migrations[v] ?? '');
      db.pragma(`user_version = ${v + 1}`);
    }
  }).immediate();
}
