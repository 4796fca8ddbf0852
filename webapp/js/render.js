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
  members: $('members'), memberCount: $('member-count'), membersNote: $('members-note'), notices: $('notices'),
  joinCard: $('join-card'), joinVerb: $('join-verb'), joinRoom: $('join-room'), joinForm: $('join-form'),
  nameInput: $('name-input'), nameError: $('name-error'), nameLabel: $('name-label'), joinSub: $('join-sub'),
  chatPane: $('chat-pane'), scroller: $('log-scroll'), loadOlder: $('load-older'),
  items: $('log-items'), outbox: $('log-outbox'), typing: $('typing'),
  composer: $('composer'), message: $('message-input'), hint: $('message-hint'),
  dmChip: $('dm-chip'), dmName: $('dm-name'), dmCancel: $('dm-cancel'),
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
function textEl(text) {
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

export function memberItem(name, self, onPick) {
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
  }
  return li;
}

export function roomItem({ room, count }, current, onClick) {
  const li = h('li');
  const a = h('a', current ? 'room current' : 'room');
  a.href = `#${room}`;
  if (current) a.setAttribute('aria-current', 'page');
  a.append(h('span', 'room-label', `#${room}`), ' ', h('span', 'pill', String(count)));
  a.title = `${count} ${count === 1 ? 'person' : 'people'} here`;
  a.addEventListener('click', onClick);
  li.append(a);
  return li;
}

export function typingText(names) {
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length > 1) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} are typing…`;
  return '';
}
