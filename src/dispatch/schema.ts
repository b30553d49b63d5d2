// The dispatch tables on PostgreSQL (issue 14), migrated by store/pg/pg-migrate.ts as component 'dispatch':
// host_jobs holds each (run, host) job's state machine queued -> leased -> done, the lease (worker, token,
// lease_until) and the result; host_job_tokens hands out fencing tokens, increasing across all hosts and runs.
// Times are ms since the epoch on the database's clock (NOW_MS), so workers' clocks never decide a lease.

export const DISPATCH_COMPONENT = 'dispatch';

export const DISPATCH_MIGRATIONS: readonly string[] = [
  `CREATE SEQUENCE host_job_tokens;
   CREATE TABLE host_jobs (
     run TEXT NOT NULL,
     host TEXT NOT NULL,
     wave INTEGER NOT NULL,
     site TEXT,
     state TEXT NOT NULL CHECK (state IN ('queued', 'leased', 'done')),
     payload TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 1,
     worker TEXT,
     token BIGINT,
     lease_until BIGINT,
     result TEXT,
     queued_at BIGINT NOT NULL,
     job TEXT,
     PRIMARY KEY (run, host)
   );
   CREATE INDEX host_jobs_leased ON host_jobs (run, lease_until) WHERE state = 'leased';`,
];

/** The database's clock in ms since the epoch, as SQL. */
export const NOW_MS = `(extract(epoch from clock_timestamp()) * 1000)::bigint`;
