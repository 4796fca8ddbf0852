// How a page talks to a room, behind one small interface (PROTOCOL.md, "Transport"). A
// transport is used once:
//   open(url, handlers)  handlers: open(kind), frame(object), close(code, reason)
//   send(frameObject)    true if the frame was taken, false if the transport is not open
//   close()              the client's own close: no handlers.close follows
//   kind                 'websocket'
// handlers.close comes at most once, also for an attempt that never opened. No DOM here:
// the browser's WebSocket is passed in (the tests pass a fake).

const CONNECTING = 0;                   // WebSocket.readyState
const OPEN = 1;

// One frame from the server, or null for anything that is not a JSON object with a string type.
export function parseFrame(data) {
  let frame;
  try { frame = JSON.parse(data); } catch { return null; }
  return frame && typeof frame === 'object' && typeof frame.type === 'string' ? frame : null;
}

// The WAR's context root, from the page's path: '/parley/' -> '/parley', '/' -> ''.
export function contextPath(location) {
  const path = location.pathname;
  return path.slice(0, path.lastIndexOf('/'));
}

export function socketUrl(location, room) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${contextPath(location)}/chat/${room}`;
}

export class WebSocketTransport {
  kind = 'websocket';
  #WebSocket;
  #ws = null;

  constructor({ WebSocket = globalThis.WebSocket } = {}) {
    this.#WebSocket = WebSocket;
  }

  // Throws as the WebSocket constructor does (a URL the page may not open).
  open(url, handlers) {
    const ws = new this.#WebSocket(url);
    this.#ws = ws;
    ws.onopen = () => handlers.open(this.kind);
    ws.onmessage = (ev) => {
      const frame = parseFrame(ev.data);
      if (frame) handlers.frame(frame);
    };
    ws.onclose = (ev) => {
      this.#ws = null;
      handlers.close(ev.code, ev.reason);
    };
  }

  send(frame) {
    if (!this.#ws || this.#ws.readyState !== OPEN) return false;
    this.#ws.send(JSON.stringify(frame));
    return true;
  }

  close() {
    const ws = this.#ws;
    this.#ws = null;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = null;
    if (ws.readyState === CONNECTING || ws.readyState === OPEN) ws.close(1000);
  }
}
