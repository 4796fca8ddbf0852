// How the load generator talks to each server. Both drivers are the same code path (a `ws`
// socket, and a byte scan of each room message for its "text" instead of a JSON parse) so that
// the generator spends the same per frame on either server, and as little as it can: on one
// core it must keep up with the faster server. Socket.IO's protocol (Engine.IO 4 over
// WebSocket) is spoken directly rather than through socket.io-client for the same reason.
//
// connect(base, room, user, onMessage, options) resolves, once the server has welcomed the user, to
//   { send(text), close(), acks, errors }  and calls onMessage(sender, count, dueMicros) for
//   every room message, whose text the generator wrote as "sender|count|dueMicros|padding";
//   onMessage.countOnly (a receiver outside the latency sample) is called with nothing, the
//   frame unread. options go to the `ws` socket (localAddress: the source address).
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

/** PROTOCOL.md: join, then message frames with a cid, which the server acks. */
function parley(base, room, user, onMessage, options = {}) {
  return new Promise((resolve, reject) => {
    let cid = 0;
    const conn = { acks: 0, errors: 0, welcomed: false };
    const ws = socket(`${base}/chat/${room}`, conn, reject, `${room}/${user}`, options);
    // like the web client: a ping every 25 s keeps an idle connection within the idle timeout
    // (only once open: a handshake a full server leaves hanging may last longer than that)
    const ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('{"type":"ping"}'), 25_000).unref();
    ws.on('close', () => clearInterval(ping));
    conn.send = (text) => ws.send(`{"type":"message","text":${JSON.stringify(text)},"cid":"${++cid}"}`);
    conn.close = () => { clearInterval(ping); ws.terminate(); };
    ws.on('open', () => ws.send(JSON.stringify({ type: 'join', user })));
    ws.on('message', (buf) => {
      // every frame starts {"type":" : byte 9 is the type's first letter
      switch (buf[9]) {
        case 0x6d: readTag(buf, onMessage); break;    // message
        case 0x61: conn.acks++; break;                 // ack
        case 0x77: conn.welcomed = true; resolve(conn); break; // welcome
        case 0x65:                                     // error
          conn.errors++;
          if (!conn.welcomed) reject(new Error(`${room}/${user}: ${buf}`));
          break;
        default: break;                                // joined, left, pong, ...
      }
    });
  });
}

/**
 * Socket.IO 4 over a WebSocket: Engine.IO packets "0" open, "2" ping (answered "3"), "4…"
 * carrying Socket.IO packets "0" connect, "2" event, "3" ack; "42<id>[…]" asks for an ack.
 */
function socketio(base, room, user, onMessage, options = {}) {
  return new Promise((resolve, reject) => {
    let id = 0;
    const conn = { acks: 0, errors: 0, welcomed: false };
    const ws = socket(`${base}/socket.io/?EIO=4&transport=websocket`, conn, reject, `${room}/${user}`, options);
    conn.send = (text) => ws.send(`42${++id}["message",{"text":${JSON.stringify(text)}}]`);
    conn.close = () => ws.terminate();
    ws.on('message', (buf) => {
      if (buf[0] === 0x34 && buf[1] === 0x32) {        // 42: an event
        if (buf[4] === 0x6d) readTag(buf, onMessage);  // 42["message",…
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

export const drivers = { parley, socketio };
