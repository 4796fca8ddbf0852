// The lean Node reference: Parley's wire protocol (docs/PROTOCOL.md) on the `ws` package and
// node:http, no framework, for the duties the Vert.x reference (bench/vertx) has, so that the
// comparison is fair and the generator drives it with the `parley` driver. Per room: a seq, a
// timestamp on every message, an in-memory history of the newest 10,000 (Parley's memory store
// keeps as many), presence; the sender gets an ack with the seq when it gave a cid, then
// everyone in the room (sender included) gets the message. Issue 36's peer with the leanest
// idle memory per connection (docs/PERFORMANCE.md).
//
//   node ws-server.mjs [port]      (prints "listening <port>" when ready; 127.0.0.1 only)
//
// WebSocket at /chat/{room} (a bad name: bad-room, then 1008). Frames (client -> server):
// join {user} -> welcome {room, user, users (sorted), history (the newest 50, as broadcast)} or
// bad-name, name-taken, already-joined; message {text, cid?} -> ack {cid, seq} to the sender
// (with a cid), then message {room, seq, user, text, ts} to everyone in the room, or too-long,
// bad-text, not-joined; ping -> pong (every member but type echoed). Server -> client also:
// joined, left {room, user, count, ts} to the others; bad-json, bad-frame (binary), unknown-type;
// 1009 for a frame over 16 KiB. Not served, as on the Vert.x one: recovery (since), direct,
// typing, history, rooms, read; no rate limit, send-queue bound or idle timeout.
// GET /health answers ok.
//
// One process, one thread: all state is plain objects. A broadcast encodes its frame to UTF-8
// once; every recipient gets the same Buffer (ws writes it as it is: a server does not mask).
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const KEEP = 10_000;
const WELCOME_HISTORY = 50;
const MAX_NAME = 32;
const MAX_TEXT = 4000;
const MAX_CID = 64;
const MAX_FRAME = 16 * 1024;
const CHAT = '/chat/';
const ROOM_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
// white space as the Vert.x reference counts it (Character.isWhitespace or Unicode White_Space)
const WHITE = '[\\p{Z}\\t\\n\\v\\f\\r\\x1c-\\x1f\\x85]';
const STRIP_RE = new RegExp(`^${WHITE}+|${WHITE}+$`, 'gu');
const BLANK_RE = new RegExp(`^${WHITE}*$`, 'u');
const CONTROL_RE = /\p{Cc}/u;
const TEXT = { binary: false };

/** Whether `s` has more than `max` code points (never when it has no more than `max` UTF-16 code units). */
function longer(s, max) {
  if (s.length <= max) return false;
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { n--; i++; }
    }
  }
  return n > max;
}

/** A room: its seq, its newest message frames (as broadcast) in a ring, its members by name. */
class Room {
  constructor(name) {
    this.name = name;
    this.seq = 0;
    this.ring = new Array(KEEP);
    this.members = new Map();
    this.names = []; // the members' names, sorted (code unit order, as Java's String.compareTo)
  }

  remember(message) {
    this.ring[message.seq % KEEP] = message;
  }

  /** The newest n messages, oldest first. */
  newest(n) {
    const out = [];
    for (let seq = Math.max(1, this.seq - n + 1); seq <= this.seq; seq++) out.push(this.ring[seq % KEEP]);
    return out;
  }

  /** Where `name` is, or would go, in `names` (binary search: a join costs no sort). */
  at(name) {
    let lo = 0;
    let hi = this.names.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.names[mid] < name) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  add(name, member) {
    this.members.set(name, member);
    this.names.splice(this.at(name), 0, name);
  }

  remove(name) {
    this.members.delete(name);
    this.names.splice(this.at(name), 1);
  }
}

/** One WebSocket: the room its path names, and once joined the Room and its user's name. */
class Member {
  constructor(ws, roomName) {
    this.ws = ws;
    this.roomName = roomName;
    this.room = null;
    this.user = null;
  }
}

const rooms = new Map();

// ---------- server to client ----------

/** ISO-8601 UTC with milliseconds, formatted once per millisecond. */
let tsMillis = -1;
let ts = '';
function now() {
  const millis = Date.now();
  if (millis !== tsMillis) {
    tsMillis = millis;
    ts = new Date(millis).toISOString();
  }
  return ts;
}

// every frame's first member is its type: the generator reads byte 9 of {"type":"…
const send = (ws, frame) => ws.send(Buffer.from(JSON.stringify(frame)), TEXT);

/** To every member of the room but `except` (may be null), encoded once. */
function broadcast(room, frame, except) {
  const encoded = Buffer.from(JSON.stringify(frame));
  for (const member of room.members.values()) {
    if (member !== except) member.ws.send(encoded, TEXT); // a closed socket: dropped, not thrown
  }
}

function error(code, message, cid) {
  return cid === null ? { type: 'error', code, message } : { type: 'error', code, message, cid };
}

const presence = (type, room, user) => ({ type, room: room.name, user, count: room.members.size, ts: now() });

// ---------- client to server ----------

/** The frame's cid if it is a valid string of at most MAX_CID characters, else null. */
function validCid(value) {
  return typeof value === 'string' && !longer(value, MAX_CID) && value.isWellFormed() ? value : null;
}

function receive(member, data, isBinary) {
  if (isBinary) {
    send(member.ws, error('bad-frame', 'Frames are JSON text; binary frames are not accepted.', null));
    return;
  }
  let frame;
  try {
    frame = JSON.parse(data);
  } catch {
    frame = null;
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
    send(member.ws, error('bad-json', 'The frame is not one valid JSON object.', null));
    return;
  }
  const cid = validCid(frame.cid);
  switch (typeof frame.type === 'string' ? frame.type : null) {
    case null:
      send(member.ws, error('bad-json', 'A frame must be a JSON object with a string member "type".', cid));
      break;
    case 'join':
      join(member, frame, cid);
      break;
    case 'message':
      message(member, frame, cid);
      break;
    case 'ping':
      // every member but the type, in the ping's order (fromEntries: "__proto__" stays a member)
      send(member.ws, Object.fromEntries([['type', 'pong'], ...Object.entries(frame).filter(([key]) => key !== 'type')]));
      break;
    default:
      send(member.ws, error('unknown-type', 'This benchmark server serves join, message and ping only.', cid));
  }
}

function join(member, frame, cid) {
  if (member.room) {
    send(member.ws, error('already-joined', 'This connection has joined already.', cid));
    return;
  }
  if (typeof frame.user !== 'string') {
    send(member.ws, error('bad-name', 'join needs a string member "user".', cid));
    return;
  }
  const name = frame.user.replace(STRIP_RE, '');
  if (!name.isWellFormed() || name.length === 0 || longer(name, MAX_NAME) || CONTROL_RE.test(name)) {
    send(member.ws, error('bad-name', `A name has 1 to ${MAX_NAME} characters, none of them control characters.`, cid));
    return;
  }
  let room = rooms.get(member.roomName);
  if (!room) rooms.set(member.roomName, (room = new Room(member.roomName)));
  if (room.members.has(name)) {
    send(member.ws, error('name-taken', `The name "${name}" is in use in this room.`, cid));
    return;
  }
  room.add(name, member);
  member.room = room;
  member.user = name;
  send(member.ws, { type: 'welcome', room: room.name, user: name, users: room.names, history: room.newest(WELCOME_HISTORY) });
  broadcast(room, presence('joined', room, name), member);
}

function message(member, frame, cid) {
  if (cid === null && frame.cid !== undefined && frame.cid !== null) {
    send(member.ws, error('bad-json', `cid must be a string of at most ${MAX_CID} characters.`, null));
    return;
  }
  const { text } = frame;
  if (typeof text !== 'string') {
    send(member.ws, error('bad-text', 'message needs a string member "text".', cid));
    return;
  }
  if (longer(text, MAX_TEXT)) {
    send(member.ws, error('too-long', `A text has at most ${MAX_TEXT} characters.`, cid));
    return;
  }
  if (!text.isWellFormed() || BLANK_RE.test(text)) {
    send(member.ws, error('bad-text', 'A text must be valid Unicode and not blank.', cid));
    return;
  }
  const { room } = member;
  if (!room) {
    send(member.ws, error('not-joined', 'Send join first.', cid));
    return;
  }
  const msg = { type: 'message', room: room.name, seq: ++room.seq, user: member.user, text, ts: now() };
  room.remember(msg);
  if (cid !== null) send(member.ws, { type: 'ack', cid, seq: msg.seq });
  broadcast(room, msg, null);
}

function leave(member) {
  const { room } = member;
  if (room && room.members.get(member.user) === member) {
    room.remove(member.user);
    member.room = null;
    broadcast(room, presence('left', room, member.user), null);
  }
}

// ---------- the server ----------

/** GET /health (bench/run's readiness check); nothing else. */
const http = createServer((req, res) => {
  if (req.url === '/health') res.end('ok');
  else res.writeHead(404).end();
});
// maxPayload: a larger frame (text or binary) closes the connection with 1009
const wss = new WebSocketServer({ server: http, perMessageDeflate: false, maxPayload: MAX_FRAME, clientTracking: false });

wss.on('connection', (ws, req) => {
  ws.on('error', () => {}); // the close follows
  const path = req.url.split('?', 1)[0];
  const roomName = path.startsWith(CHAT) ? path.slice(CHAT.length) : '';
  if (!ROOM_RE.test(roomName)) {
    send(ws, error('bad-room', 'A room name matches [a-z0-9][a-z0-9_-]{0,63}.', null));
    ws.close(1008, 'bad room');
    return;
  }
  const member = new Member(ws, roomName);
  ws.on('message', (data, isBinary) => receive(member, data, isBinary));
  ws.on('close', () => leave(member));
});

const port = Number(process.argv[2] ?? 8080);
http.listen(port, '127.0.0.1', () => console.log(`listening ${http.address().port}`));
process.on('SIGTERM', () => process.exit(0));
// bench/run collects garbage before it reads resident memory (node --expose-gc)
process.on('SIGUSR2', () => globalThis.gc?.());
