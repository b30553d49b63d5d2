// The report's "Archives" section: where each file the run fetched came from, who vouched for its hash, and
// which sources were passed over, the module zip's h1: when it was one (the show document's `archives`). Empty
// when the run fetched nothing.

import { escapeHtml } from './html-escape.ts';
import type { HtmlRun } from './html-input.ts';

export function archivesHtml(run: HtmlRun): string {
  const archives = run.archives ?? [];
  if (archives.length === 0) return '';
  const items = archives.map((a) => {
    const failover = a.failover?.length ? `; failover: ${a.failover.map((s) => `${s.source} (${s.code}: ${s.message})`).join(', ')}` : '';
    const warnings = (a.warnings ?? []).map((w) => `; warning: ${w}`).join('');
    const h1 = typeof a.h1 === 'string' ? `, module zip <code>${escapeHtml(a.h1)}</code>` : '';
    return `<li><code>${escapeHtml(a.filename)}</code> from ${escapeHtml(a.source)}, vouched by ${escapeHtml(a.authority)}${h1}${escapeHtml(failover + warnings)}</li>`;
  });
  return ['<section class="archives" aria-labelledby="archives-h">', '<h2 id="archives-h">Archives</h2>', '<ul>', ...items, '</ul>', '</section>'].join('\n');
}
