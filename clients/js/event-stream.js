// An EventSource read through fetch, for where there is none (Node): the HTTP transport
// (transport.js) takes it as its EventSource. It does what that transport uses: named
// events with their data, `error` when the stream fails or ends, close(). Unlike a
// browser's it never reconnects by itself: the connection decides that (connection.js).
// The event stream format is the HTML standard's ("Server-sent events"): lines ending in
// CRLF, LF or CR, `field: value`, a blank line dispatching the event, `:` a comment.

export const MAX_EVENT_CHARS = 1 << 20;  // an event (or a line) longer than this fails the stream

export class FetchEventSource {
  #listeners = new Map();
  #abort = new AbortController();
  #closed = false;

  constructor(url, { fetch = (...args) => globalThis.fetch(...args) } = {}) {
    this.url = url;
    this.#read(fetch);
  }

  addEventListener(type, listener) {
    if (!this.#listeners.has(type)) this.#listeners.set(type, []);
    this.#listeners.get(type).push(listener);
  }

  close() {
    this.#closed = true;
    this.#abort.abort();
  }

  #dispatch(type, data) {
    if (this.#closed) return;
    for (const listener of this.#listeners.get(type) ?? []) listener({ type, data });
  }

  async #read(fetch) {
    try {
      const response = await fetch(this.url, {
        headers: { Accept: 'text/event-stream' }, cache: 'no-store', signal: this.#abort.signal,
      });
      const type = response.headers.get('content-type') ?? '';
      if (!response.ok || !response.body || !type.startsWith('text/event-stream')) throw new Error('not an event stream');
      const parser = new EventStreamParser((event, data) => this.#dispatch(event, data));
      const decoder = new TextDecoder();
      for await (const chunk of response.body) {
        if (this.#closed) return;
        parser.push(decoder.decode(chunk, { stream: true }));
      }
    } catch {
      // failed, refused, or aborted by close(): `error` below unless closed
    }
    if (!this.#closed) {
      this.#closed = true;
      for (const listener of this.#listeners.get('error') ?? []) listener({ type: 'error' });
    }
  }
}

// The event stream format, fed text as it comes; calls onEvent(type, data) for each event.
// Throws when an event outgrows MAX_EVENT_CHARS (a stream that never ends one).
export class EventStreamParser {
  #onEvent;
  #pending = '';      // text after the last line break
  #lastWasCR = false; // the last chunk ended in CR: an LF opening the next one belongs to it
  #started = false;
  #event = '';
  #data = [];
  #size = 0;

  constructor(onEvent) {
    this.#onEvent = onEvent;
  }

  push(text) {
    if (!this.#started && text.length) {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.#lastWasCR && text.startsWith('\n')) text = text.slice(1);
    this.#lastWasCR = false;
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c !== '\n' && c !== '\r') continue;
      this.#line(this.#pending + text.slice(from, i));
      this.#pending = '';
      if (c === '\r') {
        if (i + 1 === text.length) this.#lastWasCR = true;
        else if (text[i + 1] === '\n') i++;
      }
      from = i + 1;
    }
    this.#pending += text.slice(from);
    if (this.#pending.length + this.#size > MAX_EVENT_CHARS) throw new Error('event too long');
  }

  #line(line) {
    if (line === '') {
      if (this.#data.length) this.#onEvent(this.#event || 'message', this.#data.join('\n'));
      this.#event = '';
      this.#data = [];
      this.#size = 0;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.#event = value;
    else if (field === 'data') {
      this.#data.push(value);
      this.#size += value.length + 1;
    }
    // id and retry: the transport does not resume streams, the connection does (join since)
  }
}
