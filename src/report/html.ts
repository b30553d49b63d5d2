// The HTML report: one self-contained page (inline CSS, no scripts, nothing fetched — the page's own
// Content-Security-Policy forbids it) for a recorded run, made from the `show RUN --json` document.
// Deterministic: the same run gives the same bytes. Size is linear in hosts and steps.

import { archivesHtml } from './html-archives.ts';
import { escapeHtml } from './html-escape.ts';
import { hostsHtml } from './html-hosts.ts';
import type { HtmlRun } from './html-input.ts';
import { REPORT_CSS } from './html-style.ts';
import { summaryHtml } from './html-summary.ts';
import { timelineHtml } from './html-timeline.ts';

export type { HtmlHost, HtmlRun, HtmlStep } from './html-input.ts';
export { wavesFromEvents, withWaves } from './html-waves.ts';

/** No network, no scripts, no frames, no forms sent anywhere: styles (inline) and data: images only. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'";

export function htmlReport(run: HtmlRun): string {
  const title = ['gofleet', run.command, run.target, `run ${run.run}`].filter(Boolean).join(' ');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="gofleet">',
    '<meta name="color-scheme" content="light">',
    `<title>${escapeHtml(title)}</title>`,
    '<link rel="icon" href="data:,">',
    `<style>\n${REPORT_CSS}\n</style>`,
    '</head>',
    '<body>',
    summaryHtml(run),
    timelineHtml(run),
    archivesHtml(run),
    hostsHtml(run),
    '<footer>Rendered by gofleet from its run journal. Times are UTC.</footer>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
