// Parley browser client: one WebSocket per room, protocol v1 (see PROTOCOL.md).
// Every string that comes from users or the server is rendered with textContent.

const ROOM_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const MAX_TEXT = 4000;               // code points
const MAX_FRAME_BYTES = 16 * 1024;   // the server's default frame limit
const PAGE = 50;                     // history page size
const PING_MS = 25000;
const ROOMS_MS = 15000;
const TYPING_SEND_MS = 3000;
const TYPING_SHOW_MS = 4000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 15000;
const NAME_KEY = 'parley.name';
const REFRESH_LEAD_MS = 60000;       // a fresh token is fetched this long before the current one expires
const CLOSE_TEXT = {
  1000: 'The server closed the connection.',
  1001: 'The server is shutting down.',
  1006: 'The connection was lost.',
  1008: 'The server closed the connection (policy).',
  1009: 'A message was too large, so the server closed the connection.',
  1011: 'The server hit an unexpected error.',
  1013: 'The server is busy.',
};
// Codes whose sentence above already says what the server's reason would: 1001 "server shutting
// down", 1009 "frame too big", 1013 "try again later".
const SAYS_IT_ALL = new Set([1001, 1009, 1013]);
// Closes by an administrator (the admin view): the client does not reconnect after them.
const MODERATION_TEXT = {
  'removed by an administrator': 'An administrator removed you from this room.',
  'room closed': 'An administrator closed this room.',
};

const $ = (id) => document.getElementById(id);
const ui = {
  roomName: $('room-name'), status: $('status'), reconnectNow: $('reconnect-now'),
  me: $('me'), meName: $('me-name'), leave: $('leave'),
  sidebar: $('sidebar'), sidebarToggle: $('sidebar-toggle'),
  rooms: $('rooms'), roomsEmpty: $('rooms-empty'), roomForm: $('room-form'),
  roomInput: $('room-input'), roomError: $('room-error'),
  members: $('members'), memberCount: $('member-count'), notices: $('notices'),
  joinCard: $('join-card'), joinRoom: $('join-room'), joinForm: $('join-form'),
  nameInput: $('name-input'), nameError: $('name-error'), nameLabel: $('name-label'), joinSub: $('join-sub'),
  chatPane: $('chat-pane'), scroller: $('log-scroll'), loadOlder: $('load-older'),
  items: $('log-items'), outbox: $('log-outbox'), typing: $('typing'),
  composer: $('composer'), message: $('message-input'), hint: $('message-hint'),
  dmChip: $('dm-chip'), dmName: $('dm-name'), dmCancel: $('dm-cancel'),
};

const state = {
  room: 'lobby',
  name: '',            // the name we ask for; replaced by the server's form on welcome
  wanted: false,       // the user asked to be connected (Join pressed, not left)
  session: false,      // a welcome accepted our name: the chat pane is shown
  ws: null,
  joined: false,       // welcome received on the current socket
  roomJoined: false,   // welcomed in this room before: a new join is a reconnect with `since`
  fatal: false,        // the server refused us for good (bad room, not authorised)
  fatalText: '',
  maxSeq: 0,
  seqEls: new Map(),   // seq -> element in the log
  exhausted: false,    // no older history left on the server
  historyInFlight: false,
  attempts: 0,
  connects: 0,         // connect() calls so far: one that waited for a token gives way to a later one
  pinned: true,        // the log follows new messages (see following())
  reconnectAt: 0,
  ghostRetries: 0,
  timers: {},
  members: new Set(),
  typers: new Map(),   // user -> timeout id
  lastTypingSent: 0,
  dmTo: null,
  outboxes: new Map(), // room -> [{cid, kind, to, text, sent, el}], kept until ack or failure
};

// With identity on (config.json says so) the server names users by signed tokens: the page takes
// one from its fragment (#room&token=…, removed from the address bar at once) or fetches one from
// the operator's token URL with the browser's cookies, and fetches a fresh one before it expires.
const identity = {
  on: false,
  tokenUrl: null,
  token: null,         // the JWT the next join (or auth) sends
  exp: 0,              // its exp, in ms; 0 if it has none we can read
  timer: 0,
};

// ---------- small helpers ----------

function h(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function button(text, className, onClick) {
  const b = h('button', className, text);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

const codePoints = (s) => [...s].length;
// JS \s plus the few characters Java's isWhitespace adds.
const isBlank = (s) => /^[\s\u0085\u001c-\u001f]*$/.test(s);

function newCid() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function socketUrl(room) {
  const path = location.pathname;
  const base = path.slice(0, path.lastIndexOf('/'));   // '/parley/' -> '/parley', '/' -> ''
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${base}/chat/${room}`;
}

function timeEl(ts) {
  const t = h('time');
  const d = new Date(ts);
  if (!Number.isNaN(d.getTime())) {
    t.dateTime = ts;
    t.title = d.toLocaleString();
    t.textContent = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }
  return t;
}

function hue(name) {
  let n = 0;
  for (const ch of name) n = (n * 31 + ch.codePointAt(0)) % 360;
  return n;
}

function avatar(name, extra = '') {
  // The initial is drawn by CSS from data-initial so it stays out of the text content.
  const a = h('span', `avatar ${extra}`);
  a.dataset.initial = ([...name][0] || '?').toUpperCase();
  a.setAttribute('aria-hidden', 'true');
  a.style.setProperty('--hue', hue(name));
  return a;
}

function outboxFor(room) {
  if (!state.outboxes.has(room)) state.outboxes.set(room, []);
  return state.outboxes.get(room);
}

// ---------- connection ----------

function send(frame) {
  if (!state.ws || state.ws.readyState !== WebSocket.OPEN) return false;
  state.ws.send(JSON.stringify(frame));
  return true;
}

async function connect() {
  stopTimers();
  state.fatal = false;
  state.fatalText = '';
  setStatus('connecting');
  const attempt = ++state.connects;
  if (identity.on && identity.tokenUrl && (!identity.token || identity.exp - Date.now() < 30000)) {
    try {
      await fetchToken();
    } catch (e) {
      if (attempt !== state.connects) return;
      notice(`Cannot sign in: ${e.message}.`);
      if (state.wanted) scheduleReconnect(); else setStatus('offline');
      return;
    }
    if (attempt !== state.connects) return; // another connect (a room switch) took over meanwhile
    if (!state.wanted) { setStatus('offline'); return; }
  }
  let ws;
  try {
    ws = new WebSocket(socketUrl(state.room));
  } catch {
    setStatus('offline');
    notice('This page cannot open a chat connection from here.');
    return;
  }
  state.ws = ws;
  ws.onopen = () => {
    sendJoin();
    state.timers.ping = setInterval(() => send({ type: 'ping' }), PING_MS);
  };
  ws.onmessage = (ev) => onFrame(ev.data);
  ws.onclose = (ev) => onClose(ev);
}

function sendJoin() {
  const frame = identity.on ? { type: 'join', token: identity.token || '' } : { type: 'join', user: state.name };
  if (state.roomJoined) frame.since = state.maxSeq;
  send(frame);
}

// A close the user asked for (room switch, leave): detach first so onClose never sees it.
function closeSocket() {
  stopTimers();
  const ws = state.ws;
  state.ws = null;
  state.joined = false;
  if (!ws) return;
  ws.onopen = ws.onmessage = ws.onclose = null;
  if (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN) ws.close(1000);
}

function stopTimers() {
  clearInterval(state.timers.ping);
  clearInterval(state.timers.rooms);
  clearInterval(state.timers.countdown);
  clearTimeout(state.timers.reconnect);
  clearTimeout(state.timers.ghost);
  state.timers = {};
}

function onClose(ev) {
  const wasJoined = state.joined;
  state.ws = null;
  state.joined = false;
  state.historyInFlight = false;
  stopTimers();
  clearTypers();
  // A policy close before we ever got in (bad room, origin, auth) will not get better by retrying,
  // nor will one by an administrator (PROTOCOL.md, Parley's additions): say so, and stay out.
  if (ev.code === 1008 && !wasJoined) state.fatal = true;
  if (ev.code === 1008 && ev.reason === 'token expired' && !identity.tokenUrl) {
    state.fatal = true;
    state.fatalText = 'Your sign-in has expired: open the chat from your application again.';
  }
  if (ev.code === 1008 && MODERATION_TEXT[ev.reason]) {
    state.fatal = true;
    state.fatalText = MODERATION_TEXT[ev.reason];
  }
  if (ev.code === 1009) failOversized();
  for (const item of outboxFor(state.room)) item.el.querySelector('.state').textContent = 'waiting for the connection';
  // the reason only where it adds to the code's own sentence ("idle timeout", "flooding"), not where it repeats it
  const why = (CLOSE_TEXT[ev.code] || `The connection closed (code ${ev.code}).`)
    + (ev.reason && !SAYS_IT_ALL.has(ev.code) ? ` (${ev.reason})` : '');
  if (wasJoined || ev.code === 1008 || ev.code === 1009) sysLine(why);
  if (state.fatal) notice(`Cannot join #${state.room}: ${state.fatalText || ev.reason || why}`);
  if (state.fatal || !state.wanted) setStatus('offline');
  else scheduleReconnect();
  updateLoadOlder();
}

// Exponential backoff with full jitter: a random delay in [0, min(cap, base * 2^attempt)).
function scheduleReconnect() {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(state.attempts, 10));
  const delay = Math.random() * ceiling;
  state.attempts += 1;
  state.reconnectAt = Date.now() + delay;
  state.timers.reconnect = setTimeout(connect, delay);
  state.timers.countdown = setInterval(showCountdown, 250);
  showCountdown();
}

function showCountdown() {
  const s = Math.max(1, Math.ceil((state.reconnectAt - Date.now()) / 1000));
  setStatus('reconnecting', `Reconnecting in ${s} s`);
}

function reconnectNow() {
  if (state.timers.reconnect) connect();
}

function setStatus(kind, text) {
  const labels = { connecting: 'Connecting…', online: 'Online', offline: 'Offline' };
  const label = text || labels[kind];
  if (ui.status.textContent !== label) ui.status.textContent = label;
  ui.status.dataset.state = kind;
  ui.reconnectNow.hidden = kind !== 'reconnecting';
}

// ---------- incoming frames ----------

const handlers = {
  welcome: onWelcome, joined: onPresence, left: onPresence, message: onMessage,
  ack: onAck, direct: onDirect, typing: onTyping, history: onHistory,
  rooms: onRooms, error: onError, pong: () => {},
};

function onFrame(data) {
  let frame;
  try { frame = JSON.parse(data); } catch { return; }
  if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') return;
  const handler = handlers[frame.type];
  if (handler) handler(frame);      // unknown types are ignored (forward compatibility)
}

function onWelcome(f) {
  const reconnect = state.roomJoined;
  const history = Array.isArray(f.history) ? f.history : [];
  const newest = history.length ? history[history.length - 1].seq : 0;
  if (reconnect && !f.recovered && newest < state.maxSeq) forgetSeqs(history);
  const since = state.maxSeq;
  Object.assign(state, { joined: true, session: true, attempts: 0, ghostRetries: 0, name: f.user || state.name });
  localStorage.setItem(NAME_KEY, state.name);
  state.members = new Set(Array.isArray(f.users) ? f.users : [state.name]);
  renderMembers();
  if (reconnect) {
    // The line goes first so that the recovered messages follow it.
    const missed = history.filter((m) => !state.seqEls.has(m.seq)).length;
    sysLine(f.recovered ? `Reconnected — ${missed} missed message${missed === 1 ? '' : 's'} recovered`
      : 'Reconnected — some messages may be missing');
  } else {
    state.exhausted = history.length < PAGE;
  }
  claimInFlight(history, since);
  history.forEach(addMessage);
  state.roomJoined = true;
  setStatus('online');
  updateView();
  state.timers.rooms = setInterval(() => send({ type: 'rooms' }), ROOMS_MS);
  send({ type: 'rooms' });
  flushOutbox();
  scrollToBottom();
  scheduleRefresh();
  if (!reconnect) ui.message.focus();
}

function onPresence(f) {
  if (f.type === 'joined') state.members.add(f.user);
  else { state.members.delete(f.user); stopTyping(f.user); }
  renderMembers();
  sysLine(`${f.user} ${f.type}`, f.ts);
  send({ type: 'rooms' });
}

function onMessage(f) {
  const stick = following() || f.user === state.name;
  addMessage(f);
  if (stick) scrollToBottom();
}

// Adds a room message in seq order; a seq already shown is ignored unless its element is
// still the provisional (acked but not yet broadcast) copy of our own message.
function addMessage(m) {
  if (!Number.isInteger(m.seq)) return;
  const existing = state.seqEls.get(m.seq);
  if (existing && !existing.dataset.provisional) return;
  const el = messageEl(m.user, m.text, m.ts);
  el.dataset.seq = m.seq;
  if (existing) existing.replaceWith(el);
  else insertBySeq(el, m.seq);
  state.seqEls.set(m.seq, el);
  state.maxSeq = Math.max(state.maxSeq, m.seq);
  stopTyping(m.user);
  updateLoadOlder();
}

// The room's history started over (a server restart with a memory store), so seqs are reused:
// keep the old messages on screen but stop matching new seqs against them.
function forgetSeqs(history) {
  for (const el of state.seqEls.values()) delete el.dataset.seq;
  Object.assign(state, { seqEls: new Map(), maxSeq: 0, exhausted: history.length < PAGE });
}

function insertBySeq(el, seq) {
  let next = null;
  let nextSeq = Infinity;
  for (const [s, e] of state.seqEls) {
    if (s > seq && s < nextSeq) { next = e; nextSeq = s; }
  }
  ui.items.insertBefore(el, next);
}

function onAck(f) {
  const box = outboxFor(state.room);
  const item = box.find((i) => i.cid === f.cid);
  if (item && Number.isInteger(f.seq)) acknowledge(item, f.seq);
}

// The server stored our message as `seq`: move the pending element to its place in the log;
// it is swapped for the real message when the broadcast (or recovered history) arrives.
function acknowledge(item, seq) {
  removeFromOutbox(item);
  if (state.seqEls.has(seq)) { item.el.remove(); return; }
  item.el.classList.remove('pending');
  item.el.querySelector('.state').textContent = 'sent';
  item.el.dataset.provisional = '1';
  item.el.dataset.seq = seq;
  insertBySeq(item.el, seq);
  state.seqEls.set(seq, item.el);
}

function onDirect(f) {
  const stick = following();
  const el = messageEl(f.from, f.text, f.ts, f.to);
  const mine = f.from === state.name &&
    outboxFor(state.room).find((i) => i.kind === 'direct' && i.sent && i.to === f.to && i.text === f.text);
  if (mine) {
    removeFromOutbox(mine);
    mine.el.remove();
  }
  ui.items.append(el);
  stopTyping(f.from);
  if (stick || mine) scrollToBottom();
}

function onTyping(f) {
  if (f.user === state.name) return;
  clearTimeout(state.typers.get(f.user));
  state.typers.set(f.user, setTimeout(() => stopTyping(f.user), TYPING_SHOW_MS));
  renderTyping();
}

function onHistory(f) {
  const messages = Array.isArray(f.messages) ? f.messages : [];
  // Keep the visible messages where they are while older ones are prepended.
  const fromBottom = ui.scroller.scrollHeight - ui.scroller.scrollTop;
  messages.forEach(addMessage);
  ui.scroller.scrollTop = ui.scroller.scrollHeight - fromBottom;
  state.historyInFlight = false;
  if (messages.length < PAGE) state.exhausted = true;
  updateLoadOlder();
}

function onRooms(f) {
  const list = Array.isArray(f.rooms) ? f.rooms.slice() : [];
  if (!list.some((r) => r.room === state.room) && state.joined) {
    list.push({ room: state.room, count: state.members.size });
    list.sort((a, b) => (a.room < b.room ? -1 : 1));
  }
  ui.rooms.replaceChildren(...list.map(roomItem));
  ui.roomsEmpty.hidden = list.length > 0;
}

function onError(f) {
  const text = f.message || f.code || 'Something went wrong.';
  if (f.code === 'bad-name' || f.code === 'name-taken') { onNameError(f, text); return; }
  if (f.code === 'unauthorized' && f.cid && f.cid.startsWith('auth-')) return; // a refresh refused: the token in use goes on
  if (f.code === 'unauthorized' && state.joined && identity.tokenUrl) {
    // our token ran out before a fresh one came: the server closes, and the reconnect fetches one
    identity.token = null;
    return;
  }
  if (f.code === 'bad-room' || f.code === 'unauthorized') {
    // The server closes with 1008 next; onClose shows this text once.
    state.fatal = true;
    state.fatalText = text;
    return;
  }
  if (f.cid) failPending(f.cid, text);
  notice(text);
}

function onNameError(f, text) {
  // Right after a network drop the server may not have noticed our old socket yet.
  if (f.code === 'name-taken' && state.roomJoined && state.ghostRetries < 5) {
    state.ghostRetries += 1;
    state.timers.ghost = setTimeout(sendJoin, 1000 * state.ghostRetries);
    return;
  }
  // The socket stays open; the next Join sends `join` again on it.
  state.wanted = false;
  state.session = false;
  setStatus('offline');
  updateView();
  showFieldError(ui.nameError, text);
  ui.nameInput.focus();
  ui.nameInput.select();
}

// ---------- outgoing messages ----------

function onComposerSubmit(e) {
  e.preventDefault();
  const text = ui.message.value;
  ui.message.focus();
  if (isBlank(text) || !updateHint()) return;
  const item = { cid: newCid(), kind: state.dmTo ? 'direct' : 'message', to: state.dmTo, text, sent: false };
  item.el = pendingEl(item);
  outboxFor(state.room).push(item);
  ui.outbox.append(item.el);
  if (state.joined) transmit(item);
  state.lastTypingSent = 0;          // the others stop showing us typing when our message arrives
  ui.message.value = '';
  updateHint();
  autoGrow();
  scrollToBottom();
}

function transmit(item) {
  const frame = item.kind === 'direct'
    ? { type: 'direct', to: item.to, text: item.text, cid: item.cid }
    : { type: 'message', text: item.text, cid: item.cid };
  item.sent = send(frame);
  item.el.querySelector('.state').textContent = item.sent ? 'sending…' : 'waiting for the connection';
}

// After a welcome: show what is still queued for this room and send what has not gone out.
function flushOutbox() {
  for (const item of outboxFor(state.room)) {
    if (!item.el.isConnected) ui.outbox.append(item.el);
    if (!item.sent) transmit(item);
  }
}

// Messages sent just before a drop may have been stored without our seeing the ack.
// If a newer message of ours with the same text is in the welcome history, count it as acked;
// otherwise send it again (directs are never stored, so they are always resent).
function claimInFlight(history, since) {
  const claimed = new Set();
  for (const item of outboxFor(state.room).slice()) {
    if (!item.sent) continue;
    item.sent = false;
    if (item.kind !== 'message') continue;
    const m = history.find((x) => x.seq > since && x.user === state.name && x.text === item.text &&
      !claimed.has(x.seq) && !state.seqEls.has(x.seq));
    if (m) { claimed.add(m.seq); acknowledge(item, m.seq); }
  }
}

function removeFromOutbox(item) {
  for (const box of state.outboxes.values()) {
    const i = box.indexOf(item);
    if (i >= 0) box.splice(i, 1);
  }
}

function failPending(cid, reason) {
  const item = outboxFor(state.room).find((i) => i.cid === cid);
  if (!item) return;
  removeFromOutbox(item);
  item.el.classList.replace('pending', 'failed');
  item.el.querySelector('.state').textContent = `failed — ${reason}`;
  const actions = h('div', 'msg-actions');
  actions.append(
    button('Retry', 'btn btn-quiet btn-small', () => retry(item)),
    button('Discard', 'btn btn-quiet btn-small', () => item.el.remove()),
  );
  item.el.querySelector('.bubble').append(actions);
}

function retry(item) {
  const again = { ...item, cid: newCid(), sent: false };
  again.el = pendingEl(again);
  item.el.replaceWith(again.el);
  outboxFor(state.room).push(again);
  if (state.joined) transmit(again);
}

// 1009: the newest unacknowledged message is the likely culprit; stop it from looping.
function failOversized() {
  const sent = outboxFor(state.room).filter((i) => i.sent);
  if (sent.length) failPending(sent[sent.length - 1].cid, 'too large for the server');
}

function onComposerInput() {
  updateHint();
  autoGrow();
  // Typing goes to the whole room, so it is not sent while writing a direct message.
  if (!state.joined || state.dmTo || isBlank(ui.message.value)) return;
  const now = Date.now();
  if (now - state.lastTypingSent >= TYPING_SEND_MS) {
    state.lastTypingSent = now;
    send({ type: 'typing' });
  }
}

function onComposerKey(e) {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    ui.composer.requestSubmit();
  } else if (e.key === 'Escape' && state.dmTo) {
    setDirect(null);
  }
}

// Shows the length hint; returns false when the text cannot be sent as it is.
function updateHint() {
  const text = ui.message.value;
  const n = codePoints(text);
  let msg = '';
  let ok = true;
  if (n > MAX_TEXT) {
    msg = `${n.toLocaleString()} / ${MAX_TEXT.toLocaleString()} characters: shorten the message to send it.`;
    ok = false;
  } else if (frameBytes(text) > MAX_FRAME_BYTES) {
    msg = 'This message is too large to send. Try splitting it.';
    ok = false;
  } else if (n > MAX_TEXT - 400) {
    msg = `${n.toLocaleString()} / ${MAX_TEXT.toLocaleString()} characters`;
  }
  ui.hint.textContent = msg;
  ui.hint.hidden = !msg;
  ui.hint.classList.toggle('error', !ok);
  ui.message.setAttribute('aria-invalid', String(!ok));
  return ok;
}

// Size of the frame this text would travel in (JSON escaping can make it much larger than the text).
function frameBytes(text) {
  const frame = { type: 'direct', to: state.dmTo || '', text, cid: 'x'.repeat(24) };
  return new TextEncoder().encode(JSON.stringify(frame)).length;
}

function autoGrow() {
  ui.message.style.height = 'auto';
  ui.message.style.height = `${Math.min(ui.message.scrollHeight, 160)}px`;
}

function setDirect(name) {
  state.dmTo = name;
  ui.dmName.textContent = name || '';
  ui.dmChip.hidden = !name;
  ui.message.placeholder = name ? `Message ${name} privately…` : 'Write a message…';
  ui.message.focus();
}

function loadOlder() {
  const lowest = lowestSeq();
  if (!state.joined || state.historyInFlight || lowest <= 1) return;
  state.historyInFlight = true;
  send({ type: 'history', before: lowest, limit: PAGE });
  updateLoadOlder();
}

// ---------- rendering ----------

function messageEl(user, text, ts, to) {
  const el = h('div', user === state.name ? 'msg own' : 'msg');
  const bubble = h('div', 'bubble');
  const meta = h('div', 'meta');
  if (to) {
    el.classList.add('direct');
    meta.append(h('span', 'badge', 'Direct'), h('span', 'author', `${user} → ${to}`));
  } else {
    meta.append(h('span', 'author', user));
  }
  meta.append(' ', ts ? timeEl(ts) : h('span', 'state', 'waiting for the connection'));
  bubble.append(meta, h('p', 'text', text));
  el.append(avatar(user), bubble);
  return el;
}

function pendingEl(item) {
  const el = messageEl(state.name, item.text, null, item.to);
  el.classList.add('pending');
  return el;
}

function sysLine(text, ts) {
  const stick = following();
  const el = h('div', 'sys');
  el.append(h('span', '', text));
  if (ts) el.append(' ', timeEl(ts));
  ui.items.append(el);
  if (stick) scrollToBottom();
}

function notice(text) {
  const el = h('div', 'notice');
  el.setAttribute('role', 'alert');
  const close = button('×', 'notice-close', () => el.remove());
  close.setAttribute('aria-label', 'Dismiss');
  el.append(h('p', '', text), close);
  ui.notices.append(el);
  while (ui.notices.children.length > 3) ui.notices.firstElementChild.remove();
}

function showFieldError(el, text) {
  el.textContent = text || '';
  el.hidden = !text;
}

function renderMembers() {
  const names = [...state.members].sort();
  ui.members.replaceChildren(...names.map(memberItem));
  ui.memberCount.textContent = names.length ? String(names.length) : '';
}

function memberItem(name) {
  const li = h('li');
  if (name === state.name) {
    const label = h('span', 'member-name', `${name} `);
    label.append(h('span', 'you', '(you)'));
    const self = h('span', 'member self');
    self.append(avatar(name, 'small'), label);
    li.append(self);
  } else {
    const b = button('', 'member', () => { setDirect(name); closeSidebar(); });
    b.title = `Send ${name} a direct message`;
    b.append(avatar(name, 'small'), h('span', 'member-name', name));
    li.append(b);
  }
  return li;
}

function roomItem({ room, count }) {
  const li = h('li');
  const a = h('a', room === state.room ? 'room current' : 'room');
  a.href = `#${room}`;
  if (room === state.room) a.setAttribute('aria-current', 'page');
  a.append(h('span', 'room-label', `#${room}`), ' ', h('span', 'pill', String(count)));
  a.title = `${count} ${count === 1 ? 'person' : 'people'} here`;
  a.addEventListener('click', closeSidebar);
  li.append(a);
  return li;
}

function stopTyping(user) {
  if (!state.typers.has(user)) return;
  clearTimeout(state.typers.get(user));
  state.typers.delete(user);
  renderTyping();
}

function clearTypers() {
  for (const id of state.typers.values()) clearTimeout(id);
  state.typers.clear();
  renderTyping();
}

function renderTyping() {
  const names = [...state.typers.keys()].sort();
  let text = '';
  if (names.length === 1) text = `${names[0]} is typing…`;
  else if (names.length > 1) text = `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} are typing…`;
  ui.typing.textContent = text;
}

function lowestSeq() {
  let low = 0;
  for (const s of state.seqEls.keys()) if (!low || s < low) low = s;
  return low;
}

function updateLoadOlder() {
  const hadFocus = document.activeElement === ui.loadOlder;
  ui.loadOlder.hidden = state.exhausted || lowestSeq() <= 1;
  ui.loadOlder.disabled = state.historyInFlight || !state.joined;
  ui.loadOlder.textContent = state.historyInFlight ? 'Loading…' : 'Load older';
  if (hadFocus && ui.loadOlder.hidden) ui.scroller.focus();
}

// Whether the log follows new messages: true while the reader is at (or near) the bottom. Kept as
// state, set only when the reader scrolls, because a resize reflows the log (narrower is taller)
// without the reader having moved: then the log is brought back to the bottom.
function following() {
  return state.pinned;
}

function atBottom() {
  const s = ui.scroller;
  return s.scrollHeight - s.scrollTop - s.clientHeight < 80;
}

function followAfterResize() {
  if (state.pinned) scrollToBottom();
}

function scrollToBottom() {
  ui.scroller.scrollTop = ui.scroller.scrollHeight;
}

function updateView() {
  ui.joinCard.hidden = state.session;
  ui.chatPane.hidden = !state.session;
  ui.roomForm.hidden = !state.session;
  ui.me.hidden = !state.session;
  ui.meName.textContent = !state.session ? '' : identity.on ? `Signed in as ${state.name}` : state.name;
  ui.roomName.textContent = state.room;
  ui.joinRoom.textContent = `#${state.room}`;
  document.title = `#${state.room} · Parley`;
  if (!state.session) { ui.rooms.replaceChildren(); ui.roomsEmpty.hidden = false; }
  updateLoadOlder();
}

// ---------- rooms, join, leave ----------

function resetRoom() {
  ui.items.replaceChildren();
  ui.outbox.replaceChildren();
  clearTypers();
  Object.assign(state, {
    seqEls: new Map(), maxSeq: 0, roomJoined: false, exhausted: false,
    historyInFlight: false, members: new Set(), attempts: 0, pinned: true,
  });
  setDirect(null);
  renderMembers();
}

function switchRoom(room) {
  closeSocket();
  state.room = room;
  resetRoom();
  for (const a of ui.rooms.querySelectorAll('a')) {
    const current = a.getAttribute('href') === `#${room}`;
    a.classList.toggle('current', current);
    if (current) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  updateView();
  if (state.wanted) connect();
  else setStatus('offline');
}

// The fragment: the room, and with identity perhaps a token: #room, #room&token=…, #token=….
function fragment() {
  let room = '';
  let token = null;
  for (const part of location.hash.slice(1).split('&')) {
    if (part.startsWith('token=')) token = part.slice(6);
    else if (part && !room) {
      try { room = decodeURIComponent(part); } catch { room = '\u0000'; } // not a valid room
    }
  }
  return { room: room || 'lobby', token };
}

function roomFromHash() {
  return fragment().room;
}

function onHashChange() {
  const { room, token } = fragment();
  if (token) { takeToken(token); history.replaceState(null, '', `#${room}`); }
  if (room === state.room) return;
  if (!ROOM_RE.test(room)) {
    notice('Room names use a–z, 0–9, "_" and "-" (up to 64 characters, starting with a letter or digit).');
    history.replaceState(null, '', `#${state.room}`);
    return;
  }
  switchRoom(room);
}

function onRoomSubmit(e) {
  e.preventDefault();
  const room = ui.roomInput.value.trim().replace(/^#/, '').toLowerCase();
  if (!ROOM_RE.test(room)) {
    showFieldError(ui.roomError, 'Use a–z, 0–9, "_" and "-", up to 64 characters.');
    ui.roomInput.focus();
    return;
  }
  showFieldError(ui.roomError, '');
  ui.roomInput.value = '';
  closeSidebar();
  location.hash = room;            // hashchange does the switch
  ui.message.focus();
}

function nameProblem(name) {
  if (!name) return 'Enter a name.';
  if (codePoints(name) > 32) return 'Names can be at most 32 characters.';
  if (/\p{Cc}/u.test(name)) return 'Names cannot contain control characters.';
  return '';
}

function onJoinSubmit(e) {
  e.preventDefault();
  if (identity.on) {
    state.wanted = true;
    const ws = state.ws;
    if (ws && ws.readyState === WebSocket.OPEN && !state.joined) { setStatus('connecting'); sendJoin(); }
    else if (!ws || ws.readyState > WebSocket.OPEN) connect();
    return;
  }
  const name = ui.nameInput.value.trim();
  const problem = nameProblem(name);
  showFieldError(ui.nameError, problem);
  if (problem) { ui.nameInput.focus(); return; }
  state.name = name;
  state.wanted = true;
  localStorage.setItem(NAME_KEY, name);
  const ws = state.ws;
  if (ws && ws.readyState === WebSocket.OPEN && !state.joined) { setStatus('connecting'); sendJoin(); }
  else if (!ws || ws.readyState > WebSocket.OPEN) connect();
}

function leave() {
  clearTimeout(identity.timer);
  state.wanted = false;
  state.session = false;
  closeSocket();
  resetRoom();
  setStatus('offline');
  updateView();
  ui.nameInput.value = state.name;
  ui.nameInput.focus();
}

// ---------- identity ----------

function takeToken(token) {
  identity.token = token;
  identity.exp = 0;
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    if (typeof payload.exp === 'number') identity.exp = payload.exp * 1000;
  } catch { /* not ours to judge: the server says whether it is a token */ }
}

// A token from the token URL: JSON {"token": "…"} or the token as text.
async function fetchToken() {
  let response;
  try {
    response = await fetch(identity.tokenUrl, { credentials: 'include', cache: 'no-store' });
  } catch {
    throw new Error('the sign-in service cannot be reached');
  }
  if (!response.ok) throw new Error(`the sign-in service answered ${response.status}`);
  const json = (response.headers.get('content-type') || '').includes('json');
  const token = json ? (await response.json()).token : (await response.text()).trim();
  if (typeof token !== 'string' || !token) throw new Error('the sign-in service gave no token');
  takeToken(token);
}

// Before the token expires: a fresh one, sent as `auth` on the open connection.
function scheduleRefresh() {
  clearTimeout(identity.timer);
  if (!identity.on || !identity.tokenUrl || !identity.exp) return;
  const left = identity.exp - Date.now();
  identity.timer = setTimeout(refreshToken, Math.max(1000, left > 2 * REFRESH_LEAD_MS ? left - REFRESH_LEAD_MS : left / 2));
}

async function refreshToken() {
  try {
    await fetchToken();
  } catch {
    identity.timer = setTimeout(refreshToken, 10000); // the server closes us if the token runs out first
    return;
  }
  if (state.joined) send({ type: 'auth', token: identity.token, cid: `auth-${newCid()}` });
  scheduleRefresh();
}

// config.json: whether this server signs users in with tokens (an older server has none: no).
async function loadSettings() {
  try {
    const response = await fetch('config.json', { cache: 'no-store' });
    if (!response.ok) return;
    const settings = await response.json();
    identity.on = settings.identity === true;
    identity.tokenUrl = typeof settings.tokenUrl === 'string' ? settings.tokenUrl : null;
  } catch { /* identity stays off */ }
}

function startSignedIn() {
  ui.nameLabel.hidden = true;
  ui.nameInput.hidden = true;
  if (!identity.token && !identity.tokenUrl) {
    ui.joinSub.textContent = 'This chat needs a sign-in: open it from your application.';
    return;
  }
  ui.joinSub.textContent = 'Your application signs you in: no name to pick.';
  state.wanted = true;
  connect();
}

function toggleSidebar() {
  const open = !ui.sidebar.classList.contains('open');
  ui.sidebar.classList.toggle('open', open);
  ui.sidebarToggle.setAttribute('aria-expanded', String(open));
  ui.sidebarToggle.textContent = open ? 'Hide people & rooms' : 'Show people & rooms';
}

function closeSidebar() {
  if (ui.sidebar.classList.contains('open')) toggleSidebar();
}

async function init() {
  const { room, token } = fragment();
  if (token) takeToken(token);
  if (ROOM_RE.test(room)) {
    state.room = room;
    if (token) history.replaceState(null, '', `#${room}`); // the token leaves the address bar at once
  } else {
    history.replaceState(null, '', '#lobby');
    notice('That room name is not valid, so you are in #lobby.');
  }
  ui.nameInput.value = localStorage.getItem(NAME_KEY) || '';
  ui.joinForm.addEventListener('submit', onJoinSubmit);
  ui.roomForm.addEventListener('submit', onRoomSubmit);
  ui.composer.addEventListener('submit', onComposerSubmit);
  ui.message.addEventListener('input', onComposerInput);
  ui.message.addEventListener('keydown', onComposerKey);
  ui.dmCancel.addEventListener('click', () => setDirect(null));
  ui.loadOlder.addEventListener('click', loadOlder);
  ui.leave.addEventListener('click', leave);
  ui.reconnectNow.addEventListener('click', reconnectNow);
  ui.sidebarToggle.addEventListener('click', toggleSidebar);
  window.addEventListener('hashchange', onHashChange);
  ui.scroller.addEventListener('scroll', () => { state.pinned = atBottom(); }, { passive: true });
  const resized = new ResizeObserver(followAfterResize);
  resized.observe(ui.scroller);
  resized.observe(ui.items);
  window.addEventListener('online', reconnectNow);
  updateView();
  setStatus('offline');
  await loadSettings();
  if (identity.on) startSignedIn();
  else ui.nameInput.focus();
}

init();
