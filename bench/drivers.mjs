// How the load generator talks to each server. Both drivers are the same code path (a `ws`
// socket, and a byte scan of each room message for its "text" instead of a JSON parse) so that
// the generator spends the same per frame on either server, and as little as it can: on one
// core it must keep up with the faster server. Socket.IO's protocol (Engine.IO 4 over
// WebSocket) is spoken directly rather than through socket.io-client for the same reason.
//
// connect(base, room, user, onMessage, options) resolves, once the server has welcomed the user, to
//   { send(text), close(), acks, errors, presence }  and calls onMessage(sender, count, dueMicros)
//   for every room message, whose text the generator wrote as "sender|count|dueMicros|padding";
//   onMessage.countOnly (a receiver outside the latency sample) is called with nothing, the
//   frame unread. presence counts the presence frames (joined, left, presence), none of them
//   read further: in a big room they are most of what a member receives. options go to the
//   `ws` socket (localAddress: the source address).
//
// `parley-http` is Parley's HTTP transport (docs/PROTOCOL.md, "HTTP transport"): the frames
// come down an event stream (GET /sse/{room}) and go up as POSTs, one at a time per member, on
// keep-alive connections shared by all members; the same byte scan reads the events' data.
import { Agent, request } from 'node:http';
import WebSocket from 'ws';

// every server under test sends valid UTF-8: the generator need not spend its core checking it
const OPTIONS = { perMessageDeflate: false, handshakeTimeout: 30_000, skipUTF8Validation: true };
const TEXT = Buffer.from('"text":"');
const PIPE = 124;

/** Reads "sender|count|due|" from the message's text without parsing the frame. */
function readTag(buf, onMessage) {
  if (onMessage.countOnly) {
    onMessage();
    return;
  }
  let i = buf.indexOf(TEXT) + TEXT.length;
  let sender = 0;
  let count = 0;
  let due = 0;
  let c;
  while ((c = buf[i++]) !== PIPE) sender = sender * 10 + c - 48;
  while ((c = buf[i++]) !== PIPE) count = count * 10 + c - 48;
  while ((c = buf[i++]) !== PIPE) due = due * 10 + c - 48;
  onMessage(sender, count, due);
}

function socket(url, conn, reject, describe, options) {
  const ws = new WebSocket(url, { ...OPTIONS, ...options });
  ws.on('error', (e) => { conn.errors++; if (!conn.welcomed) reject(e); });
  ws.on('close', (code, reason) => {
    conn.closed = code;
    if (!conn.welcomed) reject(new Error(`${describe}: closed ${code} ${reason}`));
  });
  return ws;
}

/**
 * What a Parley frame does to `conn`: counted, read for its tag, or (welcome, error) settles
 * the join. Every frame starts {"type":" so byte 9 is the type's first letter.
 */
function parleyFrame(conn, onMessage, resolve, reject, describe) {
  return (buf) => {
    switch (buf[9]) {
      case 0x6d: readTag(buf, onMessage); break;    // message
      case 0x61: conn.acks++; break;                 // ack
      case 0x6a: case 0x6c: conn.presence++; break;  // joined, left
      case 0x70: if (buf[10] === 0x72) conn.presence++; break; // presence (not pong)
      case 0x77: conn.welcomed = true; resolve(conn); break; // welcome
      case 0x65:                                     // error
        conn.errors++;
        if (!conn.welcomed) reject(new Error(`${describe}: ${buf}`));
        break;
      default: break;                                // pong, typing, ...
    }
  };
}

/** PROTOCOL.md: join, then message frames with a cid, which the server acks. */
function parley(base, room, user, onMessage, options = {}) {
  return new Promise((resolve, reject) => {
    let cid = 0;
    const conn = { acks: 0, errors: 0, presence: 0, welcomed: false };
    const ws = socket(`${base}/chat/${room}`, conn, reject, `${room}/${user}`, options);
    // like the web client: a ping every 25 s keeps an idle connection within the idle timeout
    // (only once open: a handshake a full server leaves hanging may last longer than that)
    const ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('{"type":"ping"}'), 25_000).unref();
    ws.on('close', () => clearInterval(ping));
    conn.send = (text) => ws.send(`{"type":"message","text":${JSON.stringify(text)},"cid":"${++cid}"}`);
    conn.close = () => { clearInterval(ping); ws.terminate(); };
    ws.on('open', () => ws.send(JSON.stringify({ type: 'join', user })));
    ws.on('message', parleyFrame(conn, onMessage, resolve, reject, `${room}/${user}`));
  });
}

// the POSTs of every HTTP member, on keep-alive connections
const posts = new Agent({ keepAlive: true, maxSockets: 256 });
const EVENT_END = Buffer.from('\n\n');
const DATA = Buffer.from('data: ');

/**
 * PROTOCOL.md, "HTTP transport": the stream's first event names the connection, then each
 * event's data is one frame; `event: close` ends it. Frames go up as POSTs, each after the
 * one before was answered (the server takes them in the order it answers them).
 */
function parleyHttp(base, room, user, onMessage, options = {}) {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const describe = `${room}/${user} (http)`;
    const conn = { acks: 0, errors: 0, presence: 0, welcomed: false };
    const frame = parleyFrame(conn, onMessage, resolve, reject, describe);
    let path = null; // the POSTs' path, once the stream named the connection
    let cid = 0;
    const queue = [];
    let posting = false;
    const post = () => {
      if (posting || !queue.length) return;
      posting = true;
      const body = queue.shift();
      const req = request({ hostname, port, path, method: 'POST', agent: posts,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        if (res.statusCode !== 202) conn.errors++;
        res.resume().on('end', () => { posting = false; post(); });
      });
      req.on('error', () => { conn.errors++; posting = false; post(); });
      req.end(body);
    };
    const send = (json) => { queue.push(json); post(); };
    conn.send = (text) => send(`{"type":"message","text":${JSON.stringify(text)},"cid":"${++cid}"}`);
    const ping = setInterval(() => path && send('{"type":"ping"}'), 25_000).unref();
    const stream = request({ hostname, port, path: `/sse/${room}`, agent: false, localAddress: options.localAddress,
      headers: { Accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`${describe}: HTTP ${res.statusCode}`));
      let pending = null;
      res.on('data', (chunk) => {
        const buf = pending ? Buffer.concat([pending, chunk]) : chunk;
        let start = 0;
        let end;
        while ((end = buf.indexOf(EVENT_END, start)) >= 0) {
          const data = buf.indexOf(DATA, start);
          if (data >= 0 && data < end) {
            const at = data + DATA.length;
            if (buf[at + 2] !== 0x74) { // not {"type":…, so {"id":…} (the first event) or {"code":…} (event: close)
              const payload = JSON.parse(buf.subarray(at, end));
              if (payload.id) {
                path = `/sse/${room}/${encodeURIComponent(payload.id)}`;
                send(JSON.stringify({ type: 'join', user }));
              } else {
                conn.closed = payload.code;
                if (!conn.welcomed) reject(new Error(`${describe}: closed ${payload.code} ${payload.reason}`));
              }
            } else frame(buf.subarray(at, end));
          }
          start = end + EVENT_END.length;
        }
        pending = start < buf.length ? buf.subarray(start) : null;
      });
      res.on('end', () => { clearInterval(ping); if (!conn.welcomed) reject(new Error(`${describe}: the stream ended`)); });
    });
    stream.on('error', (e) => { conn.errors++; clearInterval(ping); if (!conn.welcomed) reject(e); });
    stream.end();
    conn.close = () => { clearInterval(ping); stream.destroy(); };
  });
}

/**
 * Socket.IO 4 over a WebSocket: Engine.IO packets "0" open, "2" ping (answered "3"), "4…"
 * carrying Socket.IO packets "0" connect, "2" event, "3" ack; "42<id>[…]" asks for an ack.
 */
function socketio(base, room, user, onMessage, options = {}) {
  return new Promise((resolve, reject) => {
    let id = 0;
    const conn = { acks: 0, errors: 0, presence: 0, welcomed: false };
    const ws = socket(`${base}/socket.io/?EIO=4&transport=websocket`, conn, reject, `${room}/${user}`, options);
    conn.send = (text) => ws.send(`42${++id}["message",{"text":${JSON.stringify(text)}}]`);
    conn.close = () => ws.terminate();
    ws.on('message', (buf) => {
      if (buf[0] === 0x34 && buf[1] === 0x32) {        // 42: an event
        if (buf[4] === 0x6d) readTag(buf, onMessage);  // 42["message",…
        else conn.presence++;                          // 42["joined",… 42["left",…
      } else if (buf[0] === 0x34 && buf[1] === 0x33) { // 43<id>[…]: an ack
        const failed = buf.indexOf('"error"') >= 0;
        if (buf[2] === 0x30 && buf[3] === 0x5b) {      // 430[: the join's
          if (failed) reject(new Error(`${room}/${user}: ${buf}`));
          else { conn.welcomed = true; resolve(conn); }
        } else if (failed) conn.errors++;
        else conn.acks++;
      } else if (buf.length === 1 && buf[0] === 0x32) { // 2: ping
        ws.send('3');
      } else if (buf[0] === 0x34 && buf[1] === 0x30) {  // 40: connected to the namespace
        ws.send(`420["join",${JSON.stringify({ room, user })}]`);
      } else if (buf[0] === 0x30) {                      // 0: Engine.IO open
        ws.send('40');
      }
    });
  });
}

export const drivers = { parley, 'parley-http': parleyHttp, socketio };
