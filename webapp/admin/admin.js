// Parley admin: charts of this node's last 15 minutes, its rooms, and moderation.
// Everything comes from ./api/ with the token as a bearer header (never a cookie, so no
// other page can act with it); the token is kept in this tab's sessionStorage only.

const $ = (id) => document.getElementById(id);
const api = new URL('api/', document.baseURI);
const STATS_EVERY_MS = 2000;
const ROOMS_EVERY_MS = 5000;
const WINDOW_S = 15 * 60;

const charts = [
  { key: 'connections', canvas: $('chart-connections'), now: $('now-connections'), digits: 0 },
  { key: 'messages', canvas: $('chart-messages'), now: $('now-messages'), digits: 1 },
  { key: 'deliveries', canvas: $('chart-deliveries'), now: $('now-deliveries'), digits: 1 },
  { key: 'p99', canvas: $('chart-p99'), now: $('now-p99'), digits: 1 },
];
let timers = [];

function token() {
  return sessionStorage.getItem('parley-admin-token');
}

class Unauthorized extends Error {}

async function call(path, body) {
  const init = { headers: { Authorization: `Bearer ${token()}` }, cache: 'no-store' };
  if (body !== undefined) {
    init.method = 'POST';
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(new URL(path, api), init);
  if (response.status === 401) throw new Unauthorized();
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error || `HTTP ${response.status}`);
  return answer;
}

function setStatus(text, state) {
  $('status').textContent = text;
  $('status').dataset.state = state || '';
}

// ---- signing in ----

function showSignIn(message) {
  timers.forEach(clearInterval);
  timers = [];
  $('dashboard').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').hidden = !message;
  $('sign-in-error').textContent = message || '';
  setStatus('Not signed in');
  $('token').focus();
}

async function signIn() {
  try {
    await refresh();
  } catch (e) {
    sessionStorage.removeItem('parley-admin-token');
    showSignIn(e instanceof Unauthorized ? 'That token is not this node\'s.' : `Cannot reach the node: ${e.message}`);
    return;
  }
  $('sign-in').hidden = true;
  $('dashboard').hidden = false;
  $('sign-out').hidden = false;
  timers = [setInterval(() => poll(refreshStats), STATS_EVERY_MS),
    // not while a button waits for its confirmation: redrawing the table would disarm it
    setInterval(() => document.querySelector('[data-armed]') || poll(refreshRooms), ROOMS_EVERY_MS)];
}

async function poll(what) {
  try {
    await what();
  } catch (e) {
    if (e instanceof Unauthorized) showSignIn('The token was refused; sign in again.');
    else setStatus(`Cannot reach the node: ${e.message}`, 'error');
  }
}

async function refresh() {
  await refreshStats();
  await refreshRooms();
}

// ---- charts ----

async function refreshStats() {
  const stats = await call('stats');
  for (const chart of charts) draw(chart, stats.t, stats[chart.key]);
  setStatus(`Updated ${new Date().toLocaleTimeString()}`, 'ok');
}

function draw(chart, times, values) {
  const canvas = chart.canvas;
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || canvas.width;
  const height = canvas.clientHeight || canvas.height;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  const style = getComputedStyle(document.documentElement);
  const color = (name) => style.getPropertyValue(name).trim();

  const last = values.length ? values[values.length - 1] : null;
  chart.now.textContent = last === null || last === undefined ? '–' : last.toFixed(chart.digits);

  const left = 44, right = 8, top = 8, bottom = 20;
  const plotW = width - left - right, plotH = height - top - bottom;
  const end = times.length ? times[times.length - 1] : Math.floor(Date.now() / 1000);
  const start = end - WINDOW_S;
  const max = niceMax(Math.max(0, ...values.filter((v) => v !== null)));
  const x = (t) => left + ((t - start) / WINDOW_S) * plotW;
  const y = (v) => top + plotH - (v / max) * plotH;

  g.clearRect(0, 0, width, height);
  g.font = '11px system-ui, sans-serif';
  g.lineWidth = 1;
  g.strokeStyle = color('--grid');
  g.fillStyle = color('--muted');
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  for (let i = 0; i <= 4; i++) { // value grid and labels
    const v = (max / 4) * i;
    g.beginPath();
    g.moveTo(left, Math.round(y(v)) + 0.5);
    g.lineTo(left + plotW, Math.round(y(v)) + 0.5);
    g.stroke();
    g.fillText(label(v), left - 6, y(v));
  }
  g.textAlign = 'center';
  g.textBaseline = 'top';
  for (const minutes of [15, 10, 5, 0]) { // time labels
    g.fillText(minutes === 0 ? 'now' : `−${minutes} min`, Math.min(left + plotW - 12, Math.max(left + 16, x(end - minutes * 60))), top + plotH + 5);
  }

  g.strokeStyle = color('--accent');
  g.lineWidth = 2;
  g.lineJoin = 'round';
  g.fillStyle = color('--accent');
  g.beginPath();
  const shown = (i) => i >= 0 && i < times.length && values[i] !== null && times[i] >= start;
  for (let i = 0; i < times.length; i++) {
    if (!shown(i)) continue; // no messages that second: a gap in the latency line
    const px = x(times[i]), py = y(values[i]);
    if (shown(i - 1)) {
      g.lineTo(px, py);
    } else {
      g.moveTo(px, py);
      if (!shown(i + 1)) g.fillRect(px - 1.5, py - 1.5, 3, 3); // a second alone: a dot
    }
  }
  g.stroke();
}

function niceMax(value) {
  if (value <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 4, 6, 8, 10]) if (value <= m * step) return m * step; // quarters stay round
  return 10 * step;
}

function label(value) {
  if (value >= 1e6) return `${+(value / 1e6).toFixed(1)}M`;
  if (value >= 1e3) return `${+(value / 1e3).toFixed(1)}k`;
  return `${+value.toFixed(value < 10 && value % 1 ? 2 : 0)}`; // quarters of 1 read 0.25, not 0.3
}

// ---- rooms and moderation ----

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function button(text, className, onClick, label) {
  const b = el('button', `btn btn-small ${className}`, text);
  b.type = 'button';
  if (label) b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
}

// A button for what cannot be undone: the first click arms it ("Confirm …"), a second
// within a few seconds acts. No modal dialog, and no action by a stray click.
function dangerous(text, label, onConfirm) {
  const b = button(text, 'btn-danger', () => {
    if (b.dataset.armed) {
      delete b.dataset.armed;
      onConfirm();
      return;
    }
    b.dataset.armed = 'yes';
    b.textContent = `Confirm ${text.toLowerCase()}`;
    b.setAttribute('aria-label', `Confirm: ${label}`);
    setTimeout(() => {
      delete b.dataset.armed;
      b.textContent = text;
      b.setAttribute('aria-label', label);
    }, 4000);
  }, label);
  return b;
}

async function refreshRooms() {
  const { rooms, closed, store, webhooks } = await call('rooms');
  $('store').textContent = `History: ${store}`;
  $('webhooks').hidden = !webhooks;
  if (webhooks) {
    const most = Object.entries(webhooks.rooms).map(([name, events]) => `#${name} (${events})`).join(', ');
    $('webhooks').textContent = `Webhooks: ${webhooks.backlog} event(s) waiting for the receiver`
      + (most ? `, most in ${most}` : '') + (webhooks.sending ? '; this node sends them.' : '; another node sends them.');
  }
  const body = $('rooms').tBodies[0];
  body.replaceChildren(...rooms.map((room) => {
    const members = el('ul', 'members');
    for (const user of room.members) {
      const chip = el('li', 'member');
      chip.append(el('span', '', user), dangerous('Disconnect', `Disconnect ${user}`,
        () => act('disconnect', { room: room.name, user })));
      members.append(chip);
    }
    const row = el('tr');
    row.dataset.room = room.name;
    const cell = el('td', 'members-cell');
    cell.append(members);
    const actions = el('td', 'actions');
    actions.append(dangerous('Close room', `Close #${room.name}: disconnect everyone, refuse joins until reopened`,
      () => act('close-room', { room: room.name })));
    row.append(el('td', 'room', `#${room.name}`), cell, actions);
    return row;
  }));
  $('rooms').hidden = rooms.length === 0;
  $('rooms-empty').hidden = rooms.length > 0;
  $('closed').replaceChildren(...closed.map((name) => {
    const item = el('li');
    item.append(el('span', '', `#${name}`), button('Reopen', 'btn-quiet', () => act('reopen-room', { room: name })));
    return item;
  }));
  $('closed-empty').hidden = closed.length > 0;
}

async function act(action, request) {
  try {
    const answer = await call(action, request);
    $('action-result').textContent = action === 'disconnect' ? `Disconnected ${answer.disconnected} (${answer.on}).`
      : action === 'close-room' ? `Closed #${answer.closed}: ${answer.connections} connection(s) closed here.`
      : `Reopened #${answer.reopened}.`;
    await refreshRooms();
  } catch (e) {
    if (e instanceof Unauthorized) showSignIn('The token was refused; sign in again.');
    else $('action-result').textContent = `Not done: ${e.message}`;
  }
}

// ---- start ----

$('sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = $('token').value.trim();
  if (!value) return;
  sessionStorage.setItem('parley-admin-token', value);
  $('token').value = '';
  signIn();
});
$('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem('parley-admin-token');
  showSignIn();
});
window.addEventListener('resize', () => poll(refreshStats));

if (token()) signIn();
else showSignIn();
