// The dashboard's calls to its server: JSON reads, actions sent with the session's CSRF token (from the page's
// <meta name="gofleet-csrf">) and credentials kept to the same origin, and the live event stream.

const csrf = () => document.querySelector('meta[name="gofleet-csrf"]')?.getAttribute('content') ?? '';

export async function getJson(path) {
  const res = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (res.status === 401) location.reload();
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return res.json();
}

/** POST a JSON body; resolves to {ok, status, body}. */
export async function post(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf() },
    body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  return { ok: res.ok, status: res.status, body: json };
}

/** Live events (server-sent); `onEvent(e)` for each; EventSource reconnects by itself. Returns a stop function. */
export function live(onEvent, onState = () => {}) {
  const source = new EventSource('/api/events');
  source.onopen = () => onState('open');
  source.onerror = () => onState('reconnecting');
  source.onmessage = (m) => {
    try {
      onEvent(JSON.parse(m.data));
    } catch {
      // a malformed event is dropped; the next one or a reload puts the page right
    }
  };
  return () => source.close();
}

// Sign out is a POST like any other change: sent with the CSRF header, then back to the sign-in page.
document.getElementById('signout')?.addEventListener('submit', async (e) => {
  e.preventDefault();
  await fetch('/logout', { method: 'POST', credentials: 'same-origin', headers: { 'x-csrf-token': csrf() } });
  location.assign('/login');
});
