// What publishing a repo did (push, pull/merge request, or the error), as stored on a RepoResult.
// Its own file so types.ts can name it without importing publish-campaign.ts (which imports
// types.ts): no import circle (test/import-cycles.test.ts).
import type { ForgeTarget } from '../forges/forge-target.ts';
import type { PullRequestRef } from '../forges/forge-types.ts';

export type PushAction = 'pushed' | 'force-pushed' | 'up-to-date';

export interface PublishOutcome {
  /** push URL without credentials */
  remote: string | null;
  push: PushAction | null;
  base: string | null;
  forge: ForgeTarget | null;
  pr: PullRequestRef | null;
  error: { code: string; message: string; hint: string } | null;
}
