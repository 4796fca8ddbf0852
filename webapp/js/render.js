// The page's elements and what builds them. Everything users or the server wrote is put on
// the page with textContent, never as markup.

import { linkParts } from './links.js';

const $ = (id) => document.getElementById(id);
export const ui = {
  topbar: $('topbar'), roomName: $('room-name'), status: $('status'), transport: $('transport'), reconnectNow: $('reconnect-now'),
  me: $('me'), meName: $('me-name'), leave: $('leave'), changeName: $('change-name'),
  sidebar: $('sidebar'), sidebarToggle: $('sidebar-toggle'),
  rooms: $('rooms'), roomsEmpty: $('rooms-empty'), roomForm: $('room-form'),
  roomInput: $('room-input'), roomError: $('room-error'),
  members: $('members'), memberCount: $('member-count'), membersNote: $('members-note'), membersMore: $('members-more'),
  notices: $('notices'),
  joinCard: $('join-card'), joinVerb: $('join-verb'), joinRoom: $('join-room'), joinForm: $('join-form'),
  nameInput: $('name-input'), nameError: $('name-error'), nameLabel: $('name-label'), joinSub: $('join-sub'),
  chatPane: $('chat-pane'), scroller: $('log-scroll'), loadOlder: $('load-older'),
  items: $('log-items'), outbox: $('log-outbox'), typing: $('typing'),
  composer: $('composer'), message: $('message-input'), hint: $('message-hint'),
  dmChip: $('dm-chip'), dmName: $('dm-name'), dmCancel: $('dm-cancel'),
  replyChip: $('reply-chip'), replyName: $('reply-name'), replyText: $('reply-text'), replyCancel: $('reply-cancel'),
};

export function h(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

export function button(text, className, onClick) {
  const b = h('button', className, text);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

export function timeEl(ts) {
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

// A chat message; without ts it is one of ours still waiting to go out. For the log's layout
// in time (app.js) it says when it was written and, a room message, by whom.
export function messageEl(user, text, ts, to, own) {
  const el = h('div', own ? 'msg own' : 'msg');
  if (ts && !Number.isNaN(Date.parse(ts))) el.dataset.ts = Date.parse(ts);
  if (!to) el.dataset.user = user;
  const bubble = h('div', 'bubble');
  const meta = h('div', 'meta');
  if (to) {
    el.classList.add('direct');
    meta.append(h('span', 'badge', 'Direct'), h('span', 'author', `${user} → ${to}`));
  } else {
    meta.append(h('span', 'author', user));
  }
  meta.append(' ', ts ? timeEl(ts) : h('span', 'state', 'waiting for the connection'));
  bubble.append(meta, textEl(text));
  el.append(avatar(user), bubble);
  return el;
}

// A message's text, its web addresses as links (js/links.js) that open in a new tab, which
// gets neither this page as its opener nor its address as the referrer.
export function textEl(text) {
  const p = h('p', 'text');
  for (const part of linkParts(text)) {
    if (part.href) {
      const a = h('a', '', part.text);
      a.href = part.href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      p.append(a);
    } else {
      p.append(part.text);
    }
  }
  return p;
}

export function sysLineEl(text, ts) {
  const el = h('div', 'sys');
  el.dataset.ts = ts && !Number.isNaN(Date.parse(ts)) ? Date.parse(ts) : Date.now();
  el.append(h('span', '', text));
  if (ts) el.append(' ', timeEl(ts));
  return el;
}

// Where the messages not read yet begin (the position the server kept for us).
export function unreadEl() {
  const el = h('div', 'unread-line', 'New messages');
  el.setAttribute('role', 'separator');
  el.setAttribute('aria-label', 'New messages');
  return el;
}

// Where a new day begins in the log: "Today", "Yesterday", a date.
export function dayEl(label) {
  return h('h2', 'day', label);
}

export function notice(text) {
  const el = h('div', 'notice');
  el.setAttribute('role', 'alert');
  const close = button('×', 'notice-close', () => el.remove());
  close.setAttribute('aria-label', 'Dismiss');
  el.append(h('p', '', text), close);
  ui.notices.append(el);
  while (ui.notices.children.length > 3) ui.notices.firstElementChild.remove();
}

export function showFieldError(el, text) {
  el.textContent = text || '';
  el.hidden = !text;
}

// kind: connecting, online, offline, or reconnecting (with its countdown as text). The header
// has it too: on a narrow screen it gives the countdown and its button a row of their own.
export function setStatus(kind, text) {
  const labels = { connecting: 'Connecting…', online: 'Online', offline: 'Offline' };
  const label = text || labels[kind];
  if (ui.status.textContent !== label) ui.status.textContent = label;
  ui.status.dataset.state = kind;
  ui.topbar.dataset.state = kind;
  ui.reconnectNow.hidden = kind !== 'reconnecting';
}

// Which transport the open connection uses: 'websocket', 'http', or null (none open).
// forced: the address asked for it (?transport=http), so it is no fallback. Its text reads
// "via WebSocket", "via HTTP fallback" or "via HTTP"; a narrow screen shows only the middle word.
export function setTransport(kind, forced) {
  const el = ui.transport;
  el.hidden = !kind;
  if (!kind) { delete el.dataset.transport; el.replaceChildren(); return; }
  el.dataset.transport = kind;
  const fallback = kind === 'http' && !forced;
  el.replaceChildren(h('span', 'transport-extra', 'via '), kind === 'http' ? 'HTTP' : 'WebSocket');
  if (fallback) el.append(h('span', 'transport-extra', ' fallback'));
  el.title = kind === 'websocket' ? 'Connected over WebSocket.'
    : `Connected over HTTP (Server-Sent Events down, POST up)${fallback
      ? ': a WebSocket could not connect from here. The page tries WebSocket again now and then.'
      : ', as the address asks (?transport=http).'}`;
}

// A member: oneself, or a button that starts a direct message; for a moderator (moderate: a
// function sending a moderation frame, see moderationEl) a Moderate button beside it.
export function memberItem(name, self, onPick, moderate = null) {
  const li = h('li');
  if (self) {
    const label = h('span', 'member-name', `${name} `);
    label.append(h('span', 'you', '(you)'));
    const me = h('span', 'member self');
    me.append(avatar(name, 'small'), label);
    li.append(me);
  } else {
    const b = button('', 'member', onPick);
    b.title = `Send ${name} a direct message`;
    b.append(avatar(name, 'small'), h('span', 'member-name', name));
    li.append(b);
    if (moderate) li.append(' ', ...moderationEl(name, moderate));
  }
  return li;
}

// What a moderator can do to a member (PROTOCOL.md 1.1, "Moderators"): a Moderate button that
// opens mute, unmute, ban (asked again first) and unban; the panel exists only while open, so
// that the member list reads as names. moderate(frame, words): sends it, words said on its ack.
const MUTES = [[600, '10 minutes'], [3600, '1 hour'], [86400, '1 day']];
function moderationEl(name, moderate) {
  const open = button('Moderate', 'btn btn-quiet btn-small mod-open', () => (panel ? close() : show()));
  open.setAttribute('aria-label', `Moderate ${name}`);
  open.setAttribute('aria-expanded', 'false');
  const id = `mod-${Array.from(name, (c) => c.codePointAt(0).toString(36)).join('-')}`;
  let panel = null;
  const close = () => {
    panel?.remove();
    panel = null;
    open.setAttribute('aria-expanded', 'false');
    open.removeAttribute('aria-controls');
    open.focus();
  };
  const show = () => {
    panel = moderationPanel(name, id, (frame, words) => { moderate(frame, words); close(); }, close);
    open.after(panel);
    open.setAttribute('aria-expanded', 'true');
    open.setAttribute('aria-controls', id);
    panel.querySelector('button').focus();
  };
  return [open];
}

function moderationPanel(name, id, moderate, close) {
  const panel = h('div', 'mod-panel');
  panel.id = id;
  panel.setAttribute('role', 'group');
  panel.setAttribute('aria-label', `Moderate ${name}`);
  const act = (text, label, frame, words) => {
    const b = button(text, 'btn btn-quiet btn-small', () => moderate(frame, words));
    b.setAttribute('aria-label', label);
    return b;
  };
  const main = h('div', 'mod-row');
  for (const [seconds, span] of MUTES) {
    main.append(act(`Mute ${span}`, `Mute ${name} for ${span}`, { type: 'mute', user: name, seconds }, `${name} is muted for ${span}.`));
  }
  main.append(act('Unmute', `Unmute ${name}`, { type: 'unmute', user: name }, `${name} is no longer muted.`));
  const confirm = h('div', 'mod-row');
  confirm.hidden = true;
  const ask = button('Ban…', 'btn btn-quiet btn-small', () => {
    main.hidden = true;
    confirm.hidden = false;
    confirm.querySelector('button').focus();
  });
  ask.setAttribute('aria-label', `Ban ${name}…`);
  main.append(ask, act('Unban', `Unban ${name}`, { type: 'unban', user: name }, `${name} is no longer banned.`));
  confirm.append(h('span', 'mod-question', `Ban ${name} from this room?`),
    act('For a day', `Ban ${name} for a day`, { type: 'ban', user: name, seconds: 86400 }, `${name} is banned for a day.`),
    act('For ever', `Ban ${name} for ever`, { type: 'ban', user: name }, `${name} is banned.`),
    button('Cancel', 'btn btn-quiet btn-small', close));
  panel.append(main, confirm);
  panel.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.stopPropagation(); close(); } });
  return panel;
}

// A room in the list: its name, how many are in it and, for another room, how many messages
// the user has not read there (PROTOCOL.md 1.1: `unread`).
export function roomItem({ room, count, unread }, current, onClick) {
  const li = h('li');
  const a = h('a', current ? 'room current' : 'room');
  a.href = `#${room}`;
  if (current) a.setAttribute('aria-current', 'page');
  a.append(h('span', 'room-label', `#${room}`), ' ');
  const news = !current && Number.isInteger(unread) && unread > 0 ? unread : 0;
  if (news) {
    const badge = h('span', 'unread', String(news));
    badge.append(h('span', 'visually-hidden', ' unread'));
    a.append(badge, ' ');
  }
  a.append(h('span', 'pill', String(count)));
  a.title = `${count} ${count === 1 ? 'person' : 'people'} here`
    + (news ? `, ${news} unread message${news === 1 ? '' : 's'}` : '');
  a.addEventListener('click', onClick);
  li.append(a);
  return li;
}

export function typingText(names) {
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length > 1) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} are typing…`;
  return '';
}
