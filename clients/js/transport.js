// The two ways a page talks to a room, behind one interface (PROTOCOL.md, "Transport" and
// "HTTP transport"). A transport is used once:
//   open(url, handlers)  handlers: open(kind), frame(object), close(code, reason)
//   send(frameObject)    true if the frame was taken, false if the transport is not open (or full)
//   close()              the client's own close: no handlers.close follows
//   kind                 'websocket' or 'http'
// handlers.close comes at most once, also for an attempt that never opened. No DOM here:
// the browser's WebSocket, EventSource and fetch are passed in (the tests pass fakes).

export const POST_QUEUE_LIMIT = 100;    // frames waiting for their POST; a full queue refuses more
export const FIRST_EVENT_MS = 10000;    // an event stream with no first event by then failed (a buffering proxy)
export const STREAM_SILENT = 'no event came on the stream';  // the reason of that failure's close (1006)
const LOST = 1006;                      // WebSocket's code for a connection that ended without a close
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

export function streamUrl(location, room) {
  return `${contextPath(location)}/sse/${room}`;
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

// Server-Sent Events down (GET url), one POST up per frame (url/{id}), strictly one at a time,
// DELETE url/{id} to close. The stream's `close` event is the server's close; a stream that
// fails or ends without one, or a POST the server does not take, is a lost connection (1006).
// A POST refused with 4xx (other than 404, the connection gone) is the server refusing, as a
// WebSocket's 1008: the close says so, with the server's own words. A stream whose first
// event does not come within FIRST_EVENT_MS has failed (1006 with STREAM_SILENT): something
// between holds it back.
// EventSource would reconnect by itself: it is closed instead, so that the page's own
// reconnect decides, and re-joins with `since`.
const CLOSE_GRACE_MS = 1000;

export class HttpTransport {
  kind = 'http';
  #EventSource;
  #fetch;
  #limit;
  #source = null;
  #handlers = null;
  #url = '';
  #id = null;          // the connection's id, from the stream's first event
  #queue = [];         // frames as JSON, waiting for the POST before them to be answered
  #posting = false;
  #refused = false;    // a POST was not taken: the connection is gone, its close event may be on the way
  #ended = false;
  #firstEvent = null;
  #timers;

  constructor({ EventSource = globalThis.EventSource, fetch = (...args) => globalThis.fetch(...args),
    limit = POST_QUEUE_LIMIT, timers = globalThis } = {}) {
    this.#EventSource = EventSource;
    this.#fetch = fetch;
    this.#limit = limit;
    this.#timers = timers;
  }

  open(url, handlers) {
    this.#url = url;
    this.#handlers = handlers;
    const source = new this.#EventSource(url);
    this.#source = source;
    this.#firstEvent = this.#timers.setTimeout(() => this.#end(LOST, STREAM_SILENT), FIRST_EVENT_MS);
    source.addEventListener('connection', (ev) => {
      this.#timers.clearTimeout(this.#firstEvent);
      const id = parseJson(ev.data)?.id;
      if (typeof id !== 'string' || !id) { this.#end(LOST, ''); return; }
      this.#id = id;
      handlers.open(this.kind);
      this.#post();
    });
    source.addEventListener('message', (ev) => {
      const frame = parseFrame(ev.data);
      if (frame && !this.#ended) handlers.frame(frame);
    });
    source.addEventListener('close', (ev) => {
      const close = parseJson(ev.data);
      const code = Number.isInteger(close?.code) ? close.code : LOST;
      this.#end(code, typeof close?.reason === 'string' ? close.reason : '', { hangUp: false });
    });
    source.addEventListener('error', () => this.#end(LOST, ''));
  }

  send(frame) {
    if (this.#ended || this.#refused || !this.#id || this.#queue.length >= this.#limit) return false;
    this.#queue.push(JSON.stringify(frame));
    this.#post();
    return true;
  }

  close() {
    if (this.#ended) return;
    this.#ended = true;
    this.#timers.clearTimeout(this.#firstEvent);
    this.#queue = [];
    this.#source?.close();
    this.#hangUp();
  }

  get #frameUrl() {
    return `${this.#url}/${encodeURIComponent(this.#id)}`;
  }

  async #post() {
    if (this.#posting || this.#ended || !this.#id || !this.#queue.length) return;
    this.#posting = true;
    const body = this.#queue.shift();
    let status = 0;
    let response = null;
    try {
      response = await this.#fetch(this.#frameUrl, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body, cache: 'no-store',
      });
      status = response.status;
    } catch { /* no answer: as good as lost */ }
    this.#posting = false;
    if (status >= 200 && status < 300) this.#post();
    else if (status === 413) this.#end(1009, 'frame too big');  // the server closes with 1009 too
    else if (status >= 400 && status < 500 && status !== 404 && status !== 408 && status !== 429) {
      this.#end(1008, await refusal(response));
    } else this.#refuse();
  }

  // A POST not taken (404: the connection is gone) or not answered: the server may have closed
  // the connection, and its close event, which says why, can come a moment after the answer.
  // Nothing more is sent; without a close event within CLOSE_GRACE_MS it is a lost connection.
  #refuse() {
    if (this.#ended || this.#refused) return;
    this.#refused = true;
    this.#queue = [];
    this.#timers.setTimeout(() => this.#end(LOST, ''), CLOSE_GRACE_MS);
  }

  // So that the room hears `left` at once, not when the server notices the stream is gone. At
  // once, not later: on pagehide the page may be gone after this task (keepalive outlives it).
  #hangUp() {
    if (!this.#id) return;
    const gone = () => { /* closed already, or no network: the server notices within 25 s */ };
    try {
      this.#fetch(this.#frameUrl, { method: 'DELETE', keepalive: true }).catch(gone);
    } catch {
      gone();
    }
  }

  #end(code, reason, { hangUp = true } = {}) {
    if (this.#ended) return;
    this.#ended = true;
    this.#timers.clearTimeout(this.#firstEvent);
    this.#queue = [];
    this.#source.close();
    if (hangUp) this.#hangUp();
    this.#handlers.close(code, reason);
  }
}

// What a refused POST says: its body's `error`, else its status.
async function refusal(response) {
  try {
    const error = (await response.json())?.error;
    if (typeof error === 'string' && error) return error.slice(0, 200);
  } catch { /* not JSON: a proxy's page */ }
  return `refused with HTTP ${response.status}`;
}

function parseJson(data) {
  try { return JSON.parse(data); } catch { return null; }
}
