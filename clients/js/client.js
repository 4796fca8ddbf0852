// ParleyClient: one member in one room, for an application that builds its own interface or
// a bot (docs/CLIENTS.md, clients/js/README.md). It runs the page's own connection layer
// (connection.js over fallback.js and transport.js) and adds what a program wants on top:
// events by type, promises for what it sends, and an outbox that makes a send happen once.
//
// - connect() resolves with the first welcome. Every later welcome is a reconnect: the frames
//   it recovers are emitted as events, so a program sees each stored frame once, in seq order.
// - send, edit, delete and react wait in the outbox with their cid until acknowledged. After
//   every welcome, the ones still waiting are sent again with the same cid. A 1.1 server
//   acknowledges a resend with the first seq and "dup": true, and stores nothing twice.
// - history and markRead are not resent: history rejects when the connection is lost; only
//   the newest read position waits while offline. So are rooms and members.
// - A large room (PROTOCOL.md, "Large rooms") tells its changes in `presence` frames, an event
//   like `joined` and `left`; members() pages its names.

import { Connection, State, newCid } from './connection.js';
import { FetchEventSource } from './event-stream.js';
import { FallbackTransport } from './fallback.js';
import { HttpTransport, WebSocketTransport } from './transport.js';

export const OUTBOX_LIMIT = 256;            // frames waiting for their ack
export const OUTBOX_CHARS = 1 << 20;        // ... and their texts' characters
export const HISTORY_LIMIT = 16;            // history requests waiting for their answer
export const MEMBERS_LIMIT = 500;           // the most names a members page may ask for
const MAX_AFTER = 128;                      // members' after: at most this many UTF-16 units, as the server counts
const STORED = new Set(['message', 'edit', 'delete', 'react']);
const EVENTS = new Set(['message', 'edit', 'delete', 'react', 'read', 'joined', 'left', 'presence', 'typing', 'direct',
  'rooms', 'state', 'error', 'welcome']);
const TOKEN_FRESH_MS = 30000;

/** What a promise of this client rejects with: the protocol's error code, and its message. */
export class ParleyError extends Error {
  constructor(code, message) {
    super(message || code);
    this.name = 'ParleyError';
    this.code = code;
  }
}

export class ParleyClient {
  #connection;
  #user;
  #listeners = new Map();
  #outbox = new Map();      // cid -> { frame, chars, resolve, reject, sent }
  #outboxChars = 0;
  #histories = [];          // { resolve, reject }, in the order asked
  #roomLists = [];          // the same, for rooms()
  #memberPages = [];        // the same, for members()
  #directs = new Map();     // cid -> { text, resolve, reject }: directs waiting for the server's copy
  #read = 0;                // the newest read position not sent yet
  #seen = 0;                // the newest stored seq emitted
  #welcome = null;
  #connecting = null;       // { resolve, reject } of connect()

  constructor({
    url, room = 'lobby', user, token, transport = 'auto',
    WebSocket = globalThis.WebSocket, EventSource = globalThis.EventSource, fetch = (...args) => globalThis.fetch(...args),
    clock, random,
  } = {}) {
    const urls = chatUrls(url);
    if (!token && (typeof user !== 'string' || !user.trim())) throw new TypeError('ParleyClient: a user or a token');
    if (!['auto', 'websocket', 'http'].includes(transport)) throw new TypeError(`ParleyClient: transport ${transport}`);
    this.#user = user;
    // Node has no EventSource: the stream is read through fetch
    const Source = EventSource ?? class extends FetchEventSource {
      constructor(streamUrl) { super(streamUrl, { fetch }); }
    };
    const dial = (roomName, handlers) => {
      const fallback = new FallbackTransport({
        mode: transport,
        websocket: () => new WebSocketTransport({ WebSocket }),
        http: () => new HttpTransport({ EventSource: Source, fetch, ...(clock ? { timers: clock } : {}) }),
        ...(clock ? { timers: clock } : {}),
      });
      fallback.open(urls(roomName), handlers);
      return fallback;
    };
    this.#connection = new Connection({
      dial, identity: token ? identity(token) : null, listener: this.#listener(), clock, random,
    });
    this.#connection.room = room;
  }

  get state() {
    return this.#connection.state;
  }

  get transport() {
    return this.#connection.transportKind;
  }

  get room() {
    return this.#connection.room;
  }

  /** The name the server gave (after the welcome), else the one asked for. */
  get user() {
    return this.#connection.name || this.#user;
  }

  on(type, listener) {
    if (!EVENTS.has(type)) throw new TypeError(`ParleyClient: no event ${type}`);
    if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
    this.#listeners.get(type).add(listener);
    return () => this.off(type, listener);
  }

  off(type, listener) {
    this.#listeners.get(type)?.delete(listener);
  }

  /** Joins the room; resolves with the welcome, rejects if refused (a name taken, banned, a bad room). */
  connect() {
    if (this.#connection.online && this.#welcome) return Promise.resolve(this.#welcome);
    if (this.#connecting) return this.#connecting.promise;
    const connecting = {};
    connecting.promise = new Promise((resolve, reject) => Object.assign(connecting, { resolve, reject }));
    this.#connecting = connecting;
    this.#connection.join(this.#user);
    return connecting.promise;
  }

  /** Resolves with {seq, dup} once the server stored it, however many reconnects lie between. */
  send(text, { replyTo, cid } = {}) {
    const frame = { type: 'message', text };
    if (Number.isInteger(replyTo)) frame.reply_to = replyTo;
    return this.#enqueue(frame, text, cid);
  }

  edit(seq, text) {
    return this.#enqueue({ type: 'edit', ref: seq, text }, text);
  }

  delete(seq) {
    return this.#enqueue({ type: 'delete', ref: seq }, '');
  }

  /** on: false takes the reaction back. Resolves with {seq}, seq absent when nothing changed. */
  react(seq, emoji, on = true) {
    return this.#enqueue({ type: 'react', ref: seq, emoji, on }, emoji);
  }

  /** Resolves once sent; while offline only the newest position waits, sent after the next welcome. */
  markRead(seq) {
    this.#read = Math.max(this.#read, seq);
    if (this.#connection.online) this.#sendRead();
    return Promise.resolve();
  }

  /** The stored frames before {before} (the newest if absent), at most limit, oldest first. */
  history({ before, limit = 50 } = {}) {
    // the server answers a bad one with an error that names no request: its answer would never come
    if (!Number.isInteger(limit) || limit < 1 || limit > 100 || (before != null && (!Number.isInteger(before)
      || before < 0))) {
      return Promise.reject(new RangeError(`history: before at least 0 and a limit of 1 to 100, not ${before} and ${limit}`));
    }
    const frame = { type: 'history', limit };
    if (Number.isInteger(before)) frame.before = before;
    return this.#ask(this.#histories, frame);
  }

  /** Tells the room this user is typing. Only while online, never resent: returns whether it went. */
  typing() {
    return this.#connection.online && this.#connection.send({ type: 'typing' });
  }

  /**
   * A direct message to a member of the room. Resolves with the server's copy (the frame the
   * recipient got); rejects on its error (no-such-user, …), or if the connection is lost
   * first: a direct is not stored, so it is never sent twice.
   */
  direct(to, text) {
    if (!this.#connection.online) return Promise.reject(new ParleyError('offline', 'not connected'));
    if (this.#directs.size >= HISTORY_LIMIT) {
      return Promise.reject(new ParleyError('busy', `${HISTORY_LIMIT} directs wait already`));
    }
    const cid = newCid();
    return new Promise((resolve, reject) => {
      this.#directs.set(cid, { text, resolve, reject });
      if (!this.#connection.send({ type: 'direct', to, text, cid })) {
        this.#directs.delete(cid);
        reject(new ParleyError('offline', 'not connected'));
      }
    });
  }

  /** The rooms with members, as the server lists them: [{room, count, last, unread}]. */
  rooms() {
    return this.#ask(this.#roomLists, { type: 'rooms' });
  }

  /**
   * A page of the room's names (PROTOCOL.md, "Large rooms"): at most limit (1..500) after the
   * name `after` (from the first if absent), in code point order. Resolves with the `members`
   * frame: {room, users, count, more}.
   */
  members({ after, limit = 100 } = {}) {
    // the server answers a bad one with an error that names no request: its answer would never come
    if (!Number.isInteger(limit) || limit < 1 || limit > MEMBERS_LIMIT || (after != null
      && (typeof after !== 'string' || after.length > MAX_AFTER))) {
      return Promise.reject(new RangeError(`members: after a string of at most ${MAX_AFTER} characters and a limit of 1`
        + ` to ${MEMBERS_LIMIT}, not ${after} and ${limit}`));
    }
    const frame = { type: 'members', limit };
    if (after != null) frame.after = after;
    return this.#ask(this.#memberPages, frame);
  }

  /**
   * Sends a request whose answer names no request (history, rooms, members): answers come in
   * the order asked, so each kind waits in its own queue of at most HISTORY_LIMIT.
   */
  #ask(waiting, frame) {
    if (!this.#connection.online) return Promise.reject(new ParleyError('offline', 'not connected'));
    if (waiting.length >= HISTORY_LIMIT) {
      return Promise.reject(new ParleyError('busy', `${HISTORY_LIMIT} ${frame.type} requests wait already`));
    }
    return new Promise((resolve, reject) => {
      waiting.push({ resolve, reject });
      if (!this.#connection.send(frame)) waiting.pop().reject(new ParleyError('offline', 'not connected'));
    });
  }

  /** Leaves the room; what waits is rejected. */
  close() {
    this.#connection.leave();
    this.#failAll(new ParleyError('closed', 'the client was closed'));
  }

  #enqueue(frame, text, cid = newCid()) {
    if (this.#outbox.size >= OUTBOX_LIMIT || this.#outboxChars + text.length > OUTBOX_CHARS) {
      return Promise.reject(new ParleyError('outbox-full', 'too much waits for the server already'));
    }
    if (this.#outbox.has(cid)) return this.#outbox.get(cid).promise;
    frame.cid = cid;
    const item = { frame, chars: text.length, sent: false };
    item.promise = new Promise((resolve, reject) => Object.assign(item, { resolve, reject }));
    this.#outbox.set(cid, item);
    this.#outboxChars += item.chars;
    if (this.#connection.online) item.sent = this.#connection.send(frame);
    return item.promise;
  }

  #settle(cid, settle) {
    const item = this.#outbox.get(cid);
    if (!item) return false;
    this.#outbox.delete(cid);
    this.#outboxChars -= item.chars;
    settle(item);
    return true;
  }

  #flush() {
    for (const item of this.#outbox.values()) item.sent = this.#connection.send(item.frame);
    if (this.#read) this.#sendRead();
  }

  #sendRead() {
    if (this.#connection.send({ type: 'read', seq: this.#read })) this.#read = 0;
  }

  #failAll(error) {
    for (const cid of [...this.#outbox.keys()]) this.#settle(cid, (item) => item.reject(error));
    this.#failRequests(error);
    const connecting = this.#connecting;
    this.#connecting = null;
    connecting?.reject(error);
  }

  // What is not resent fails when the connection goes: history, rooms and members requests, directs.
  #failRequests(error) {
    this.#histories.splice(0).forEach((waiting) => waiting.reject(error));
    this.#roomLists.splice(0).forEach((waiting) => waiting.reject(error));
    this.#memberPages.splice(0).forEach((waiting) => waiting.reject(error));
    for (const waiting of this.#directs.values()) waiting.reject(error);
    this.#directs.clear();
  }

  #emit(type, event) {
    for (const listener of this.#listeners.get(type) ?? []) {
      try {
        listener(event);
      } catch (e) {
        // a listener's failure is its own: the others still hear, the connection goes on
        queueMicrotask(() => { throw e; });
      }
    }
  }

  #stored(frame) {
    if (!Number.isInteger(frame.seq) || frame.seq <= this.#seen) return;
    this.#seen = frame.seq;
    this.#emit(frame.type, frame);
  }

  #listener() {
    const state = () => this.#emit('state', { state: this.#connection.state, transport: this.#connection.transportKind });
    return {
      changed: state,
      transport: state,
      welcome: (frame, { history, rejoined, restarted }) => {
        this.#welcome = frame;
        if (restarted) this.#seen = 0;
        if (rejoined) history.forEach((f) => STORED.has(f.type ?? 'message') && this.#stored({ type: 'message', ...f }));
        else for (const f of history) this.#seen = Math.max(this.#seen, Number.isInteger(f.seq) ? f.seq : 0);
        this.#emit('welcome', frame);
        const connecting = this.#connecting;
        this.#connecting = null;
        connecting?.resolve(frame);
        this.#flush();
      },
      frame: (frame) => this.#frame(frame),
      nameRefused: (text, code) => {
        const error = new ParleyError(code, text);
        this.#emit('error', error);
        this.#connection.leave();
        const connecting = this.#connecting;
        this.#connecting = null;
        connecting?.reject(error);
      },
      closed: ({ fatal, refusal, code, reason }) => {
        this.#failRequests(new ParleyError('offline', 'connection lost'));
        if (fatal) {
          const error = new ParleyError('refused', refusal || reason || `closed with ${code}`);
          this.#emit('error', error);
          this.#failAll(error);
        }
      },
      signInFailed: (message) => this.#emit('error', new ParleyError('unauthorized', message)),
      cannotDial: () => this.#failAll(new ParleyError('refused', 'cannot open a connection to that URL')),
    };
  }

  #frame(frame) {
    switch (frame.type) {
      case 'ack':
        this.#settle(frame.cid, (item) => item.resolve(frame.dup ? { seq: frame.seq, dup: true } : { seq: frame.seq }));
        for (const item of this.#outbox.values()) if (!item.sent) item.sent = this.#connection.send(item.frame);
        return;
      case 'error':
        if (typeof frame.cid === 'string' && this.#settle(frame.cid, (item) => item.reject(new ParleyError(frame.code,
          frame.message)))) return;
        if (typeof frame.cid === 'string' && this.#directs.has(frame.cid)) {
          this.#directs.get(frame.cid).reject(new ParleyError(frame.code, frame.message));
          this.#directs.delete(frame.cid);
          return;
        }
        this.#emit('error', new ParleyError(frame.code, frame.message));
        return;
      case 'history':
        this.#histories.shift()?.resolve(Array.isArray(frame.messages) ? frame.messages : []);
        return;
      case 'rooms':
        this.#roomLists.shift()?.resolve(Array.isArray(frame.rooms) ? frame.rooms : []);
        this.#emit('rooms', frame);
        return;
      case 'members':
        this.#memberPages.shift()?.resolve(frame);
        return;
      case 'direct':
        // the copy of one this client sent: it settles the oldest waiting direct of that text
        if (frame.from === this.user) {
          for (const [cid, waiting] of this.#directs) {
            if (waiting.text === frame.text) {
              this.#directs.delete(cid);
              waiting.resolve(frame);
              break;
            }
          }
        }
        this.#emit('direct', frame);
        return;
      case 'pong':
        return;
      default:
        if (STORED.has(frame.type)) this.#stored(frame);
        else this.#emit(frame.type, frame);
    }
  }
}

// The WebSocket and stream URLs of a room from the chat's URL (ws://host:8080/chat, or
// …/parley/chat in the WAR): …/chat/{room} and, over HTTP, …/sse/{room}.
function chatUrls(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`ParleyClient: url ${url} is not a URL`);
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(parsed.protocol) || !path.endsWith('/chat')) {
    throw new TypeError(`ParleyClient: url ${url} is not a chat URL (ws://host:port/chat)`);
  }
  const secure = parsed.protocol === 'wss:' || parsed.protocol === 'https:';
  const base = path.slice(0, -'/chat'.length);
  return (room) => ({
    websocket: `${secure ? 'wss' : 'ws'}://${parsed.host}${base}/chat/${encodeURIComponent(room)}`,
    http: `${secure ? 'https' : 'http'}://${parsed.host}${base}/sse/${encodeURIComponent(room)}`,
  });
}

// The connection's identity over a token: a string, or a function that fetches a fresh one
// (called before a connect when the one in hand expires within 30 s, and before it expires).
function identity(token) {
  const fetchToken = typeof token === 'function' ? token : null;
  const id = {
    on: true,
    tokenUrl: fetchToken ? 'function' : null,
    token: null,
    exp: 0,
    nameHeldMs: 15000,
    stale: (now) => Boolean(fetchToken) && (!id.token || (id.exp && id.exp - now < TOKEN_FRESH_MS)),
    fetchToken: async () => take(await fetchToken()),
  };
  const take = (value) => {
    if (typeof value !== 'string' || !value) throw new Error('the token function gave no token');
    id.token = value;
    id.exp = 0;
    try {
      const payload = JSON.parse(atob(value.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      if (typeof payload.exp === 'number') id.exp = payload.exp * 1000;
    } catch { /* the server judges it */ }
  };
  if (!fetchToken) take(token);
  return id;
}

export { State };
