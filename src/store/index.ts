// The run journal: who ran what, when, and what happened on each host, step by step; survives a crash.

export { openStore, BUSY_TIMEOUT_MS } from './open-store.ts';
export { defaultStatePath } from './state-path.ts';
export { MIGRATIONS } from './migrations.ts';
export { isFinalStatus, FINAL_STATUSES } from './final-status.ts';
export { isAbandoned, thisMachine, type ControllerProbe } from './abandoned-run.ts';
export type {
  JournalEvent,
  RecorderOptions,
  RunAuditEntry,
  RunMeta,
  RunStatus,
  RunSummary,
  Store,
  StoredHost,
  StoredRun,
  StoredStep,
  UnfinishedHost,
  WriteGuard,
} from './types.ts';
export { openCampaignStore } from './campaign-store.ts';
export type { Campaign, CampaignCiState, CampaignPrState, CampaignRepo, CampaignRepoState, CampaignStore } from './campaign-types.ts';
export { openServeStore } from './serve-store.ts';
export type { AuditEntry, NewAuditEntry, ServeStore, StoredToken } from './serve-store.ts';
export { checkJournalSpec, isPostgresUrl, journalName, openJournal } from './open-journal.ts';
