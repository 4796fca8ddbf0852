// Fakes for the web client's modules: a clock whose time moves only when told, a transport, an
// EventSource, fetch, a WebSocket and a listener that records what it heard.

export class FakeClock {
  time = 0;
  #timers = new Map();
  #next = 1;

  now() { return this.time; }

  setTimeout(fn, ms) { return this.#add(fn, ms, 0); }
  setInterval(fn, ms) { return this.#add(fn, ms, ms); }
  clearTimeout(id) { this.#timers.delete(id); }
  clearInterval(id) { this.#timers.delete(id); }

  // Timers still to run.
  get pending() { return this.#timers.size; }

  // Moves the time on, running every timer that falls due, in order.
  advance(ms) {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.#timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      const [id, timer] = due;
      this.time = timer.at;
      if (timer.every) timer.at += timer.every; else this.#timers.delete(id);
      timer.fn();
    }
    this.time = end;
  }

  #add(fn, ms, every) {
    const id = this.#next++;
    this.#timers.set(id, { fn, at: this.time + Math.max(0, ms || 0), every: every > 0 ? every : 0 });
    return id;
  }
}

// What dial() gives the connection: the test opens, feeds and loses it.
export class FakeTransport {
  sent = [];
  closed = false;
  isOpen = false;

  constructor(kind = 'websocket') { this.kind = kind; }

  open(url, handlers) { this.url = url; this.handlers = handlers; }
  send(frame) {
    if (!this.isOpen || this.closed) return false;
    this.sent.push(frame);
    return true;
  }
  close() { this.closed = true; }

  // What the test makes happen.
  opened() { this.isOpen = true; this.handlers.open(this.kind); }
  receive(frame) { this.handlers.frame(frame); }
  lose(code = 1006, reason = '') { this.isOpen = false; this.handlers.close(code, reason); }
  types() { return this.sent.map((f) => f.type); }
}

// Records every call made to it: calls is [name, ...args], one entry a call.
export function recorder() {
  const calls = [];
  const target = new Proxy({}, {
    get: (_, name) => (name === 'calls' ? calls : (...args) => { calls.push([name, ...args]); }),
  });
  return target;
}

export class FakeEventSource {
  static all = [];
  listeners = new Map();
  closed = false;

  constructor(url) {
    this.url = url;
    FakeEventSource.all.push(this);
  }

  addEventListener(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(fn);
  }

  close() { this.closed = true; }

  // An event from the server (data as a string, or an object sent as JSON); none once closed.
  emit(type, data) {
    if (this.closed) return;
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    for (const fn of this.listeners.get(type) || []) fn({ type, data: text });
  }
}

// fetch whose answers the test gives: calls[i] is {url, options, answer(status), fail()}.
export function fakeFetch() {
  const calls = [];
  const fetch = (url, options = {}) => new Promise((resolve, reject) => {
    calls.push({
      url, options, body: options.body, method: options.method || 'GET',
      answer: (status, body = null) => resolve({
        status, ok: status >= 200 && status < 300,
        json: async () => { if (body === null) throw new SyntaxError('no JSON'); return body; },
      }),
      fail: () => reject(new TypeError('Failed to fetch')),
    });
  });
  fetch.calls = calls;
  return fetch;
}

export class FakeWebSocket {
  static all = [];
  readyState = 0;
  sent = [];
  closedWith = null;

  constructor(url) {
    this.url = url;
    FakeWebSocket.all.push(this);
  }

  send(data) { this.sent.push(data); }
  close(code) { this.closedWith = code; this.readyState = 3; }

  opened() { this.readyState = 1; this.onopen?.({}); }
  message(data) { this.onmessage?.({ data }); }
  closedByServer(code, reason = '') { this.readyState = 3; this.onclose?.({ code, reason }); }
}

// Lets pending promise callbacks (a fetch's answer) run.
export const settle = () => new Promise((resolve) => setImmediate(resolve));

// sessionStorage: getItem, setItem, removeItem over a Map; copy() is what a duplicated tab gets.
export class FakeStorage {
  #items = new Map();

  getItem(key) { return this.#items.has(key) ? this.#items.get(key) : null; }
  setItem(key, value) { this.#items.set(key, String(value)); }
  removeItem(key) { this.#items.delete(key); }

  copy() {
    const copy = new FakeStorage();
    for (const [key, value] of this.#items) copy.setItem(key, value);
    return copy;
  }
}
