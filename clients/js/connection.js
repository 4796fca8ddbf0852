// One page's connection to its room, as a state machine over a transport (transport.js,
// fallback.js): reconnects with full-jitter backoff (or when the server's `reconnect` frame
// says, before it closes with 1001 or 1013), recovery with `join` `since`, and with
// identity on a token fetched before a connect and refreshed before it expires. No DOM: the
// page is the listener (app.js); the tests drive it with a fake transport and fake timers.
//
//   offline ──join()──> connecting ──open──> joining ──welcome──> online
//   online ──WebSocket works again after a fallback to HTTP──> connecting (at once)
//   connecting, joining, online ──lost──> reconnecting ──backoff, reconnectNow()──> connecting
//   joining ──name refused──> naming ──join()──> joining
//   connecting, joining, online ──refused for good──> refused ──join(), switchRoom()──> connecting
//   naming ──closed──> offline
//   any ──leave()──> offline;  wanted ──suspend()──> suspended ──resume()──> connecting

export const State = Object.freeze({
  OFFLINE: 'offline',           // no transport and not trying: before Join, after Leave
  CONNECTING: 'connecting',     // fetching a token, or the transport is opening
  JOINING: 'joining',           // the transport is open and `join` went out: waiting for `welcome`
  ONLINE: 'online',             // welcomed: a member of the room
  NAMING: 'naming',             // the server refused the name; the transport stays open for the next join()
  RECONNECTING: 'reconnecting', // lost: waiting out the backoff (reconnectAt) before the next attempt
  REFUSED: 'refused',           // the server refused us for good (bad room, unauthorized, an administrator)
  SUSPENDED: 'suspended',       // the page was hidden (pagehide): hung up, connects again on resume()
});

const { OFFLINE, CONNECTING, JOINING, ONLINE, NAMING, RECONNECTING, REFUSED, SUSPENDED } = State;
// The user asked to be in the room (Join pressed, not left, no name refused).
const WANTED = new Set([CONNECTING, JOINING, ONLINE, RECONNECTING, REFUSED, SUSPENDED]);

export const PING_MS = 25000;
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 15000;
// A `reconnect` frame's `after` above this is taken as this: a server cannot keep a page away for long.
export const RETRY_HINT_CAP_MS = 300000;
export const REFRESH_LEAD_MS = 60000;      // a fresh token is fetched this long before the current one expires
const REFRESH_RETRY_MS = 10000;
const GHOST_WAIT_MS = 15000;        // how long a server without config.json's nameHeldSeconds may hold a name
const GHOST_RETRY_MAX_MS = 5000;
// Closes by an administrator (the admin view): the client does not reconnect after them.
export const MODERATION_TEXT = {
  'removed by an administrator': 'An administrator removed you from this room.',
  'room closed': 'An administrator closed this room.',
  banned: 'A moderator banned you from this room.',
};
// The frames the room stores, each with its seq: `since` is the newest of them seen.
const STORED = new Set(['message', 'edit', 'delete', 'react']);
const EXPIRED_TEXT = 'Your sign-in has expired: open the chat from your application again.';

const realClock = {
  setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (id) => clearTimeout(id),
  setInterval: (f, ms) => setInterval(f, ms), clearInterval: (id) => clearInterval(id),
  now: () => Date.now(),
};

export class Connection {
  state = OFFLINE;
  room = 'lobby';
  name = '';                // the name we ask for; replaced by the server's form on welcome
  transportKind = null;     // 'websocket' or 'http' while a transport is open
  seq = 0;                  // the newest seq seen in this room: the next join's `since`
  reconnectAt = 0;
  #welcomed = false;        // welcomed in this room before: a join is a reconnect with `since`
  #upgrading = null;        // null, 'wanted' (WebSocket works again: connect again after this welcome) or 'under way'
  #attempts = 0;            // attempts since the last welcome: the backoff's exponent
  #retryHint = 0;           // the `after` of this connection's `reconnect` frame: the next delay, once
  #attempt = 0;             // the current attempt: a token or transport of an older one is ignored
  #ghostRetries = 0;
  #ghostWaited = 0;
  #refusal = null;          // what an error frame said before the server closes for good
  #transport = null;
  #timers = {};
  #refresh = 0;
  #dial;
  #identity;
  #listener;
  #clock;
  #random;
  #secrets;

  // dial(room, handlers): an opened transport (throws if the page cannot open one).
  // listener: changed(state), transport(kind or null), welcome(frame, {history, rejoined, restarted,
  //   since}), frame(frame), nameRefused(text, code), closed({code, reason, wasOnline, fatal, refusal}),
  //   signInFailed(message), cannotDial().
  // secrets: where the last welcome's `resume` secret is kept ({get(room, user), set(room, user,
  // secret), forget()}); the page keeps it in sessionStorage, so that a reload takes the name back too.
  constructor({ dial, identity = null, listener, clock = realClock, random = Math.random, secrets = memorySecrets() }) {
    this.#secrets = secrets;
    this.#dial = dial;
    this.#identity = identity;
    this.#listener = listener;
    this.#clock = clock;
    this.#random = random;
  }

  get wanted() {
    return WANTED.has(this.state);
  }

  get online() {
    return this.state === ONLINE;
  }

  // Join pressed (name: what the user typed; none with identity).
  join(name) {
    if (name !== undefined) this.name = name;
    if (this.state === NAMING || this.state === JOINING) {
      this.#to(JOINING);
      this.#sendJoin();
    } else if (this.state !== CONNECTING && this.state !== ONLINE) {
      this.#connect();
    }
  }

  leave() {
    this.#clock.clearTimeout(this.#refresh);
    this.#hangUp();
    this.#forgetRoom();
    this.#to(OFFLINE);
  }

  switchRoom(room) {
    const wanted = this.wanted;
    this.#hangUp();
    this.room = room;
    this.#forgetRoom();
    if (wanted) this.#connect();
    else this.#to(OFFLINE);
  }

  reconnectNow() {
    if (this.state === RECONNECTING) this.#connect();
  }

  suspend() {
    if (this.state === OFFLINE || this.state === REFUSED || this.state === SUSPENDED) return;
    const wanted = this.wanted;
    this.#hangUp();
    this.#to(wanted ? SUSPENDED : OFFLINE);
  }

  resume() {
    if (this.state === SUSPENDED) this.#connect();
  }

  send(frame) {
    return this.#transport ? this.#transport.send(frame) : false;
  }

  async #connect() {
    this.#stopTimers();
    this.#refusal = null;
    this.#retryHint = 0;
    this.#to(CONNECTING);
    const attempt = ++this.#attempt;
    if (this.#identity && this.#identity.stale(this.#clock.now())) {
      try {
        await this.#identity.fetchToken();
      } catch (e) {
        if (attempt !== this.#attempt) return;
        this.#listener.signInFailed(e.message);
        this.#scheduleReconnect();
        return;
      }
      if (attempt !== this.#attempt) return;   // left, or another room, meanwhile
    }
    const current = (handle) => (...args) => { if (attempt === this.#attempt) handle(...args); };
    try {
      this.#transport = this.#dial(this.room, {
        open: current((kind) => this.#opened(kind)),
        frame: current((frame) => this.#frame(frame)),
        close: current((code, reason) => this.#closed(code, reason)),
        upgrade: current(() => this.#upgrade()),
      });
    } catch {
      this.#attempt += 1;
      this.#to(REFUSED);
      this.#listener.cannotDial();
    }
  }

  #opened(kind) {
    this.#setTransportKind(kind);
    this.#to(JOINING);
    this.#sendJoin();
    this.#timers.ping = this.#clock.setInterval(() => this.send({ type: 'ping' }), PING_MS);
  }

  #sendJoin() {
    const frame = this.#identity?.on ? { type: 'join', token: this.#identity.token || '' }
      : { type: 'join', user: this.name };
    if (this.#welcomed) frame.since = this.seq;
    const secret = this.#identity?.on ? null : this.#secrets.get(this.room, this.name.trim());
    if (secret) frame.resume = secret;    // takes our name back from our own connection the server still has
    this.send(frame);
  }

  #frame(frame) {
    if (frame.type === 'welcome') { this.#welcome(frame); return; }
    if (frame.type === 'reconnect') { this.#takeRetryHint(frame.after); return; }
    // from protocol 1.1 the room's seq numbers its edits, deletes and reactions too
    if (STORED.has(frame.type) && Number.isInteger(frame.seq)) this.seq = Math.max(this.seq, frame.seq);
    if (frame.type === 'error' && this.#takeError(frame)) return;
    this.#listener.frame(frame);
  }

  #welcome(frame) {
    const history = Array.isArray(frame.history) ? frame.history : [];
    const newest = history.length ? history[history.length - 1].seq : 0;
    const rejoined = this.#welcomed;
    // The room's history started over (a restart of a memory store): its seqs are reused.
    const restarted = rejoined && !frame.recovered && newest < this.seq;
    if (restarted) this.seq = 0;
    const since = this.seq;
    for (const m of history) if (Number.isInteger(m.seq)) this.seq = Math.max(this.seq, m.seq);
    this.#welcomed = true;
    this.#attempts = 0;
    this.#ghostRetries = 0;
    this.#ghostWaited = 0;
    this.name = frame.user || this.name;
    if (typeof frame.resume === 'string') this.#secrets.set(this.room, this.name, frame.resume);
    const upgraded = this.#upgrading === 'under way';
    const upgradeNext = this.#upgrading === 'wanted';
    this.#upgrading = null;
    this.#to(ONLINE);
    this.#listener.welcome(frame, { history, rejoined, restarted, since, upgraded });
    this.#scheduleRefresh();
    if (upgradeNext) this.#upgrade();
  }

  // The transport fell back to HTTP and WebSocket works again: connect again at once, as a
  // reconnect with `since` (not one after a loss: no backoff, nothing said), which opens on WebSocket.
  #upgrade() {
    if (this.state === JOINING) {
      this.#upgrading = 'wanted';
    } else if (this.state === ONLINE) {
      this.#hangUp();
      this.#upgrading = 'under way';
      this.#connect();
    }
  }

  // The errors that are about the connection; true if handled here.
  #takeError(frame) {
    const text = frame.message || frame.code || 'Something went wrong.';
    const identity = this.#identity;
    switch (frame.code) {
      case 'bad-name':
      case 'name-taken':
        this.#nameRefused(frame.code, text);
        return true;
      case 'unauthorized':
        // a refresh refused: the token in use goes on
        if (typeof frame.cid === 'string' && frame.cid.startsWith('auth-')) return true;
        // our token ran out before a fresh one came: the server closes, and the reconnect fetches one
        if (this.state === ONLINE && identity?.tokenUrl) { identity.token = null; return true; }
        this.#refusal = text;
        return true;
      case 'bad-room':
        this.#refusal = text;   // the server closes with 1008 next
        return true;
      case 'forbidden':
        // a `join` while banned (PROTOCOL.md 1.1, "Moderators"): the server keeps the connection
        // open, but trying again will not help; once in, a forbidden action is the page's to show
        if (this.state !== JOINING) return false;
        this.#refuse(text);
        return true;
      default:
        return false;
    }
  }

  #nameRefused(code, text) {
    // Right after a network drop the server may not have noticed our old connection yet (and
    // no secret took the name back: another tab, storage off): tried again, 1 s, 2 s ... 5 s
    // apart, for as long as the server says it may hold a lost connection's name.
    const holds = this.#identity?.nameHeldMs || GHOST_WAIT_MS;
    if (code === 'name-taken' && this.#welcomed && this.#ghostWaited < holds) {
      this.#ghostRetries += 1;
      const delay = Math.min(GHOST_RETRY_MAX_MS, 1000 * this.#ghostRetries);
      this.#ghostWaited += delay;
      this.#timers.ghost = this.#clock.setTimeout(() => this.#sendJoin(), delay);
      return;
    }
    this.#to(NAMING);
    this.#listener.nameRefused(text, code);
  }

  #closed(code, reason) {
    const wasOnline = this.state === ONLINE;
    this.#upgrading = null;
    const wanted = this.wanted;
    this.#attempt += 1;
    this.#transport = null;
    this.#stopTimers();
    this.#setTransportKind(null);
    // A policy close before we ever got in (bad room, origin, auth) will not get better by retrying,
    // nor will one by an administrator (PROTOCOL.md, Parley's additions).
    let refusal = this.#refusal;
    let fatal = refusal !== null || (code === 1008 && !wasOnline);
    if (code === 1008 && reason === 'token expired' && !this.#identity?.tokenUrl) {
      fatal = true;
      refusal = EXPIRED_TEXT;
    }
    if (code === 1008 && MODERATION_TEXT[reason]) {
      fatal = true;
      refusal = MODERATION_TEXT[reason];
    }
    this.#refusal = null;
    this.#listener.closed({ code, reason, wasOnline, fatal, refusal });
    if (!wanted) this.#to(OFFLINE);
    else if (fatal) this.#to(REFUSED);
    else this.#scheduleReconnect();
  }

  // Refused for good on a connection the server keeps open: the page hangs up.
  #refuse(text) {
    this.#hangUp();
    this.#listener.closed({ code: 1008, reason: 'banned', wasOnline: false, fatal: true, refusal: text });
    this.#to(REFUSED);
  }

  // The server is about to close with 1001 (shutting down) or 1013 (at a limit) and asks us back
  // no sooner than `after` ms (PROTOCOL.md, Parley's additions, Closing).
  #takeRetryHint(after) {
    if (typeof after === 'number' && Number.isFinite(after) && after >= 1) {
      this.#retryHint = Math.min(after, RETRY_HINT_CAP_MS);
    }
  }

  // Exponential backoff with full jitter: a random delay in [0, min(cap, base * 2^attempts)); after
  // a `reconnect` frame, this once, a random delay in [after, 2 * after] instead.
  #scheduleReconnect() {
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(this.#attempts, 10));
    const hint = this.#retryHint;
    this.#retryHint = 0;
    const delay = hint > 0 ? hint * (1 + this.#random()) : this.#random() * ceiling;
    this.#attempts += 1;
    this.reconnectAt = this.#clock.now() + delay;
    this.#timers.reconnect = this.#clock.setTimeout(() => this.#connect(), delay);
    this.#to(RECONNECTING);
  }

  // Before the token expires: a fresh one, sent as `auth` on the open connection.
  #scheduleRefresh() {
    const identity = this.#identity;
    this.#clock.clearTimeout(this.#refresh);
    if (!identity?.on || !identity.tokenUrl || !identity.exp) return;
    const left = identity.exp - this.#clock.now();
    this.#refresh = this.#clock.setTimeout(() => this.#refreshToken(),
      Math.max(1000, left > 2 * REFRESH_LEAD_MS ? left - REFRESH_LEAD_MS : left / 2));
  }

  async #refreshToken() {
    try {
      await this.#identity.fetchToken();
    } catch {
      // the server closes us if the token runs out first
      this.#refresh = this.#clock.setTimeout(() => this.#refreshToken(), REFRESH_RETRY_MS);
      return;
    }
    if (this.online) this.send({ type: 'auth', token: this.#identity.token, cid: `auth-${newCid()}` });
    this.#scheduleRefresh();
  }

  // A close the page asked for (leave, another room, pagehide): no close handler follows.
  #hangUp() {
    this.#attempt += 1;
    this.#upgrading = null;
    this.#retryHint = 0;
    this.#stopTimers();
    const transport = this.#transport;
    this.#transport = null;
    transport?.close();
    this.#setTransportKind(null);
  }

  #forgetRoom() {
    this.seq = 0;
    this.#welcomed = false;
    this.#secrets.forget();
    this.#attempts = 0;
  }

  #stopTimers() {
    this.#clock.clearInterval(this.#timers.ping);
    this.#clock.clearTimeout(this.#timers.reconnect);
    this.#clock.clearTimeout(this.#timers.ghost);
    this.#timers = {};
  }

  #setTransportKind(kind) {
    if (this.transportKind === kind) return;
    this.transportKind = kind;
    this.#listener.transport(kind);
  }

  #to(state) {
    this.state = state;
    this.#listener.changed(state);
  }
}

// One secret, for one room and name: what a tab needs.
export function memorySecrets() {
  let kept = null;
  return {
    get: (room, user) => (kept && kept.room === room && kept.user === user ? kept.secret : null),
    set: (room, user, secret) => { kept = { room, user, secret }; },
    forget: () => { kept = null; },
  };
}

export function newCid() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
