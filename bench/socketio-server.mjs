// The reference: the chat every Socket.IO tutorial builds, given Parley's duties so that the
// comparison is fair. Per room: a seq, a timestamp on every message, an in-memory history of the
// newest 10,000 (Parley's memory store keeps as many), presence; the sender gets an ack with the
// seq, then everyone in the room (sender included) gets the message.
//
//   node socketio-server.mjs [port]      (prints "listening <port>" when ready)
//
// Events (client -> server): join {room, user} -> ack {room, user, users, history} or {error};
//   message {text} -> ack {seq} or {error}. Server -> client: message, joined, left.
import { createServer } from 'node:http';
import express from 'express';
import { Server } from 'socket.io';

const KEEP = 10_000;
const WELCOME_HISTORY = 50;
const ROOM_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;

class Room {
  constructor() {
    this.seq = 0;
    this.ring = new Array(KEEP);
    this.members = new Set();
  }

  append(message) {
    this.ring[message.seq % KEEP] = message;
  }

  newest(n) {
    const out = [];
    for (let seq = Math.max(1, this.seq - n + 1); seq <= this.seq; seq++) out.push(this.ring[seq % KEEP]);
    return out;
  }
}

const rooms = new Map();
const app = express();
app.get('/health', (req, res) => res.send('ok'));
const http = createServer(app);
const io = new Server(http, { transports: ['websocket'], serveClient: false, perMessageDeflate: false });

io.on('connection', (socket) => {
  let room = null;
  let user = null;

  socket.on('join', (frame, ack) => {
    if (typeof ack !== 'function') return;
    if (room) return ack({ error: 'already-joined' });
    const name = frame?.room;
    const who = frame?.user;
    if (typeof name !== 'string' || !ROOM_RE.test(name)) return ack({ error: 'bad-room' });
    if (typeof who !== 'string' || who.length < 1 || who.length > 32) return ack({ error: 'bad-name' });
    let r = rooms.get(name);
    if (!r) rooms.set(name, (r = new Room()));
    if (r.members.has(who)) return ack({ error: 'name-taken' });
    r.members.add(who);
    room = name;
    user = who;
    socket.join(name);
    ack({ room: name, user: who, users: [...r.members].sort(), history: r.newest(WELCOME_HISTORY) });
    socket.to(name).emit('joined', { room: name, user: who, ts: new Date().toISOString() });
  });

  socket.on('message', (frame, ack) => {
    const text = frame?.text;
    const reply = typeof ack === 'function' ? ack : () => {};
    if (!room) return reply({ error: 'not-joined' });
    if (typeof text !== 'string' || text.length < 1 || text.length > 4000) return reply({ error: 'bad-text' });
    const r = rooms.get(room);
    const message = { room, seq: ++r.seq, user, text, ts: new Date().toISOString() };
    r.append(message);
    reply({ seq: message.seq });
    io.to(room).emit('message', message);
  });

  socket.on('disconnect', () => {
    if (!room) return;
    const r = rooms.get(room);
    r.members.delete(user);
    io.to(room).emit('left', { room, user, ts: new Date().toISOString() });
  });
});

const port = Number(process.argv[2] ?? 3000);
http.listen(port, '127.0.0.1', () => console.log(`listening ${http.address().port}`));
process.on('SIGTERM', () => process.exit(0));
// bench/run collects garbage before it reads resident memory (node --expose-gc)
process.on('SIGUSR2', () => globalThis.gc?.());
