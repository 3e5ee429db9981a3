// warden's web page: the service list and a service page, refreshed by polling the JSON
// status. Plain ES module, no build step. Actions are POSTs with the CSRF token the server
// put in the page (double-submit: the same value is in the `securitytoken` cookie).
const token = document.querySelector('meta[name="csrf-token"]').content;
const $ = (sel) => document.querySelector(sel);
const ACTIONS = ['start', 'stop', 'restart', 'monitor', 'unmonitor'];
let data;
let pollMs = 5000;

function esc(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function statusClass(s) {
  if (s.monitor === 'not monitored') return 'status-muted';
  return s.status === 'OK' ? 'status-ok' : 'status-bad';
}

function statusLabel(s) {
  if (s.monitor === 'not monitored') return 'Not monitored';
  if (s.monitor === 'initializing' && s.lastCheck === null) return 'Initializing';
  return s.status;
}

function monitorLabel(s) {
  return s.monitor === 'monitored' ? 'Monitored' : s.monitor === 'not monitored' ? 'Not monitored' : 'Initializing';
}

function ago(ms) {
  if (ms === null) return '–';
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.round(s / 60)} min ago` : new Date(ms).toLocaleString();
}

function values(s) {
  return Object.entries(s.observations)
    .filter(([, v]) => v !== null && v !== '' && typeof v !== 'object')
    .slice(0, 3)
    .map(([k, v]) => `${esc(k)}: ${esc(String(v).split('\n')[0].slice(0, 60))}`)
    .join(' · ');
}

function matches(s) {
  const q = $('#search').value.trim().toLowerCase();
  const g = $('#group').value;
  const st = $('#state').value;
  if (q && !s.name.toLowerCase().includes(q)) return false;
  if (g && !s.groups.includes(g)) return false;
  if (st === 'ok' && !(s.monitor !== 'not monitored' && s.status === 'OK')) return false;
  if (st === 'failing' && !(s.monitor !== 'not monitored' && s.status !== 'OK')) return false;
  if (st === 'unmonitored' && s.monitor !== 'not monitored') return false;
  return true;
}

function renderList() {
  const groups = [...new Set(data.services.flatMap((s) => s.groups))].sort();
  const sel = $('#group');
  const current = sel.value;
  sel.innerHTML = '<option value="">All groups</option>' + groups.map((g) => `<option${g === current ? ' selected' : ''}>${esc(g)}</option>`).join('');
  const shown = data.services.filter(matches);
  $('#services tbody').innerHTML = shown
    .map((s) => `<tr data-service="${esc(s.name)}"><td><a href="/${encodeURIComponent(s.name)}">${esc(s.name)}</a></td><td>${esc(s.type)}</td>` +
      `<td class="${statusClass(s)}">${esc(statusLabel(s))}</td><td>${monitorLabel(s)}</td><td class="wide">${ago(s.lastCheck)}</td><td class="wide values">${values(s)}</td></tr>`)
    .join('');
  const failing = data.services.filter((s) => s.monitor !== 'not monitored' && s.status !== 'OK').length;
  $('#counts').textContent = `${shown.length} of ${data.services.length} services · ${failing} failing`;
}

async function renderDetail(name) {
  const res = await fetch(`/api/services/${encodeURIComponent(name)}`, { credentials: 'same-origin' });
  if (!res.ok) {
    $('#detail-name').textContent = `There is no service named "${name}"`;
    return;
  }
  const s = await res.json();
  $('#detail-name').innerHTML = `${esc(s.name)} <small class="${statusClass(s)}">${esc(statusLabel(s))}</small>`;
  const readOnly = data?.viewer?.readOnly;
  $('#actions').innerHTML = ACTIONS.map((a) => `<button type="button" data-action="${a}"${readOnly ? ' disabled' : ''}>${a}</button>`).join('') +
    (readOnly ? '<span class="note">read-only access</span>' : '');
  const rows = [
    ['type', s.type], ['status', statusLabel(s)], ['monitoring status', monitorLabel(s)], ['monitoring mode', s.mode],
    ['on reboot', s.onreboot], ['groups', s.groups.join(', ') || '–'], ['last check', ago(s.lastCheck)],
    ['check duration', s.lastDurationMs === null ? '–' : `${s.lastDurationMs.toFixed(1)} ms`],
    ...Object.entries(s.observations).map(([k, v]) => [k, v]),
  ];
  $('#detail-status').innerHTML = rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('');
  $('#detail-rules tbody').innerHTML = s.rules
    .map((r, i) => `<tr><td>${r.line}</td><td>${esc(r.describe)}</td><td>${esc(r.action)}</td><td>${esc(s.rulesState?.[i] ?? '')}</td><td></td></tr>`)
    .join('');
  s.rules.forEach((r, i) => {
    const st = data.services.find((x) => x.name === s.name)?.rules?.[i];
    const row = $('#detail-rules tbody').children[i];
    if (st && row) {
      row.children[3].textContent = st.state;
      row.children[3].className = st.state === 'ok' ? 'status-ok' : st.state === 'init' || st.state === 'skipped' ? 'status-muted' : 'status-bad';
      row.children[4].textContent = st.message;
    }
  });
  $('#detail-events tbody').innerHTML = s.events
    .slice()
    .reverse()
    .map((e) => `<tr><td>${new Date(e.date).toLocaleString()}</td><td>${esc(e.text)}</td><td>${esc(e.description)}</td><td>${esc(e.actions.join(', '))}</td></tr>`)
    .join('') || '<tr><td colspan="4" class="status-muted">No events yet</td></tr>';
}

async function act(action, service) {
  const body = new URLSearchParams({ action, service, securitytoken: token });
  const res = await fetch('/_doaction', { method: 'POST', body, credentials: 'same-origin', redirect: 'manual' });
  if (res.status >= 400) alert(await res.text());
  setTimeout(refresh, 500);
}

function route() {
  const name = decodeURIComponent(location.pathname.slice(1));
  $('#list').hidden = name !== '';
  $('#detail').hidden = name === '';
  return name;
}

async function refresh() {
  try {
    const res = await fetch('/_status?format=json', { credentials: 'same-origin' });
    data = await res.json();
    pollMs = Math.max(2000, (data.warden.poll || 5) * 1000);
    $('#host').textContent = data.warden.host;
    $('#version').textContent = data.warden.version;
    $('#uptime').textContent = `up ${Math.floor(data.warden.uptime / 60)} min`;
    $('#live').className = '';
    const name = route();
    if (name) await renderDetail(name);
    else renderList();
  } catch {
    $('#live').className = 'stale';
  }
}

$('#filters').addEventListener('input', () => data && renderList());
$('#actions').addEventListener('click', (e) => {
  const b = e.target.closest('button[data-action]');
  if (b && !b.disabled) void act(b.dataset.action, route());
});
document.addEventListener('click', (e) => {
  const a = e.target.closest('a[href^="/"]');
  if (!a || a.href.includes('_status') || a.href.includes('metrics')) return;
  e.preventDefault();
  history.pushState(null, '', a.getAttribute('href'));
  void refresh();
});
window.addEventListener('popstate', () => void refresh());

async function loop() {
  for (;;) {
    await refresh();
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
void loop();
