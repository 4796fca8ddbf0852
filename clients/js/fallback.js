// Which transport an attempt uses. Every attempt (page load, every reconnect) tries WebSocket
// first; one that fails before it opens (closes first, or is not open in time) falls back to
// HTTP within the same attempt. The deadline cannot be shortened for a tab where WebSocket
// failed before, since Firefox itself delays a WebSocket to a host where one failed (by up to
// a minute as failures repeat).
//
// On HTTP, WebSocket keeps being tried: a WebSocket that missed the deadline is left to open
// late, and one that was refused is tried again after PROBE_FIRST_MS, then at doubling
// intervals up to PROBE_CAP_MS. One that opens while HTTP is still opening is used instead;
// one that opens later is closed and handlers.upgrade() asks the connection to connect again,
// which then opens on WebSocket. So a page goes back to WebSocket once it works, without
// waiting for a reconnect.
// ?transport=http forces HTTP, ?transport=websocket forces WebSocket (no fallback, no deadline).

export const OPEN_TIMEOUT_MS = 3000;
export const PROBE_FIRST_MS = 15000;
export const PROBE_CAP_MS = 300000;
const LOST = 1006;

export function transportMode(search) {
  const asked = new URLSearchParams(search).get('transport');
  return asked === 'http' || asked === 'websocket' ? asked : 'auto';
}

// The transport interface of transport.js over both; open takes {websocket, http} URLs, and
// handlers may have upgrade(): WebSocket works now, after this transport fell back to HTTP.
export class FallbackTransport {
  #mode;
  #make;
  #timers;
  #urls = null;
  #handlers = null;
  #current = null;     // the transport in use: a WebSocket (opening or open) or, after a fallback, HTTP
  #opened = false;     // #current has opened
  #probe = null;       // a WebSocket being tried while HTTP is in use
  #probeDelay = PROBE_FIRST_MS;
  #deadline = null;
  #probeTimer = null;
  #closed = false;

  // websocket, http: () => a new transport. timers: {setTimeout, clearTimeout}.
  constructor({ mode = 'auto', websocket, http, timers = globalThis }) {
    this.#mode = mode;
    this.#make = { websocket, http };
    this.#timers = timers;
  }

  get kind() {
    return this.#current ? this.#current.kind : null;
  }

  open(urls, handlers) {
    this.#urls = urls;
    this.#handlers = handlers;
    if (this.#mode !== 'auto') {
      this.#current = this.#make[this.#mode]();
      this.#current.open(urls[this.#mode], {
        open: (kind) => { this.#opened = true; handlers.open(kind); },
        frame: (frame) => handlers.frame(frame),
        close: (code, reason) => handlers.close(code, reason),
      });
      return;
    }
    let ws;
    try {
      ws = this.#websocket();
    } catch {
      this.#fallBack(null, true);  // a failure to start HTTP here throws, as a forced transport's would
      return;
    }
    this.#current = ws;
    this.#deadline = this.#timers.setTimeout(() => this.#fallBack(ws), OPEN_TIMEOUT_MS);
  }

  send(frame) {
    return this.#current && this.#opened ? this.#current.send(frame) : false;
  }

  close() {
    this.#closed = true;
    this.#stopProbing();
    this.#timers.clearTimeout(this.#deadline);
    const current = this.#current;
    this.#current = null;
    current?.close();
  }

  // A WebSocket attempt: the first one, or a probe.
  #websocket() {
    const ws = this.#make.websocket();
    ws.open(this.#urls.websocket, {
      open: (kind) => this.#websocketOpened(ws, kind),
      frame: (frame) => { if (this.#current === ws) this.#handlers.frame(frame); },
      close: (code, reason) => this.#websocketClosed(ws, code, reason),
    });
    return ws;
  }

  #websocketOpened(ws, kind) {
    if (ws === this.#current) {
      this.#timers.clearTimeout(this.#deadline);
      this.#opened = true;
      this.#handlers.open(kind);
    } else if (ws === this.#probe) {
      this.#probe = null;
      if (this.#opened) {
        ws.close();
        this.#handlers.upgrade?.();
        return;
      }
      const http = this.#current;   // still opening: WebSocket takes its place
      this.#current = ws;
      http?.close();
      this.#opened = true;
      this.#handlers.open(kind);
    }
  }

  #websocketClosed(ws, code, reason) {
    if (ws === this.#probe) {
      this.#probe = null;
      this.#probeLater();
    } else if (ws === this.#current) {
      if (this.#opened) this.#lost(code, reason);
      else this.#fallBack(null);    // refused: HTTP now, WebSocket again later
    }
  }

  // To HTTP. late: the WebSocket that missed its deadline, left to open late (null: it failed).
  // within: called from open(), where a failure to start HTTP throws.
  #fallBack(late, within = false) {
    this.#timers.clearTimeout(this.#deadline);
    if (late) this.#probe = late;
    else this.#probeLater();
    let http;
    try {
      http = this.#make.http();
      this.#current = http;
      http.open(this.#urls.http, {
        open: (kind) => { if (this.#current === http) { this.#opened = true; this.#handlers.open(kind); } },
        frame: (frame) => { if (this.#current === http) this.#handlers.frame(frame); },
        close: (code, reason) => { if (this.#current === http) this.#lost(code, reason); },
      });
    } catch (e) {
      if (within) {
        this.close();
        throw e;
      }
      this.#lost(LOST, '');
    }
  }

  #lost(code, reason) {
    this.#stopProbing();
    this.#handlers.close(code, reason);
  }

  #probeLater() {
    if (this.#closed || this.#probeTimer !== null) return;
    const delay = this.#probeDelay;
    this.#probeDelay = Math.min(PROBE_CAP_MS, delay * 2);
    this.#probeTimer = this.#timers.setTimeout(() => {
      this.#probeTimer = null;
      if (this.#closed || !this.#current) return;
      try {
        this.#probe = this.#websocket();
      } catch {
        this.#probeLater();
      }
    }, delay);
  }

  #stopProbing() {
    this.#closed = true;
    this.#timers.clearTimeout(this.#probeTimer);
    this.#probeTimer = null;
    const probe = this.#probe;
    this.#probe = null;
    probe?.close();
  }
}
