// DOM and formatting helpers shared by the dashboard pages. Text always goes in as text nodes (never innerHTML),
// so host names, messages and versions are shown, never parsed.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** h('a', {href: '/x', class: 'y', onclick: fn}, 'text', child) */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  append(el, children);
  return el;
}

export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setProps(el, attrs);
  append(el, children);
  return el;
}

function setProps(el, props) {
  for (const [k, v] of Object.entries(props)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.setAttribute('class', v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

/** Replace everything in `el` with `children`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

const ICONS = {
  compliant: '✓', behind: '↓', ahead: '↑', off_pin: '≠', misconfigured: '!', unknown: '?', unassigned: '–',
  upgraded: '✓', switched: '⇄', pruned: '−', unchanged: '=', failed: '✗', rolled_back: '↺', unreachable: '⊘', skipped: '–',
  running: '◌', pending: '·', paused: '❚❚', done: '✓', interrupted: '■',
};

/** A status word with its colour and icon (classes st-* in app.css, as the HTML report). */
export function badge(status, label = status.replace('_', ' ')) {
  return h('span', { class: `badge st-${status}` }, h('span', { class: 'ic', 'aria-hidden': 'true' }, ICONS[status] ?? '◌'), label);
}

/** "3 min ago", "2 h ago", "5 d ago"; "in 2 h" for the future. */
export function ago(iso, now = Date.now()) {
  if (!iso) return 'never';
  const ms = now - Date.parse(iso);
  const future = ms < 0;
  const s = Math.abs(ms) / 1000;
  const words = s < 60 ? `${Math.round(s)} s` : s < 3600 ? `${Math.round(s / 60)} min` : s < 86400 ? `${Math.round(s / 3600)} h` : `${Math.round(s / 86400)} d`;
  return future ? `in ${words}` : `${words} ago`;
}

/** 2026-12-03 09:15 UTC */
export function utc(iso) {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '–';
}

/** eta 45s, 2m10s, 1h05m — as the console's status line (src/report/eta.ts formatEta). */
export function formatEta(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  if (total < 60) return `${total}s`;
  if (total < 3600) return `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`;
  return `${Math.floor(total / 3600)}h${String(Math.floor((total % 3600) / 60)).padStart(2, '0')}m`;
}

export function plural(n, one, many = `${one}s`) {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}
