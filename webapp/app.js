// Parley browser client, protocol 1.1 (see docs/PROTOCOL.md; with a version 1 server it does
// what version 1 can): the entry module. It holds the room as the page shows it (the log,
// members, typing, the composer) and listens to the connection: js/connection.js (the state
// machine), js/transport.js and js/fallback.js (WebSocket, or HTTP where WebSocket cannot
// connect), js/outbox.js (messages waiting for their ack), js/log.js (the messages' state: edits,
// deletes, reactions, replies), js/reads.js (read positions), js/identity.js (tokens), js/tab.js
// (what the tab remembers across a reload), js/timeline.js (day dividers and runs of one sender),
// js/render.js (the elements) with js/links.js (web addresses), js/message.js (a room message and
// its controls), js/errors.js (errors in words), js/members.js (the member list, a large room's too). Every string that comes from users or the server
// is rendered with textContent.

import { Connection, State, newCid } from './js/client/connection.js';
import { FallbackTransport, transportMode } from './js/client/fallback.js';
import { Identity } from './js/identity.js';
import { inWords } from './js/errors.js';
import { RoomLog } from './js/log.js';
import { MemberList } from './js/members.js';
import { drawMessage } from './js/message.js';
import { Outbox, frameOf } from './js/client/outbox.js';
import { ReadPositions } from './js/reads.js';
import { TabMemory } from './js/tab.js';
import { arrange } from './js/timeline.js';
import {
  button, dayEl, h, memberItem, messageEl, notice, roomItem, setStatus, setTransport, showFieldError, sysLineEl,
  typingText, ui, unreadEl,
} from './js/render.js';
import {
  HttpTransport, STREAM_SILENT, WebSocketTransport, socketUrl, streamUrl,
} from './js/client/transport.js';

const ROOM_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const MAX_TEXT = 4000;               // code points
const MAX_FRAME_BYTES = 16 * 1024;   // the server's default frame limit
const PAGE = 50;                     // history page size
const MEMBERS_PAGE = 100;            // names a "Show more members" asks for (a large room's welcome names as many)
const MEMBERS_MAX = 500;             // the most a members page may ask for
const ROOMS_MS = 15000;
const TYPING_SEND_MS = 3000;
const TYPING_SHOW_MS = 4000;
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
// The connection's states as the status shows them.
const STATUS = {
  [State.CONNECTING]: 'connecting', [State.JOINING]: 'connecting', [State.ONLINE]: 'online',
  [State.RECONNECTING]: 'reconnecting',
};

// With identity on and no token to sign in with (none in the fragment, no token URL), only the
// application that links here can sign the user in.
const SIGN_IN_NEEDED = 'Open the chat from the application that links here: its link signs you in.'
  + ' There is no name to pick here.';

const view = {
  settled: false,      // config.json has said whether this server signs users in (identity)
  session: false,      // a welcome accepted our name: the chat pane is shown
  seqEls: new Map(),   // seq -> element in the log
  exhausted: false,    // no older history left on the server
  historyInFlight: false,
  pinned: true,        // the log follows new messages (see following())
  members: new MemberList(),   // js/members.js
  membersAsked: [],    // the members pages asked for and not answered yet, in order: { fromStart }
  // How far the member list can be trusted: 'current' (online: presence keeps it so), 'stale'
  // (the connection was lost: it is the list as it was) or 'out' (refused for good: nobody is listed).
  membersAre: 'current',
  typers: new Map(),   // user -> timeout id
  lastTypingSent: 0,
  dmTo: null,
  timers: {},          // rooms (while online), countdown (while reconnecting)
  silenceSaid: false,  // the notice about an event stream that stays silent was shown
  lostLine: null,      // the log's line about the last close; the reconnect replaces it or takes it away
  v11: false,          // the server speaks protocol 1.1 (its welcome says so): edits, reactions, replies, reads
  moderator: false,    // the welcome says we moderate this room
  replyTo: null,       // the seq the next message replies to
  dividerAt: null,     // the read position the "new messages" divider is shown after (null: none)
  actions: new Map(),  // cid -> what an edit, delete, reaction or moderation is, until its ack or error
  visible: new Set(),  // the log's message elements the reader can see now
};

const identity = new Identity();
const outbox = new Outbox();
const log = new RoomLog();
// `read` goes only to a 1.1 server (a version 1 one answers unknown-type).
const reads = new ReadPositions({ send: (seq) => view.v11 && connection.online && send({ type: 'read', seq }) });
const mode = transportMode(location.search);

function dial(room, handlers) {
  const transport = new FallbackTransport({
    mode, websocket: () => new WebSocketTransport(), http: () => new HttpTransport(),
  });
  transport.open({ websocket: socketUrl(location, room), http: streamUrl(location, room) }, handlers);
  return transport;
}

// This tab's name, room and secret for taking the name back, kept across a reload (js/tab.js).
const tab = new TabMemory((() => { try { return window.sessionStorage; } catch { return null; } })());

const connection = new Connection({
  dial,
  secrets: tab.secrets,
  identity,
  listener: {
    changed: onStateChange,
    transport: (kind) => setTransport(kind, mode === 'http'),
    welcome: onWelcome,
    frame: onFrame,
    nameRefused: onNameRefused,
    closed: onClose,
    signInFailed: (message) => notice(`Cannot sign in: ${message}.`),
    cannotDial: () => notice('This page cannot open a chat connection from here.'),
  },
});

// ---------- small helpers ----------

const codePoints = (s) => [...s].length;
// JS \s plus the few characters Java's isWhitespace adds.
const isBlank = (s) => /^[\s\u0085\u001c-\u001f]*$/.test(s);
const send = (frame) => connection.send(frame);
const roomOutbox = () => outbox.of(connection.room);

// ---------- the connection, as the page shows it ----------

function onStateChange(state) {
  if (state !== State.ONLINE) clearInterval(view.timers.rooms);
  clearInterval(view.timers.countdown);
  if (state === State.RECONNECTING) {
    view.timers.countdown = setInterval(showCountdown, 250);
    showCountdown();
  } else {
    setStatus(STATUS[state] || 'offline');
  }
  updateLoadOlder();
}

function showCountdown() {
  const s = Math.max(1, Math.ceil((connection.reconnectAt - Date.now()) / 1000));
  setStatus('reconnecting', `Reconnecting in ${s} s`);
}

function onClose({ code, reason, wasOnline, fatal, refusal }) {
  view.historyInFlight = false;
  clearTypers();
  if (code === 1009) failOversized();
  for (const item of roomOutbox()) item.el.querySelector('.state').textContent = 'waiting for the connection';
  // the reason only where it adds to the code's own sentence ("idle timeout", "flooding"), not where it repeats it
  const why = (CLOSE_TEXT[code] || `The connection closed (code ${code}).`)
    + (reason && !SAYS_IT_ALL.has(code) ? ` (${reason})` : '');
  if (wasOnline || code === 1008 || code === 1009) sayLost(why);
  if (fatal) {
    notice(`Cannot join #${connection.room}: ${refusal || reason || why}`);
    setMembers([], view.session ? 'out' : 'current');
    tab.out();   // a reload does not go back in by itself
    // a token refused or expired, and no token URL for a fresh one: only the application can give one
    if (identity.on && !identity.tokenUrl && (reason === 'unauthorized' || reason === 'token expired')) {
      identity.token = null;
      renderJoinCard();
    }
  } else if (wasOnline) {
    view.membersAre = 'stale';
    renderMembers();
  }
  view.membersAsked = [];   // their answers went with the connection
  if (reason === STREAM_SILENT && !view.silenceSaid) {
    view.silenceSaid = true;   // once until a welcome: the page keeps trying
    notice('The HTTP fallback opened its event stream, but no event came through within 10 s: something between'
      + ' this page and the server (a proxy) is holding it back. It must pass /sse/ responses unbuffered.');
  }
}

// ---------- incoming frames ----------

const handlers = {
  joined: onPresence, left: onPresence, presence: onLargePresence, members: onMembers, message: onLive, edit: onLive, delete: onLive, react: onLive, ack: onAck,
  direct: onDirect, typing: onTyping, history: onHistory, rooms: onRooms, read: onRead, error: onError,
};

function onFrame(frame) {
  const handler = handlers[frame.type];
  if (handler) handler(frame);      // unknown types are ignored (forward compatibility)
}

function onWelcome(f, { history, rejoined, restarted, since }) {
  view.silenceSaid = false;
  if (restarted) forgetSeqs(history);
  view.session = true;
  view.v11 = f.protocol === '1.1';
  view.moderator = f.moderator === true;
  reads.welcome(f.read);
  if (!rejoined && Number.isInteger(f.read) && f.read > 0) view.dividerAt = f.read;
  tab.joined(connection.name, connection.room);
  view.members.welcome(f, connection.name);
  view.membersAre = 'current';
  view.membersAsked = [];
  if (rejoined) {
    // The line goes first so that the recovered messages follow it; a reconnect that missed
    // nothing (or an upgrade back to WebSocket, which loses nothing) says nothing.
    const missed = history.filter((m) => (m.type ?? 'message') === 'message' && !view.seqEls.has(m.seq)).length;
    sayReconnected(!f.recovered ? 'Reconnected — some messages may be missing'
      : missed > 0 ? `Reconnected — ${missed} missed message${missed === 1 ? '' : 's'} recovered` : null);
  } else {
    view.exhausted = history.length < PAGE;
  }
  const shown = (s) => view.seqEls.has(s);
  const rejoin = { dedup: view.v11, history, since, name: connection.name, shown };
  for (const [item, seq] of outbox.rejoined(connection.room, rejoin)) acknowledge(item, seq);
  // A 1.1 server answers each resend with its ack (`dup` for one stored before the drop): until
  // then, the copy the history may hold already is the one shown.
  if (view.v11) hideLikelyStored(history, since, shown);
  applyLog(history, true);
  for (const seq of view.seqEls.keys()) draw(seq);   // the controls depend on the server and our role
  placeDivider();
  showSeenBy();
  arrangeLog();
  updateView();
  renderMembers();
  view.timers.rooms = setInterval(() => send({ type: 'rooms' }), ROOMS_MS);
  send({ type: 'rooms' });
  flushOutbox();
  // The first time in: the log opens at the divider if the newest messages would hide it.
  const divider = ui.items.querySelector('.unread-line');
  const dividerTop = divider ? divider.getBoundingClientRect().top - ui.scroller.getBoundingClientRect().top
    + ui.scroller.scrollTop : 0;
  if (!rejoined && divider && ui.scroller.scrollHeight - dividerTop > ui.scroller.clientHeight) {
    ui.scroller.scrollTop = dividerTop - 16;
    view.pinned = atBottom();
  } else {
    scrollToBottom();
  }
  if (!rejoined) ui.message.focus();
  reportSeen();
}

function hideLikelyStored(history, since, shown) {
  const taken = new Set();
  for (const item of roomOutbox()) {
    if (item.kind !== 'message') continue;
    const m = history.find((x) => (x.type ?? 'message') === 'message' && x.seq > since && x.user === connection.name
      && x.text === item.text && !taken.has(x.seq) && !shown(x.seq));
    if (m) { taken.add(m.seq); item.el.hidden = true; }
  }
}

function onPresence(f) {
  view.members.change(f);
  if (f.type === 'left') stopTyping(f.user);
  renderMembers();
  sysLine(`${f.user} ${f.type}`, f.ts);
  send({ type: 'rooms' });
}

// A large room's presence (PROTOCOL.md, "Large rooms"): who came and went in the last second, and
// the count; no line in the log for each (there may be fifty a second). When it says changes went
// unnamed, the names shown are read again from the first.
function onLargePresence(f) {
  const unnamed = view.members.presence(f);
  for (const name of Array.isArray(f.left) ? f.left : []) stopTyping(name);
  if (unnamed && connection.online) {
    const shown = view.members.names.length;
    askMembers({ type: 'members', limit: Math.min(MEMBERS_MAX, Math.max(MEMBERS_PAGE, shown)) }, true);
  }
  renderMembers();
  // no rooms request here, unlike joined and left: every member of the room would ask each
  // second, thousands of requests a second; the list's own refresh (ROOMS_MS) is enough
}

function onMembers(f) {
  const asked = view.membersAsked.shift();
  if (!asked) return;   // asked for on a connection that is gone, or not by the page
  view.members.page(f, asked);
  renderMembers();
}

// A frame of the room's log, live: a message, or an edit, delete or reaction of one.
function onLive(f) {
  const stick = following() || (f.type === 'message' && f.user === connection.name);
  applyLog([f], false);
  if (f.type === 'message') stopTyping(f.user);
  else if (f.type === 'delete') placeDivider();
  if (f.type !== 'react') showSeenBy();
  arrangeLog();
  if (stick) scrollToBottom();
}

// Frames of the room's log (js/log.js), live (one at a time) or served together (a welcome's or a
// `history` reply's), onto the page: new messages in seq order, changed ones drawn again, and
// the replies quoting a changed message too.
function applyLog(frames, served) {
  const changes = served ? log.applyAll(frames) : frames.map((f) => log.apply(f)).filter(Boolean);
  const again = new Set();
  for (const { seq, type } of changes) {
    if (type === 'message') showMessage(seq);
    else again.add(seq);
    if (type !== 'react') for (const reply of log.repliesTo(seq)) again.add(reply);
  }
  for (const seq of again) draw(seq);
}

// A room message, in its place by seq; a seq shown already is drawn again, and its element stays
// unless it is still the provisional (acked but not yet broadcast) copy of our own message.
function showMessage(seq) {
  const m = log.get(seq);
  const existing = view.seqEls.get(seq);
  if (existing && !existing.dataset.provisional) { drawMessage(existing, m, page); return; }
  const el = messageEl(m.user, m.text, m.ts, null, m.user === connection.name);
  el.dataset.seq = seq;
  drawMessage(el, m, page);
  if (existing) {
    unobserve(existing);
    existing.replaceWith(el);
  } else {
    insertBySeq(el, seq);
  }
  view.seqEls.set(seq, el);
  seen.observe(el);
  updateLoadOlder();
}

function draw(seq) {
  const el = view.seqEls.get(seq);
  const m = log.get(seq);
  if (el && m && !el.dataset.provisional) drawMessage(el, m, page);
}

// What a message's controls know and do (js/message.js).
const page = {
  get me() { return connection.name; },
  get moderator() { return view.moderator; },
  get v11() { return view.v11; },
  current: (seq) => log.get(seq),
  quote: (seq) => log.quote(seq, 80),
  reactions: (seq) => log.reactions(seq, connection.name),
  reply: (m) => setReply(m.seq),
  edit: (m, text) => {
    if (codePoints(text) > MAX_TEXT) {
      notice(`An edit can have at most ${MAX_TEXT.toLocaleString()} characters.`);
      return false;
    }
    return act({ type: 'edit', ref: m.seq, text }, 'edit');
  },
  remove: (m) => act({ type: 'delete', ref: m.seq }, 'delete'),
  react: (m, emoji, on) => act({ type: 'react', ref: m.seq, emoji, on }, 'react'),
  showOriginal,
};

// Sends an edit, delete, reaction or moderation with a cid, to know its ack or error by.
// done: what to say once it is acknowledged (moderation), or just what it was.
function act(frame, what, done = null) {
  if (!connection.online) {
    notice('You are not connected right now: try again once the page is back online.');
    return false;
  }
  const cid = newCid();
  view.actions.set(cid, { what, done });
  if (send({ ...frame, cid })) return true;
  view.actions.delete(cid);
  notice('That could not be sent: the connection is not open.');
  return false;
}

// A reply's quoted line was activated: the original, brought into view and focused.
function showOriginal(seq) {
  const el = view.seqEls.get(seq);
  if (!el) {
    notice(lowestSeq() > 1 && !view.exhausted
      ? 'The original message is further back: press "Load older" to find it.'
      : 'The original message is not in this room\'s history any more.');
    return;
  }
  el.tabIndex = -1;
  el.scrollIntoView({ block: 'center' });
  el.focus({ preventScroll: true });
  el.classList.remove('highlight');
  void el.offsetWidth;   // restarts the highlight's animation
  el.classList.add('highlight');
}

function setReply(seq) {
  const q = seq === null ? null : log.quote(seq, 60);
  view.replyTo = q ? seq : null;
  ui.replyChip.hidden = !q;
  ui.replyName.textContent = q ? (q.user === connection.name ? 'yourself' : q.user) : '';
  ui.replyText.textContent = q ? (q.deleted ? 'message deleted' : q.text) : '';
  if (q && view.dmTo) setDirect(null);
  if (seq !== null || document.activeElement === ui.replyCancel) ui.message.focus();
}

// ---------- read positions ----------

// What the reader sees of the log: a message counts as seen when half of it (or half the log's
// height, for a long one) is in view while the page is visible.
const seen = new IntersectionObserver((entries) => {
  for (const e of entries) {
    const half = e.intersectionRatio >= 0.5 || (e.rootBounds && e.intersectionRect.height >= e.rootBounds.height / 2);
    if (e.isIntersecting && half) view.visible.add(e.target); else view.visible.delete(e.target);
  }
  reportSeen();
}, { root: ui.scroller, threshold: [0, 0.5, 1] });

function unobserve(el) {
  seen.unobserve(el);
  view.visible.delete(el);
}

function reportSeen() {
  if (document.visibilityState !== 'visible' || !view.session || ui.chatPane.hidden) return;
  let newest = 0;
  for (const el of view.visible) {
    if (el.isConnected && el.dataset.seq && !el.dataset.provisional) newest = Math.max(newest, Number(el.dataset.seq));
  }
  if (newest) reads.seen(newest);
}

// `read` from our other tab (the divider moves on) or from someone else ("seen by").
function onRead(f) {
  if (reads.heard(f, connection.name) && view.dividerAt !== null) {
    view.dividerAt = Math.max(view.dividerAt, reads.kept);
    placeDivider();
    arrangeLog();
  }
  showSeenBy();
}

// Under our newest message in the room: who has seen it.
function showSeenBy() {
  let newest = null;
  for (const [seq, el] of view.seqEls) {
    const m = log.get(seq);
    if (m && m.user === connection.name && !m.deleted && !el.dataset.provisional && (newest === null || seq > newest)) newest = seq;
  }
  const names = newest === null ? [] : reads.seenBy(newest);
  const text = names.length ? `Seen by ${names.join(', ')}` : '';
  const line = ui.items.querySelector('.seen-by');
  const bubble = newest === null ? null : view.seqEls.get(newest).querySelector('.bubble');
  if (line && line.textContent === text && line.parentElement === bubble) return;
  line?.remove();
  if (text) bubble.append(h('p', 'seen-by', text));
}

// The "new messages" line before the first message by someone else after dividerAt.
function placeDivider() {
  const first = view.dividerAt === null ? null : log.firstUnread(view.dividerAt, connection.name);
  const target = first === null ? null : view.seqEls.get(first);
  const line = ui.items.querySelector('.unread-line');
  if (line && target && line.nextElementSibling === target) return;
  line?.remove();
  if (target) target.before(unreadEl());
}

// The room's history started over (a server restart with a memory store), so seqs are reused:
// keep the old messages on screen but stop matching new seqs against them.
function forgetSeqs(history) {
  for (const el of view.seqEls.values()) { delete el.dataset.seq; unobserve(el); }
  Object.assign(view, { seqEls: new Map(), exhausted: history.length < PAGE, dividerAt: null });
  log.clear();
  reads.reset();
  setReply(null);
}

function insertBySeq(el, seq) {
  let next = null;
  let nextSeq = Infinity;
  for (const [s, e] of view.seqEls) {
    if (s > seq && s < nextSeq) { next = e; nextSeq = s; }
  }
  ui.items.insertBefore(el, next);
}

function onAck(f) {
  const settled = outbox.acked(connection.room, f);
  if (settled) { acknowledge(settled.item, settled.seq); return; }
  const action = view.actions.get(f.cid);
  view.actions.delete(f.cid);
  if (action?.done) notice(action.done);
}

// The server stored our message as `seq`: move the pending element to its place in the log;
// it is swapped for the real message when the broadcast (or recovered history) arrives.
function acknowledge(item, seq) {
  outbox.remove(item);
  item.el.hidden = false;
  if (view.seqEls.has(seq)) { item.el.remove(); return; }
  item.el.classList.remove('pending');
  item.el.querySelector('.state').textContent = 'sent';
  item.el.dataset.provisional = '1';
  item.el.dataset.seq = seq;
  item.el.dataset.ts = Date.now();     // its time until the broadcast brings the server's
  insertBySeq(item.el, seq);
  view.seqEls.set(seq, item.el);
  arrangeLog();
}

function onDirect(f) {
  const stick = following();
  const el = messageEl(f.from, f.text, f.ts, f.to, f.from === connection.name);
  const mine = f.from === connection.name && outbox.sentDirect(connection.room, f.to, f.text);
  if (mine) {
    outbox.remove(mine);
    mine.el.remove();
  }
  ui.items.append(el);
  arrangeLog();
  stopTyping(f.from);
  if (stick || mine) scrollToBottom();
}

function onTyping(f) {
  if (f.user === connection.name) return;
  clearTimeout(view.typers.get(f.user));
  view.typers.set(f.user, setTimeout(() => stopTyping(f.user), TYPING_SHOW_MS));
  renderTyping();
}

function onHistory(f) {
  const messages = Array.isArray(f.messages) ? f.messages : [];
  // Keep the visible messages where they are while older ones are prepended.
  const fromBottom = ui.scroller.scrollHeight - ui.scroller.scrollTop;
  applyLog(messages, true);
  placeDivider();
  arrangeLog();
  ui.scroller.scrollTop = ui.scroller.scrollHeight - fromBottom;
  view.historyInFlight = false;
  if (messages.length < PAGE) view.exhausted = true;
  updateLoadOlder();
}

function onRooms(f) {
  const list = Array.isArray(f.rooms) ? f.rooms.slice() : [];
  if (!list.some((r) => r.room === connection.room) && connection.online) {
    list.push({ room: connection.room, count: view.members.count });
    list.sort((a, b) => (a.room < b.room ? -1 : 1));
  }
  ui.rooms.replaceChildren(...list.map((r) => roomItem(r, r.room === connection.room, closeSidebar)));
  ui.roomsEmpty.hidden = list.length > 0;
}

// The errors about the connection itself (names, rooms, tokens) the connection took already.
function onError(f) {
  const action = f.cid ? view.actions.get(f.cid) : null;
  if (action) {
    view.actions.delete(f.cid);
    notice(inWords(f, action.what));
    return;
  }
  const item = f.cid ? outbox.byCid(connection.room, f.cid) : null;
  const text = inWords(f, !item ? null : item.replyTo != null ? 'reply' : 'message');
  if (item) failPending(f.cid, text);
  notice(text);
}


// The connection stays open; the next Join sends `join` again on it.
function onNameRefused(text, code) {
  view.session = false;
  setMembers([], 'current');
  updateView();
  showFieldError(ui.nameError, code === 'name-taken'
    ? `"${connection.name}" is in use in #${connection.room}, by someone else or by you in another tab. Pick another name.`
    : text);
  ui.nameInput.focus();
  ui.nameInput.select();
}

// ---------- outgoing messages ----------

function onComposerSubmit(e) {
  e.preventDefault();
  const text = ui.message.value;
  ui.message.focus();
  if (isBlank(text) || !updateHint()) return;
  const item = outbox.add(connection.room, {
    cid: newCid(), kind: view.dmTo ? 'direct' : 'message', to: view.dmTo, text, sent: false,
    replyTo: view.dmTo ? null : view.replyTo,
  });
  if (view.replyTo !== null) setReply(null);
  item.el = pendingEl(item);
  ui.outbox.append(item.el);
  if (connection.online) transmit(item);
  view.lastTypingSent = 0;          // the others stop showing us typing when our message arrives
  ui.message.value = '';
  updateHint();
  autoGrow();
  scrollToBottom();
}

function transmit(item) {
  item.sent = send(frameOf(item));
  item.el.querySelector('.state').textContent = item.sent ? 'sending…' : 'waiting for the connection';
}

// After a welcome: show what is still queued for this room and send what has not gone out.
function flushOutbox() {
  for (const item of roomOutbox()) {
    if (!item.el.isConnected) ui.outbox.append(item.el);
    if (!item.sent) transmit(item);
  }
}

function failPending(cid, reason) {
  const item = outbox.byCid(connection.room, cid);
  if (!item) return;
  outbox.remove(item);
  item.el.hidden = false;
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
  const again = outbox.add(connection.room, { ...item, cid: newCid(), sent: false });
  again.el = pendingEl(again);
  item.el.replaceWith(again.el);
  if (connection.online) transmit(again);
}

// 1009: the newest unacknowledged message is the likely culprit; stop it from looping.
function failOversized() {
  const item = outbox.newestSent(connection.room);
  if (item) failPending(item.cid, 'too large for the server');
}

function onComposerInput() {
  updateHint();
  autoGrow();
  // Typing goes to the whole room, so it is not sent while writing a direct message.
  if (!connection.online || view.dmTo || isBlank(ui.message.value)) return;
  const now = Date.now();
  if (now - view.lastTypingSent >= TYPING_SEND_MS) {
    view.lastTypingSent = now;
    send({ type: 'typing' });
  }
}

function onComposerKey(e) {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    ui.composer.requestSubmit();
  } else if (e.key === 'Escape' && view.replyTo !== null) {
    setReply(null);
  } else if (e.key === 'Escape' && view.dmTo) {
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
  const frame = { type: 'direct', to: view.dmTo || '', text, cid: 'x'.repeat(24) };
  return new TextEncoder().encode(JSON.stringify(frame)).length;
}

function autoGrow() {
  ui.message.style.height = 'auto';
  ui.message.style.height = `${Math.min(ui.message.scrollHeight, 160)}px`;
}

function setDirect(name) {
  if (name && view.replyTo !== null) setReply(null);   // a direct message replies to nothing
  view.dmTo = name;
  ui.dmName.textContent = name || '';
  ui.dmChip.hidden = !name;
  ui.message.placeholder = name ? `Message ${name} privately…` : 'Write a message…';
  ui.message.focus();
}

function loadOlder() {
  const lowest = lowestSeq();
  if (!connection.online || view.historyInFlight || lowest <= 1) return;
  view.historyInFlight = true;
  send({ type: 'history', before: lowest, limit: PAGE });
  updateLoadOlder();
}

// A large room's names past the first page: the page after the last name shown, added to the list.
function showMoreMembers() {
  if (!connection.online || view.membersAsked.length) return;
  const frame = { type: 'members', limit: MEMBERS_PAGE };
  if (view.members.last !== undefined) frame.after = view.members.last;
  askMembers(frame, false);
}

function askMembers(frame, fromStart) {
  if (!send(frame)) return;
  view.membersAsked.push({ fromStart });
  renderMembers();
}

// ---------- the log and the lists ----------

function pendingEl(item) {
  const el = messageEl(connection.name, item.text, null, item.to, true);
  el.classList.add('pending');
  return el;
}

function sysLine(text, ts) {
  const stick = following();
  const el = sysLineEl(text, ts);
  ui.items.append(el);
  arrangeLog();
  if (stick) scrollToBottom();
  return el;
}

// One line about the connection at the end of the log, not one per drop and reconnect: a close
// replaces the line of the one before if nothing came after it.
function sayLost(text) {
  const line = view.lostLine;
  if (line && line.isConnected && line === ui.items.lastElementChild) {
    line.replaceWith(sysLineEl(text));
    arrangeLog();
  } else {
    sysLine(text);
  }
  view.lostLine = ui.items.lastElementChild;
}

// After a reconnect: the close's line gives way to what the reconnect recovered, or goes.
function sayReconnected(text) {
  const line = view.lostLine;
  view.lostLine = null;
  if (line && line.isConnected) {
    if (text) line.replaceWith(sysLineEl(text));
    else line.remove();
    arrangeLog();
  } else if (text) {
    sysLine(text);
  }
}

function setMembers(names, are) {
  view.members.reset(names);
  view.membersAre = are;
  view.membersAsked = [];
  renderMembers();
}

// Lays the log out in time (js/timeline.js) after it changed: a divider where a new day begins,
// and the messages that run on from the one before marked so (one name, tighter spacing). A
// divider that is still right stays, so that the log's live region does not read it again.
function arrangeLog() {
  const items = [...ui.items.children].filter((el) => !el.classList.contains('day'));
  const plan = arrange(items.map((el) => ({
    ts: el.dataset.ts ? Number(el.dataset.ts) : null, user: el.dataset.user ?? null,
  })), Date.now());
  items.forEach((el, i) => {
    const { day, runsOn } = plan[i];
    let divider = el.previousElementSibling?.classList.contains('day') ? el.previousElementSibling : null;
    while (divider?.previousElementSibling?.classList.contains('day')) divider.previousElementSibling.remove();
    if (day && !divider) el.before(dayEl(day));
    else if (day && divider.textContent !== day) divider.textContent = day;
    else if (!day && divider) divider.remove();
    el.classList.toggle('runs-on', runsOn);
    el.classList.toggle('run-goes-on', Boolean(plan[i + 1]?.runsOn));
  });
  while (ui.items.lastElementChild?.classList.contains('day')) ui.items.lastElementChild.remove();
}

// The member list, and a word under it when it is not the room as it is now.
function renderMembers() {
  const { names, count } = view.members;
  const moderate = view.moderator && view.v11 && view.membersAre === 'current'
    ? (frame, done) => act(frame, 'moderate', done) : null;
  ui.members.replaceChildren(...names.map((name) =>
    memberItem(name, name === connection.name, () => { setDirect(name); closeSidebar(); }, moderate)));
  ui.memberCount.textContent = count ? String(count) : '';
  const stale = view.membersAre === 'stale';
  ui.members.classList.toggle('stale', stale);
  const note = stale ? 'Reconnecting: this list may be out of date.'
    : view.membersAre === 'out' ? `You are not in #${connection.room} any more.` : '';
  ui.membersNote.textContent = note;
  ui.membersNote.hidden = !note;
  const hadFocus = document.activeElement === ui.membersMore;
  const asked = view.membersAsked.length > 0;
  ui.membersMore.hidden = !view.members.more || view.membersAre !== 'current';
  ui.membersMore.disabled = asked || !connection.online;
  ui.membersMore.textContent = asked ? 'Loading…' : 'Show more members';
  if (hadFocus && ui.membersMore.hidden) ui.members.lastElementChild?.querySelector('button')?.focus();
}

function stopTyping(user) {
  if (!view.typers.has(user)) return;
  clearTimeout(view.typers.get(user));
  view.typers.delete(user);
  renderTyping();
}

function clearTypers() {
  for (const id of view.typers.values()) clearTimeout(id);
  view.typers.clear();
  renderTyping();
}

function renderTyping() {
  ui.typing.textContent = typingText([...view.typers.keys()].sort());
}

// Where older history starts: the oldest seq of the room's log on the page (from 1.1 an event's
// seq counts too, or a page holding only events would be asked for again and again).
function lowestSeq() {
  let low = log.oldest;
  for (const s of view.seqEls.keys()) if (!low || s < low) low = s;
  return low;
}

function updateLoadOlder() {
  const hadFocus = document.activeElement === ui.loadOlder;
  ui.loadOlder.hidden = view.exhausted || lowestSeq() <= 1;
  ui.loadOlder.disabled = view.historyInFlight || !connection.online;
  ui.loadOlder.textContent = view.historyInFlight ? 'Loading…' : 'Load older';
  if (hadFocus && ui.loadOlder.hidden) ui.scroller.focus();
}

// Whether the log follows new messages: true while the reader is at (or near) the bottom. Kept as
// state, set only when the reader scrolls, because a resize reflows the log (narrower is taller)
// without the reader having moved: then the log is brought back to the bottom.
function following() {
  return view.pinned;
}

function atBottom() {
  const s = ui.scroller;
  return s.scrollHeight - s.scrollTop - s.clientHeight < 80;
}

function followAfterResize() {
  if (view.pinned) scrollToBottom();
}

function scrollToBottom() {
  ui.scroller.scrollTop = ui.scroller.scrollHeight;
}

function updateView() {
  const room = connection.room;
  ui.joinCard.hidden = view.session;
  ui.chatPane.hidden = !view.session;
  ui.roomForm.hidden = !view.session;
  ui.me.hidden = !view.session;
  ui.changeName.hidden = !view.session || identity.on;
  ui.meName.textContent = !view.session ? '' : identity.on ? `Signed in as ${connection.name}` : connection.name;
  ui.roomName.textContent = room;
  ui.joinRoom.textContent = `#${room}`;
  document.title = `#${room} · Parley`;
  if (!view.session) { ui.rooms.replaceChildren(); ui.roomsEmpty.hidden = false; }
  renderJoinCard();
  updateLoadOlder();
}

// The join card: a name to pick; with identity, no name (Join takes the application's sign-in,
// also back in after Leave), and with no token to sign in with, what to do instead of a Join
// that cannot work. No form at all until config.json has said which.
function renderJoinCard() {
  const signIn = identity.on;
  const noToken = signIn && !identity.token && !identity.tokenUrl;
  ui.joinVerb.textContent = noToken ? 'Sign in to join' : 'Join';
  ui.joinSub.textContent = noToken ? SIGN_IN_NEEDED
    : signIn ? 'Your application signs you in: no name to pick.' : 'Pick a name the others will see.';
  ui.joinForm.hidden = !view.settled || noToken;
  ui.nameLabel.hidden = signIn;
  ui.nameInput.hidden = signIn;
}

// ---------- rooms, join, leave ----------

function resetRoom() {
  ui.items.replaceChildren();
  ui.outbox.replaceChildren();
  clearTypers();
  for (const el of view.seqEls.values()) unobserve(el);
  Object.assign(view, {
    seqEls: new Map(), exhausted: false, historyInFlight: false, pinned: true, lostLine: null, dividerAt: null,
    v11: false, moderator: false,
  });
  view.actions.clear();
  log.clear();
  reads.reset();
  setReply(null);
  setDirect(null);
  setMembers([], 'current');
}

function switchRoom(room) {
  resetRoom();
  for (const a of ui.rooms.querySelectorAll('a')) {
    const current = a.getAttribute('href') === `#${room}`;
    a.classList.toggle('current', current);
    if (current) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  connection.switchRoom(room);
  updateView();
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
  return { room, token };
}

function onHashChange() {
  const named = fragment();
  const room = named.room || 'lobby';
  const { token } = named;
  if (token) { identity.take(token); history.replaceState(null, '', `#${room}`); }
  if (room !== connection.room) {
    if (!ROOM_RE.test(room)) {
      notice('Room names use a–z, 0–9, "_" and "-" (up to 64 characters, starting with a letter or digit).');
      history.replaceState(null, '', `#${connection.room}`);
      return;
    }
    switchRoom(room);
  }
  // The application linked here again with a token: signed in with it, unless the page is in
  // the room or on its way there (a connection that opens later takes the new token anyway).
  const idle = [State.OFFLINE, State.REFUSED, State.RECONNECTING].includes(connection.state);
  if (token && identity.on && idle) startSignedIn();
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
  if (identity.on) { connection.join(); return; }
  const name = ui.nameInput.value.trim();
  const problem = nameProblem(name);
  showFieldError(ui.nameError, problem);
  if (problem) { ui.nameInput.focus(); return; }
  connection.join(name);
}

// Leave, and Change name: out of the room, back to the join card with the name ready to be
// typed over (the protocol has no renaming: the others see the old name leave, the new join).
function leave() {
  view.session = false;
  connection.leave();
  tab.out();
  resetRoom();
  updateView();
  ui.nameInput.value = connection.name;
  ui.nameInput.focus();
  ui.nameInput.select();
}

function startSignedIn() {
  renderJoinCard();
  if (identity.token || identity.tokenUrl) connection.join();
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
  const kept = tab.recall();
  const named = fragment();
  const { token } = named;
  // the room the address names, else the one this tab was in before a reload, else #lobby
  const remembered = !named.room && kept !== null && ROOM_RE.test(kept.room);
  const room = named.room || (remembered ? kept.room : 'lobby');
  if (token) identity.take(token);
  if (ROOM_RE.test(room)) {
    connection.room = room;
    // the token leaves the address bar at once; a room from the tab's memory goes into it
    if (token || remembered) history.replaceState(null, '', `#${room}`);
  } else {
    history.replaceState(null, '', '#lobby');
    notice('That room name is not valid, so you are in #lobby.');
  }
  ui.joinForm.addEventListener('submit', onJoinSubmit);
  ui.roomForm.addEventListener('submit', onRoomSubmit);
  ui.composer.addEventListener('submit', onComposerSubmit);
  ui.message.addEventListener('input', onComposerInput);
  ui.message.addEventListener('keydown', onComposerKey);
  ui.dmCancel.addEventListener('click', () => setDirect(null));
  ui.replyCancel.addEventListener('click', () => setReply(null));
  document.addEventListener('visibilitychange', reportSeen);
  ui.loadOlder.addEventListener('click', loadOlder);
  ui.membersMore.addEventListener('click', showMoreMembers);
  ui.leave.addEventListener('click', leave);
  ui.changeName.addEventListener('click', () => { closeSidebar(); leave(); });
  ui.reconnectNow.addEventListener('click', () => connection.reconnectNow());
  ui.sidebarToggle.addEventListener('click', toggleSidebar);
  window.addEventListener('hashchange', onHashChange);
  ui.scroller.addEventListener('scroll', () => { view.pinned = atBottom(); }, { passive: true });
  const resized = new ResizeObserver(followAfterResize);
  resized.observe(ui.scroller);
  resized.observe(ui.items);
  window.addEventListener('online', () => connection.reconnectNow());
  // Hang up as the page goes (an HTTP connection says so with DELETE); one kept in the
  // back/forward cache connects again when it is shown.
  window.addEventListener('pagehide', () => { connection.suspend(); tab.hidden(); });
  window.addEventListener('pageshow', (e) => { if (e.persisted) connection.resume(); });
  updateView();
  setStatus('offline');
  await identity.loadSettings();
  view.settled = true;
  renderJoinCard();
  if (identity.on) {
    startSignedIn();
  } else if (kept) {
    ui.nameInput.value = kept.name;     // this tab's own name, never another tab's
    if (kept.rejoin) connection.join(kept.name);
    else ui.nameInput.focus();
  } else {
    ui.nameInput.focus();
  }
}

init();
