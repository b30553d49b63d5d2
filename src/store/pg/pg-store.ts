// The run journal on PostgreSQL (issue 14): the same Store as the SQLite file, shared by a coordinator and its
// workers. Placeholder until the store lands: says so plainly instead of pretending.

import { GofleetError } from '../../errors.ts';
import type { OpenStoreOptions } from '../open-store.ts';
import type { Store } from '../types.ts';

export async function openPgStore(url: string, _options: OpenStoreOptions = {}): Promise<Store> {
  void _options;
  throw new GofleetError('STATE_UNAVAILABLE', `${url.replace(/\/\/[^@/]*@/, '//')}: a journal on PostgreSQL is not available in this build`);
}
