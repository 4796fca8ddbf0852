// The room's log as the page knows it (PROTOCOL.md, "Version 1.1 additions"): its messages'
// current state, from `message` frames and the events that change them (`edit`, `delete`,
// `react`), live or inside welcome.history and `history` replies, all in one seq order. No DOM:
// the page asks what a frame changed and redraws that message (app.js, js/message.js).
//
// A `message` frame served in history carries its message's state as it is when the server
// sends it: every event up to then is in it already. So a message's state has a `version`, the
// newest seq it includes, and an event whose seq is not above it is not applied again (an older
// page of history brings an edit that a newer one overruled). Every event is idempotent as well.

export const LOG_TYPES = new Set(['message', 'edit', 'delete', 'react']);

// Whether a frame belongs to the room's stored log (a version 1 server's history has only messages).
export function isLogFrame(frame) {
  return frame != null && LOG_TYPES.has(frame.type ?? 'message') && Number.isInteger(frame.seq);
}

// The state a `message` frame says its message has: {seq, user, text, ts, edited (ts or null),
// deleted, reactions (Map emoji -> sorted names), replyTo (seq or null), version}.
export function messageState(frame, version = frame.seq) {
  const reactions = new Map();
  if (frame.reactions && typeof frame.reactions === 'object') {
    for (const [emoji, names] of Object.entries(frame.reactions)) {
      if (Array.isArray(names) && names.length) reactions.set(emoji, [...new Set(names.map(String))].sort());
    }
  }
  const deleted = frame.deleted === true;
  return {
    seq: frame.seq,
    user: String(frame.user ?? ''),
    text: deleted ? '' : String(frame.text ?? ''),
    ts: frame.ts ?? null,
    edited: typeof frame.edited === 'string' ? frame.edited : null,
    deleted,
    reactions: deleted ? new Map() : reactions,
    replyTo: Number.isInteger(frame.reply_to) ? frame.reply_to : null,
    version: Math.max(frame.seq, version),
  };
}

export class RoomLog {
  #messages = new Map();   // seq -> state
  newest = 0;              // the newest seq of the log seen
  oldest = 0;              // the oldest seq of the log seen, event or message (0: none): where older history starts

  get(seq) {
    return this.#messages.get(seq);
  }

  has(seq) {
    return this.#messages.has(seq);
  }

  get size() {
    return this.#messages.size;
  }

  // The known messages' seqs, ascending.
  seqs() {
    return [...this.#messages.keys()].sort((a, b) => a - b);
  }

  clear() {
    this.#messages.clear();
    this.newest = 0;
    this.oldest = 0;
  }

  // Frames served together (welcome.history, a `history` reply), oldest first: their messages'
  // state is current as of the newest of them, or of the newest seen before. Returns what each
  // changed, as apply() does, leaving out the frames that changed nothing.
  applyAll(frames) {
    const served = frames.filter(isLogFrame);
    const asOf = Math.max(this.newest, ...served.map((f) => f.seq));
    return served.map((f) => this.apply(f, asOf)).filter(Boolean);
  }

  // One frame, live (asOf: its own seq) or served. Returns {seq: the message it changed, type,
  // created: whether the message is new to the log} or null when it changed nothing (a message
  // not known here, an event already in a message's state).
  apply(frame, asOf = frame.seq) {
    if (!isLogFrame(frame)) return null;
    this.newest = Math.max(this.newest, frame.seq);
    this.oldest = this.oldest ? Math.min(this.oldest, frame.seq) : frame.seq;
    const type = frame.type ?? 'message';
    if (type === 'message') {
      const created = !this.#messages.has(frame.seq);
      const before = this.#messages.get(frame.seq);
      const state = messageState(frame, asOf);
      if (before && before.version > state.version) return null;   // ours is newer already
      this.#messages.set(frame.seq, state);
      return { seq: frame.seq, type, created };
    }
    const m = this.#messages.get(frame.ref);
    if (!m || frame.seq <= m.version) return null;
    m.version = frame.seq;
    if (type === 'edit') {
      if (m.deleted) return null;   // its words are gone: an edit cannot bring them back
      m.text = String(frame.text ?? '');
      m.edited = frame.ts ?? m.edited ?? '';
    } else if (type === 'delete') {
      if (m.deleted) return null;
      Object.assign(m, { deleted: true, text: '', reactions: new Map(), deletedBy: frame.user ?? null });
    } else if (type === 'react') {
      if (m.deleted || !react(m.reactions, frame.emoji, String(frame.user ?? ''), frame.on !== false)) return null;
    }
    return { seq: m.seq, type, created: false };
  }

  // A message's reactions for the page: [{emoji, users (sorted), mine}], in the order they came.
  reactions(seq, me) {
    const m = this.#messages.get(seq);
    if (!m) return [];
    return [...m.reactions].map(([emoji, users]) => ({ emoji, users, mine: users.includes(me) }));
  }

  // What a reply shows of its original: {user, text (its start, at most max code points, with
  // an ellipsis when cut), deleted}, or null when the original is not in the log here.
  quote(seq, max = 80) {
    const m = this.#messages.get(seq);
    if (!m) return null;
    return { seq, user: m.user, text: excerpt(m.text, max), deleted: m.deleted };
  }

  // The seqs of the messages that reply to seq.
  repliesTo(seq) {
    return [...this.#messages.values()].filter((m) => m.replyTo === seq).map((m) => m.seq);
  }

  // The first message after position `read` written by someone other than `me` and not deleted:
  // where the "new messages" divider goes; null when there is none.
  firstUnread(read, me) {
    let first = null;
    for (const m of this.#messages.values()) {
      if (m.seq > read && m.user !== me && !m.deleted && (first === null || m.seq < first)) first = m.seq;
    }
    return first;
  }
}

// Adds or removes a user's reaction; true if that changed anything.
function react(reactions, emoji, user, on) {
  if (typeof emoji !== 'string' || !emoji) return false;
  const users = reactions.get(emoji) || [];
  const has = users.includes(user);
  if (on === has) return false;
  const next = on ? [...users, user].sort() : users.filter((u) => u !== user);
  if (next.length) reactions.set(emoji, next);
  else reactions.delete(emoji);
  return true;
}

// The start of a text on one line, at most max code points.
export function excerpt(text, max = 80) {
  const line = String(text).replace(/\s+/gu, ' ').trim();
  const points = [...line];
  return points.length <= max ? line : `${points.slice(0, max - 1).join('').trimEnd()}…`;
}
