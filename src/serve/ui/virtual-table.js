// A table that keeps only the rows in view (plus a margin) in the DOM, so 5,000 hosts scroll as smoothly as 50:
// rows have one fixed height, two spacer rows stand for the rest, and a scroll re-renders at most once a frame.

const OVERSCAN = 12;

/**
 * columns: [{key, label, cls, sort?: (a, b) => number}]; renderRow(item) -> <tr> with one <td> per column.
 * Returns {el, setRows(items), rendered()}.
 */
export function virtualTable({ columns, renderRow, rowHeight = 34, label }) {
  const body = document.createElement('tbody');
  const head = document.createElement('thead');
  const table = document.createElement('table');
  const colgroup = document.createElement('colgroup');
  const box = document.createElement('div');
  box.className = 'vt';
  box.tabIndex = 0;
  if (label) box.setAttribute('aria-label', label);
  for (const c of columns) {
    const col = document.createElement('col');
    col.className = `c-${c.key}`;
    colgroup.append(col);
  }
  let items = [];
  let sortKey = null;
  let sortDir = 1;
  let sorted = [];
  const headRow = document.createElement('tr');
  for (const c of columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    if (c.cls) th.className = c.cls;
    if (c.sort) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = c.label;
      b.addEventListener('click', () => {
        sortDir = sortKey === c.key ? -sortDir : 1;
        sortKey = c.key;
        for (const other of headRow.children) other.removeAttribute('aria-sort');
        th.setAttribute('aria-sort', sortDir > 0 ? 'ascending' : 'descending');
        resort();
      });
      th.append(b);
    } else th.textContent = c.label;
    headRow.append(th);
  }
  head.append(headRow);
  table.append(colgroup, head, body);
  box.append(table);

  const spacer = () => {
    const tr = document.createElement('tr');
    tr.className = 'spacer';
    const td = document.createElement('td');
    td.colSpan = columns.length;
    tr.append(td);
    return tr;
  };
  const top = spacer();
  const bottom = spacer();
  let frame = 0;
  let shown = [-1, -1];

  function render(force = false) {
    frame = 0;
    const headH = head.offsetHeight || rowHeight;
    const view = box.clientHeight || 600;
    const first = Math.max(0, Math.floor((box.scrollTop - headH) / rowHeight) - OVERSCAN);
    const last = Math.min(sorted.length, Math.ceil((box.scrollTop + view) / rowHeight) + OVERSCAN);
    if (!force && first === shown[0] && last === shown[1]) return;
    shown = [first, last];
    top.firstChild.style.height = `${first * rowHeight}px`;
    bottom.firstChild.style.height = `${(sorted.length - last) * rowHeight}px`;
    const rows = [];
    for (let i = first; i < last; i++) {
      const tr = renderRow(sorted[i]);
      tr.classList.add('row');
      rows.push(tr);
    }
    body.replaceChildren(top, ...rows, bottom);
  }
  function resort() {
    const col = columns.find((c) => c.key === sortKey);
    sorted = col?.sort ? [...items].sort((a, b) => sortDir * col.sort(a, b)) : items;
    render(true);
  }
  box.addEventListener('scroll', () => {
    if (!frame) frame = requestAnimationFrame(() => render());
  }, { passive: true });
  new ResizeObserver(() => render(true)).observe(box);

  return {
    el: box,
    setRows(next) {
      items = next;
      if (box.scrollTop > next.length * rowHeight) box.scrollTop = 0;
      resort();
    },
    rendered: () => body.querySelectorAll('tr.row').length,
  };
}
