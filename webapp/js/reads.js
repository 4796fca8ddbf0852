// Read positions (PROTOCOL.md 1.1, "Read positions and unread counts"): what this user has seen
// of the room, told to the server with `read` {seq} as the reader sees messages, at most once a
// second and never backwards; and the positions the server tells us, of our other tabs (`kept`,
// which moves the "new messages" divider) and of the others (for "seen by"). No DOM: the page
// says what the reader saw (an IntersectionObserver on the log, app.js); the tests use a fake clock.

export const READ_EVERY_MS = 1000;

const realClock = {
  setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (id) => clearTimeout(id), now: () => Date.now(),
};

export class ReadPositions {
  kept = 0;            // the server's position for us: welcome.read, raised by our other tabs' `read`
  #told = 0;           // the newest position sent (and accepted by the transport)
  #pending = 0;        // seen, not sent yet
  #lastSent = -Infinity;
  #timer = null;
  #others = new Map(); // user -> seq
  #send;
  #clock;
  #every;

  // send(seq): sends `read`, true if it went out.
  constructor({ send, clock = realClock, every = READ_EVERY_MS }) {
    this.#send = send;
    this.#clock = clock;
    this.#every = every;
  }

  // A welcome: the server keeps `read` for us. What was seen and not told goes out (if newer).
  welcome(read) {
    this.kept = Number.isInteger(read) && read > 0 ? read : 0;
    this.#told = Math.max(this.#told, this.kept);
    if (this.#pending > this.#told) this.#schedule();
  }

  // Another room (or a room started over): nothing of the old one carries over.
  reset() {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.kept = 0;
    this.#told = 0;
    this.#pending = 0;
    this.#others.clear();
  }

  // The reader saw seq.
  seen(seq) {
    if (!Number.isInteger(seq) || seq <= Math.max(this.#told, this.#pending)) return;
    this.#pending = seq;
    this.#schedule();
  }

  // The newest position seen here, told or not.
  get position() {
    return Math.max(this.#told, this.#pending, this.kept);
  }

  // A `read` frame: from our own other tab (user === me) or from someone else. Returns true if
  // it moved our kept position.
  heard({ user, seq }, me) {
    if (!Number.isInteger(seq)) return false;
    if (user !== me) {
      this.#others.set(user, Math.max(this.#others.get(user) || 0, seq));
      return false;
    }
    if (seq <= this.kept) return false;
    this.kept = seq;
    this.#told = Math.max(this.#told, seq);   // the server has it: no need to tell it again
    return true;
  }

  // The others who have seen seq (their position is at or past it), sorted.
  seenBy(seq) {
    return [...this.#others].filter(([, at]) => at >= seq).map(([user]) => user).sort();
  }

  forget(user) {
    this.#others.delete(user);
  }

  #schedule() {
    if (this.#timer !== null) return;
    const wait = Math.max(0, this.#lastSent + this.#every - this.#clock.now());
    if (wait === 0) { this.#flush(); return; }
    this.#timer = this.#clock.setTimeout(() => { this.#timer = null; this.#flush(); }, wait);
  }

  #flush() {
    const seq = this.#pending;
    if (seq <= this.#told) return;
    if (!this.#send(seq)) return;      // offline: the next welcome sends it
    this.#told = seq;
    this.#lastSent = this.#clock.now();
  }
}
