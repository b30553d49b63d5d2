// Which pg-boss queue carries a site's jobs: one queue per site, so a worker started with --site NAME is only ever
// handed hosts of that site (reached from inside it), and a worker without --site only hosts without one.

export const NO_SITE_QUEUE = 'gofleet-hosts';

export function queueName(site: string | null): string {
  return site === null ? NO_SITE_QUEUE : `${NO_SITE_QUEUE}.site.${site}`;
}

/** What a queue's job carries: only the key; the payload is read from host_jobs when the lease is taken. */
export interface JobKey {
  run: string;
  host: string;
}

export function isJobKey(data: unknown): data is JobKey {
  const d = data as Partial<JobKey> | null;
  return typeof d === 'object' && d !== null && typeof d.run === 'string' && typeof d.host === 'string';
}
