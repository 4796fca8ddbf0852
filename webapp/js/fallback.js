// Which transport an attempt uses. Every attempt (page load, every reconnect) tries WebSocket
// first; one that fails before it opens (closes first, or is not open in time) falls back to
// HTTP within the same attempt. The tab remembers (sessionStorage) that WebSocket failed, until
// one opens again, and meanwhile gives WebSocket less time: a blocked user is not kept waiting
// on each reconnect, yet the page goes back to WebSocket as soon as it works.
// ?transport=http forces HTTP, ?transport=websocket forces WebSocket (no fallback, no deadline).

export const OPEN_TIMEOUT_MS = 3000;
export const OPEN_TIMEOUT_REMEMBERED_MS = 1000;
const FAILED_KEY = 'parley.websocket-failed';
const LOST = 1006;

export function transportMode(search) {
  const asked = new URLSearchParams(search).get('transport');
  return asked === 'http' || asked === 'websocket' ? asked : 'auto';
}

// Whether WebSocket failed in this tab; storage is sessionStorage, or null where there is none.
export function tabMemory(storage) {
  const use = (action, otherwise) => {
    try { return storage ? action(storage) : otherwise; } catch { return otherwise; }
  };
  return {
    failed: () => use((s) => s.getItem(FAILED_KEY) === '1', false),
    remember: () => use((s) => s.setItem(FAILED_KEY, '1')),
    forget: () => use((s) => s.removeItem(FAILED_KEY)),
  };
}

// The transport interface of transport.js over both; open takes {websocket, http} URLs.
export class FallbackTransport {
  #mode;
  #memory;
  #make;
  #timers;
  #current = null;
  #deadline = null;

  // websocket, http: () => a new transport. timers: {setTimeout, clearTimeout}.
  constructor({ mode = 'auto', memory, websocket, http, timers = globalThis }) {
    this.#mode = mode;
    this.#memory = memory;
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
      this.#memory.remember();
      try {
        this.#start('http', urls.http, handlers);
      } catch (e) {
        this.#current = null;
        if (within) throw e;
        handlers.close(LOST, '');
      }
    };
    const timeout = this.#memory.failed() ? OPEN_TIMEOUT_REMEMBERED_MS : OPEN_TIMEOUT_MS;
    try {
      this.#start('websocket', urls.websocket, {
        open: (kind) => {
          settled = true;
          this.#timers.clearTimeout(this.#deadline);
          this.#memory.forget();
          handlers.open(kind);
        },
        frame: (frame) => handlers.frame(frame),
        close: (code, reason) => (settled ? handlers.close(code, reason) : fallBack()),
      });
    } catch {
      fallBack(true);
      return;
    }
    if (!settled) this.#deadline = this.#timers.setTimeout(() => fallBack(), timeout);
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
