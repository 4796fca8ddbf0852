// Which transport an attempt uses. Every attempt (page load, every reconnect) tries WebSocket
// first; one that fails before it opens (closes first, or is not open in time) falls back to
// HTTP within the same attempt, so the page goes back to WebSocket at the first reconnect or
// visit after it works again. Nothing is remembered between attempts: the deadline cannot be
// shortened for a tab where WebSocket failed before, since Firefox itself delays a WebSocket
// to a host where one failed (by up to a minute as failures repeat).
// ?transport=http forces HTTP, ?transport=websocket forces WebSocket (no fallback, no deadline).

export const OPEN_TIMEOUT_MS = 3000;
const LOST = 1006;

export function transportMode(search) {
  const asked = new URLSearchParams(search).get('transport');
  return asked === 'http' || asked === 'websocket' ? asked : 'auto';
}

// The transport interface of transport.js over both; open takes {websocket, http} URLs.
export class FallbackTransport {
  #mode;
  #make;
  #timers;
  #current = null;
  #deadline = null;

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
    if (this.#mode === 'http') return this.#start('http', urls.http, handlers);
    if (this.#mode === 'websocket') return this.#start('websocket', urls.websocket, handlers);
    let settled = false;
    // Within open() a failure to start HTTP throws, as a forced transport's would; later it is a lost connection.
    const fallBack = (within = false) => {
      if (settled) return;
      settled = true;
      this.#timers.clearTimeout(this.#deadline);
      this.#current?.close();
      try {
        this.#start('http', urls.http, handlers);
      } catch (e) {
        this.#current = null;
        if (within) throw e;
        handlers.close(LOST, '');
      }
    };
    try {
      this.#start('websocket', urls.websocket, {
        open: (kind) => {
          settled = true;
          this.#timers.clearTimeout(this.#deadline);
          handlers.open(kind);
        },
        frame: (frame) => handlers.frame(frame),
        close: (code, reason) => (settled ? handlers.close(code, reason) : fallBack()),
      });
    } catch {
      fallBack(true);
      return;
    }
    if (!settled) this.#deadline = this.#timers.setTimeout(() => fallBack(), OPEN_TIMEOUT_MS);
  }

  send(frame) {
    return this.#current ? this.#current.send(frame) : false;
  }

  close() {
    this.#timers.clearTimeout(this.#deadline);
    const current = this.#current;
    this.#current = null;
    current?.close();
  }

  #start(kind, url, handlers) {
    this.#current = this.#make[kind]();
    this.#current.open(url, handlers);
  }
}
