// The fleet's active versions as horizontal bars (inline SVG, drawn from data; no library): one row per version,
// most hosts first, green where a channel wants that version. Clicking a row filters the table by it.

import { svg } from './dom.js';

const ROW = 26;
const LABEL = 150;
const COUNT = 70;
const MAX_ROWS = 12;

export function versionChart(tally, { width = 900, selected = '', onSelect = () => {} } = {}) {
  const rows = tally.slice(0, MAX_ROWS);
  const rest = tally.slice(MAX_ROWS).reduce((n, r) => n + r.count, 0);
  const max = Math.max(1, ...rows.map((r) => r.count));
  const barW = width - LABEL - COUNT;
  const height = rows.length * ROW + (rest ? ROW : 0) + 4;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'hosts per active Go version' });
  rows.forEach((r, i) => {
    const y = i * ROW;
    const w = Math.max(2, Math.round((r.count / max) * barW));
    const g = svg('g', { class: `row${r.version === selected ? ' on' : ''}`, 'data-version': r.version, tabindex: '0', role: 'button', 'aria-label': `${r.version}: ${r.count} hosts` },
      svg('rect', { class: 'bg', x: 0, y, width, height: ROW, fill: 'transparent' }),
      svg('text', { class: 'v', x: LABEL - 10, y: y + 17, 'text-anchor': 'end' }, r.version),
      svg('rect', { class: `bar${r.wanted ? ' wanted' : ''}`, x: LABEL, y: y + 5, width: w, height: ROW - 10, rx: 3 }),
      svg('text', { class: 'n', x: LABEL + w + 8, y: y + 17 }, r.count.toLocaleString('en')));
    const pick = () => onSelect(r.version === selected ? '' : r.version);
    g.addEventListener('click', pick);
    g.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), pick()));
    chart.append(g);
  });
  if (rest) chart.append(svg('text', { class: 'n', x: LABEL, y: rows.length * ROW + 17 }, `+ ${tally.length - MAX_ROWS} more versions on ${rest} hosts`));
  return chart;
}
